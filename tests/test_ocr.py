"""OCR on real inputs: the seed scan, a broken text layer, a generated image PDF, a missing engine.

Every test that recognises a page runs Tesseract for real (tesserocr + Debian's `vie` data),
one or two pages at a time, so the whole module takes well under a minute.
"""
from __future__ import annotations

import math
import statistics
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from parser import parse
from parser.errors import MissingDependencyError
from parser.options import ParseOptions
from parser.read import image as im
from parser.read import ocr
from parser.text import ocr_repair
from parser.read.pdf import read_pdf
from parser.read.quality import page_quality, text_quality

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "docs"
SCAN = CORPUS / "nd-149-kh-ldld-2023-scan.pdf"  # a phone-quality scan of the seed plan, 3 pages
SEED = ROOT / "samples" / "nd-149-kh-ldld-2023.pdf"  # the same plan with its text layer
BROKEN = CORPUS / "lc-kh-1105-dkt-ke-hoach-kiem-tra.pdf"  # fonts map to the wrong letters: "6Ӣ CÔNG 7+ѬѪ1*"
STAMPED = CORPUS / "lc-gp-2507-mo-da-toong-gia-mien-bac-ban-ky.pdf"  # a scanned permit, red stamp over the signer
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


def ocr_page(path: Path, number: int, **settings) -> tuple[list, object]:
    src = read_pdf(str(path))
    page = src.pages[number - 1]
    job = ocr.PageJob(number, page.width, page.height, "test")
    [result] = ocr.ocr_pages(str(path), [job], ocr.OcrSettings(**settings))
    return result.words, page


# -- which pages need OCR -----------------------------------------------------------------------------

def test_broken_text_layer_is_unusable_and_a_good_one_is_not():
    broken = read_pdf(str(BROKEN), max_pages=1).pages[0]
    good = read_pdf(str(SEED), max_pages=1).pages[0]
    q_broken, q_good = page_quality(broken), page_quality(good)
    assert not q_broken.usable, q_broken
    assert "unreadable text layer" in q_broken.reason
    assert q_good.usable and q_good.syllable_share > 0.95, q_good
    # a scan has no text layer at all
    assert page_quality(read_pdf(str(SCAN), max_pages=1).pages[0]).reason == "no text layer"
    # mojibake of the same words, as broken fonts produce it
    assert not text_quality("6Ӣ CÔNG 7+ѬѪ1* .ӂ +2Ҥ&+ KiӇm tra YLӋF FKҩS hành ÿӏQK pháp OXұW".split()).usable


def test_auto_ocrs_only_the_pages_that_need_it():
    good = read_pdf(str(SEED))
    assert ocr.plan(good, "auto", ocr._page_images(str(SEED))) == []  # a good text layer is never OCRed
    jobs = ocr.plan(read_pdf(str(BROKEN)), "auto", ocr._page_images(str(BROKEN)))
    assert [j.number for j in jobs] == [1, 2, 3, 4, 5, 6]
    assert all(j.keep == [] for j in jobs)  # mojibake is dropped, not merged
    assert len(ocr.plan(good, "always", ocr._page_images(str(SEED)))) == len(good.pages)


# -- recognition ----------------------------------------------------------------------------------------

def test_seed_scan_page_1_reads_the_number_where_the_text_version_has_it():
    words, page = ocr_page(SCAN, 1)
    text = " ".join(w.text for w in words)
    assert "149" in text and "KH-LĐLĐ" in text, text[:300]
    assert "Nam Định, ngày 17 tháng 2 năm 2023" in text
    assert "KẾ HOẠCH" in text
    assert all(w.confidence is not None and 0 <= w.confidence <= 100 for w in words)
    assert all(0 <= w.x0 < w.x1 <= page.width + 1 and 0 <= w.top < w.bottom <= page.height + 1 for w in words)
    # the scan is the seed plan printed and scanned onto a smaller page: compare relative positions
    seed = read_pdf(str(SEED), max_pages=1).pages[0]
    k = seed.width / page.width
    by_text = {w.text: w for w in seed.words}
    shared = [(w, by_text[w.text]) for w in words if w.text in by_text and len(w.text) >= 4
              and sum(1 for x in seed.words if x.text == w.text) == 1 and sum(1 for x in words if x.text == w.text) == 1]
    assert len(shared) >= 40
    dx = statistics.median(abs(w.x0 * k - s.x0) for w, s in shared)
    dy = statistics.median(abs(w.bottom * k - s.bottom) for w, s in shared)
    assert dx < 6 and dy < 8, (dx, dy)  # points on the A4 page
    # font size in points, as the text layer has it (13-14 pt body)
    assert 0.85 < statistics.median(w.size * k / s.size for w, s in shared) < 1.15
    # bold from stroke width: the title is bold, the body is not
    number_word = next(w for w in words if "149" in w.text)
    assert not number_word.bold
    assert next(w for w in words if w.text == "HOẠCH").bold


def _scan_of_a_plan(path: Path) -> list[str]:
    """A plan laid out as Decree 30 wants it, drawn as an image (A4 at 150 dpi), tilted by 1.2
    degrees and stamped in red across the signer's title, saved as an image-only PDF."""
    img = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), 26)
    bold = ImageFont.truetype(str(FONT.with_name("DejaVuSerif-Bold.ttf")), 26)

    def put(text, y, x=None, f=font, centre=None):
        w = draw.textlength(text, font=f)
        draw.text((centre - w / 2 if centre else x, y), text, fill="black", font=f)

    put("ỦY BAN NHÂN DÂN", 120, centre=330)
    put("TỈNH NAM ĐỊNH", 160, centre=330, f=bold)
    put("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 120, centre=860, f=bold)
    put("Độc lập - Tự do - Hạnh phúc", 160, centre=860, f=bold)
    put("Số: 15/KH-UBND", 230, centre=330)
    put("Nam Định, ngày 15 tháng 3 năm 2024", 230, centre=860)
    put("KẾ HOẠCH", 330, centre=620, f=bold)
    put("Tổ chức phong trào thi đua yêu nước năm 2024", 375, centre=620, f=bold)
    body = ["Căn cứ Luật Thi đua, khen thưởng năm 2022 và các văn bản hướng dẫn;",
            "Ủy ban nhân dân tỉnh ban hành kế hoạch tổ chức phong trào thi đua",
            "yêu nước năm 2024 trên địa bàn tỉnh./."]
    for i, line in enumerate(body):
        put(line, 470 + 45 * i, x=150)
    put("Nơi nhận:", 700, x=150, f=bold)
    put("- Các sở, ban, ngành;", 740, x=150)
    put("- Lưu: VT.", 780, x=150)
    put("TM. ỦY BAN NHÂN DÂN", 700, centre=860, f=bold)
    put("CHỦ TỊCH", 740, centre=860, f=bold)
    put("Trần Văn Hùng", 900, centre=860, f=bold)
    img = img.rotate(-1.2, resample=Image.BICUBIC, fillcolor="white")
    ImageDraw.Draw(img).ellipse((640, 640, 880, 880), outline=(215, 35, 45), width=10)
    img.save(path, "PDF", resolution=150)
    return ["ỦY BAN NHÂN DÂN", "Độc lập - Tự do - Hạnh phúc", "KẾ HOẠCH"] + body


def test_generated_image_pdf_is_read(tmp_path):
    pdf = tmp_path / "scan.pdf"
    lines = _scan_of_a_plan(pdf)
    doc = parse(str(pdf), ParseOptions(ocr="auto"))
    assert doc.source.reader == "pdfium+ocr"
    assert any("page 1 was read by OCR" in w.message for w in doc.warnings)
    got = doc.text.split()
    want = " ".join(lines).split()
    assert sum(1 for w in want if w in got) >= 0.9 * len(want), doc.text
    assert doc.number.value == "15/KH-UBND"
    assert doc.issued_date.value == "2024-03-15"
    assert doc.doc_type.value == "Kế hoạch"
    assert doc.signer.name.value == "Trần Văn Hùng"
    # `never` leaves the scan unread
    assert parse(str(pdf), ParseOptions(ocr="never")).text.strip() == ""


def test_parse_of_a_stamped_scan_end_to_end():
    doc = parse(str(STAMPED), ParseOptions())
    assert doc.source.reader == "pdfium+ocr"
    assert doc.number.value == "2507/GP-UBND"
    assert doc.issued_date.value == "2026-07-21"
    assert doc.signer.name is not None and doc.signer.name.value == "Nguyễn Thành Sinh"
    # values built from OCR words carry their confidence
    assert 0 < doc.number.confidence <= 1
    assert sum("page 1 was read by OCR" in w.message for w in doc.warnings) == 1


# -- failure modes ----------------------------------------------------------------------------------------

def test_missing_vietnamese_data_is_a_clear_error_only_when_ocr_is_needed(monkeypatch, tmp_path):
    monkeypatch.setenv("VANBAN_TESSDATA", str(tmp_path / "nowhere"))
    with pytest.raises(MissingDependencyError) as err:
        parse(str(SCAN), ParseOptions())
    assert "tesseract-ocr tesseract-ocr-vie" in err.value.message
    assert err.value.exit_code == 7
    # a text-layer document does not need the engine
    assert parse(str(SEED), ParseOptions()).number.value == "149/KH-LĐLĐ"
    # and `never` does not look for it
    parse(str(SCAN), ParseOptions(ocr="never"))


def test_missing_tesseract_library_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "tesserocr", None)  # import fails as if not installed
    with pytest.raises(MissingDependencyError) as err:
        ocr.check_engine()
    assert "tesseract-ocr" in err.value.message and "tesserocr" in err.value.message


def test_a_page_over_its_time_limit_is_skipped_with_a_warning():
    src = read_pdf(str(SCAN))
    out = ocr.apply_ocr(src, "auto", ocr.OcrSettings(timeout_s=0.001))
    assert len(out.pages) == 3 and all(p.words == [] for p in out.pages)
    assert sum("took longer than" in w for w in out.warnings) == 3


# -- image clean-up and repair ----------------------------------------------------------------------------

def test_deskew_finds_the_angle():
    img = Image.new("L", (1200, 1600), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), 26)
    for i in range(30):
        draw.text((100, 100 + 45 * i), "Thực hiện kế hoạch thi đua năm 2024 của tỉnh", fill=0, font=font)
    tilted = np.asarray(img.rotate(1.5, resample=Image.BILINEAR, fillcolor=255))
    assert math.isclose(im.skew_angle(tilted), -1.5, abs_tol=0.15)
    assert abs(im.skew_angle(np.asarray(img))) < 0.1
    assert abs(im.skew_angle(im.rotate(tilted, im.skew_angle(tilted)))) < 0.15


def test_drop_ink_keeps_black_text_and_drops_the_stamp():
    rgb = np.full((200, 200, 3), 250, dtype=np.uint8)
    rgb[50:60, 20:180] = (20, 20, 20)  # a black stroke
    rgb[100:140, 20:180] = (210, 40, 50)  # red stamp ink
    rgb[150:160, 20:180] = (30, 40, 200)  # blue signature ink
    rgb[55:58, 60:100] = (200, 30, 40)  # stamp ink over the black stroke
    gray = im.drop_ink(rgb)
    assert gray[52, 100] < 50 and gray[110, 100] == 255 and gray[155, 100] == 255
    assert im.drop_ink(rgb, "red")[155, 100] < 128  # blue kept when only red is dropped


def _lines_image(rows: list[str]) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """A white page with one printed line per row, and each line's box."""
    img = Image.new("L", (1400, 200 + 60 * len(rows)), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), 30)
    boxes = []
    for i, text in enumerate(rows):
        boxes.append(tuple(int(v) for v in draw.textbbox((100, 100 + 60 * i), text, font=font)))
        draw.text((100, 100 + 60 * i), text, fill=0, font=font)
    return np.asarray(img).copy(), boxes


def test_a_line_no_word_covers_is_found_and_rules_are_not():
    from parser.read.ocr_coverage import uncovered_bands

    gray, boxes = _lines_image(["Số: 149/KH-LĐLĐ", "Hà Nội, ngày 12 tháng 5 năm 2023", "Kế hoạch tổ chức phong trào"])
    assert uncovered_bands(gray, boxes) == []
    [(x0, y0, x1, y1)] = uncovered_bands(gray, boxes[:1] + boxes[2:])  # the date row was not read
    assert y0 <= boxes[1][1] and y1 >= boxes[1][3] and x0 <= boxes[1][0] and x1 >= boxes[1][2]
    assert y1 < boxes[2][3]  # only that line, not its neighbours
    gray[:, 1300:1304] = 0  # a frame's edge down the page
    gray[60:64, :] = 0  # and a rule across it
    gray[340, 700] = 0  # a speck
    assert uncovered_bands(gray, boxes) == []


def test_a_row_the_page_layout_drops_is_read_again():
    """The number and date row of this certified copy, with its handwritten digits cleaned away, is lost by
    Tesseract's page layout; read again on its own it gives the place and the year."""
    doc = parse(CORPUS / "rd-bca-cv-4409-c04-2025.pdf", ParseOptions())
    assert doc.place and doc.place.value == "Hà Nội"
    # its summary's `V/v` comes out of OCR as `VÀ`: still a letter (công văn) with its summary as the title
    assert doc.doc_type and doc.doc_type.value == "Công văn"
    assert doc.title and doc.title.value.startswith("tham gia ý kiến vào Dự thảo Hồ sơ")
    assert doc.number is None or doc.number.confidence < 0.5  # the handwritten serial stays doubtful


@pytest.mark.parametrize("word, prev, nxt, want", [
    ("thĩ", "", "đua", "thi"),  # a tone Tesseract doubted (it gives such words low confidence)
    ("biểỂu", "", "", "biểu"),  # a letter read twice
    ("TICH", "chủ", "", "TỊCH"),  # a closed syllable cannot go without acute or dot
    ("châp", "việc", "hành", "chấp"),
    ("kiêm", "", "tra", "kiểm"),  # the mark above a circumflex lost
    ("QUYÉT", "theo", "định", "QUYẾT"),
    ("và", "", "các", "và"),  # right words stay
    ("Thuân", "văn", "", "Thuân"),  # names stay
    ("DAP", "phân", "", "DAP"),  # acronyms stay
])
def test_repair_fixes_clear_misreadings_only(word, prev, nxt, want):
    assert ocr_repair.fix_word(word, prev, nxt, ocr_repair.lexicon(), confidence=60.0 if word == "thĩ" else 93.0) == want


def test_repair_leaves_correct_text_alone():
    words = read_pdf(str(SEED)).pages[0].words
    before = [w.text for w in words]
    ocr_repair.repair_words(words)
    changed = [(a, w.text) for a, w in zip(before, words) if a != w.text]
    assert changed == []
