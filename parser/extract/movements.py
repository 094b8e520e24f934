"""Emulation movements (quoted names after phong trào / cuộc vận động / chương trình) and year themes.

A quoted name takes its class from the trigger words (spaCy matches, patterns in
`parser/data/patterns.jsonl`) between it and the quote before, within its sentence:
`phong trào` -> movement, `chủ đề` / `khẩu hiệu` -> theme, `danh hiệu` -> a title of
honour (not listed). Quotes that follow each other with only separators or a short
qualifier between (`“A”; “B” giai đoạn 2021-2025; “C”`) share the class of the
first. A quote with no trigger is a movement only when the knowledge base knows it.
"""
from __future__ import annotations

import re

from parser.extract.kb import match_movement
from parser.extract.values import Found
from parser.nlp import sentences

KINDS = {"TRIGGER_MOVEMENT": "phong trào", "TRIGGER_CAMPAIGN": "cuộc vận động", "TRIGGER_PROGRAM": "chương trình",
         "TRIGGER_THEME": "theme", "TRIGGER_HONOUR": "honour"}
SEPARATOR_ONLY = re.compile(r"^[\s,;.…]*(?:và|gắn với|cùng|hoặc|với)?[\s,;.…]*$", re.I)
PERIOD = re.compile(r"^\s*(?:của [^;“]{0,40}?)?\s*(giai đoạn\s+\d{4}\s*[-–]\s*\d{4})", re.I)


def _classify(triggers: list) -> str | None:
    """The trigger nearest the quote decides, unless a theme or honour word stands just before it
    ("chủ đề phong trào thi đua năm 2023 “...”" is a theme)."""
    if not triggers:
        return None
    last = triggers[-1]
    for t in triggers:
        if KINDS[t.label_] in ("theme", "honour") and last.start_char - t.start_char <= 40:
            return KINDS[t.label_]
    return KINDS[last.label_]


def movements_and_themes(analysed) -> tuple[list[Found], list[Found]]:
    movements: list[Found] = []
    themes: list[Found] = []
    seen: set[str] = set()
    for ref, doc in analysed:
        text = ref.text
        triggers = [e for e in doc.ents if e.label_ in KINDS]
        bounds = sentences(text) if doc.spans["quoted"] else []
        prev_end, prev_kind = None, None
        for quote in doc.spans["quoted"]:
            open_at, close_at = quote.start_char - 1, quote.end_char
            sentence_start = max((a for a, _ in bounds if a <= open_at), default=0)
            window_start = max(prev_end if prev_end is not None else sentence_start, open_at - 120, sentence_start)
            between = text[window_start:open_at]
            if prev_end is not None and SEPARATOR_ONLY.match(text[prev_end:open_at]):
                kind = prev_kind
            else:
                kind = _classify([t for t in triggers if window_start <= t.start_char and t.end_char <= open_at])
                # a list item with a qualifier between ("” giai đoạn 2021-2025; “") keeps the list's class
                if kind is None and prev_end is not None and len(between) < 60 and "." not in between:
                    kind = prev_kind
            prev_end, prev_kind = close_at + 1, kind
            name = quote.text.strip()
            if len(name) < 3 or not any(c.isalpha() for c in name):
                continue
            start, end = ref.start + quote.start_char, ref.start + quote.end_char
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
                "kind": kind if kind is not None else known["kind_vi"],
                "period": period.group(1) if period else None,
                "canonical_key": known["key"] if known else None,
                "canonical_name": known["official_name_vi"] if known else None,
            }, start, end, confidence=1.0 if kind is not None else 0.8))
    return movements, themes
