"""Parse speed against pdfplumber's own extract_text() of the same file, in one warm process.

    python bench/bench_parse.py [--repeat 7] [--json OUT] [PDF ...]     (default: samples/*.pdf)

Per file, interleaved in each repetition: pdfplumber `extract_text()` of every page (the
baseline: reading the characters once), vanban's full parse, and the two readers alone
(pypdfium2, the default, and pdfplumber, the reference). Medians; ratios to the baseline.
Peak RSS of the process at the end.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

import pdfplumber

from parser import ParseOptions, parse
from parser.read.pdf import read_pdf

ROOT = Path(__file__).resolve().parent.parent


def extract_text(path: str) -> int:
    with pdfplumber.open(path) as pdf:
        return sum(len(page.extract_text() or "") for page in pdf.pages)


CANDIDATES: dict[str, Callable[[str], object]] = {
    "extract_text": extract_text,
    "vanban_parse": lambda p: parse(p, ParseOptions(ocr="never", include_text=False)),
    "read_pdfium": lambda p: read_pdf(p, reader="pdfium"),
    "read_pdfplumber": lambda p: read_pdf(p, reader="pdfplumber"),
}


def time_file(path: str, repeat: int) -> dict[str, float]:
    for run in CANDIDATES.values():  # warm-up: imports, the spaCy pipeline, caches
        run(path)
    times: dict[str, list[float]] = {name: [] for name in CANDIDATES}
    for _ in range(repeat):
        for name, run in CANDIDATES.items():
            t0 = time.perf_counter()
            run(path)
            times[name].append(time.perf_counter() - t0)
    return {name: statistics.median(ts) for name, ts in times.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    files = args.pdfs or sorted((ROOT / "samples").glob("*.pdf"))
    rows = []
    for f in files:
        try:
            med = time_file(str(f), args.repeat)
        except Exception as exc:
            print(f"{f}: failed: {exc}", file=sys.stderr)
            return 1
        rows.append({"file": f.name, **med, "parse_ratio": med["vanban_parse"] / med["extract_text"],
                     "reader_ratio": med["read_pdfium"] / med["read_pdfplumber"]})
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("| file | extract_text ms | vanban parse ms | parse / extract_text | pdfium read ms | pdfplumber read ms "
          "| pdfium / pdfplumber |\n|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['file']} | {r['extract_text'] * 1000:.0f} | {r['vanban_parse'] * 1000:.0f} | {r['parse_ratio']:.2f} "
              f"| {r['read_pdfium'] * 1000:.0f} | {r['read_pdfplumber'] * 1000:.0f} | {r['reader_ratio']:.2f} |")
    parse_ratio = statistics.median(r["parse_ratio"] for r in rows)
    reader_ratio = statistics.median(r["reader_ratio"] for r in rows)
    total = sum(r["vanban_parse"] for r in rows) / sum(r["extract_text"] for r in rows)
    print(f"\nmedian parse / extract_text: {parse_ratio:.2f} (all files together: {total:.2f}; target <= 1.3)")
    print(f"median pdfium reader / pdfplumber reader: {reader_ratio:.2f}")
    print(f"peak RSS: {peak_mb:.0f} MB (target <= 300)")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "median_parse_ratio": parse_ratio, "overall_parse_ratio": total,
                                         "median_reader_ratio": reader_ratio, "peak_rss_mb": peak_mb}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
