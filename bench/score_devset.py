"""Score vanban on the development set of ../shared/corpus with the shared scorer.

    python bench/score_devset.py                 # text-layer and .docx inputs
    python bench/score_devset.py --kinds scan    # scans and broken text layers (OCR)
    python bench/score_devset.py --kinds all -v  # everything, every miss shown
"""
from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
OCR_KINDS = ("scan", "broken-text-layer")


def wanted(kind: str, which: str) -> bool:
    if which == "all":
        return True
    is_ocr = kind in OCR_KINDS
    return is_ocr if which == "scan" else not is_ocr


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kinds", choices=("text", "scan", "all"), default="text")
    ap.add_argument("--ocr", choices=("auto", "always", "never"), default="auto")
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("-v", action="store_true", help="show every miss")
    args = ap.parse_args()
    corpus = args.shared / "corpus"
    with (corpus / "index.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["gold"] == "dev" and wanted(r["kind"], args.kinds)]
    if not rows:
        print("no development documents of that kind", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        gold, pred = Path(tmp, "gold"), Path(tmp, "pred")
        gold.mkdir()
        for r in rows:
            shutil.copy(corpus / "gold" / f"{r['id']}.gold.json", gold)
        files = [str(corpus / "docs" / r["file"]) for r in rows]
        subprocess.run(["vanban", "parse", *files, "--out", str(pred), "--ocr", args.ocr], check=False)
        score = [sys.executable, str(args.shared / "eval" / "score.py"), str(gold), str(pred)] + (["-v"] if args.v else [])
        return subprocess.run(score).returncode


if __name__ == "__main__":
    sys.exit(main())
