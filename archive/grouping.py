"""Which kept files are the same document: same number, issuer and date, or (drafts) nearly the same text.

    identity(record)  -> "149/kh-ldld|ldld tinh nam dinh|2023-03-06"  (None without all three)
    signature(text)   -> 128 MinHash values of the word 4-shingles of the folded text
    similar(a, b)     -> estimated Jaccard similarity of two signatures (0..1)

Grouping by text is conservative (a wrong merge hides a document; a missed one only shows it twice): the
issuers must be the same, two different numbers never group, and the texts must share at least
TEXT_THRESHOLD of their shingles.
"""
from __future__ import annotations

import hashlib
import json

import numpy as np

from archive.textfold import fold, words

SHINGLE = 4
HASHES = 128
TEXT_THRESHOLD = 0.75
MIN_WORDS = 60  # shorter texts never group by text: too little to tell two documents apart
_rng = np.random.default_rng(20240516)  # fixed: every process computes the same signatures
_A = _rng.integers(1, 1 << 63, size=HASHES, dtype=np.uint64) | np.uint64(1)  # odd multipliers
_B = _rng.integers(0, 1 << 63, size=HASHES, dtype=np.uint64)


def _norm(value: str | None) -> str:
    return " ".join(words(value or ""))


def identity(number: str | None, issuer: str | None, issued_date: str | None) -> str | None:
    """The document's identity from its number, issuer and date, folded; None unless all three are known."""
    n = "".join(ch for ch in fold(number or "") if ch.isalnum() or ch == "/")
    i, d = _norm(issuer), (issued_date or "")[:10]
    return f"{n}|{i}|{d}" if n and i and d else None


def issuer_key(issuer: str | None) -> str:
    return _norm(issuer)


def number_key(number: str | None) -> str:
    return "".join(ch for ch in fold(number or "") if ch.isalnum())


def signature(text: str) -> list[int] | None:
    """MinHash of the text's word shingles; None for a text too short to compare."""
    toks = words(text)
    if len(toks) < MIN_WORDS:
        return None
    shingles = {" ".join(toks[i:i + SHINGLE]) for i in range(len(toks) - SHINGLE + 1)}
    h = np.array([int.from_bytes(hashlib.blake2b(s.encode(), digest_size=7).digest(), "little") for s in shingles],
                 dtype=np.uint64)
    # multiply-shift hashing: (a * h + b) mod 2**64 (numpy wraps), its high 32 bits
    with np.errstate(over="ignore"):
        mixed = (_A[:, None] * h[None, :] + _B[:, None]) >> np.uint64(32)
    return [int(v) for v in mixed.min(axis=1)]


def similar(a: list[int] | None, b: list[int] | None) -> float:
    if not a or not b or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b)) / len(a)


def pack(sig: list[int] | None) -> str:
    return json.dumps(sig) if sig else ""


def unpack(raw: str | None) -> list[int] | None:
    return json.loads(raw) if raw else None
