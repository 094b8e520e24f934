"""Emulation movements (quoted names after phong trào / cuộc vận động / chương trình) and year themes.

A quoted name takes its class from the words between it and the quote before:
`phong trào` -> movement, `chủ đề` / `khẩu hiệu` -> theme, `danh hiệu` -> a title of
honour (not listed). Quotes that follow each other with only separators between
(`“A”; “B” và “C”`) share the class of the first. A quote with no trigger is a
movement only when the knowledge base knows it.
"""
from __future__ import annotations

import re

from parser.extract.kb import match_movement
from parser.extract.values import Found
from parser.text.document_text import TextRef

QUOTE_PAIRS = {"“": "”", '"': '"', "«": "»", "‘‘": "’’"}
TRIGGERS = [
    (re.compile(r"chủ đề|khẩu hiệu|phương châm|thông điệp", re.I), "theme"),
    (re.compile(r"danh hiệu|xét tặng|tặng|giải thưởng|cờ thi đua|bằng khen|giấy khen|cúp|huy hiệu", re.I), "honour"),
    (re.compile(r"cuộc vận động|CVĐ", re.I), "cuộc vận động"),
    (re.compile(r"chương trình", re.I), "chương trình"),
    (re.compile(r"phong trào|thi đua", re.I), "phong trào"),
]
SEPARATOR_ONLY = re.compile(r"^[\s,;.…]*(?:và|gắn với|cùng|hoặc|với)?[\s,;.…]*$", re.I)
PERIOD = re.compile(r"^\s*(?:của [^;“]{0,40}?)?\s*(giai đoạn\s+\d{4}\s*[-–]\s*\d{4})", re.I)


def _quotes(text: str):
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in ("“", '"', "«"):
            close = QUOTE_PAIRS[ch]
            j = text.find(close, i + 1)
            if j < 0:
                return
            yield i, j
            i = j + 1
        else:
            i += 1


def _classify(between: str) -> str | None:
    best = None
    for pattern, kind in TRIGGERS:
        for m in pattern.finditer(between):
            # the trigger nearest the quote decides, but "chủ đề phong trào ..." is a theme
            if best is None or m.start() > best[0] or (kind in ("theme", "honour") and m.start() >= best[0] - 30):
                if best is not None and best[1] in ("theme", "honour") and m.start() - best[0] < 30:
                    continue
                best = (m.start(), kind)
    return best[1] if best else None


def movements_and_themes(paragraphs: list[TextRef]) -> tuple[list[Found], list[Found]]:
    movements: list[Found] = []
    themes: list[Found] = []
    seen: set[str] = set()
    for ref in paragraphs:
        text = ref.text
        prev_end, prev_kind = None, None
        sentence_start = 0
        for open_at, close_at in _quotes(text):
            inner_start = open_at + 1
            name = text[inner_start:close_at].strip()
            lead = len(text[inner_start:close_at]) - len(text[inner_start:close_at].lstrip())
            between = text[(prev_end if prev_end is not None else sentence_start):open_at]
            if prev_end is not None and SEPARATOR_ONLY.match(between):
                kind = prev_kind
            else:
                kind = _classify(text[max(0, open_at - 120):open_at] if prev_end is None else between)
                # a list item with a qualifier between ("” giai đoạn 2021-2025; “") keeps the list's class
                if kind is None and prev_end is not None and len(between) < 60 and "." not in between:
                    kind = prev_kind
            prev_end, prev_kind = close_at + 1, kind
            if len(name) < 3 or not any(c.isalpha() for c in name):
                continue
            start, end = ref.start + inner_start + lead, ref.start + inner_start + lead + len(name)
            if kind == "theme":
                themes.append(Found(name, start, end))
                continue
            known = match_movement(name)
            if kind == "honour" or (kind is None and known is None):
                continue
            key = re.sub(r"\W+", " ", name.casefold()).strip()
            if key in seen:
                continue
            seen.add(key)
            period = PERIOD.match(text[close_at + 1:close_at + 80])
            movements.append(Found({
                "name": name,
                "kind": kind if kind in ("cuộc vận động", "chương trình") else (known["kind_vi"] if known and kind is None else "phong trào"),
                "period": period.group(1) if period else None,
                "canonical_key": known["key"] if known else None,
                "canonical_name": known["official_name_vi"] if known else None,
            }, start, end))
    return movements, themes
