"""Turn a text-layer PDF into a 'scanned' one: rasterise, tilt, grain, red stamp, broken OCR layer.

The rasterise/tilt/grain steps follow scan() in shared/tools/render_plan.py (pdftoppm, then
rotate and noise) but use PIL/numpy instead of ImageMagick and write the PDF with reportlab, so
an invisible text layer (render mode 3) of scrambled letters can be laid over the image: the
broken OCR layer a bad scanning pipeline leaves behind.
"""
from __future__ import annotations

import io
import math
import random
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

DPI = 200
_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _words(pdf: Path) -> list[list[tuple[str, float, float, float]]]:
    """Per page: (text, x0, top, size) of each word of the text layer (pdfium)."""
    import pypdfium2 as pdfium

    out = []
    doc = pdfium.PdfDocument(str(pdf))
    for page in doc:
        tp = page.get_textpage()
        h = page.get_height()
        words = []
        # rectangles of the text runs: good enough to place scrambled words near the real ones
        for i in range(tp.count_rects()):
            l, b, r, t = tp.get_rect(i)
            s = tp.get_text_bounded(l, b, r, t).strip()
            if s:
                words.append((s, l, h - t, max(6.0, t - b)))
        out.append(words)
    return out


def _find(words: list, needle: str):
    for s, x, top, size in words:
        if needle and needle in s:
            return x, top, size
    return None


def _stamp(img: Image.Image, cx: float, cy: float, r: float, rng: random.Random) -> Image.Image:
    layer = Image.new("RGB", img.size, "white")
    d = ImageDraw.Draw(layer)
    red = (rng.randint(190, 225), rng.randint(20, 60), rng.randint(30, 70))
    w = max(3, int(r / 14))
    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=red, width=w)
    d.ellipse([cx - r * 0.72, cy - r * 0.72, cx + r * 0.72, cy + r * 0.72], outline=red, width=max(2, w // 2))
    star = [(cx + r * 0.3 * (1 if k % 2 == 0 else 0.45) * math.cos(math.pi / 2 + k * math.pi / 5),
             cy - r * 0.3 * (1 if k % 2 == 0 else 0.45) * math.sin(math.pi / 2 + k * math.pi / 5)) for k in range(10)]
    d.polygon(star, fill=red)
    font = ImageFont.truetype(_FONT, int(r * 0.16))
    text = "ỦY BAN NHÂN DÂN * TỈNH *"
    for k, ch in enumerate(text):
        a = math.pi * (0.95 - 1.6 * k / len(text))
        d.text((cx + r * 0.86 * math.cos(a) - r * 0.05, cy - r * 0.86 * math.sin(a) - r * 0.08), ch, fill=red, font=font)
    return ImageChops.multiply(img, layer)


def _scramble(word: str, rng: random.Random) -> str:
    letters = list(word)
    rng.shuffle(letters)
    junk = "ãƯđ¿ÐþøœÆ§µ"
    return "".join(c if rng.random() < 0.7 else rng.choice(junk) for c in letters)


def degrade(pdf_in: Path, pdf_out: Path, opts: dict, rng: random.Random, signer_name: str | None = None) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    words = _words(pdf_in) if (opts.get("stamp") or opts.get("broken_layer")) else None
    with tempfile.TemporaryDirectory() as d:
        args = ["pdftoppm", "-r", str(DPI), "-png"] + ([] if opts.get("stamp") else ["-gray"])
        subprocess.run(args + [str(pdf_in), str(Path(d) / "p")], check=True)
        pages = sorted(Path(d).glob("p*.png"))
        if "V_scan" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("V_scan", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
        c = None
        for i, png in enumerate(pages):
            img = Image.open(png).convert("RGB")
            k = DPI / 72.0
            if opts.get("stamp") and signer_name:
                hit = _find(words[i], signer_name.split()[-1]) if i < len(words) else None
                if hit:
                    x, top, size = hit
                    img = _stamp(img, (x - 20) * k, (top - 55) * k, 48 * k, rng)
            angle = opts.get("angle", 0.6) * (1 if i % 2 == 0 else -1)
            img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor="white")
            arr = np.asarray(img).astype(np.float32)
            noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, opts.get("noise", 8), arr.shape[:2])
            arr = np.clip(arr + noise[..., None], 0, 255).astype(np.uint8)
            img = Image.fromarray(arr).filter(ImageFilter.GaussianBlur(0.5))
            if not opts.get("stamp"):
                img = img.convert("L")
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=70)
            buf.seek(0)
            w_pt, h_pt = img.width / k, img.height / k
            if c is None:
                c = canvas.Canvas(str(pdf_out), pagesize=(w_pt, h_pt))
            else:
                c.setPageSize((w_pt, h_pt))
            c.drawImage(ImageReader(buf), 0, 0, w_pt, h_pt)
            if opts.get("broken_layer") and i < len(words):
                dx, dy = rng.uniform(-30, 30), rng.uniform(-25, 25)
                for s, x, top, size in words[i]:
                    t = c.beginText()
                    t.setTextRenderMode(3)
                    t.setFont("V_scan", size)
                    t.setTextOrigin(x + dx, h_pt - top - size + dy)
                    t.textLine(" ".join(_scramble(w, rng) for w in s.split()))
                    c.drawText(t)
            c.showPage()
        c.save()
