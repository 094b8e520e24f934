"""The signature block: authority (TM./KT./TL./TUQ./Q.), position, and the signer's name."""
from __future__ import annotations

import re

from parser.extract.values import Found
from parser.text.document_text import TextRef

AUTHORITY = re.compile(r"^\s*(T/?M|KT|TL|TUQ|Q)\s*[./]\s*\S", re.I)
NOT_A_NAME = re.compile(r"^\(|đã ký|ký tên|đóng dấu|\d", re.I)


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
    names = [r for r in rest if _is_name(r.text.strip())]
    if names:
        n = names[0]
        name = Found(n.text.strip(), n.start, n.end)
    titles = [r for r in rest if r.text.strip().isupper() and (name is None or r.start < name.start)]
    if titles:
        # the position is the last upper-case line above the name; lines before it continue
        # a wrapped authority ("TM. BAN THƯỜNG VỤ" / "HUYỆN ĐOÀN")
        p = titles[-1] if name is not None else titles[0]
        position = Found(p.text.strip(), p.start, p.end)
        if authority is not None:
            for extra in titles[: titles.index(p)]:
                authority = Found(authority.value + " " + extra.text.strip(), authority.start, extra.end)
    return {"authority": authority, "position": position, "name": name}


def _authority_text(text: str) -> str:
    # "TM.BAN THƯỜNG VỤ" -> "TM. BAN THƯỜNG VỤ"
    return re.sub(r"^\s*(T/?M|KT|TL|TUQ|Q)\s*([./])\s*", lambda m: m.group(1) + m.group(2) + " ", text).strip()
