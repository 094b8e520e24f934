"""A second, digit-only read of a serial the page's reading left blank or doubtful.

Clerks write the serial by hand into the blank after `Số:` once a document is signed
(and e-signing systems draw it as an image). The region between the label and the
symbol is read again with only digits allowed (`parser.read.ocr.read_digits`); the
result is never given as sure: its confidence stays under 0.9, and under 0.5 it comes
with a warning.
"""
from __future__ import annotations

import re

from parser.extract.values import Found

MAX_CONFIDENCE = 0.9
DOUBTFUL = 0.5
LABEL = re.compile(r"^\s*S[ốôóổo]\s*[:;.]?", re.I)


def serial_region(st) -> tuple[int, tuple[float, float, float, float]] | None:
    """(page, box) of the blank between `Số:` and the symbol's `/` on the number line."""
    line = st.number_line
    if line is None:
        return None
    words = st.text.words_in(line.start, line.end)
    if not words:
        return None
    text = st.text.text
    label = LABEL.match(line.text)
    slash = line.text.find("/", label.end() if label else 0)
    if not label or slash < 0:
        return None
    slash_at = line.start + slash
    page, first_box = words[0][2], words[0][3]
    # the label's right edge: the end of "Số:" inside the first word, by its share of the word's letters
    w_start, w_end, _, (x0, top, x1, bottom) = words[0]
    label_end = line.start + label.end()
    left = x0 + (x1 - x0) * min(1.0, (label_end - w_start) / max(w_end - w_start, 1))
    right = None
    for s, e, _, (bx0, _, bx1, _) in words:
        if s <= slash_at < e:
            right = bx0 + (bx1 - bx0) * (slash_at - s) / max(e - s, 1)
            break
    if right is None or right - left < 2:
        return None
    height = bottom - top
    return page, (left, top - 0.5 * height, right, bottom + 0.4 * height)


def reread(path: str, kind: str, st, number: Found | None, symbol: dict | None) -> tuple[Found | None, dict | None, list[str]]:
    if kind != "pdf" or not symbol or not symbol.get("symbol"):
        return number, symbol, []
    if number is not None and number.confidence >= 0.95:
        return number, symbol, []
    region = serial_region(st)
    if region is None:
        return number, symbol, []
    from parser.read.ocr import read_digits

    page, box = region
    try:
        digits, confidence = read_digits(path, box, page=page)
    except Exception:  # an unreadable region costs only this second reading
        return number, symbol, []
    digits = digits.strip("/-")
    if not re.fullmatch(r"\d{1,6}", digits):
        return number, symbol, []
    if number is not None and number.value.startswith(digits + "/"):
        # both readings agree: the value stands, a little surer than either alone
        number.confidence = max(number.confidence, min(MAX_CONFIDENCE, confidence))
        return number, symbol, []
    confidence = min(MAX_CONFIDENCE, confidence)
    value = digits + symbol["symbol"]
    line = st.number_line
    found = Found(value, line.start, line.end, confidence=confidence, extra={"evidence": "digit re-read"})
    warnings = []
    if confidence < DOUBTFUL:
        warnings.append(f"Số “{digits}” viết tay đọc không chắc chắn, cần kiểm tra / the handwritten serial “{digits}” "
                        f"is doubtful: check it")
    symbol = dict(symbol, serial=digits)
    return found, symbol, warnings


def _gap_region(st, line, before: re.Pattern, after: re.Pattern):
    """(page, box) between the word matching `before` and the next word matching `after` on a line."""
    words = st.text.words_in(line.start, line.end)
    text = st.text.text
    left = right = None
    page = None
    for s, e, p, (x0, top, x1, bottom) in words:
        token = text[s:e]
        if left is None and before.fullmatch(token.strip(",")):
            left, page, box_top, box_bottom = x1, p, top, bottom
        elif left is not None and after.fullmatch(token):
            right = x0
            break
    if left is None or right is None or right - left < 2:
        return None
    height = box_bottom - box_top
    return page, (left, box_top - 0.5 * height, right, box_bottom + 0.4 * height)


DAY_WORD = re.compile(r"ngày", re.I)
MONTH_WORD = re.compile(r"tháng", re.I)
MONTH_YEAR = re.compile(r"tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.I)


def reread_day(path: str, kind: str, st, issued: Found | None) -> tuple[Found | None, list[str]]:
    """The day written by hand into the blank of `ngày ... tháng 6 năm 2026`, read again with digits only."""
    line = st.date_line
    if issued is not None or kind != "pdf" or line is None or not (my := MONTH_YEAR.search(line.text)):
        return issued, []
    region = _gap_region(st, line, DAY_WORD, MONTH_WORD)
    if region is None:
        return issued, []
    from parser.read.ocr import read_digits

    page, box = region
    try:
        digits, confidence = read_digits(path, box, page=page)
    except Exception:  # an unreadable region costs only this second reading
        return issued, []
    digits = digits.strip("/-")
    from parser.extract.dates import iso

    day = iso(int(my.group(2)), int(my.group(1)), int(digits)) if re.fullmatch(r"\d{1,2}", digits) else None
    if day is None:
        return issued, []
    confidence = min(MAX_CONFIDENCE, confidence)
    warnings = []
    if confidence < DOUBTFUL:
        warnings.append(f"Ngày “{digits}” viết tay đọc không chắc chắn, cần kiểm tra / the handwritten day “{digits}” "
                        f"is doubtful: check it")
    return Found(day, line.start, line.end, confidence=confidence, raw=line.text.strip(),
                 extra={"evidence": "digit re-read"}), warnings
