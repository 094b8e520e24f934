"""The document's normalized text, built word by word, with a map back to the page.

Every word appended remembers its character range, page and box, so any span of
the final text finds the boxes it was read from (`provenance(start, end)`).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

from parser.read.pagemodel import Word
from parser.text.repair import normalize_text


@dataclass(slots=True)
class TextRef:
    """A line or paragraph of the document: its text and where it sits in the full text."""

    text: str
    start: int
    end: int
    page: int
    bold: bool = False
    centered: bool = False
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    size: float = 0.0

    def sub(self, start: int, end: int) -> "Span":
        """A span of this ref, by offsets relative to `text`."""
        return Span(self.text[start:end], self.start + start, self.start + end)


@dataclass(slots=True)
class Span:
    text: str
    start: int
    end: int


class DocumentText:
    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._words: list[tuple[int, tuple[float, float, float, float], float | None]] = []

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def _append(self, s: str) -> None:
        self._parts.append(s)
        self._length += len(s)

    def add_line(self, words: list[Word], page: int, separator: str = "\n") -> TextRef:
        """Append words as one line or paragraph; returns its reference."""
        if self._length:
            self._append(separator)
        start = self._length
        pieces: list[str] = []
        for i, w in enumerate(words):
            if i:
                self._append(" ")
                pieces.append(" ")
            text = normalize_text(w.text)
            self._starts.append(self._length)
            self._append(text)
            pieces.append(text)
            self._ends.append(self._length)
            self._words.append((w.page or page, (w.x0, w.top, w.x1, w.bottom), w.confidence))
        return TextRef("".join(pieces), start, self._length, page)

    def words_in(self, start: int, end: int) -> list[tuple[int, int, int, tuple[float, float, float, float]]]:
        """Each word of a text range: (start, end, page, bbox)."""
        first = bisect.bisect_right(self._ends, start)
        last = bisect.bisect_left(self._starts, end)
        return [(self._starts[k], self._ends[k], self._words[k][0], self._words[k][1]) for k in range(first, last)]

    def provenance(self, start: int, end: int) -> dict:
        """Page, box of the first line, all boxes per line, span, and confidence of a text range."""
        first = bisect.bisect_right(self._ends, start)
        last = bisect.bisect_left(self._starts, end)
        hits = self._words[first:last]
        if not hits:
            return {"span": (start, end)}
        boxes: list[dict] = []
        for page, (x0, top, x1, bottom), _ in hits:
            if boxes and boxes[-1]["page"] == page and abs(boxes[-1]["bbox"][1] - top) < 0.5 * (bottom - top):
                b = boxes[-1]["bbox"]
                boxes[-1]["bbox"] = (min(b[0], x0), min(b[1], top), max(b[2], x1), max(b[3], bottom))
            else:
                boxes.append({"page": page, "bbox": (x0, top, x1, bottom)})
        for b in boxes:
            b["bbox"] = tuple(round(v, 1) for v in b["bbox"])
        confidences = [c for _, _, c in hits if c is not None]
        confidence = min(confidences) / 100 if confidences else 1.0
        return {"page": boxes[0]["page"], "bbox": boxes[0]["bbox"], "boxes": boxes, "span": (start, end),
                "confidence": round(confidence, 3)}
