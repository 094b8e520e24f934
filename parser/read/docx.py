"""DOCX -> the page model, on a logical A4 page.

A Word file has no geometry until it is printed, so paragraphs are laid out as a
printer would roughly place them: one paragraph per line (no wrapping), table
cells side by side within the body width, centred paragraphs centred, and each
paragraph's words sharing one `block` id so layout keeps paragraphs whole.
Boxes in DOCX provenance are therefore logical, not physical.
"""
from __future__ import annotations

import unicodedata
import zipfile

from parser.errors import DamagedFileError
from parser.read.pagemodel import Page, SourceDocument, Word
from parser.text.legacy import detect_legacy, to_unicode

WIDTH, HEIGHT = 595.3, 841.9
LEFT, RIGHT, TOP, BOTTOM = 85.0, 560.0, 57.0, 57.0
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class _Layout:
    def __init__(self, default_size: float) -> None:
        self.pages: list[Page] = [Page(1, WIDTH, HEIGHT, content_x=(LEFT, RIGHT))]
        self.y = TOP
        self.page_breaks = True  # off inside a table row, whose cells share one top
        self.block = 0
        self.default_size = default_size

    def new_page(self) -> None:
        self.pages.append(Page(len(self.pages) + 1, WIDTH, HEIGHT, content_x=(LEFT, RIGHT)))
        self.y = TOP

    def paragraph(self, par, x0: float, x1: float, y: float) -> float:
        """Place one paragraph in [x0, x1] at y; returns the y under it."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        runs = [(_unicode_run(r), r) for r in par.runs]
        text = unicodedata.normalize("NFC", "".join(t for t, _ in runs)).replace("\t", " ")
        size = next((r.font.size.pt for _, r in runs if r.font.size), None) or (
            par.style.font.size.pt if par.style is not None and par.style.font.size else self.default_size)
        if not text.strip():
            return y + size * 0.6
        bold_chars = sum(len(t) for t, r in runs if r.bold or (r.bold is None and par.style is not None and par.style.font.bold))
        italic_chars = sum(len(t) for t, r in runs if r.italic)
        bold, italic = bold_chars * 2 > len(text.strip()), italic_chars * 2 > len(text.strip())
        tokens = text.split()
        widths = [len(t) * size * 0.5 for t in tokens]
        space = size * 0.25
        fmt = par.paragraph_format
        left = max(fmt.left_indent.pt if fmt.left_indent else 0.0, 0.0)
        first = left + (fmt.first_line_indent.pt if fmt.first_line_indent else 0.0)
        align = _alignment(par)
        self.block += 1
        # wrap the paragraph into the column as a printer would, line by line
        start = 0
        line_no = 0
        while start < len(tokens):
            indent = max(first if line_no == 0 else left, 0.0)
            room = max(x1 - x0 - indent, size)
            end, used = start, 0.0
            while end < len(tokens) and (end == start or used + space + widths[end] <= room):
                used += (space if end > start else 0.0) + widths[end]
                end += 1
            if align == WD_ALIGN_PARAGRAPH.CENTER:
                x = (x0 + x1) / 2 - used / 2
            elif align == WD_ALIGN_PARAGRAPH.RIGHT:
                x = x1 - used
            else:
                x = x0 + indent
            if self.page_breaks and y + size * 1.15 > HEIGHT - BOTTOM and self.pages[-1].words:
                self.new_page()
                y = self.y
            page = self.pages[-1]
            for token, w in zip(tokens[start:end], widths[start:end]):
                page.words.append(Word(token, x, y, x + w, y + size * 1.15, size=size, bold=bold, italic=italic,
                                       font="docx", block=self.block))
                x += w + space
            start = end
            line_no += 1
            if start < len(tokens):
                y += size * 1.15
        space_after = fmt.space_after.pt if fmt.space_after is not None else size * 0.3
        return y + size * 1.15 + max(2.0, space_after)


# w:jc values python-docx has no name for (LibreOffice 24 writes the newer `start`/`end`)
_JC = {"start": "left", "end": "right"}


def _jc(element) -> object | None:
    """The alignment written on a paragraph (or style) element, read from its XML: never an error."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    values = element.xpath("./w:pPr/w:jc/@w:val") if element is not None else []
    if not values:
        return None
    try:
        return WD_ALIGN_PARAGRAPH.from_xml(_JC.get(values[0], values[0]))
    except (ValueError, KeyError):
        return None


def _alignment(par):
    align = _jc(par._p)
    if align is None and par.style is not None:
        align = _jc(par.style.element)
    return align


def _unicode_run(run) -> str:
    """A run typed in a TCVN3 (.VnTime) or VNI font, converted to Unicode; Unicode runs as they are."""
    font = run.font.name or ""
    encoding = detect_legacy(run.text, font)
    return to_unicode(run.text, encoding, font) if encoding else run.text


def _has_page_break(par) -> bool:
    return any(br.get(f"{W_NS}type") == "page" for br in par._p.iter(f"{W_NS}br"))


def read_docx(path: str) -> SourceDocument:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(path)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DamagedFileError(f"Tệp .docx bị hỏng hoặc không đọc được / the .docx file is damaged or unreadable: {exc}") from exc
    normal = document.styles["Normal"].font.size if "Normal" in [s.name for s in document.styles] else None
    layout = _Layout(normal.pt if normal else 13.0)
    for child in document.element.body.iterchildren():
        if child.tag == f"{W_NS}p":
            par = Paragraph(child, document)
            layout.y = layout.paragraph(par, LEFT, RIGHT, layout.y)
            if _has_page_break(par):
                layout.new_page()
        elif child.tag == f"{W_NS}tbl":
            _table(Table(child, document), layout)
    return SourceDocument(path=path, kind="docx", pages=layout.pages, reader="docx")


def _table(table, layout: _Layout) -> None:
    layout.page_breaks = False
    try:
        _table_rows(table, layout)
    finally:
        layout.page_breaks = True


def _table_rows(table, layout: _Layout) -> None:
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if not cells or cell._tc is not cells[-1]._tc:  # merged cells repeat the same object
                cells.append(cell)
        widths = [c.width.pt if c.width else 0.0 for c in cells]
        if not all(widths) or sum(widths) <= 0:
            widths = [1.0] * len(cells)
        scale = (RIGHT - LEFT) / sum(widths)
        x = LEFT
        bottom = layout.y
        for cell, w in zip(cells, widths):
            y = layout.y
            for par in cell.paragraphs:
                y = layout.paragraph(par, x, x + w * scale, y)
            for inner in cell.tables:
                for inner_row in inner.rows:
                    for inner_cell in inner_row.cells:
                        for par in inner_cell.paragraphs:
                            y = layout.paragraph(par, x, x + w * scale, y)
            bottom = max(bottom, y)
            x += w * scale
        layout.y = bottom
        if layout.y > HEIGHT - BOTTOM:
            layout.new_page()
