"""The phenomena a variant can show, each a function that edits (spec, gold, layout) in place.

A phenomenon changes what is drawn (spec text or layout) and, when a careful reader would read
the document differently, the gold with it: a blank number has no gold number, a blank day no
gold date; digits drawn over a blank are read (gold keeps the true value).
"""
from __future__ import annotations

import datetime as dt
import random
import re
from typing import Callable

from . import data
from .specgen import dmy, person

Edit = Callable[[dict, dict, dict, dict, random.Random], None]
PHENOMENA: dict[str, Edit] = {}
NEEDS_META: set[str] = set()   # only for generated specs (the edit needs the plan's parts)
SCAN = ("scan", "scan-stamp", "scan-broken-ocr-layer")


def layout_phenomenon(name: str, **settings) -> None:
    """A phenomenon that only changes how the page is laid out (the gold stays as it is)."""
    def edit(spec, gold, meta, lay, rng):
        lay.update(settings)
    PHENOMENA[name] = edit


def phenomenon(name: str, needs_meta: bool = False):
    def deco(fn: Edit) -> Edit:
        PHENOMENA[name] = fn
        if needs_meta:
            NEEDS_META.add(name)
        return fn
    return deco


@phenomenon("plain")
def _plain(spec, gold, meta, lay, rng):
    pass


@phenomenon("issuer-wrap")
def _issuer_wrap(spec, gold, meta, lay, rng):
    lay["left_wrap"] = rng.choice([2, 3])


layout_phenomenon("motto-wrap", motto_break=True)
layout_phenomenon("date-wrap", date_break=True)
layout_phenomenon("date-own-row", date_row=True)


@phenomenon("font-liberation")
def _font_lib(spec, gold, meta, lay, rng):
    lay["font"], lay["size"] = "liberation", rng.choice([12, 13, 14])


@phenomenon("font-condensed")
def _font_cond(spec, gold, meta, lay, rng):
    lay["font"], lay["size"] = "dejavu-condensed", rng.choice([12, 13, 14])


layout_phenomenon("size-12", size=12)
layout_phenomenon("size-14", size=14)
layout_phenomenon("page-letter", page="letter")


@phenomenon("blank-number")
def _blank_number(spec, gold, meta, lay, rng):
    spec["number_line"] = re.sub(r"(Số:)\s*\d+\s*", lambda m: m.group(1) + " " * rng.randint(5, 9), spec["number_line"])
    gold.pop("number", None)


@phenomenon("blank-day")
def _blank_day(spec, gold, meta, lay, rng):
    spec["date_line"] = re.sub(r"ngày\s*\d{1,2}\s+tháng", lambda m: "ngày" + " " * rng.randint(3, 6) + "tháng",
                               spec["date_line"])
    gold.pop("issued_date", None)


@phenomenon("handwritten")
def _handwritten(spec, gold, meta, lay, rng):
    if rng.random() < 0.5 and gold.get("number"):
        lay["hand_number"] = re.match(r"\d+", gold["number"]).group()
    else:
        m = re.search(r"ngày\s*(\d{1,2})\s+tháng", spec["date_line"])
        lay["hand_day"] = m.group(1)


@phenomenon("draft-mark")
def _draft(spec, gold, meta, lay, rng):
    lay["draft"] = rng.choice(["top", "line"])


@phenomenon("urgency")
def _urgency(spec, gold, meta, lay, rng):
    lay["urgency"] = rng.choice(["HỎA TỐC", "KHẨN", "THƯỢNG KHẨN"])


@phenomenon("title-caps")
def _title_caps(spec, gold, meta, lay, rng):
    spec["title_lines"] = [x.upper() for x in spec["title_lines"]]


def split_lines(text: str, n: int) -> list[str]:
    words, out, target = text.split(), [], len(text) / n
    line = ""
    for w in words:
        if line and len(line) + 1 + len(w) > target and len(out) < n - 1:
            out.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    return out + [line]


@phenomenon("title-date-range", needs_meta=True)
def _title_range(spec, gold, meta, lay, rng):
    a = rng.choice(meta["anniversaries"])
    d = dt.date(a["origin"], a["month"], a["day"])
    title = (f"Tổ chức phong trào thi đua chào mừng kỷ niệm {a['years']} năm {a['event']} "
             f"({dmy(d, rng)} – {dmy(d.replace(year=meta['year']), rng)})")
    spec["title_lines"] = split_lines(title, 2)
    gold["title"] = title


@phenomenon("title-long", needs_meta=True)
def _title_long(spec, gold, meta, lay, rng):
    title = rng.choice(data.LONG_TITLES).format(y=meta["year"])
    spec["title_lines"] = split_lines(title, rng.choice([2, 3]))
    gold["title"] = title


@phenomenon("sig-name-next-page")
def _sig_name_next(spec, gold, meta, lay, rng):
    lay["sig"] = "name-next"


@phenomenon("sig-block-next-page")
def _sig_block_next(spec, gold, meta, lay, rng):
    lay["sig"] = "block-next"


@phenomenon("sig-two-columns")
def _sig_two(spec, gold, meta, lay, rng):
    if rng.random() < 0.5:
        lay["sig_columns"] = [["NGƯỜI LẬP", "", "", "", person(rng)]]
    else:
        auth, pos = rng.choice(data.PARTNERS)
        lay["sig_columns"] = [[auth, pos, "", "", "", person(rng)]]


@phenomenon("sig-three-columns")
def _sig_three(spec, gold, meta, lay, rng):
    auth, pos = rng.choice(data.PARTNERS)
    lay["sig_columns"] = [["NGƯỜI LẬP", "", "", "", person(rng)], [auth, pos, "", "", "", person(rng)]]


def _rewrite_phases(spec: dict, gold: dict, line: Callable[[int, dict], str], label: Callable[[int], str]) -> None:
    """Replace the '- Đợt N: Từ ngày ...' lines of a generated spec."""
    idx = [i for i, p in enumerate(spec["body"]) if re.match(r"- Đợt \d+: Từ ngày", p)]
    for k, (i, ph) in enumerate(zip(idx, gold["phases"])):
        spec["body"][i] = line(k, ph)
        ph["label"] = label(k)


ORDINALS = ["nhất", "hai", "ba", "tư"]


def _d(iso: str, rng: random.Random) -> str:
    return dmy(dt.date.fromisoformat(iso), rng)


@phenomenon("phases-dot-thu", needs_meta=True)
def _phases_ordinal(spec, gold, meta, lay, rng):
    _rewrite_phases(spec, gold, lambda k, ph: f"- Đợt thi đua thứ {ORDINALS[k]}: từ ngày {_d(ph['start'], rng)} "
                    f"đến ngày {_d(ph['end'], rng)}, {data.PHASE_TAILS[k % 4]}.",
                    lambda k: f"Đợt thi đua thứ {ORDINALS[k]}")


@phenomenon("phases-giai-doan", needs_meta=True)
def _phases_stage(spec, gold, meta, lay, rng):
    _rewrite_phases(spec, gold, lambda k, ph: f"- Giai đoạn {k + 1}: Từ ngày {_d(ph['start'], rng)} "
                    f"đến ngày {_d(ph['end'], rng)}, {data.PHASE_TAILS[k % 4]}.", lambda k: f"Giai đoạn {k + 1}")


@phenomenon("phases-list-items", needs_meta=True)
def _phases_items(spec, gold, meta, lay, rng):
    _rewrite_phases(spec, gold, lambda k, ph: f"{'abcd'[k]}) Đợt {k + 1} (từ {_d(ph['start'], rng)} "
                    f"đến {_d(ph['end'], rng)}): {data.PHASE_TAILS[k % 4]}.", lambda k: f"Đợt {k + 1}")


@phenomenon("phases-peak", needs_meta=True)
def _phases_peak(spec, gold, meta, lay, rng):
    """One 'Đợt cao điểm' added after the numbered phases (a peak inside the year)."""
    y = meta["year"]
    s = dt.date(y, rng.randint(3, 9), rng.randint(1, 10))
    e = s + dt.timedelta(days=rng.randint(20, 60))
    idx = max(i for i, p in enumerate(spec["body"]) if re.match(r"- Đợt \d+: Từ ngày", p))
    spec["body"].insert(idx + 1, f"- Đợt cao điểm: từ ngày {dmy(s, rng)} đến ngày {dmy(e, rng)}, "
                                 "tập trung thi đua lập thành tích chào mừng các ngày lễ lớn.")
    gold["phases"].append({"label": "Đợt cao điểm", "start": s.isoformat(), "end": e.isoformat()})


@phenomenon("page-numbers")
def _page_numbers(spec, gold, meta, lay, rng):
    lay["page_numbers"] = True


layout_phenomenon("rule-lines", rules="text")
layout_phenomenon("signature-image", sig_image=True)
layout_phenomenon("text-nfd", nfd=True)


@phenomenon("number-forms")
def _number_forms(spec, gold, meta, lay, rng):
    """'Số 25/KH-UBND' (no colon) or 'Số: 25 / KH-UBND' (spaces round the slash)."""
    form = rng.choice(["nocolon", "spaces"])
    if form == "nocolon":
        spec["number_line"] = spec["number_line"].replace("Số:", "Số", 1)
    else:
        spec["number_line"] = re.sub(r"\s*/\s*", " / ", spec["number_line"], count=1)


@phenomenon("phases-short-dates", needs_meta=True)
def _phases_short(spec, gold, meta, lay, rng):
    """The start date without its year when the phase ends in the same year."""
    def line(k, ph):
        s = dt.date.fromisoformat(ph["start"])
        start = f"{s.day:02d}/{s.month:02d}" if rng.random() < 0.5 else f"{s.day}/{s.month}"
        return f"- Đợt {k + 1}: Từ ngày {start} đến ngày {_d(ph['end'], rng)}, {data.PHASE_TAILS[k % 4]}."
    _rewrite_phases(spec, gold, line, lambda k: f"Đợt {k + 1}")


@phenomenon("straight-quotes")
def _straight_quotes(spec, gold, meta, lay, rng):
    """Movement names in straight double quotes ("...") instead of curly ones."""
    spec["body"] = [p.replace("“", '"').replace("”", '"') for p in spec["body"]]


@phenomenon("recipients-wrap")
def _recipients_wrap(spec, gold, meta, lay, rng):
    """Long recipient items that wrap inside the narrow 'Nơi nhận' column."""
    long = rng.sample(data.LONG_RECIPIENTS, 2)
    spec["recipients"] = [f"- {r};" for r in long] + spec["recipients"]
    gold["recipients"] = long + list(gold.get("recipients", []))


@phenomenon("authority-forms", needs_meta=True)
def _authority_forms(spec, gold, meta, lay, rng):
    """TL. / TUQ. / Q. signature marks (the signer signs on behalf of, or acting for, the head)."""
    head = {"so": "GIÁM ĐỐC", "ubnd": "CHỦ TỊCH", "phong": "TRƯỞNG PHÒNG", "ldld": "CHỦ TỊCH",
            "ban": "TRƯỞNG BAN", "cuc": "CỤC TRƯỞNG"}[meta["kind"]]
    auth, pos = rng.choice([(f"TL. {head}", "CHÁNH VĂN PHÒNG"), (f"TUQ. {head}", "CHÁNH VĂN PHÒNG"),
                            (f"Q. {head}", None), (f"KT. {head}", f"PHÓ {head}")])
    name = gold["signer"]["name"]
    spec["signature"] = [x for x in (auth, pos) if x] + ["", "(Đã ký)", "", name]
    # ANNOTATION.md: the authority is the TM./KT./TL./TUQ./Q. line; a lone 'Q. CHỦ TỊCH' leaves no position
    gold["signer"] = {"name": name, "position": pos, "authority": auth}


@phenomenon("legal-bases-forms", needs_meta=True)
def _legal_forms(spec, gold, meta, lay, rng):
    """Opening citations as 'Thực hiện ...' / 'Căn cứ Hướng dẫn số ...' / 'Xét đề nghị ...' lines."""
    y = meta["year"]
    issued = dt.date.fromisoformat(meta["issued"])
    d1 = issued - dt.timedelta(days=rng.randint(3, 40))
    d2 = dt.date(y - 1, rng.randint(1, 12), rng.randint(1, 28))
    n1, n2 = f"{rng.randint(10, 400)}/KH-UBND", f"{rng.randint(1, 60)}/HD-TĐKT"
    lines = [f"Thực hiện Kế hoạch số {n1} ngày {dmy(d1, rng)} của Ủy ban nhân dân tỉnh về tổ chức các phong trào thi đua năm {y};",
             f"Căn cứ Hướng dẫn số {n2} ngày {dmy(d2, rng)} của Ban Thi đua - Khen thưởng tỉnh hướng dẫn công tác thi đua, khen thưởng;",
             "Xét đề nghị của bộ phận thi đua - khen thưởng,"]
    first = next(i for i, p in enumerate(spec["body"]) if p.startswith("Để cụ thể hóa"))
    spec["body"][:first] = lines
    gold["legal_bases"] = [{"number": n1, "date": d1.isoformat()}, {"number": n2, "date": d2.isoformat()}]


COMBINABLE = ["issuer-wrap", "motto-wrap", "date-wrap", "date-own-row", "font-liberation", "font-condensed",
              "size-12", "size-14", "page-letter", "blank-number", "blank-day", "draft-mark", "urgency",
              "title-caps", "title-long", "sig-name-next-page", "sig-block-next-page", "sig-two-columns",
              "phases-dot-thu", "phases-list-items", "page-numbers", "rule-lines", "signature-image",
              "number-forms", "phases-short-dates", "straight-quotes", "recipients-wrap", "authority-forms",
              "legal-bases-forms"]
_EXCLUSIVE = [{"font-liberation", "font-condensed"}, {"size-12", "size-14"}, {"blank-number", "number-forms"},
              {"sig-name-next-page", "sig-block-next-page"}, {"title-caps", "title-long"},
              {"phases-dot-thu", "phases-list-items", "phases-short-dates"}]


@phenomenon("combo", needs_meta=True)
def _combo(spec, gold, meta, lay, rng):
    """Three phenomena at once, as real documents show them (recorded in layout['components'])."""
    picked: list[str] = []
    while len(picked) < 3:
        p = rng.choice(COMBINABLE)
        if p in picked or any(p in ex and ex & set(picked) for ex in _EXCLUSIVE):
            continue
        picked.append(p)
    for p in picked:
        PHENOMENA[p](spec, gold, meta, lay, rng)
    lay["components"] = picked


@phenomenon("libreoffice")
def _libreoffice(spec, gold, meta, lay, rng):
    """python-docx + LibreOffice (a Word export's text stream); most also wrap or move something."""
    lay["producer"] = "docx"
    lay["font"] = rng.choice(["liberation", "dejavu", "caladea"])
    lay["size"] = rng.choice([12, 13, 14])
    extra = rng.choice([None, "issuer-wrap", "date-wrap", "page-letter", "sig-block-next-page"])
    if extra:
        PHENOMENA[extra](spec, gold, meta, lay, rng)
        lay["components"] = [extra]


@phenomenon("scan")
def _scan(spec, gold, meta, lay, rng):
    """Tilt and grain; half of the scans also show one layout phenomenon (listed in 'components')."""
    lay["scan"] = {"angle": round(rng.choice([-1, 1]) * rng.uniform(0.3, 2.0), 2), "noise": rng.uniform(4, 12)}
    if rng.random() < 0.5:
        pool = [p for p in COMBINABLE if meta is not None or p not in NEEDS_META]
        extra = rng.choice(pool)
        PHENOMENA[extra](spec, gold, meta, lay, rng)
        lay["components"] = [extra]


@phenomenon("scan-stamp")
def _scan_stamp(spec, gold, meta, lay, rng):
    _scan(spec, gold, meta, lay, rng)
    lay["scan"]["stamp"] = True


@phenomenon("scan-broken-ocr-layer")
def _scan_broken(spec, gold, meta, lay, rng):
    _scan(spec, gold, meta, lay, rng)
    lay["scan"]["broken_layer"] = True


TEXT_PHENOMENA = [p for p in PHENOMENA if p not in SCAN]
