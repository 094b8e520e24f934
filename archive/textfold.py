"""Vietnamese text for search: folded (no diacritics, `đ` -> `d`) and exact (Telex-like ASCII) word forms.

    fold("Lao động giỏi")       -> "lao dong gioi"
    exact_word("động")          -> "ddoongj"     (one ASCII token per written form)
    exact_word("hoà") == exact_word("hòa") == "hoaf"   (tone placement does not matter)

Both backends index the same tokens (`words`, `exact_words`), so SQLite FTS5 and PostgreSQL
find the same documents for the same query.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+")
_TONE_LETTER = {"\u0300": "f", "\u0301": "s", "\u0303": "x", "\u0309": "r", "\u0323": "j"}
_SHAPE = {"\u0302": "^", "\u0306": "w", "\u031b": "w"}  # circumflex doubles the vowel; breve and horn add w


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return base.lower() if base else ""


def fold(text: str) -> str:
    """Lower case, tone and vowel marks removed, `đ` -> `d`."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


def fold_with_offsets(text: str) -> tuple[str, list[int] | range]:
    """`fold` character by character, with the offset in `text` of every folded character (for highlighting)."""
    table = {ord(c): _fold_char(c) for c in set(text)}
    if all(len(f) == 1 for f in table.values()):  # the usual case (NFC text): one folded character per character
        return text.translate(table), range(len(text))
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        for f in _fold_char(ch):
            out.append(f)
            offsets.append(i)
    return "".join(out), offsets


def words(text: str) -> list[str]:
    """Folded search tokens: letters and digits, everything else separates."""
    return _WORD.findall(fold(text))


def exact_word(word: str) -> str:
    """One ASCII token for a written word, diacritics included: `động` -> `ddoongj`, `hoà`/`hòa` -> `hoaf`."""
    tone = ""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch == "đ":
            out.append("dd")
        elif ch in _TONE_LETTER:
            tone = _TONE_LETTER[ch]
        elif ch in _SHAPE:
            if out:
                out[-1] = out[-1] + (out[-1][-1] if _SHAPE[ch] == "^" else "w")
        elif not unicodedata.combining(ch):
            out.append(ch)
    return "".join(out) + tone


def exact_words(text: str) -> list[str]:
    return [exact_word(w) for w in _WORD.findall(unicodedata.normalize("NFC", text))]


def has_marks(text: str) -> bool:
    """Does the text carry any diacritic (tone, vowel mark or `đ`)?"""
    lowered = unicodedata.normalize("NFC", text.lower())
    return fold(lowered) != lowered


@dataclass(frozen=True, slots=True)
class Term:
    """One query term: a word, or words that must stand together (a quoted phrase, `AT-VSLĐ`)."""

    folded: tuple[str, ...]
    exact: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    terms: tuple[Term, ...]
    marked: bool  # the user typed diacritics: exact-diacritic matches rank first

    @property
    def empty(self) -> bool:
        return not self.terms

    @property
    def folded_words(self) -> list[str]:
        return [w for t in self.terms for w in t.folded]


_CHUNK = re.compile(r'"([^"]*)"|(\S+)')
MAX_TERMS = 24


def parse_query(text: str | None) -> Query:
    """Words are all required; `"quoted words"` and hyphenated words must stand together."""
    text = unicodedata.normalize("NFC", (text or "").strip())
    terms: list[Term] = []
    for m in _CHUNK.finditer(text):
        chunk = m.group(1) if m.group(1) is not None else m.group(2)
        raw = _WORD.findall(chunk)
        if not raw:
            continue
        term = Term(tuple(fold(w) for w in raw), tuple(exact_word(w) for w in raw))
        if term not in terms:
            terms.append(term)
    return Query(text, tuple(terms[:MAX_TERMS]), has_marks(text))
