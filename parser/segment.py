"""Page layout -> the parts of a Decree 30 document, read from geometry.

Header: the rows down to the `Số:` / place-date row, split into the left column
(parent body, issuer, number, `V/v` summary) and the right column (motto,
place-date). Then the centred type line and bold title, the body paragraphs, and
the footer: `Nơi nhận` in the left column, the signature block in the right.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from parser.layout import PageLayout, Row, Segment
from parser.read.pagemodel import Word
from parser.text.document_text import DocumentText, TextRef
from parser.text.repair import join_split_letters

NUMBER_LINE = re.compile(r"^\s*S[ốô]\s*[:;.]?\s*(?=[\d/]|$|\s)", re.I)
# Decree 30 writes the label "Số:"; a "SỐ 1050/QĐ-SCT" without the colon can be the end of an issuer's name
LABELLED_NUMBER = re.compile(r"^\s*S[ốô]\s*:", re.I)
DATE_LINE = re.compile(r",?\s*ngày\s*[\d.…_ ]*\s*tháng", re.I)
RECIPIENTS_HEAD = re.compile(r"^\s*N[ơo]i\s+nh[ậa]n\s*:?", re.I)
ADDRESSEES_HEAD = re.compile(r"^\s*Kính\s+gửi\s*:?", re.I)
VV_LINE = re.compile(r"^\s*(V/v|Về việc)\b", re.I)
LIST_MARKER = re.compile(r"^([-+•–*]\s|\(?\d+(\.\d+)*[.)]\s|[IVXLC]+[.)]\s|[a-zđ][).]\s|Điều\s+\d+|Đợt\s+\d+|Giai đoạn\s+\d+|PHẦN\s|Chương\s)")
DECORATION = re.compile(r"^[\s*_\-–—=.·•]+$")
SENTENCE_END = re.compile(r"[.;:!?]\W*$")


@dataclass
class Structure:
    text: DocumentText
    header_page: int = 1
    header_left: list[TextRef] = field(default_factory=list)
    header_left_bold: list[bool] = field(default_factory=list)
    header_right: list[TextRef] = field(default_factory=list)
    number_line: TextRef | None = None
    date_line: TextRef | None = None
    summary_lines: list[TextRef] = field(default_factory=list)  # V/v under the number (công văn)
    type_line: TextRef | None = None
    title_lines: list[TextRef] = field(default_factory=list)
    addressee_lines: list[TextRef] = field(default_factory=list)
    paragraphs: list[TextRef] = field(default_factory=list)
    recipient_lines: list[TextRef] = field(default_factory=list)
    signature_lines: list[TextRef] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _words(segments: list[Segment]) -> list[Word]:
    return join_split_letters([w for s in segments for w in s.words])


def _add(doc: DocumentText, segments: list[Segment], layout: PageLayout) -> TextRef:
    ref = doc.add_line(_words(segments), layout.number)
    first, last = segments[0], segments[-1]
    ref.x0, ref.x1, ref.top = first.x0, last.x1, min(s.top for s in segments)
    ref.size = first.size
    ref.bold = all(s.bold for s in segments)
    ref.centered = abs((ref.x0 + ref.x1) / 2 - layout.middle) < 0.06 * layout.width and ref.x0 > layout.body_left + first.size
    return ref


def _left(seg: Segment, layout: PageLayout) -> bool:
    return seg.center < layout.middle


def _find_header(pages: list[PageLayout]) -> tuple[int, int] | None:
    """(page index, row index) of the last header row: the number or place-date row."""
    for p, layout in enumerate(pages[:3]):
        number_row = labelled_row = date_row = None
        for i, row in enumerate(layout.rows[:40]):
            for seg in row.segments:
                if number_row is None and NUMBER_LINE.match(seg.text) and _left(seg, layout):
                    number_row = i
                if labelled_row is None and LABELLED_NUMBER.match(seg.text) and _left(seg, layout):
                    labelled_row = i
                if date_row is None and DATE_LINE.search(seg.text) and not _left(seg, layout) and "năm" in row.text:
                    date_row = i
        number_row = labelled_row if labelled_row is not None else number_row
        if number_row is not None or date_row is not None:
            return p, max(r for r in (number_row, date_row) if r is not None)
    return None


def segment(pages: list[PageLayout]) -> Structure:
    doc = DocumentText()
    st = Structure(doc)
    found = _find_header(pages)
    if found is None:
        st.warnings.append("Không thấy phần đầu văn bản (Số, ngày tháng) / no document header (number, date) found")
        p0, last_header = 0, -1
    else:
        p0, last_header = found
    st.header_page = pages[p0].number if pages else 1
    layout = pages[p0] if pages else None
    i = last_header + 1
    if layout is not None:
        _read_header(st, layout, layout.rows[: last_header + 1])
        # công văn: the V/v summary continues in the left column under the number
        while i < len(layout.rows):
            row = layout.rows[i]
            left_only = all(_left(s, layout) and s.x1 < layout.middle + 20 for s in row.segments)
            if not (VV_LINE.match(row.text) and not st.summary_lines) and not (left_only and st.summary_lines):
                break
            st.summary_lines.append(_add(doc, row.segments, layout))
            i += 1
        i = _read_title(st, layout, i)
    _read_body_and_footer(st, pages, p0, i)
    return st


def _column_sides(rows: list[Row], layout: PageLayout):
    """A test `is_left(segment)` from the header's two columns, learnt from rows that show both."""
    pairs = [(r.segments[0], r.segments[-1]) for r in rows if len(r.segments) >= 2]
    if not pairs:
        return lambda seg: _left(seg, layout)
    left = (min(a.x0 for a, _ in pairs), max(a.x1 for a, _ in pairs))
    right = (min(b.x0 for _, b in pairs), max(b.x1 for _, b in pairs))

    def overlap(seg: Segment, rng: tuple[float, float]) -> float:
        return min(seg.x1, rng[1]) - max(seg.x0, rng[0])

    return lambda seg: overlap(seg, left) > overlap(seg, right)


def _read_header(st: Structure, layout: PageLayout, rows: list[Row]) -> None:
    left: list[list[Segment]] = []
    right: list[list[Segment]] = []
    is_left = _column_sides(rows, layout)
    for row in rows:
        l = [s for s in row.segments if is_left(s)]
        r = [s for s in row.segments if not is_left(s)]
        if l:
            left.append(l)
        if r:
            right.append(r)
    is_number = LABELLED_NUMBER.match if any(LABELLED_NUMBER.match(" ".join(s.text for s in segs)) for segs in left) \
        else NUMBER_LINE.match
    for segs in left:
        text = " ".join(s.text for s in segs)
        if DECORATION.match(text):
            continue
        ref = _add(st.text, segs, layout)
        if is_number(text):
            st.number_line = ref
        elif st.number_line is None:
            st.header_left.append(ref)
            st.header_left_bold.append(all(s.bold for s in segs))
        elif VV_LINE.match(text) or st.summary_lines:
            st.summary_lines.append(ref)
    for segs in right:
        text = " ".join(s.text for s in segs)
        if DECORATION.match(text):
            continue
        ref = _add(st.text, segs, layout)
        if DATE_LINE.search(text) and st.date_line is None:
            st.date_line = ref
        else:
            st.header_right.append(ref)


def _read_title(st: Structure, layout: PageLayout, i: int) -> int:
    rows = layout.rows
    # the type line: the first centred line under the header, upper case
    while i < len(rows):
        row = rows[i]
        text = row.text.strip()
        if DECORATION.match(text) or not text:
            i += 1
            continue
        if len(row.segments) == 1 and text.upper() == text and any(c.isalpha() for c in text) and not ADDRESSEES_HEAD.match(text):
            ref = _add(st.text, row.segments, layout)
            if ref.centered or ref.bold:
                st.type_line = ref
                i += 1
            break
        break
    if st.type_line is None:
        return i
    while i < len(rows):
        row = rows[i]
        text = row.text.strip()
        if DECORATION.match(text):
            i += 1
            if st.title_lines:
                break
            continue
        if len(text) <= 2 and not any(c.isalpha() for c in text):
            i += 1  # a stray mark on a scan (a digit, a dot) between the type line and the title
            continue
        if len(row.segments) != 1:
            break
        seg = row.segments[0]
        previous = st.title_lines[-1] if st.title_lines else st.type_line
        if row.top - previous.top > 2.2 * max(seg.size, previous.size, 1.0):
            break  # a wide gap ends the title: what follows is another block (e.g. the issuing authority)
        centered = abs(seg.center - layout.middle) < 0.06 * layout.width
        if not (seg.bold and (centered or seg.block >= 0)) or ADDRESSEES_HEAD.match(text):
            break
        st.title_lines.append(_add(st.text, row.segments, layout))
        i += 1
    return i


def _starts_paragraph(row: Row, prev: Row | None, layout: PageLayout) -> bool:
    if prev is None or len(row.segments) > 1 or len(prev.segments) > 1:
        return True
    seg, before = row.segments[0], prev.segments[0]
    if seg.block >= 0 or before.block >= 0:
        return seg.block != before.block
    size = seg.size
    if row.page != prev.page:
        return bool(SENTENCE_END.search(before.text)) and (seg.x0 > layout.body_left + 0.6 * size or bool(LIST_MARKER.match(seg.text)))
    if seg.x0 > layout.body_left + 0.6 * size or LIST_MARKER.match(seg.text):
        return True
    if before.x1 < layout.body_right - 3 * size and SENTENCE_END.search(before.text):
        return True
    if seg.bold != before.bold:
        return True
    return row.top - prev.bottom > 1.2 * size


def _read_body_and_footer(st: Structure, pages: list[PageLayout], p0: int, first_row: int) -> None:
    doc = st.text
    paragraph: list[Segment] = []
    para_layout: PageLayout | None = None
    prev: Row | None = None
    footer_at: tuple[int, int] | None = None

    def flush() -> None:
        nonlocal paragraph
        if paragraph and para_layout is not None:
            st.paragraphs.append(_add(doc, paragraph, para_layout))
        paragraph = []

    for p in range(p0, len(pages)):
        layout = pages[p]
        start = first_row if p == p0 else 0
        for i in range(start, len(layout.rows)):
            row = layout.rows[i]
            if any(RECIPIENTS_HEAD.match(s.text) and _left(s, layout) for s in row.segments):
                footer_at = (p, i)
                break
            if ADDRESSEES_HEAD.match(row.text) and not st.paragraphs and not paragraph:
                st.addressee_lines.append(_add(doc, row.segments, layout))
                continue
            if st.addressee_lines and not st.paragraphs and not paragraph and row.text.lstrip().startswith(("-", "+")) \
                    and row.segments[0].x0 > layout.body_left + 2 * row.segments[0].size:
                st.addressee_lines.append(_add(doc, row.segments, layout))
                continue
            if _starts_paragraph(row, prev, layout):
                flush()
            if len(row.segments) > 1:
                flush()
                st.paragraphs.append(_add(doc, row.segments, layout))
                prev = row
                continue
            paragraph.extend(row.segments)
            para_layout = layout
            prev = row
        if footer_at:
            break
    if footer_at is None:
        flush()
        _signature_without_recipients(st, pages)
        return
    p, i = footer_at
    layout = pages[p]
    # signature rows that started a little above the Nơi nhận row belong to the footer
    sig_above: list[Segment] = []
    while paragraph and prev is not None and len(prev.segments) == 1 and not _left(prev.segments[0], layout) \
            and prev.segments[0].x0 > layout.middle - 0.05 * layout.width and paragraph[-1] is prev.segments[0]:
        sig_above.insert(0, paragraph.pop())
        prev = None
    flush()
    _read_footer(st, pages, p, i, sig_above)


def _read_footer(st: Structure, pages: list[PageLayout], p: int, i: int, sig_above: list[Segment]) -> None:
    doc = st.text
    left_rows: list[tuple[list[Segment], PageLayout]] = []
    right_rows: list[tuple[list[Segment], PageLayout]] = [([s], pages[p]) for s in sig_above]
    layout = pages[p]
    for row in layout.rows[i:]:
        l = [s for s in row.segments if s.x0 < layout.middle - 0.05 * layout.width]
        r = [s for s in row.segments if s not in l]
        if l:
            left_rows.append((l, layout))
        if r:
            right_rows.append((r, layout))
    # a name that fell onto the next page: the first right-column rows there
    if p + 1 < len(pages) and not any(_looks_like_name(" ".join(s.text for s in r)) for r, _ in right_rows):
        nxt = pages[p + 1]
        for row in nxt.rows[:4]:
            if all(s.x0 > nxt.middle - 0.05 * nxt.width for s in row.segments):
                right_rows.append((row.segments, nxt))
            else:
                break
    for segs, lay in left_rows:
        st.recipient_lines.append(_add(doc, segs, lay))
    for segs, lay in right_rows:
        st.signature_lines.append(_add(doc, segs, lay))


def _signature_without_recipients(st: Structure, pages: list[PageLayout]) -> None:
    """No `Nơi nhận`: the signature is the right-column block after the body's `./.`."""
    if not st.paragraphs:
        return
    end = next((k for k, ref in enumerate(st.paragraphs) if ref.text.rstrip().endswith("./.")), None)
    if end is None:
        return
    tail = st.paragraphs[end + 1:]
    del st.paragraphs[end + 1:]
    for ref in tail[:8]:
        st.signature_lines.append(ref)


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 5 and all(w[:1].isupper() and not w.isupper() for w in words if w.isalpha()) \
        and not any(ch.isdigit() for ch in text)
