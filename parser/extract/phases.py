"""Phases of a plan (`Đợt 1: từ 1/1/2023 đến 30/6/2023`, `Giai đoạn 1: Từ tháng 01/2024 đến hết tháng 6/2024`)."""
from __future__ import annotations

import re

from parser.extract.dates import DMY, MONTH, iso, month_end
from parser.extract.values import Found

RANGE_START = re.compile(r"\b(?:từ|bắt đầu)\b", re.I)


def _bound(text: str, plan_year: int | None, end: bool) -> tuple[int | None, int, int | None, re.Match | None]:
    """(year, month, day) of the first date or month in text; day None = the whole month."""
    dm = DMY.search(text)
    mm = MONTH.search(text)
    if mm and (dm is None or mm.start() <= dm.start() or dm.start() >= mm.start()) and (dm is None or mm.start() < dm.start()):
        return int(mm.group("y")), int(mm.group("m")), None, mm
    if dm:
        y = int(dm.group("y")) if dm.group("y") else None
        return y, int(dm.group("m")), int(dm.group("d")), dm
    return None, 0, None, None


def phases(analysed, plan_year: int | None) -> list[Found]:
    """Each phase label (spaCy PHASE match) with the date range printed right after it."""
    out: list[Found] = []
    seen: set[str] = set()
    for ref, doc in analysed:
        text = ref.text
        labels = [e for e in doc.ents if e.label_ == "PHASE"]
        for k, m in enumerate(labels):
            if text[m.end_char:m.end_char + 1] == "/":  # "đợt 26/3" is a date, not a phase
                continue
            chunk_end = labels[k + 1].start_char if k + 1 < len(labels) else len(text)
            chunk = text[m.end_char:chunk_end]
            head = chunk[:90]
            if not RANGE_START.search(head) and not DMY.search(head[:40]):
                continue
            word = " ".join(t.text for t in m[:-1])
            label = word[:1].upper() + word[1:].lower() + " " + m[-1].text
            if label in seen:
                continue
            split = re.search(r"\bđến\b|\bsang\b|–|-\s", head)
            first = head[: split.start()] if split else head
            second = head[split.end():] if split else ""
            y1, m1, d1, f1 = _bound(first, plan_year, end=False)
            if f1 is None:
                continue
            y2, m2, d2, f2 = _bound(second, plan_year, end=True) if second else (None, 0, None, None)
            if f2 is not None and y2 is None:
                y2 = y1 if y1 is not None else plan_year
            if y1 is None:
                y1 = (y2 if m1 <= m2 else y2 - 1) if y2 is not None else plan_year
            start = iso(y1, m1, d1 or 1)
            end = iso(y2, m2, d2 or month_end(y2, m2)) if f2 is not None and y2 else None
            seen.add(label)
            raw_end = m.end_char + (split.end() + f2.end() if f2 is not None and split else f1.end())
            out.append(Found({"label": label, "start": start, "end": end, "raw": text[m.start_char:raw_end].strip()},
                             ref.start + m.start_char, ref.start + raw_end))
    return out
