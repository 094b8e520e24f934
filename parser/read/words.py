"""Characters with boxes -> words, the same way for every PDF reader.

Readers hand over plain character tuples; this module groups them into visual
lines and cuts the lines into words at spaces and gaps. Glyphs that a producer
drew out of order (LibreOffice draws fallback-font letters such as `Ổ` after the
rest of the line) land back in place because each line is sorted by x.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

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
    glyphs = sorted(glyphs, key=lambda g: g.baseline)
    lines: list[list[Glyph]] = []
    cur: list[Glyph] = []
    cur_mid = cur_size = 0.0
    for g in glyphs:
        mid = g.baseline
        if cur and abs(mid - cur_mid) <= 0.3 * max(cur_size, g.size, 1.0):
            cur.append(g)
            # running mean keeps long lines with slight baseline drift together
            cur_mid += (mid - cur_mid) / len(cur)
            cur_size = max(cur_size, g.size)
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
    text = "".join(c.text for c in chars)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if not text.strip():
        return
    # one pass over the letters (this runs for every word of every page): box, and the majority's style and size
    x0 = top = float("inf")
    x1 = bottom = float("-inf")
    bold = italic = 0
    for c in chars:
        x0 = min(x0, c.x0)
        x1 = max(x1, c.x1)
        top = min(top, c.baseline - 0.8 * c.size)
        bottom = max(bottom, c.baseline + 0.22 * c.size)
        bold += c.bold
        italic += c.italic
    sizes = sorted(c.size for c in chars)
    out.append(Word(text=text, x0=x0, top=top, x1=x1, bottom=bottom, size=sizes[len(sizes) // 2],
                    bold=bold * 2 >= len(chars), italic=italic * 2 >= len(chars), font=chars[0].font))


def words_from_glyphs(glyphs: list[Glyph]) -> list[Word]:
    """Group glyphs into lines, then split each line into words at spaces and wide gaps."""
    words: list[Word] = []
    for line in _group_lines([g for g in glyphs if g.x1 > g.x0 or g.text.isspace()]):
        # a combining mark drawn as its own glyph sorts by its centre, i.e. after its base letter
        line.sort(key=lambda g: (g.x0 + g.x1) / 2 if unicodedata.combining(g.text[:1]) else g.x0)
        chars: list[Glyph] = []
        prev: Glyph | None = None
        for g in line:
            if g.text.isspace() or g.text in ("\ufffe", "\x00"):
                _flush(chars, words)
                chars, prev = [], None
                continue
            if prev is not None:
                gap = g.x0 - prev.x1
                if unicodedata.combining(g.text[:1]):
                    gap = 0.0
                # a space in Times-like fonts is ~0.25em; letters inside a word sit closer
                if gap > WORD_GAP * max(g.size, prev.size, 1.0) or gap < -0.6 * max(g.size, 1.0):
                    _flush(chars, words)
                    chars = []
            chars.append(g)
            prev = g
        _flush(chars, words)
    return words
