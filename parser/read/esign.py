"""E-signature stamps printed into the text layer by signing systems.

Vietnamese e-office systems stamp the signer's details as text over the page:
`Ký bởi: Bộ Công Thương / Cơ quan: Bộ Công thương / Thời gian ký: 02.04.2026 14:24:26 +07:00`,
and a certified electronic copy carries the copier's stamp at the top right of page 1
(`SAO Y / Bộ Công an / Thời gian ký: 2025-10-01T17:08:18+07:00`, Decree 30, cell 14).
They are read here, before OCR can replace a scan's text layer, and taken out of the
page so the header and signature are read from the document's own print.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from parser.read.pagemodel import SourceDocument, Word

# matched with the spaces taken out: a stamp's letters are often drawn apart ("SA O Y")
COPY_KIND = re.compile(r"^(SAOY|SAOLỤC|TRÍCHSAO)")
COPY_NAMES = {"SAOY": "SAO Y", "SAOLỤC": "SAO LỤC", "TRÍCHSAO": "TRÍCH SAO"}
LABEL = re.compile(r"^\s*(Ký bởi|Người ký|Cơ quan|Đơn vị|Thời gian ký|Ngày ký|Email|E-mail)\s*:", re.I)
SIGNED_AT = re.compile(
    r"(?P<y1>\d{4})-(?P<m1>\d{2})-(?P<d1>\d{2})T|(?P<d2>\d{1,2})[./-](?P<m2>\d{1,2})[./-](?P<y2>\d{4})")


@dataclass(slots=True)
class SignatureStamp:
    kind: str  # "sign" (the signer's own) or "copy" (SAO Y, SAO LỤC, TRÍCH SAO)
    page: int
    bbox: tuple[float, float, float, float]
    text: str
    organization: str | None = None
    signed_on: str | None = None  # ISO date
    copy_kind: str | None = None


def _lines(words: list[Word]) -> list[list[Word]]:
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (round(w.top), w.x0)):
        if lines and abs(lines[-1][0].top - w.top) < 0.5 * max(w.height, 1.0) and w.x0 >= lines[-1][-1].x0:
            lines[-1].append(w)
        else:
            lines.append([w])
    return lines


def _signed_on(text: str) -> str | None:
    m = SIGNED_AT.search(text)
    if not m:
        return None
    y, mo, d = (m.group("y1"), m.group("m1"), m.group("d1")) if m.group("y1") else (m.group("y2"), m.group("m2"), m.group("d2"))
    try:
        return date(int(y), int(mo), int(d)).isoformat()
    except ValueError:
        return None


def take_stamps(source: SourceDocument) -> list[SignatureStamp]:
    """Find the signing systems' stamps, remove their words from the pages, and return them."""
    found: list[SignatureStamp] = []
    for page in source.pages:
        lines = _lines(page.words)
        drop: set[int] = set()
        k = 0
        while k < len(lines):
            text = " ".join(w.text for w in lines[k])
            copy = COPY_KIND.match(text.replace(" ", ""))
            if not (copy and len(text) < 40) and not LABEL.match(text):
                k += 1
                continue
            # a stamp is a short run of such lines: the copy kind, then the organization and the time
            block = [lines[k]]
            j = k + 1
            while j < len(lines) and j - k < 5:
                nxt = " ".join(w.text for w in lines[j])
                near = lines[j][0].top - block[-1][0].top < 2.5 * max(block[-1][0].height, 6.0)
                if not near or not (LABEL.match(nxt) or (copy and j == k + 1 and len(nxt) < 60)):
                    break
                block.append(lines[j])
                j += 1
            texts = [" ".join(w.text for w in ln) for ln in block]
            joined = " / ".join(texts)
            signed = _signed_on(joined)
            if signed is None:
                k = j  # no signing time: a paper copy's "SAO Y" heading (read in segment), an address line
                continue
            org = next((LABEL.sub("", t).strip() for t in texts if re.match(r"^\s*(Ký bởi|Cơ quan|Đơn vị)", t, re.I)), None)
            if copy and org is None and len(texts) > 1 and not LABEL.match(texts[1]):
                org = texts[1].strip()
            words = [w for ln in block for w in ln]
            found.append(SignatureStamp(
                kind="copy" if copy else "sign", page=page.number,
                bbox=(min(w.x0 for w in words), min(w.top for w in words), max(w.x1 for w in words), max(w.bottom for w in words)),
                text=joined, organization=org, signed_on=signed, copy_kind=COPY_NAMES[copy.group(1)] if copy else None))
            drop.update(id(w) for w in words)
            k = j
        if drop:
            page.words = [w for w in page.words if id(w) not in drop]
    return found
