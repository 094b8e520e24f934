"""The page model every reader produces: pages of positioned words.

Coordinates are PDF points with the origin at the top-left of the page
(`top` grows downwards), as in pdfplumber. A DOCX has no geometry, so its reader
lays paragraphs out on a logical page (see `parser.read.docx`).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float = 0.0
    bold: bool = False
    italic: bool = False
    font: str = ""
    # OCR confidence 0..100; None for a text layer (certain as far as we know)
    confidence: float | None = None
    # readers that know paragraph boundaries (DOCX) give each paragraph an id;
    # -1 means "find lines and paragraphs from geometry"
    block: int = -1
    # 1-based page the word is printed on (set by layout; a paragraph may run across a page break)
    page: int = 0
    # a text-layer word nobody sees: drawn in the invisible render mode or under a full-page image
    # (a scanner's own OCR); an OCRed page drops such words
    hidden: bool = False
    # a word of a received stamp (`ĐẾN`, `Số:`, `Ngày:`, `Chuyển:` in a box over the header):
    # the receiving office's number and day, not the document's; kept in `Page.stamps`, out of `words`
    stamp: bool = False

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    # the text area's left and right edges when the reader knows them (DOCX); else found from the words
    content_x: tuple[float, float] | None = None
    # words taken out of the reading order because they belong to a received stamp (see `Word.stamp`)
    stamps: list[Word] = field(default_factory=list)
    # share of the page under images and the largest one's pixels per inch, when the reader saw its objects
    image_cover: float | None = None
    image_ppi: float | None = None


@dataclass(slots=True)
class SourceDocument:
    """What a reader returns: the pages, and how they were obtained."""

    path: str
    kind: str  # "pdf" | "docx"
    pages: list[Page]
    reader: str = ""  # "pdfium", "pdfplumber", "docx", "ocr"
    warnings: list[str] = field(default_factory=list)
    # signing systems' stamps (`Ký bởi`, `Thời gian ký`, an e-copy's `SAO Y`), read before OCR (parser.read.esign)
    signature_stamps: list = field(default_factory=list)
