"""Anniversaries (`93 năm Ngày thành lập Đảng ...`) resolved against the commemorations knowledge base."""
from __future__ import annotations

import re

from parser.extract.kb import fold, match_commemoration
from parser.extract.values import Found

EVENT = re.compile(r"\s+(?P<event>(?:Ngày|ngày|[A-ZĐÂĂÔƠƯÊ“\"])[^;(.]*)")
# an event stops at "(", ";", ".", or where the next count begins (", 95 năm ...", " và 135 năm ...")
NEXT_COUNT = re.compile(r",?\s+(?:và\s+)?(?:chào mừng\s+|kỷ niệm\s+)?\d{1,3}\s+năm\s+[A-ZĐ]|,\s+(?:chào mừng|thi đua|hoàn thành|tổ chức|tuyên truyền)\b")


def _resolve(years: int, event: str, start: int, end: int, plan_year: int | None) -> Found | None:
    row = match_commemoration(event)
    if row is None and not event.lower().startswith("ngày"):
        return None
    value = {"years": years, "event": event}
    if row is not None:
        value["canonical_key"] = row["key"]
        value["canonical_event"] = row["canonical_name_vi"]
        if row["year"]:
            origin = int(row["year"])
            month, day = row["month"], row["day"]
            value["origin_date"] = "-".join(p for p in (str(origin), month.zfill(2) if month else "", day.zfill(2) if day and month else "") if p)
            target = origin + years
            if month and day and row["calendar"] == "solar":
                value["anniversary_date"] = f"{target:04d}-{int(month):02d}-{int(day):02d}"
            if plan_year is not None:
                # a school-year plan celebrates dates of the next calendar year too
                value["consistent"] = target in (plan_year, plan_year + 1)
    return Found(value, start, end, confidence=1.0 if row is not None else 0.6)


def anniversaries(analysed, plan_year: int | None) -> list[Found]:
    """Each count (spaCy COUNT match, `93 năm`) followed by a capitalized event the knowledge base knows."""
    out: list[Found] = []
    seen: set[tuple[int, str]] = set()
    for ref, doc in analysed:
        text = ref.text
        for count in (e for e in doc.ents if e.label_ == "COUNT"):
            if count.start_char and text[count.start_char - 1] in "/.,":
                continue
            m = EVENT.match(text, count.end_char)
            if m is None:
                continue
            years = int(count[0].text)
            event = m.group("event")
            stop = NEXT_COUNT.search(event)
            if stop:
                event = event[: stop.start()]
            event = event.strip(" ,:–-“”\"")
            if not event or years < 1:
                continue
            start = ref.start + count.start_char
            # two events under one count: "78 năm Cách mạng tháng Tám và Quốc khánh ..."
            parts = [event]
            if " và " in event:
                left, right = event.split(" và ", 1)
                if match_commemoration(left) and match_commemoration(right):
                    parts = [left, right]
            offset = m.start("event")
            for part in parts:
                k = text.find(part, offset)
                found = _resolve(years, part, ref.start + k, ref.start + k + len(part), plan_year)
                offset = k + len(part)
                if found is None:
                    continue
                key = (years, found.value.get("canonical_key") or fold(part))
                if key in seen:
                    continue
                seen.add(key)
                found.start = start if part is parts[0] else found.start
                out.append(found)
    return out
