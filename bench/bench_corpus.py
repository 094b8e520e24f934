"""The whole text-layer corpus in one `vanban parse` process against pdfplumber's extract_text() of the same files.

    python bench/bench_corpus.py [--rounds 3] [--ocr auto]

Both sides are whole processes (start-up, imports and all), run in turn in each round so
the machine's drift hits both alike: `vanban parse FILES --out DIR --ocr auto` (the default
mode: every page is judged and only broken ones would be OCRed) and a Python process
that opens each file with pdfplumber and calls `page.extract_text()` on every page.
Files: the corpus rows of kind text* (PDF; .docx has no extract_text). Target: ≤ 0.4×.
Both wall time and CPU time (user + system, children included) are compared.
"""
from __future__ import annotations

import argparse
import csv
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT / ".." / "shared"
TARGET = 0.4
EXTRACT = """
import sys, pdfplumber
for path in sys.argv[1:]:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
"""


def text_layer_files(shared: Path) -> list[str]:
    corpus = shared / "corpus"
    with (corpus / "index.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["kind"].startswith("text") and r["file"].endswith(".pdf")]
    return [str(corpus / "docs" / r["file"]) for r in rows]


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its children: user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    took = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        sys.exit(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr[-500:]}")
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--ocr", choices=("auto", "never"), default="auto")
    ap.add_argument("--shared", type=Path, default=SHARED)
    args = ap.parse_args()
    files = text_layer_files(args.shared)
    vanban = [str(Path(sys.executable).with_name("vanban"))]
    if not Path(vanban[0]).exists():
        vanban = [sys.executable, "-m", "service.cli"]
    walls, cpus = [], []
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as out:
            v = timed([*vanban, "parse", *files, "--out", out, "--ocr", args.ocr, "--no-text"])
        e = timed([sys.executable, "-c", EXTRACT, *files])
        walls.append(v[0] / e[0])
        cpus.append(v[1] / e[1])
        print(f"round: vanban parse {v[0]:.2f} s ({v[1]:.2f} s CPU), extract_text {e[0]:.2f} s ({e[1]:.2f} s CPU), "
              f"ratio {walls[-1]:.2f} wall, {cpus[-1]:.2f} CPU", flush=True)
    ratio = statistics.median(walls)
    print(f"{len(files)} text-layer PDFs, {args.rounds} rounds: median ratio {ratio:.2f} wall, "
          f"{statistics.median(cpus):.2f} CPU (target ≤ {TARGET}; on a loaded machine the CPU ratio is the steadier)")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
