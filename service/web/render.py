"""Page images for the document view; runs in a worker process like parsing (a hostile page costs only a worker)."""
from __future__ import annotations

import io

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
MAX_SCALE = 3.0


def render_page_png(path: str, kind: str, page_number: int, width_px: int = 1000) -> tuple[str, bytes | str, str]:
    """("ok", png, "") for page `page_number` (1-based) at about `width_px` wide, or ("error", code, message)."""
    try:
        image = _render_pdf(path, page_number, width_px) if kind == "pdf" else _render_docx(path, page_number, width_px)
    except IndexError:
        return "error", "not_found", "Tài liệu không có trang này / the document has no such page"
    except MemoryError:
        return "error", "too_demanding", "Trang quá lớn để hiển thị / the page is too large to show"
    except Exception as exc:  # noqa: BLE001 - the page cannot be drawn; say so, keep the worker
        return "error", "unreadable", f"Không vẽ được trang / the page cannot be drawn ({type(exc).__name__})"
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return "ok", out.getvalue(), ""


def _render_pdf(path: str, page_number: int, width_px: int):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        if not 1 <= page_number <= len(pdf):
            raise IndexError(page_number)
        page = pdf[page_number - 1]
        scale = min(MAX_SCALE, width_px / max(page.get_width(), 1))
        return page.render(scale=scale).to_pil().convert("RGB")
    finally:
        pdf.close()


def _render_docx(path: str, page_number: int, width_px: int):
    """A Word file has no pages of its own: draw its words where the reader laid them out on a logical A4 page."""
    from PIL import Image, ImageDraw, ImageFont

    from parser.read.docx import read_docx

    pages = read_docx(path).pages
    if not 1 <= page_number <= len(pages):
        raise IndexError(page_number)
    page = pages[page_number - 1]
    scale = width_px / page.width
    image = Image.new("RGB", (width_px, round(page.height * scale)), "white")
    draw = ImageDraw.Draw(image)
    fonts: dict[int, ImageFont.FreeTypeFont] = {}
    for w in page.words:
        size = max(6, round((w.size or 12) * scale * 0.9))
        if size not in fonts:
            fonts[size] = ImageFont.truetype(FONT, size)
        draw.text((w.x0 * scale, w.top * scale), w.text, fill="black", font=fonts[size])
    return image
