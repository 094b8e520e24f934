"""What every indexing run shares: finding and hashing files, progress on stderr, the final report."""
from __future__ import annotations

import hashlib
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

SUFFIXES = (".pdf", ".docx")
MEDIA_TYPES = {".pdf": "application/pdf",
               ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@dataclass(frozen=True, slots=True)
class IndexOptions:
    workers: int = 1
    ocr: str = "auto"
    max_pages: int = 300
    timeout_s: float = 300.0
    memory_mb: int = 4096
    keep_files: bool = False
    again: bool = False  # parse files already kept again (a newer parser); people's corrections stay on top


@dataclass(slots=True)
class Failure:
    path: str
    code: str
    message: str


@dataclass(slots=True)
class Report:
    backend: str
    workers: int
    files: int = 0
    indexed: int = 0      # new in the archive from this run's files
    already: int = 0      # in the archive before (same content hash)
    duplicates: int = 0   # the same content twice among this run's files
    parsed_here: int = 0  # parsed by this process (with a job queue, other indexers parse the rest)
    failed: list[Failure] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.parsed_here / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict:
        return {"backend": self.backend, "workers": self.workers, "files": self.files, "indexed": self.indexed,
                "already_in_archive": self.already, "duplicates": self.duplicates, "parsed_here": self.parsed_here,
                "failed": len(self.failed), "seconds": round(self.seconds, 2), "docs_per_second": round(self.rate, 2),
                "failures": [{"path": f.path, "code": f.code, "message": f.message} for f in self.failed],
                "missing": self.missing}

    def lines(self) -> list[str]:
        out = [f"Xong / done in {_duration(self.seconds)}: {self.files} files — {self.indexed} indexed, "
               f"{self.already} already in the archive, {self.duplicates} duplicates, {len(self.failed)} failed "
               f"({self.backend}, {self.workers} workers, {self.parsed_here} parsed here, {self.rate:.1f} docs/s)"]
        for raw in self.missing:
            out.append(f"  {raw}: Không tìm thấy tệp hoặc thư mục / no such file or folder")
        if self.failed:
            out.append("Lỗi / failed:")
            out.extend(f"  {f.path}: [{f.code}] {f.message}" for f in self.failed)
        return out


def discover(paths: list[str]) -> tuple[list[Path], list[str]]:
    """PDF and DOCX files under the given files and folders (sorted, absolute), and the paths that do not exist."""
    files: list[Path] = []
    missing: list[str] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw).expanduser()
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
        elif p.is_file():
            found = [p]
        else:
            missing.append(raw)
            continue
        for f in found:
            f = f.resolve()
            if f not in seen:
                seen.add(f)
                files.append(f)
    return files, missing


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def hash_new(paths: list[Path], seen: set[str], report: Report) -> tuple[list[tuple[Path, str]], int]:
    """The files of a chunk not met before in this run, with their SHA-256, and how many were settled on the
    way: an unreadable file goes in the report as failed, a repeat (same content) as a duplicate."""
    fresh: list[tuple[Path, str]] = []
    settled = 0
    for path in paths:
        try:
            sha = sha256_file(path)
        except OSError as exc:
            report.failed.append(Failure(str(path), "bad_input",
                                         f"Không đọc được tệp / cannot read the file ({exc.strerror or exc})"))
            settled += 1
            continue
        if sha in seen:
            report.duplicates += 1
            settled += 1
            continue
        seen.add(sha)
        fresh.append((path, sha))
    return fresh, settled


def media_type(path: Path) -> str:
    return MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")


def _duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


class Progress:
    """`[ 1200/5000]  24.0%  38.2 docs/s  ETA 1m39s  new 1180 · already 15 · failed 5` on stderr:
    redrawn in place on a terminal, a line every few seconds otherwise."""

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool = True):
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0
        self.tty = self.stream.isatty() if hasattr(self.stream, "isatty") else False
        self.started = time.monotonic()
        self._last = 0.0
        self._shown = -1
        self._width = 0
        self._every = 0.2 if self.tty else float(os.environ.get("VANBAN_PROGRESS_EVERY", "5"))

    def update(self, done: int, counts: str = "", force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done == self._shown and not self.tty:
            return
        if not force and now - self._last < self._every and done < self.total:
            return
        self._last, self._shown = now, done
        elapsed = now - self.started
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = (self.total - done) / rate if rate > 0 else None
        width = len(str(self.total))
        line = (f"[{done:>{width}}/{self.total}] {100.0 * done / self.total:5.1f}%  {rate:6.1f} docs/s  "
                f"ETA {_duration(eta) if eta is not None else '?'}  {counts}").rstrip()
        if self.tty:
            pad = max(0, self._width - len(line))
            self.stream.write("\r" + line + " " * pad)
            self._width = len(line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled and self.tty and self._width:
            self.stream.write("\n")
            self.stream.flush()
