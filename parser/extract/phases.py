"""Phases of a plan: a label and the date range printed after it.

Labels (spaCy PHASE matches, patterns in `parser/data/patterns.jsonl`): `Đợt 1`, `Đợt I`,
`Đợt thứ nhất`, `Đợt một`, `Đợt thi đua thứ hai`, `Giai đoạn 2`, `Giai đoạn thứ hai`, all
normalised to `Đợt N` / `Giai đoạn N`; and `Đợt (thi đua) cao điểm`, kept as `Đợt cao điểm`.
After `đợt thi đua` only the ordinal or `cao điểm` is matched, so `thi đua` stays a trigger
for the movements.

Ranges: `từ ngày 01/01/2026 đến ngày 30/4/2026`, `01/01 – 30/4/2026`, `Từ tháng 01/2024 đến
hết tháng 6/2024`, `từ tháng 1 đến tháng 6 năm 2026`, `ngày 01 tháng 01 năm 2026 đến ngày 30
tháng 4 năm 2026`, `từ quý I/2026 đến quý II/2026`; a start with no end (`Từ 13h30’ ngày
02/6/2026`). A heading label (`a) Đợt 1:`) may take its range from the `Thời gian: từ ...`
line after it. A bound without a year takes the other bound's (a range that runs into the next
year starts the year before) or the plan's year.

Not phases: a label with no start date after it (a mention in running text), `đợt 26/3` (a
date), `giai đoạn 2021–2025` / `giai đoạn năm 2021-2025` (a movement's period), `hai đợt cao
điểm:` / `các đợt thi đua` (a count of phases), dates that follow another `đợt`/`giai đoạn`
word first (`Giai đoạn 1: (1) Giai đoạn chuẩn bị đầu tư: Từ Quý III/2026 ...`).
"""
from __future__ import annotations

import re

from parser.extract.dates import DMY, LONG_DM, MONTH_ONLY, QUARTER, ROMAN, iso, month_end
from parser.extract.values import Found

HEADS = {"dot": "Đợt", "giai_doan": "Giai đoạn"}
WORDS = {"nhất": 1, "nhứt": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7,
         "tám": 8, "chín": 9, "mười": 10}
PEAK = "cao điểm"

RANGE_START = re.compile(r"\b(?:từ|bắt\s+đầu)\b", re.I)
AFTER_THI_DUA = re.compile(r"\b(đợt|giai\s+đoạn)\s+thi\s+đua\s+$", re.I)
# "hai đợt cao điểm:", "các đợt thi đua thứ hai": a count or a set of phases, not one
PLURAL_BEFORE = re.compile(r"(?:^|[\s(])(?:các|những|mỗi|từng|mấy|nhiều|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười"
                           r"|(?<![\d/.,])\d{1,2})\s+$", re.I)
YEAR_AFTER = re.compile(r"^\s*(?:năm\s+|học\b|\d{4})", re.I)  # "giai đoạn năm 2021-2025", "đợt năm học"
YEAR_RANGE_AFTER = re.compile(r"^\s*\d{4}\s*[-–—]\s*\d{4}")
CONNECTOR = re.compile(r"\s*(?:\([^()]{0,25}\)\s*)?,?\s*(?:đến|tới|sang|–|—|-|~)\s*", re.I)
OTHER_PHASE_WORD = re.compile(r"\b(?:đợt|giai\s+đoạn)\b", re.I)
CLAUSE_END = re.compile(r";|\.(?:\s|$)")
# what may stand before a label that opens its paragraph: "- ", "a) ", "1.1. ", "II. ", "(1) "
HEADING_LEAD = re.compile(r"^\s*(?:[-–—•+*]\s*|\(?[a-zđ]\)\s*|\(?\d+(?:\.\d+)*[.)]?\s*|[IVX]+[.)]\s*)?$", re.I)
# the line after a heading label that gives its time: "- Thời gian: từ ...", "Từ ngày ..."
TIME_LINE = re.compile(r"^\s*(?:[-–—•+*]\s*|\(?[a-zđ]\)\s*|\d+(?:\.\d+)*\.?\s*)?"
                       r"(?:thời\s+gian[^:：\d]{0,30}[:：]?\s*|(?=(?:từ|bắt\s+đầu)\b))", re.I)
HEAD_CHARS, PEAK_HEAD_CHARS, BARE_DATE_CHARS, START_GAP, END_GAP = 90, 200, 40, 45, 30
HEADING_CHARS, NEXT_LINES = 200, 3  # a heading label looks this many lines down for its time line


def _roman(s: str) -> int | None:
    if s.upper() in ROMAN:
        return ROMAN[s.upper()]
    values = {"I": 1, "V": 5, "X": 10}
    if not s or any(c not in values for c in s.upper()):
        return None
    total = 0
    for a, b in zip(s.upper(), s.upper()[1:] + " "):
        total += -values[a] if b != " " and values[a] < values[b] else values[a]
    return total


def _dates(s: str) -> list[tuple[int, int, int | None, int, int, int | None]]:
    """The dates, months and quarters of s, in order: (start, end, year, first month, last month, day)."""
    items = []
    for rx in (LONG_DM, DMY):
        for m in rx.finditer(s):
            d, mo = int(m.group("d")), int(m.group("m"))
            if 1 <= d <= 31 and 1 <= mo <= 12:
                items.append((m.start(), m.end(), int(m.group("y")) if m.group("y") else None, mo, mo, d))
    for m in MONTH_ONLY.finditer(s):
        mo = int(m.group("m"))
        if 1 <= mo <= 12:
            items.append((m.start(), m.end(), int(m.group("y")) if m.group("y") else None, mo, mo, None))
    for m in QUARTER.finditer(s):
        q = int(m.group("q")) if m.group("q").isdigit() else _roman(m.group("q"))
        items.append((m.start(), m.end(), int(m.group("y")) if m.group("y") else None, 3 * q - 2, 3 * q, None))
    items.sort(key=lambda t: (t[0], t[0] - t[1]))
    out: list = []
    for it in items:  # the longest reading at each place ("ngày 1 tháng 2 năm 2026", not "tháng 2 năm 2026")
        if not out or it[0] >= out[-1][1]:
            out.append(it)
    return out


def _range(s: str, head_chars: int, clause: bool):
    """(start bound, end bound or None) of the range s opens with, or None.

    The start is the first date after a `từ` / `bắt đầu` within head_chars, or one right at
    the front (a month or quarter there only with an end); no other `đợt` / `giai đoạn` may
    come before it."""
    head = s[:head_chars]
    if clause:
        lead = len(s) - len(s.lstrip(" :,.–—-("))
        if (c := CLAUSE_END.search(head, lead)) is not None:
            head = head[:c.start()]
    dates = _dates(s)
    anchors = [r.end() for r in RANGE_START.finditer(head)] + [0]
    first = None
    for a in anchors:
        limit = START_GAP if a else BARE_DATE_CHARS
        first = next((d for d in dates if a <= d[0] <= a + limit and d[0] < len(head)), None)
        if first is not None:
            break
    if first is None or OTHER_PHASE_WORD.search(s[:first[0]]):
        return None
    second = None
    if (c := CONNECTOR.match(s, first[1])) is not None:
        second = next((d for d in dates if c.end() <= d[0] <= c.end() + END_GAP
                       and not re.search(r"[;.]", s[c.end():d[0]])), None)
    if a == 0 and second is None and first[5] is None:
        return None  # "giai đoạn 2: Quý II/2031" is a deadline; a month or quarter with no `từ` needs its end
    return first, second


def _bounds(first, second, plan_year: int | None) -> tuple[str | None, str | None]:
    """ISO start and end; a bound without a year takes the other's (crossing into the next year) or the plan's."""
    _, _, y1, m1, _, d1 = first
    if second is None:
        return iso(y1 if y1 is not None else plan_year, m1, d1 or 1), None
    _, _, y2, m2_first, m2, d2 = second
    if y2 is None:
        y2 = (y1 + (1 if m2_first < m1 else 0)) if y1 is not None else plan_year
    if y1 is None and y2 is not None:
        y1 = y2 if m1 <= m2_first else y2 - 1
    start = iso(y1, m1, d1 or 1)
    end = iso(y2, m2, d2 or month_end(y2, m2)) if y2 is not None else None
    return start, end


def _label(text: str, ent) -> tuple[int, str] | None:
    """(where the label starts, its normal form) of a PHASE match, or None when it is no phase label."""
    kind = ent.ent_id_ or "dot_number"
    start = ent.start_char
    if kind.startswith("after_thi_dua"):
        before = AFTER_THI_DUA.search(text[:start])
        if before is None:
            return None
        start = before.start()
        head = "Đợt" if before.group(1).lower() == "đợt" else "Giai đoạn"
    else:
        head = HEADS["giai_doan" if kind.startswith("giai_doan") else "dot"]
    if kind.endswith("peak"):
        return start, f"{head} {PEAK}"
    word = ent[-1].text
    if word.isdigit():
        n = int(word)
    elif kind.endswith("number"):
        n = _roman(word)
    else:
        n = WORDS.get(word.lower())
        if word.lower() == "năm" and YEAR_AFTER.match(text[ent.end_char:]):
            return None
    if not n:
        return None
    return start, f"{head} {n}"


def phases(analysed, plan_year: int | None) -> list[Found]:
    """Each phase label with the date range printed right after it (or on the time line under it)."""
    out: list[Found] = []
    seen: set = set()
    for k, (ref, doc) in enumerate(analysed):
        text = ref.text
        labels = []
        for e in doc.ents:
            if e.label_ == "PHASE" and (found := _label(text, e)) is not None:
                labels.append((found[0], e.end_char, found[1]))
        for j, (start, label_end, label) in enumerate(labels):
            after = text[label_end:]
            if after[:1] == "/" or YEAR_RANGE_AFTER.match(after):  # "đợt 26/3" is a date; "giai đoạn 2021–2025" a period
                continue
            if PLURAL_BEFORE.search(text[:start]):
                continue
            if label in seen:
                continue
            peak = label.endswith(PEAK)
            chunk = text[label_end:labels[j + 1][0] if j + 1 < len(labels) else len(text)]
            got = _range(chunk, PEAK_HEAD_CHARS if peak else HEAD_CHARS, clause=peak)
            where, base, raw_from = ref, label_end, None
            if got is None and HEADING_LEAD.match(text[:start]) and len(text) <= HEADING_CHARS:
                for next_ref, _ in analysed[k + 1:k + 1 + NEXT_LINES]:
                    if OTHER_PHASE_WORD.search(next_ref.text):
                        break
                    if (t := TIME_LINE.match(next_ref.text)) is not None:
                        got = _range(next_ref.text[t.end():], HEAD_CHARS, clause=False)
                        if got is not None:
                            where, base, raw_from = next_ref, t.end(), text[start:].strip()
                            break
            if got is None:
                continue
            first, second = got
            start_iso, end_iso = _bounds(first, second, plan_year)
            if (plan_year is not None and first[2] is None and (second is None or second[2] is None) and out
                    and start_iso is not None and out[-1].value["start"] > start_iso):
                # no year printed and it would start before the phase above it: the school year ran on
                start_iso, end_iso = _bounds(first, second, plan_year + 1)
            if start_iso is None:
                continue
            key = (label, start_iso) if peak else label
            if key in seen:
                continue
            seen.add(key)
            raw_end = base + (second or first)[1]
            if raw_from is None:
                raw = text[start:raw_end].strip()
            else:
                raw = raw_from + " " + where.text[:raw_end].strip().lstrip("-–—•+* ")
            out.append(Found({"label": label, "start": start_iso, "end": end_iso, "raw": raw},
                             ref.start + start, where.start + raw_end))
    return out
