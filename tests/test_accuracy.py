"""Accuracy guarded against gold answers written by people (../shared/corpus/gold), on live output.

The golden snapshots in samples/ catch any change of output; these tests say whether the
output is right: the development set's text-layer and .docx documents, and the rd-* slice
(real scans, certified copies, e-signed files and drafts from other provinces and ministries).
"""
from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path


from bench.variants.parse import vanban_command
from bench.variants.scoring import load_scorer

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
CORPUS = SHARED / "corpus"
OCR_KINDS = ("scan", "broken-text-layer")
TEXT_MIN, RD_MIN = 0.99, 0.92


def _rows(select) -> list[dict]:
    assert (CORPUS / "index.csv").exists(), f"the corpus is missing: {CORPUS} (shared/ must sit beside the repo)"
    with (CORPUS / "index.csv").open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if r["gold"] == "dev" and select(r)]


def _micro_f1(rows: list[dict], out: Path) -> tuple[float, list[str]]:
    files = [str(CORPUS / "docs" / r["file"]) for r in rows]
    proc = subprocess.run([*vanban_command(), "parse", *files, "--out", str(out), "--no-text"],
                          capture_output=True, text=True, timeout=900)
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    sc = load_scorer()
    fields = sc.SCALARS + sc.LISTS
    tp = np_ = ng = 0
    misses = []
    for r in rows:
        gold = json.loads((CORPUS / "gold" / f"{r['id']}.gold.json").read_text(encoding="utf-8"))
        pred_path = out / f"{Path(r['file']).stem}.json"
        pred = json.loads(pred_path.read_text(encoding="utf-8")) if pred_path.exists() else {}
        for field, (t, p, g, m) in sc.score_doc(gold, pred, fields).items():
            tp, np_, ng = tp + t, np_ + p, ng + g
            misses += [f"{r['id']} {field} {kind}: {json.dumps(item, ensure_ascii=False)[:160]}" for kind, item in m]
    return sc.f1(tp, np_, ng)[2], misses


def test_development_set_text_and_docx(tmp_path):
    rows = _rows(lambda r: r["kind"] not in OCR_KINDS and not r["id"].startswith("rd-"))
    assert len(rows) >= 10
    f1, misses = _micro_f1(rows, tmp_path)
    assert f1 >= TEXT_MIN, f"micro-F1 {f1:.3f} < {TEXT_MIN}:\n" + "\n".join(misses)


def test_real_documents_from_other_provinces_and_ministries(tmp_path):
    rows = _rows(lambda r: r["id"].startswith("rd-"))
    assert len(rows) >= 10
    f1, misses = _micro_f1(rows, tmp_path)
    assert f1 >= RD_MIN, f"micro-F1 {f1:.3f} < {RD_MIN}:\n" + "\n".join(misses)
