"""What the archive keeps of one parsed document besides its JSON: catalog fields, search tokens, mentions."""
from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass, field

from archive.textfold import exact_words, fold, words

# issuer abbreviations, both ways, so `--issuer LĐLĐ` finds "Liên đoàn Lao động tỉnh ..." and the reverse
ISSUER_ABBREVIATIONS = {
    "ldld": "lien doan lao dong", "ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "bch": "ban chap hanh",
    "mttq": "mat tran to quoc", "cdcs": "cong doan co so", "tld": "tong lien doan", "btv": "ban thuong vu",
    "sgddt": "so giao duc va dao tao", "gddt": "giao duc va dao tao", "tncs": "thanh nien cong san",
    "sct": "so cong thuong", "hlhpn": "hoi lien hiep phu nu", "ccb": "cuu chien binh",
}
_TITLE_YEAR = re.compile(r"\bnăm(?:\s+học)?\s+((?:19|20)\d\d)\b", re.I)


@dataclass(frozen=True, slots=True)
class Mention:
    name: str
    kind: str
    period: str | None
    canonical_key: str | None
    canonical_name: str | None


@dataclass(slots=True)
class IndexRecord:
    doc_id: str
    filename: str
    source_path: str | None
    number: str | None
    title: str | None
    doc_type: str | None
    doc_type_key: str | None
    issuer: str | None
    parent_issuer: str | None
    issued_date: str | None
    year: int | None
    day: int  # yyyymmdd of the date the plan sorts by (its issue date, else 1 January of its year), 0 unknown
    pages: int
    mentions: list[Mention]
    anniversaries: list[tuple[str | None, str, int, str | None]]  # key, event, years, anniversary date
    digest: dict
    text: str
    search: dict[str, str] = field(default_factory=dict)  # search column -> space-separated tokens

    def sort_key(self, seq: int) -> int:
        """Orders plans newest first and by year ranges in one integer (an FTS5 rowid)."""
        return self.day * 10**8 + seq

    def digest_json(self) -> str:
        return json.dumps(self.digest, ensure_ascii=False, separators=(",", ":"))

    def packed_text(self) -> bytes:
        return zlib.compress(self.text.encode("utf-8"), 6)


def unpack_text(blob: bytes | memoryview | None) -> str:
    return zlib.decompress(bytes(blob)).decode("utf-8") if blob else ""


def type_key(name: str | None) -> str | None:
    """`Kế hoạch` -> `kehoach`; a type code (`KH`) -> the key of its name."""
    if not name or not name.strip():
        return None
    from parser.data import doc_types

    codes = {code.upper(): n for code, n in doc_types().items()}
    name = codes.get(name.strip().upper(), name)
    return "".join(words(name)) or None


def issuer_tokens(*names: str | None) -> str:
    text = " ".join(fold(n) for n in names if n)
    toks = words(text)
    joined = " ".join(toks)
    extra: list[str] = []
    for short, long in ISSUER_ABBREVIATIONS.items():
        if short in toks:
            extra.append(long)
        if f" {long} " in f" {joined} ":
            extra.append(short)
    return " ".join(toks + extra)


def _value(doc: dict, name: str) -> str | None:
    v = doc.get(name)
    if isinstance(v, dict):
        v = v.get("value")
    return v.strip() if isinstance(v, str) and v.strip() else None


def _year(doc: dict, issued: str | None, title: str | None) -> int | None:
    if issued and re.match(r"^\d{4}", issued):
        return int(issued[:4])
    m = _TITLE_YEAR.search(title or "")
    if m:
        return int(m.group(1))
    for phase in doc.get("phases") or []:
        if phase.get("start") and re.match(r"^\d{4}", phase["start"]):
            return int(phase["start"][:4])
    return None


def _day(issued: str | None, year: int | None) -> int:
    if issued and re.match(r"^\d{4}-\d{2}-\d{2}", issued):
        return int(issued[:10].replace("-", ""))
    return year * 10000 + 101 if year else 0


def build_record(doc_id: str, filename: str, parsed: dict, source_path: str | None = None) -> IndexRecord:
    title = _value(parsed, "title")
    issuer = _value(parsed, "issuer")
    parent = _value(parsed, "parent_issuer")
    issued = _value(parsed, "issued_date")
    symbol = parsed.get("symbol") or {}
    doc_type = _value(parsed, "doc_type") or symbol.get("doc_type_name")
    year = _year(parsed, issued, title)
    mentions = [Mention(m["name"], m.get("kind") or "phong trào", m.get("period"), m.get("canonical_key"),
                        m.get("canonical_name")) for m in parsed.get("movements") or [] if (m.get("name") or "").strip()]
    themes = [t["text"] for t in parsed.get("themes") or [] if t.get("text")]
    annivs = [(a.get("canonical_key"), a.get("canonical_event") or a.get("event") or "", int(a.get("years") or 0),
               a.get("anniversary_date")) for a in parsed.get("anniversaries") or []]
    text = parsed.get("text") or ""
    digest = {
        "themes": themes,
        "phases": [{"label": p.get("label"), "start": p.get("start"), "end": p.get("end")} for p in parsed.get("phases") or []],
        "anniversaries": [{"years": y, "event": e, "key": k, "date": d} for k, e, y, d in annivs],
    }
    record = IndexRecord(
        doc_id=doc_id, filename=filename, source_path=source_path, number=_value(parsed, "number"), title=title,
        doc_type=doc_type, doc_type_key=type_key(doc_type), issuer=issuer, parent_issuer=parent, issued_date=issued,
        year=year, day=_day(issued, year), pages=int((parsed.get("source") or {}).get("pages") or 0),
        mentions=mentions, anniversaries=annivs, digest=digest, text=text)
    movement_text = " ; ".join([m.name for m in mentions] + sorted({m.canonical_name for m in mentions if m.canonical_name}))
    head = " ".join(filter(None, [title, movement_text, " ".join(themes)]))
    record.search = {
        "title": " ".join(words(title or "")),
        "movements": " ".join(words(movement_text)),
        "themes": " ".join(words(" ".join(themes))),
        "body": " ".join(words(text)),
        "xhead": " ".join(exact_words(head)),
        "xbody": " ".join(exact_words(text)),
        "issuer": issuer_tokens(issuer, parent, symbol.get("issuer_code")),
        "dtype": record.doc_type_key or "",
    }
    return record
