"""Words -> rows -> segments -> paragraphs, read from page geometry.

A *row* is everything on one baseline; a *segment* is a run of a row's words with
no wide gap inside, so the two columns of a Decree 30 header or footer are two
segments of one row. Page numbers are dropped here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from parser.read.pagemodel import Page, SourceDocument, Word

# a gap wider than this many ems inside a row separates two columns
COLUMN_GAP = 1.6
PAGE_NUMBER = re.compile(r"^[-–]?\s*\d{1,3}\s*[-–]?$")


@dataclass(slots=True)
class Segment:
    page: int
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def size(self) -> float:
        return median(w.size for w in self.words) or 12.0

    @property
    def bold(self) -> bool:
        letters = [w for w in self.words if any(ch.isalpha() for ch in w.text)]
        return bool(letters) and sum(len(w.text) for w in letters if w.bold) * 2 > sum(len(w.text) for w in letters)

    @property
    def italic(self) -> bool:
        return sum(len(w.text) for w in self.words if w.italic) * 2 > sum(len(w.text) for w in self.words)

    @property
    def block(self) -> int:
        return self.words[0].block


@dataclass(slots=True)
class Row:
    page: int
    segments: list[Segment]

    @property
    def top(self) -> float:
        return min(s.top for s in self.segments)

    @property
    def bottom(self) -> float:
        return max(s.bottom for s in self.segments)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)


@dataclass(slots=True)
class PageLayout:
    number: int
    width: float
    height: float
    rows: list[Row] = field(default_factory=list)
    body_left: float = 0.0
    body_right: float = 0.0

    @property
    def middle(self) -> float:
        return (self.body_left + self.body_right) / 2 if self.body_right > self.body_left else self.width / 2


def _rows_of(page: Page) -> list[Row]:
    for w in page.words:
        w.page = page.number
    words = sorted(page.words, key=lambda w: w.bottom - 0.22 * w.size)
    groups: list[list[Word]] = []
    base = 0.0
    for w in words:
        b = w.bottom - 0.22 * w.size
        if groups and abs(b - base) <= 0.3 * max(w.size, 6.0):
            groups[-1].append(w)
        else:
            groups.append([w])
            base = b
    rows = []
    for group in groups:
        group.sort(key=lambda w: w.x0)
        segments: list[list[Word]] = [[group[0]]]
        for k, (prev, w) in enumerate(zip(group, group[1:]), 1):
            # a wide gap, or the national motto starting mid-row, begins the right column
            if w.x0 - prev.x1 > COLUMN_GAP * max(w.size, prev.size, 6.0) or w.block != prev.block or (
                    w.text in ("CỘNG", "CỘNG") and " ".join(x.text for x in group[k:k + 3]).startswith(("CỘNG HÒA", "CỘNG HOÀ"))):
                segments.append([w])
            else:
                segments[-1].append(w)
        rows.append(Row(page.number, [Segment(page.number, s) for s in segments]))
    rows.sort(key=lambda r: r.top)
    return rows


def _is_page_number(row: Row, page: Page) -> bool:
    if len(row.segments) != 1 or not PAGE_NUMBER.match(row.text.strip()):
        return False
    near_edge = row.top < 0.12 * page.height or row.bottom > 0.9 * page.height
    centred = abs(row.segments[0].center - page.width / 2) < 0.15 * page.width
    return near_edge and centred


def lay_out(source: SourceDocument) -> list[PageLayout]:
    pages = []
    for page in source.pages:
        rows = [r for r in _rows_of(page) if not (page.number > 1 and _is_page_number(r, page)) and not (
            page.number == 1 and _is_page_number(r, page) and r.bottom > 0.9 * page.height)]
        layout = PageLayout(page.number, page.width, page.height, rows)
        lefts = [round(r.segments[0].x0) for r in rows if len(r.segments) == 1]
        rights = [round(r.segments[-1].x1) for r in rows if len(r.segments) == 1]
        if page.content_x is not None:
            layout.body_left, layout.body_right = page.content_x
        elif lefts:
            # the body's left edge: the most common start of single-segment rows
            layout.body_left = min(set(lefts), key=lambda x: (-sum(abs(v - x) <= 2 for v in lefts), x))
            layout.body_right = min(sorted(rights)[int(len(rights) * 0.9)], page.width) if rights else page.width
        else:
            layout.body_left, layout.body_right = page.width * 0.14, page.width * 0.9
        pages.append(layout)
    return pages
