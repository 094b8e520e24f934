"""OCR of pages whose text layer is missing or unusable, into the common page model.

`apply_ocr(source, mode)` takes what the PDF text-layer reader produced, decides page by
page whether that text can be used (`parser.read.quality`), renders the pages that
cannot, cleans the images (`parser.read.image`), recognises them with Tesseract
(`vie`) through tesserocr, and puts OCR pages in their place: words with boxes in PDF
points (origin top-left), a font size from the line's geometry, bold from the stroke
width, and Tesseract's word confidence (0..100). Layout, repair and extraction then run
on them unchanged.

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
from parser.read.pagemodel import Page, SourceDocument, Word
from parser.read.quality import TextQuality, page_quality
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
    api.Clear()
    return _to_words([r for r in raws if not _junk(r)], gray, page.scale), True


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
    if quality.letters == 0:
        return "no text layer" if cover >= 0.3 else ""
    if not quality.usable and quality.letters >= 40:
        return quality.reason  # a broken text layer: fonts that map to the wrong letters
    if quality.letters < 400 and cover >= 0.5:
        return f"little text on a scanned page ({quality.letters} letters)"
    if cover >= 0.85 and quality.syllable_share < MIN_SYLLABLE_SHARE_OVER_IMAGE:
        return f"poor text layer over a scanned page ({quality.syllable_share:.0%} of words are Vietnamese syllables)"
    return ""


def plan(source: SourceDocument, mode: str, pdf=None) -> list[PageJob]:
    """The pages to OCR and why; thin text layers on scans keep their words (stamped numbers, dates)."""
    jobs: list[PageJob] = []
    for page in source.pages:
        quality = page_quality(page)
        if mode != "always" and quality.usable and quality.letters >= 400 and quality.syllable_share >= MIN_SYLLABLE_SHARE_OVER_IMAGE:
            continue  # a good text layer: no need to look at the images
        cover = 0.0
        if pdf is not None:
            pdf_page = pdf[page.number - 1]
            cover, _ = image_cover(pdf_page, page.width, page.height)
            pdf_page.close()
        reason = decide(page, quality, cover, mode)
        if reason:
            keep = page.words if (quality.usable and mode != "always") else []
            jobs.append(PageJob(page.number, page.width, page.height, reason, keep))
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


@dataclass(slots=True)
class PageResult:
    number: int
    words: list[Word] | None  # None: not read (see `error`)
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
            page_img = prepare(rgb, job, scale, settings)
            del rgb
            t0 = time.perf_counter()
            words, ok = recognize(page_img, tessdata, settings)
            t1 = time.perf_counter()
            if not ok:
                return PageResult(job.number, None, page_img.prep_s, t1 - t0, page_img.angle)
            if settings.repair:
                words = repair_words(words)
            return PageResult(job.number, _merge(job.keep, words), page_img.prep_s, t1 - t0, page_img.angle)
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
    pdf = _page_images(source.path)
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
            page.words = job.keep
            continue
        page.words = res.words
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
    return "lớp chữ không phải tiếng Việt đọc được"
