"""Validation: checks across fields, said as warnings instead of silently trusted."""
from __future__ import annotations

import re
import unicodedata

from models.document import PlanDocument, Warning
from parser.data import bodies, positions, surnames
from parser.nlp import is_person_name


# below this a value (built from OCR words Tesseract was unsure of) is flagged for a person to check
LOW_CONFIDENCE = 0.6
OCR_NAME_CONFIDENCE = 0.9


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
                   if not unicodedata.combining(c)).lower()


def fix_words(text: str, names: tuple[str, ...]) -> str:
    """Words of an OCR reading that match a known name but for their marks take the name's spelling (longest first)."""
    words = text.split()
    folded = [_fold(w.strip(",")) for w in words]
    for name in sorted(names, key=len, reverse=True):
        known = name.split()
        target = [_fold(w.strip(",")) for w in known]
        n = len(target)
        for k in range(len(words) - n + 1):
            if folded[k:k + n] == target and words[k:k + n] != known:
                upper = all(w.isupper() for w in words[k:k + n] if any(c.isalpha() for c in w))
                words[k:k + n] = [w.upper() if upper else w for w in known]
    return " ".join(words)


def fix_title(title: str) -> str:
    """An OCR reading of a position or authority that differs from a known one only in its marks."""
    from rapidfuzz.distance import Levenshtein

    folded = _fold(re.sub(r"\s+", " ", title.strip()))
    match = [p for p in positions() if _fold(p) == folded]
    if not match and len(folded) >= 6:
        # one letter lost or misread under a stamp ("HO CHỦ TỊCH"): the one known title a letter away
        match = [p for p in positions() if Levenshtein.distance(_fold(p), folded) <= 1]
    return match[0] if len(match) == 1 else title


def _known_family_name(name: str) -> bool:
    """2-5 capitalised words after a common family name read as a person's name without asking the NER model."""
    words = name.split()
    return 2 <= len(words) <= 5 and words[0] in surnames() and all(w[:1].isupper() and w[1:].islower() for w in words)


def fix_family_name(name: str) -> str:
    first, _, rest = name.partition(" ")
    if first in surnames():
        return name
    match = [s for s in surnames() if _fold(s) == _fold(first)]
    return f"{match[0]} {rest}".strip() if len(match) == 1 else name


def validate(doc: PlanDocument) -> PlanDocument:
    warn = doc.warnings.append
    year = int(doc.issued_date.value[:4]) if doc.issued_date and doc.issued_date.value else None
    for a in doc.anniversaries:
        if a.consistent is False:
            warn(Warning(field="anniversaries", page=a.page,
                         message=f"“{a.years} năm {a.event}” không khớp năm của kế hoạch ({year}); sự kiện gốc {a.origin_date} / "
                                 f"the count does not match the plan year: {a.origin_date} + {a.years} years"))
        if a.canonical_key is None:
            warn(Warning(field="anniversaries", page=a.page,
                         message=f"Không nhận ra ngày kỷ niệm “{a.event}” / commemoration not in the knowledge base"))
    for p in doc.phases:
        if p.start and p.end and p.start > p.end:
            warn(Warning(field="phases", page=p.page, message=f"{p.label}: ngày bắt đầu sau ngày kết thúc / starts after it ends"))
    for name in ("number", "issuer", "issued_date", "title", "doc_type"):
        if getattr(doc, name) is None:
            warn(Warning(field=name, message=f"Không tìm thấy trường {name} / field {name} not found"))
    low = [(name, getattr(doc, name)) for name in ("number", "doc_type", "issuer", "place", "issued_date", "title")]
    low += [(f"signer.{k}", getattr(doc.signer, k)) for k in ("authority", "position")]
    for name, value in low:
        if value is not None and value.confidence < LOW_CONFIDENCE:
            warn(Warning(field=name, page=value.page,
                         message=f"“{value.value}” đọc được với độ tin cậy thấp ({value.confidence:.0%}), cần kiểm tra / "
                                 f"read with low confidence: check it"))
    if doc.signer.name is not None and doc.signer.name.confidence < 1.0:
        # read by OCR: a family name whose marks were lost takes its spelling; a name is never sure
        # from OCR alone (no syllable set can check a proper name)
        doc.signer.name.value = fix_family_name(doc.signer.name.value)
        doc.signer.name.confidence = min(doc.signer.name.confidence, OCR_NAME_CONFIDENCE)
    for value in (doc.issuer, doc.parent_issuer):
        if value is not None and value.confidence < 1.0:
            value.value = fix_words(value.value, bodies())
    for key in ("position", "authority"):
        value = getattr(doc.signer, key)
        if value is not None and value.confidence < 1.0:
            value.value = fix_title(value.value)
    if doc.signer.name is None:
        warn(Warning(field="signer", message="Không tìm thấy tên người ký / signer's name not found"))
    elif doc.signer.name.confidence < LOW_CONFIDENCE:
        warn(Warning(field="signer.name", page=doc.signer.name.page,
                     message=f"“{doc.signer.name.value}” đọc được với độ tin cậy thấp ({doc.signer.name.confidence:.0%}), "
                             f"cần kiểm tra / read with low confidence: check it"))
    elif not _known_family_name(doc.signer.name.value) and not is_person_name(doc.signer.name.value):
        doc.signer.name.confidence = min(doc.signer.name.confidence, 0.6)
        warn(Warning(field="signer.name", page=doc.signer.name.page,
                     message=f"“{doc.signer.name.value}” có thể không phải tên người / may not be a person's name"))
    # the phases hold the anniversaries whose date falls inside them
    for p in doc.phases:
        if p.start and p.end:
            p.anniversaries = [i for i, a in enumerate(doc.anniversaries)
                               if a.anniversary_date and p.start <= a.anniversary_date <= p.end]
    return doc
