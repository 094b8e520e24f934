"""Calibration of the parser's confidence on scalar fields: bucket -> count, precision.

    python bench/calibration.py [--variants-dir DIR | --count N] [--ocr auto] [--json OUT]

Slices: the development set (../shared/corpus rows with gold == dev, without rd-*), the rd-*
slice, and the variation harness (bench/variants; a run's DIR with gold/ and pred/ is reused,
else N variants are generated and parsed). Confidence is the `confidence` of each scalar object
in the parser's JSON; right or wrong is the shared scorer's scalar comparison. The target: of
the values with confidence >= 0.95, at least 99% are right.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.variants import build, parse, scoring  # noqa: E402

SHARED = ROOT / ".." / "shared"
BUCKETS = [0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0001]
HIGH = 0.95


def scalar(pred: dict, field: str):
    """(value, confidence) of a scalar field in the parser's JSON, or (None, None)."""
    obj = pred
    for part in field.split("."):
        obj = obj.get(part) if isinstance(obj, dict) else None
    if isinstance(obj, dict):
        return obj.get("value"), obj.get("confidence")
    return obj, None


def observations(golds: dict[str, dict], pred_dir: Path, sc) -> list[tuple[str, float, bool, str]]:
    """(field, confidence, right, doc id) for every scalar that both gold and the parser give."""
    out = []
    for did, gold in golds.items():
        p = pred_dir / f"{did}.json"
        if not p.exists():
            continue
        pred = json.loads(p.read_text(encoding="utf-8"))
        for f in sc.SCALARS:
            g = gold
            for part in f.split("."):
                g = g.get(part) if isinstance(g, dict) else None
            value, conf = scalar(pred, f)
            if g in (None, "", []) or value in (None, "") or conf is None:
                continue
            out.append((f, float(conf), bool(sc.scalar_ok(f, g, value)), did))
    return out


def table(obs) -> list[tuple[str, int, float | None]]:
    rows = []
    for lo, hi in zip(BUCKETS, BUCKETS[1:]):
        got = [ok for _, c, ok, _ in obs if lo <= c < hi]
        label = f"[{lo:.2f}, {min(hi, 1.0):.2f}{']' if hi > 1 else ')'}"
        rows.append((label, len(got), sum(got) / len(got) if got else None))
    return rows


def high_share(obs) -> tuple[int, int]:
    hi = [ok for _, c, ok, _ in obs if c >= HIGH]
    return sum(hi), len(hi)


def corpus_slices(shared: Path, out: Path, ocr: str) -> dict[str, tuple[dict, Path]]:
    corpus = shared / "corpus"
    with (corpus / "index.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["gold"] == "dev"]
    pred = out / "corpus-pred"
    pred.mkdir(parents=True, exist_ok=True)
    parse.parse_files([corpus / "docs" / r["file"] for r in rows], pred, ocr=ocr)
    golds = {r["id"]: json.loads((corpus / "gold" / f"{r['id']}.gold.json").read_text(encoding="utf-8")) for r in rows}
    dev = {k: v for k, v in golds.items() if not k.startswith("rd-")}
    rd = {k: v for k, v in golds.items() if k.startswith("rd-")}
    return {"dev": (dev, pred), "rd": (rd, pred)}


def variant_slice(args, out: Path) -> tuple[dict, Path]:
    if args.variants_dir:
        gold_dir = args.variants_dir / "gold"
        golds = {p.name[: -len(".gold.json")]: json.loads(p.read_text(encoding="utf-8")) for p in gold_dir.glob("*.gold.json")}
        return golds, args.variants_dir / "pred"
    vs = build.variants(args.count, seed=args.seed, scans=args.scans)
    docs, pred = out / "variant-docs", out / "variant-pred"
    docs.mkdir(parents=True, exist_ok=True)
    pred.mkdir(parents=True, exist_ok=True)
    parse.parse_files([build.render_one(v, docs) for v in vs], pred)
    return {v.id: v.gold for v in vs}, pred


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variants-dir", type=Path, help="a bench/variants/run.py --out DIR to reuse (gold/, pred/)")
    ap.add_argument("--count", type=int, default=150, help="variants to generate when no --variants-dir")
    ap.add_argument("--scans", type=int, default=0)
    ap.add_argument("--seed", type=int, default=21)
    ap.add_argument("--ocr", default="auto")
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--json", type=Path, help="write the tables and every high-confidence miss here")
    ap.add_argument("-v", action="store_true", help="list the wrong values with confidence >= 0.95")
    args = ap.parse_args(argv)
    sc = scoring.load_scorer(args.shared / "eval" / "score.py")
    with tempfile.TemporaryDirectory() as tmp:
        slices = corpus_slices(args.shared, Path(tmp), args.ocr)
        slices["variants"] = variant_slice(args, Path(tmp))
        obs = {name: observations(golds, pred, sc) for name, (golds, pred) in slices.items()}
    obs["all"] = [o for name in ("dev", "rd", "variants") for o in obs[name]]
    report = {}
    for name, rows in obs.items():
        right, n = high_share(rows)
        print(f"\n{name}: {len(rows)} scalar values; confidence >= {HIGH}: {right}/{n} right"
              + (f" ({right / n:.1%})" if n else ""))
        print(f"  {'confidence':14} {'count':>6} {'precision':>9}")
        for label, count, prec in table(rows):
            print(f"  {label:14} {count:6d} {'' if prec is None else f'{prec:9.3f}'}")
        misses = [(f, c, d) for f, c, ok, d in rows if c >= HIGH and not ok]
        if args.v and name != "all":
            for f, c, d in misses:
                print(f"    wrong at {c:.2f}: {d} {f}")
        report[name] = {"values": len(rows), "high": n, "high_right": right,
                        "buckets": [{"bucket": b, "count": k, "precision": p} for b, k, p in table(rows)],
                        "high_misses": misses}
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
