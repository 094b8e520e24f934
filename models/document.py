"""The parsed plan as JSON: every value carries where it came from.

Scalar fields are objects `{"value": ..., "page", "bbox", "span", "confidence"}`;
list items carry the same provenance keys beside their own fields. The key names
the scorer reads (`number`, `doc_type`, ..., `recipients`) are top-level.
"""
from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"


class PageBox(BaseModel):
    page: int = Field(description="1-based page number")
    bbox: tuple[float, float, float, float] = Field(description="x0, top, x1, bottom in PDF points, origin top-left")


class Provenance(BaseModel):
    """Where a value was read: page and box of its first line, every box, and its span in `text`."""

    page: Optional[int] = None
    bbox: Optional[tuple[float, float, float, float]] = None
    boxes: list[PageBox] = Field(default_factory=list)
    span: Optional[tuple[int, int]] = Field(None, description="[start, end) into the document's normalized `text`")
    confidence: float = Field(1.0, ge=0, le=1, description="1 = read from a clean text layer by a firm rule")


EVIDENCE = ("where the value was read when not from the document's own print at its place: "
            "'annex reference', 'e-signature', 'copy stamp', 'digit re-read'")


class TextValue(Provenance):
    value: Optional[str] = None
    evidence: Optional[str] = Field(None, description=EVIDENCE)


class DateValue(Provenance):
    value: Optional[str] = Field(None, description="ISO date YYYY-MM-DD")
    raw: Optional[str] = None
    evidence: Optional[str] = Field(None, description=EVIDENCE)


class CopyInfo(Provenance):
    """A certified copy's own details (SAO Y, SAO LỤC, TRÍCH SAO), apart from the original's fields."""

    kind: str = Field(description="SAO Y | SAO LỤC | TRÍCH SAO")
    issuer: Optional[str] = Field(None, description="the body that made the copy")
    date: Optional[str] = Field(None, description="ISO date the copy was made or signed")
    number: Optional[str] = None
    signer: Optional[str] = None
    text: str = ""


class SymbolParts(BaseModel):
    """`149/KH-LĐLĐ` -> serial 149, type code KH (Kế hoạch), issuer code LĐLĐ."""

    symbol: Optional[str] = Field(None, description="what follows the serial: /KH-LĐLĐ, -KH/ĐTN (also when the serial is blank)")
    serial: Optional[str] = None
    doc_type_code: Optional[str] = None
    doc_type_name: Optional[str] = None
    issuer_code: Optional[str] = None
    unit_code: Optional[str] = None
    party_style: bool = Field(False, description="number-TYPE/ISSUER, as in Party and Đoàn documents")


class LegalBasis(Provenance):
    number: Optional[str] = None
    type: Optional[str] = Field(None, description="Luật, Nghị định, Quyết định, Kế hoạch ...")
    date: Optional[str] = None
    issuer: Optional[str] = None
    clause: str = Field("Căn cứ", description="Căn cứ / Thực hiện / Xét / Theo đề nghị")
    text: str = ""


class Movement(Provenance):
    name: str
    kind: str = Field("phong trào", description="phong trào | cuộc vận động | chương trình")
    period: Optional[str] = Field(None, description="giai đoạn 2021-2025, as printed")
    canonical_key: Optional[str] = Field(None, description="key of the national movement in the knowledge base")
    canonical_name: Optional[str] = None


class Theme(Provenance):
    text: str


class Anniversary(Provenance):
    years: int
    event: str
    canonical_key: Optional[str] = None
    canonical_event: Optional[str] = None
    origin_date: Optional[str] = Field(None, description="the event's own date, ISO (year-month or year when the day is unknown)")
    anniversary_date: Optional[str] = Field(None, description="the date the count falls on in the plan's year")
    consistent: Optional[bool] = Field(None, description="origin year + years == the year the plan celebrates")


class Phase(Provenance):
    label: str
    start: Optional[str] = None
    end: Optional[str] = None
    raw: str = ""
    anniversaries: list[int] = Field(default_factory=list, description="indexes into `anniversaries` that fall inside")


class Recipient(Provenance):
    text: str


class Signer(BaseModel):
    name: Optional[TextValue] = None
    position: Optional[TextValue] = None
    authority: Optional[TextValue] = None


class OutlineItem(Provenance):
    level: int
    label: str
    heading: str


class SourceInfo(BaseModel):
    file: str
    sha256: str
    kind: str
    pages: int
    reader: str
    page_sizes: list[tuple[float, float]] = Field(
        default_factory=list, description="width, height of each page in PDF points: the frame of every bbox")


class Warning(BaseModel):
    field: Optional[str] = None
    message: str
    page: Optional[int] = None


class PlanDocument(BaseModel):
    # `copy` is a JSON key; in Python the field is `copy_of` (BaseModel has a method `copy`)
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    schema_version: str = SCHEMA_VERSION
    source: SourceInfo
    number: Optional[TextValue] = None
    symbol: Optional[SymbolParts] = None
    doc_type: Optional[TextValue] = None
    parent_issuer: Optional[TextValue] = None
    issuer: Optional[TextValue] = None
    place: Optional[TextValue] = None
    issued_date: Optional[DateValue] = None
    title: Optional[TextValue] = None
    urgency: Optional[TextValue] = None
    confidentiality: Optional[TextValue] = None
    copy_of: Optional[CopyInfo] = Field(None, alias="copy", description="the copy's own block when this file is a certified copy")
    draft: Optional[TextValue] = Field(None, description="the draft mark (DỰ THẢO) when the document is a draft")
    addressees: list[Recipient] = Field(default_factory=list)
    legal_bases: list[LegalBasis] = Field(default_factory=list)
    movements: list[Movement] = Field(default_factory=list)
    themes: list[Theme] = Field(default_factory=list)
    phases: list[Phase] = Field(default_factory=list)
    anniversaries: list[Anniversary] = Field(default_factory=list)
    signer: Signer = Field(default_factory=Signer)
    other_signers: list[Signer] = Field(default_factory=list, description="other signature blocks: joint signers, preparers, secretaries")
    recipients: list[Recipient] = Field(default_factory=list)
    archive: Optional[TextValue] = Field(None, description="the `Lưu:` item of Nơi nhận")
    outline: list[OutlineItem] = Field(default_factory=list)
    warnings: list[Warning] = Field(default_factory=list)
    text: str = Field("", description="the document's normalized text; every `span` points into it")
