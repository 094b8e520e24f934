"""A certified copy's own details (SAO Y, SAO LỤC, TRÍCH SAO), told apart from the original's fields.

Two forms: an electronic copy's stamp at the top right of page 1 (read by
`parser.read.esign`), and a paper copy's block after the end of the copied document
(`SAO Y` / authority / name / `Số: 12/SY-VP` / place and date / `Nơi nhận`), which
`parser.segment` sets apart as `copy_lines`.
"""
from __future__ import annotations

import re

from models.document import CopyInfo
from parser.text.document_text import TextRef

KIND = re.compile(r"^\s*(SAO Y|SAO LỤC|TRÍCH SAO)")
NUMBER = re.compile(r"S[ốô]\s*:\s*(\d+\s*/\s*[\wĐđ.\-]+)")
DATE = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.I)
NAME = re.compile(r"^([A-ZĐÀ-Ỹ][a-zà-ỹđ]+\s+){1,5}[A-ZĐÀ-Ỹ][a-zà-ỹđ]+$")


def copy_info(stamps, lines: list[TextRef]) -> CopyInfo | None:
    if lines and (kind := KIND.match(lines[0].text)):
        text = "\n".join(r.text for r in lines)
        number = NUMBER.search(text)
        day = DATE.search(text)
        name = next((r.text.strip() for r in lines if NAME.match(r.text.strip())), None)
        authority = next((r.text.strip() for r in lines[1:4] if re.match(r"^\s*(TM|KT|TL|TUQ|Q)\s*\.", r.text)), None)
        date = f"{int(day.group(3)):04d}-{int(day.group(2)):02d}-{int(day.group(1)):02d}" if day else None
        return CopyInfo(kind=kind.group(1), issuer=authority, date=date, signer=name,
                        number=re.sub(r"\s+", "", number.group(1)) if number else None, text=text,
                        page=lines[0].page, span=(lines[0].start, lines[-1].end))
    for s in stamps:
        if s.kind == "copy":
            return CopyInfo(kind=s.copy_kind, issuer=s.organization, date=s.signed_on, text=s.text, page=s.page,
                            bbox=tuple(round(v, 1) for v in s.bbox), confidence=0.9)
    return None
