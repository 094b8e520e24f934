"""The pipeline: read -> layout -> segment (with text repair) -> extract -> validate -> PlanDocument."""
from __future__ import annotations

from pathlib import Path

from models.document import (Anniversary, DateValue, LegalBasis, Movement, OutlineItem, Phase, PlanDocument,
                             Recipient, Signer, SourceInfo, SymbolParts, TextValue, Theme, Warning)
from parser.errors import NoPagesError
from parser.extract import anniversaries as ann_mod
from parser.extract import body as body_mod
from parser.extract import evidence, serial
from parser.extract.copies import copy_info
from parser.extract import header as header_mod
from parser.extract import legal_bases as legal_mod
from parser.extract import movements as mov_mod
from parser.extract import phases as phase_mod
from parser.extract.recipients import addressees, recipients
from parser.extract.signature import signers
from parser.extract.values import Found
from parser.layout import lay_out
from parser.nlp import analyse
from parser.options import ParseOptions
from parser.read.esign import take_stamps
from parser.read.guard import inspect_input
from parser.read.pagemodel import SourceDocument
from parser.segment import segment
from parser.text.document_text import DocumentText
from parser.validate import validate


def read(path: str, options: ParseOptions) -> tuple[SourceDocument, str]:
    info = inspect_input(path, options)
    if info.kind == "docx":
        from parser.read.docx import read_docx

        source = read_docx(path)
    else:
        from parser.read.pdf import read_pdf

        source = read_pdf(path, max_pages=options.max_pages)
        stamps = take_stamps(source)
        if options.ocr != "never":
            # pages whose text layer is missing, thin on a scan, or not Vietnamese are OCRed
            from parser.read.ocr import apply_ocr

            source = apply_ocr(source, options.ocr)
        source.signature_stamps = stamps
    if not source.pages:
        raise NoPagesError("Tài liệu không có trang nào / the document has no pages")
    return source, info.sha256


def _prov(text: DocumentText, found: Found) -> dict:
    if found.start < 0:
        # read from outside the text (a signature stamp): its page and box when known
        where = {k: found.extra[k] for k in ("page", "bbox") if k in found.extra}
        return {"confidence": found.confidence, **where}
    p = text.provenance(found.start, found.end)
    p["confidence"] = round(min(p.get("confidence", 1.0), found.confidence), 3)
    return p


def _text_value(text: DocumentText, found: Found | None) -> TextValue | None:
    return TextValue(value=found.value, evidence=found.extra.get("evidence"), **_prov(text, found)) if found else None


def parse(path: str | Path, options: ParseOptions) -> PlanDocument:
    path = str(path)
    source, sha256 = read(path, options)
    st = segment(lay_out(source))
    text = st.text
    tv = lambda f: _text_value(text, f)  # noqa: E731

    number, symbol = header_mod.number(st)
    place, issued, date_warnings = header_mod.place_and_date(st)
    number, symbol, serial_warnings = serial.reread(path, source.kind, st, number, symbol)
    issued, day_warnings = serial.reread_day(path, source.kind, st, issued)
    serial_warnings += day_warnings
    number, issued, evidence_warnings = evidence.corroborate(st, number, symbol, issued, source.signature_stamps)
    evidence_warnings = serial_warnings + evidence_warnings
    parent, issuer = header_mod.issuer(st)
    doc_type, title = header_mod.type_and_title(st)
    urgency, secrecy = header_mod.marks(st)
    recips, archive = recipients(st.recipient_lines)
    sig, other_sigs = signers(st.signature_blocks, issuer.value if issuer else None)
    year = int(issued.value[:4]) if issued else _year_hint(st)

    preamble, body = body_mod.split_preamble(st.paragraphs)
    analysed = analyse(body_mod.joined(st.title_lines) + body)
    title_part, body_part = analysed[: 1 if st.title_lines else 0], analysed[1 if st.title_lines else 0:]
    in_preamble = {id(r) for r in preamble}
    bases = legal_mod.legal_bases([(r, d) for r, d in body_part if id(r) in in_preamble])
    movements, themes = mov_mod.movements_and_themes(body_part)
    anniversaries = ann_mod.anniversaries(title_part + body_part, year)
    phases = phase_mod.phases(body_part, year)
    outline = body_mod.outline(st.paragraphs)

    doc = PlanDocument(
        source=SourceInfo(file=Path(path).name, sha256=sha256, kind=source.kind, pages=len(source.pages), reader=source.reader,
                          page_sizes=[(round(p.width, 1), round(p.height, 1)) for p in source.pages]),
        number=_text_value(text, number),
        symbol=SymbolParts(**symbol) if symbol else None,
        doc_type=tv(doc_type),
        parent_issuer=tv(parent),
        issuer=tv(issuer),
        place=tv(place),
        issued_date=DateValue(value=issued.value, raw=issued.raw, evidence=issued.extra.get("evidence"),
                              **_prov(text, issued)) if issued else None,
        title=tv(title),
        urgency=tv(urgency),
        confidentiality=tv(secrecy),
        copy=copy_info(source.signature_stamps, st.copy_lines),
        draft=tv(header_mod.draft(st)),
        addressees=[Recipient(text=f.value, **_prov(text, f)) for f in addressees(st.addressee_lines)],
        legal_bases=[LegalBasis(**f.value, **_prov(text, f)) for f in bases],
        movements=[Movement(**f.value, **_prov(text, f)) for f in movements],
        themes=[Theme(text=f.value, **_prov(text, f)) for f in themes],
        anniversaries=[Anniversary(**f.value, **_prov(text, f)) for f in anniversaries],
        phases=[Phase(**f.value, **_prov(text, f)) for f in phases],
        signer=Signer(**{k: tv(v) for k, v in sig.items()}),
        other_signers=[Signer(**{k: tv(v) for k, v in o.items()}) for o in other_sigs],
        recipients=[Recipient(text=f.value, **_prov(text, f)) for f in recips],
        archive=tv(archive),
        outline=[OutlineItem(**f.value, **_prov(text, f)) for f in outline],
        warnings=[Warning(message=m) for m in source.warnings + st.warnings + date_warnings + evidence_warnings],
        text=text.text if options.include_text else "",
    )
    return validate(doc)


def _year_hint(st) -> int | None:
    """The plan's year when the date of issue is blank: the year printed on the date line."""
    import re

    if st.date_line and (m := re.search(r"năm\s*(\d{4})", st.date_line.text)):
        return int(m.group(1))
    return None
