"""OCR cost and quality on the scanned development documents.

    python bench/bench_ocr.py                 # time per page vs the plain `tesseract` command; whole parse vs engine
    python bench/bench_ocr.py --ablation      # micro-F1 with each image/repair step switched off
    python bench/bench_ocr.py --repeat 5 --json out.json

Timing, in one run and on the same page images:
- `ours`: vanban's recognition of one page in-process (tesserocr), and with the image clean-up
  (render, ink removal, deskew) added;
- `cli`: `tesseract page.png - -l vie` on the very image vanban recognised (the plain engine:
  process start, model load, PNG decode, recognition);
- per document: the whole `parse()` (read, OCR on 2 threads, layout, extraction) against the
  CLI given the same 2 threads (two `tesseract` processes at once over the page images, one
  thread each): the target is <= 1.2x.
Medians over --repeat runs. The CLI is Debian's tesseract; tesserocr links its own libtesseract,
so the two engines can differ a little in speed.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
OCR_KINDS = ("scan", "broken-text-layer")


def dev_docs(shared: Path) -> list[dict]:
    with (shared / "corpus" / "index.csv").open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if r["gold"] == "dev" and r["kind"] in OCR_KINDS]


def time_pages(path: Path, repeat: int, tmp: Path) -> list[dict]:
    """Per OCRed page: vanban's times and the CLI's on the same prepared image."""
    import numpy as np
    from PIL import Image

    from parser.read import ocr
    from parser.read.pdf import read_pdf
    from parser.text.ocr_repair import repair_words

    settings = ocr.OcrSettings()
    tessdata = ocr.check_engine()
    source = read_pdf(str(path))
    pdf = ocr._page_images(str(path))
    jobs = ocr.plan(source, "auto", pdf)
    rows = []
    for job in jobs:
        render_s, prep_s, rec_s, cli_s = [], [], [], []
        for _ in range(repeat):
            t0 = time.perf_counter()
            rgb, scale = ocr._render(pdf, job, settings)
            t1 = time.perf_counter()
            page = ocr.prepare(rgb, job, scale, settings)
            t2 = time.perf_counter()
            words, ok = ocr.recognize(page, tessdata, settings)
            if settings.repair:
                repair_words(words)
            t3 = time.perf_counter()
            png = tmp / f"p{job.number}.png"
            Image.fromarray(np.ascontiguousarray(page.gray)).save(png)
            t4 = time.perf_counter()
            subprocess.run(["tesseract", str(png), "-", "-l", "vie"], check=True, capture_output=True)
            t5 = time.perf_counter()
            render_s.append(t1 - t0)
            prep_s.append(t2 - t1)
            rec_s.append(t3 - t2)
            cli_s.append(t5 - t4)
        med = statistics.median
        rows.append({"doc": path.stem, "page": job.number, "px": list(page.gray.shape[::-1]), "words": len(words),
                     "render_s": med(render_s), "prep_s": med(prep_s), "recognize_s": med(rec_s),
                     "ours_s": med(render_s) + med(prep_s) + med(rec_s), "cli_s": med(cli_s)})
    pdf.close()
    return rows


THREADS = 2  # vanban OCRs two pages at once, each engine on one thread


def time_cli_parallel(pngs: list[Path], threads: int, repeat: int) -> float:
    """Wall time of the `tesseract` command over a document's page images, `threads` pages at once
    (OMP_THREAD_LIMIT=1 each): the engine given the same number of threads as vanban."""
    from concurrent.futures import ThreadPoolExecutor

    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    run = lambda png: subprocess.run(["tesseract", str(png), "-", "-l", "vie"], check=True,  # noqa: E731
                                     capture_output=True, env=env)
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(run, pngs))
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def time_parse(path: Path, repeat: int) -> float:
    from parser import parse
    from parser.options import ParseOptions

    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        parse(str(path), ParseOptions())
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def timing(args) -> dict:
    if not shutil.which("tesseract"):
        sys.exit("the tesseract command is needed for the comparison (apt-get install tesseract-ocr tesseract-ocr-vie)")
    docs = dev_docs(args.shared)
    pages, per_doc = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for r in docs:
            path = args.shared / "corpus" / "docs" / r["file"]
            rows = time_pages(path, args.repeat, Path(tmp))
            pages += rows
            parse_s = time_parse(path, args.repeat)
            cli_total = sum(x["cli_s"] for x in rows)
            cli_wall = time_cli_parallel([Path(tmp) / f"p{x['page']}.png" for x in rows], THREADS, args.repeat)
            per_doc.append({"doc": r["id"], "pages": len(rows), "parse_s": parse_s, "cli_sum_s": cli_total,
                            "cli_parallel_s": cli_wall, "ratio": parse_s / cli_wall if cli_wall else None})
    print(f"{'document':44} {'page':>4} {'render':>7} {'clean':>6} {'recog':>6} {'ours':>6} {'cli':>6} {'ours/cli':>8}")
    for x in pages:
        print(f"{x['doc'][:44]:44} {x['page']:4d} {x['render_s']:7.2f} {x['prep_s']:6.2f} {x['recognize_s']:6.2f} "
              f"{x['ours_s']:6.2f} {x['cli_s']:6.2f} {x['ours_s'] / x['cli_s']:8.2f}")
    med = statistics.median
    print(f"\nmedian per page: ours {med(x['ours_s'] for x in pages):.2f} s (recognition alone "
          f"{med(x['recognize_s'] for x in pages):.2f} s), tesseract CLI {med(x['cli_s'] for x in pages):.2f} s, "
          f"ratio {med(x['ours_s'] / x['cli_s'] for x in pages):.2f}")
    print(f"\n{'document':44} {'pages':>5} {'parse':>7} {'cli x2':>7} {'ratio':>6}   (cli x2: the tesseract command, "
          f"{THREADS} pages at once, one thread each, as vanban)")
    for d in per_doc:
        print(f"{d['doc'][:44]:44} {d['pages']:5d} {d['parse_s']:7.2f} {d['cli_parallel_s']:7.2f} {d['ratio']:6.2f}")
    total_parse = sum(d["parse_s"] for d in per_doc)
    total_cli = sum(d["cli_parallel_s"] for d in per_doc)
    print(f"all: whole parse {total_parse:.2f} s vs the engine on the same {THREADS} threads {total_cli:.2f} s: ratio "
          f"{total_parse / total_cli:.2f} (target <= 1.2); median document ratio {med(d['ratio'] for d in per_doc):.2f}")
    return {"pages": pages, "documents": per_doc, "ratio": total_parse / total_cli}


ABLATIONS = {
    "all steps": {},
    "no ink removal": {"ink": "none"},
    "red ink only": {"ink": "red"},
    "no deskew": {"deskew": False},
    "fixed 300 dpi": {"dpi": 300},
    "+ Sauvola binarization": {"binarize": 25},
    "no re-reading of weak lines": {"reread": False},
    "no post-OCR repair": {"repair": False},
}


def ablation(args) -> dict:
    """micro-F1 of the scanned dev documents with each step off (the scorer from shared/)."""
    from parser import parse
    from parser.options import ParseOptions
    from parser.read import ocr

    docs = dev_docs(args.shared)
    out = {}
    for name, change in ABLATIONS.items():
        with tempfile.TemporaryDirectory() as tmp:
            gold, pred = Path(tmp, "gold"), Path(tmp, "pred")
            gold.mkdir()
            pred.mkdir()
            original = ocr.OcrSettings.__init__

            def patched(self, *a, _change=change, _original=original, **kw):
                _original(self, *a, **{**_change, **kw})

            ocr.OcrSettings.__init__ = patched
            try:
                t0 = time.perf_counter()
                for r in docs:
                    shutil.copy(args.shared / "corpus" / "gold" / f"{r['id']}.gold.json", gold)
                    doc = parse(str(args.shared / "corpus" / "docs" / r["file"]), ParseOptions())
                    (pred / f"{r['id']}.json").write_text(doc.model_dump_json(), encoding="utf-8")
                elapsed = time.perf_counter() - t0
            finally:
                ocr.OcrSettings.__init__ = original
            report = Path(tmp, "report.json")
            subprocess.run([sys.executable, str(args.shared / "eval" / "score.py"), str(gold), str(pred),
                            "--json", str(report)], check=True, capture_output=True)
            f1 = json.loads(report.read_text())["micro_f1"]
        out[name] = {"micro_f1": f1, "seconds": elapsed}
        print(f"{name:32} micro-F1 {f1:.4f}   ({elapsed:.1f} s)", flush=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--ablation", action="store_true", help="score with each step switched off instead of timing")
    ap.add_argument("--json", type=Path, help="write the numbers here")
    args = ap.parse_args()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one thread per engine, as vanban runs it (2 pages at once)
    result = ablation(args) if args.ablation else timing(args)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
