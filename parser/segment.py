"""Page layout -> the parts of a Decree 30 document, read from geometry.

Header: the rows down to the `Số:` / place-date row, split into the left column
(parent body, issuer, number, `V/v` summary) and the right column (motto,
place-date). Then the centred type line and bold title, the body paragraphs, and
the footer: `Nơi nhận` in the left column, the signature block in the right.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from parser.footer_zone import columns, signature_start
from parser.header_zone import find_header
from parser.layout import PageLayout, Row, Segment
from parser.read.pagemodel import Word
from parser.text.document_text import DocumentText, TextRef
from parser.text.repair import join_split_letters

RECIPIENTS_HEAD = re.compile(r"^\s*N[ơo]i\s+nh[ậa]n\s*:?", re.I)
ADDRESSEES_HEAD = re.compile(r"^\s*Kính\s+gửi\s*:?", re.I)
LIST_MARKER = re.compile(r"^([-+•–*]\s|\(?\d+(\.\d+)*[.)]\s|[IVXLC]+[.)]\s|[a-zđ][).]\s|Điều\s+\d+|Đợt\s+\d+|Giai đoạn\s+\d+|PHẦN\s|Chương\s)")
DECORATION = re.compile(r"^[\s*_\-–—=.·•]+$")
COPY_HEAD = re.compile(r"^\s*(SAO Y|SAO LỤC|TRÍCH SAO)(\s+BẢN\s+CHÍNH)?\s*$")
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
    mark_lines: list[TextRef] = field(default_factory=list)  # draft, urgency and secrecy marks
    type_line: TextRef | None = None
    title_lines: list[TextRef] = field(default_factory=list)
    addressee_lines: list[TextRef] = field(default_factory=list)
    paragraphs: list[TextRef] = field(default_factory=list)
    recipient_lines: list[TextRef] = field(default_factory=list)
    signature_lines: list[TextRef] = field(default_factory=list)
    signature_blocks: list[list[TextRef]] = field(default_factory=list)  # one per signature column, left to right
    copy_lines: list[TextRef] = field(default_factory=list)  # a certified copy's own block after the document
    annex_lines: list[TextRef] = field(default_factory=list)  # the pages after the footer, line by line
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


def segment(pages: list[PageLayout]) -> Structure:
    doc = DocumentText()
    st = Structure(doc)
    if not pages:
        return st
    _share_text_column(pages)
    parts = find_header(pages)
    p0 = parts.page
    layout = pages[p0]
    st.header_page = layout.number
    if not parts.found:
        st.warnings.append("Không thấy phần đầu văn bản (Số, ngày tháng) / no document header (number, date) found")
    add = lambda lines: _add(doc, [s for ln in lines for s in ln.segments], layout)  # noqa: E731
    for line in parts.issuer_lines:
        st.header_left.append(add([line]))
        st.header_left_bold.append(line.bold)
    if parts.number:
        st.number_line = add([parts.number])
    st.summary_lines = [add([ln]) for ln in parts.summary_lines]
    st.header_right = [add([ln]) for ln in parts.motto_lines]
    if parts.date_lines:
        st.date_line = add(parts.date_lines)
    st.mark_lines = [add([ln]) for ln in parts.mark_lines]
    if parts.type_line:
        st.type_line = add([parts.type_line])
        st.type_line.centered = True
    st.title_lines = [add([ln]) for ln in parts.title_lines]
    pages = _set_copy_block_apart(st, pages, p0, parts.end_row)
    _read_body_and_footer(st, pages, p0, parts.end_row)
    return st


def _set_copy_block_apart(st: Structure, pages: list[PageLayout], p0: int, first_row: int) -> list[PageLayout]:
    """A paper copy's block (`SAO Y` ... after the copied document's end) goes to `copy_lines`; the pages end before it."""
    for p in range(p0, len(pages)):
        layout = pages[p]
        for i in range(first_row if p == p0 else 0, len(layout.rows)):
            row = layout.rows[i]
            if len(row.segments) == 1 and COPY_HEAD.match(row.text):
                for lay in [layout] + pages[p + 1:]:
                    for r in lay.rows[i if lay is layout else 0:]:
                        st.copy_lines.append(_add(st.text, r.segments, lay))
                return pages[:p] + [replace(layout, rows=layout.rows[:i])]
    return pages


def _share_text_column(pages: list[PageLayout]) -> None:
    """A page with only a few rows (a signer's name on the last page) takes the text column of the others."""
    full = [p for p in pages if len(p.rows) >= 8]
    if not full:
        return
    left = sorted(p.body_left for p in full)[len(full) // 2]
    right = sorted(p.body_right for p in full)[len(full) // 2]
    for p in pages:
        if len(p.rows) < 8:
            p.body_left, p.body_right = left, right


def _starts_paragraph(row: Row, prev: Row | None, layout: PageLayout, in_quote: bool = False) -> bool:
    if prev is None or len(row.segments) > 1 or len(prev.segments) > 1:
        return True
    seg, before = row.segments[0], prev.segments[0]
    if seg.block >= 0 or before.block >= 0:
        return seg.block != before.block
    size = seg.size
    if in_quote and row.top - prev.bottom < 1.2 * size:
        return False  # a quoted name wrapped at " - " ("Dạy tốt" / "- Học tốt"): the dash is inside the quote
    if row.page != prev.page:
        return bool(SENTENCE_END.search(before.text)) and (seg.x0 > layout.body_left + 0.6 * size or bool(LIST_MARKER.match(seg.text)))
    if seg.x0 > layout.body_left + 0.6 * size or LIST_MARKER.match(seg.text):
        return True
    if before.x1 < layout.body_right - 3 * size and SENTENCE_END.search(before.text):
        return True
    if seg.bold != before.bold:
        return True
    return row.top - prev.bottom > 1.2 * size


def _open_quote(text: str) -> bool:
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1


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
            if _recipients_row(row, layout) or (signature_start(row, layout) and _closes_document(pages, p, i)):
                footer_at = (p, i)
                break
            if ADDRESSEES_HEAD.match(row.text) and not st.paragraphs and not paragraph:
                st.addressee_lines.append(_add(doc, row.segments, layout))
                continue
            if st.addressee_lines and not st.paragraphs and not paragraph and row.text.lstrip().startswith(("-", "+")) \
                    and row.segments[0].x0 > layout.body_left + 2 * row.segments[0].size:
                st.addressee_lines.append(_add(doc, row.segments, layout))
                continue
            if _starts_paragraph(row, prev, layout, _open_quote(" ".join(seg.text for seg in paragraph[-12:]))):
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
        _signature_without_recipients(st)
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


def _recipients_row(row: Row, layout: PageLayout) -> bool:
    return any(RECIPIENTS_HEAD.match(s.text) and _left(s, layout) for s in row.segments)


def _closes_document(pages: list[PageLayout], p: int, i: int) -> bool:
    """A signature anchor is the footer when a name or `Nơi nhận` follows it closely."""
    rows = pages[p].rows[i + 1:i + 13]
    if p + 1 < len(pages):
        rows += pages[p + 1].rows[:6]
    return any(_recipients_row(r, pages[p]) or any(_looks_like_name(strip_rank(s.text)) for s in r.segments) for r in rows)


def _read_footer(st: Structure, pages: list[PageLayout], p: int, i: int, sig_above: list[Segment]) -> None:
    doc = st.text
    layout = pages[p]
    recipient_rows: list[list[Segment]] = []
    signature: list[tuple[Segment, PageLayout]] = [(s, layout) for s in sig_above]
    in_recipients = False
    for row in layout.rows[i:]:
        in_recipients = in_recipients or _recipients_row(row, layout)
        if in_recipients:
            left = [s for s in row.segments if s.x0 < layout.middle - 0.05 * layout.width]
            if left:
                recipient_rows.append(left)
            signature += [(s, layout) for s in row.segments if s not in left]
        else:
            signature += [(s, layout) for s in row.segments]
    # Nơi nhận pushed onto the next page by the signature blocks
    if not recipient_rows and p + 1 < len(pages):
        nxt = pages[p + 1]
        at = next((k for k, row in enumerate(nxt.rows[:3]) if _recipients_row(row, nxt)), None)
        if at is not None:
            for row in nxt.rows[at:]:
                left = [s for s in row.segments if s.x0 < nxt.middle - 0.05 * nxt.width]
                if left:
                    recipient_rows.append(left)
    # a name that fell onto the next page: the first rows there that stand apart from the body
    if p + 1 < len(pages) and not any(_looks_like_name(strip_rank(s.text)) for s, _ in signature):
        nxt = pages[p + 1]
        for row in nxt.rows[:4]:
            if all(s.x0 > nxt.body_left + 0.2 * (nxt.body_right - nxt.body_left) for s in row.segments):
                signature += [(s, nxt) for s in row.segments]
            else:
                break
    for segs in recipient_rows:
        st.recipient_lines.append(_add(doc, segs, pages[segs[0].page - 1] if segs[0].page else layout))
    for column in columns(signature):
        block = [_add(doc, [seg], lay) for seg, lay in sorted(column, key=lambda sl: (sl[1].number, sl[0].top))]
        st.signature_blocks.append(block)
    st.signature_lines = [ref for block in st.signature_blocks for ref in block]
    # what follows the footer (annexes, lists) is kept line by line: it is searched, and its
    # reference lines ("Kèm theo Công văn số ...") corroborate the header
    used = {id(s) for s, _ in signature} | {id(s) for segs in recipient_rows for s in segs}
    for lay in pages[p + 1:]:
        for row in lay.rows:
            segs = [s for s in row.segments if id(s) not in used]
            if segs:
                st.annex_lines.append(_add(doc, segs, lay))


def _signature_without_recipients(st: Structure) -> None:
    """No `Nơi nhận` and no signature anchor: the lines after the body's closing `./.` are the signature."""
    end = next((k for k, ref in enumerate(st.paragraphs) if ref.text.rstrip().endswith("./.")), None)
    if end is None:
        return
    tail = st.paragraphs[end + 1:]
    del st.paragraphs[end + 1:]
    st.signature_lines = tail[:8]
    st.signature_blocks = [st.signature_lines] if st.signature_lines else []


RANK = re.compile(r"^\s*((Đại|Thượng|Trung|Thiếu)\s+(t\w{0,4}ng|tá|úy|uý)|(PGS\.?\s*)?(TS|ThS|BS|KS|CN)\.?(\s*[A-ZĐ][a-z]*\.)?)\s+")


def strip_rank(text: str) -> str:
    """`Thượng tướng Nguyễn Văn Long` -> `Nguyễn Văn Long`: military ranks and degrees printed before a name."""
    return RANK.sub("", text.strip(), count=1)


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 5 and all(w.isalpha() and w[:1].isupper() and not w.isupper() for w in words)
