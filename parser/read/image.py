"""Page images for OCR: render, drop red stamp ink, deskew, binarize.

Everything works on numpy arrays (uint8, H x W [x 3]); each step is cheap next to
the recognition itself (tens of milliseconds on an A4 page at 300 dpi).
"""
from __future__ import annotations

import numpy as np

# Tesseract reads body text best when a line is ~30-40 px high: A4 at 300 dpi
TARGET_WIDTH_A4 = 2480
A4_WIDTH_PT = 595.0
MIN_DPI, MAX_DPI = 200.0, 600.0


def render_scale(width_pt: float, height_pt: float, native_ppi: float | None) -> float:
    """Pixels per point for a page.

    Text sizes in official documents are fixed relative to the sheet (13-14 pt on A4), so
    a scan stored on a smaller or larger page is rendered to A4-at-300-dpi pixels; an
    embedded scan is not upsampled past its own resolution by much (that only adds blur).
    """
    short = min(width_pt, height_pt)
    scale = TARGET_WIDTH_A4 / A4_WIDTH_PT * A4_WIDTH_PT / short if short > 0 else 300 / 72
    dpi = scale * 72
    if native_ppi:
        dpi = min(dpi, max(native_ppi * 1.25, 300.0))
    return min(max(dpi, MIN_DPI), MAX_DPI) / 72


# rows converted at a time: small temporaries stay in the cache and in memory already mapped, where
# whole-page ones (five of 17 MB for an A4 page at 300 dpi) cost more to allocate than to compute
BAND = 128


def to_gray(rgb: np.ndarray) -> np.ndarray:
    gray = np.empty(rgb.shape[:2], np.uint8)
    for y in range(0, rgb.shape[0], BAND):
        band = rgb[y:y + BAND].astype(np.uint16)
        gray[y:y + BAND] = (band[..., 0] * 77 + band[..., 1] * 150 + band[..., 2] * 29) >> 8
    return gray


def coloured_ink(rgb: np.ndarray, colours: str, strength: int) -> np.ndarray:
    """Where one channel stands more than `strength` above the other two: red, and blue unless
    `colours` is "red"."""
    mask = np.empty(rgb.shape[:2], bool)
    for y in range(0, rgb.shape[0], BAND):
        band = rgb[y:y + BAND].astype(np.int16)
        r, g, b = band[..., 0], band[..., 1], band[..., 2]
        m = (r - np.maximum(g, b)) > strength
        if "blue" in colours:
            m |= (b - np.maximum(r, g)) > strength
        mask[y:y + BAND] = m
    return mask


def drop_ink(rgb: np.ndarray, colours: str = "red+blue", strength: int = 40) -> np.ndarray:
    """Grey image with coloured ink turned to paper: red stamps, and blue signatures unless
    `colours` is "red"; "none" only converts to grey.

    Printed text is black, dark in every channel. A pixel is ink when one channel stands well
    above the other two (red for stamps, blue for signatures). The mask grows by a pixel to take
    the ink's paler fringe (JPEG smears colour), but never takes a dark, colourless pixel: black
    text printed across a stamp stays.
    """
    gray = to_gray(rgb)
    if colours == "none":
        return gray
    coloured = coloured_ink(rgb, colours, strength)
    rows, cols = np.flatnonzero(coloured.any(axis=1)), np.flatnonzero(coloured.any(axis=0))
    if not len(rows):
        return gray
    h, w = coloured.shape
    # the ink's box with a clear pixel around it, where all the work happens (stamps and signatures
    # are a small part of a page); ink on the page's edge takes the whole page
    y0, y1, x0, x1 = rows[0] - 1, rows[-1] + 2, cols[0] - 1, cols[-1] + 2
    if y0 < 0 or x0 < 0 or y1 > h or x1 > w:
        y0, y1, x0, x1 = 0, h, 0, w
    ink = coloured[y0:y1, x0:x1]
    grown = ink.copy()
    for dy, dx in ((0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, -1), (1, -1), (-1, 1)):
        grown |= np.roll(np.roll(ink, dy, axis=0), dx, axis=1)
    box = rgb[y0:y1, x0:x1].astype(np.int16)
    r, g, b = box[..., 0], box[..., 1], box[..., 2]
    hi = np.maximum(np.maximum(r, g), b)
    lo = np.minimum(np.minimum(r, g), b)
    area = gray[y0:y1, x0:x1]
    black = ((hi - lo) < 60) & (area < 110)
    area[grown & ~black] = 255
    return gray


def otsu_threshold(gray: np.ndarray) -> int:
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    if total == 0:
        return 128
    levels = np.arange(256)
    w0 = np.cumsum(hist)
    m0 = np.cumsum(hist * levels)
    mt = m0[-1]
    w1 = total - w0
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mt * w0 / total - m0) ** 2 / (w0 * w1)
    between[~np.isfinite(between)] = 0
    return int(np.argmax(between))


def skew_angle(gray: np.ndarray, max_angle: float = 3.0) -> float:
    """The page's skew in degrees (positive: text lines fall to the right), by projection profiles.

    Ink pixels of a downsampled page are sheared by each candidate angle; the angle whose
    row histogram is sharpest (text lines stacked exactly) wins.
    """
    h, w = gray.shape
    step = max(1, int(round(w / 1000)))
    small = gray[::step, ::step]
    ink = small < otsu_threshold(small)
    ys, xs = np.nonzero(ink)
    if len(ys) < 500:
        return 0.0
    if len(ys) > 200_000:
        pick = np.random.default_rng(0).choice(len(ys), 200_000, replace=False)
        ys, xs = ys[pick], xs[pick]
    xs = xs.astype(np.float64) - small.shape[1] / 2
    ys = ys.astype(np.float64)

    def sharpness(angle: float) -> float:
        rows = np.round(ys - xs * np.tan(np.radians(angle))).astype(np.int64)
        rows -= rows.min()
        hist = np.bincount(rows).astype(np.float64)
        return float((np.diff(hist) ** 2).sum())

    coarse = np.arange(-max_angle, max_angle + 1e-9, 0.25)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05)
    return float(max(fine, key=sharpness))


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    """Rotate by `angle` degrees about the centre, keeping the size; the corners fill with paper."""
    from PIL import Image

    img = Image.fromarray(gray)
    return np.asarray(img.rotate(angle, resample=Image.BILINEAR, fillcolor=255))


def binarize(gray: np.ndarray, window: int = 0, k: float = 0.2) -> np.ndarray:
    """Black text on white: global Otsu, or Sauvola's local threshold when `window` > 0."""
    if window <= 0:
        return np.where(gray < otsu_threshold(gray), 0, 255).astype(np.uint8)
    g = gray.astype(np.float64)
    pad = window // 2
    padded = np.pad(g, pad + 1, mode="edge")
    s1 = padded.cumsum(0).cumsum(1)
    s2 = (padded ** 2).cumsum(0).cumsum(1)
    h, w = g.shape

    def box(s):
        a = s[window:window + h, window:window + w]
        b = s[:h, window:window + w]
        c = s[window:window + h, :w]
        d = s[:h, :w]
        return a - b - c + d

    n = window * window
    mean = box(s1) / n
    var = np.maximum(box(s2) / n - mean ** 2, 0)
    thresh = mean * (1 + k * (np.sqrt(var) / 128 - 1))
    return np.where(g < thresh, 0, 255).astype(np.uint8)


# -- received stamps -------------------------------------------------------------------------------------

# a received stamp (`ĐẾN`, `Số:`, `Ngày:`, `Chuyển:`) is a rectangle about 35-70 mm wide and 15-45 mm tall
STAMP_MM = ((25.0, 90.0), (12.0, 50.0))


def _coloured(rgb: np.ndarray, strength: int = 40) -> np.ndarray:
    """Red or blue/violet ink: one channel well above the other two (as in `drop_ink`)."""
    r = rgb[..., 0].astype(np.int16)
    g = rgb[..., 1].astype(np.int16)
    b = rgb[..., 2].astype(np.int16)
    return ((r - np.maximum(g, b)) > strength) | ((b - np.maximum(r, g)) > strength)


def _runs(line: np.ndarray, min_len: int) -> list[tuple[int, int]]:
    """(start, end) of the runs of True at least `min_len` long."""
    padded = np.concatenate(([False], line, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return [(int(s), int(e)) for s, e in zip(edges[::2], edges[1::2]) if e - s >= min_len]


def stamp_frames(rgb: np.ndarray, px_per_mm: float) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1, in pixels) of rectangular frames drawn in coloured ink: the received
    stamp a clerk presses onto an incoming document. Round seals and signatures have no long
    straight edges, so they are not taken.

    The coloured-ink mask is reduced to ~4 px/mm; a frame is two long horizontal runs (top and
    bottom edge, at least 25 mm, starting and ending together) joined by ink down both sides.
    """
    if rgb.ndim != 3 or rgb.shape[2] < 3:
        return []
    step = max(1, int(round(px_per_mm / 4)))
    mask = _coloured(rgb[::step, ::step, :3])
    if mask.sum() < 50:
        return []
    mm = px_per_mm / step
    # a stamp pressed a little askew: let each edge spread over a few rows and columns
    grown = mask.copy()
    for d in (1, 2):
        grown[d:] |= mask[:-d]
        grown[:-d] |= mask[d:]
    (wmin, wmax), (hmin, hmax) = STAMP_MM
    edges: list[tuple[int, int, int]] = []  # (row, x0, x1)
    for y in range(grown.shape[0]):
        for x0, x1 in _runs(grown[y], int(wmin * mm * 0.8)):
            if (x1 - x0) <= wmax * mm:
                edges.append((y, x0, x1))
    found: list[tuple[int, int, int, int]] = []
    tol = 3 * mm
    for i, (ya, a0, a1) in enumerate(edges):
        for yb, b0, b1 in edges[i + 1:]:
            if yb - ya < hmin * mm:
                continue
            if yb - ya > hmax * mm:
                break
            if abs(a0 - b0) > tol or abs(a1 - b1) > tol:
                continue
            x0, x1 = min(a0, b0), max(a1, b1)
            left = grown[ya:yb, max(x0 - 2, 0):x0 + int(2 * mm)].any(axis=1).mean()
            right = grown[ya:yb, max(x1 - int(2 * mm), 0):x1 + 2].any(axis=1).mean()
            if left < 0.7 or right < 0.7:
                continue
            # a frame is mostly paper inside (printed lines, a few handwritten words); a seal's
            # emblem or a filled block is not
            inner = mask[ya + int(2 * mm):yb - int(2 * mm), x0 + int(2 * mm):x1 - int(2 * mm)]
            if inner.size and inner.mean() < 0.2:
                found.append((x0, ya, x1, yb))
    frames: list[tuple[int, int, int, int]] = []
    for x0, y0, x1, y1 in sorted(found, key=lambda b: -(b[2] - b[0]) * (b[3] - b[1])):
        box = (x0 * step, y0 * step, x1 * step, y1 * step)
        if not any(_overlap(box, f) for f in frames):
            frames.append(box)
    return frames


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])
