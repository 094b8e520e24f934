"""Evidence for the number and date beyond the header's own print.

When the serial or the day is handwritten, blank or unreadable, the document often
says them again elsewhere:
- an annex's reference line, typed: `(Kèm theo Công văn số: 5689/BCA-C04 ngày 16 tháng 12 năm 2025)`;
- the signing system's stamp: `Ký bởi: ... Thời gian ký: 02.04.2026 14:24:26 +07:00`;
- an electronic copy's stamp (`SAO Y ... Thời gian ký: ...`), which dates the copy, so it
  supports the document's date only where the printed month and year agree.
Each such value says where it came from (`evidence`) and carries a confidence below
what the header's own clean print would get.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from parser.extract.dates import iso
from parser.text.document_text import TextRef

REFERENCE = re.compile(
    r"(?:Kèm\s+theo|Gửi\s+kèm|Ban\s+hành\s+kèm\s+theo)\s+(?:[\wÀ-ỹ]+\s+){0,3}?s[ốôóo]\s*:?\s*"
    r"(?P<number>\d+[\w]*(?:\s*[/-]\s*[\wĐđ.&]+)+)\s*,?\s*(?:ngày\s*(?P<date>[^)\n]{4,40}))?", re.I)
DAY_MONTH_YEAR = re.compile(r"(?P<d>\d{1,2})\s*(?:tháng\s*|[/.-]\s*)(?P<m>\d{1,2})\s*(?:năm\s*|[/.-]\s*)(?P<y>\d{4})", re.I)
MONTH_YEAR = re.compile(r"tháng\s*(?P<m>\d{1,2})\D{0,6}năm\s*(?P<y>\d{4})", re.I)

# how sure a value taken from each kind of evidence is (the header's clean print is 1.0)
ANNEX_CONFIDENCE = 0.85
SIGNATURE_CONFIDENCE = 0.7
COPY_CONFIDENCE = 0.5


@dataclass(slots=True)
class Reference:
    number: str
    date: str | None
    start: int
    end: int


def _symbol(number: str) -> str:
    return re.sub(r"^\d+\w*", "", re.sub(r"\s+", "", number))


def annex_references(paragraphs: list[TextRef]) -> list[Reference]:
    """`Kèm theo ... số X ngày D` lines, as printed on annexes and attachments."""
    out = []
    for ref in paragraphs:
        for m in REFERENCE.finditer(ref.text):
            number = re.sub(r"\s*([/-])\s*", r"\1", m.group("number")).strip(" .,;")
            day = None
            if m.group("date") and (d := DAY_MONTH_YEAR.search(m.group("date"))):
                day = iso(int(d.group("y")), int(d.group("m")), int(d.group("d")))
            out.append(Reference(number, day, ref.start + m.start("number"), ref.start + m.end()))
    return out


def reference_for(refs: list[Reference], symbol: str | None, serial: str | None = None) -> Reference | None:
    """The annex reference to this document: same symbol (`/BCA-C04`), and the same serial when one was read."""
    if not symbol:
        return None
    for r in refs:
        if _symbol(r.number).upper() == symbol.upper() and (not serial or r.number.startswith(serial)):
            return r
    return None


def printed_month_year(date_line: str | None) -> tuple[int, int] | None:
    if date_line and (m := MONTH_YEAR.search(date_line)):
        return int(m.group("m")), int(m.group("y"))
    return None


def stamp_date(stamps, month_year: tuple[int, int] | None):
    """(stamp, confidence) for the date: the signer's own stamp first; a copy's only where month and year agree."""
    for kind, confidence in (("sign", SIGNATURE_CONFIDENCE), ("copy", COPY_CONFIDENCE)):
        for s in stamps:
            if s.kind != kind or not s.signed_on:
                continue
            y, m = int(s.signed_on[:4]), int(s.signed_on[5:7])
            if month_year is not None and (m, y) != month_year:
                continue
            if kind == "copy" and month_year is None:
                return s, COPY_CONFIDENCE - 0.1  # no printed month to check against: the copy may be later
            return s, confidence
    return None, 0.0


def corroborate(st, number, symbol: dict | None, issued, stamps) -> tuple:
    """(number, date, warnings): the header's own values, or the best other evidence where they are missing or doubtful."""
    from parser.extract.values import Found

    warnings: list[str] = []
    refs = annex_references(st.paragraphs + st.annex_lines)
    code = (symbol or {}).get("symbol")
    serial_ok = number is not None and number.confidence >= 0.95 and re.fullmatch(r"\d+\w?", (symbol or {}).get("serial") or "")
    if not serial_ok and (ref := reference_for(refs, code)):
        if number is None or ref.number != number.value:
            warnings.append(f"Số văn bản lấy từ dòng trích dẫn trong văn bản (“{ref.number}”) vì số ở phần đầu không đọc rõ / "
                            f"the number is taken from the document's own reference line, the header's was not clear")
            number = Found(ref.number, ref.start, ref.start + len(ref.number), confidence=ANNEX_CONFIDENCE,
                           extra={"evidence": "annex reference"})
            if symbol is not None:
                symbol["serial"] = re.match(r"\d+", ref.number).group(0)
    if issued is None or issued.confidence < 0.95:
        ref = reference_for(refs, code, serial=None)
        month_year = printed_month_year(st.date_line.text if st.date_line else None)
        if ref and ref.date and (month_year is None or (int(ref.date[5:7]), int(ref.date[:4])) == month_year):
            if issued is not None and issued.value == ref.date:
                issued.confidence = max(issued.confidence, ANNEX_CONFIDENCE)  # two readings agree
                return number, issued, warnings
            # a typed reference line outweighs a handwritten day read by OCR
            issued = Found(ref.date, ref.start, ref.end, confidence=ANNEX_CONFIDENCE, raw=None,
                           extra={"evidence": "annex reference"})
            warnings.append(f"Ngày ban hành lấy từ dòng trích dẫn trong văn bản ({ref.date}) / the date is taken from "
                            f"the document's own reference line")
        elif issued is None:
            stamp, confidence = stamp_date(stamps, month_year)
            if stamp is not None:
                issued = Found(stamp.signed_on, -1, -1, confidence=confidence, raw=stamp.text,
                               extra={"evidence": "copy stamp" if stamp.kind == "copy" else "e-signature",
                                      "page": stamp.page, "bbox": stamp.bbox})
                warnings.append(f"Ngày ban hành lấy từ dấu chữ ký số ({stamp.signed_on}), không phải từ dòng ngày tháng / "
                                f"the date comes from the e-signature stamp, not from the printed date line")
    return number, issued, warnings

