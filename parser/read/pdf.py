"""PDF text layers -> the page model.

Two readers behind one interface, `read_pdf(path, reader=...)`:
- `pdfium` (default): pypdfium2's text page, every character with its loose box;
  an order of magnitude faster than pdfminer.
- `pdfplumber`: the reference, pdfplumber's `page.chars`.
Both feed the same word builder, and both add the text that e-signing systems
stamp into signature widgets (the number and day of signed documents). The pdfium
reader flags words nobody sees (`Word.hidden`: render mode 3, or drawn before a
page-sized image that covers them), the OCR layer of a scanner or phone app.
"""
from __future__ import annotations

import ctypes

from parser.errors import DamagedFileError, EncryptedError
from parser.read.annotations import WidgetReader
from parser.read.pagemodel import Page, SourceDocument
from parser.read.pdf_objects import INVISIBLE, PageObjects, PdfiumCalls, address, page_objects, pdfium_calls
from parser.read.words import Glyph, style_of, words_from_glyphs
from parser.text.legacy import decode_legacy_glyphs

READERS = ("pdfium", "pdfplumber")


def read_pdf(path: str, reader: str = "pdfium", max_pages: int | None = None) -> SourceDocument:
    if reader == "pdfium":
        pages = _read_pdfium(path, max_pages)
    elif reader == "pdfplumber":
        pages = _read_pdfplumber(path, max_pages)
    else:
        raise ValueError(f"unknown PDF reader {reader!r}; choose one of {READERS}")
    return SourceDocument(path=path, kind="pdf", pages=pages, reader=reader)


def _make_page(widgets: WidgetReader, number: int, width: float, height: float, glyphs: list[Glyph], has_widgets: bool,
               hidden: list[Glyph] | None = None) -> Page:
    # TCVN3 (.VnTime) / VNI (VNI-Times) fonts -> Unicode, per font; Unicode text passes as is
    glyphs = decode_legacy_glyphs(glyphs)
    page = _make_visible_page(widgets, number, width, height, glyphs, has_widgets)
    if hidden:
        # text nobody sees (a scanner's OCR layer) forms words of its own, flagged so OCR can drop them
        extra = words_from_glyphs(decode_legacy_glyphs(hidden))
        for w in extra:
            w.hidden = True
        page.words += extra
    return page


def _make_visible_page(widgets: WidgetReader, number: int, width: float, height: float, glyphs: list[Glyph], has_widgets: bool) -> Page:
    if not has_widgets:
        return Page(number=number, width=width, height=height, words=words_from_glyphs(glyphs))
    # a stamped widget covers what the page printed beneath it ("tháng 4" stamped over with "5"),
    # and its glyphs form words of their own
    stamped = []
    for _, own in widgets.glyphs(number, height):
        for w in own:
            # pdfminer's advance for stamped digits is too wide; a digit is about half an em
            w.x1 = min(w.x1, w.x0 + 0.55 * w.size)
        glyphs = [g for g in glyphs if not any(w.x0 <= (g.x0 + g.x1) / 2 <= w.x1 and abs(g.baseline - w.baseline) < 0.5 * w.size
                                               for w in own)]
        stamped += words_from_glyphs(own)
    words = words_from_glyphs(glyphs)
    for w in stamped:
        # stamps sit a few points off the printed line; put each on the line it fills in
        near = [p for p in words if abs(p.bottom - w.bottom) < 0.6 * w.size and abs(p.x0 - w.x0) < 250]
        if near:
            line = min(near, key=lambda p: abs(p.bottom - w.bottom))
            w.top, w.bottom = line.top, line.bottom
    return Page(number=number, width=width, height=height, words=words + stamped)


def _read_pdfium(path: str, max_pages: int | None) -> list[Page]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedError("Tệp PDF được đặt mật khẩu / the PDF is password-protected: send it unlocked") from exc
        raise DamagedFileError(f"Tệp PDF bị hỏng / the PDF is damaged: {exc}") from exc
    pages: list[Page] = []
    calls = pdfium_calls(raw)
    widgets = WidgetReader(path)
    try:
        for index in range(len(pdf) if max_pages is None else min(len(pdf), max_pages)):
            try:
                page = pdf[index]
            except pdfium.PdfiumError as exc:  # e.g. a page tree that contains itself
                raise DamagedFileError(f"Không đọc được trang {index + 1}: cấu trúc tệp PDF bị hỏng / page {index + 1} "
                                       f"cannot be read: the PDF's structure is damaged") from exc
            width, height = page.get_size()
            textpage = page.get_textpage()
            objects = page_objects(calls, address(page.raw), width, height)
            glyphs, hidden = _page_glyphs(calls, objects, textpage, height)
            made = _make_page(widgets, index + 1, width, height, glyphs, _has_widgets(page, raw), hidden)
            made.image_cover, made.image_ppi = objects.image_cover, objects.image_ppi
            pages.append(made)
            textpage.close()
            page.close()
    finally:
        widgets.close()
        pdf.close()
    return pages


def _char_texts(calls: PdfiumCalls, handle: int, textpage, count: int) -> str | list[str]:
    """Each pdfium character's text, read in one call when that lines up with the character indices.

    pdfium stores a character beyond the BMP (a math italic 𝑄) as two characters, its UTF-16 surrogates;
    decoding the one-call buffer pairs them into one, so the length no longer matches and each character
    is asked for on its own: a pair then becomes one glyph, in the first half's box.
    """
    buf = ctypes.create_string_buffer((count + 1) * 2)
    written = calls.raw.FPDFText_GetText(textpage, 0, count, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    text = buf.raw[: max(written - 1, 0) * 2].decode("utf-16-le", "surrogatepass")
    if len(text) == count:
        return text
    codes = [calls.unicode(handle, i) for i in range(count)]
    chars = [chr(c) if 0 < c < 0x110000 else "" for c in codes]
    for i in range(count - 1):
        if 0xD800 <= codes[i] < 0xDC00 and 0xDC00 <= codes[i + 1] < 0xE000:
            chars[i] = chr(0x10000 + ((codes[i] - 0xD800) << 10) + (codes[i + 1] - 0xDC00))
            chars[i + 1] = ""
    return chars


# (font name as pdfium gives it, PDF font flags) -> (name, bold, italic)
_FONT_STYLES: dict[tuple[bytes, int], tuple[str, bool, bool]] = {}


def _page_glyphs(calls: PdfiumCalls, objects: PageObjects, textpage, height: float) -> tuple[list[Glyph], list[Glyph]]:
    """The page's characters as glyphs: (seen, unseen). pdfium makes a text object of each text-showing
    operation, with one font and size, so those are asked for once per object, not per character."""
    count = textpage.count_chars()
    glyphs: list[Glyph] = []
    hidden: list[Glyph] = []
    if not count:
        return glyphs, hidden
    handle = address(textpage.raw)
    unseen = _unseen_test(calls, objects)
    rect = calls.raw.FS_RECTF()
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    rect_at, ox_at, oy_at = ctypes.addressof(rect), ctypes.addressof(origin_x), ctypes.addressof(origin_y)
    namebuf = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    name_at, flags_at = ctypes.addressof(namebuf), ctypes.addressof(flags)
    is_generated, text_object, loose_box, char_origin = calls.is_generated, calls.text_object, calls.loose_box, calls.origin
    styles: dict[int, tuple[float, str, bool, bool]] = {}  # text object -> (size, font, bold, italic)

    def style_at(i: int) -> tuple[float, str, bool, bool]:
        calls.font_info(handle, i, name_at, 128, flags_at)
        key = (namebuf.value, flags.value)
        font = _FONT_STYLES.get(key)
        if font is None:
            name = namebuf.value.decode("latin-1", "replace")
            bold, italic = style_of(name)
            # PDF font flags: bit 7 italic, bit 19 force-bold
            font = _FONT_STYLES[key] = (name, bold or bool(flags.value & 0x40000), italic or bool(flags.value & 0x40))
        return (calls.font_size(handle, i), *font)

    for i, ch in enumerate(_char_texts(calls, handle, textpage, count)):
        if not ch or ch in "\r\n\x00" or "\ud800" <= ch <= "\udfff":
            continue
        if ch in "\x02\ufffe":  # pdfium reports a hyphen at a line end as U+0002 (U+FFFE in its text)
            if ch == "\ufffe" and calls.unicode(handle, i) == 0:
                continue  # a glyph mapped to U+0000, which the one-call text also writes as U+FFFE
            ch = "-"
        elif ch.isspace():
            if is_generated(handle, i) == 1:
                # pdfium guesses spaces where the text stream jumps, e.g. around fallback-font letters
                # drawn later; the gaps decide instead (only spaces and line breaks are ever generated)
                continue
            ch = " "
        obj = text_object(handle, i)
        style = styles.get(obj) if obj else None
        if style is None:
            style = style_at(i)
            if obj:
                styles[obj] = style
        loose_box(handle, i, rect_at)
        char_origin(handle, i, ox_at, oy_at)
        glyph = Glyph(ch, rect.left, height - origin_y.value, rect.right, *style)
        if unseen is not None and unseen(obj, glyph):
            hidden.append(glyph)
        else:
            glyphs.append(glyph)
    return glyphs, hidden


def _unseen_test(calls: PdfiumCalls, objects: PageObjects):
    """A test `(text object, glyph) -> bool`: whether a character is invisible (render mode 3) or
    drawn before a page-sized image that then covers it; None when the page has neither."""
    order, invisible, scans = objects.order, objects.invisible, objects.scans
    if not scans and not any(invisible.values()):
        return None  # a plain text page: no test per character

    def unseen(key: int | None, glyph: Glyph) -> bool:
        if not key:
            return False
        mode = invisible.get(key)
        if mode is None:  # a text object inside a form XObject
            mode = invisible[key] = calls.render_mode(key) == INVISIBLE
        if mode:
            return True
        place = order.get(key)
        if place is None or not scans:
            return False
        cx, cy = (glyph.x0 + glyph.x1) / 2, glyph.baseline - 0.3 * glyph.size
        return any(k > place and x0 <= cx <= x1 and y0 <= cy <= y1 for k, x0, y0, x1, y1 in scans)

    return unseen


def _has_widgets(page, raw) -> bool:
    """Whether the page has form widgets (where e-signing systems stamp the number and day)."""
    for k in range(raw.FPDFPage_GetAnnotCount(page)):
        annot = raw.FPDFPage_GetAnnot(page, k)
        try:
            if raw.FPDFAnnot_GetSubtype(annot) == raw.FPDF_ANNOT_WIDGET:
                return True
        finally:
            raw.FPDFPage_CloseAnnot(annot)
    return False


def _read_pdfplumber(path: str, max_pages: int | None) -> list[Page]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdftypes import resolve1

    try:
        pdf = pdfplumber.open(path)
    except PDFPasswordIncorrect as exc:
        raise EncryptedError("Tệp PDF được đặt mật khẩu / the PDF is password-protected: send it unlocked") from exc
    except Exception as exc:  # pdfminer raises many unrelated types for broken files
        raise DamagedFileError(f"Tệp PDF bị hỏng / the PDF is damaged: {exc}") from exc
    pages: list[Page] = []
    with pdf, WidgetReader(path) as widgets:
        for index, page in enumerate(pdf.pages):
            if max_pages is not None and index >= max_pages:
                break
            glyphs = []
            for c in page.chars:
                bold, italic = style_of(c["fontname"])
                baseline = float(page.height) - c["matrix"][5] if c.get("upright", True) else c["bottom"]
                glyphs.append(Glyph(c["text"], c["x0"], baseline, c["x1"], c["size"], c["fontname"], bold, italic))
            has_widgets = any(str(resolve1(annot).get("Subtype")) == "/'Widget'"
                              for annot in resolve1(page.page_obj.annots) or [] if isinstance(resolve1(annot), dict))
            pages.append(_make_page(widgets, index + 1, float(page.width), float(page.height), glyphs, has_widgets))
            page.close()
    return pages
