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


def _pdf_from_objects(objects: list[bytes], trailer_extra: bytes = b"", xref_at_prev: bool = False) -> bytes:
    """A PDF with the given objects (numbered from 1), a correct xref table and a trailer."""
    body = [b"%PDF-1.4\n"] + [b"%d 0 obj %s endobj\n" % (k, o) for k, o in enumerate(objects, 1)]
    offsets, pos = [], 0
    for chunk in body:
        offsets.append(pos)
        pos += len(chunk)
    xref = b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets[1:])
    prev = b" /Prev %d" % pos if xref_at_prev else b""  # an xref section that names itself as its predecessor
    trailer = b"trailer << /Size %d /Root 1 0 R%s%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, prev, trailer_extra, pos)
    return b"".join(body) + xref + trailer


def zero_pages(d: Path) -> Path:
    p = d / "zero_pages.pdf"
    p.write_bytes(_pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]))
    return p


def xref_loop(d: Path) -> Path:
    p = d / "xref_loop.pdf"
    p.write_bytes(_pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"],
                                    xref_at_prev=True))
    return p


def circular_pages(d: Path) -> Path:
    """A page tree whose node lists itself as its own kid."""
    p = d / "circular.pdf"
    p.write_bytes(_pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R >>",
                                     b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>"]))
    return p


def slow_to_read(d: Path, text_objects: int = 400_000) -> Path:
    """A small file whose one page holds hundreds of thousands of text objects: seconds of work for any reader."""
    import zlib

    content = zlib.compress(b"BT /F1 1 Tf 10 10 Td (a) Tj ET\n" * text_objects, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >> stream\n%s\nendstream" % (len(content), content),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    p = d / "slow.pdf"
    p.write_bytes(_pdf_from_objects(objects))
    return p


def decompression_bomb(d: Path, inflated_mb: int = 1500) -> Path:
    """A page whose content stream inflates from about a megabyte to `inflated_mb` MB of spaces."""
    import zlib

    packer = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    content = b"".join(packer.compress(chunk) for _ in range(inflated_mb)) + packer.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >> stream\n%s\nendstream" % (len(content), content)]
    p = d / "bomb.pdf"
    p.write_bytes(_pdf_from_objects(objects))
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
