"""Text repair: one Unicode form, one tone-placement convention, split letters joined.

- NFC, with combining marks that drifted away from their letter put back.
- Tone marks on the traditional position for open `oa`, `oe`, `uy` syllables
  (`hoà` -> `hòa`, `thuỷ` -> `thủy`), as underthesea's normalizer does.
- A document symbol broken at a line end (`165/2024/NĐ-` / `CP`) is one word again.
- Letters a justified line spread apart (`v ật li ệu n ổ`): a fragment that
  cannot be a Vietnamese syllable is joined to the next when together they are one.
"""
from __future__ import annotations

import re
import unicodedata

from parser.read.pagemodel import Word

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_LOOSE_MARK = re.compile(r"\s+([\u0300-\u036f])")
# tone on the second vowel of an open oa/oe/uy syllable (not after q: "quý" is right as it is)
_NEW_TONE = re.compile(r"(?<![qQ])([oOuU])([aAeEyY])([\u0300\u0301\u0303\u0309\u0323])(?![\w\u0300-\u036f])")

ONSETS = ("ngh", "ng", "gh", "gi", "kh", "nh", "ph", "qu", "th", "tr", "ch", "b", "c", "d", "đ", "g", "h", "k",
          "l", "m", "n", "p", "r", "s", "t", "v", "x")
_SYLLABLE = re.compile(
    r"^(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx])?"
    r"(?:[aăâeêioôơuưy]{1,3})"
    r"(?:ch|ng|nh|[cmnpt])?$"
)


def fix_tone_placement(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    # move the tone from a/e/y back onto o/u: "hoà" -> "hòa", "thuỷ" -> "thủy"
    fixed = _NEW_TONE.sub(lambda m: m.group(1) + m.group(3) + m.group(2), decomposed)
    return unicodedata.normalize("NFC", fixed)


def normalize_text(text: str) -> str:
    text = unicodedata.normalize("NFC", _LOOSE_MARK.sub(r"\1", text))
    return fix_tone_placement(text) if any(c in text for c in "oOuU") else text


def base_letters(word: str) -> str:
    """Lower-case letters without tone marks (vowel quality marks kept): `Việt` -> `viêt`."""
    d = unicodedata.normalize("NFD", word.lower())
    return unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))


def is_syllable(word: str) -> bool:
    return bool(_SYLLABLE.match(base_letters(word)))


def _is_fragment(word: str) -> bool:
    """A lower-case consonant cluster with no vowel: never a word on its own."""
    return word.isalpha() and word.islower() and not any(c in "aăâeêioôơuưy" for c in base_letters(word))


def join_split_letters(words: list[Word]) -> list[Word]:
    """Join `v` + `ật` -> `vật` when the pieces touch the same line and form one syllable."""
    out: list[Word] = []
    for w in words:
        prev = out[-1] if out else None
        if (prev is not None and _is_fragment(prev.text) and w.text[:1].isalpha()
                and abs(prev.top - w.top) < 0.5 * max(w.size, 1.0) and 0 <= w.x0 - prev.x1 < 0.6 * max(w.size, 1.0)
                and is_syllable(prev.text + re.sub(r"\W+$", "", w.text))):
            prev.text = normalize_text(prev.text + w.text)
            prev.x1 = max(prev.x1, w.x1)
            prev.bottom = max(prev.bottom, w.bottom)
            continue
        if prev is not None and _SYMBOL_BREAK.match(prev.text) and w.text[:1].isupper() and w.top - prev.top > 0.5 * max(w.size, 1.0):
            # a document symbol broken at the line end: "165/2024/NĐ-" + "CP"
            prev.text += w.text
            continue
        out.append(w)
    return out


_SYMBOL_BREAK = re.compile(r"^\d+(/[\w.]+)*/[\w.]*[-/]$")


def mostly_capitals(text: str) -> bool:
    """Four in five letters in capitals: a heading, an issuer or a position line."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
