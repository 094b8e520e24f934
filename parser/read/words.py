"""Characters with boxes -> words, the same way for every PDF reader.

Readers hand over plain character tuples; this module groups them into visual
lines and cuts the lines into words at spaces and gaps. Glyphs that a producer
drew out of order (LibreOffice draws fallback-font letters such as `Ổ` after the
rest of the line) land back in place because each line is sorted by x.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from operator import attrgetter

from parser.read.pagemodel import Word

# a gap wider than this many ems between two letters separates words
WORD_GAP = 0.12


@dataclass(slots=True)
class Glyph:
    """One character. `baseline` is measured from the page top, like `top`."""

    text: str
    x0: float
    baseline: float
    x1: float
    size: float
    font: str
    bold: bool = False
    italic: bool = False

    # Boxes from the baseline and the size, not from each font's ascent and descent:
    # fallback fonts (DejaVu letters inside a Liberation line) then share the line's box.
    @property
    def top(self) -> float:
        return self.baseline - 0.8 * self.size

    @property
    def bottom(self) -> float:
        return self.baseline + 0.22 * self.size


def style_of(fontname: str) -> tuple[bool, bool]:
    """Bold / italic from a PostScript font name such as `ABCDEF+TimesNewRomanPS-BoldItalicMT`."""
    name = fontname.split("+", 1)[-1].lower()
    bold = any(k in name for k in ("bold", "black", "heavy", "semibold", ",b", "-b"))
    italic = any(k in name for k in ("italic", "oblique", ",i"))
    return bold, italic


def _group_lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs whose baselines are close belong to one line."""
    glyphs = sorted(glyphs, key=attrgetter("baseline"))
    lines: list[list[Glyph]] = []
    cur: list[Glyph] = []
    cur_mid = cur_size = 0.0
    for g in glyphs:
        mid = g.baseline
        drift = abs(mid - cur_mid)
        # the tolerance is at least 0.3 pt: most glyphs of a line sit within it, without working it out
        if cur and (drift <= 0.3 or drift <= 0.3 * max(cur_size, g.size, 1.0)):
            cur.append(g)
            # running mean keeps long lines with slight baseline drift together
            cur_mid += (mid - cur_mid) / len(cur)
            if g.size > cur_size:
                cur_size = g.size
        else:
            if cur:
                lines.append(cur)
            cur, cur_mid, cur_size = [g], mid, g.size
    if cur:
        lines.append(cur)
    return lines


def _flush(chars: list[Glyph], out: list[Word]) -> None:
    if not chars:
        return
    text = "".join([c.text for c in chars])
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if not text.strip():
        return
    # this runs for every word of every page: built-in min/max over lists beat a loop of comparisons
    sizes = sorted([c.size for c in chars])
    n = len(chars)
    bold = sum([c.bold for c in chars]) * 2 >= n
    italic = sum([c.italic for c in chars]) * 2 >= n
    out.append(Word(text=text, x0=min([c.x0 for c in chars]), top=min([c.baseline - 0.8 * c.size for c in chars]),
                    x1=max([c.x1 for c in chars]), bottom=max([c.baseline + 0.22 * c.size for c in chars]),
                    size=sizes[n // 2], bold=bold, italic=italic, font=chars[0].font))


def _centre_if_combining(g: Glyph) -> float:
    return (g.x0 + g.x1) / 2 if unicodedata.combining(g.text[:1]) else g.x0


def words_from_glyphs(glyphs: list[Glyph]) -> list[Word]:
    """Group glyphs into lines, then split each line into words at spaces and wide gaps."""
    words: list[Word] = []
    combining = unicodedata.combining
    for line in _group_lines([g for g in glyphs if g.x1 > g.x0 or g.text.isspace()]):
        # a combining mark drawn as its own glyph sorts by its centre, i.e. after its base letter
        if any(map(combining, "".join([g.text for g in line]))):
            line.sort(key=_centre_if_combining)
        else:
            line.sort(key=attrgetter("x0"))
        chars: list[Glyph] = []
        prev: Glyph | None = None
        for g in line:
            if g.text.isspace() or g.text in ("\ufffe", "\x00"):
                _flush(chars, words)
                chars, prev = [], None
                continue
            if prev is not None:
                gap = g.x0 - prev.x1
                # a space in Times-like fonts is ~0.25em; letters inside a word sit closer. Both limits
                # scale with sizes of at least 1 pt, so a gap between them needs no closer look.
                if (gap > WORD_GAP or gap < -0.6) and not combining(g.text[:1]) and (
                        gap > WORD_GAP * max(g.size, prev.size, 1.0) or gap < -0.6 * max(g.size, 1.0)):
                    _flush(chars, words)
                    chars = []
            chars.append(g)
            prev = g
        _flush(chars, words)
    return words
