"""Post-OCR repair: put back the marks Tesseract loses, using the closed set of Vietnamese syllables.

Tesseract's Vietnamese model mostly errs on the marks: the tone above a circumflex
vanishes (`châp`, `kiêm`), a grave turns acute (`GIẦY`), a letter is read twice
(`biểỂu`). Vietnamese is written in a closed set of syllables, so a word is only changed
when it cannot be right and one reading with the same letters can, or when it is a real
syllable that pairs with neither neighbour while exactly one such reading does (`thĩ đua`
-> `thi đua`, `kiêm tra` -> `kiểm tra`). Letters are never changed, only their marks.
"""
from __future__ import annotations

import os
import re
import threading
import unicodedata

from parser.read.pagemodel import Word
from parser.text.repair import is_syllable

# a real syllable is re-read from its neighbours only when Tesseract was unsure of it
CONTEXT_CONFIDENCE = 80.0
CAPS_CONTEXT_CONFIDENCE = 90.0  # capitals: the marks over them are confused more often

_TONES = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
_QUALITY = {"\u0302", "\u0306", "\u031b"}  # â ê ô / ă / ơ ư
_CHAR_FIXES = str.maketrans({"\u2044": "/", "\u2215": "/", "\u00d0": "\u0110", "\u00f0": "\u0111", "\u0189": "\u0110"})
EDGE = re.compile(r"^([\W_]*)(.*?)([\W_]*)$", re.S)
# phrases of administrative writing the general word list lacks
DOMAIN_PHRASES = (
    "vật liệu nổ công nghiệp", "tiền chất thuốc nổ", "ủy ban nhân dân tỉnh", "ủy ban nhân dân huyện", "tỉnh ủy",
    "tỉnh lào cai", "tỉnh nam định", "thuốc nổ", "nổ mìn", "lào cai", "công thương", "ủy ban nhân dân",
    "chủ tịch", "phó chủ tịch", "kế hoạch", "quyết định", "giấy phép", "thông báo", "công văn", "tờ trình",
    "đoàn kiểm tra", "trưởng đoàn", "nơi nhận", "kính gửi", "căn cứ", "thi đua", "khen thưởng", "liên đoàn lao động",
    "sở công thương", "giám đốc", "phó giám đốc", "an toàn", "hóa chất", "sản xuất", "kinh doanh", "doanh nghiệp",
    # family names, so that a name in capitals is not "corrected" into a word
    "nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đinh trịnh đoàn lương mai cao tạ hà lâm",
)


def _skeleton(word: str) -> str:
    """Letters without any mark: `Quyết` -> `quyet`, `đốc` -> `doc`."""
    d = unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
    return "".join(c for c in d if not unicodedata.combining(c))


def _marks(word: str) -> tuple[str, list[str]]:
    """(tone, vowel marks in order) of a lower-case syllable."""
    d = unicodedata.normalize("NFD", word)
    return "".join(_TONES.get(c, "") for c in d), [c for c in d if c in _QUALITY] + (["đ"] if "đ" in word else [])


def tone_ok(word: str) -> bool:
    """Syllables closed by p, t, c, ch carry only the acute or the dot below (`chấp`, `tịch`, not `châp`)."""
    w = word.lower()
    if not re.search(r"(p|t|c|ch)$", _skeleton(w)):
        return True
    return _marks(w)[0] in ("s", "j")


class _Lexicon:
    def __init__(self) -> None:
        self.syllables: set[str] = set()
        self.pairs: set[tuple[str, str]] = set()
        self.by_skeleton: dict[str, list[str]] = {}

    def add(self, phrase: str) -> None:
        self.add_lines(phrase)

    def add_lines(self, text: str) -> None:
        """Each line a phrase: its syllables, and the pairs of neighbours."""
        syllables, pairs = self.syllables, self.pairs
        for line in unicodedata.normalize("NFC", text.lower()).split("\n"):
            sy = _SYLLABLE_RUN.findall(line)
            if not all(map(str.isalpha, sy)):
                sy = [s for s in sy if s.isalpha()]
            syllables.update(sy)
            if len(sy) > 1:
                pairs.update(zip(sy, sy[1:]))


_SYLLABLE_RUN = re.compile(r"\w+")


def _viet74k() -> str:
    """underthesea's word list, found without importing underthesea (which takes 0.4 s)."""
    from importlib.util import find_spec

    spec = find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        raise OSError("underthesea is not installed")
    path = os.path.join(next(iter(spec.submodule_search_locations)), "corpus", "data", "Viet74K.txt")
    with open(path, encoding="utf-8") as fh:
        return fh.read()


_LEXICON: _Lexicon | None = None
_LEXICON_LOCK = threading.Lock()


def lexicon() -> _Lexicon:
    """Vietnamese syllables and the syllable pairs that make words: underthesea's word list
    (Viet74K) and the project's own vocabularies; empty where neither can be read."""
    global _LEXICON
    with _LEXICON_LOCK:
        if _LEXICON is not None:
            return _LEXICON
        lex = _Lexicon()
        try:
            lex.add_lines(_viet74k())
        except OSError:
            pass
        import csv
        from importlib import resources

        for name, cols in (("doc_types.csv", ("name",)), ("movements.csv", ("official_name_vi", "variants")),
                           ("commemorations.csv", ("canonical_name_vi", "variants"))):
            try:
                with resources.files("parser.data").joinpath(name).open(encoding="utf-8") as fh:
                    for row in csv.DictReader(fh):
                        for col in cols:
                            for phrase in (row.get(col) or "").split("|"):
                                lex.add(phrase)
            except (OSError, FileNotFoundError):
                pass
        for phrase in DOMAIN_PHRASES:
            lex.add(phrase)
        for syl in lex.syllables:
            if is_syllable(syl) and tone_ok(syl):
                lex.by_skeleton.setdefault(_skeleton(syl), []).append(syl)
        _LEXICON = lex
        return lex


def _with_case(template: str, word: str) -> str:
    if template.isupper():
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _mark_distance(a: str, b: str) -> int:
    ta, qa = _marks(a)
    tb, qb = _marks(b)
    return (ta != tb) + sum(1 for x, y in zip(qa + [""] * 3, qb + [""] * 3) if x != y)


def _collapse_double(core: str) -> str | None:
    """`biểỂu` -> `biểu`: one vowel read twice (the second copy often in the wrong case)."""
    for i in range(len(core) - 1):
        a, b = core[i], core[i + 1]
        if a.isalpha() and _skeleton(a) == _skeleton(b) and _skeleton(a) in "aeiouy" and a != b:
            for cand in (core[:i + 1] + core[i + 2:], core[:i] + core[i + 1:]):
                if is_syllable(cand.lower()) and tone_ok(cand):
                    return cand[:i] + cand[i:].lower() if not core.isupper() else cand
    return None


def _bare_hat(word: str) -> bool:
    """A syllable with â, ê or ô and no tone: where a lost mark above is the usual misreading."""
    tone, quality = _marks(word)
    return not tone and "\u0302" in quality




def fix_word(core: str, prev: str, nxt: str, lex: _Lexicon, confidence: float | None = None) -> str:
    """The repaired spelling of one alphabetic word between two neighbours (lower-case cores)."""
    if not core.isalpha() or len(core) > 8:
        return core
    if not core.isupper() and any(c.isupper() for c in core[1:]):
        lowered = core[0] + core[1:].lower()  # `CaI` -> `Cai`
        if is_syllable(lowered):
            core = lowered
    low = unicodedata.normalize("NFC", core.lower())
    valid = is_syllable(low) and tone_ok(low)
    if not valid and not is_syllable(low):
        collapsed = _collapse_double(core)
        return collapsed or core
    if not lex.syllables:
        return core
    if valid and ((prev, low) in lex.pairs or (low, nxt) in lex.pairs):
        return core
    candidates = [c for c in lex.by_skeleton.get(_skeleton(low), ()) if c != low]
    if valid:
        # a real syllable that makes a word with neither neighbour: only a lost mark above a
        # circumflex (`kiêm tra`), or a word Tesseract itself doubted (`thĩ đua`, 62%), is re-read
        if _bare_hat(low):
            candidates = [c for c in candidates if _marks(c)[1] == _marks(low)[1] and _marks(c)[0] in "sfrx"]
        elif (core.isupper() and low in lex.syllables or not core.isupper()) and \
                (confidence is None or confidence >= (CAPS_CONTEXT_CONFIDENCE if core.isupper() else CONTEXT_CONFIDENCE)):
            # a known word, or a name (`Thuân`); in capitals the marks are often confused (`KÉ HOẠCH`, 84%)
            return core
        candidates = [c for c in candidates if _mark_distance(low, c) <= 1]
    if not candidates:
        return core

    def support(c: str) -> int:
        return ((prev, c) in lex.pairs) + ((c, nxt) in lex.pairs)

    scored = sorted(((support(c), -_mark_distance(low, c), c) for c in candidates), reverse=True)
    best = scored[0]
    tied = [x for x in scored if x[:2] == best[:2]]
    if best[0] > 0 and len(tied) == 1:
        return _with_case(core, best[2])
    if valid or (core.isupper() and low == _skeleton(low)):
        return core  # a real syllable; or an acronym (`DAP`) rather than a word that lost its marks
    # closed by p/t/c/ch without acute or dot: the mark above was lost, so the acute first
    toned = [c for c in candidates if _marks(c)[1] == _marks(low)[1]]
    for want in ("s", "j"):
        pick = [c for c in toned if _marks(c)[0] == want]
        if len(pick) == 1:
            return _with_case(core, pick[0])
    return core


# a document symbol whose slash was lost: `26.06GĐN-MB` -> `26.06/GĐN-MB`
_SYMBOL_NO_SLASH = re.compile(r"^(\d+(?:[.]\d+)?)([A-ZĐ]{2,}(?:-[A-ZĐ]+)+)$")


def repair_words(words: list[Word]) -> list[Word]:
    """Fix what Tesseract clearly misread, in place; returns the words."""
    lex = lexicon()
    parts = []
    for w in words:
        w.text = unicodedata.normalize("NFC", w.text.translate(_CHAR_FIXES))
        m = EDGE.match(w.text)
        parts.append((m.group(1), m.group(2), m.group(3)) if m else ("", w.text, ""))
    lows = [p[1].lower() for p in parts]
    for i, (w, (lead, core, trail)) in enumerate(zip(words, parts)):
        prev = lows[i - 1] if i > 0 and not parts[i - 1][2] else ""
        nxt = lows[i + 1] if i + 1 < len(words) and not trail else ""
        fixed = _SYMBOL_NO_SLASH.sub(r"\1/\2", core) if core[:1].isdigit() else fix_word(core, prev, nxt, lex, w.confidence)
        if fixed != core:
            w.text = lead + fixed + trail
            lows[i] = fixed.lower()
    return words
