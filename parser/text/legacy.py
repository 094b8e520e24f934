"""Legacy 8-bit Vietnamese encodings -> Unicode: TCVN3 (ABC) and VNI.

Documents typed before Unicode took over used fonts that draw Vietnamese letters
at Latin-1 code points, so a PDF's text layer reads `KÕ ho¹ch` (TCVN3, fonts
`.VnTime`, `.VnArial`, ...) or `Keá hoaïch` (VNI, fonts `VNI-Times`, ...) where the
page shows `Kế hoạch`.

- TCVN3 puts one letter on one code point. It has no code points for the capital
  letters with tones: those are typed with the upper-case fonts (`.VnTimeH`,
  `.VnArialH`: an `H` after the family name), which draw capitals at the
  lower-case code points. A font named that way is upper-cased after decoding;
  where no font name is known, an all-capital word (`HO¹CH`) is taken for one.
  `ư` sits at 0xAD, the soft hyphen, which some PDF producers map to `-`.
- VNI writes a vowel as its base letter followed by a mark byte (`e` + `á` = `ế`);
  a few letters have one byte of their own (`ñ` = `đ`, `ô` = `ơ`, `ö` = `ư`, the
  toned `i`, `ỵ`).

`detect_legacy(text, font)` names the encoding of a text (font names first, then
statistics: how many words become Vietnamese syllables), `to_unicode(text,
encoding, font)` converts it, `from_unicode(text, encoding)` encodes (for tests),
and `decode_legacy_glyphs(glyphs)` does both per font on a PDF page's glyphs.
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from functools import lru_cache

from parser.read.words import WORD_GAP
from parser.text.repair import is_syllable

ENCODINGS = ("tcvn3", "vni")

# ---------------------------------------------------------------------------------------------------------------
# tables, per base vowel in the order: no tone, grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot (nặng)
_TONE_MARKS = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
_BASES = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")

_TCVN3 = {
    "a": "aµ¶·¸¹", "ă": "¨»¼½¾Æ", "â": "©ÇÈÉÊË",
    "e": "eÌÎÏÐÑ", "ê": "ªÒÓÔÕÖ",
    "i": "i×ØÜÝÞ",
    "o": "oßáâãä", "ô": "«åæçèé", "ơ": "¬êëìíî",
    "u": "uïñòóô", "ư": "\xadõö÷øù",
    "y": "yúûüýþ",
}
# đ, and the only capitals TCVN3 has code points for (the rest need an upper-case font)
_TCVN3_OTHER = {"đ": "®", "Ă": "¡", "Â": "¢", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦", "Đ": "§"}

# VNI: mark bytes after the base letter
_VNI_TONES = "øûõùï"  # grave, hook, tilde, acute, dot
_VNI_CIRCUMFLEX = "âàåãáä"  # circumflex alone, then with each tone
_VNI_BREVE = "êèúüéë"
_VNI = {
    "a": ("a",) + tuple("a" + m for m in _VNI_TONES),
    "ă": tuple("a" + m for m in _VNI_BREVE),
    "â": tuple("a" + m for m in _VNI_CIRCUMFLEX),
    "e": ("e",) + tuple("e" + m for m in _VNI_TONES),
    "ê": tuple("e" + m for m in _VNI_CIRCUMFLEX),
    "i": ("i", "ì", "æ", "ó", "í", "ò"),
    "o": ("o",) + tuple("o" + m for m in _VNI_TONES),
    "ô": tuple("o" + m for m in _VNI_CIRCUMFLEX),
    "ơ": ("ô",) + tuple("ô" + m for m in _VNI_TONES),
    "u": ("u",) + tuple("u" + m for m in _VNI_TONES),
    "ư": ("ö",) + tuple("ö" + m for m in _VNI_TONES),
    "y": ("y",) + tuple("y" + m for m in _VNI_TONES[:4]) + ("î",),
}
_VNI_OTHER = {"đ": "ñ"}


def _letter(base: str, tone: int) -> str:
    return unicodedata.normalize("NFC", base + _TONE_MARKS[tone])


def _build():
    tcvn3_dec: dict[str, str] = {}
    tcvn3_enc: dict[str, str] = {}
    vni_dec: dict[str, str] = {}
    vni_enc: dict[str, str] = {}
    for base in _BASES:
        for tone in range(6):
            lower = _letter(base, tone)
            upper = lower.upper()
            code = _TCVN3[base][tone]
            if code != lower:
                tcvn3_dec[code] = lower
                tcvn3_enc[lower] = code
            if tone or base not in "aeiouy":
                # capitals without a code point of their own: the lower-case code, drawn by an upper-case font
                tcvn3_enc[upper] = code
            seq = _VNI[base][tone]
            if seq != lower:
                vni_dec[seq] = lower
                vni_dec[seq.upper()] = upper
                vni_enc[lower] = seq
                vni_enc[upper] = seq.upper()
                if len(seq) == 2:  # a mark typed in the other case still marks this letter
                    vni_dec[seq[0] + seq[1].upper()] = lower
                    vni_dec[seq[0].upper() + seq[1]] = upper
    for letter, code in _TCVN3_OTHER.items():
        tcvn3_dec[code] = letter
        tcvn3_enc[letter] = code
    for letter, code in _VNI_OTHER.items():
        vni_dec[code], vni_dec[code.upper()] = letter, letter.upper()
        vni_enc[letter], vni_enc[letter.upper()] = code, code.upper()
    return tcvn3_dec, tcvn3_enc, vni_dec, vni_enc


TCVN3_TO_UNICODE, UNICODE_TO_TCVN3, VNI_TO_UNICODE, UNICODE_TO_VNI = _build()
_TCVN3_TABLE = str.maketrans(TCVN3_TO_UNICODE)
_VNI_SINGLE = {k: v for k, v in VNI_TO_UNICODE.items() if len(k) == 1}
_VNI_PAIRS = {k: v for k, v in VNI_TO_UNICODE.items() if len(k) == 2}

# The 134 letters Vietnamese adds to ASCII: 67 lower-case (60 toned vowels, ă â ê ô ơ ư, đ), 67 capitals
_LOWER_LETTERS = sorted({_letter(b, t) for b in _BASES for t in range(6)} - set("aeiouy") | {"đ"})
VIETNAMESE_LETTERS = tuple(_LOWER_LETTERS) + tuple(c.upper() for c in _LOWER_LETTERS)

# Vietnamese letters that Latin-1 has, i.e. the legacy characters that Unicode Vietnamese text also uses
_UNICODE_LATIN1 = frozenset(c for c in VIETNAMESE_LETTERS if ord(c) < 0x100)
# characters of a legacy text layer that Unicode Vietnamese text does not use: a page without any is left alone
_SIGNAL = frozenset((set(TCVN3_TO_UNICODE) | set("".join(VNI_TO_UNICODE))) - _UNICODE_LATIN1 - set(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))
_SIGNAL_RE = re.compile("[" + re.escape("".join(sorted(_SIGNAL))) + "]")
# letters only Unicode Vietnamese has (a legacy text layer is all Latin-1)
_UNICODE_ONLY_RE = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")

_LEGACY_CHARS = frozenset(TCVN3_TO_UNICODE) | (frozenset("".join(VNI_TO_UNICODE)) - frozenset("aeiouyAEIOUY"))
_TCVN3_UPPER = frozenset(_TCVN3_OTHER.values()) - {"®"}
_TCVN3_LOWER = frozenset(TCVN3_TO_UNICODE) - _TCVN3_UPPER


# ---------------------------------------------------------------------------------------------------------------
# font names
_STYLE_SUFFIX = re.compile(r"(?i)[\s_]*(bold|italic|oblique|regular|normal|demi|medium|light|black|heavy|mt|ps)+$")


@lru_cache(maxsize=512)
def font_encoding(font: str) -> tuple[str | None, bool]:
    """(encoding, upper-case font) from a font name: `ABCDEF+.VnTimeH,Bold` -> ("tcvn3", True)."""
    name = (font or "").split("+", 1)[-1].strip()
    if name.startswith("#2E") or name.startswith("#2e"):
        name = "." + name[3:]
    low = name.lower()
    if re.match(r"vni[-_ ]", low) or low.startswith("vni") and len(low) > 3 and name[3:4].isupper():
        return "vni", False
    if low.startswith(".vn") or re.match(r"[Vv]n[A-Z]", name):
        family = re.split(r"[,\-]", name, maxsplit=1)[0]
        family = _STYLE_SUFFIX.sub("", family)
        return "tcvn3", family.endswith("H")
    return None, False


# ---------------------------------------------------------------------------------------------------------------
# Vietnamese words
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_NUCLEI = ("a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uê ui uô uơ "
           "ưa ưi ưu ươ uy ya yê iêu yêu oai oay oao oeo uây uôi ươi ươu uya uyê uyu").split()
_WORD = re.compile(
    r"^(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx])?"
    "(?:" + "|".join(sorted(_NUCLEI, key=len, reverse=True)) + ")"
    r"(ch|ng|nh|[cmnpt])?$"
)


def is_vietnamese_word(word: str) -> bool:
    """A Vietnamese syllable, strictly: known vowel cluster, one tone, only sắc/nặng before p, t, c, ch."""
    if not is_syllable(word):
        return False
    d = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in d if c in _TONES]
    if len(tones) > 1:
        return False
    m = _WORD.match(unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES)))
    if not m:
        return False
    return not (m.group(1) in ("c", "ch", "p", "t") and tones[:1] not in (["\u0301"], ["\u0323"]))


_EDGES = ".,;:!?()[]{}\"'“”‘’…/–—*"


def _tokens(text: str) -> list[str]:
    """Words to judge: no digits, at least one letter (legacy code points count: `§·` is `Đã`)."""
    out = []
    for t in text.split():
        t = t.strip(_EDGES)
        if t and not any("0" <= c <= "9" for c in t) and any(c.isalpha() or c in _LEGACY_CHARS for c in t):
            out.append(t)
    return out


# ---------------------------------------------------------------------------------------------------------------
# decoding
WORD, LINE = 1, 2  # breaks before a unit: a new word, a new line


def _caps_flags(words: list[str], lines: list[int]) -> list[bool]:
    """Which TCVN3 words (no font name known) are capitals typed with lower-case code points: `HO¹CH`, `KÕ HO¹CH`.

    A word with two capitals or more and no ASCII lower-case letter is one; a word with one capital and
    lower-case code points (`KÕ`: `Kế` or `KẾ`) is one when a neighbour on its line is and none is lower-case.
    Codes (`27/KH-L§L§`) are no evidence either way."""
    kinds = []
    for t in words:
        t = t.strip(_EDGES)
        upper = sum(1 for c in t if "A" <= c <= "Z" or c in _TCVN3_UPPER)
        ascii_lower = any("a" <= c <= "z" for c in t)
        legacy_lower = any(c in _TCVN3_LOWER for c in t)
        if not t or any(c in "0123456789/-" for c in t) or not any(c.isalpha() or c in _LEGACY_CHARS for c in t):
            kinds.append("none")
        elif ascii_lower or (upper == 0 and legacy_lower):
            kinds.append("lower")
        elif upper >= 2:
            kinds.append("caps")
        elif upper == 1 and legacy_lower:
            kinds.append("amb")
        else:
            kinds.append("none")
    flags = [k == "caps" for k in kinds]
    for i, k in enumerate(kinds):
        if k != "amb":
            continue
        near = []
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(kinds) and lines[j] == lines[i] and kinds[j] in ("none", "amb"):
                j += step
            if 0 <= j < len(kinds) and lines[j] == lines[i]:
                near.append(kinds[j])
        flags[i] = "caps" in near and "lower" not in near
    return flags


def _upper1(ch: str) -> str:
    u = ch.upper()
    return u if len(u) == len(ch) else ch


def _text_breaks(text: str) -> list[int]:
    out, line = [], False
    for c in text:
        out.append(LINE if line else 0)
        line = c in "\n\r\x0b\x0c\u2028\u2029"
    return out


def _tcvn3_units(units: list[str], breaks: list[int], font: str) -> list[str]:
    """Decode TCVN3 unit by unit (a unit is one glyph's text); `breaks[i]`: WORD or LINE before unit i."""
    enc, upper_font = font_encoding(font)
    out = [u.translate(_TCVN3_TABLE) for u in units]
    # words: runs of units between spaces and breaks, with their line numbers
    words: list[tuple[int, int]] = []
    lines: list[int] = []
    start, line = None, 0
    for i, u in enumerate(units):
        line += breaks[i] == LINE
        if u.isspace() or breaks[i]:
            if start is not None:
                words.append((start, i))
            start = None if u.isspace() else i
        elif start is None:
            start = i
        if start == i:
            lines.append(line)
    if start is not None:
        words.append((start, len(units)))
    for a, b in words:
        # `ư` that a producer mapped to a hyphen: `tr-êng` -> `trường`, but not `KH-UBND`, `Nam-Định`
        for i in range(a, b):
            if out[i] == "-":
                left = right = ""
                j = i - 1
                while j >= a and out[j].isalpha():
                    left, j = out[j] + left, j - 1
                j = i + 1
                while j < b and out[j].isalpha():
                    right, j = right + out[j], j + 1
                if (left or right) and is_vietnamese_word(left + "ư" + right) and not (
                        is_vietnamese_word(left) and is_vietnamese_word(right)):
                    out[i] = "ư"
    if upper_font:
        return ["".join(_upper1(c) for c in u) for u in out]
    if enc != "tcvn3" and words:
        for (a, b), caps in zip(words, _caps_flags(["".join(units[a:b]) for a, b in words], lines)):
            if caps:
                for i in range(a, b):
                    out[i] = "".join(_upper1(c) for c in out[i])
    return out


def _vni_units(units: list[str], breaks: list[int]) -> list[tuple[int, int, str]]:
    """Decode VNI: (first unit, units taken, text); a mark unit joins the letter before it."""
    out = []
    i, n = 0, len(units)
    while i < n:
        u = units[i]
        if (len(u) == 1 and i + 1 < n and not breaks[i + 1] and len(units[i + 1]) == 1
                and u + units[i + 1] in _VNI_PAIRS):
            out.append((i, 2, _VNI_PAIRS[u + units[i + 1]]))
            i += 2
            continue
        out.append((i, 1, _vni_string(u) if len(u) > 1 else _VNI_SINGLE.get(u, u)))
        i += 1
    return out


def _vni_string(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        pair = text[i:i + 2]
        if pair in _VNI_PAIRS:
            out.append(_VNI_PAIRS[pair])
            i += 2
        else:
            out.append(_VNI_SINGLE.get(text[i], text[i]))
            i += 1
    return "".join(out)


def to_unicode(text: str, encoding: str | None, font: str = "") -> str:
    """Convert a TCVN3 or VNI text to Unicode (NFC); `font` tells a TCVN3 upper-case font (`.VnTimeH`)."""
    if encoding is None:
        return text
    if encoding == "tcvn3":
        return unicodedata.normalize("NFC", "".join(_tcvn3_units(list(text), _text_breaks(text), font)))
    if encoding == "vni":
        return unicodedata.normalize("NFC", _vni_string(text))
    raise ValueError(f"unknown legacy encoding {encoding!r}; choose one of {ENCODINGS}")


def from_unicode(text: str, encoding: str) -> str:
    """Unicode -> TCVN3 or VNI code points. TCVN3 writes toned capitals with the lower-case code points
    (the convention of its upper-case fonts, `.VnTimeH`): decode those with such a font name."""
    table = {"tcvn3": UNICODE_TO_TCVN3, "vni": UNICODE_TO_VNI}[encoding]
    return "".join(table.get(c, c) for c in unicodedata.normalize("NFC", text))


def tcvn3_needs_upper_font(ch: str) -> bool:
    """A capital TCVN3 can only draw with an upper-case font (`Ế`), not `Ă Â Ê Ô Ơ Ư Đ` or ASCII."""
    return ch.isupper() and ch in UNICODE_TO_TCVN3 and ch not in _TCVN3_OTHER


# ---------------------------------------------------------------------------------------------------------------
# detection
_VIETNAMESE = frozenset(VIETNAMESE_LETTERS)


def _foreign(word: str) -> bool:
    """A word with a non-ASCII character that is no Vietnamese letter: `ng‡y`, `CÙng`."""
    return any(c >= "\x80" and c not in _VIETNAMESE for c in word)


def _evidence(tokens: list[str], encoding: str) -> tuple[int, int, int, int]:
    """(words the encoding changes, of those Vietnamese before, Vietnamese after,
    words still foreign after conversion)."""
    changed = before = after = foreign = 0
    for t in tokens:
        if t.isascii() and "-" not in t:
            continue  # neither encoding changes it, nor is it foreign
        u = to_unicode(t, encoding)
        foreign += _foreign(u)
        if u == t:
            continue
        changed += 1
        before += is_vietnamese_word(t)
        after += is_vietnamese_word(u)
    return changed, before, after, foreign


def _accept(evidence: tuple[int, int, int, int], min_gain: int = 1) -> int:
    """The gain in Vietnamese words when it is convincing, else 0. A converted text still full of foreign
    characters is another encoding altogether (a Mac-Roman layer reads `Gi·m` for `Giám`, TCVN3 `Giãm`)."""
    changed, before, after, foreign = evidence
    gain = after - before
    if (not changed or gain < min_gain or after < 0.6 * changed or gain < 0.25 * changed
            or foreign > 0.1 * changed):
        return 0
    return gain


def _choose(tokens: list[str], min_gain: int = 1) -> str | None:
    best, best_gain, second = None, 0, 0
    for enc in ENCODINGS:
        gain = _accept(_evidence(tokens, enc), min_gain)
        if gain > best_gain:
            best, best_gain, second = enc, gain, best_gain
        else:
            second = max(second, gain)
    return best if best_gain > second else None


def _unicode_already(text: str) -> bool:
    """Letters only Unicode Vietnamese has outnumber the legacy-only characters."""
    uni = len(_UNICODE_ONLY_RE.findall(text))
    return uni > 0 and uni >= len(_SIGNAL_RE.findall(text))


def detect_legacy(text: str, font: str = "") -> str | None:
    """The encoding of a text: `tcvn3`, `vni`, or None (Unicode, or not Vietnamese at all).

    By the font's name when it is a legacy one (`.VnTime`, `VNI-Times`), else by statistics: how many more
    words are Vietnamese syllables after conversion than before, with no foreign characters left over."""
    if not text or _unicode_already(text):
        return None
    by_name, _ = font_encoding(font)
    if by_name:
        return by_name
    if not _SIGNAL_RE.search(text):
        return None
    return _choose(_tokens(text))


# ---------------------------------------------------------------------------------------------------------------
# PDF glyphs
def _breaks(glyphs) -> list[int]:
    """Before each glyph (in stream order): LINE (another line, or back to the left), WORD (a gap) or 0."""
    out = [LINE]
    for prev, g in zip(glyphs, glyphs[1:]):
        size = max(g.size, prev.size, 1.0)
        if abs(g.baseline - prev.baseline) > 0.3 * size or g.x1 < prev.x0 - size:
            out.append(LINE)
        else:
            out.append(WORD if g.x0 - prev.x1 > WORD_GAP * size else 0)
    return out


def _font_text(units: list[str], breaks: list[int]) -> str:
    return "".join(("\n" + u if b == LINE else " " + u) if b else u for u, b in zip(units, breaks))


def decode_legacy_glyphs(glyphs: list) -> list:
    """Glyphs of TCVN3 or VNI fonts -> Unicode, font by font; other glyphs untouched.

    Returns the same list when nothing is legacy (a Unicode page costs one scan of its text).
    A VNI mark glyph is merged into the letter before it (its box extends the letter's)."""
    if not glyphs:
        return glyphs
    fonts = {g.font for g in glyphs}
    named = {f for f in fonts if font_encoding(f)[0]}
    if not named and not _SIGNAL_RE.search("".join(g.text for g in glyphs)):
        return glyphs
    groups: dict[str, list[int]] = {}
    for i, g in enumerate(glyphs):
        groups.setdefault(g.font, []).append(i)
    decided: dict[str, str] = {}
    weak: dict[str, list[str]] = {}
    info = {}
    for font, idx in groups.items():
        own = [glyphs[i] for i in idx]
        units = [g.text for g in own]
        breaks = _breaks(own)
        text = _font_text(units, breaks)
        info[font] = (idx, units, breaks)
        if _unicode_already(text):
            continue
        if font in named:
            decided[font] = font_encoding(font)[0]
            continue
        if not _SIGNAL_RE.search(text):
            continue
        tokens = _tokens(text)
        enc = _choose(tokens, min_gain=2)
        if enc:
            decided[font] = enc
        else:
            weak[font] = tokens
    # fonts with too few words to tell go with the page's other legacy fonts, if that does no harm
    page_encs = set(decided.values())
    if weak and len(page_encs) == 1:
        enc = page_encs.pop()
        for font, tokens in weak.items():
            if _accept(_evidence(tokens, enc)):
                decided[font] = enc
    if not decided:
        return glyphs
    out: list = list(glyphs)
    drop: set[int] = set()
    for font, enc in decided.items():
        idx, units, breaks = info[font]
        if enc == "tcvn3":
            for i, text in zip(idx, _tcvn3_units(units, breaks, font)):
                if text != glyphs[i].text:
                    out[i] = dataclasses.replace(glyphs[i], text=text)
        else:
            for start, count, text in _vni_units(units, breaks):
                i = idx[start]
                if count == 1:
                    if text != glyphs[i].text:
                        out[i] = dataclasses.replace(glyphs[i], text=text)
                    continue
                k = idx[start + 1]
                base, mark = glyphs[i], glyphs[k]
                x1 = max(base.x1, mark.x1)
                after = glyphs[k + 1] if k + 1 < len(glyphs) else None
                if after is not None and abs(after.baseline - base.baseline) < 0.3 * max(base.size, 1.0) \
                        and base.x0 < after.x0 < x1:
                    x1 = max(base.x1, after.x0)  # a mark that does not advance: its ink is no part of the box
                out[i] = dataclasses.replace(base, text=text, x1=x1)
                drop.add(k)
    if drop:
        return [g for i, g in enumerate(out) if i not in drop]
    return out if any(o is not g for o, g in zip(out, glyphs)) else glyphs
