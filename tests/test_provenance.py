"""Every box a value points to holds that value's words on the page it names."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from parser import ParseOptions, parse
from parser.read.pdf import read_pdf

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
PDFS = ["nd-149-kh-ldld-2023.pdf", "nd-149-kh-ldld-2023-rl.pdf", "cp-ubnd-kimson-2024.pdf",
        "cp-sgddt-hatinh-2024-2025.pdf", "lc-cv-4378-tra-ho-so-mong-son-2026.pdf"]


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).casefold())


def words_in(page, bbox) -> list[str]:
    x0, top, x1, bottom = bbox
    inside = [w for w in page.words if x0 - 1 <= (w.x0 + w.x1) / 2 <= x1 + 1 and top - 1 <= (w.top + w.bottom) / 2 <= bottom + 1]
    return [t for w in sorted(inside, key=lambda w: (round(w.top), w.x0)) for t in tokens(w.text)]


def boxed_values(doc):
    for key in ("number", "issuer", "title", "place"):
        value = getattr(doc, key)
        if value and value.boxes:
            yield key, value.value, value.boxes
    if doc.signer.name and doc.signer.name.boxes:
        yield "signer.name", doc.signer.name.value, doc.signer.name.boxes
    for m in doc.movements:
        yield "movement", m.name, m.boxes
    for a in doc.anniversaries:
        yield "anniversary", a.event, a.boxes
    for r in doc.recipients:
        yield "recipient", r.text, r.boxes


@pytest.mark.parametrize("name", PDFS)
def test_boxes_hold_their_values(name):
    path = str(SAMPLES / name)
    pages = read_pdf(path).pages
    doc = parse(path, ParseOptions(ocr="never", include_text=False))
    checked = 0
    for field, value, boxes in boxed_values(doc):
        found = [t for b in boxes for t in words_in(pages[b.page - 1], b.bbox)]
        want = tokens(value)
        assert want[0] in found and want[-1] in found, f"{field} {value!r} not in its boxes: {found}"
        checked += 1
    assert checked >= 5
