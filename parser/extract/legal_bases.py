"""Legal bases: the numbered documents cited in the `Căn cứ / Thực hiện / Xét` opening."""
from __future__ import annotations

import re

from parser.extract.dates import first_date
from parser.extract.values import Found

TYPES = ("Luật", "Bộ luật", "Nghị quyết", "Nghị định", "Thông tư liên tịch", "Thông tư", "Quyết định", "Chỉ thị",
         "Kế hoạch", "Công văn", "Văn bản", "Tờ trình", "Giấy đề nghị", "Hướng dẫn", "Thông báo", "Chương trình",
         "Quy chuẩn", "Đơn đề nghị", "Báo cáo", "Giấy phép", "Quy định", "Kết luận")
ISSUER = re.compile(r"^\s*(?:của|do)\s+(?P<who>[^,;()]+?)(?=\s+(?:về|quy định|hướng dẫn|ban hành|V/v|phê duyệt|sửa đổi|thành lập)\b|[,;()]|$)")


def _type_before(text: str, pos: int) -> str | None:
    window = text[max(0, pos - 40):pos]
    best = None
    for t in TYPES:
        k = window.rfind(t)
        if k >= 0 and (best is None or k > best[0]):
            best = (k, t)
    return best[1] if best else None


def _number_of(span) -> str:
    if span.id_ == "numbered":
        return span[-1].text  # "số", ":" then the symbol
    return span.text


def _clause_text(text: str, floor: int, start: int, ceiling: int, limit: int = 220) -> str:
    """The words around one reference: from the clause or list item it opens to the next `;`, reference or sentence end."""
    head = max(text.rfind(";", floor, start), text.rfind(". ", floor, start), floor - 1) + 1
    if start - head > 60:  # a long lead-in: keep the words just before the reference
        head = text.rfind(" ", head, start - 40) + 1
    stop = re.search(r";|\.(?:\s|$)|,\s+(?=[A-ZĐÂÊÔƠƯ][\w ]{2,30}(?:phát động|ban hành|xây dựng|quyết định)\b)",
                     text[start:ceiling])
    end = start + stop.start() if stop else ceiling
    if end - head > limit:
        end = text.rfind(" ", head, head + limit)
        return text[head:end].strip(" ,") + " …"
    return text[head:end].strip(" ,")


def legal_bases(analysed) -> list[Found]:
    """Document references (spaCy DOC_REF matches) with the date and issuer that follow them."""
    found: list[Found] = []
    seen: set[str] = set()
    for ref, doc in analysed:
        text = ref.text
        clause = next((e.text for e in doc.ents if e.label_ == "CLAUSE" and e.start_char < 3), "Căn cứ")
        matches = [e for e in doc.ents if e.label_ == "DOC_REF" and re.search(r"\d", _number_of(e))]
        for k, m in enumerate(matches):
            number = _number_of(m).rstrip(".,;:)")
            key = number.replace(" ", "")
            if key in seen:
                continue
            seen.add(key)
            tail_end = matches[k + 1].start_char if k + 1 < len(matches) else len(text)
            tail = text[m.end_char:tail_end]
            when, dm = first_date(tail)
            # a date belongs to this number only when it follows closely ("số X ngày D")
            if dm is not None and not re.match(r"^[\s,]*(?:\([^)]*\)\s*)?(?:ban hành\s+)?ngày", tail[:dm.start() + 5], re.I):
                when = None
            who = ISSUER.match(tail[dm.end():] if dm is not None and when else tail)
            end = ref.start + m.end_char + (dm.end() if dm is not None and when else 0)
            doc_type = "Quy chuẩn kỹ thuật" if m.id_ == "code" else _type_before(text, m.start_char)
            found.append(Found({
                "number": re.sub(r"\s+", " ", number),
                "type": doc_type,
                "date": when,
                "issuer": who.group("who").strip() if who else None,
                "clause": clause[:1].upper() + clause[1:],
                "text": _clause_text(text, matches[k - 1].end_char if k else 0, m.start_char, tail_end),
            }, ref.start + m.start_char, end))
    return found
