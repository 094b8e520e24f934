"""Is a page's text layer worth reading, or must the page be OCRed?

A text layer can be missing (a scan), thin (a scan with a stamped number), or
present but not Vietnamese: fonts whose glyphs map to the wrong code points give
`6ӕ 1050 4Ĉ6&7` for `Số 1050/QĐ-SCT`. The test is how many of the page's
alphabetic words are Vietnamese syllables (`parser.text.repair.is_syllable`),
and whether the characters are the ones Vietnamese is written with.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from parser.read.pagemodel import Page
from parser.text.repair import is_syllable

# a page with fewer letters than this has no text layer to speak of
MIN_LETTERS = 40
# share of alphabetic words that must be Vietnamese syllables (real pages: 0.8-0.95; broken fonts: < 0.5)
MIN_SYLLABLE_SHARE = 0.6
# share of letters that must be Latin (Vietnamese) letters
MIN_LATIN_SHARE = 0.9

_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")


@dataclass(frozen=True, slots=True)
class TextQuality:
    letters: int  # alphabetic characters on the page
    words: int  # alphabetic words judged
    syllable_share: float  # of those words, the share that are Vietnamese syllables
    latin_share: float  # of the letters, the share that are Latin letters (with Vietnamese marks)

    @property
    def usable(self) -> bool:
        return self.reason == ""

    @property
    def reason(self) -> str:
        """Why the text layer is not usable ("" when it is)."""
        if self.letters == 0:
            return "no text layer"
        if self.letters < MIN_LETTERS:
            return f"too little text ({self.letters} letters)"
        if self.latin_share < MIN_LATIN_SHARE:
            return f"not Vietnamese text ({self.latin_share:.0%} Latin letters)"
        if self.words >= 5 and self.syllable_share < MIN_SYLLABLE_SHARE:
            return f"not Vietnamese text ({self.syllable_share:.0%} of words are Vietnamese syllables)"
        return ""


def _is_latin(ch: str) -> bool:
    base = unicodedata.normalize("NFD", ch)[0]
    return ("a" <= base <= "z") or ("A" <= base <= "Z") or ch in "đĐ"


def text_quality(texts: list[str]) -> TextQuality:
    """Judge a page from its words' texts."""
    letters = latin = 0
    judged = syllables = 0
    for text in texts:
        for ch in text:
            if ch.isalpha():
                letters += 1
                latin += _is_latin(ch)
        core = _EDGE_PUNCT.sub("", text)
        # judge lower-case and capitalised words: acronyms (UBND, VLNCN) and codes are not syllables anyway
        if core and core.isalpha() and not (core.isupper() and len(core) > 1 and not is_syllable(core)):
            judged += 1
            syllables += is_syllable(core)
    return TextQuality(letters, judged, syllables / judged if judged else 0.0, latin / letters if letters else 0.0)


def page_quality(page: Page) -> TextQuality:
    return text_quality([w.text for w in page.words])
