"""Body structure: where the preamble (Căn cứ ...) ends, and the outline (I, 1, 1.1, a)."""
from __future__ import annotations

import re

from parser.extract.values import Found
from parser.text.document_text import TextRef

HEADING = re.compile(
    r"^\s*(?:(?P<roman>[IVXLC]+)\s*[.)]|(?P<num>\d+(?:\.\d+)*)\s*[.)]|(?P<letter>[a-zđ])\s*\)|(?P<article>Điều\s+\d+)\s*[.:]?)\s+(?P<text>\S.*)$"
)
PREAMBLE = re.compile(r"^\s*(Căn cứ|Thực hiện|Xét|Theo đề nghị|Trên cơ sở|Theo)\b", re.I)


def split_preamble(paragraphs: list[TextRef]) -> tuple[list[TextRef], list[TextRef]]:
    """(paragraphs citing legal bases, all body paragraphs).

    The opening `Căn cứ / Thực hiện / Xét` paragraphs before the first heading, or the
    paragraphs of a section whose heading says `Căn cứ` (`I.2. Căn cứ pháp lý ...`).
    """
    preamble: list[TextRef] = []
    for ref in paragraphs:
        if HEADING.match(ref.text) or ref.text.strip().upper() in ("QUYẾT ĐỊNH:", "QUYẾT ĐỊNH"):
            break
        if PREAMBLE.match(ref.text):
            preamble.append(ref)
    if not preamble:
        section_level = None
        for ref in paragraphs:
            m = HEADING.match(ref.text)
            if m and section_level is not None and _level(m) <= section_level:
                break
            if section_level is not None:
                preamble.append(ref)
            elif m and re.match(r"Căn cứ", m.group("text"), re.I) and len(m.group("text")) < 80:
                section_level = _level(m)
    return preamble, paragraphs


def _level(m: re.Match) -> int:
    if m.group("roman"):
        return 1
    if m.group("article"):
        return 1
    if m.group("num"):
        return 1 + m.group("num").count(".") + 1
    return 5


def outline(paragraphs: list[TextRef]) -> list[Found]:
    """Headings: short numbered lines, or bold numbered lines, with their level."""
    items = []
    for ref in paragraphs:
        m = HEADING.match(ref.text)
        if not m:
            continue
        text = m.group("text").strip()
        label = ref.text[: m.start("text")].strip()
        # a heading is short, or printed bold; a long numbered sentence is a list item, not a heading
        if not (ref.bold or len(text) <= 80 and not text.endswith((";", ","))):
            continue
        heading = re.split(r"(?<=[:.])\s", text, maxsplit=1)[0] if len(text) > 80 else text
        items.append(Found({"level": _level(m), "label": label, "heading": heading.rstrip(":")},
                           ref.start, ref.start + m.start("text") + len(heading)))
    return items


def joined(lines: list[TextRef]) -> list[TextRef]:
    """Consecutive lines (e.g. a wrapped title) as one ref; the line breaks become spaces, offsets kept."""
    if not lines:
        return []
    text = "".join(a.text + " " * (b.start - a.end) for a, b in zip(lines, lines[1:])) + lines[-1].text
    return [TextRef(text, lines[0].start, lines[-1].end, lines[0].page, bold=lines[0].bold)]
