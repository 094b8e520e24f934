"""Ink that Tesseract's page layout left unread.

Tesseract's layout analysis sometimes drops a whole line of a page as noise: a number row whose
handwritten digits were cleaned away, the first words of a narrow column, a table row. Printed
text is ink in horizontal bands about a line high; the bands that no recognised word covers
are read again on their own (ocr.recognize).
"""
from __future__ import annotations

import numpy as np

from parser.read.image import otsu_threshold

# the mask is worked out at half resolution: a line of text is still 20+ px high
STEP = 2
# rows and columns that are mostly ink are rules, frames and scan borders, not text
RULE_SHARE = 0.3
MAX_BANDS = 8


def uncovered_bands(gray: np.ndarray, boxes: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Bands (x0, y0, x1, y1, in pixels of `gray`) of line-high, several-letters-wide ink that no word box
    (x0, y0, x1, y1) covers, top to bottom, at most MAX_BANDS."""
    if not boxes:
        return []
    heights = sorted(b[3] - b[1] for b in boxes)
    em = max(heights[len(heights) // 2] // STEP, 4)  # a line's height, in mask pixels
    small = gray[::STEP, ::STEP]
    ink = small < otsu_threshold(small)
    ink[:, ink.mean(axis=0) > RULE_SHARE] = False
    ink[ink.mean(axis=1) > RULE_SHARE, :] = False
    pad = max(em // 3, 1)
    for x0, y0, x1, y1 in boxes:
        ink[max(y0 // STEP - pad, 0):y1 // STEP + pad, max(x0 // STEP - pad, 0):x1 // STEP + pad] = False
    h, w = ink.shape
    on = ink.sum(axis=1) >= max(3, em // 2)
    bands: list[tuple[int, int, int, int]] = []
    y = 0
    while y < h and len(bands) < MAX_BANDS:
        if not on[y]:
            y += 1
            continue
        top, gap = y, 0
        while y < h and gap <= em // 4:  # a band runs on over small gaps (the space between marks and letters)
            gap = 0 if on[y] else gap + 1
            y += 1
        bottom = y - gap
        if 0.5 * em <= bottom - top <= 2.5 * em:
            cols = np.flatnonzero(ink[top:bottom].any(axis=0))
            if len(cols) and cols[-1] - cols[0] >= 3 * em:  # several letters wide, not a speck or a lone mark
                bands.append((max(cols[0] - em, 0) * STEP, max(top - pad, 0) * STEP,
                              min(cols[-1] + em, w) * STEP, min(bottom + pad, h) * STEP))
    return bands
