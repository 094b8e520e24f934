"""Render the variants, parse them with `vanban parse`, score per phenomenon, write REPORT.md.

    python bench/variants/run.py [--count N] [--scans [N]] [--out DIR] [--seed S] [-v]
"""
from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.variants import build, parse, report, scoring  # noqa: E402

TEXT_MIN, SCAN_MIN = 0.97, 0.92


def generate(variants, out: Path) -> tuple[list[Path], Path]:
    docs, gold = out / "docs", out / "gold"
    for d in (docs, gold, out / "pred"):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
    files = []
    for v in variants:
        files.append(build.render_one(v, docs))
        build.write_gold(v, gold)
    return files, gold


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=300, help="text-layer variants (default 300)")
    ap.add_argument("--scans", type=int, nargs="?", const=12, default=0, help="scan variants (default 12 with the flag)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "variants")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--no-libreoffice", action="store_true", help="reportlab only (no LibreOffice subset)")
    ap.add_argument("--workers", type=int, default=None, help="parser processes (default: cores)")
    ap.add_argument("--report", type=Path, default=Path(__file__).resolve().parent / "REPORT.md",
                    help="markdown report (default bench/variants/REPORT.md); '-' for none")
    ap.add_argument("--rescore", action="store_true",
                    help="score the predictions already in --out (same --count/--scans/--seed) without rendering or parsing")
    ap.add_argument("-v", "--verbose", action="store_true", help="per-field scores within each phenomenon")
    a = ap.parse_args(argv)
    t0 = time.monotonic()
    vs = build.variants(a.count, a.seed, a.scans, libreoffice=not a.no_libreoffice)
    if a.rescore:
        t1 = t2 = time.monotonic()
        batch = parse.Batch([], "", False)
    else:
        files, _ = generate(vs, a.out)
        t1 = time.monotonic()
        batch = parse.parse_files(files, a.out / "pred", workers=a.workers)
        t2 = time.monotonic()
    result = scoring.score(vs, a.out / "pred")
    print(report.text_report(result, vs, a.verbose, TEXT_MIN, SCAN_MIN))
    elapsed = {} if a.rescore else {"render": t1 - t0, "parse": t2 - t1}
    print("\n" + "".join(f"{k} {v:.1f} s, " for k, v in elapsed.items()) + f"{len(vs)} documents in {a.out}")
    if "Traceback" in batch.stderr or any(c == 10 for c in batch.returncodes):
        print("parser reported internal errors; see stderr below\n" + batch.stderr[-3000:], file=sys.stderr)
    if str(a.report) != "-":
        cmd = "python bench/variants/run.py " + " ".join(x for x in (argv if argv is not None else sys.argv[1:])
                                                         if x != "--rescore")
        previous = a.report.read_text(encoding="utf-8") if a.report.exists() else ""
        a.report.write_text(report.markdown(result, vs, cmd.strip(), TEXT_MIN, SCAN_MIN, elapsed, previous),
                            encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
