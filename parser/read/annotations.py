"""Text drawn inside form-widget appearances, where e-signing systems stamp the number and day.

Vietnamese e-office systems fill `Số: 4378` and `ngày 22` into signature widgets
after signing; the page's own content stream leaves a blank there. Neither
pdfium's text page nor pdfplumber reads widget appearances, so this module runs
pdfminer's interpreter over each widget's normal appearance stream, placed at
the widget's rectangle.
"""
from __future__ import annotations

from parser.read.words import Glyph, style_of


Widget = tuple[tuple[float, float, float, float], list[Glyph]]


class WidgetReader:
    """The widgets of one document, page by page. pdfminer parses the document once, on the first
    page asked for, however many pages have widgets."""

    def __init__(self, path: str):
        self.path = path
        self._pages: list | None = None
        self._file = None

    def glyphs(self, page_number: int, page_height: float) -> list[Widget]:
        """For each widget with text on the page: its rectangle (x0, top, x1, bottom) and the glyphs drawn in it."""
        try:
            pages = self._open()
            if not 0 < page_number <= len(pages):
                return []
            return _page_widgets(pages[page_number - 1], page_height)
        except Exception:  # a broken widget must not cost the page its text
            return []

    def _open(self) -> list:
        if self._pages is None:
            from pdfminer.pdfdocument import PDFDocument
            from pdfminer.pdfpage import PDFPage
            from pdfminer.pdfparser import PDFParser

            self._pages = []  # a document pdfminer cannot walk is tried once, not once per page
            self._file = open(self.path, "rb")
            self._pages = list(PDFPage.create_pages(PDFDocument(PDFParser(self._file))))
        return self._pages

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self._pages = None

    def __enter__(self) -> "WidgetReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _page_widgets(page, page_height: float) -> list[Widget]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar, LTContainer
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdftypes import PDFStream, resolve1

    widgets: list[Widget] = []
    for annot in resolve1(page.annots) or []:
        annot = resolve1(annot)
        if not isinstance(annot, dict) or str(annot.get("Subtype")) != "/'Widget'":
            continue
        appearance = resolve1((resolve1(annot.get("AP")) or {}).get("N"))
        rect = [float(resolve1(v)) for v in resolve1(annot.get("Rect")) or []]
        if not isinstance(appearance, PDFStream) or len(rect) != 4:
            continue
        bbox = [float(resolve1(v)) for v in resolve1(appearance.get("BBox")) or [0, 0, 1, 1]]
        sx = (rect[2] - rect[0]) / ((bbox[2] - bbox[0]) or 1)
        sy = (rect[3] - rect[1]) / ((bbox[3] - bbox[1]) or 1)
        ctm = (sx, 0, 0, sy, rect[0] - bbox[0] * sx, rect[1] - bbox[1] * sy)
        manager = PDFResourceManager()
        device = PDFPageAggregator(manager)
        interpreter = PDFPageInterpreter(manager, device)
        device.begin_page(page, (1, 0, 0, 1, 0, 0))
        interpreter.init_state((1, 0, 0, 1, 0, 0))
        interpreter.render_contents(resolve1(appearance.get("Resources")) or {}, [appearance], ctm=ctm)
        device.end_page(page)
        glyphs: list[Glyph] = []
        stack = [device.get_result()]
        while stack:
            item = stack.pop()
            if isinstance(item, LTChar):
                bold, italic = style_of(item.fontname)
                glyphs.append(Glyph(item.get_text(), item.x0, page_height - item.matrix[5], item.x1,
                                    item.size, item.fontname, bold, italic))
            elif isinstance(item, LTContainer):
                stack.extend(item)
        if glyphs:
            widgets.append(((rect[0], page_height - rect[3], rect[2], page_height - rect[1]), glyphs))
    return widgets
