"""Look-ups in the knowledge base: which commemoration or national movement a phrase names."""
from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.fuzz import ratio as _ratio

from parser.data import commemorations, movements
from parser.text.repair import base_letters

KIND_VI = {"movement": "phong trào", "campaign": "cuộc vận động", "program": "chương trình"}


def similarity(a: str, b: str) -> float:
    """0..1: twice the longest common subsequence over the total length (difflib's ratio, computed exactly and fast)."""
    return _ratio(a, b) / 100


def fold(text: str) -> str:
    """Compare key: lower case, no tone marks, no punctuation, `đ` kept."""
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text)
    return " ".join(re.sub(r"[^\w\s]", " ", base_letters(text)).split())


@lru_cache(maxsize=None)
def _movement_rows() -> dict[str, dict]:
    return {row["key"]: dict(row, kind_vi=KIND_VI.get(row["kind"], "phong trào")) for row in movements()}


def match_movement(name: str) -> dict | None:
    """The knowledge-base movement a quoted name is, by the one movement matcher (movement_identity.py)."""
    from parser.extract.movement_identity import kb_lookup

    key = kb_lookup(name)
    return _movement_rows().get(key) if key else None


@lru_cache(maxsize=None)
def _commemoration_index() -> list[tuple[str, dict]]:
    index = []
    for row in commemorations():
        names = [row["canonical_name_vi"]] + [v for v in row["variants"].split("|") if not v.startswith("[")]
        for name in names:
            name = re.sub(r"^(nhiệt liệt chào mừng|chào mừng|kỷ niệm|kỉ niệm)\s+", "", name.strip(), flags=re.I)
            name = re.sub(r"^\d+\s+năm\s+", "", name, flags=re.I)
            key = fold(name)
            key = re.sub(r"^ngay ", "", key)
            key = re.sub(r"[\d ]+$", "", key).strip()
            if len(key) > 3:
                index.append((key, row))
    return index


def match_commemoration(event: str, threshold: float = 0.72) -> dict | None:
    key = re.sub(r"^ngay ", "", fold(event))
    best, best_row = 0.0, None
    for variant, row in _commemoration_index():
        r = similarity(key, variant)
        if key.startswith(variant) or variant.startswith(key) and len(key) > 8:
            r = max(r, 0.9)
        if r > best:
            best, best_row = r, row
    return best_row if best >= threshold else None
