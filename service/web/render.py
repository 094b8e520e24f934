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


# Liberation Serif: Times New Roman's metrics, Vietnamese glyphs; in its own folder on Debian 12 (fonts-liberation2),
# in fonts-liberation's on Debian 13
SERIF_FOLDERS = ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation")
MIN_SIZE = 6


def _font_file(bold: bool, italic: bool) -> str:
    import os

    style = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic", (True, True): "BoldItalic"}
    name = f"LiberationSerif-{style[(bold, italic)]}.ttf"
    return next((path for folder in SERIF_FOLDERS if os.path.exists(path := os.path.join(folder, name))), FONT)


def docx_layout(page, scale: float, width_px: int) -> list[tuple[float, float, str, object, float, int]]:
    """(x, y, text, font, drawn width, line) of every word: each drawn in its own box (shrunk to fit when the font runs
    wider than the reader's estimate), so words never run into the next one nor off the right edge."""
    from PIL import ImageFont

    fonts: dict[tuple[int, bool, bool], ImageFont.FreeTypeFont] = {}

    def font(size: int, bold: bool, italic: bool):
        key = (size, bold, italic)
        if key not in fonts:
            fonts[key] = ImageFont.truetype(_font_file(bold, italic), size)
        return fonts[key]

    # boxes in pixels; a line the reader laid out wider than the page is pressed back inside it
    boxes = [[w, w.x0 * scale, w.x1 * scale, w.top * scale] for w in page.words]
    lines: dict[int, list[list]] = {}
    for b in boxes:
        lines.setdefault(round(b[0].top), []).append(b)
    edge = width_px - 4
    for line in lines.values():
        left = min(b[1] for b in line)
        if left < 4:  # a line laid out left of the page comes in
            for b in line:
                b[1], b[2] = b[1] + 4 - left, b[2] + 4 - left
        left, right = min(b[1] for b in line), max(b[2] for b in line)
        if right > edge and right > left:
            factor = (edge - min(left, edge * 0.5)) / (right - min(left, edge * 0.5))
            start = min(left, edge * 0.5)
            for b in line:
                b[1], b[2] = start + (b[1] - start) * factor, start + (b[2] - start) * factor
    out = []
    for key, line in lines.items():
        line.sort(key=lambda b: b[1])
        rooms, natural = [], []
        for k, (w, x, x1, _) in enumerate(line):
            # the room a word has: up to the next word on the line, never past the page
            room = line[k + 1][1] - x - 2 if k + 1 < len(line) else max(x1 - x, 1.0) + 4
            rooms.append(max(1.0, min(room, width_px - x - 1)))
            size = max(MIN_SIZE, round((w.size or 12) * scale))
            natural.append((size, font(size, w.bold, w.italic).getlength(w.text)))
        # one size factor for the whole line (text of one size stays one size), then any word still too wide
        factor = min([1.0] + [r / d for r, (_, d) in zip(rooms, natural) if d > 0])
        factor = max(factor, 0.6)
        for (w, x, _, y), room, (size, _) in zip(line, rooms, natural):
            size = max(1, int(size * factor))
            f = font(size, w.bold, w.italic)
            drawn = f.getlength(w.text)
            while drawn > room and size > 1:  # (a paragraph the reader left on one line gets small, never overlaps)
                size = max(1, min(size - 1, int(size * room / drawn)))
                f = font(size, w.bold, w.italic)
                drawn = f.getlength(w.text)
            out.append((x, y, w.text, f, drawn, key))
    return out


def _render_docx(path: str, page_number: int, width_px: int):
    """A Word file has no pages of its own: draw its words where the reader laid them out on a logical A4 page."""
    from PIL import Image, ImageDraw

    from parser.read.docx import read_docx

    pages = read_docx(path).pages
    if not 1 <= page_number <= len(pages):
        raise IndexError(page_number)
    page = pages[page_number - 1]
    scale = width_px / page.width
    image = Image.new("RGB", (width_px, round(page.height * scale)), "white")
    draw = ImageDraw.Draw(image)
    for x, y, text, font, _, _ in docx_layout(page, scale, width_px):
        draw.text((x, y), text, fill="black", font=font)
    return image
