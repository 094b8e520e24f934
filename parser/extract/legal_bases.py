"""Legal bases: the numbered documents cited in the `Căn cứ / Thực hiện / Xét` opening."""
from __future__ import annotations

import re

from parser.extract.dates import first_date
from parser.extract.values import Found
from parser.text.document_text import TextRef

TYPES = ("Luật", "Bộ luật", "Nghị quyết", "Nghị định", "Thông tư liên tịch", "Thông tư", "Quyết định", "Chỉ thị",
         "Kế hoạch", "Công văn", "Văn bản", "Tờ trình", "Giấy đề nghị", "Hướng dẫn", "Thông báo", "Chương trình",
         "Quy chuẩn", "Đơn đề nghị", "Báo cáo", "Giấy phép", "Quy định", "Kết luận")
_TOKEN = r"[0-9A-ZĐa-zđ][\w.\-/:]*"
REFERENCE = re.compile(
    r"(?:\bsố\s*:?\s*(?P<num>" + _TOKEN + r")"          # "số 27/KH-UBND", "số 02"
    r"|(?P<code>QCVN\s*\d+[\w.\-]*:\d{4}/[\w\-]+)"        # "QCVN 01:2019/BCT"
    r"|(?P<bare>(?<![\w/])\d+[\w.]*(?:/[\w.\-]+)*/[\w.\-]*[A-ZĐ][\w.\-]*))",  # "1883/QĐ-UBND" without "số"
    re.I,
)
ISSUER = re.compile(r"^\s*(?:của|do)\s+(?P<who>[^,;()]+?)(?=\s+(?:về|quy định|hướng dẫn|ban hành|V/v|phê duyệt|sửa đổi|thành lập)\b|[,;()]|$)")


def _type_before(text: str, pos: int) -> str | None:
    window = text[max(0, pos - 40):pos]
    best = None
    for t in TYPES:
        k = window.rfind(t)
        if k >= 0 and (best is None or k > best[0]):
            best = (k, t)
    return best[1] if best else None


def legal_bases(paragraphs: list[TextRef]) -> list[Found]:
    found: list[Found] = []
    seen: set[str] = set()
    for ref in paragraphs:
        text = ref.text
        clause = re.match(r"\s*(Căn cứ|Thực hiện|Xét|Theo đề nghị|Trên cơ sở|Theo)", text, re.I)
        matches = list(REFERENCE.finditer(text))
        for k, m in enumerate(matches):
            number = (m.group("num") or m.group("code") or m.group("bare")).rstrip(".,;:)")
            if m.group("num") and not re.search(r"\d", number):
                continue
            if number.replace(" ", "") in seen:
                continue
            seen.add(number.replace(" ", ""))
            tail_end = matches[k + 1].start() if k + 1 < len(matches) else len(text)
            tail = text[m.end():tail_end]
            when, dm = first_date(tail)
            # a date belongs to this number only when it follows closely ("số X ngày D")
            if dm is not None and not re.match(r"^[\s,]*(?:\([^)]*\)\s*)?(?:ban hành\s+)?ngày", tail[:dm.start() + 5], re.I):
                when = None
            who = ISSUER.match(tail[dm.end():] if dm is not None and when else tail)
            start = ref.start + m.start()
            end = ref.start + m.end() + (dm.end() if dm is not None and when else 0)
            doc_type = "Quy chuẩn kỹ thuật" if m.group("code") else _type_before(text, m.start())
            found.append(Found({
                "number": re.sub(r"\s+", " ", number),
                "type": doc_type,
                "date": when,
                "issuer": who.group("who").strip() if who else None,
                "clause": clause.group(1) if clause else "Căn cứ",
                "text": text[max(0, m.start() - 40):m.end() + 60].strip(),
            }, start, end))
    return found
