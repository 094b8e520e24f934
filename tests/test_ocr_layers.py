"""Which text a scanned or foreign page keeps: hidden OCR layers, other languages, received stamps,
the digits-only second reading, and the CLI's whole-document time limit.

Real inputs where the corpus has them (broken and hidden text layers, a received stamp), PDFs built
here with reportlab and PIL where it has none (English and German text layers, a scan under a
garbled invisible layer, drawn digits). Tesseract runs for real.
"""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from parser import parse
from parser.errors import ExitCode
from parser.options import ParseOptions
from parser.read import image as im
from parser.read import ocr
from parser.read.pagemodel import Word
from parser.read.pdf import read_pdf
from parser.read.quality import page_quality, text_quality
from tests.foreign_pdfs import ENGLISH, GERMAN, text_pdf

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "docs"
SCAN = CORPUS / "nd-149-kh-ldld-2023-scan.pdf"
HIDDEN = CORPUS / "lc-31-3-2026-bb-kiemtra-kho-vlncn-td-namcang1a-d.pdf"  # a scanner's OCR, render mode 3: "CQNG HOA XA HOr"
BROKEN = ["lc-kh-1105-dkt-ke-hoach-kiem-tra.pdf", "lc-qd-1050-kiem-tra-vlncn-2026.pdf",
          "lc-tb-1894-ket-qua-sau-kiem-tra-vlncn-ban-ky.pdf"]  # fonts mapped to the wrong letters
RECEIVED = CORPUS / "rd-c04-cv-3980-p6-2025.pdf"  # a red `ĐẾN` stamp over the header of page 1
SEALED = CORPUS / "rd-ttg-qd-932-2025.pdf"  # a round red seal over the signer on page 3
HANDWRITTEN = CORPUS / "rd-bca-cv-5240-v01-2025.pdf"  # serial 5240 written by hand in blue after `Số:`
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
SANS_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


# -- text quality in any language ---------------------------------------------------------------------------

def test_english_german_and_french_prose_reads_as_text():
    french = ("Le projet a été lancé en mars avec le soutien des autorités provinciales et de trois universités "
              "partenaires. Son objectif est d'améliorer la sécurité des explosifs industriels.").split()
    for words in (" ".join(ENGLISH).split(), " ".join(GERMAN).split(), french):
        q = text_quality(words)
        assert q.usable and q.language == "other", q
        assert q.syllable_share < 0.6  # not Vietnamese: the old test alone would have OCRed it
        assert q.wordlike_share > 0.95


def test_broken_and_hidden_layers_do_not_read_as_text_in_any_language():
    for name in BROKEN:
        page = read_pdf(str(CORPUS / name), max_pages=1).pages[0]
        q = page_quality(page)
        assert not q.usable and q.reason.startswith("unreadable text layer"), (name, q)
    hidden = read_pdf(str(HIDDEN), max_pages=1).pages[0]
    q = page_quality(hidden)
    assert not q.usable and q.wordlike_share < 0.7, q
    # glyphs without a Unicode map, and English mojibake
    assert not text_quality(["\ue001\ue002\ue003\ue004"] * 30).usable
    assert not text_quality("Tl1e pr0ject wAs lAunched ln rnArch wlth tbe suppOrt Of tbe prOvlnclal aUtbOrltles".split() * 3).usable
    # a Vietnamese page keeps its Vietnamese test: a broken one is not rescued by looking like words
    assert not text_quality("Kế hoạch ph¸t ®éng phong trµo thi ®ua yªu n­íc n¨m 2024 cña Uû ban nh©n d©n".split() * 3).usable


def test_symbol_font_bullets_do_not_break_a_good_page():
    words = "Các đơn vị báo cáo kết quả thực hiện kế hoạch về Sở trước ngày 15 tháng 12 năm 2024".split()
    assert text_quality(words * 3 + ["\uf0a8"] * 6).usable


def test_english_and_german_pdfs_are_not_ocred(tmp_path):
    for paragraphs, name in ((ENGLISH, "english"), (GERMAN, "german")):
        pdf = text_pdf(tmp_path / f"{name}.pdf", paragraphs, 14)
        source = read_pdf(str(pdf))
        assert len(source.pages) == 14
        assert ocr.plan(source, "auto", ocr._page_images(str(pdf))) == []
        doc = parse(str(pdf), ParseOptions(ocr="auto"))
        assert doc.source.reader == "pdfium"
        assert not any("OCR" in w.message for w in doc.warnings)
        assert doc.text == parse(str(pdf), ParseOptions(ocr="never")).text
        assert paragraphs[1].split()[3] in doc.text


def test_a_long_english_pdf_is_planned_without_ocr(tmp_path):
    pdf = text_pdf(tmp_path / "long.pdf", ENGLISH, 285)
    source = read_pdf(str(pdf), max_pages=300)
    assert len(source.pages) == 285
    assert ocr.plan(source, "auto", ocr._page_images(str(pdf))) == []


def test_broken_layers_are_still_ocred_and_their_words_dropped():
    for name in BROKEN:
        path = CORPUS / name
        jobs = ocr.plan(read_pdf(str(path), max_pages=2), "auto", ocr._page_images(str(path)))
        assert [j.number for j in jobs] == [1, 2], name
        assert all(j.keep == [] for j in jobs)


# -- hidden OCR layers --------------------------------------------------------------------------------------

LINES = ["CÔNG AN TỈNH LÂM ĐỒNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
         "Số: 125/KH-CAT", "Lâm Đồng, ngày 15 tháng 3 năm 2024", "KẾ HOẠCH",
         "Triển khai phong trào thi đua vì an ninh Tổ quốc năm 2024",
         "Căn cứ Luật Thi đua, khen thưởng năm 2022 và các văn bản hướng dẫn;",
         "Công an tỉnh ban hành kế hoạch triển khai phong trào thi đua",
         "trên địa bàn tỉnh trong năm 2024 như sau./."]
# what a phone app's OCR made of them: mostly real syllables, but the wrong ones
GARBLED = ["CÔNG AN TÈNH LÂM ÒNG", "CỘNG HÒA XÃ HỌI CHỦ NGHÍA VIỆT NAM", "Độc lập - Tư do - Hạnh phục",
           "Sô: 125/KH-CAT", "Lâm Đòng, ngay 15 tháng 3 nam 2024", "KÉ HOẠCH",
           "Triền khai phong trảo thi đưa vì an ninh Tô quốc năm 2024",
           "Căn cử Luật Thi đua, khen thướng năm 2022 và các vân bán hướng dẫn;",
           "Công an tính ban hành kê hoạch triền khai phong trào thi đưa",
           "trên địa bản tính trong nằm 2024 như sau./."]
LINE_Y = [110, 110, 130, 170, 170, 250, 280, 340, 370, 400]
LINE_X = [60, 300, 345, 90, 300, 260, 90, 80, 80, 80]


def _scan_with_a_layer(path: Path, mode: int, under: bool = False) -> Path:
    """A page image (150 dpi) of LINES, with GARBLED as its text layer at the same places: drawn
    invisibly (render mode 3) over the image, or visibly but under it (`under`)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    img = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), 25)
    k = 150 / 72
    for text, x, y in zip(LINES, LINE_X, LINE_Y):
        draw.text((x * k, (y - 10) * k), text, fill="black", font=font)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    buf.seek(0)
    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(FONT)))
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    from reportlab.lib.utils import ImageReader

    def layer():
        for text, x, y in zip(GARBLED, LINE_X, LINE_Y):
            t = c.beginText(x, 842 - y)
            t.setFont("DejaVuSerif", 12)
            t.setTextRenderMode(mode)
            t.textLine(text)
            c.drawText(t)

    if under:
        layer()
    c.drawImage(ImageReader(buf), 0, 0, width=595, height=842)
    if not under:
        layer()
    c.showPage()
    c.save()
    return path


@pytest.mark.parametrize("mode, under", [(3, False), (0, True)], ids=["invisible", "under-the-image"])
def test_a_garbled_ocr_layer_under_a_scan_is_replaced_not_doubled(tmp_path, mode, under):
    pdf = _scan_with_a_layer(tmp_path / "scan.pdf", mode, under)
    page = read_pdf(str(pdf)).pages[0]
    assert page.words and all(w.hidden for w in page.words)
    # real syllables, mostly the wrong ones: a layer good enough to be kept beside the OCR before
    assert page_quality(page).usable
    [job] = ocr.plan(read_pdf(str(pdf)), "auto", ocr._page_images(str(pdf)))
    assert job.reason.startswith("little text on a scanned page") and job.keep == []
    doc = parse(str(pdf), ParseOptions(ocr="auto"))
    text = doc.text
    for wrong in ("TÈNH", "ÒNG", "HỌI", "Tư do", "Hạnh phục", "thướng", "Triền"):
        assert wrong not in text, (wrong, text[:400])
    assert text.count("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == 1, text[:400]
    assert text.count("LÂM ĐỒNG") == 1, text[:400]
    assert doc.number.value == "125/KH-CAT"
    assert doc.issued_date.value == "2024-03-15"


def test_corpus_hidden_layer_words_are_flagged_and_dropped():
    source = read_pdf(str(HIDDEN), max_pages=2)
    assert all(w.hidden for p in source.pages for w in p.words)
    jobs = ocr.plan(source, "auto", ocr._page_images(str(HIDDEN)))
    assert [j.number for j in jobs] == [1, 2] and all(j.keep == [] for j in jobs)
    # an ordinary text PDF has nothing hidden
    assert not any(w.hidden for p in read_pdf(str(ROOT / "samples" / "nd-149-kh-ldld-2023.pdf")).pages for w in p.words)


# -- received stamps ----------------------------------------------------------------------------------------

def _render(path: Path, number: int) -> tuple[np.ndarray, float]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[number - 1]
        scale = im.render_scale(*page.get_size(), None)
        rgb = page.render(scale=scale).to_numpy()[..., 2::-1]
        return np.ascontiguousarray(rgb), scale
    finally:
        pdf.close()


def test_the_received_stamp_frame_is_found_and_a_round_seal_is_not():
    rgb, scale = _render(RECEIVED, 1)
    [frame] = im.stamp_frames(rgb, scale * 72 / 25.4)
    x0, y0, x1, y1 = (v / scale for v in frame)
    assert 400 < x0 < x1 < 595 and 100 < y0 < y1 < 260, (x0, y0, x1, y1)  # upper right, over the header
    rgb, scale = _render(SEALED, 3)
    assert im.stamp_frames(rgb, scale * 72 / 25.4) == []


def _plan_with_received_stamp(path: Path, red=(210, 30, 40), blue=(30, 40, 200)) -> None:
    """A scanned plan (150 dpi) with a `ĐẾN` stamp pressed over its upper right (red, or the
    given ink) and the office's number and day written into it (blue, or the given ink)."""
    img = Image.new("RGB", (1240, 1754), "white")
    d = ImageDraw.Draw(img)
    f = ImageFont.truetype(str(FONT), 26)
    bold = ImageFont.truetype(str(FONT.with_name("DejaVuSerif-Bold.ttf")), 26)
    small = ImageFont.truetype(str(FONT), 22)
    hand = ImageFont.truetype(str(FONT.with_name("DejaVuSerif-Italic.ttf")), 26)

    def put(text, x, y, font=f, fill="black"):
        d.text((x, y), text, fill=fill, font=font)

    put("ỦY BAN NHÂN DÂN", 150, 120)
    put("TỈNH NAM ĐỊNH", 170, 160, bold)
    put("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 560, 120, bold)
    put("Độc lập - Tự do - Hạnh phúc", 650, 160, bold)
    put("Số: 15/KH-UBND", 180, 230)
    put("Nam Định, ngày 15 tháng 3 năm 2024", 600, 230)
    d.rectangle((760, 290, 1140, 470), outline=red, width=4)
    put("SỞ NỘI VỤ", 880, 300, small, red)
    put("ĐẾN", 780, 360, bold, red)
    put("Số: ........", 870, 340, small, red)
    put("Ngày: ..............", 870, 380, small, red)
    put("Chuyển: .............", 870, 420, small, red)
    put("472", 940, 330, hand, blue)
    put("20/3/2024", 960, 372, hand, blue)
    put("KẾ HOẠCH", 540, 520, bold)
    put("Tổ chức phong trào thi đua yêu nước năm 2024", 330, 560, bold)
    put("Căn cứ Luật Thi đua, khen thưởng năm 2022 và các văn bản hướng dẫn;", 150, 650)
    put("Nơi nhận:", 150, 800, bold)
    put("- Lưu: VT.", 150, 840)
    put("TM. ỦY BAN NHÂN DÂN", 700, 800, bold)
    put("CHỦ TỊCH", 800, 840, bold)
    put("Trần Văn Hùng", 760, 1000, bold)
    img.save(path, "PDF", resolution=150)


@pytest.mark.parametrize("ink", ["red", "black"])
def test_a_received_stamp_is_taken_out_of_the_reading(tmp_path, ink):
    pdf = tmp_path / "received.pdf"
    if ink == "red":
        _plan_with_received_stamp(pdf)
    else:  # a stamp in black ink: no coloured frame to find, its `ĐẾN`, `Số`, `Ngày` give it away
        _plan_with_received_stamp(pdf, red=(20, 20, 20), blue=(20, 20, 20))
    source = ocr.apply_ocr(read_pdf(str(pdf)), "auto")
    page = source.pages[0]
    assert not any(w.stamp for w in page.words)
    assert not any("472" in w.text or "20/3/2024" in w.text or w.text.startswith("Chuyển") for w in page.words)
    if ink == "black":
        stamped = " ".join(w.text for w in page.stamps)
        assert all(w.stamp for w in page.stamps) and "Ngày:" in stamped and "Chuyển:" in stamped, stamped
        assert any("received stamp" in m for m in source.warnings)
    doc = parse(str(pdf), ParseOptions(ocr="auto"))
    assert doc.number.value == "15/KH-UBND"
    assert doc.issued_date.value == "2024-03-15"


def test_stamp_words_in_black_ink_are_found_by_their_fields():
    def word(text, x0, top, size=10.0):
        return Word(text, x0, top, x0 + 0.55 * size * len(text), top + size, size=size)

    words = [word("Số:", 60, 100), word("15/KH-UBND", 80, 100), word("ĐẾN", 380, 140, 14), word("Số:", 415, 132),
             word("472", 440, 132), word("Ngày:", 415, 148), word("20/3/2024", 445, 148), word("Chuyển:", 415, 164),
             word("Kế", 200, 220), word("hoạch", 215, 220)]
    reading, stamps = ocr.split_stamps(words)
    assert [w.text for w in stamps] == ["ĐẾN", "Số:", "472", "Ngày:", "20/3/2024", "Chuyển:"]
    assert [w.text for w in reading] == ["Số:", "15/KH-UBND", "Kế", "hoạch"]
    # a title's `ĐẾN NĂM 2030` is no stamp
    title = [word("ĐẾN", 200, 300, 14), word("NĂM", 240, 300, 14), word("2030", 280, 300, 14)]
    assert ocr.split_stamps(title) == (title, [])


# -- the digits-only second reading ---------------------------------------------------------------------------

def _drawn_digits(text: str, ink=(25, 40, 190)) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """Digits drawn with thick, slanted strokes in blue ink, after a printed `Số:` and before `/KH`."""
    img = Image.new("RGB", (700, 160), "white")
    d = ImageDraw.Draw(img)
    d.text((20, 50), "Số:", fill="black", font=ImageFont.truetype(str(FONT), 40))
    hand = Image.new("L", (300, 120), 0)
    ImageDraw.Draw(hand).text((10, 10), text, fill=255, font=ImageFont.truetype(str(SANS_BOLD), 64), stroke_width=2,
                              stroke_fill=255)
    hand = hand.transform(hand.size, Image.AFFINE, (1, 0.25, -15, 0, 1, 0), resample=Image.BICUBIC).rotate(3, fillcolor=0)
    img.paste(Image.new("RGB", hand.size, ink), (110, 25), hand)
    d.text((420, 50), "/KH-UBND", fill="black", font=ImageFont.truetype(str(FONT), 40))
    return np.asarray(img), (105, 20, 415, 150)


@pytest.mark.parametrize("digits", ["4409", "1016", "27"])
def test_read_digits_reads_drawn_digits(digits):
    rgb, box = _drawn_digits(digits)
    text, conf = ocr.read_digits(rgb, box)
    assert text == digits and 0 < conf <= 1, (text, conf)
    # the page's ordinary reading drops blue ink as a signature stroke: only this second reading sees it
    assert ocr.read_digits(Image.fromarray(rgb), box)[0] == digits


def test_read_digits_on_a_pdf_region_in_points(tmp_path):
    rgb, (x0, y0, x1, y1) = _drawn_digits("932")
    pdf = tmp_path / "digits.pdf"
    Image.fromarray(rgb).save(pdf, "PDF", resolution=144)  # 2 px per point
    text, conf = ocr.read_digits(str(pdf), (x0 / 2, y0 / 2, x1 / 2, y1 / 2), page=1)
    assert text == "932" and conf > 0
    assert ocr.read_digits(str(pdf), (1, 1, 20, 10)) == ("", 0.0)  # blank paper


def test_read_digits_on_a_handwritten_serial_of_the_corpus():
    # `Số: 5240/BCA-V01`, the serial written in blue ink; the page's OCR reads `Số:52ø/BCA-V01`
    assert ocr.read_digits(str(HANDWRITTEN), (137, 106, 171, 124), page=1)[0] == "5240"


# -- the CLI's whole-document time limit ------------------------------------------------------------------------

def run(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "service.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


def _long_scan(path: Path, copies: int = 8) -> Path:
    """The seed plan's scan eight times over: 24 full pages, far more OCR than a few seconds allow on any machine."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for _ in range(copies):
        for page in PdfReader(SCAN).pages:
            writer.add_page(page)
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def test_a_document_over_the_time_limit_is_stopped_and_the_others_complete(tmp_path):
    text_plan = ROOT / "samples" / "nd-149-kh-ldld-2023.pdf"
    long_scan = _long_scan(tmp_path / "long-scan.pdf")
    out = tmp_path / "out"
    # the worker loads its language pipeline before the clock starts: the text plan takes well under 4 s
    r = run("parse", long_scan, text_plan, "--out", out, "--timeout", "4", "--no-text")
    assert r.returncode == ExitCode.some_failed, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if long_scan.name in ln]
    assert len(lines) == 1 and "took longer than 4 s" in lines[0] and "--timeout" in lines[0], r.stderr
    assert "Traceback" not in r.stderr
    assert [p.name for p in out.iterdir()] == ["nd-149-kh-ldld-2023.json"]
    assert json.loads((out / "nd-149-kh-ldld-2023.json").read_text())["number"]["value"] == "149/KH-LĐLĐ"
    # one document alone: its own exit code
    r = run("parse", long_scan, "--timeout", "1.5", "--no-text")
    assert r.returncode == ExitCode.timeout and r.stdout == "", r.stderr
    assert r.stderr.count("\n") == 1 and long_scan.name in r.stderr


def test_the_time_limit_comes_from_the_environment_and_zero_turns_it_off(tmp_path, monkeypatch):
    from service import cli

    monkeypatch.setenv("VANBAN_PARSE_TIMEOUT", "42")
    assert cli.build_parser().parse_args(["parse", "x.pdf"]).timeout == 42
    monkeypatch.delenv("VANBAN_PARSE_TIMEOUT")
    assert cli.build_parser().parse_args(["parse", "x.pdf"]).timeout == cli.DEFAULT_TIMEOUT_S == 300
    r = run("parse", ROOT / "samples" / "nd-149-kh-ldld-2023.pdf", "--timeout", "0", "--no-text")
    assert r.returncode == 0 and json.loads(r.stdout)["number"]["value"] == "149/KH-LĐLĐ"
