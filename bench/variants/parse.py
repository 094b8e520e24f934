"""Parse many files with `vanban parse`: a few long-lived processes, each given a chunk of files."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Batch:
    returncodes: list[int]
    stderr: str
    timed_out: bool


def vanban_command() -> list[str]:
    exe = Path(sys.executable).with_name("vanban")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("vanban")
    return [found] if found else [sys.executable, "-m", "service.cli"]


def parse_files(files: list[Path], out: Path, ocr: str = "auto", workers: int | None = None,
                timeout: float | None = None) -> Batch:
    workers = max(1, min(workers or os.cpu_count() or 1, len(files) or 1))
    chunks = [files[k::workers] for k in range(workers)]
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    procs = [subprocess.Popen([*vanban_command(), "parse", *map(str, chunk), "--out", str(out), "--ocr", ocr],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
             for chunk in chunks if chunk]
    codes, errs, timed_out = [], [], False
    for p in procs:
        try:
            _, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            _, err = p.communicate()
            timed_out = True
        codes.append(p.returncode)
        errs.append(err or "")
    return Batch(codes, "".join(errs), timed_out)
