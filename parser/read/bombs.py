"""Decompression bombs refused before anything inflates them: the decoded size of what a page needs is bounded.

A PDF page's content streams are inflated here piece by piece, counting bytes and keeping none, and given up
past MAX_CONTENT_BYTES; its images may not declare more than MAX_IMAGE_PIXELS nor inflate past their declared
size. Readers (pdfminer, pdfium) would otherwise inflate a 4 MB file into gigabytes in memory.
"""
from __future__ import annotations

import zlib

from parser.errors import TooDemandingError

MAX_CONTENT_BYTES = 64 * 1024 * 1024  # one page's drawing instructions, decoded
MAX_IMAGE_PIXELS = 120_000_000  # one image, as declared (a 600 dpi A3 scan is about 70 million)
CHUNK = 1 << 20

REFUSED = ("Tài liệu giải nén ra quá lớn ({what}), không đọc / the document inflates to far more than any real "
           "document ({what}): refused")


def inflated_size(data: bytes, limit: int) -> int:
    """How many bytes `data` (zlib) inflates to, counting up to just past `limit`; nothing is kept."""
    d = zlib.decompressobj()
    total = 0
    pending = data
    while pending and total <= limit:
        out = d.decompress(pending, CHUNK)
        total += len(out)
        pending = d.unconsumed_tail
    return total


def _filters(stream) -> list[str]:
    names = []
    for f in stream.get_filters():
        name = f[0] if isinstance(f, tuple) else f
        names.append(getattr(name, "name", str(name)))
    return names


def _decoded_size(stream, limit: int) -> int | None:
    """The decoded size of a Flate stream (None: another filter, left to the readers)."""
    filters = _filters(stream)
    if not filters:
        return len(stream.rawdata or b"")
    if filters[0] in ("FlateDecode", "Fl") and stream.rawdata is not None:
        return inflated_size(stream.rawdata, limit)
    return None


def check_pdf(path: str) -> None:
    """Raise TooDemandingError when a page's content or image would inflate far beyond a real document's."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFStream, resolve1

    try:
        with open(path, "rb") as fh:
            doc = PDFDocument(PDFParser(fh))
            seen: set[int] = set()
            for page in PDFPage.create_pages(doc):
                total = 0
                for stream in page.contents or []:
                    stream = resolve1(stream)
                    if isinstance(stream, PDFStream):
                        total += _decoded_size(stream, MAX_CONTENT_BYTES) or 0
                        if total > MAX_CONTENT_BYTES:
                            raise TooDemandingError(REFUSED.format(what=f"page content over {MAX_CONTENT_BYTES >> 20} MB"))
                _check_images(resolve1(page.resources or {}), seen, 0)
    except TooDemandingError:
        raise
    except Exception:  # a file pdfminer cannot walk: the readers decide (and their limits hold)
        return


def _check_images(resources, seen: set[int], depth: int) -> None:
    from pdfminer.pdftypes import PDFStream, resolve1

    if depth > 4 or not isinstance(resources, dict):
        return
    xobjects = resolve1(resources.get("XObject") or {})
    if not isinstance(xobjects, dict):
        return
    for ref in xobjects.values():
        key = getattr(ref, "objid", None)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        obj = resolve1(ref)
        if not isinstance(obj, PDFStream):
            continue
        subtype = getattr(resolve1(obj.get("Subtype")), "name", None)
        if subtype == "Form":
            _check_images(resolve1(obj.get("Resources") or {}), seen, depth + 1)
            continue
        if subtype != "Image":
            continue
        width, height = int(resolve1(obj.get("Width")) or 0), int(resolve1(obj.get("Height")) or 0)
        if width * height > MAX_IMAGE_PIXELS:
            raise TooDemandingError(REFUSED.format(what=f"an image of {width} x {height} pixels"))
        declared = width * height * 4 + 1024 * 1024
        size = _decoded_size(obj, declared)
        if size is not None and size > declared:
            raise TooDemandingError(REFUSED.format(what="an image that inflates past its size"))
