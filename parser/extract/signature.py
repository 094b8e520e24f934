"""The signature blocks: authority (TM./KT./TL./TUQ./Q.), position, and the signer's name.

A document may carry several blocks side by side (a joint plan, a preparer beside
the approver, a secretary beside the chair). The issuing body's block is `signer`;
the others are returned apart.
"""
from __future__ import annotations

import re

from parser.extract.values import Found
from parser.footer_zone import AUTHORITY
from parser.segment import strip_rank
from parser.text.repair import is_syllable
from parser.text.document_text import TextRef

AUTHORITY_PREFIX = re.compile(r"^\s*(T/?M|KT|TL|TUQ|Q)\s*[./]\s*", re.I)
NOT_A_NAME = re.compile(r"^\(|đã ký|ký tên|đóng dấu|\d", re.I)
# blocks of people who prepare, record or check a document, not of the body that issues it
PREPARER = re.compile(r"NGƯỜI\s+(LẬP|VIẾT|GHI|SOẠN|KIỂM TRA|THẨM ĐỊNH)|THƯ KÝ|KẾ TOÁN|CÁN BỘ|NGƯỜI NHẬN|BÊN NHẬN", re.I)
ORGANIZATION = re.compile(r"^(CÔNG TY|UBND|ỦY BAN|UỶ BAN|SỞ|PHÒNG|BỘ|CỤC|TRƯỜNG|BAN|HỘI|LIÊN ĐOÀN|ĐOÀN|TỔNG CÔNG TY)\b"
                          r"(?!.*(TRƯỞNG|CHỦ TỊCH|GIÁM ĐỐC|BÍ THƯ|THỦ TƯỚNG))")


def _is_name(text: str) -> bool:
    words = [w for w in text.split() if w.isalpha()]
    return 2 <= len(words) <= 6 and len(words) == len(text.split()) and all(w[0].isupper() for w in words) \
        and not all(w.isupper() for w in words)


def signer(lines: list[TextRef]) -> dict[str, Found | None]:
    authority = position = name = None
    rest: list[TextRef] = []
    for ref in lines:
        text = ref.text.strip()
        if not text or NOT_A_NAME.search(text):
            continue
        if authority is None and position is None and AUTHORITY.match(text):
            authority = Found(_authority_text(text), ref.start, ref.end)
            continue
        rest.append(ref)
    # the name is the first proper name under the titles; later ones belong to annexes
    names = [r for r in rest if _is_name(strip_rank(r.text))]
    if names:
        n = names[0]
        bare = strip_rank(n.text)
        offset = n.text.index(bare) if bare in n.text else 0
        name = Found(bare, n.start + offset, n.start + offset + len(bare))
    # capitals above the name; a letter or two is a stray mark on a scan (a stamp's edge), not a title
    titles = []
    for r in rest:
        if not r.text.strip().isupper() or (name is not None and r.start >= name.start):
            continue
        letters = sum(c.isalpha() for c in r.text)
        # a short line counts only as the wrapped end of the authority right above it (`TM. BAN THƯỜNG` / `VỤ`)
        if letters >= 3 or (authority is not None and not titles and _syllables(r.text)):
            titles.append(r)
    if authority is None and len(titles) > 1 and ORGANIZATION.match(titles[0].text.strip()):
        titles = titles[1:]  # the body's name over the position ("CÔNG TY ..." / "GIÁM ĐỐC")
    if titles and not (authority is None and len(titles) == 1 and ORGANIZATION.match(titles[0].text.strip())):
        # the position is the last upper-case line above the name; lines before it continue
        # a wrapped authority ("TM. BAN THƯỜNG VỤ" / "HUYỆN ĐOÀN")
        p = titles[-1] if name is not None else titles[0]
        position = Found(p.text.strip(), p.start, p.end)
        if authority is not None:
            for extra in titles[: titles.index(p)]:
                authority = Found(authority.value + " " + extra.text.strip(), authority.start, extra.end)
    return {"authority": authority, "position": position, "name": name}


def signers(blocks: list[list[TextRef]], issuer: str | None) -> tuple[dict[str, Found | None], list[dict[str, Found | None]]]:
    """(the issuing body's signer, the other signature blocks), blocks given left to right."""
    read = [signer(b) for b in blocks if any(ref.text.strip().isupper() or _is_name(strip_rank(ref.text)) for ref in b)]
    if not read:
        return {"authority": None, "position": None, "name": None}, []
    primary = max(range(len(read)), key=lambda k: _issuing_score(read[k], issuer, k))
    return read[primary], [s for k, s in enumerate(read) if k != primary]


def _issuing_score(block: dict[str, Found | None], issuer: str | None, order: int) -> tuple:
    titles = " ".join(v.value for k, v in block.items() if v is not None and k != "name")
    preparer = bool(PREPARER.search(titles))
    # "TM. ỦY BAN NHÂN DÂN" names the body it signs for: does it name the issuer?
    issuer_words = set(re.findall(r"\w+", (issuer or "").upper()))
    body = re.findall(r"\w+", AUTHORITY_PREFIX.sub("", block["authority"].value).upper()) if block["authority"] else []
    shared = bool(body) and sum(w in issuer_words for w in body) >= 0.6 * len(body)
    # Decree 30 puts the issuing body's signature on the right: later blocks win ties
    return (not preparer, block["authority"] is not None or block["position"] is not None, shared, order)


def _syllables(text: str) -> bool:
    """Real Vietnamese syllables (`VỤ`), not stray marks on a scan (`H`, `KG`)."""
    words = re.findall(r"[^\W\d_]+", text)
    return bool(words) and all(len(w) >= 2 and is_syllable(w.lower()) for w in words)


def _authority_text(text: str) -> str:
    # "TM.BAN THƯỜNG VỤ" -> "TM. BAN THƯỜNG VỤ"
    return re.sub(r"^\s*(T/?M|KT|TL|TUQ|Q)\s*([./])\s*", lambda m: m.group(1) + m.group(2) + " ", text).strip()
