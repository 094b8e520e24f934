"""Draw a plan spec into a text-layer PDF with reportlab, following a layout dict.

Started from render_reportlab() in shared/tools/render_plan.py (same spec format: header_left,
header_right, number_line, date_line, doc_type_line, title_lines, body, recipients,
signature); extended with the layout options the variation harness needs (see LAYOUT).
"""
from __future__ import annotations

import random
import re
import tempfile
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (Flowable, Image as RLImage, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table,
                                TableStyle)

from .fonts import FONTS
from .handwriting import digits_png, scribble_png

LAYOUT = {
    "font": "dejavu", "size": 13.0, "page": "A4",
    "left_wrap": None,        # 2 or 3: the left header column is narrowed so the issuer wraps
    "motto_break": False,     # national motto over two lines
    "date_break": False,      # "..., ngày 14 tháng 02 năm" / "2025" in a narrow right column
    "date_row": False,        # the place-date line on its own row under "Số:"
    "draft": None,            # "top" (DỰ THẢO above the header) or "line" ((Dự thảo) under the date)
    "urgency": None,          # "HỎA TỐC" / "KHẨN" under the number
    "hand_number": None,      # digits drawn over the blank number
    "hand_day": None,         # digits drawn over the blank day
    "sig": None,              # "name-next": name alone on the next page; "block-next": whole block
    "sig_columns": [],        # extra signature columns left of the issuer's (joint plans, preparer)
    "page_numbers": False,    # page number centred at the top of pages 2, 3, ...
    "rules": None,            # "text": a line of underscores under the issuer and the motto
    "sig_image": False,       # a drawn signature over the blank lines above the name
    "nfd": False,             # text drawn in decomposed Unicode (NFD), as some producers write it
}
_PAGES = {"A4": A4, "letter": letter}
_registered: set[str] = set()


def _register(font: str) -> str:
    n = "V_" + font
    if font not in _registered:
        _, reg, bold, ital, bi = FONTS[font]
        for suffix, path in (("", reg), ("-B", bold), ("-I", ital), ("-BI", bi)):
            pdfmetrics.registerFont(TTFont(n + suffix, path))
        addMapping(n, 0, 0, n); addMapping(n, 1, 0, n + "-B"); addMapping(n, 0, 1, n + "-I"); addMapping(n, 1, 1, n + "-BI")
        _registered.add(font)
    return n


class FillRest(Flowable):
    """Empty space that pushes the next flowable to the bottom of the current page."""

    def __init__(self, follower: Flowable):
        super().__init__()
        self.follower = follower

    def wrap(self, aw, ah):
        h = self.follower.wrap(aw, ah)[1]
        self.height = max(0.0, ah - h - 4)
        return aw, self.height

    def draw(self):
        pass


def _e(s: str) -> str:
    """Escape, keeping runs of spaces (blank numbers and days) as they are printed."""
    return re.sub(r" {2,}", lambda m: "&nbsp;" * len(m.group()), escape(s))


def render(spec: dict, layout: dict, out_pdf: Path, rng: random.Random | None = None) -> None:
    """Draw `spec` into `out_pdf`; images drawn for the layout live in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="vanban-hand-") as tmp:
        _render(spec, layout, out_pdf, rng, Path(tmp))


def _render(spec: dict, layout: dict, out_pdf: Path, rng: random.Random | None, tmp: Path) -> None:
    lay = {**LAYOUT, **(layout or {})}
    rng = rng or random.Random(0)
    n = _register(lay["font"])
    size = float(lay["size"])
    page_w, _ = _PAGES[lay["page"]]
    text_w = page_w - 5 * cm

    def S(**kw):
        base = dict(fontName=n, fontSize=size, leading=size * 1.3)
        base.update(kw)
        return ParagraphStyle("s", **base)

    hsize = size - 1
    width = lambda s, bold=False, italic=False: pdfmetrics.stringWidth(
        s, n + ("-B" if bold else "") + ("-I" if italic and not bold else ""), hsize)
    body = S(alignment=TA_JUSTIFY, firstLineIndent=1 * cm, spaceAfter=4)
    center = S(alignment=TA_CENTER)
    story: list[Flowable] = []

    # header: issuer | motto, number | date
    left = spec["header_left"]
    n_bold = spec.get("issuer_lines", 1)
    if lay["nfd"]:
        spec = _nfd(spec)
    hl = "<br/>".join(("<b>%s</b>" % _e(x)) if i >= len(left) - n_bold else _e(x) for i, x in enumerate(left))
    if lay["rules"] == "text":
        hl += "<br/>" + "_" * 12
    motto = list(spec.get("header_right", []))
    if lay["motto_break"] and motto and " VIỆT NAM" in motto[0]:
        motto = [motto[0].replace(" VIỆT NAM", ""), "VIỆT NAM"] + motto[1:]
    hr = "<br/>".join(("<b>%s</b>" % _e(x)) if i < len(motto) - 1 else "<b><u>%s</u></b>" % _e(x)
                      for i, x in enumerate(motto))
    lw, rw = 6.5 * cm, 9.5 * cm
    if lay["left_wrap"]:
        issuer = " ".join(left[len(left) - n_bold:])
        lw = min(lw, max(width(issuer, bold=True) / lay["left_wrap"] + 0.6 * cm, 2.8 * cm))
        rw = text_w - lw
    date_line = spec.get("date_line") or ""
    if lay["hand_day"]:
        date_line = re.sub(r"ngày\s*\d{1,2}\s+tháng", "ngày \x00 tháng", date_line)
    if lay["date_break"]:
        head, _, year = date_line.rpartition(" ")
        need = max(width(head, italic=True), max((width(x, bold=True) for x in motto), default=0))
        rw = min(rw, need + 0.5 * cm)
        date_html = "<i>%s<br/>%s</i>" % (_e(head), _e(year))
    else:
        date_html = "<i>%s</i>" % _e(date_line)
    number_html = _e(spec.get("number_line") or "")
    for key, field in (("hand_number", "number"), ("hand_day", "day")):
        if lay[key]:
            png = tmp / f"{field}.png"
            w, h = digits_png(lay[key], png, rng)
            img = '<img src="%s" width="%.1f" height="%.1f" valign="-3"/>' % (png, w * size * 1.1 / h, size * 1.1)
            if field == "number":
                number_html = re.sub(r"(Số:)(?:\s|&nbsp;)*\d*(?:\s|&nbsp;)*", lambda m: m.group(1) + " " + img + " ",
                                     number_html, count=1)
            else:
                date_html = date_html.replace("\x00", img)
    if lay["urgency"]:
        number_html += "<br/><br/><b>%s</b>" % _e(lay["urgency"])
    hs = S(alignment=TA_CENTER, fontSize=hsize, leading=hsize * 1.25)
    rows = [[Paragraph(hl, hs), Paragraph(hr, hs)]]
    if lay["date_row"]:
        rows += [[Paragraph(number_html, hs), ""], ["", Paragraph(date_html, hs)]]
    else:
        rows += [[Paragraph(number_html, hs), Paragraph(date_html, hs)]]
    if lay["rules"] == "text":
        rows[0][1] = Paragraph(hr + "<br/>" + "_" * 22, hs)
    head = Table(rows, colWidths=[lw, rw])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    if lay["draft"] == "top":
        story.append(Paragraph("<b>DỰ THẢO</b>", S(alignment=TA_LEFT, fontSize=hsize)))
        story.append(Spacer(1, 4))
    story += [head, Spacer(1, 8)]
    if lay["draft"] == "line":
        story.append(Paragraph("<i>(Dự thảo)</i>", center))
    story += [Spacer(1, 4), Paragraph("<b>%s</b>" % _e(spec["doc_type_line"]), center)]
    for line in spec["title_lines"]:
        story.append(Paragraph("<b>%s</b>" % _e(line), center))
    story.append(Spacer(1, 10))
    for p in spec["body"]:
        if p.startswith("# "):
            story.append(Paragraph("<b>%s</b>" % _e(p[2:]), body))
        elif p.startswith("_ "):
            story.append(Paragraph("<i>%s</i>" % _e(p[2:]), body))
        elif p.startswith("> "):
            story.append(Paragraph(_e(p[2:]), S(alignment=TA_JUSTIFY, spaceAfter=4)))
        else:
            story.append(Paragraph(_e(p), body))
    if lay["sig_image"]:
        png = tmp / "signature.png"
        w, h = scribble_png(png, rng)
        spec = dict(spec, signature=_with_image(spec.get("signature", []), png, w, h, size))
    story += _footer(spec, lay, S, text_w)

    def later(canvas, doc):
        if lay["page_numbers"]:
            canvas.setFont(n, size - 1)
            canvas.drawCentredString(page_w / 2 + 0.5 * cm, _PAGES[lay["page"]][1] - 1.2 * cm, str(doc.page))

    SimpleDocTemplate(str(out_pdf), pagesize=_PAGES[lay["page"]], leftMargin=3 * cm, rightMargin=2 * cm,
                      topMargin=2 * cm, bottomMargin=2 * cm,
                      title=spec.get("doc_type_line", ""), author="").build(story, onLaterPages=later)


def _nfd(obj):
    if isinstance(obj, str):
        return unicodedata.normalize("NFD", obj)
    if isinstance(obj, list):
        return [_nfd(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _nfd(v) for k, v in obj.items()}
    return obj


IMG = "\x01img:"


def _with_image(sig: list[str], png: Path, w: int, h: int, size: float) -> list[str]:
    """The blank lines and '(Đã ký)' above the name become one drawn signature."""
    if not sig:
        return sig
    keep = [x for x in sig[:-1] if x and not x.startswith("(")]
    tall = size * 2.6
    return keep + [f"{IMG}{png}|{w * tall / h:.1f}|{tall:.1f}", sig[-1]]


def _sig_html(lines: list[str]) -> str:
    return "<br/>".join(("<i>%s</i>" % _e(x)) if x.startswith("(") else "<b>%s</b>" % _e(x) for x in lines)


def _sig_cell(lines: list[str], style) -> list[Flowable]:
    """Paragraphs of signature lines, with a drawn signature image as its own flowable."""
    out, run = [], []
    for x in lines:
        if x.startswith(IMG):
            if run:
                out.append(Paragraph(_sig_html(run), style))
                run = []
            src, w, h = x[len(IMG):].split("|")
            out.append(RLImage(src, width=float(w), height=float(h)))
        else:
            run.append(x)
    if run:
        out.append(Paragraph(_sig_html(run), style))
    return out


def _footer(spec: dict, lay: dict, S, text_w: float) -> list[Flowable]:
    rec = ("<b><i>%s</i></b><br/>" % _e(spec.get("recipients_heading", "Nơi nhận:")) + "<br/>".join(
        _e(x) for x in spec.get("recipients", []))) if spec.get("recipients") else ""
    rec_style = S(alignment=TA_LEFT, fontSize=10.5, leading=13)
    sig_style = S(alignment=TA_CENTER)
    sig = list(spec.get("signature", []))
    out: list[Flowable] = [Spacer(1, 10)]
    if lay["sig_columns"]:
        cols = [list(c) for c in (*lay["sig_columns"], sig)]
        tall = max(len(c) for c in cols)
        cols = [c[:-1] + [""] * (tall - len(c)) + c[-1:] for c in cols]  # names on one line
        w = text_w / len(cols)
        small = S(alignment=TA_CENTER, fontSize=S().fontSize - 1, leading=(S().fontSize - 1) * 1.3)
        t = Table([[_sig_cell(c, small) for c in cols]], colWidths=[w] * len(cols))
        t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        if lay["sig"] == "block-next":
            out.append(PageBreak())
        out += [t, Spacer(1, 10)]
        if rec:
            out.append(Paragraph(rec, rec_style))
        return out
    if lay["sig"] == "name-next" and sig:
        name = sig[-1]
        first = Table([[Paragraph(rec, rec_style), _sig_cell(sig[:-1], sig_style)]],
                      colWidths=[text_w / 2] * 2)
        first.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        second = Table([["", _sig_cell([name], sig_style)]], colWidths=[text_w / 2] * 2)
        return out + [FillRest(first), first, PageBreak(), second]
    foot = Table([[Paragraph(rec, rec_style), _sig_cell(sig, sig_style)]], colWidths=[text_w / 2] * 2)
    foot.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    if lay["sig"] == "block-next":
        out.append(PageBreak())
    return out + [foot]
