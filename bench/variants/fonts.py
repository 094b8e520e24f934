"""Font files the renderers may use (reportlab needs precomposed Vietnamese glyphs)."""
from __future__ import annotations

import os

_D = "/usr/share/fonts/truetype/dejavu/"
# Liberation 2: its own folder on Debian 12 (fonts-liberation2), fonts-liberation's on Debian 13 (where it is 2.x)
_L = next((d for d in ("/usr/share/fonts/truetype/liberation2/", "/usr/share/fonts/truetype/liberation/")
           if os.path.exists(d + "LiberationSerif-Regular.ttf")), "/usr/share/fonts/truetype/liberation2/")
_C = "/usr/share/fonts/truetype/crosextra/"

# name -> (family as LibreOffice knows it, regular, bold, italic, bold italic)
FONTS = {
    "dejavu": ("DejaVu Serif", _D + "DejaVuSerif.ttf", _D + "DejaVuSerif-Bold.ttf",
               _D + "DejaVuSerif-Italic.ttf", _D + "DejaVuSerif-BoldItalic.ttf"),
    "dejavu-condensed": ("DejaVu Serif Condensed", _D + "DejaVuSerifCondensed.ttf", _D + "DejaVuSerifCondensed-Bold.ttf",
                         _D + "DejaVuSerifCondensed-Italic.ttf", _D + "DejaVuSerifCondensed-BoldItalic.ttf"),
    "liberation": ("Liberation Serif", _L + "LiberationSerif-Regular.ttf", _L + "LiberationSerif-Bold.ttf",
                   _L + "LiberationSerif-Italic.ttf", _L + "LiberationSerif-BoldItalic.ttf"),
    "caladea": ("Caladea", _C + "Caladea-Regular.ttf", _C + "Caladea-Bold.ttf",
                _C + "Caladea-Italic.ttf", _C + "Caladea-BoldItalic.ttf"),
}


def available(name: str) -> bool:
    return all(os.path.exists(p) for p in FONTS[name][1:])


def reportlab_fonts() -> list[str]:
    """Fonts installed on this machine that reportlab can draw Vietnamese with."""
    return [n for n in ("dejavu", "liberation", "dejavu-condensed", "caladea") if available(n)]
