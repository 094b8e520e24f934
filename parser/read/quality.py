"""Is a page's text layer worth reading, or must the page be OCRed?

A text layer can be missing (a scan), thin (a scan with a stamped number), or
present but broken: fonts whose glyphs map to the wrong code points give
`6ӕ 1050 4Ĉ6&7` for `Số 1050/QĐ-SCT`, and a scanner's own OCR hidden under the
page image gives `CQNG HOA XA HOr CHir NGHIA`.

The question is not "is it Vietnamese" but "do the characters form real words":
- a Vietnamese page is judged by how many of its words are Vietnamese syllables
  (`parser.text.repair.is_syllable`);
- a page in another language (an English or German annex, a foreign partner's
  letter) has almost no Vietnamese syllables, so it is judged by word shape,
  without a dictionary: every word has a vowel, one script, no digit or stray
  symbol between its letters, the case pattern of a real word (`word`, `Word`,
  `WORD`), and the page's vowels make up a natural share of its letters;
- on any page, glyphs that map to no printable character (U+FFFD, private-use
  code points, control characters) mark a font without a usable Unicode map.
A page whose text has Vietnamese-only letters (ư, ơ, ă, đ, a dot below, a hook
above) is Vietnamese: word shape cannot rescue it when its syllables are wrong,
since broken Vietnamese fonts produce exactly such letters in the wrong places.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from parser.read.pagemodel import Page
from parser.text.repair import is_syllable

# a page with fewer letters than this has no text layer to speak of
MIN_LETTERS = 40
# share of alphabetic words that must be Vietnamese syllables (real pages: 0.8-0.95; broken fonts: < 0.5)
MIN_SYLLABLE_SHARE = 0.6
# share of letters that must be Latin letters
MIN_LATIN_SHARE = 0.9
# share of judged words that must have the shape of a word (English/German/French pages: 0.95-1.0;
# hidden OCR layers and broken fonts: 0.4-0.7)
MIN_WORDLIKE_SHARE = 0.85
# the same for a Vietnamese page, besides its syllables (real pages: 0.89-1.0; broken: <= 0.61)
MIN_WORDLIKE_SHARE_VI = 0.75
# share of words with a Vietnamese-only letter above which the page is taken for Vietnamese
# (foreign text: 0; Vietnamese text: 0.4-0.7, broken Vietnamese fonts: 0.1-0.5)
VIETNAMESE_MARKS_SHARE = 0.05
# share of characters that map to nothing printable (U+FFFD, private use, controls) that breaks a page
MAX_BAD_GLYPH_SHARE = 0.02
# natural share of vowels among Latin letters (English ~0.38, German ~0.36, Vietnamese ~0.42)
VOWEL_SHARE_RANGE = (0.25, 0.65)

_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")
_VOWELS = set("aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœăơưāēīōū")
# marks and letters no other Latin-script language writes this way
_VI_MARKS = {"\u0323", "\u0309", "\u031b"}  # dot below, hook above, horn
_VI_LETTERS = set("ăĂđĐ")
# inside a word: apostrophes and hyphens are fine (don't, Baden-Württemberg), other symbols are not
_INNER_OK = set("'’-.")


@dataclass(frozen=True, slots=True)
class TextQuality:
    letters: int  # alphabetic characters on the page
    words: int  # alphabetic words judged
    syllable_share: float  # of those words, the share that are Vietnamese syllables
    latin_share: float  # of the letters, the share that are Latin letters (with Vietnamese marks)
    wordlike_share: float = 1.0  # of the words with letters, the share shaped like a word of some language
    vietnamese_share: float = 0.0  # of the words with letters, the share with a Vietnamese-only letter
    bad_glyph_share: float = 0.0  # of the characters, the share that map to nothing printable
    vowel_share: float = 0.4  # of the Latin letters, the share that are vowels
    shaped: int = 0  # words judged for shape

    @property
    def usable(self) -> bool:
        return self.reason == ""

    @property
    def language(self) -> str:
        """"vi" when the page reads as Vietnamese, "other" for another language ("" when unreadable)."""
        if not self.usable:
            return ""
        return "vi" if self._vietnamese_ok else "other"

    @property
    def reads_well(self) -> float:
        """How well the layer reads, 0..1, in its own language's terms (syllables or word shapes)."""
        return self.syllable_share if self.language == "vi" else self.wordlike_share

    @property
    def _vietnamese_ok(self) -> bool:
        return self.words < 5 or (self.syllable_share >= MIN_SYLLABLE_SHARE and self.wordlike_share >= MIN_WORDLIKE_SHARE_VI)

    @property
    def _other_language_ok(self) -> bool:
        return (self.vietnamese_share < VIETNAMESE_MARKS_SHARE and self.wordlike_share >= MIN_WORDLIKE_SHARE
                and VOWEL_SHARE_RANGE[0] <= self.vowel_share <= VOWEL_SHARE_RANGE[1])

    @property
    def reason(self) -> str:
        """Why the text layer is not usable ("" when it is)."""
        if self.bad_glyph_share > MAX_BAD_GLYPH_SHARE:
            return f"unreadable text layer ({self.bad_glyph_share:.0%} of the glyphs map to no letter)"
        if self.letters == 0:
            return "no text layer"
        if self.letters < MIN_LETTERS:
            return f"too little text ({self.letters} letters)"
        if self.latin_share < MIN_LATIN_SHARE:
            return f"unreadable text layer ({self.latin_share:.0%} Latin letters)"
        if self._vietnamese_ok and self.vietnamese_share >= VIETNAMESE_MARKS_SHARE:
            return ""
        if self._other_language_ok:
            return ""
        if self._vietnamese_ok and self.wordlike_share >= MIN_WORDLIKE_SHARE:
            return ""  # Vietnamese written without its marks, codes and names: readable as it is
        return (f"unreadable text layer ({self.wordlike_share:.0%} of words are shaped like words, "
                f"{self.syllable_share:.0%} are Vietnamese syllables)")


def _is_latin(ch: str) -> bool:
    base = unicodedata.normalize("NFD", ch)[0]
    return ("a" <= base <= "z") or ("A" <= base <= "Z") or ch in "đĐ" or base in "ßæœøÆŒØ"


def _script(ch: str) -> str:
    if _is_latin(ch):
        return "latin"
    try:
        return unicodedata.name(ch).split(" ", 1)[0]  # CYRILLIC, GREEK, ARABIC, CJK, ...
    except ValueError:
        return "?"


def _bad_glyph(ch: str) -> bool:
    if ch == "\ufffd":
        return True
    cat = unicodedata.category(ch)
    return cat in ("Cc", "Co", "Cn", "Cs") and not ch.isspace()


def _vietnamese_only(word: str) -> bool:
    return any(c in _VI_LETTERS for c in word) or any(c in _VI_MARKS for c in unicodedata.normalize("NFD", word))


def _base(ch: str) -> str:
    return unicodedata.normalize("NFD", ch)[0].lower()


def is_wordlike(core: str) -> bool | None:
    """Whether a token (edge punctuation stripped) is shaped like a word of some language;
    None for tokens that say nothing either way (numbers, codes, acronyms, single letters)."""
    letters = [c for c in core if c.isalpha()]
    if not letters:
        return None
    if any(_bad_glyph(c) for c in core):
        return False
    if len({_script(c) for c in letters}) > 1:
        return False  # Latin and Cyrillic in one word: a font that maps glyphs to the wrong code points
    inner = core
    for i, c in enumerate(inner):
        if c.isalpha():
            continue
        if c.isdigit():
            # a digit between two letters, one of them lower-case (`H4nh`, `C6ng`); codes are upper-case (`B52`, `A4`)
            prev = inner[i - 1] if i else ""
            nxt = inner[i + 1] if i + 1 < len(inner) else ""
            if prev.isalpha() and nxt.isalpha() and (prev.islower() or nxt.islower()):
                return False
            continue
        if c not in _INNER_OK and c not in "/:&+_" :
            return False  # a stray symbol between letters (`L¿O`, `C‘NG`, `H“A`)
        if c in "&+" and any(x.islower() for x in letters):
            return False  # `&+Ӫ`, `+ҥQK`: not AT&T
    if any(c.isdigit() for c in core) or any(c in "/:&+_" for c in core):
        return None  # a code or a reference (`QĐ-UBND`, `05A:2020/BCT`)
    if len(letters) == 1:
        return None
    word = "".join(letters)
    if word.isupper():
        if len(word) <= 5:
            return None  # an acronym (UBND, PCCC, HTML)
        return any(_base(c) in _VOWELS for c in word)
    # case: word, Word, and acronym plurals (PDFs); not `HOr`, `DQc`, `ceNG`
    rest = word[1:]
    if not (rest.islower() or (word[:-1].isupper() and word[-1] == "s")):
        if not re.fullmatch(r"(?:[A-Z][a-z]+)+", word):  # McDonald, LibreOffice
            return False
    if _script(word[0]) == "latin" and not any(_base(c) in _VOWELS for c in word):
        return len(word) <= 3 and word[0].isupper()  # Mr, Dr, St; not `lfp`, `Trp`
    return True


@lru_cache(maxsize=1 << 16)
def _token(text: str) -> tuple[int, int, int, int, int, int, int, int, int, int, int]:
    """What one token adds to a page's counts (tokens repeat a lot: each is judged once):
    chars, bad glyphs, letters, Latin letters, vowels, has letters, Vietnamese-only, shaped, word-like, judged, syllable."""
    chars = bad = letters = latin = vowels = 0
    # a lone symbol-font glyph (a Wingdings box or bullet, U+F0A8) is a bullet, not a broken font
    symbol = len(text) <= 2 and all(_bad_glyph(ch) for ch in text)
    for ch in text:
        chars += 1
        if _bad_glyph(ch):
            bad += not symbol
        elif ch.isalpha():
            letters += 1
            if _is_latin(ch):
                latin += 1
                vowels += _base(ch) in _VOWELS
    core = _EDGE_PUNCT.sub("", text)
    if not core or not any(c.isalpha() for c in core):
        return chars, bad, letters, latin, vowels, 0, 0, 0, 0, 0, 0
    shape = is_wordlike(core)
    # judge lower-case and capitalised words: acronyms (UBND, VLNCN) and codes are not syllables anyway
    judged = core.isalpha() and not (core.isupper() and len(core) > 1 and not is_syllable(core))
    return (chars, bad, letters, latin, vowels, 1, int(_vietnamese_only(core)), int(shape is not None), int(bool(shape)),
            int(judged), int(judged and is_syllable(core)))


def text_quality(texts: list[str]) -> TextQuality:
    """Judge a page from its words' texts."""
    totals = [0] * 11
    for text in texts:
        for k, v in enumerate(_token(text)):
            totals[k] += v
    chars, bad, letters, latin, vowels, with_letters, vietnamese, shaped, wordlike, judged, syllables = totals
    return TextQuality(
        letters=letters, words=judged,
        syllable_share=syllables / judged if judged else 0.0,
        latin_share=latin / letters if letters else 0.0,
        wordlike_share=wordlike / shaped if shaped >= 5 else 1.0,
        vietnamese_share=vietnamese / with_letters if with_letters else 0.0,
        bad_glyph_share=bad / chars if chars else 0.0,
        vowel_share=vowels / latin if latin else 0.4,
        shaped=shaped)


def page_quality(page: Page, words=None) -> TextQuality:
    """Judge a page's text layer (or the given subset of its words)."""
    return text_quality([w.text for w in (page.words if words is None else words)])
