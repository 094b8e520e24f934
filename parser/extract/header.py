"""Header fields: number and symbol, issuer and parent body, place and date, type and title."""
from __future__ import annotations

import re
from datetime import date

from parser.data import doc_types
from parser.extract.values import Found
from parser.header_zone import summary_prefix
from parser.segment import Structure
from parser.text.document_text import TextRef

NUMBER_LABEL = re.compile(r"^\s*S[ốôóổo]\s*[:;.]?\s*", re.I)
# the symbol after the serial: /KH-LĐLĐ, /2022/TT-BLĐTBXH, -KH/ĐTN (Party style), /QĐ-TTg
SYMBOL = re.compile(r"^(?:/\s*\d{4}\s*)?[/-]\s*[A-ZĐ][\w.&]*(?:\s*[/-]\s*[\wĐđ.&]+)*")
# "Hà Nội, ngày 05 tháng 01 năm 2020"; the comma is sometimes missing, the day or month blank or handwritten
PLACE_NAME = r"(?:^|(?<=\s))(?P<place>[^,\d()]{2,40}?)"
PLACE = PLACE_NAME + r"\s*,?\s*"
DATE = r"ngày\s*(?P<day>\d{1,2})?\D{0,6}?\s*tháng\s*(?P<month>\d{1,2})?\D{0,6}?\s*năm\s*(?P<year>\d{4})"
# what offices print instead, after the place's comma: no `ngày`, a month without its day, digits
NO_DAY_WORD = r",\s*(?P<day>\d{1,2})?\s*tháng\s*(?P<month>\d{1,2})\s*năm\s*(?P<year>\d{4})"
NUMERIC = r",\s*(?:ngày\s*)?(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})\s*[/.-]\s*(?P<year>\d{4})"
PLACE_DATES = [re.compile(PLACE + DATE, re.I), re.compile(PLACE_NAME + NO_DAY_WORD, re.I),
               re.compile(PLACE_NAME + NUMERIC, re.I)]
DATE_ONLY = re.compile(DATE, re.I)
PLACE_ONLY = re.compile(PLACE + r"(?:ngày\b|,?\s*(?:\d{1,2}\s*)?tháng\b|,\s*(?:ngày\s*)?\d{1,2}\s*[/.-])", re.I)
TYPE_NAMES = sorted({name.upper(): name for name in doc_types().values()}.items(), key=lambda kv: -len(kv[0]))
URGENCY = re.compile(r"\b(HỎA TỐC|HOẢ TỐC|THƯỢNG KHẨN|KHẨN)\b")
SECRECY = re.compile(r"\b(TUYỆT MẬT|TỐI MẬT|MẬT)\b")
MOTTO = re.compile(r"CỘNG H[ÒO]À?|Độc lập|ĐOÀN TNCS|ĐẢNG CỘNG SẢN", re.I)


def _clean_symbol(text: str) -> str:
    return re.sub(r"\s*([/-])\s*", r"\1", text.strip()).strip(" .;,")


def number(st: Structure) -> tuple[Found | None, dict | None]:
    """The serial and symbol after `Số:`; a blank or unreadable serial gives the symbol alone."""
    line = st.number_line
    if line is None:
        return None, None
    label = NUMBER_LABEL.match(line.text)
    body_at = label.end() if label else 0
    body = line.text[body_at:]
    serial_m = re.match(r"\s*(\d+)(?![\w])", body) or re.match(r"\s*(\d+[a-z]?)(?=\s*[/-])", body)
    serial = serial_m.group(1) if serial_m else ""
    after = body[serial_m.end():] if serial_m else body
    lead = re.match(r"[\s.…_,]*", after)
    symbol_m = SYMBOL.match(after[lead.end():])
    rest = _clean_symbol(symbol_m.group(0)) if symbol_m else ""
    if symbol_m and (wrapped := re.match(r"\s+([A-ZĐ0-9][\wĐ.&/-]*)\s*$", after[lead.end() + symbol_m.end():])):
        # the end of the symbol wrapped onto the next line of a narrow column: "1886/KH-S" / "GDĐT"
        rest += wrapped.group(1)
        symbol_m = re.match(re.escape(symbol_m.group(0)) + r"\s+" + re.escape(wrapped.group(1)), after[lead.end():])
    if not serial:
        # a draft with the number left blank ("Số:      /KH-SCT"), or a handwritten serial not read ("56W /BCA-C04")
        loose = re.search(SYMBOL.pattern[1:], body)
        return None, _symbol_parts("", _clean_symbol(loose.group(0)) if loose else rest)
    if not rest:
        return None, _symbol_parts(serial, "")
    start = line.start + body_at + serial_m.start(1)
    end = line.start + body_at + serial_m.end() + lead.end() + symbol_m.end()
    # gaps inside the number ("149 / KH") are fine; dots or a blank between serial and symbol are doubtful
    confidence = 1.0 if not lead.group(0).strip() else 0.5
    return Found(serial + rest, start, end, confidence=confidence), _symbol_parts(serial, rest)


def _symbol_parts(serial: str, rest: str) -> dict:
    parts = [p for p in re.split(r"[/-]", rest) if p]
    party_style = rest.startswith("-")  # 12-KH/ĐTN: number-TYPE/ISSUER
    codes = doc_types()
    type_code = next((p for p in parts if p in codes), None)
    others = [p for p in parts if p != type_code]
    return {
        "symbol": rest or None,
        "serial": serial.strip() or None,
        "doc_type_code": type_code,
        "doc_type_name": codes.get(type_code) if type_code else None,
        "issuer_code": others[0] if others else None,
        "unit_code": others[1] if len(others) > 1 else None,
        "party_style": party_style,
    }


def place_and_date(st: Structure) -> tuple[Found | None, Found | None, list[str]]:
    line = st.date_line
    warnings: list[str] = []
    if line is None:
        return None, None, warnings
    m = next((m for pattern in PLACE_DATES if (m := pattern.search(line.text))), None) or DATE_ONLY.search(line.text)
    pm = m if m is not None and "place" in m.re.groupindex else PLACE_ONLY.search(line.text)
    place = Found(pm.group("place").strip(), line.start + pm.start("place"), line.start + pm.end("place")) if pm else None
    if m is not None and m.group("month") and not m.group("day") and not re.search(r"ngày", line.text, re.I):
        warnings.append(f"Dòng ngày tháng chỉ ghi tháng và năm / the date line gives only the month and year: "
                        f"{line.text.strip()}")
        return place, None, warnings
    if m is None or not (m.group("day") and m.group("month")):
        gap = re.search(r"ngày(.*?)tháng", line.text, re.I)
        if m is None or not (gap and re.fullmatch(r"[\s.…_]*", gap.group(1))):
            # not a blank day ("ngày   tháng 6"): something is printed there that could not be read
            warnings.append(f"Không đọc được ngày ban hành / the date of issue could not be read: {line.text.strip()}")
        return place, None, warnings
    try:
        iso = date(int(m.group("year")), int(m.group("month")), int(m.group("day"))).isoformat()
    except ValueError:
        warnings.append(f"Ngày ban hành không hợp lệ / the date of issue is not a real date: {m.group(0)}")
        return place, None, warnings
    raw_start = line.text.lower().rfind("ngày", m.start(), m.start("day"))
    raw = line.text[raw_start if raw_start >= 0 else m.start("day"):m.end("year")]
    return place, Found(iso, line.start + m.start("day"), line.start + m.end("year"), raw=raw), warnings


def _join(refs: list[TextRef]) -> Found | None:
    if not refs:
        return None
    text = " ".join(r.text.strip() for r in refs)
    return Found(re.sub(r"\s+", " ", text), refs[0].start, refs[-1].end)


ORGANIZATION = re.compile(
    r"^(BCH|BAN|ĐOÀN|SỞ|PHÒNG|UBND|ỦY BAN|UỶ BAN|CÔNG TY|TỔNG|LIÊN ĐOÀN|LĐLĐ|HỘI|TRƯỜNG|CÔNG ĐOÀN|CĐ|CHI|ĐẢNG|"
    r"HUYỆN ỦY|HUYỆN UỶ|TỈNH ỦY|TỈNH UỶ|THÀNH ỦY|CỤC|VỤ|VIỆN|BỘ|TRUNG TÂM|HĐND|HỘI ĐỒNG|MẶT TRẬN|BAN CHẤP HÀNH|"
    r"VĂN PHÒNG|CHI CỤC|THANH TRA|KHO BẠC|BỆNH VIỆN|HỌC VIỆN|ĐẠI HỌC|BQL|BAN QUẢN LÝ|TỔ|ĐỘI|QUỸ|NGÂN HÀNG|TẬP ĐOÀN)\b",
    re.I,
)


GENERIC_BODY = re.compile(r"^(ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN|BAN CHẤP HÀNH|BAN THƯỜNG VỤ|ĐẢNG ỦY|ĐẢNG UỶ|"
                          r"CÔNG ĐOÀN|LIÊN ĐOÀN LAO ĐỘNG|ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM|HỘI LIÊN HIỆP PHỤ NỮ)$")
WEAK_ORGANIZATION = re.compile(r"^(TRƯỜNG|ĐOÀN|TỔ|ĐỘI|VỤ|VIỆN|QUỸ|CHI|CỤC|BAN|HỘI)$")


def issuer(st: Structure) -> tuple[Found | None, Found | None]:
    """(parent body, issuer): the header's left lines grouped into bodies, the last one issues.

    A line that starts with an organization word (SỞ, UBND, BCH ĐOÀN ...) starts a body;
    any other line continues the one above, whether it is a wrapped name
    (`BCH ĐOÀN TỈNH QUẢNG` / `NGÃI`) or the unit of a generic name (`ỦY BAN NHÂN DÂN` / `HUYỆN KIM SƠN`).
    """
    bodies: list[list[TextRef]] = []
    previous_bold = None
    for ref, bold in [(r, b) for r, b in zip(st.header_left, st.header_left_bold) if not MOTTO.search(r.text)]:
        text = ref.text.strip()
            # an organization word starts a body, unless it is a lone word wrapped from the line above ("MÔI" / "TRƯỜNG")
        starts = ORGANIZATION.match(text) and not (len(text.split()) == 1 and WEAK_ORGANIZATION.match(text))
        # a change from upright to bold starts the issuer under its parent, unless the line above is
        # a generic name that needs its unit ("ỦY BAN NHÂN DÂN" / "HUYỆN KIM SƠN")
        restyled = previous_bold is not None and bold != previous_bold and not GENERIC_BODY.match(
            " ".join(r.text.strip() for r in bodies[-1]) if bodies else "")
        if not bodies or starts or restyled:
            bodies.append([ref])
        else:
            bodies[-1].append(ref)
        previous_bold = bold
    if not bodies:
        return None, None
    parent = [r for body in bodies[:-1] for r in body]
    return _join(parent), _join(bodies[-1])


def type_and_title(st: Structure) -> tuple[Found | None, Found | None]:
    line = st.type_line
    if line is None:
        if st.summary_lines:
            title = _join(st.summary_lines)
            if title:
                prefix = summary_prefix(title.value)
                stripped = title.value[prefix.end():].lstrip(" :") if prefix else title.value
                title = Found(stripped, title.end - len(stripped), title.end)
            return Found("Công văn", -1, -1), title
        return None, None
    upper = line.text.strip().upper()
    for key, name in TYPE_NAMES:
        if upper.startswith(key):
            rest = line.text.strip()[len(key):].strip()
            doc_type = Found(name, line.start, line.start + len(key))
            refs = st.title_lines
            if rest:
                joined = _join(refs)
                text = rest[:1].upper() + rest[1:].lower() if rest.isupper() else rest
                value = (text + (" " + joined.value if joined else "")).strip()
                return doc_type, Found(value, line.start + len(key) + 1, joined.end if joined else line.end)
            return doc_type, _join(refs)
    name = line.text.strip()
    return Found(name[:1] + name[1:].lower(), line.start, line.end, confidence=0.6), _join(st.title_lines)


def marks(st: Structure) -> tuple[Found | None, Found | None]:
    """Urgency (HỎA TỐC, THƯỢNG KHẨN, KHẨN) and secrecy (MẬT ...) printed in the header."""
    urgency = secrecy = None
    for ref in st.header_left + st.header_right + st.mark_lines:
        if m := URGENCY.search(ref.text):
            urgency = Found(m.group(1), ref.start + m.start(1), ref.start + m.end(1))
        if (m := SECRECY.search(ref.text)) and not MOTTO.search(ref.text):
            secrecy = Found(m.group(1), ref.start + m.start(1), ref.start + m.end(1))
    return urgency, secrecy


DRAFT = re.compile(r"DỰ THẢO|Dự thảo")


def draft(st: Structure) -> Found | None:
    """The draft mark (`DỰ THẢO`, `(Dự thảo lần 2)`) printed in the header or over the type line."""
    for ref in st.mark_lines:
        if m := DRAFT.search(ref.text):
            return Found(ref.text.strip(" ()[]"), ref.start + m.start(), ref.end)
    return None
