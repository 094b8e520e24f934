"""Throughput and latency of POST /api/v1/parse against the CLI's own parsing, and memory over a soak.

    python bench/bench_service.py [--workers 2] [--requests 60] [--soak 2000]

Starts `vanban serve` on loopback (a fresh archive), drives it with 1, 2 and 8 concurrent
clients posting the text-layer samples, then parses the same files with a pool of the same
number of processes calling the parser directly (the CLI's work, no HTTP) in the same run.
The soak samples the resident memory of the server and its workers as requests go by.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.pdf"))


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants."""
    out = subprocess.run(["ps", "-eo", "pid=,ppid=,rss="], capture_output=True, text=True).stdout.split("\n")
    rows = [tuple(int(x) for x in line.split()) for line in out if line.strip()]
    family, total, grew = {pid}, 0, True
    while grew:
        grew = False
        for p, pp, _ in rows:
            if pp in family and p not in family:
                family.add(p)
                grew = True
    total = sum(rss for p, _, rss in rows if p in family)
    return total / 1024


def start_server(workers: int, db: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "VANBAN_QUEUE": "64"}
    proc = subprocess.Popen(["vanban", "serve", "--port", str(port), "--db", str(db), "--workers", str(workers),
                             "--log-level", "warning"], env=env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("vanban serve did not start")


def load(base: str, clients: int, total: int, files: list[Path], on_done=None) -> dict:
    payloads = [(f.name, f.read_bytes()) for f in files]
    latencies: list[float] = []
    errors: list[int] = []
    counter = iter(range(total))
    lock = threading.Lock()

    def client():
        with httpx.Client(timeout=120) as http:
            while True:
                with lock:
                    k = next(counter, None)
                if k is None:
                    return
                name, data = payloads[k % len(payloads)]
                t0 = time.perf_counter()
                r = http.post(f"{base}/api/v1/parse", params={"ocr": "never"}, files={"file": (name, data)})
                dt = time.perf_counter() - t0
                with lock:
                    latencies.append(dt)
                    if r.status_code != 200:
                        errors.append(r.status_code)
                    if on_done:
                        on_done(len(latencies))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    q = statistics.quantiles(latencies, n=20)
    return {"clients": clients, "requests": total, "throughput": total / wall, "p50": statistics.median(latencies),
            "p95": q[18], "errors": len(errors)}


def _warm() -> None:
    from parser.nlp import pipeline

    pipeline()


def _parse_one(path: str) -> int:
    from parser import ParseOptions, parse

    return len(parse(path, ParseOptions(ocr="never")).model_dump_json())


def cli_baseline(workers: int, total: int, files: list[Path]) -> float:
    """Documents per second when the same number of processes parse the same files without HTTP."""
    jobs = [str(files[k % len(files)]) for k in range(total)]
    with multiprocessing.get_context("fork").Pool(workers, initializer=_warm) as pool:
        pool.map(_parse_one, [str(f) for f in files] * workers)  # warm-up
        t0 = time.perf_counter()
        pool.map(_parse_one, jobs, chunksize=1)
        return total / (time.perf_counter() - t0)


def cli_command(workers: int, total: int, files: list[Path], out: Path) -> float:
    """Documents per second of `workers` real `vanban parse` commands sharing the same list (start-up included)."""
    jobs = [str(files[k % len(files)]) for k in range(total)]
    t0 = time.perf_counter()
    procs = [subprocess.Popen(["vanban", "parse", *jobs[i::workers], "--out", str(out / str(i)), "--ocr", "never"],
                              stderr=subprocess.DEVNULL) for i in range(workers)]
    if any(p.wait() != 0 for p in procs):
        raise SystemExit("vanban parse failed in the baseline")
    return total / (time.perf_counter() - t0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--requests", type=int, default=60, help="requests per concurrency level")
    ap.add_argument("--soak", type=int, default=2000, help="requests in the memory soak (0: skip)")
    ap.add_argument("--json", help="write the results here too")
    args = ap.parse_args()
    results: dict = {"workers": args.workers, "files": [f.name for f in SAMPLES]}
    with tempfile.TemporaryDirectory() as tmp:
        proc, base = start_server(args.workers, Path(tmp) / "archive.db")
        try:
            load(base, args.workers, len(SAMPLES) * 2, SAMPLES)  # warm-up
            results["levels"] = [load(base, c, args.requests, SAMPLES) for c in (1, 2, 8)]
            results["cli_docs_per_s"] = cli_baseline(args.workers, args.requests, SAMPLES)
            results["cli_command_docs_per_s"] = cli_command(args.workers, args.requests, SAMPLES, Path(tmp))
            if args.soak:
                samples: list[tuple[int, float]] = [(0, tree_rss_mb(proc.pid))]
                step = max(1, args.soak // 10)
                soak = load(base, 4, args.soak, SAMPLES,
                            on_done=lambda n: samples.append((n, tree_rss_mb(proc.pid))) if n % step == 0 else None)
                results["soak"] = {**soak, "rss_mb": samples}
        finally:
            proc.terminate()
            proc.wait(timeout=30)

    print(f"files: {', '.join(results['files'])}; {args.workers} workers\n")
    print("| clients | requests | docs/s | p50 ms | p95 ms | errors |\n|---|---|---|---|---|---|")
    for r in results["levels"]:
        print(f"| {r['clients']} | {r['requests']} | {r['throughput']:.2f} | {r['p50'] * 1000:.0f} | "
              f"{r['p95'] * 1000:.0f} | {r['errors']} |")
    best = max(r["throughput"] for r in results["levels"])
    warm, command = results["cli_docs_per_s"], results["cli_command_docs_per_s"]
    print(f"\nparser in {args.workers} warm processes, no HTTP: {warm:.2f} docs/s; service best / that = {best / warm:.2f}")
    print(f"{args.workers} `vanban parse` commands (start-up included): {command:.2f} docs/s; "
          f"service best / that = {best / command:.2f}")
    if "soak" in results:
        s = results["soak"]
        series = ", ".join(f"{n}:{mb:.0f}" for n, mb in s["rss_mb"])
        print(f"soak: {s['requests']} requests, {s['errors']} errors, {s['throughput']:.2f} docs/s; "
              f"server+workers RSS MB after n requests: {series}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
