"""pdfium, called the cheap way, and what a page's drawing objects tell the readers.

The per-character and per-object loops call pdfium hundreds of thousands of times per
document. Through pypdfium2's bindings each call converts its arguments from helper objects;
these functions are bound again to take plain addresses, which makes the loops ~3x faster.

One walk over a page's objects gives what both the text reader and the OCR planner need:
which text objects are invisible (render mode 3) and where they fall in the drawing order,
the page-sized images drawn over text (a scan over its OCR layer), and how much of the page
images cover, with the resolution of the largest one.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass, field

# an image covering this share of the page is a scan: text drawn before it lies underneath, unseen
SCAN_COVER = 0.5
INVISIBLE = 3  # PDF text render mode 3: neither fill nor stroke (OCR layers of scanners and phone apps)
# images inside form XObjects count down to this depth, as pypdfium2's get_objects(max_depth=3) sees them
IMAGE_DEPTH = 3


class PdfiumCalls:
    """The pdfium functions of the hot loops, taking and returning plain addresses (ints)."""

    def __init__(self, raw):
        v, i, d = ctypes.c_void_p, ctypes.c_int, ctypes.c_double

        def bind(fn, restype, *argtypes):
            return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(fn, ctypes.c_void_p).value)

        self.raw = raw
        self.is_generated = bind(raw.FPDFText_IsGenerated, i, v, i)
        self.text_object = bind(raw.FPDFText_GetTextObject, v, v, i)
        self.loose_box = bind(raw.FPDFText_GetLooseCharBox, i, v, i, v)
        self.origin = bind(raw.FPDFText_GetCharOrigin, i, v, i, v, v)
        self.font_size = bind(raw.FPDFText_GetFontSize, d, v, i)
        self.font_info = bind(raw.FPDFText_GetFontInfo, ctypes.c_ulong, v, i, v, ctypes.c_ulong, v)
        self.unicode = bind(raw.FPDFText_GetUnicode, ctypes.c_uint, v, i)
        self.render_mode = bind(raw.FPDFTextObj_GetTextRenderMode, i, v)
        self.count_objects = bind(raw.FPDFPage_CountObjects, i, v)
        self.page_object = bind(raw.FPDFPage_GetObject, v, v, i)
        self.count_form_objects = bind(raw.FPDFFormObj_CountObjects, i, v)
        self.form_object = bind(raw.FPDFFormObj_GetObject, v, v, ctypes.c_ulong)
        self.object_type = bind(raw.FPDFPageObj_GetType, i, v)
        self.bounds = bind(raw.FPDFPageObj_GetBounds, i, v, v, v, v, v)
        self.pixel_size = bind(raw.FPDFImageObj_GetImagePixelSize, i, v, v, v)
        self.text, self.image, self.form = raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM

    # (their buffers are made per call: one PdfiumCalls serves every thread, and these run once per image)
    def object_bounds(self, obj: int) -> tuple[float, float, float, float] | None:
        """(left, bottom, right, top) in PDF page coordinates, None when pdfium cannot place it."""
        box = (ctypes.c_float * 4)()
        at, size = ctypes.addressof(box), ctypes.sizeof(ctypes.c_float)
        if not self.bounds(obj, at, at + size, at + 2 * size, at + 3 * size):
            return None
        return tuple(box)

    def image_pixels(self, obj: int) -> tuple[int, int] | None:
        px = (ctypes.c_uint * 2)()
        at = ctypes.addressof(px)
        if not self.pixel_size(obj, at, at + ctypes.sizeof(ctypes.c_uint)):
            return None
        return px[0], px[1]


_CALLS: PdfiumCalls | None = None


def pdfium_calls(raw) -> PdfiumCalls:
    global _CALLS
    if _CALLS is None:
        _CALLS = PdfiumCalls(raw)
    return _CALLS


def address(pointer) -> int:
    return ctypes.cast(pointer, ctypes.c_void_p).value or 0


@dataclass(slots=True)
class PageObjects:
    order: dict[int, int] = field(default_factory=dict)  # top-level text object -> its place in the drawing order
    invisible: dict[int, bool] = field(default_factory=dict)  # top-level text object -> render mode 3
    scans: list[tuple[int, float, float, float, float]] = field(default_factory=list)  # (place, left, top, right, bottom)
    image_cover: float = 0.0  # share of the page under images
    image_ppi: float | None = None  # pixels per inch of the largest image


def page_objects(calls: PdfiumCalls, page: int, width: float, height: float) -> PageObjects:
    """One walk over the page's drawing objects (`page`: the FPDF_PAGE address)."""
    found = PageObjects()
    covered = best_area = 0.0

    def image(obj: int) -> tuple[float, float, float, float, float] | None:
        nonlocal covered, best_area
        box = calls.object_bounds(obj)
        if box is None:  # a broken image object is no image
            return None
        left, bottom, right, top = box
        area = max(0.0, right - left) * max(0.0, top - bottom)
        covered += area
        if area > best_area and (px := calls.image_pixels(obj)) is not None:
            found.image_ppi = px[0] / max((right - left) / 72, 1e-6)
            best_area = area
        return area, left, bottom, right, top

    def walk(parent: int, level: int) -> None:
        """The objects of the page (level 0) or of a form XObject inside it, in drawing order."""
        count, child = (calls.count_objects, calls.page_object) if level == 0 else (calls.count_form_objects, calls.form_object)
        for k in range(max(count(parent), 0)):
            obj = child(parent, k)
            if not obj:
                return
            kind = calls.object_type(obj)
            if kind == calls.text and level == 0:
                found.order[obj] = k
                found.invisible[obj] = calls.render_mode(obj) == INVISIBLE
            elif kind == calls.image:
                seen = image(obj)
                if level == 0 and seen is not None and seen[0] >= SCAN_COVER * width * height:
                    _, left, bottom, right, top = seen
                    found.scans.append((k, left, height - top, right, height - bottom))
            elif kind == calls.form and level < IMAGE_DEPTH - 1:
                walk(obj, level + 1)

    walk(page, 0)
    found.image_cover = min(covered / max(width * height, 1.0), 1.0)
    return found
