"""The shared corpus plan specs (nd-149 and cp-*.spec.json) with their gold, as variant bases."""
from __future__ import annotations

import json
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


def load(shared: Path = SHARED) -> list[tuple[dict, dict]]:
    """[(spec, gold)] for every corpus spec that has a gold file; [] when shared/ is absent."""
    corpus = shared / "corpus"
    out = []
    for path in sorted(corpus.glob("*.spec.json")) if corpus.is_dir() else []:
        spec = json.loads(path.read_text(encoding="utf-8"))
        gold_path = corpus / "gold" / (path.name[: -len(".spec.json")] + ".gold.json")
        if gold_path.exists():
            spec.setdefault("issuer_lines", 1)
            out.append((spec, json.loads(gold_path.read_text(encoding="utf-8"))))
    return out
