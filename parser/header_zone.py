"""The Decree 30 header, element by element.

Each element is found from its own evidence — words, column, position, style —
not from one row that must hold both the number and the date:

- the *issuer block* (parent body, issuer) at the top of the left column;
- the *motto* (`CỘNG HÒA ...` / `Độc lập - Tự do - Hạnh phúc`) at the top of the right column;
- the *number line* (`Số: 149/KH-LĐLĐ`, also blank or handwritten: `Số:    /QĐ-UBND`);
- the *place–date line*, which may wrap (`Thanh Hóa, ngày 14 tháng 02 năm` / `2025`)
  or stand on its own row;
- *marks*: draft (`DỰ THẢO`, `(Dự thảo)`), urgency, secrecy;
- the *V/v summary* of a letter under the number;
- the centred *type line* and the *title* under it.

An element that is missing or unreadable costs only its own field: the others are
still read, and the caller turns what is missing into a warning naming it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from parser.data import doc_types
from parser.layout import PageLayout, Row, Segment
from parser.text.repair import mostly_capitals

# "Số:" followed by a serial, a blank, dots or a slash; OCR reads the label as "Sô", "Só", "Sổ"
NUMBER_LABEL = re.compile(r"^\s*S[ốôóổo]\s*[:;.]?\s*(?=[\d/.…_\-]|$|\s)", re.I)
LABELLED_NUMBER = re.compile(r"^\s*S[ốôóổ]\s*:", re.I)
# the place-date line: `ngày 15 tháng 3 năm 2024` (Decree 30), and after a place's comma the forms offices also
# print: `15 tháng 3 năm 2024`, `tháng 3 năm 2024`, `15/3/2024`, `ngày 15/03/2024`
DATE_START = re.compile(r"(?:^|,)\s*ngày\b|ngày\s*[\d.…_ ]*\s*tháng|,\s*(?:\d{1,2}\s*)?tháng\s*[\d.…_ ]*\s*năm\b"
                        r"|,\s*(?:ngày\s*)?\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}\s*\.?\s*$", re.I)
DATE_COMPLETE = re.compile(r"năm\s*\d{4}|\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}", re.I)
MOTTO = re.compile(r"CỘNG\s*H[ÒOÓ]A|XÃ HỘI CHỦ NGHĨA|Độc\s*lập|Hạnh\s*phúc|^\s*VIỆT NAM\s*$|ĐẢNG CỘNG SẢN|ĐOÀN TNCS|"
                   r"^\s*ĐOÀN THANH NIÊN CỘNG SẢN", re.I)
DRAFT = re.compile(r"^\s*[(\[]?\s*(DỰ THẢO|Dự thảo)(\s*(lần|\d).*)?[)\]]?\s*$")
MARK = re.compile(r"^\s*(HỎA TỐC|HOẢ TỐC|THƯỢNG KHẨN|KHẨN|TUYỆT MẬT|TỐI MẬT|MẬT)\s*$")
# a letter's summary: `V/v`, `Về việc`, and how OCR reads the slash (`Vlv`, `V|v`, `V1v`, `V/y`) or loses it
# into the capital's mark (`VÀ tham gia ...`: an upper-case `VÀ` before a lower-case word, which `và` never is
# at the head of a line under the number)
_SUMMARY = re.compile(r"^\s*(?:[Vv]\s?[/|lI1\\]\s?[vVy]\b|(?i:về\s+việc)\b|VÀ(?=\s+(\w)))")


def summary_prefix(text: str) -> re.Match | None:
    """The `V/v` (or `Về việc`) that opens a letter's summary line, as printed or as OCR read it."""
    m = _SUMMARY.match(text)
    if m and m.group(1) is not None and not m.group(1).islower():
        return None
    return m
DECORATION = re.compile(r"^[\s*_\-–—=.·•~]+$")
ADDRESSEES = re.compile(r"^\s*Kính\s+gửi\b", re.I)
BODY_START = re.compile(r"^\s*(Căn\s+cứ|Thực\s+hiện|Xét\s+đề\s+nghị|Theo\s+đề\s+nghị|Kính\s+gửi|Hôm\s+nay|Vào\s+(lúc|hồi))\b", re.I)
# a copy's or a signing system's stamp printed in the header area: not part of the document's own header
STAMP_TEXT = re.compile(r"^\s*(SAO Y|SAO LỤC|TRÍCH SAO|Ký bởi|Thời gian ký|Cơ quan\s*:|Email\s*:|Người ký)", re.I)

TYPE_NAMES = sorted({name.upper(): name for name in doc_types().values()}.items(), key=lambda kv: -len(kv[0]))


def type_name(text: str) -> str | None:
    """The document type a type line starts with: `KẾ HOẠCH Tổ chức ...` -> `Kế hoạch`."""
    upper = re.sub(r"\s+", " ", text.strip().upper())
    for key, name in TYPE_NAMES:
        if upper.startswith(key) and (len(upper) == len(key) or not upper[len(key)].isalpha()):
            return name
    return None


@dataclass
class Line:
    """One line of one header column."""

    segments: list[Segment]
    row: int  # index of the row in the page layout

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)

    @property
    def top(self) -> float:
        return min(s.top for s in self.segments)

    @property
    def size(self) -> float:
        return self.segments[0].size

    @property
    def bold(self) -> bool:
        return all(s.bold for s in self.segments)


@dataclass
class HeaderParts:
    """The header's elements as lines of the page, before they become text."""

    page: int = 0
    issuer_lines: list[Line] = field(default_factory=list)
    number: Line | None = None
    date_lines: list[Line] = field(default_factory=list)
    summary_lines: list[Line] = field(default_factory=list)
    mark_lines: list[Line] = field(default_factory=list)
    motto_lines: list[Line] = field(default_factory=list)
    type_line: Line | None = None
    title_lines: list[Line] = field(default_factory=list)
    end_row: int = 0  # first row after the header and title
    found: bool = False


def _centred(seg_x0: float, seg_x1: float, layout: PageLayout, size: float, full_width: bool = False) -> bool:
    """Centred on the text column; a full-width line counts only where a centred block may fill it (a title)."""
    centre = (seg_x0 + seg_x1) / 2
    return abs(centre - layout.middle) < 0.07 * layout.width and (full_width or seg_x0 > layout.body_left + 0.8 * size)


def _row_span(row: Row) -> tuple[float, float]:
    return row.segments[0].x0, max(s.x1 for s in row.segments)


def _is_body_row(row: Row, layout: PageLayout) -> bool:
    """A line of running text: starts at the left margin or a paragraph indent and fills the width."""
    text = row.text.strip()
    if BODY_START.match(text):
        return True
    if len(row.segments) != 1 or MOTTO.search(text) or NUMBER_LABEL.match(text) or DATE_START.search(text):
        return False
    seg = row.segments[0]
    width = layout.body_right - layout.body_left
    starts_left = seg.x0 < layout.body_left + 3.5 * seg.size
    return starts_left and seg.x1 - seg.x0 > 0.8 * width and not (seg.bold and _centred(seg.x0, seg.x1, layout, seg.size))


def _is_type_row(row: Row, layout: PageLayout) -> bool:
    x0, x1 = _row_span(row)
    text = row.text.strip()
    if not _centred(x0, x1, layout, row.segments[0].size) or MOTTO.search(text) or DRAFT.match(text):
        return False
    return type_name(text) is not None


def _split_number_and_date(row: Row) -> Row:
    """One segment holding `Số: 12/KH-UBND Thanh Hóa, ngày ...` (columns too close): two segments."""
    out: list[Segment] = []
    for seg in row.segments:
        words = seg.words
        cut = None
        if NUMBER_LABEL.match(seg.text) and "ngày" in seg.text.lower():
            for k in range(1, len(words)):
                rest = " ".join(w.text for w in words[k:])
                head = " ".join(w.text for w in words[:k])
                if re.match(r"^[A-ZĐÀ-Ỹ][^\s,]*(\s+[^\s,]+){0,4}\s*,\s*ngày\b", rest) and "/" in head:
                    cut = k
                    break
        if cut:
            out += [Segment(seg.page, words[:cut]), Segment(seg.page, words[cut:])]
        else:
            out.append(seg)
    return Row(row.page, out) if len(out) != len(row.segments) else row


def _column_test(rows: list[Row], layout: PageLayout):
    """`is_left(segment)` learnt from header rows that show both columns; the page middle otherwise."""
    pairs = [(r.segments[0], r.segments[-1]) for r in rows if len(r.segments) >= 2]
    if not pairs:
        return lambda seg: seg.center < layout.middle
    left = (min(a.x0 for a, _ in pairs), max(a.x1 for a, _ in pairs))
    right = (min(b.x0 for _, b in pairs), max(b.x1 for _, b in pairs))
    if left[1] > right[0]:  # overlapping ranges teach nothing
        return lambda seg: seg.center < layout.middle

    def overlap(seg: Segment, rng: tuple[float, float]) -> float:
        return min(seg.x1, rng[1]) - max(seg.x0, rng[0])

    def is_left(seg: Segment) -> bool:
        a, b = overlap(seg, left), overlap(seg, right)
        if a <= 0 and b <= 0:
            return seg.center < (left[1] + right[0]) / 2
        return a > b

    return is_left


def _header_evidence(layout: PageLayout) -> int:
    """How much of a Decree 30 header the top of a page shows (a cover page shows little)."""
    score = 0
    top = [r for r in layout.rows if r.top < 0.45 * layout.height][:30]
    texts = [s.text for r in top for s in r.segments]
    score += 2 * any(NUMBER_LABEL.match(t) for t in texts)
    score += 2 * any(DATE_START.search(t) and DATE_COMPLETE.search(t) for t in texts)
    score += any(MOTTO.search(t) for t in texts)
    score += any(_is_type_row(r, layout) for r in top)
    return score


def find_header(pages: list[PageLayout]) -> HeaderParts:
    parts = HeaderParts()
    candidates = [p for p, layout in enumerate(pages[:3]) if len(layout.rows) >= 3]
    if not candidates:
        return parts
    scores = {p: _header_evidence(pages[p]) for p in candidates}
    # a later page only when it shows clearly more of a header than the first (a cover page before it)
    p = max(candidates, key=lambda k: (scores[k] - (0 if k == candidates[0] else 2), -k))
    layout = pages[p]
    parts.page = p
    rows = [_split_number_and_date(r) for r in layout.rows]
    layout.rows = rows
    limit = len(rows)
    for i, row in enumerate(rows):
        if row.top > 0.62 * layout.height or i >= 45:
            limit = i
            break
    type_at = next((i for i in range(limit) if _is_type_row(rows[i], layout)), None)
    body_at = next((i for i in range(limit) if _is_body_row(rows[i], layout)), limit)
    if type_at is not None and type_at > body_at:
        type_at = None  # a type name inside the body ("Kế hoạch thực hiện ...") is not the type line
    end = type_at if type_at is not None else body_at
    header_rows = list(range(end))
    _read_columns(parts, rows, header_rows, layout)
    parts.found = bool(parts.number or parts.date_lines or parts.type_line or parts.motto_lines)
    if type_at is not None:
        parts.type_line = Line(rows[type_at].segments, type_at)
        parts.found = True
        parts.end_row = _read_title(parts, rows, type_at + 1, layout)
    else:
        parts.end_row = _after_summary(parts, rows, end, layout)
        parts.end_row = _fallback_type_line(parts, rows, parts.end_row, layout)
    return parts


def _read_columns(parts: HeaderParts, rows: list[Row], indexes: list[int], layout: PageLayout) -> None:
    header = [rows[i] for i in indexes]
    is_left = _column_test(header, layout)
    left: list[Line] = []
    right: list[Line] = []
    for i in indexes:
        row = rows[i]
        l = [s for s in row.segments if is_left(s)]
        r = [s for s in row.segments if not is_left(s)]
        # one wide segment over both columns: the motto row of a page with a narrow gap
        if l:
            left.append(Line(l, i))
        if r:
            right.append(Line(r, i))
    _read_right(parts, right)
    _read_left(parts, left)
    if not parts.date_lines:
        # the date on its own row, under the number or centred: look in the left column too
        _take_date(parts, [ln for ln in left if ln is not parts.number and ln not in parts.summary_lines])


def _take_date(parts: HeaderParts, lines: list[Line]) -> list[Line]:
    """The place–date line and its wrapped continuation; returns the lines not taken."""
    for k, line in enumerate(lines):
        text = line.text
        if STAMP_TEXT.match(text) or not DATE_START.search(text) or BODY_START.match(text):
            continue
        taken = [line]
        joined = text
        for nxt in lines[k + 1:k + 3]:
            if DATE_COMPLETE.search(joined):
                break
            if nxt.top - taken[-1].top > 3 * max(line.size, 6.0) or MOTTO.search(nxt.text):
                break
            taken.append(nxt)
            joined += " " + nxt.text
        parts.date_lines = taken
        return [ln for ln in lines if ln not in taken]
    return lines


def _read_right(parts: HeaderParts, lines: list[Line]) -> None:
    rest: list[Line] = []
    for line in lines:
        text = line.text
        if DECORATION.match(text) or STAMP_TEXT.match(text):
            continue
        if MOTTO.search(text) and not DATE_START.search(text):
            parts.motto_lines.append(line)
        elif DRAFT.match(text) or MARK.match(text):
            parts.mark_lines.append(line)
        else:
            rest.append(line)
    _take_date(parts, rest)


def _read_left(parts: HeaderParts, lines: list[Line]) -> None:
    labelled = any(LABELLED_NUMBER.match(ln.text) for ln in lines)
    is_number = LABELLED_NUMBER.match if labelled else NUMBER_LABEL.match
    number_at = next((k for k, ln in enumerate(lines) if is_number(ln.text)), None)
    if number_at is not None:
        parts.number = lines[number_at]
        # a narrow column wraps the symbol: "Số: 12-KH/" / "ĐTN"
        nxt = lines[number_at + 1] if number_at + 1 < len(lines) else None
        if nxt and re.match(r"^\s*[/-]?[A-ZĐ0-9][\wĐ.&/-]*\s*$", nxt.text) \
                and nxt.top - parts.number.top < 2 * max(nxt.size, 6.0):
            parts.number = Line(parts.number.segments + nxt.segments, parts.number.row)
            lines = lines[: number_at + 1] + lines[number_at + 2:]
    above = lines if number_at is None else lines[:number_at]
    below = [] if number_at is None else lines[number_at + 1:]
    in_issuer = True
    for line in above:
        text = line.text
        if DRAFT.match(text) or MARK.match(text):
            parts.mark_lines.append(line)
            continue
        if DECORATION.match(text):
            in_issuer = not parts.issuer_lines
            continue
        if MOTTO.search(text) or STAMP_TEXT.match(text):
            continue
        if summary_prefix(text):
            below.insert(0, line)
            in_issuer = False
            continue
        if number_at is None and (DATE_START.search(text) or not mostly_capitals(text)) and parts.issuer_lines:
            in_issuer = False  # no number line: the issuer block ends where capitals end
        if in_issuer:
            parts.issuer_lines.append(line)
        else:
            below.append(line)
    for line in below:
        text = line.text
        if DRAFT.match(text) or MARK.match(text):
            parts.mark_lines.append(line)
        elif summary_prefix(text) or (parts.summary_lines and not DATE_START.search(text)
                                     and line.top - parts.summary_lines[-1].top < 2.6 * max(line.size, 6.0)):
            parts.summary_lines.append(line)


def _after_summary(parts: HeaderParts, rows: list[Row], i: int, layout: PageLayout) -> int:
    """A letter's V/v summary may run on under the header rows, in the left column."""
    while i < len(rows) and parts.summary_lines:
        row = rows[i]
        seg = row.segments[0]
        previous = parts.summary_lines[-1]
        left_only = all(s.center < layout.middle and s.x1 < layout.middle + 40 for s in row.segments)
        near = row.top - previous.top < 2.6 * max(seg.size, 6.0)
        if not (left_only and near) or ADDRESSEES.match(row.text) or BODY_START.match(row.text):
            break
        parts.summary_lines.append(Line(row.segments, i))
        i += 1
    return i


def _fallback_type_line(parts: HeaderParts, rows: list[Row], i: int, layout: PageLayout) -> int:
    """No known type name: a centred line in capitals right under the header still reads as one."""
    if parts.summary_lines:
        return i
    while i < len(rows) and (DECORATION.match(rows[i].text) or DRAFT.match(rows[i].text)):
        if DRAFT.match(rows[i].text):
            parts.mark_lines.append(Line(rows[i].segments, i))
        i += 1
    if i >= len(rows):
        return i
    row = rows[i]
    x0, x1 = _row_span(row)
    text = row.text.strip()
    if len(row.segments) == 1 and mostly_capitals(text) and _centred(x0, x1, layout, row.segments[0].size) \
            and not ADDRESSEES.match(text) and not MOTTO.search(text) and (row.segments[0].bold or parts.found):
        parts.type_line = Line(row.segments, i)
        return _read_title(parts, rows, i + 1, layout)
    return i


def _read_title(parts: HeaderParts, rows: list[Row], i: int, layout: PageLayout) -> int:
    """The title: the centred lines under the type line, up to a wide gap, a rule or the body."""
    previous = parts.type_line
    while i < len(rows):
        row = rows[i]
        text = row.text.strip()
        seg = row.segments[0]
        if DECORATION.match(text):
            i += 1
            if parts.title_lines:
                break
            continue
        if len(text) <= 2 and not any(c.isalpha() for c in text):
            i += 1  # a stray mark on a scan between the type line and the title
            continue
        if DRAFT.match(text):
            parts.mark_lines.append(Line(row.segments, i))
            i += 1
            continue
        if row.top - previous.top > 2.3 * max(seg.size, previous.size, 1.0):
            break  # a wide gap ends the title: what follows is another block
        x0, x1 = _row_span(row)
        same_style = seg.bold and previous.bold
        centred = _centred(x0, x1, layout, seg.size, full_width=same_style) or (
            seg.block >= 0 and previous.segments[0].block == seg.block)
        if not centred or ADDRESSEES.match(text) or BODY_START.match(text):
            break
        if parts.title_lines and mostly_capitals(text) and not mostly_capitals(parts.title_lines[-1].text) and seg.bold:
            break  # capitals after a title in lower case: the issuing authority of a decision
        if parts.title_lines and previous.bold and not seg.bold and any(c.isalpha() for c in text):
            break  # the title's weight ends: an indented first line of the body is not the title's
        parts.title_lines.append(Line(row.segments, i))
        previous = parts.title_lines[-1]
        i += 1
    return i
