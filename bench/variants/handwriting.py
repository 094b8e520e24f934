"""Hand-written-looking digits (ballpoint blue, each glyph tilted) as a PNG for a blank field."""
from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf"


def digits_png(text: str, path: Path, rng: random.Random, height: int = 60) -> tuple[int, int]:
    """Draw `text` into `path`; returns the image size in pixels."""
    font = ImageFont.truetype(_FONT, int(height * 0.8))
    glyphs = []
    for ch in text:
        w = int(height * 0.7)
        g = Image.new("L", (w, height), 0)
        ImageDraw.Draw(g).text((w * 0.1, height * 0.05), ch, fill=255, font=font,
                               stroke_width=rng.choice([0, 1]), stroke_fill=255)
        glyphs.append(g.rotate(rng.uniform(-12, 12), resample=Image.BICUBIC, expand=False))
    step = int(height * 0.55)
    img = Image.new("RGB", (step * len(text) + int(height * 0.4), height), "white")
    ink = Image.new("RGB", img.size, (rng.randint(10, 40), rng.randint(30, 60), rng.randint(140, 190)))
    mask = Image.new("L", img.size, 0)
    for i, g in enumerate(glyphs):
        mask.paste(g, (i * step + rng.randint(-2, 2), rng.randint(-3, 3)), g)
    img.paste(ink, (0, 0), mask)
    img.save(path)
    return img.size


def scribble_png(path: Path, rng: random.Random, size: tuple[int, int] = (240, 90)) -> tuple[int, int]:
    """A signature-like scribble: a few looping strokes in blue ink."""
    w, h = size
    img = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(img)
    ink = (rng.randint(10, 40), rng.randint(30, 60), rng.randint(140, 190))
    x, y = w * 0.08, h * 0.6
    pts = [(x, y)]
    for k in range(rng.randint(14, 22)):
        x += rng.uniform(4, 16)
        y = h * 0.5 + rng.uniform(-0.38, 0.38) * h
        pts.append((min(x, w - 4), y))
    d.line(pts, fill=ink, width=3, joint="curve")
    d.line([(w * 0.1, h * 0.8), (w * 0.9, h * 0.7)], fill=ink, width=2)
    img.save(path)
    return size
