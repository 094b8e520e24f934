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


def encrypted_docx(d: Path) -> Path:
    """A password-protected .docx as Word writes it: an OLE compound file (CFB v3) with the streams
    `EncryptionInfo` and `EncryptedPackage` (MS-OFFCRYPTO), here with random bytes for their contents."""
    import os
    import struct

    end, free, fat_sect, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    info, package = os.urandom(4096), os.urandom(8192)
    # sector 0: FAT, 1: directory, 2-9: EncryptionInfo, 10-25: EncryptedPackage
    fat = [fat_sect, end] + list(range(3, 10)) + [end] + list(range(11, 26)) + [end]
    fat += [free] * (128 - len(fat))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)

    def entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1) + struct.pack("<III", left, right, child)
                + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 + struct.pack("<IQ", start, size))

    directory = (entry("Root Entry", 5, nostream, nostream, 1, end, 0)
                 + entry("EncryptionInfo", 2, nostream, 2, nostream, 2, len(info))
                 + entry("EncryptedPackage", 2, nostream, nostream, nostream, 10, len(package))
                 + b"\0" * 128)
    p = d / "locked.docx"
    p.write_bytes(header + struct.pack("<128I", *fat) + directory + info + package)
    return p


def docx_aligned_start(d: Path) -> Path:
    """A .docx as LibreOffice 24 writes it: paragraphs aligned with the newer `<w:jc w:val="start"/>` and `end`."""
    import re
    import zipfile

    from docx import Document

    doc = Document()
    doc.add_paragraph("LIÊN ĐOÀN LAO ĐỘNG TỈNH NAM ĐỊNH").alignment = 1
    doc.add_paragraph("Số: 12/KH-LĐLĐ").alignment = 0
    doc.add_paragraph("Nam Định, ngày 17 tháng 02 năm 2023").alignment = 2
    doc.add_paragraph("KẾ HOẠCH").alignment = 1
    doc.add_paragraph("Tổ chức phong trào thi đua “Lao động giỏi, Lao động sáng tạo” năm 2023")
    plain = d / "plain.docx"
    doc.save(str(plain))
    p = d / "aligned-start.docx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                text = re.sub(r'<w:jc w:val="left"/>', '<w:jc w:val="start"/>', text)
                text = re.sub(r'<w:jc w:val="right"/>', '<w:jc w:val="end"/>', text)
                assert 'w:val="start"' in text and 'w:val="end"' in text
                data = text.encode("utf-8")
            dst.writestr(item, data)
    return p
