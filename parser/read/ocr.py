"""OCR of pages whose text layer is missing or unusable, into the common page model.

`apply_ocr(source, mode)` takes what the PDF text-layer reader produced, decides page by
page whether that text can be used (`parser.read.quality`), renders the pages that
cannot, cleans the images (`parser.read.image`), recognises them with Tesseract
(`vie`) through tesserocr, and puts OCR pages in their place: words with boxes in PDF
points (origin top-left), a font size from the line's geometry, bold from the stroke
width, and Tesseract's word confidence (0..100). Layout, repair and extraction then run
on them unchanged.

What an OCRed page keeps of its text layer (`kept_words`): visible words that read well (a
number typed onto a scan, an e-signing stamp); never hidden ones (render mode 3, or under the
page image: a scanner's own OCR, which would otherwise appear beside the new reading, garbled
beside clean). Words of a received stamp (`ĐẾN`, `Số:`, `Ngày:`, `Chuyển:`) go to `Page.stamps`
(`split_stamps`). `read_digits` reads a region again with digits only (a handwritten serial).

Pages are recognised in parallel threads (tesserocr releases the GIL while Tesseract
works), one Tesseract instance per thread; a page that takes longer than its time limit
is cancelled by Tesseract itself and left out with a warning.
"""
from __future__ import annotations

import glob
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from parser.errors import MissingDependencyError
from parser.read import image as im
from parser.read.ocr_coverage import uncovered_bands
from parser.read.pagemodel import Page, SourceDocument, Word
from parser.read.quality import MIN_LETTERS, TextQuality, page_quality
from parser.text.ocr_repair import EDGE, lexicon, repair_words

LANG = "vie"
PAGE_TIMEOUT_S = 60.0  # VANBAN_OCR_PAGE_TIMEOUT overrides it
# a text layer over a full-page image is someone else's OCR: keep it only when it reads this well
MIN_SYLLABLE_SHARE_OVER_IMAGE = 0.8
APT_HINT = "apt-get install tesseract-ocr tesseract-ocr-vie"
# a stretch of a line read with less mean confidence than this is read again on its own
REREAD_BELOW = 75.0
# below this confidence a word that is neither Vietnamese nor a number is taken for a speck,
# a stamp's letters or a signature's stroke, and dropped
JUNK_BELOW = 50.0
# a word whose strokes are this much thicker than the page's usual text is bold
BOLD_RATIO = 1.2
# words below this confidence are counted in the page's OCR warning
LOW_CONFIDENCE = 60.0


@dataclass(slots=True)
class OcrSettings:
    lang: str = LANG
    timeout_s: float = field(default_factory=lambda: float(os.environ.get("VANBAN_OCR_PAGE_TIMEOUT") or PAGE_TIMEOUT_S))
    workers: int = 0  # 0: one per core, at most 2
    ink: str = "red+blue"  # coloured ink turned to paper before recognition: "red+blue", "red", "none"
    deskew: bool = True
    binarize: int = 0  # 0: leave it to Tesseract (Otsu); >0: Sauvola window in px at 300 dpi
    repair: bool = True
    dpi: float = 0.0  # 0: from the page and its image (see image.render_scale)
    # the resolution Tesseract is told; 0 leaves it to guess. Telling it the real one makes it
    # drop tone marks as specks (its noise filter scales with the resolution), so it is not told
    source_ppi: int = 0
    psm: int = 3  # Tesseract's page segmentation mode: 3 automatic, 11 sparse text
    reread: bool = True  # read weak stretches of lines again on their own


@dataclass(slots=True)
class PageJob:
    number: int
    width: float
    height: float
    reason: str
    keep: list[Word] = field(default_factory=list)  # text-layer words that stay (a thin layer on a scan)
    # what the page keeps when its OCR fails: its readable text layer, hidden words included
    fallback: list[Word] = field(default_factory=list)


# -- the engine --------------------------------------------------------------------------------------

def _missing(what: str) -> MissingDependencyError:
    return MissingDependencyError(
        f"Cần OCR nhưng {what}: cài đặt bằng `{APT_HINT}` (và `pip install tesserocr`) / "
        f"OCR is needed but {what}: install the Debian packages tesseract-ocr tesseract-ocr-vie "
        f"(`{APT_HINT}`) and the tesserocr Python package")


def tessdata_dir(lang: str = LANG) -> str:
    """The folder holding `<lang>.traineddata`, or MissingDependencyError.

    VANBAN_TESSDATA (then TESSDATA_PREFIX) names it explicitly; otherwise the places where
    Debian and source builds put it are tried.
    """
    explicit = os.environ.get("VANBAN_TESSDATA") or os.environ.get("TESSDATA_PREFIX")
    if explicit:
        candidates = [explicit, os.path.join(explicit, "tessdata")]
    else:
        candidates = sorted(glob.glob("/usr/share/tesseract-ocr/*/tessdata"), reverse=True) + [
            "/usr/share/tessdata", "/usr/local/share/tessdata", "/opt/homebrew/share/tessdata"]
    for folder in candidates:
        if os.path.isfile(os.path.join(folder, f"{lang}.traineddata")):
            return folder
    where = explicit or ", ".join(candidates[:3])
    raise _missing(f"không có dữ liệu tiếng Việt của Tesseract ({lang}.traineddata) / Tesseract's Vietnamese data "
                   f"({lang}.traineddata) is not installed (looked in {where})")


def _tesserocr():
    try:
        import tesserocr
    except ImportError as exc:  # the wheel, or the libtesseract it links, is missing
        raise _missing(f"không nạp được Tesseract / Tesseract cannot be loaded ({exc})") from exc
    return tesserocr


def check_engine(lang: str = LANG) -> str:
    """Raise MissingDependencyError unless OCR can run; returns the tessdata folder."""
    _tesserocr()
    return tessdata_dir(lang)


_local = threading.local()


def _api(tessdata: str, lang: str, psm: int = 3):
    """This thread's Tesseract instance (loading the model costs ~50 ms; reuse it)."""
    api = getattr(_local, "api", None)
    if api is None or getattr(_local, "key", None) != (tessdata, lang):
        tesserocr = _tesserocr()
        try:
            api = tesserocr.PyTessBaseAPI(path=tessdata, lang=lang)
        except RuntimeError as exc:  # a damaged or incompatible traineddata file
            raise _missing(f"Tesseract không nạp được dữ liệu {lang} / Tesseract cannot load its {lang} data "
                           f"from {tessdata} ({exc})") from exc
        _local.api, _local.key = api, (tessdata, lang)
    api.SetPageSegMode(psm)
    return api


# -- one page ----------------------------------------------------------------------------------------

@dataclass(slots=True)
class PageImage:
    number: int
    width: float  # points
    height: float
    scale: float  # pixels per point
    gray: np.ndarray  # what Tesseract reads
    angle: float = 0.0  # degrees the page was rotated by to deskew it
    prep_s: float = 0.0


def prepare(rgb: np.ndarray, job: PageJob, scale: float, settings: OcrSettings) -> PageImage:
    t0 = time.perf_counter()
    gray = im.drop_ink(rgb, settings.ink) if rgb.ndim == 3 else rgb
    angle = 0.0
    if settings.deskew:
        angle = im.skew_angle(gray)
        if abs(angle) >= 0.1:
            gray = im.rotate(gray, angle)
        else:
            angle = 0.0
    if settings.binarize:
        gray = im.binarize(gray, window=int(settings.binarize * scale * 72 / 300) | 1)
    return PageImage(job.number, job.width, job.height, scale, gray, angle, time.perf_counter() - t0)


@dataclass(slots=True)
class _Raw:
    """A word as Tesseract gave it, in pixels, with the line it sits on."""

    text: str
    box: tuple[int, int, int, int]
    confidence: float
    line: "_Line"


def _raw_words(api, RIL) -> list[list[_Raw]]:
    """The recognised words, line by line."""
    lines: list[list[_Raw]] = []
    it = api.GetIterator()
    if it is None:
        return lines
    line = None
    while True:
        if it.IsAtBeginningOf(RIL.TEXTLINE):
            line = _line_geometry(it, RIL)
            lines.append([])
        try:
            text = (it.GetUTF8Text(RIL.WORD) or "").strip()
        except RuntimeError:  # an empty word (a rule, a speck)
            text = ""
        box = it.BoundingBox(RIL.WORD) if text else None
        if text and box and line is not None and lines:
            lines[-1].append(_Raw(text, tuple(box), float(it.Confidence(RIL.WORD)), line))
        if not it.Next(RIL.WORD):
            break
    return [ln for ln in lines if ln]


def _segments(line: list[_Raw]) -> list[list[_Raw]]:
    """A line cut at wide gaps: Tesseract sometimes strings two columns into one line."""
    heights = sorted(r.box[3] - r.box[1] for r in line)
    em = max(heights[len(heights) // 2], 1)
    out = [[line[0]]]
    for prev, r in zip(line, line[1:]):
        if r.box[0] - prev.box[2] > 2.5 * em:
            out.append([r])
        else:
            out[-1].append(r)
    return out


def _inside(box: tuple[int, int, int, int], other: tuple[int, int, int, int]) -> bool:
    """Whether a third or more of `box` lies on `other`."""
    w = min(box[2], other[2]) - max(box[0], other[0])
    h = min(box[3], other[3]) - max(box[1], other[1])
    area = max((box[2] - box[0]) * (box[3] - box[1]), 1)
    return w > 0 and h > 0 and w * h * 3 >= area


def _mean_conf(raws: list[_Raw]) -> float:
    return sum(r.confidence for r in raws) / len(raws) if raws else 0.0


def _reread(api, RIL, tesserocr, segment: list[_Raw], shape: tuple[int, int], timeout_ms: int) -> list[_Raw] | None:
    """Recognise one weak stretch of a line again, on its own (as a block of text)."""
    x0 = min(r.box[0] for r in segment)
    y0 = min(r.box[1] for r in segment)
    x1 = max(r.box[2] for r in segment)
    y1 = max(r.box[3] for r in segment)
    pad = max(4, (y1 - y0) // 3)
    h, w = shape
    x0, y0, x1, y1 = max(0, x0 - pad), max(0, y0 - pad), min(w, x1 + pad), min(h, y1 + pad)
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    api.SetPageSegMode(tesserocr.PSM.SINGLE_BLOCK)
    api.SetRectangle(x0, y0, x1 - x0, y1 - y0)
    ok = api.Recognize(timeout_ms) if timeout_ms else api.Recognize()
    if not ok:
        return None
    return [r for ln in _raw_words(api, RIL) for r in ln]


def recognize(page: PageImage, tessdata: str, settings: OcrSettings) -> tuple[list[Word], bool]:
    """Words of one page image; the flag is False when Tesseract gave up at the time limit."""
    tesserocr = _tesserocr()
    RIL = tesserocr.RIL
    api = _api(tessdata, settings.lang, settings.psm)
    gray = np.ascontiguousarray(page.gray)
    h, w = gray.shape
    api.SetImageBytes(gray.tobytes(), w, h, 1, w)
    if settings.source_ppi:
        api.SetSourceResolution(settings.source_ppi)
    deadline = time.monotonic() + settings.timeout_s if settings.timeout_s else None
    ok = api.Recognize(int(settings.timeout_s * 1000)) if settings.timeout_s else api.Recognize()
    if not ok:
        api.Clear()
        return [], False
    raws: list[_Raw] = []
    weak: list[list[_Raw]] = []
    for line in _raw_words(api, RIL):
        for seg in _segments(line):
            raws.extend(seg)
            if settings.reread and _mean_conf(seg) < REREAD_BELOW and any(any(c.isalpha() for c in r.text) for r in seg):
                weak.append(seg)
    for seg in weak:
        left = (deadline - time.monotonic()) if deadline else 0.0
        if deadline and left <= 0:
            break
        again = _reread(api, RIL, tesserocr, seg, (h, w), int(left * 1000))
        if again:
            # the crop reaches into the lines above and below: keep what lies on this stretch
            top, bottom = min(r.box[1] for r in seg), max(r.box[3] for r in seg)
            again = [r for r in again if top <= (r.box[1] + r.box[3]) / 2 <= bottom]
        if again and _mean_conf(again) > _mean_conf(seg) + 5:
            replaced = {id(r) for r in seg}
            at = next(i for i, r in enumerate(raws) if id(r) in replaced)
            raws = [r for r in raws if id(r) not in replaced]
            # nor what another line already read
            raws[at:at] = [r for r in again if not any(_inside(r.box, o.box) for o in raws)]
    if settings.reread:
        raws = _read_uncovered(api, RIL, tesserocr, gray, raws, deadline)
    api.Clear()
    return _to_words([r for r in raws if not _junk(r)], gray, page.scale), True


def _letters(raws: list[_Raw]) -> int:
    return sum(c.isalnum() for r in raws for c in r.text)


def _read_uncovered(api, RIL, tesserocr, gray: np.ndarray, raws: list[_Raw], deadline: float | None) -> list[_Raw]:
    """Lines the page layout dropped (parser.read.ocr_coverage), each read again as a block of text. A band's
    reading replaces the page's words inside it when it reads more, and reads it with some confidence."""
    for x0, y0, x1, y1 in uncovered_bands(gray, [r.box for r in raws]):
        left = (deadline - time.monotonic()) if deadline else 0.0
        if deadline and left <= 0:
            break
        api.SetPageSegMode(tesserocr.PSM.SINGLE_BLOCK)
        api.SetRectangle(x0, y0, x1 - x0, y1 - y0)
        if not (api.Recognize(int(left * 1000)) if deadline else api.Recognize()):
            continue
        # words of this band (the crop reaches into the lines around it), not the table rules read as `|`
        got = [r for ln in _raw_words(api, RIL) for r in ln
               if y0 <= (r.box[1] + r.box[3]) / 2 <= y1 and r.text.strip("|¦")]
        if not any(any(c.isalnum() for c in r.text) for r in got) or _mean_conf(got) < LOW_CONFIDENCE:
            continue  # a signature's strokes, a smudge
        inside = {id(r) for r in raws if x0 <= (r.box[0] + r.box[2]) / 2 <= x1 and y0 <= (r.box[1] + r.box[3]) / 2 <= y1}
        if _letters(got) <= _letters([r for r in raws if id(r) in inside]):
            continue
        kept = [r for r in raws if id(r) not in inside]
        at = next((i for i, r in enumerate(kept) if r.box[1] >= y0), len(kept))
        raws = kept[:at] + got + kept[at:]
    return raws


def _junk(r: _Raw) -> bool:
    if r.confidence >= JUNK_BELOW:
        return False
    core = EDGE.match(r.text).group(2)
    if any(c.isdigit() for c in core):
        return False
    if core.isalpha() and len(core) >= 2 and core.lower() in lexicon().syllables:
        return False
    return True


def _to_words(raws: list[_Raw], gray: np.ndarray, s: float) -> list[Word]:
    """Pixels -> points, with the same box convention as the text-layer reader (from the
    baseline and the font size), and bold from the stroke width."""
    words: list[Word] = []
    strokes: list[tuple[Word, float]] = []
    ink = gray < im.otsu_threshold(gray) if raws else None
    for r in raws:
        x0, y0, x1, y1 = r.box
        base = r.line.baseline_at((x0 + x1) / 2)
        size_px = r.line.size_px
        word = Word(text=r.text, x0=x0 / s, top=(base - 0.8 * size_px) / s, x1=x1 / s, bottom=(base + 0.22 * size_px) / s,
                    size=size_px / s, confidence=round(r.confidence, 1), font="ocr")
        words.append(word)
        strokes.append((word, _stroke(ink, x0, y0, x1, y1)))
    _mark_bold(strokes)
    return words


@dataclass(slots=True)
class _Line:
    x0: float
    y0: float
    x1: float
    y1: float
    size_px: float

    def baseline_at(self, x: float) -> float:
        if self.x1 == self.x0:
            return self.y0
        return self.y0 + (self.y1 - self.y0) * (x - self.x0) / (self.x1 - self.x0)


def _line_geometry(it, RIL) -> _Line | None:
    base = it.Baseline(RIL.TEXTLINE)
    box = it.BoundingBox(RIL.TEXTLINE)
    if not base or not box:
        return None
    (bx0, by0), (bx1, by1) = base
    attrs = it.RowAttributes() or {}
    row_height = float(attrs.get("row_height") or 0)
    descenders = abs(float(attrs.get("descenders") or 0))
    # Tesseract's row height is x-height + ascender rise; with the descender that is ~1.22 em
    # (measured against the text layer of the same documents)
    size_px = (row_height + descenders) / 1.22
    if size_px < 4:  # a rule or a speck: use the box
        size_px = max(box[3] - box[1], 4)
    return _Line(bx0, by0, bx1, by1, size_px)


def _stroke(ink: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> float:
    """The width of a word's vertical strokes in pixels: the mean horizontal run of ink,
    leaving out runs along horizontal bars and serifs (longer than twice the median)."""
    sub = ink[max(y0, 0):y1, max(x0, 0):x1]
    if sub.size == 0 or not sub.any():
        return 0.0
    padded = np.zeros((sub.shape[0], sub.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = sub
    edges = np.diff(padded.ravel())
    runs = np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)
    runs = runs[runs <= 2 * np.median(runs)]
    return float(runs.mean()) if runs.size else 0.0


def _mark_bold(strokes: list[tuple[Word, float]]) -> None:
    """Bold words have strokes clearly thicker than the page's usual text.

    Measured on rendered and scanned pages against their text layers: the trimmed mean
    run of bold words is >= 1.25x the page median, of regular words <= 1.13x.
    """
    values = [v for w, v in strokes if v > 0 and sum(c.isalpha() for c in w.text) >= 2]
    if len(values) < 8:
        return
    typical = float(np.median(values))
    for w, v in strokes:
        w.bold = v > BOLD_RATIO * typical


# -- the document ------------------------------------------------------------------------------------

def _page_images(path: str):
    """pdfium document, or None when pdfium cannot open it (the text reader already said why)."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError:
        return None


def image_cover(pdf_page, width: float, height: float) -> tuple[float, float | None]:
    """Share of the page covered by images, and the resolution (px per inch) of the largest one."""
    import pypdfium2 as pdfium

    cover = 0.0
    best_area, ppi = 0.0, None
    for obj in pdf_page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        try:
            left, bottom, right, top = obj.get_bounds()
        except Exception:  # noqa: BLE001 - a broken image object is no image
            continue
        area = max(0.0, right - left) * max(0.0, top - bottom)
        cover += area
        if area > best_area:
            try:
                px_w, _ = obj.get_px_size()
                ppi = px_w / max((right - left) / 72, 1e-6)
                best_area = area
            except Exception:  # noqa: BLE001
                pass
    return min(cover / max(width * height, 1.0), 1.0), ppi


def decide(page: Page, quality: TextQuality, cover: float, mode: str) -> str:
    """Why this page must be OCRed ("" to keep its text layer); `cover`: share under images."""
    if mode == "always":
        return "OCR requested for every page"
    if not quality.usable and quality.letters >= MIN_LETTERS or quality.reason.startswith("unreadable"):
        return quality.reason  # a broken text layer: fonts that map to the wrong letters, or to none
    if quality.letters == 0:
        return "no text layer" if cover >= 0.3 else ""
    if quality.letters < 400 and cover >= 0.5:
        return f"little text on a scanned page ({quality.letters} letters)"
    if cover >= 0.85 and quality.reads_well < MIN_SYLLABLE_SHARE_OVER_IMAGE:
        how = "Vietnamese syllables" if quality.language == "vi" else "shaped like words"
        return f"poor text layer over a scanned page ({quality.reads_well:.0%} of words are {how})"
    return ""


def kept_words(page: Page, cover: float, mode: str) -> list[Word]:
    """The text-layer words an OCRed page keeps: the visible ones, when they read well.

    Hidden text (render mode 3, or under the page image) is someone else's OCR of the same scan:
    keeping it beside the new reading would give every line twice, garbled beside clean. A
    visible layer is kept (a number typed onto a scan, an e-signing system's stamp) unless it is
    itself broken or a poor reading drawn over the scan; OCR words that sit on a kept word are
    then dropped (`_merge`)."""
    if mode == "always":
        return []
    visible = [w for w in page.words if not w.hidden]
    if not visible:
        return []
    quality = page_quality(page, visible)
    if not quality.usable:
        return []
    if cover >= 0.85 and quality.reads_well < MIN_SYLLABLE_SHARE_OVER_IMAGE:
        return []
    return visible


def plan(source: SourceDocument, mode: str, pdf=None) -> list[PageJob]:
    """The pages to OCR and why; thin text layers on scans keep their words (stamped numbers, dates)."""
    jobs: list[PageJob] = []
    for page in source.pages:
        quality = page_quality(page)
        if mode != "always" and quality.usable and quality.letters >= 400 and quality.reads_well >= MIN_SYLLABLE_SHARE_OVER_IMAGE:
            continue  # a good text layer, in Vietnamese or another language: no need to look at the images
        cover = 0.0
        if page.image_cover is not None:  # the text reader saw the page's objects
            cover = page.image_cover
        elif pdf is not None:
            pdf_page = pdf[page.number - 1]
            cover, _ = image_cover(pdf_page, page.width, page.height)
            pdf_page.close()
        reason = decide(page, quality, cover, mode)
        if reason:
            keep = kept_words(page, cover, mode)
            jobs.append(PageJob(page.number, page.width, page.height, reason, keep,
                                page.words if quality.usable else keep))
    return jobs


def _render(pdf, job: PageJob, settings: OcrSettings) -> tuple[np.ndarray, float]:
    pdf_page = pdf[job.number - 1]
    try:
        if settings.dpi:
            scale = settings.dpi / 72
        else:
            _, ppi = image_cover(pdf_page, job.width, job.height)
            scale = im.render_scale(job.width, job.height, ppi)
        bitmap = pdf_page.render(scale=scale, may_draw_forms=True)
        rgb = bitmap.to_numpy()
        # pypdfium2 renders BGR(A) unless told otherwise
        rgb = rgb[..., 2::-1] if rgb.ndim == 3 else rgb
        return np.ascontiguousarray(rgb), scale
    finally:
        pdf_page.close()


def _merge(kept: list[Word], ocr: list[Word]) -> list[Word]:
    """Text-layer words stay; OCR words that sit on one of them are dropped."""
    if not kept:
        return ocr
    out = list(kept)
    for w in ocr:
        cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
        if not any(k.x0 - 1 <= cx <= k.x1 + 1 and k.top - 1 <= cy <= k.bottom + 1 for k in kept):
            out.append(w)
    return out


# -- received stamps ----------------------------------------------------------------------------------

_STAMP_HEAD = {"ĐẾN", "ĐÉN", "ĐỀN", "ĐẼN", "ĐÊN", "DEN", "ĐEN"}
_STAMP_FIELDS = ("số", "ngày", "chuyển", "lưu")


def _core(text: str) -> str:
    return EDGE.match(text).group(2)


def _field(w: Word) -> str:
    """`số`, `ngày`, `chuyển` for a stamp's field label (`Số:`, `Ngày:`, `Chuyển:`), else ""."""
    text = w.text.strip()
    if not text.endswith(":") and ":" not in text:
        return ""
    label = text.split(":", 1)[0].lower()
    return label if label in ("số", "ngày", "chuyển") else ""


@dataclass(slots=True)
class _Frame:
    """A stamp's frame on the page image: its box in pixels, the pixels per point, and its pixels."""

    box: tuple[int, int, int, int]
    scale: float
    rgb: np.ndarray

    @property
    def points(self) -> tuple[float, float, float, float]:
        return tuple(v / self.scale for v in self.box)

    def coloured(self, w: Word) -> bool:
        """Whether the word is written in the stamp's coloured ink rather than printed in black beneath it."""
        x0, y0 = self.box[0], self.box[1]
        sub = self.rgb[max(int(w.top * self.scale) - y0, 0):max(int(w.bottom * self.scale) - y0, 0),
                       max(int(w.x0 * self.scale) - x0, 0):max(int(w.x1 * self.scale) - x0, 0)]
        if sub.size == 0 or sub.ndim != 3:
            return True
        col = im._coloured(sub).sum()
        rgb = sub[..., :3].astype(np.int16)
        dark = ((rgb.max(axis=2) - rgb.min(axis=2)) < 60) & (rgb.mean(axis=2) < 110)
        return col >= dark.sum()


def split_stamps(words: list[Word], frames: list = ()) -> tuple[list[Word], list[Word]]:
    """(reading words, received-stamp words). A received stamp is the box a receiving office
    presses onto an incoming document (`ĐẾN`, `Số: 1016`, `Ngày: 05/9/2025`, `Chuyển: ...`): its
    number and day are the office's, not the document's. Its words are those inside a coloured
    rectangular frame found on the page image (`frames`, points), and those of a `ĐẾN` printed
    beside `Số` and `Ngày` lines (a stamp in black ink, or one whose frame did not show)."""
    stamp_ids: set[int] = set()
    for frame in frames:
        x0, y0, x1, y1 = frame.points if isinstance(frame, _Frame) else frame
        for w in words:
            cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
            # black print the stamp was pressed over stays
            if x0 - 2 <= cx <= x1 + 2 and y0 - 2 <= cy <= y1 + 2 and (not isinstance(frame, _Frame) or frame.coloured(w)):
                stamp_ids.add(id(w))
    for head in words:
        if _core(head.text) not in _STAMP_HEAD:
            continue
        em = max(head.size, head.height, 6.0)
        near = [w for w in words if w is not head and -0.5 * em <= w.x0 - head.x1 <= 3 * em
                and abs(w.middle - head.middle) <= 2.5 * em]
        fields = {f for w in near for f in _STAMP_FIELDS if _core(w.text).lower().startswith(f)}
        if not ({"số", "ngày"} <= fields):
            continue
        starts = [w for w in near if any(_core(w.text).lower().startswith(f) for f in _STAMP_FIELDS)]
        stamp_ids.add(id(head))
        for start in starts:
            # the field and what was written after it, on its line, up to the stamp's width (~70 mm)
            for w in words:
                if abs(w.middle - start.middle) <= 0.5 * em and start.x0 <= w.x0 <= head.x0 + 200:
                    stamp_ids.add(id(w))
    # or, when OCR missed the `ĐẾN`, the stamp's `Ngày:` and `Chuyển:` lines stacked one above the other
    starts = [w for w in words if _field(w) in ("số", "ngày", "chuyển")]
    for chuyen in (w for w in starts if _field(w) == "chuyển"):
        em = max(chuyen.size, chuyen.height, 6.0)
        stack = [w for w in starts if abs(w.x0 - chuyen.x0) <= 1.5 * em and 0 < chuyen.middle - w.middle <= 5 * em]
        if not any(_field(w) == "ngày" for w in stack):
            continue
        for start in stack + [chuyen]:
            for w in words:
                if abs(w.middle - start.middle) <= 0.5 * em and start.x0 <= w.x0 <= start.x0 + 170:
                    stamp_ids.add(id(w))
    if not stamp_ids:
        return words, []
    stamps = [w for w in words if id(w) in stamp_ids]
    for w in stamps:
        w.stamp = True
    return [w for w in words if id(w) not in stamp_ids], stamps


@dataclass(slots=True)
class PageResult:
    number: int
    words: list[Word] | None  # None: not read (see `error`)
    stamps: list[Word] = field(default_factory=list)  # words of a received stamp, out of the reading order
    prep_s: float = 0.0
    ocr_s: float = 0.0
    angle: float = 0.0
    error: str = ""  # why the page was not read: "" (timed out) or the failure


def ocr_pages(path: str, jobs: list[PageJob], settings: OcrSettings | None = None) -> list[PageResult]:
    """Render, clean and recognise the given pages, in parallel; results in page order."""
    settings = settings or OcrSettings()
    tessdata = check_engine(settings.lang)
    pdf = _page_images(path)
    if pdf is None or not jobs:
        return [PageResult(j.number, None) for j in jobs]
    workers = settings.workers or min(2, os.cpu_count() or 1)
    workers = max(1, min(workers, len(jobs)))

    def work(job: PageJob, rgb: np.ndarray, scale: float) -> PageResult:
        try:
            # a receiving office stamps the first page; looking for its frame costs ~0.1 s a page
            frames = ([_Frame(box, scale, rgb[box[1]:box[3], box[0]:box[2]].copy())
                       for box in im.stamp_frames(rgb, scale * 72 / 25.4)] if job.number == 1 else [])
            page_img = prepare(rgb, job, scale, settings)
            del rgb
            t0 = time.perf_counter()
            words, ok = recognize(page_img, tessdata, settings)
            t1 = time.perf_counter()
            if not ok:
                return PageResult(job.number, None, prep_s=page_img.prep_s, ocr_s=t1 - t0, angle=page_img.angle)
            if settings.repair:
                words = repair_words(words)
            words, stamps = split_stamps(_merge(job.keep, words), frames)
            return PageResult(job.number, words, stamps, page_img.prep_s, t1 - t0, page_img.angle)
        except MissingDependencyError:
            raise
        except Exception as exc:  # noqa: BLE001 - one unreadable page must not cost the document
            return PageResult(job.number, None, error=f"{type(exc).__name__}: {exc}")

    results: list[PageResult] = []
    try:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocr") as pool:
            pending = []
            for job in jobs:
                # pdfium is not thread-safe: render here, one page at a time, and keep at most
                # a couple of page images waiting so a long document does not fill the memory
                while len(pending) >= 2 * workers:
                    results.append(pending.pop(0).result())
                rgb, scale = _render(pdf, job, settings)
                pending.append(pool.submit(work, job, rgb, scale))
            results.extend(f.result() for f in pending)
    finally:
        pdf.close()
    return results


def apply_ocr(source: SourceDocument, mode: str = "auto", settings: OcrSettings | None = None) -> SourceDocument:
    """Replace the pages whose text layer is unusable by OCR pages (mode: auto | always | never)."""
    if mode == "never" or source.kind != "pdf":
        return source
    # the planner looks at a page's images only when the text reader did not
    pdf = _page_images(source.path) if any(p.image_cover is None for p in source.pages) else None
    try:
        jobs = plan(source, mode, pdf)
    finally:
        if pdf is not None:
            pdf.close()
    if not jobs:
        return source
    results = {r.number: r for r in ocr_pages(source.path, jobs, settings)}
    by_number = {p.number: p for p in source.pages}
    timeout = (settings or OcrSettings()).timeout_s
    for job in jobs:
        res = results.get(job.number)
        page = by_number[job.number]
        if res is None or res.words is None:
            if res is not None and res.error:
                source.warnings.append(f"Trang {job.number}: OCR thất bại nên bị bỏ qua / page {job.number}: OCR failed "
                                       f"and the page was skipped ({res.error})")
            else:
                source.warnings.append(
                    f"Trang {job.number}: OCR quá {timeout:g} giây nên bị bỏ qua / page {job.number}: OCR took longer "
                    f"than {timeout:g} s and the page was skipped")
            page.words = job.fallback or job.keep
            continue
        page.words = res.words
        if res.stamps:
            page.stamps = res.stamps
            source.warnings.append(
                f"Trang {job.number}: bỏ qua dấu “ĐẾN” của nơi nhận ({len(res.stamps)} từ) / page {job.number}: a received "
                f"stamp was left out of the text ({len(res.stamps)} words)")
        low = sum(1 for w in res.words if w.confidence is not None and w.confidence < LOW_CONFIDENCE)
        source.warnings.append(
            f"Trang {job.number} được đọc bằng OCR ({_vi_reason(job.reason)}) / page {job.number} was read by OCR "
            f"({job.reason})" + (f"; {low} từ nhận dạng kém tin cậy / {low} words read with low confidence" if low else ""))
    source.reader = f"{source.reader}+ocr" if source.reader else "ocr"
    return source


def _vi_reason(reason: str) -> str:
    if reason.startswith("no text layer"):
        return "không có lớp chữ"
    if reason.startswith("OCR requested"):
        return "theo yêu cầu"
    if reason.startswith("little text"):
        return "trang quét, lớp chữ quá ít"
    if reason.startswith("poor text layer"):
        return "lớp chữ trên trang quét đọc sai"
    return "lớp chữ hỏng, không đọc được"


# -- a second, digits-only reading of a region (a handwritten serial) --------------------------------

DIGITS = "0123456789/-"
# the height digits are scaled to before recognition: Tesseract reads handwriting best at ~50-70 px
DIGIT_HEIGHT_PX = 64


def _digits_api(tessdata: str, lang: str):
    """This thread's Tesseract instance restricted to digits (its own: the whitelist sticks to an instance)."""
    api = getattr(_local, "digits_api", None)
    if api is None or getattr(_local, "digits_key", None) != (tessdata, lang):
        tesserocr = _tesserocr()
        try:
            api = tesserocr.PyTessBaseAPI(path=tessdata, lang=lang)
        except RuntimeError as exc:
            raise _missing(f"Tesseract không nạp được dữ liệu {lang} / Tesseract cannot load its {lang} data "
                           f"from {tessdata} ({exc})") from exc
        api.SetVariable("tessedit_char_whitelist", DIGITS)
        api.SetVariable("classify_bln_numeric_mode", "1")
        _local.digits_api, _local.digits_key = api, (tessdata, lang)
    return api


def _region_gray(source, bbox, page: int) -> np.ndarray:
    """The region as a grey image with red stamp ink dropped (blue handwriting and black print stay).

    `source`: a PDF path or a SourceDocument (bbox in points from the page's top-left, as the page
    model has it, on 1-based `page`), or an image (numpy array or PIL image; bbox in pixels)."""
    x0, top, x1, bottom = (float(v) for v in bbox)
    if isinstance(source, (str, os.PathLike)) or isinstance(source, SourceDocument):
        path = source.path if isinstance(source, SourceDocument) else os.fspath(source)
        pdf = _page_images(path)
        if pdf is None:
            raise ValueError(f"{path}: not a PDF that can be rendered")
        try:
            pdf_page = pdf[page - 1]
            try:
                width, height = pdf_page.get_size()
                scale = 400 / 72  # the region is small: render it finely
                bitmap = pdf_page.render(scale=scale, may_draw_forms=True,
                                         crop=(max(x0, 0), max(height - bottom, 0), max(width - x1, 0), max(top, 0)))
                rgb = bitmap.to_numpy()
                rgb = np.ascontiguousarray(rgb[..., 2::-1]) if rgb.ndim == 3 else rgb
            finally:
                pdf_page.close()
        finally:
            pdf.close()
    else:
        arr = np.asarray(source)
        h, w = arr.shape[:2]
        rgb = arr[max(int(top), 0):min(int(round(bottom)), h), max(int(x0), 0):min(int(round(x1)), w)]
    if rgb.ndim == 3 and rgb.shape[2] >= 3:
        return im.drop_ink(np.ascontiguousarray(rgb[..., :3]), "red")
    return np.ascontiguousarray(rgb if rgb.ndim == 2 else rgb[..., 0]).astype(np.uint8)


def _digit_strokes(ink: np.ndarray) -> np.ndarray | None:
    """The ink cut to the written characters: column runs at either end that are much shorter
    than the writing (a colon's dots, the foot of a slash, a speck) are left out."""
    cols = np.flatnonzero(ink.any(axis=0))
    if cols.size == 0 or ink.sum() < 8:
        return None
    runs: list[tuple[int, int]] = []
    start = prev = int(cols[0])
    for x in cols[1:]:
        x = int(x)
        if x > prev + 1:
            runs.append((start, prev + 1))
            start = x
        prev = x
    runs.append((start, prev + 1))
    rows = np.flatnonzero(ink.any(axis=1))
    height = rows[-1] - rows[0] + 1

    def run_height(run: tuple[int, int]) -> int:
        r = np.flatnonzero(ink[:, run[0]:run[1]].any(axis=1))
        return int(r[-1] - r[0] + 1)

    while len(runs) > 1 and run_height(runs[0]) < 0.45 * height:
        runs.pop(0)
    while len(runs) > 1 and run_height(runs[-1]) < 0.45 * height:
        runs.pop()
    sub = ink[:, runs[0][0]:runs[-1][1]]
    rows = np.flatnonzero(sub.any(axis=1))
    return sub[rows[0]:rows[-1] + 1]


def read_digits(source, bbox, page: int = 1, lang: str = LANG) -> tuple[str, float]:
    """Read a region again with only digits, `/` and `-` allowed: the serial a clerk wrote by hand
    after `Số:`, which the page's OCR missed or misread (and which `drop_ink` may have taken for a
    blue signature stroke).

    `source` and `bbox` as in `_region_gray`: a PDF path or SourceDocument with a box in points
    (x0, top, x1, bottom from the page's top-left, as words have it) on 1-based `page`, or an image
    (numpy array or PIL image) with a box in pixels. The box should hold the serial alone (from
    after `Số:` to before the `/` of the symbol).

    The region is cleaned (red stamp ink dropped, blue and black ink kept, cut to its strokes) and
    read in several ways: Tesseract's Vietnamese and, when installed, English models, the strokes
    scaled to 40, 64 and 96 px and thickened or not, as one line and as one word. The readings
    vote, each weighted by its confidence. Returns the winning text ("" when nothing was read) and
    a confidence 0..1: the winner's share of the votes times its mean Tesseract confidence, so a
    reading the variants disagree on comes back weak. Handwriting is hard for Tesseract: treat a
    confidence under ~0.5 as a guess.
    """
    from PIL import Image, ImageFilter

    _tesserocr()
    tessdata = tessdata_dir(lang)
    gray = _region_gray(source, bbox, page)
    if gray.size == 0:
        return "", 0.0
    strokes = _digit_strokes(gray < min(im.otsu_threshold(gray), 200))
    if strokes is None:
        return "", 0.0
    base = Image.fromarray(np.where(strokes, 0, 255).astype(np.uint8))
    langs = [lang] + [extra for extra in ("eng",) if extra != lang and os.path.isfile(os.path.join(tessdata, f"{extra}.traineddata"))]
    votes: dict[str, float] = {}
    confs: dict[str, list[float]] = {}
    tesserocr = _tesserocr()
    for model in langs:
        api = _digits_api(tessdata, model)
        try:
            for height in (40, 64, 96):
                k = height / max(base.height, 1)
                img = base.resize((max(1, round(base.width * k)), height), Image.LANCZOS)
                for thick in (0, 3):
                    shown = img.filter(ImageFilter.MinFilter(thick)) if thick else img
                    canvas = Image.new("L", (shown.width + height, shown.height + height), 255)
                    canvas.paste(shown, (height // 2, height // 2))
                    for psm in (tesserocr.PSM.SINGLE_LINE, tesserocr.PSM.SINGLE_WORD):
                        api.SetPageSegMode(psm)
                        api.SetImage(canvas)
                        if not api.Recognize(2000):
                            continue
                        text = "".join(c for c in (api.GetUTF8Text() or "") if c in DIGITS).strip("-/")
                        if not any(c.isdigit() for c in text):
                            continue
                        conf = max(0.0, float(api.MeanTextConf())) / 100
                        votes[text] = votes.get(text, 0.0) + 1 + conf
                        confs.setdefault(text, []).append(conf)
        finally:
            api.Clear()
    if not votes:
        return "", 0.0
    text = max(votes, key=votes.get)
    share = votes[text] / sum(votes.values())
    return text, round(share * (sum(confs[text]) / len(confs[text])) ** 0.5, 3)
