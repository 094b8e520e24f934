"""Score parser output against variant gold with the shared scorer's own functions, per phenomenon."""
from __future__ import annotations

import importlib.util
import json
from collections import defaultdict
from pathlib import Path

SCORER = Path(__file__).resolve().parents[2] / ".." / "shared" / "eval" / "score.py"


def load_scorer(path: Path = SCORER):
    spec = importlib.util.spec_from_file_location("shared_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def score(variants, pred_dir: Path, scorer=None) -> dict:
    """{'docs': {id: {field: (tp, pred, gold, misses)}}, 'tags': {tag: {field: [tp, pred, gold]}}}"""
    sc = scorer or load_scorer()
    fields = sc.SCALARS + sc.LISTS
    docs, tags = {}, defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    for v in variants:
        p = pred_dir / f"{v.id}.json"
        try:
            pred = json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}
        except ValueError:
            pred = {}
        res = sc.score_doc(v.gold, pred if isinstance(pred, dict) else {}, fields)
        docs[v.id] = {"parsed": p.exists(), "fields": res}
        for tag in v.tags:
            for f, (tp, np_, ng, _) in res.items():
                t = tags[tag][f]
                t[0] += tp; t[1] += np_; t[2] += ng
    return {"docs": docs, "tags": tags, "f1": sc.f1, "order": fields}


def micro(fields: dict, f1) -> tuple[float, float, float]:
    tp = sum(v[0] for v in fields.values())
    np_ = sum(v[1] for v in fields.values())
    ng = sum(v[2] for v in fields.values())
    return f1(tp, np_, ng)


def per_tag(result: dict) -> dict[str, float]:
    return {tag: micro(fields, result["f1"])[2] for tag, fields in result["tags"].items()}
