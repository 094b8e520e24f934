"""Build the variant set: which base spec gets which phenomenon, deterministic from a seed."""
from __future__ import annotations

import copy
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from . import phenomena, seeds, specgen
from .render import LAYOUT


@dataclass
class Variant:
    id: str
    tags: list[str]
    spec: dict
    gold: dict
    layout: dict = field(default_factory=dict)

    @property
    def scanned(self) -> bool:
        return bool(self.layout.get("scan"))


def variants(count: int, seed: int = 13, scans: int = 0, libreoffice: bool = True,
             shared_share: float = 0.2) -> list[Variant]:
    """`count` text-layer variants cycling through the phenomena, then `scans` scanned ones."""
    rng = random.Random(seed)
    bases = seeds.load()
    names = [p for p in phenomena.TEXT_PHENOMENA if libreoffice or p != "libreoffice"]
    out = []
    for i in range(count + scans):
        name = names[i % len(names)] if i < count else phenomena.SCAN[(i - count) % len(phenomena.SCAN)]
        vrng = random.Random(rng.randrange(2**32))
        if bases and name not in phenomena.NEEDS_META and vrng.random() < shared_share:
            spec, gold = copy.deepcopy(vrng.choice(bases))
            meta = None
        else:
            spec, gold, meta = specgen.generate(vrng, i)
        vid = f"v{i:04d}-{name}"
        spec["id"] = gold["id"] = vid
        lay = dict(LAYOUT)
        phenomena.PHENOMENA[name](spec, gold, meta, lay, vrng)
        lay["seed"] = vrng.randrange(2**32)
        out.append(Variant(vid, [name], spec, gold, lay))
    return out


def render_one(v: Variant, docs: Path) -> Path:
    """Write the variant's PDF into `docs` (and its scanned form when it is a scan variant)."""
    from .render import render
    rng = random.Random(v.layout["seed"])
    pdf = docs / f"{v.id}.pdf"
    if v.layout.get("producer") == "docx":
        from .render_docx import render_docx
        render_docx(v.spec, v.layout, pdf)
    elif v.scanned:
        from .scan import degrade
        clean = docs / f".{v.id}.text.pdf"
        render(v.spec, v.layout, clean, rng)
        degrade(clean, pdf, v.layout["scan"], rng, (v.gold.get("signer") or {}).get("name"))
        clean.unlink()
    else:
        render(v.spec, v.layout, pdf, rng)
    return pdf


def write_gold(v: Variant, gold_dir: Path) -> None:
    (gold_dir / f"{v.id}.gold.json").write_text(json.dumps(v.gold, ensure_ascii=False, indent=1), encoding="utf-8")
