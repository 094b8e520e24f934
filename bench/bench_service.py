"""Throughput and latency of POST /api/v1/parse against the parser without HTTP, and memory over a soak.

    apt-get install wrk        # the load generator (C, so it takes little CPU from the server)
    python bench/bench_service.py [--workers 2] [--seconds 15] [--rounds 3] [--soak 2000]

Starts `vanban serve` on loopback (a fresh archive). Each round drives it with wrk at 1, 2
and 8 connections posting the text-layer samples in turn, then parses the same files with
a pool of the same number of processes calling the parser directly (the CLI's own work, no
HTTP), and once with real `vanban parse` commands. Ratios are per round; the medians are
reported. The soak samples the resident memory of the server and its workers.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import socket
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
BOUNDARY = "vanbanbenchboundary"
WRK_SCRIPT = r"""
local bodies = {}
init = function(args)
  for i, path in ipairs(args) do
    local f = assert(io.open(path, "rb")); bodies[i] = f:read("*all"); f:close()
  end
end
local k = 0
request = function()
  k = k % #bodies + 1
  return wrk.format("POST", "/api/v1/parse?ocr=never",
                    {["Content-Type"] = "multipart/form-data; boundary=BOUNDARY"}, bodies[k])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT {\"requests\": %d, \"seconds\": %f, \"p50_ms\": %f, \"p95_ms\": %f, " ..
                         "\"errors\": %d}\n", summary.requests, summary.duration / 1e6,
                         latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
                         summary.errors.status + summary.errors.connect + summary.errors.read +
                         summary.errors.write + summary.errors.timeout))
end
""".replace("BOUNDARY", BOUNDARY)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants."""
    out = subprocess.run(["ps", "-eo", "pid=,ppid=,rss="], capture_output=True, text=True).stdout.splitlines()
    rows = [tuple(int(x) for x in line.split()) for line in out if line.strip()]
    family, grew = {pid}, True
    while grew:
        grew = False
        for p, pp, _ in rows:
            if pp in family and p not in family:
                family.add(p)
                grew = True
    return sum(rss for p, _, rss in rows if p in family) / 1024


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


def multipart_bodies(files: list[Path], directory: Path) -> list[Path]:
    out = []
    for f in files:
        body = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{f.name}\"\r\n"
                f"Content-Type: application/pdf\r\n\r\n").encode() + f.read_bytes() + f"\r\n--{BOUNDARY}--\r\n".encode()
        target = directory / (f.stem + ".body")
        target.write_bytes(body)
        out.append(target)
    return out


def wrk(base: str, connections: int, seconds: float, script: Path, bodies: list[Path]) -> dict:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "60s", "-s", str(script), base, "--",
           *map(str, bodies)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    result = json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[7:])
    result["throughput"] = result["requests"] / result["seconds"]
    return {"connections": connections, **result}


def _warm() -> None:
    from parser.nlp import pipeline

    pipeline()


def _parse_one(path: str) -> int:
    from parser import ParseOptions, parse

    return len(parse(path, ParseOptions(ocr="never")).model_dump_json())


def pool_baseline(workers: int, total: int, files: list[Path]) -> float:
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


def soak(base: str, pid: int, requests: int, script: Path, bodies: list[Path], rate: float) -> dict:
    """About `requests` requests at 4 connections while the memory of the server and its workers is sampled."""
    samples: list[tuple[float, float]] = [(0.0, tree_rss_mb(pid))]
    stop = threading.Event()
    t0 = time.perf_counter()

    def sample():
        while not stop.wait(5):
            samples.append((time.perf_counter() - t0, tree_rss_mb(pid)))

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        result = wrk(base, 4, max(10.0, requests / rate), script, bodies)
    finally:
        stop.set()
        sampler.join()
    samples.append((time.perf_counter() - t0, tree_rss_mb(pid)))
    return {**result, "rss_mb": samples}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=15, help="wrk run per concurrency level")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--soak", type=int, default=2000, help="requests in the memory soak (0: skip)")
    ap.add_argument("--json", help="write the results here too")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    results: dict = {"workers": args.workers, "files": [f.name for f in SAMPLES], "rounds": []}
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp, "post.lua")
        script.write_text(WRK_SCRIPT)
        bodies = multipart_bodies(SAMPLES, Path(tmp))
        proc, base = start_server(args.workers, Path(tmp) / "archive.db")
        try:
            wrk(base, args.workers, 3, script, bodies)  # warm-up
            for _ in range(args.rounds):
                levels = [wrk(base, c, args.seconds, script, bodies) for c in (1, 2, 8)]
                best = max(r["throughput"] for r in levels)
                pool = pool_baseline(args.workers, max(60, round(best * args.seconds)), SAMPLES)
                results["rounds"].append({"levels": levels, "pool_docs_per_s": pool, "ratio": best / pool})
            results["cli_command_docs_per_s"] = cli_command(args.workers, 100, SAMPLES, Path(tmp))
            if args.soak:
                rate = statistics.median(r["levels"][-1]["throughput"] for r in results["rounds"])
                results["soak"] = soak(base, proc.pid, args.soak, script, bodies, rate)
        finally:
            proc.terminate()
            proc.wait(timeout=30)

    print(f"files: {', '.join(results['files'])}; {args.workers} workers; {args.rounds} rounds of {args.seconds:g} s "
          "per level (medians over rounds)\n")
    print("| connections | docs/s | p50 ms | p95 ms | errors |\n|---|---|---|---|---|")
    for k, c in enumerate((1, 2, 8)):
        level = [r["levels"][k] for r in results["rounds"]]
        med = lambda key: statistics.median(x[key] for x in level)  # noqa: E731
        print(f"| {c} | {med('throughput'):.1f} | {med('p50_ms'):.0f} | {med('p95_ms'):.0f} | "
              f"{sum(x['errors'] for x in level)} |")
    ratios = [r["ratio"] for r in results["rounds"]]
    pools = [r["pool_docs_per_s"] for r in results["rounds"]]
    print(f"\nparser in {args.workers} warm processes, no HTTP: median {statistics.median(pools):.1f} docs/s; "
          f"service best / that, per round: {', '.join(f'{x:.2f}' for x in ratios)} (median {statistics.median(ratios):.2f})")
    best = statistics.median(max(x["throughput"] for x in r["levels"]) for r in results["rounds"])
    command = results["cli_command_docs_per_s"]
    print(f"{args.workers} `vanban parse` commands over 100 files (start-up included): {command:.1f} docs/s; "
          f"service / that = {best / command:.2f}")
    if "soak" in results:
        s = results["soak"]
        series = ", ".join(f"{t:.0f}s:{mb:.0f}" for t, mb in s["rss_mb"])
        print(f"soak: {s['requests']} requests, {s['errors']} errors, {s['throughput']:.1f} docs/s; "
              f"server+workers RSS MB over time: {series}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
