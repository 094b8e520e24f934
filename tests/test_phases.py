"""Phases in the forms plans print them, and the mentions that are not phases.

Paragraphs go through the same spaCy pipeline the parser uses (`parser.nlp.analyse`); a small
PDF built with reportlab goes through the whole `parse()`.
"""
from pathlib import Path

import pytest

from parser import ParseOptions, parse
from parser.extract import movements, phases
from parser.nlp import analyse
from tests.textrefs import refs

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


def found(*paragraphs: str, year: int | None = 2026) -> list[tuple[str, str, str | None]]:
    _, ps = refs(*paragraphs)
    return [(p.value["label"], p.value["start"], p.value["end"]) for p in phases.phases(analyse(ps), year)]


FORMS = [
    # labels
    (["Đợt 1, từ 1/1/2023 đến 30/6/2023: các phong trào thi đua tập trung"], [("Đợt 1", "2023-01-01", "2023-06-30")]),
    (["Đợt I: từ ngày 01/01/2026 đến ngày 30/4/2026."], [("Đợt 1", "2026-01-01", "2026-04-30")]),
    (["Giai đoạn I: từ ngày 01/01/2026 đến ngày 30/6/2026."], [("Giai đoạn 1", "2026-01-01", "2026-06-30")]),
    (["Giai đoạn 1: Từ tháng 01/2024 đến hết tháng 6/2024, sơ kết vào đầu tháng 7/2024."],
     [("Giai đoạn 1", "2024-01-01", "2024-06-30")]),
    (["Đợt thi đua thứ nhất: từ ngày 01/01/2026 đến ngày 30/4/2026"], [("Đợt 1", "2026-01-01", "2026-04-30")]),
    (["Đợt thi đua thứ hai (từ ngày 01/5/2026 đến ngày 31/8/2026), chào mừng Quốc khánh."],
     [("Đợt 2", "2026-05-01", "2026-08-31")]),
    (["Đợt thứ nhất: từ ngày 05/9/2025 đến ngày 20/11/2025."], [("Đợt 1", "2025-09-05", "2025-11-20")]),
    (["Đợt thứ tư: từ ngày 01/5/2026 đến ngày 31/5/2026."], [("Đợt 4", "2026-05-01", "2026-05-31")]),
    (["Đợt một: từ ngày 01/3 đến ngày 26/3/2026."], [("Đợt 1", "2026-03-01", "2026-03-26")]),
    (["Đợt ba: từ ngày 01/6 đến ngày 30/6/2026."], [("Đợt 3", "2026-06-01", "2026-06-30")]),
    (["Giai đoạn thứ hai: từ ngày 01/7/2026 đến ngày 31/12/2026."], [("Giai đoạn 2", "2026-07-01", "2026-12-31")]),
    (["ĐỢT 2: TỪ NGÀY 01/7/2026 ĐẾN NGÀY 31/12/2026"], [("Đợt 2", "2026-07-01", "2026-12-31")]),
    # peaks
    (["Đợt cao điểm: từ ngày 15/5 đến 19/5/2026."], [("Đợt cao điểm", "2026-05-15", "2026-05-19")]),
    (["Đợt thi đua cao điểm chào mừng kỷ niệm 136 năm Ngày sinh Chủ tịch Hồ Chí Minh: từ ngày 01/5 đến ngày "
      "19/5/2026."], [("Đợt cao điểm", "2026-05-01", "2026-05-19")]),
    # list items
    (["a) Đợt 1: từ ngày 01/01/2026 đến ngày 30/4/2026, chào mừng 96 năm Ngày thành lập Đảng.",
      "- Đợt 2 từ 01/5/2026 đến 31/8/2026;",
      "b) Giai đoạn 2 (từ tháng 7 đến tháng 12/2026)."],
     [("Đợt 1", "2026-01-01", "2026-04-30"), ("Đợt 2", "2026-05-01", "2026-08-31"),
      ("Giai đoạn 2", "2026-07-01", "2026-12-31")]),
    (["1.1. Đợt 1: Từ 13h30’ ngày 02/6/2026 (Thứ Ba).", "1.2. Đợt 2: Từ 13h30’ ngày 03/6/2026 (Thứ Tư)."],
     [("Đợt 1", "2026-06-02", None), ("Đợt 2", "2026-06-03", None)]),
    # the time on the line under the label
    (["Đợt 1:", "Thời gian: từ ngày 01/01/2026 đến ngày 30/4/2026."], [("Đợt 1", "2026-01-01", "2026-04-30")]),
    (["a) Đợt thi đua thứ hai: Thi đua chào mừng kỷ niệm 81 năm Cách mạng tháng Tám (19/8/1945 - 19/8/2026)",
      "- Nội dung: tổ chức các hoạt động thi đua.",
      "- Thời gian thực hiện: Từ tháng 7 đến tháng 9 năm 2026."],
     [("Đợt 2", "2026-07-01", "2026-09-30")]),
    # date forms
    (["Đợt 1: 01/01 – 30/4/2026, thi đua lập thành tích."], [("Đợt 1", "2026-01-01", "2026-04-30")]),
    (["Đợt 1 (01/01-30/4/2026)."], [("Đợt 1", "2026-01-01", "2026-04-30")]),
    (["Đợt 1: từ tháng 1 đến tháng 6 năm 2026."], [("Đợt 1", "2026-01-01", "2026-06-30")]),
    (["Đợt 1: từ ngày 01 tháng 01 năm 2026 đến ngày 30 tháng 4 năm 2026."], [("Đợt 1", "2026-01-01", "2026-04-30")]),
    (["Đợt 2: từ ngày 15 tháng 5 đến ngày 19 tháng 5 năm 2026."], [("Đợt 2", "2026-05-15", "2026-05-19")]),
    (["Giai đoạn 1: từ quý I/2026 đến hết quý II/2026."], [("Giai đoạn 1", "2026-01-01", "2026-06-30")]),
    (["Đợt 1: từ ngày 01/3/2026 (thứ Hai) đến ngày 26/3/2026."], [("Đợt 1", "2026-03-01", "2026-03-26")]),
]


@pytest.mark.parametrize("paragraphs, expected", FORMS, ids=lambda v: v[0][:40] if isinstance(v, list) and v and
                         isinstance(v[0], str) else None)
def test_phase_forms(paragraphs, expected):
    assert found(*paragraphs) == expected


NOT_PHASES = [
    "Tổ chức đợt kiểm tra từ ngày 01/3/2026 đến ngày 05/3/2026 tại các đơn vị.",
    "Tổ chức Lễ kết nạp đoàn viên mới đợt 26/3 và tuyên dương danh hiệu “Thanh niên tiên tiến làm theo lời Bác”.",
    "Phong trào “Cả nước chung tay xây dựng nông thôn mới” giai đoạn 2021–2025 từ ngày 01/01/2021.",
    "Đẩy mạnh cải cách hành chính giai đoạn 2021 - 2025; giai đoạn năm 2021-2025 từ ngày 01/01/2021.",
    "Tiếp tục thực hiện có hiệu quả giai đoạn 2 Chương trình “1 triệu sáng kiến”.",
    "Các đơn vị tập trung triển khai đợt thi đua thứ hai và đợt 3 trong năm học.",
    "Tổ chức các phong trào thi đua, đợt thi đua cao điểm chào mừng Đại hội Công đoàn các cấp, nhiệm kỳ 2023 - 2028.",
    "Thông báo khởi công thực hiện dự án giai đoạn 2: Quý II/2031.",
    "Tiến độ: Giai đoạn 1: (1) Giai đoạn chuẩn bị đầu tư: Từ Quý III/2026 đến Quý II/2027; (2) Thực hiện đầu tư.",
    "Kiểm tra vào ngày 02/6/2026 (Thứ Hai) và ngày 04/6/2026 (Thứ Năm) từ 7h30.",
]


@pytest.mark.parametrize("paragraph", NOT_PHASES, ids=lambda p: p[:40])
def test_not_phases(paragraph):
    assert found(paragraph) == []


def test_a_count_of_peaks_is_not_a_phase_and_the_items_under_it_are():
    got = found("Hoạt động được tổ chức thành hai đợt cao điểm:",
                "- Đợt 1: Từ ngày 01/3 đến ngày 26/3/2025, chào mừng kỷ niệm 94 năm Ngày thành lập Đoàn.",
                "- Đợt 2: Từ ngày 27/3/2025 đến ngày 19/5/2025.")
    assert got == [("Đợt 1", "2025-03-01", "2025-03-26"), ("Đợt 2", "2025-03-27", "2025-05-19")]


def test_a_heading_takes_no_time_line_from_past_the_next_phase():
    assert found("a) Đợt 1:", "b) Đợt 2:", "Thời gian: từ ngày 01/01/2026 đến ngày 30/4/2026.") == [
        ("Đợt 2", "2026-01-01", "2026-04-30")]


def test_a_mention_in_running_text_takes_no_time_from_the_next_line():
    assert found("Các chi đoàn hoàn thành chỉ tiêu đợt 1 của năm.", "Thời gian: từ ngày 01/01/2026 đến 30/4/2026.") == []
    report = ("Đợt 1 vừa qua, các cơ quan, đơn vị đã triển khai đồng bộ nhiều hoạt động thi đua thiết thực, gắn với "
              "nhiệm vụ chính trị của từng đơn vị, góp phần hoàn thành các chỉ tiêu kinh tế - xã hội, được nhân dân "
              "đồng tình hưởng ứng.")
    assert found(report, "Từ ngày 01/01/2026 đến nay, toàn huyện đã có 25 sáng kiến.") == []


def test_a_repeated_label_is_kept_once_and_two_peaks_both():
    got = found("Đợt 1: từ ngày 01/01/2026 đến ngày 30/4/2026.", "Sơ kết Đợt 1 (từ ngày 01/01/2026 đến 30/4/2026).",
                "Đợt cao điểm: từ ngày 01/4 đến 30/4/2026.", "Đợt cao điểm: từ ngày 15/5 đến 19/5/2026.")
    assert got == [("Đợt 1", "2026-01-01", "2026-04-30"), ("Đợt cao điểm", "2026-04-01", "2026-04-30"),
                   ("Đợt cao điểm", "2026-05-15", "2026-05-19")]


def test_missing_years_take_the_plan_year_and_cross_into_the_next():
    assert found("Đợt 1: từ ngày 01/3 đến ngày 26/3.", year=2026) == [("Đợt 1", "2026-03-01", "2026-03-26")]
    assert found("Đợt 2: Từ ngày 21/11 đến ngày 31/12/2024.", year=2024) == [("Đợt 2", "2024-11-21", "2024-12-31")]
    assert found("Đợt 1: từ 01/11/2025 đến 15/01.", year=2025) == [("Đợt 1", "2025-11-01", "2026-01-15")]
    assert found("Đợt 1: từ ngày 01/11 đến ngày 15/01/2026.", year=2025) == [("Đợt 1", "2025-11-01", "2026-01-15")]
    # a school year: the second phase, printed without a year, follows the first into the next year
    assert found("Đợt 1: từ ngày 05/9 đến ngày 31/12.", "Đợt 2: từ ngày 02/01 đến ngày 31/5.", year=2025) == [
        ("Đợt 1", "2025-09-05", "2025-12-31"), ("Đợt 2", "2026-01-02", "2026-05-31")]
    assert found("Đợt 1: từ ngày 01/3 đến ngày 26/3.", year=None) == []


def test_raw_is_the_label_and_its_range():
    _, ps = refs("- Đợt thi đua thứ hai (từ ngày 01/5 đến ngày 31/8/2026), chào mừng.", "Đợt 3:",
                 "- Thời gian: từ ngày 01/9/2026 đến ngày 31/12/2026.")
    got = [p.value["raw"] for p in phases.phases(analyse(ps), 2026)]
    assert got == ["Đợt thi đua thứ hai (từ ngày 01/5 đến ngày 31/8/2026",
                   "Đợt 3: Thời gian: từ ngày 01/9/2026 đến ngày 31/12/2026"]


def test_thi_dua_in_a_phase_label_still_marks_a_movement():
    _, ps = refs("Phát động đợt thi đua cao điểm “Tuổi trẻ sáng tạo vì cộng đồng” từ ngày 01/3 đến 26/3/2026.")
    found_movements, _ = movements.movements_and_themes(analyse(ps))
    assert [(m.value["name"], m.value["kind"]) for m in found_movements] == [("Tuổi trẻ sáng tạo vì cộng đồng", "phong trào")]


HEADER = [  # (left column, right column) rows, as plans print them
    ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("HUYỆN KIM SƠN", "Độc lập - Tự do - Hạnh phúc"),
    ("Số: 12/KH-UBND", "Kim Sơn, ngày 10 tháng 01 năm 2026"),
]
BODY = [
    "KẾ HOẠCH", "Tổ chức phong trào thi đua năm 2026",
    "I. NỘI DUNG", "Phong trào thi đua năm 2026 được tổ chức thành các đợt như sau:",
    "a) Đợt thi đua thứ nhất:", "- Thời gian: từ ngày 01 tháng 01 năm 2026 đến ngày 30 tháng 4 năm 2026.",
    "b) Đợt thi đua thứ hai (từ ngày 01/5 đến ngày 31/8/2026).",
    "c) Giai đoạn 3: 01/9 – 31/12/2026.",
    "d) Đợt cao điểm: từ ngày 15/5 đến 19/5/2026.",
    "Tổ chức Lễ kết nạp đoàn viên mới đợt 26/3 và đợt kiểm tra cuối năm; thực hiện các phong trào giai đoạn 2021–2025.",
    "II. TỔ CHỨC THỰC HIỆN", "Các đơn vị triển khai thực hiện.",
]


@pytest.fixture(scope="module")
def plan_pdf(tmp_path_factory) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(FONT)))
    path = tmp_path_factory.mktemp("phases") / "plan.pdf"
    c = canvas.Canvas(str(path))
    y = 800
    for left, right in HEADER:
        c.setFont("DejaVuSerif", 11)
        c.drawCentredString(140, y, left)
        c.drawCentredString(410, y, right)
        y -= 20
    y -= 20
    for line in BODY:
        c.setFont("DejaVuSerif", 12)
        c.drawString(72, y, line)
        y -= 24
    c.showPage()
    c.save()
    return path


def test_phases_of_a_pdf_plan(plan_pdf):
    doc = parse(plan_pdf, ParseOptions(ocr="never", include_text=True))
    assert [(p.label, p.start, p.end) for p in doc.phases] == [
        ("Đợt 1", "2026-01-01", "2026-04-30"), ("Đợt 2", "2026-05-01", "2026-08-31"),
        ("Giai đoạn 3", "2026-09-01", "2026-12-31"), ("Đợt cao điểm", "2026-05-15", "2026-05-19")]
    for p in doc.phases:  # provenance: the label's page, and the span starts at the label
        assert p.page == 1
        assert doc.text[p.span[0]:].startswith(p.raw.split(":")[0].split(" (")[0])
