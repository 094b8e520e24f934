"""The Decree 30 footer: `Nơi nhận` and the signature blocks, wherever they sit after the body.

A signature block is found from its own evidence — an authority line (`TM.`, `KT.`,
`TL.`, `TUQ.`, `Q.`) or a position in capitals (`CHỦ TỊCH`, `NGƯỜI LẬP PHƯƠNG ÁN`)
standing in a column, with a name under it — not from its place beside `Nơi nhận`.
So a block above `Nơi nhận`, beside it, below it or with its name on the next page
is read the same way, and two or three blocks side by side (joint plans, preparer
and approver) become separate columns.
"""
from __future__ import annotations

import re

from parser.layout import PageLayout, Row, Segment
from parser.text.repair import mostly_capitals

AUTHORITY = re.compile(r"^\s*(T/?M|KT|TL|TUQ|Q)\s*[./]\s*\S", re.I)
POSITION = re.compile(
    r"^\s*(PHÓ\s+)?(CHỦ TỊCH|GIÁM ĐỐC|TỔNG GIÁM ĐỐC|TRƯỞNG|BÍ THƯ|THỦ TRƯỞNG|CHỦ TOẠ|CHỦ TỌA|CHỦ TRÌ|THƯ KÝ|"
    r"NGƯỜI\s+(LẬP|VIẾT|GHI|SOẠN|DUYỆT|KÝ)|KẾ TOÁN|HIỆU TRƯỞNG|CỤC TRƯỞNG|VỤ TRƯỞNG|CHÁNH|BỘ TRƯỞNG|THỨ TRƯỞNG|"
    r"THỦ TƯỚNG|ĐẠI DIỆN|XÁC NHẬN|TRƯỞNG ĐOÀN|TRƯỞNG BAN|TỔ TRƯỞNG|ĐỘI TRƯỞNG|CHỈ HUY|TƯ LỆNH|CHÍNH ỦY|"
    r"BAN CHẤP HÀNH|BAN THƯỜNG VỤ|ỦY BAN|UỶ BAN|UBND)\b")


def is_anchor(seg: Segment) -> bool:
    """A segment that opens a signature block."""
    text = seg.text.strip()
    if AUTHORITY.match(text):
        return len(text) < 80
    return bool(POSITION.match(text)) and mostly_capitals(text) and len(text) < 60


def signature_start(row: Row, layout: PageLayout) -> bool:
    """The row where signature blocks begin: anchors in a column, not a heading at the left margin."""
    anchors = [s for s in row.segments if is_anchor(s)]
    if not anchors:
        return False
    width = layout.body_right - layout.body_left
    if len(row.segments) >= 2:
        return all(s.x1 - s.x0 < 0.55 * width for s in row.segments)
    seg = anchors[0]
    return seg.x0 > layout.body_left + 0.25 * width and seg.x1 - seg.x0 < 0.6 * width


def columns(segments: list[tuple[Segment, PageLayout]]) -> list[list[tuple[Segment, PageLayout]]]:
    """Signature segments grouped into side-by-side columns by their horizontal extent."""
    cols: list[tuple[float, float, list[tuple[Segment, PageLayout]]]] = []
    for seg, layout in segments:
        best = None
        for k, (x0, x1, _) in enumerate(cols):
            overlap = min(x1, seg.x1) - max(x0, seg.x0)
            near = abs((x0 + x1) / 2 - seg.center) < 0.1 * layout.width
            if overlap > 0.3 * min(x1 - x0, seg.x1 - seg.x0) or near:
                best = k
                break
        if best is None:
            cols.append((seg.x0, seg.x1, [(seg, layout)]))
        else:
            x0, x1, members = cols[best]
            members.append((seg, layout))
            cols[best] = (min(x0, seg.x0), max(x1, seg.x1), members)
    # a column that holds no anchor and no name is a stray mark (a stamp's text, a page mark)
    cols.sort(key=lambda c: c[0])
    return [members for _, _, members in cols]
