"""The place-date line as offices print it, not only as Decree 30 writes it: a one-page plan built with
reportlab for each form, parsed end to end."""
from __future__ import annotations

from pathlib import Path

import pytest

from parser import parse
from parser.options import ParseOptions

# Liberation 2 (Times New Roman's metrics): its own folder on Debian 12 (fonts-liberation2), fonts-liberation's on 13
FONTS = next((d for d in (Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation"))
              if (d / "LiberationSerif-Regular.ttf").exists()), Path("/usr/share/fonts/truetype/liberation2"))


def plan_pdf(path: Path, date_line: str) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    for name, style in (("T", "Regular"), ("TB", "Bold"), ("TI", "Italic")):
        font = FONTS / f"LiberationSerif-{style}.ttf"
        if not font.exists():
            pytest.fail(f"{font} is missing: apt-get install fonts-liberation fonts-liberation2")
        pdfmetrics.registerFont(TTFont(name, str(font)))
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4

    def centred(x, y, text, font="T", size=13):
        c.setFont(font, size)
        c.drawCentredString(x, height - y, text)

    centred(150, 60, "UBND TỈNH QUẢNG NGÃI")
    centred(150, 76, "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "TB")
    centred(420, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TB", 12)
    centred(420, 76, "Độc lập - Tự do - Hạnh phúc", "TB")
    centred(150, 110, "Số: 125/KH-SGDĐT")
    centred(420, 110, date_line, "TI")
    centred(width / 2, 160, "KẾ HOẠCH", "TB", 14)
    centred(width / 2, 178, "Tổ chức phong trào thi đua “Dạy tốt, học tốt” năm 2024", "TB")
    c.setFont("T", 13)
    for i, text in enumerate(["Căn cứ Luật Thi đua, khen thưởng năm 2022;",
                              "Sở Giáo dục và Đào tạo ban hành Kế hoạch tổ chức phong trào thi đua như sau:",
                              "I. MỤC ĐÍCH, YÊU CẦU", "Phát động phong trào thi đua sâu rộng trong toàn ngành."]):
        c.drawString(85, height - 230 - 20 * i, text)
    c.setFont("TB", 12)
    c.drawString(85, height - 400, "Nơi nhận:")
    c.setFont("T", 11)
    for i, text in enumerate(["- Bộ GDĐT (b/c);", "- UBND tỉnh (b/c);", "- Lưu: VT, VP."]):
        c.drawString(85, height - 414 - 13 * i, text)
    centred(420, 400, "GIÁM ĐỐC", "TB")
    centred(420, 480, "Nguyễn Văn An", "TB")
    c.save()
    return path


@pytest.mark.parametrize("date_line, raw", [
    ("Quảng Ngãi, ngày 15 tháng 3 năm 2024", "ngày 15 tháng 3 năm 2024"),
    ("Quảng Ngãi, 15 tháng 3 năm 2024", "15 tháng 3 năm 2024"),  # no `ngày`
    ("Quảng Ngãi, ngày 15/3/2024", "ngày 15/3/2024"),
    ("Quảng Ngãi, 15/03/2024", "15/03/2024"),
    ("Quảng Ngãi ngày 15 tháng 03 năm 2024.", "ngày 15 tháng 03 năm 2024"),  # no comma, a full stop
])
def test_each_form_gives_the_place_and_the_day(tmp_path, date_line, raw):
    doc = parse(plan_pdf(tmp_path / "plan.pdf", date_line), ParseOptions(ocr="never"))
    assert doc.place and doc.place.value == "Quảng Ngãi"
    assert doc.issued_date and doc.issued_date.value == "2024-03-15" and doc.issued_date.raw == raw
    assert doc.number and doc.number.value == "125/KH-SGDĐT"
    assert doc.doc_type and doc.doc_type.value == "Kế hoạch"


def test_a_month_without_its_day_gives_the_place_and_says_why_there_is_no_date(tmp_path):
    doc = parse(plan_pdf(tmp_path / "plan.pdf", "Quảng Ngãi, tháng 3 năm 2024"), ParseOptions(ocr="never"))
    assert doc.place and doc.place.value == "Quảng Ngãi"
    assert doc.issued_date is None
    assert any("only the month and year" in w.message for w in doc.warnings)
