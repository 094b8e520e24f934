"""Parse speed against pdfplumber's own extract_text() of the same file, in one warm process.

    python bench/bench_parse.py [--repeat 7] [--json OUT] [PDF ...]     (default: samples/*.pdf)

Per file, after one warm-up run of each candidate (imports, the spaCy pipeline, the knowledge-base
indexes), the candidates run interleaved in every repetition:
  extract_text     pdfplumber's `page.extract_text()` of every page: the baseline
  vanban_parse     the full pipeline, `parse(path, ParseOptions(ocr="never", include_text=False))`
  read_pdfium      the default reader alone (pypdfium2)
  read_pdfplumber  the reference reader alone (pdfplumber's chars)
Medians of time.perf_counter; targets: parse / extract_text <= 1.3, peak RSS <= 300 MB.
Exit code 1 (after the table) when a file fails in any candidate, else 0.
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
import pypdfium2

from parser import ParseOptions, parse
from parser.read.pdf import read_pdf

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.3
TARGET_RSS_MB = 300.0


def extract_text(path: str) -> int:
    with pdfplumber.open(path) as pdf:
        return sum(len(page.extract_text() or "") for page in pdf.pages)


CANDIDATES: dict[str, Callable[[str], object]] = {
    "extract_text": extract_text,
    "vanban_parse": lambda p: parse(p, ParseOptions(ocr="never", include_text=False)),
    "read_pdfium": lambda p: read_pdf(p, reader="pdfium"),
    "read_pdfplumber": lambda p: read_pdf(p, reader="pdfplumber"),
}


def page_count(path: str) -> int:
    pdf = pypdfium2.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def run_checked(name: str, path: str) -> float:
    t0 = time.perf_counter()
    try:
        CANDIDATES[name](path)
    except Exception as exc:
        raise RuntimeError(f"{name} failed: {type(exc).__name__}: {exc}") from exc
    return time.perf_counter() - t0


def time_file(path: str, repeat: int) -> dict[str, float]:
    """Median seconds per candidate, the candidates interleaved in each repetition."""
    for name in CANDIDATES:  # warm-up
        run_checked(name, path)
    times: dict[str, list[float]] = {name: [] for name in CANDIDATES}
    for _ in range(repeat):
        for name in CANDIDATES:
            times[name].append(run_checked(name, path))
    return {name: statistics.median(ts) for name, ts in times.items()}


def measure(path: Path, repeat: int) -> dict:
    med = time_file(str(path), repeat)
    return {"file": path.name, "pages": page_count(str(path)), **med,
            "parse_ratio": med["vanban_parse"] / med["extract_text"],
            "reader_ratio": med["read_pdfium"] / med["read_pdfplumber"]}


def summarize(rows: list[dict]) -> dict:
    def total(key: str) -> float:
        return sum(r[key] for r in rows)

    return {
        "median_parse_ratio": statistics.median(r["parse_ratio"] for r in rows),
        "overall_parse_ratio": total("vanban_parse") / total("extract_text"),
        "median_reader_ratio": statistics.median(r["reader_ratio"] for r in rows),
        "overall_reader_ratio": total("read_pdfium") / total("read_pdfplumber"),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # KB on Linux
    }


def print_report(rows: list[dict], summary: dict, repeat: int) -> None:
    print(f"median of {repeat} interleaved runs, ms\n")
    print("| file | pages | extract_text | vanban parse | parse / extract_text | pdfium read | pdfplumber read "
          "| pdfium / pdfplumber |\n|---|--:|--:|--:|--:|--:|--:|--:|")
    for r in rows:
        print(f"| {r['file']} | {r['pages']} | {r['extract_text'] * 1e3:.0f} | {r['vanban_parse'] * 1e3:.0f} "
              f"| {r['parse_ratio']:.2f} | {r['read_pdfium'] * 1e3:.0f} | {r['read_pdfplumber'] * 1e3:.0f} "
              f"| {r['reader_ratio']:.2f} |")
    s = summary
    print(f"\nparse / extract_text: median {s['median_parse_ratio']:.2f}, all files together "
          f"{s['overall_parse_ratio']:.2f} (target <= {TARGET_RATIO})")
    print(f"pdfium reader / pdfplumber reader: median {s['median_reader_ratio']:.2f}, all files together "
          f"{s['overall_reader_ratio']:.2f}")
    print(f"peak RSS: {s['peak_rss_mb']:.0f} MB (target <= {TARGET_RSS_MB:.0f})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="*", type=Path, help="PDF files with a text layer (default: samples/*.pdf)")
    ap.add_argument("--repeat", type=int, default=7, help="timed runs per candidate (default 7)")
    ap.add_argument("--json", type=Path, metavar="OUT", help="also write the results as JSON")
    args = ap.parse_args()
    args.repeat = max(args.repeat, 1)
    rows, failures = [], []
    for path in args.pdfs or sorted((ROOT / "samples").glob("*.pdf")):
        try:
            rows.append(measure(path, args.repeat))
        except Exception as exc:
            failures.append(f"{path}: {exc}")
    if rows:
        summary = summarize(rows)
        print_report(rows, summary, args.repeat)
        if args.json:
            args.json.write_text(json.dumps({"repeat": args.repeat, "rows": rows, **summary}, indent=1))
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
