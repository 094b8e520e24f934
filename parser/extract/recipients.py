"""`Nơi nhận` and `Kính gửi`: one item per dash, wrapped lines joined, the `Lưu:` item apart."""
from __future__ import annotations

import re

from parser.extract.values import Found
from parser.segment import RECIPIENTS_HEAD, ADDRESSEES_HEAD
from parser.text.document_text import TextRef

ITEM_START = re.compile(r"^\s*[-+•–]\s*")
ARCHIVE = re.compile(r"^\s*Lưu\s*:?", re.I)


def _items(lines: list[TextRef], head: re.Pattern) -> list[Found]:
    items: list[list] = []  # [text, start, end]
    for k, ref in enumerate(lines):
        text, offset = ref.text, 0
        if k == 0:
            m = head.match(text)
            if m:
                offset = m.end()
        body = text[offset:]
        if not body.strip():
            continue
        m = ITEM_START.match(body)
        if m or not items:
            lead = m.end() if m else len(body) - len(body.lstrip())
            items.append([body[lead:], ref.start + offset + lead, ref.end])
        else:
            items[-1][0] += " " + body.strip()
            items[-1][2] = ref.end
    out = []
    for text, start, end in items:
        clean = re.sub(r"\s+", " ", text).strip()
        clean = re.sub(r"\s*[;.,]+\s*$", "", clean)
        if clean:
            out.append(Found(clean, start, end))
    return out


def recipients(lines: list[TextRef]) -> tuple[list[Found], Found | None]:
    """(recipients, archive item `Lưu: VT, ...`)."""
    items = _items(lines, RECIPIENTS_HEAD)
    archive = next((i for i in items if ARCHIVE.match(i.value)), None)
    return [i for i in items if i is not archive], archive


def addressees(lines: list[TextRef]) -> list[Found]:
    return _items(lines, ADDRESSEES_HEAD)
