"""One-page PDFs written byte by byte, for what no PDF library writes on purpose: a font whose
ToUnicode map sends a code to U+0000, to a control character or beyond the BMP."""
from __future__ import annotations

ASCII = [(c, "%04X" % c) for c in range(0x20, 0x7F)]


def to_unicode(remap: dict[str, str]) -> bytes:
    """A ToUnicode CMap: printable ASCII as itself, except the letters in `remap` (letter -> UTF-16BE hex)."""
    pairs = [(c, u) for c, u in ASCII if chr(c) not in remap] + [(ord(k), v) for k, v in remap.items()]
    body = b"".join(b"<%02X> <%s>\n" % (c, u.encode()) for c, u in pairs)
    return (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def\n"
            b"1 begincodespacerange <00> <FF> endcodespacerange\n%d beginbfchar\n" % len(pairs) + body +
            b"endbfchar endcmap CMapName currentdict /CMap defineresource pop end end")


def one_page(text: bytes, cmap: bytes) -> bytes:
    """An A4 page showing `text` in Helvetica 12 with the given ToUnicode map."""
    content = b"BT /F1 12 Tf 72 700 Td (" + text + b") Tj ET"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
            b"/Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode 6 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream"]
    out, offsets = b"%PDF-1.7\n", []
    for k, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % k + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
