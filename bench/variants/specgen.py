"""Generate plan specs (the render_plan.py spec format) together with their gold, from a seed.

A spec is what the renderer draws; the gold is what a careful reader reads from it, in the
shared scorer's format (eval/ANNOTATION.md). Both are built from the same choices here, so
the gold is known by construction.
"""
from __future__ import annotations

import datetime as dt
import random

from . import data

MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def dmy(d: dt.date, rng: random.Random, pad: bool | None = None) -> str:
    pad = rng.random() < 0.5 if pad is None else pad
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if pad else f"{d.day}/{d.month}/{d.year}"


def person(rng: random.Random) -> str:
    return f"{rng.choice(data.SURNAMES)} {rng.choice(data.MIDDLES)} {rng.choice(data.GIVENS)}"


def _phases(rng: random.Random, year: int) -> list[dict]:
    n = rng.choice([2, 2, 3, 4])
    cuts = sorted(rng.sample(range(2, 12), n - 1))
    starts = [dt.date(year, 1, 1)] + [dt.date(year, m, 1) for m in cuts]
    ends = [s - dt.timedelta(days=1) for s in starts[1:]] + [dt.date(year, 12, 31)]
    return [{"label": f"Đợt {i + 1}", "start": s.isoformat(), "end": e.isoformat()}
            for i, (s, e) in enumerate(zip(starts, ends))]


def phase_line(ph: dict, rng: random.Random, tail: str) -> str:
    s, e = dt.date.fromisoformat(ph["start"]), dt.date.fromisoformat(ph["end"])
    return f"- {ph['label']}: Từ ngày {dmy(s, rng)} đến ngày {dmy(e, rng)}, {tail}."


def anniversary_text(a: dict, year: int, rng: random.Random) -> str:
    d = dt.date(a["origin"], a["month"], a["day"])
    return f"{a['years']} năm {a['event']} ({dmy(d, rng)} - {dmy(d.replace(year=year), rng)})"


def generate(rng: random.Random, idx: int) -> tuple[dict, dict]:
    parent, issuer_lines, code, issuer_gold, place, kind = rng.choice(data.ISSUERS)
    year = rng.choice([2024, 2025, 2026])
    issued = dt.date(year, rng.randint(1, 3), rng.randint(1, 28))
    serial = str(rng.randint(2, 2999))
    spaced = rng.random() < 0.4
    number_line = f"Số: {serial} /KH-{code}" if spaced else f"Số: {serial}/KH-{code}"
    pad = rng.random() < 0.5
    day = f"{issued.day:02d}" if pad else str(issued.day)
    month = f"{issued.month:02d}" if pad and issued.month < 3 else str(issued.month)
    date_line = f"{place}, ngày {day} tháng {month} năm {year}"
    title = rng.choice(data.TITLES).format(y=year)

    bases = []
    body = []
    lb_pool = [("Luật", f"06/{year - 4}/QH15", dt.date(year - 4, 6, 15), "Luật Thi đua, khen thưởng"),
               ("Nghị định", f"98/{year - 2}/NĐ-CP", dt.date(year - 2, 12, 31), "của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng"),
               ("Kế hoạch", f"{rng.randint(10, 300)}/KH-UBND", issued - dt.timedelta(days=rng.randint(5, 30)), "của Ủy ban nhân dân tỉnh về tổ chức các phong trào thi đua")]
    for typ, num, d, what in rng.sample(lb_pool, rng.randint(1, 3)):
        if typ == "Luật":
            body.append(f"Căn cứ {what} số {num} ngày {dmy(d, rng)};")
        else:
            body.append(f"Căn cứ {typ} số {num} ngày {dmy(d, rng)} {what};")
        bases.append({"number": num, "date": d.isoformat()})
    body.append(f"Để cụ thể hóa các nhiệm vụ năm {year}, cơ quan xây dựng Kế hoạch tổ chức phong trào thi đua như sau:")
    body += ["# I. MỤC ĐÍCH, YÊU CẦU",
             "1. Phát huy tinh thần trách nhiệm, tính chủ động, sáng tạo của cán bộ, công chức, viên chức và người lao động, phấn đấu hoàn thành xuất sắc nhiệm vụ được giao.",
             "2. Công tác thi đua, khen thưởng phải bảo đảm chính xác, công khai, công bằng, kịp thời.",
             "# II. NỘI DUNG THI ĐUA"]
    movements = rng.sample(data.MOVEMENTS, rng.randint(2, 4))
    parts = [f"{rng.choice(data.MOVEMENT_KINDS)} “{m}”" for m in movements]
    body.append("1. Tiếp tục đẩy mạnh " + "; ".join(parts) + ".")
    comms = rng.sample([c for c in data.COMMEMORATIONS if c[3] < year - 1], rng.randint(1, 3))
    annivs = [{"years": year - o, "event": ev, "day": d, "month": m, "origin": o} for ev, d, m, o in comms]
    body.append("2. Thi đua lập thành tích chào mừng kỷ niệm "
                + ", ".join(anniversary_text(a, year, rng) for a in annivs) + ".")
    phases = _phases(rng, year)
    body.append("# III. CÁC ĐỢT THI ĐUA")
    body.append(f"Phong trào thi đua năm {year} được tổ chức thành {len(phases):02d} đợt như sau:")
    for i, ph in enumerate(phases):
        body.append(phase_line(ph, rng, data.PHASE_TAILS[i % len(data.PHASE_TAILS)]))
    body += ["# IV. TỔ CHỨC THỰC HIỆN",
             "1. Các phòng, ban, đơn vị trực thuộc căn cứ Kế hoạch này xây dựng kế hoạch cụ thể, tổ chức phát động thi đua tại đơn vị.",
             "2. Bộ phận thi đua - khen thưởng theo dõi, đôn đốc, tổng hợp kết quả, tham mưu sơ kết, tổng kết theo quy định.",
             "Trong quá trình thực hiện, nếu có vướng mắc, các đơn vị phản ánh về cơ quan thường trực để được hướng dẫn./."]
    recips = rng.sample(data.RECIPIENTS, rng.randint(2, 5))
    authority, position = rng.choice(data.SIGNERS[kind])
    name = person(rng)
    signature = ([authority] if authority else []) + [position, "", "(Đã ký)", "", name]
    spec = {
        "id": f"gen-{idx:04d}",
        "header_left": ([parent] if parent else []) + list(issuer_lines),
        "issuer_lines": len(issuer_lines),
        "header_right": list(MOTTO),
        "number_line": number_line,
        "date_line": date_line,
        "doc_type_line": "KẾ HOẠCH",
        "title_lines": [title],
        "body": body,
        "recipients_heading": "Nơi nhận:",
        "recipients": [f"- {r};" for r in recips] + ["- Lưu: VT, TĐKT."],
        "signature": signature,
    }
    gold = {
        "id": spec["id"],
        "number": f"{serial}/KH-{code}",
        "doc_type": "Kế hoạch",
        "issuer": issuer_gold,
        "place": place,
        "issued_date": issued.isoformat(),
        "title": title,
        "legal_bases": bases,
        "movements": movements,
        "phases": phases,
        "anniversaries": [{"years": a["years"], "event": a["event"]} for a in annivs],
        "signer": {"name": name, "position": position, "authority": authority},
        "recipients": recips,
    }
    meta = {"year": year, "issued": issued.isoformat(), "serial": serial, "code": code, "place": place,
            "anniversaries": annivs, "kind": kind}
    return spec, gold, meta
