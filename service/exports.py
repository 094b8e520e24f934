"""Exports people paste into reports: tables as CSV and XLSX, a movement's chart as PNG, plans' dates as iCalendar.

    table = search_table(result["results"])        # (headers, rows), the rows in the order the page shows
    to_csv(table) / to_xlsx(table, "Tra cứu")      # bytes
    calendar(plans)                                # RFC 5545 text (CRLF lines, escaped, folded at 75 octets)
    chart_png(matrix)                              # a stacked bar chart, drawn with Pillow
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import time
from collections import defaultdict
from datetime import date, timedelta

Table = tuple[list[str], list[list]]
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _day(iso: str | None) -> str:
    if iso and re.match(r"^\d{4}-\d{2}-\d{2}", iso):
        return f"{int(iso[8:10])}/{int(iso[5:7])}/{iso[:4]}"
    return iso or ""


def search_table(items: list[dict]) -> Table:
    headers = ["Số, ký hiệu", "Ngày ban hành", "Cơ quan ban hành", "Loại văn bản", "Trích yếu", "Phong trào",
               "Tệp", "Mã văn bản"]
    rows = [[i.get("number") or "", _day(i.get("issued_date")), i.get("issuer") or "", i.get("doc_type") or "",
             i.get("title") or "", "; ".join(m["name"] for m in i.get("movements") or []), i.get("filename") or "",
             i.get("id")] for i in items]
    return headers, rows


def movements_table(items: list[dict]) -> Table:
    return ["Phong trào", "Loại", "Số kế hoạch"], [[m["name"], m.get("kind") or "", m["plans"]] for m in items]


def matrix_table(detail: dict) -> Table:
    return ["Năm", "Cơ quan ban hành", "Số kế hoạch"], [[c["year"] or "", c["issuer"] or "", c["plans"]]
                                                         for c in detail["matrix"]]


def _cell(value):
    # a text starting with = + - @ would be a formula in a spreadsheet: kept as text
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table[0])
    writer.writerows([[_cell(v) for v in row] for row in table[1]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM: Excel reads the file as UTF-8


def to_xlsx(table: Table, sheet: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append(table[0])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in table[1]:
        ws.append([_cell(v) for v in row])
    for k, header in enumerate(table[0]):
        width = max([len(str(header))] + [len(str(r[k])) for r in table[1][:200]])
        ws.column_dimensions[ws.cell(1, k + 1).column_letter].width = min(60, max(8, width + 2))
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# -- iCalendar (RFC 5545) ------------------------------------------------------------------------------

def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n")
            .replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with CRLF and a space (never splitting a UTF-8 character)."""
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > 75:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)


def _date(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso[:10]) if iso else None
    except ValueError:
        return None


def calendar_events(plans: list[dict]) -> list[dict]:
    """{uid, summary, start, end (exclusive), description} of every dated phase and anniversary of the plans."""
    events = []
    for plan in plans:
        label = plan.get("number") or plan.get("title") or plan.get("filename") or plan["id"][:12]
        for k, phase in enumerate(plan.get("phases") or []):
            start, end = _date(phase.get("start")), _date(phase.get("end"))
            if start is None:
                continue
            events.append({"uid": f"{plan['id']}-phase-{k}", "summary": f"{phase.get('label') or 'Giai đoạn'} ({label})",
                           "start": start, "end": (end or start) + timedelta(days=1),
                           "description": f"{plan.get('title') or ''}\n{label}".strip()})
        for k, anniv in enumerate(plan.get("anniversaries") or []):
            day = _date(anniv.get("date"))
            if day is None:
                continue
            years = f"{anniv['years']} năm " if anniv.get("years") else ""
            events.append({"uid": f"{plan['id']}-anniversary-{k}", "summary": f"Kỷ niệm {years}{anniv.get('event') or ''}",
                           "start": day, "end": day + timedelta(days=1), "description": f"Theo {label}"})
    return events


def calendar(plans: list[dict], now: float | None = None) -> str:
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now if now is not None else time.time()))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//vanban//Ke hoach thi dua//VI", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH"]
    for ev in calendar_events(plans):
        uid = hashlib.sha256(ev["uid"].encode()).hexdigest()[:32] + "@vanban"
        lines += ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{ev['start']:%Y%m%d}", f"DTEND;VALUE=DATE:{ev['end']:%Y%m%d}",
                  f"SUMMARY:{_escape(ev['summary'])}", f"DESCRIPTION:{_escape(ev['description'])}",
                  "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


# -- a movement's chart as PNG ---------------------------------------------------------------------------

PALETTE = ["#1f5fbf", "#c0392b", "#1e8449", "#b7950b", "#6a4fb3", "#117a8b", "#d35400", "#6d6d6d"]


def chart_png(matrix: list[dict], title: str = "", max_issuers: int = 7, width: int = 1200, height: int = 520) -> bytes:
    """Plans per year, one colour per issuer (the page's SVG chart, drawn for a report)."""
    from PIL import Image, ImageDraw, ImageFont

    font, small = ImageFont.truetype(FONT, 20), ImageFont.truetype(FONT, 16)
    cells = [c for c in matrix if c.get("year")]
    totals: dict[str, int] = defaultdict(int)
    for c in cells:
        totals[c["issuer"] or "?"] += c["plans"]
    ranked = sorted(totals, key=lambda k: (-totals[k], k))
    shown = ranked[:max_issuers]
    others = "Các cơ quan khác"
    stacks: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for c in cells:
        issuer = c["issuer"] or "?"
        stacks[c["year"]][issuer if issuer in shown else others] += c["plans"]
    colours = {i: PALETTE[k % len(PALETTE)] for k, i in enumerate(shown)}
    if len(ranked) > max_issuers:
        colours[others] = "#b0b6c3"
    legend_h = 28 * ((len(colours) + 1) // 2)
    img = Image.new("RGB", (width, height + legend_h), "white")
    draw = ImageDraw.Draw(img)
    draw.text((20, 12), title[:90], fill="#1d2433", font=font)
    if not stacks:
        draw.text((20, 60), "Chưa có kế hoạch nào có năm ban hành.", fill="#5b6478", font=font)
    else:
        years = list(range(min(stacks), max(stacks) + 1))
        top = max(sum(s.values()) for s in stacks.values())
        left, plot_top, plot_h = 70, 50, height - 110
        step = (width - left - 20) / len(years)
        bar = min(80, step * 0.7)
        for k in range(0, top + 1, max(1, round(top / 5))):
            y = plot_top + plot_h - k / top * plot_h
            draw.line([(left, y), (width - 20, y)], fill="#e3e6ec")
            draw.text((left - 10, y), str(k), fill="#5b6478", font=small, anchor="rm")
        for i, year in enumerate(years):
            x = left + i * step + (step - bar) / 2
            y = plot_top + plot_h
            for issuer, fill in colours.items():
                n = stacks.get(year, {}).get(issuer, 0)
                if n:
                    h = n / top * plot_h
                    draw.rectangle([x, y - h, x + bar, y], fill=fill)
                    y -= h
            draw.text((x + bar / 2, plot_top + plot_h + 18), str(year), fill="#1d2433", font=small, anchor="mm")
        for k, (issuer, fill) in enumerate(colours.items()):
            lx, ly = 20 + (k % 2) * width / 2, height - 20 + (k // 2) * 28
            draw.rectangle([lx, ly, lx + 16, ly + 16], fill=fill)
            n = totals.get(issuer, sum(v for i, v in totals.items() if i not in shown))
            draw.text((lx + 24, ly - 2), f"{issuer[:45]} ({n})", fill="#1d2433", font=small)
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()
