"""Bad input files, built by the tests themselves."""
from __future__ import annotations

from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "samples" / "nd-149-kh-ldld-2023.pdf"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


def empty(d: Path) -> Path:
    p = d / "empty.pdf"
    p.write_bytes(b"")
    return p


def html_named_pdf(d: Path) -> Path:
    p = d / "not_a_pdf.pdf"
    p.write_bytes("<!DOCTYPE html><html><body>Kế hoạch</body></html>".encode())
    return p


def truncated(d: Path) -> Path:
    data = SEED.read_bytes()
    p = d / "truncated.pdf"
    p.write_bytes(data[: len(data) // 3])
    return p


def zero_pages(d: Path) -> Path:
    body = [b"%PDF-1.4\n", b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n",
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"]
    offsets, pos = [], 0
    for chunk in body:
        offsets.append(pos)
        pos += len(chunk)
    xref = b"xref\n0 3\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets[1:])
    trailer = b"trailer << /Size 3 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % pos
    p = d / "zero_pages.pdf"
    p.write_bytes(b"".join(body) + xref + trailer)
    return p


def encrypted(d: Path, user_password: str) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(SEED)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret")
    p = d / ("encrypted_user.pdf" if user_password else "encrypted_owner_only.pdf")
    with p.open("wb") as fh:
        writer.write(fh)
    return p


def many_pages(d: Path, pages: int = 1000) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSerif", FONT))
    p = d / f"pages_{pages}.pdf"
    c = canvas.Canvas(str(p))
    for k in range(pages):
        c.setFont("DejaVuSerif", 12)
        c.drawString(72, 760, f"Trang {k + 1}: Kế hoạch tổ chức phong trào thi đua")
        c.showPage()
    c.save()
    return p
