"""People's corrections of a parsed document, in the keys of the gold annotations (shared/eval/ANNOTATION.md).

    check_patch({"title": "...", "signer": {"name": "..."}, "movements": ["...", ...]})  -> the flat changes
    apply_corrections(parsed, {"title": "...", "signer.name": "..."})                    -> the current document

Corrections are kept flat (`signer.name`) and apart from the parse, so a document parsed again by a newer
parser gets them laid on top again. A corrected value is marked `"corrected": true`; the document gets a
`corrections` object naming the corrected fields and the current revision.
"""
from __future__ import annotations

import copy
import re

SCALARS = ("number", "doc_type", "issuer", "place", "issued_date", "title")
SIGNER = ("name", "position", "authority")
LISTS = ("movements", "recipients")
FIELDS = SCALARS + tuple(f"signer.{k}" for k in SIGNER) + LISTS
MAX_TEXT = 2000
MAX_ITEMS = 200
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BadCorrection(ValueError):
    """A correction that cannot be taken; the message says why (vi / en)."""


def _text(field: str, value, nullable: bool) -> str | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise BadCorrection(f"“{field}” phải là một chuỗi / `{field}` must be a string")
    value = " ".join(value.split())
    if not value and not nullable:
        raise BadCorrection(f"“{field}” không được để trống / `{field}` must not be empty")
    if len(value) > MAX_TEXT:
        raise BadCorrection(f"“{field}” dài quá {MAX_TEXT} ký tự / `{field}` is longer than {MAX_TEXT} characters")
    return value or None


def check_patch(body) -> dict:
    """The changes a PATCH body asks for, flat (`signer.name`), checked; BadCorrection when it cannot be taken."""
    if not isinstance(body, dict) or not body:
        raise BadCorrection("Cần một đối tượng JSON có ít nhất một trường / a JSON object with at least one field is "
                            f"required (fields: {', '.join(SCALARS + ('signer',) + LISTS)})")
    out: dict = {}
    for key, value in body.items():
        if key in SCALARS:
            out[key] = _text(key, value, nullable=True)
            if key == "issued_date" and out[key] is not None and not _ISO.match(out[key]):
                raise BadCorrection("“issued_date” phải có dạng YYYY-MM-DD / `issued_date` must be YYYY-MM-DD")
        elif key == "signer":
            if not isinstance(value, dict) or not value or set(value) - set(SIGNER):
                raise BadCorrection("“signer” là đối tượng với name, position, authority / "
                                    "`signer` is an object with name, position, authority")
            for part, v in value.items():
                out[f"signer.{part}"] = _text(f"signer.{part}", v, nullable=True)
        elif key in LISTS:
            if not isinstance(value, list) or len(value) > MAX_ITEMS:
                raise BadCorrection(f"“{key}” phải là danh sách chuỗi (tối đa {MAX_ITEMS}) / "
                                    f"`{key}` must be a list of at most {MAX_ITEMS} strings")
            items = [_text(key, v, nullable=False) for v in value]
            out[key] = list(dict.fromkeys(items))
        else:
            raise BadCorrection(f"Không sửa được trường “{key}” / `{key}` cannot be corrected "
                                f"(fields: {', '.join(SCALARS + ('signer',) + LISTS)})")
    return out


def current_values(parsed: dict, fields) -> dict:
    """The values the parse (or the document as it stands) gives these flat fields, in the correction's shape."""
    out = {}
    for f in fields:
        if f in SCALARS:
            out[f] = _scalar(parsed.get(f))
        elif f.startswith("signer."):
            out[f] = _scalar((parsed.get("signer") or {}).get(f.split(".", 1)[1]))
        elif f == "movements":
            out[f] = [m.get("name") for m in parsed.get("movements") or []]
        elif f == "recipients":
            out[f] = [r.get("text") for r in parsed.get("recipients") or []]
    return out


def _scalar(v) -> str | None:
    return v.get("value") if isinstance(v, dict) else v


def _set_scalar(holder: dict, key: str, value: str | None) -> None:
    old = holder.get(key)
    item = dict(old) if isinstance(old, dict) else {"boxes": [], "confidence": 1.0}
    item["value"] = value
    item["corrected"] = True
    holder[key] = item


def apply_corrections(parsed: dict, values: dict, revision: int | None = None) -> dict:
    """The document as it stands: the parse with the corrected values laid on top (a copy)."""
    if not values:
        return parsed
    doc = copy.deepcopy(parsed)
    for field, value in values.items():
        if field in SCALARS:
            _set_scalar(doc, field, value)
        elif field.startswith("signer."):
            signer = dict(doc.get("signer") or {})
            _set_scalar(signer, field.split(".", 1)[1], value)
            doc["signer"] = signer
        elif field == "movements":
            doc["movements"] = _movements(doc.get("movements") or [], value)
        elif field == "recipients":
            had = {r.get("text"): r for r in doc.get("recipients") or []}
            doc["recipients"] = [had.get(t) or {"text": t, "boxes": [], "confidence": 1.0, "corrected": True}
                                 for t in value]
    doc["corrections"] = {"fields": sorted(values), "revision": revision}
    return doc


def _movements(parsed: list[dict], names: list[str]) -> list[dict]:
    from parser.extract.kb import match_movement

    had = {m.get("name"): m for m in parsed}
    out = []
    for name in names:
        if name in had:
            out.append(had[name])
            continue
        known = match_movement(name)
        out.append({"name": name, "kind": known["kind_vi"] if known else "phong trào", "period": None,
                    "canonical_key": known["key"] if known else None,
                    "canonical_name": known["official_name_vi"] if known else None,
                    "boxes": [], "confidence": 1.0, "corrected": True})
    return out


def gold_of(doc_id: str, values: dict) -> dict:
    """A gold annotation (shared/eval/ANNOTATION.md) of the fields people corrected: what the scorer compares."""
    gold: dict = {"id": doc_id}
    for field in FIELDS:
        if field not in values:
            continue
        if field.startswith("signer."):
            gold.setdefault("signer", {})[field.split(".", 1)[1]] = values[field]
        elif values[field] is not None:
            gold[field] = values[field]
    return gold
