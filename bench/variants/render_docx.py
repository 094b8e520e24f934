"""Draw a plan spec through python-docx and LibreOffice (like a Word export), cached by spec hash.

A trimmed copy of render_docx() in shared/tools/render_plan.py with font, size and page size
taken from the layout. LibreOffice takes ~2 s a document, so PDFs are kept in CACHE_DIR
(default bench/variants/.cache, or $VANBAN_VARIANTS_CACHE) under the hash of spec + layout.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .fonts import FONTS

# the layout keys this route draws: narrow columns (left_wrap, date_break) and the footer on the next page
DOCX_KEYS = ("font", "size", "page", "left_wrap", "date_break", "sig")
VERSION = 3  # bump when the drawing changes, so cached PDFs are redrawn
CACHE_DIR = Path(os.environ.get("VANBAN_VARIANTS_CACHE", Path(__file__).resolve().parent / ".cache"))


def cache_key(spec: dict, layout: dict) -> str:
    blob = json.dumps([VERSION, spec, {k: layout.get(k) for k in DOCX_KEYS}], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:24]


def render_docx(spec: dict, layout: dict, out_pdf: Path) -> None:
    cached = CACHE_DIR / (cache_key(spec, layout) + ".pdf")
    if not cached.exists():
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        _build(spec, layout, cached)
    shutil.copyfile(cached, out_pdf)


def _build(spec: dict, layout: dict, out_pdf: Path) -> None:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    family = FONTS[layout.get("font", "liberation")][0]
    size = float(layout.get("size", 14))
    doc = Document()
    sec = doc.sections[0]
    if layout.get("page") == "letter":
        sec.page_height, sec.page_width = Cm(27.94), Cm(21.59)
    else:
        sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
    sec.top_margin, sec.bottom_margin = Cm(2), Cm(2)
    sec.left_margin, sec.right_margin = Cm(3), Cm(2)
    st = doc.styles["Normal"]
    st.font.name = family
    st.font.size = Pt(size)
    st.paragraph_format.space_after = Pt(3)
    C, J = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY

    def run(p, text, bold=False, italic=False, sz=None, underline=False):
        r = p.add_run(text)
        r.bold, r.italic, r.underline = bold, italic, underline
        r.font.name = family
        r.font.size = Pt(sz or size)
        return r

    def para(text, bold=False, italic=False, align=None, indent=False):
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Cm(1)
        run(p, text, bold, italic)
        return p

    t = doc.add_table(rows=2, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    widths = (Cm(6.5), Cm(9.5))
    if layout.get("left_wrap"):  # the issuer's longest line wraps into 2 or 3 lines
        issuer = " ".join(spec["header_left"][len(spec["header_left"]) - spec.get("issuer_lines", 1):])
        est = len(issuer) * (size - 1) * 0.68 / 72 * 2.54  # bold capitals, cm
        lw = max(2.8, est / layout["left_wrap"] + 0.5)
        widths = (Cm(lw), Cm(16 - lw))
    for i, w in enumerate(widths):  # LibreOffice reads the grid columns, Word the cells: set both
        t.columns[i].width = w
        for cell in t.columns[i].cells:
            cell.width = w
    left, right = t.cell(0, 0), t.cell(0, 1)
    n_bold = spec.get("issuer_lines", 1)
    hl = spec["header_left"]
    for i, line in enumerate(hl):
        p = left.paragraphs[0] if i == 0 else left.add_paragraph()
        p.alignment = C
        run(p, line, bold=i >= len(hl) - n_bold, sz=size - 1)
    for i, line in enumerate(spec.get("header_right", [])):
        p = right.paragraphs[0] if i == 0 else right.add_paragraph()
        p.alignment = C
        run(p, line, bold=True, sz=size - 1 if i == 0 else size, underline=i == 1)
    p = t.cell(1, 0).paragraphs[0]; p.alignment = C
    run(p, spec.get("number_line") or "", sz=size - 1)
    p = t.cell(1, 1).paragraphs[0]; p.alignment = C
    date_line = spec.get("date_line") or ""
    if layout.get("date_break"):  # '..., ngày 14 tháng 02 năm' / '2025', as a narrow column wraps it
        head, _, year = date_line.rpartition(" ")
        run(p, head, italic=True).add_break()
        run(p, year, italic=True)
    else:
        run(p, date_line, italic=True)
    para("")
    para(spec["doc_type_line"], bold=True, align=C)
    for line in spec["title_lines"]:
        para(line, bold=True, align=C)
    para("")
    for text in spec["body"]:
        if text.startswith("# "):
            para(text[2:], bold=True, align=J, indent=True)
        elif text.startswith("_ "):
            para(text[2:], italic=True, align=J, indent=True)
        elif text.startswith("> "):
            para(text[2:], align=J)
        else:
            para(text, align=J, indent=True)
    if layout.get("sig") == "block-next":
        from docx.enum.text import WD_BREAK
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    ft = doc.add_table(rows=1, cols=2)
    ft.autofit = False
    for i, w in enumerate((Cm(8), Cm(8))):
        ft.rows[0].cells[i].width = w
    lc, rc = ft.cell(0, 0), ft.cell(0, 1)
    run(lc.paragraphs[0], spec.get("recipients_heading", "Nơi nhận:"), bold=True, italic=True, sz=12)
    for line in spec.get("recipients", []):
        q = lc.add_paragraph(); q.paragraph_format.space_after = Pt(0)
        run(q, line, sz=11)
    for i, line in enumerate(spec.get("signature", [])):
        q = rc.paragraphs[0] if i == 0 else rc.add_paragraph()
        q.alignment = C
        run(q, line, bold=not line.startswith("("), italic=line.startswith("("))
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "doc.docx")
        doc.save(path)
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{d}/profile",
                        "--convert-to", "pdf", "--outdir", d, path],
                       check=True, capture_output=True, timeout=180)
        os.replace(os.path.join(d, "doc.pdf"), out_pdf)
