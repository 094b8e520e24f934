"""A consumption folder: `vanban watch DIR` indexes the PDF/DOCX files that appear in DIR.

A file is taken once its size and modification time have stayed the same for `stable_s` seconds (a copy in
progress is left alone). After indexing it is moved to DIR/done/ (a copy of it is kept in the archive); a file that fails goes to DIR/failed/ with NAME.error.txt saying why, and the
failure is recorded in the archive too: nothing is lost, nothing is retried in a loop. Plain stat polling,
no inotify: it works the same on network shares.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from archive.batch import IndexOptions, Report
from archive.store import Store

KINDS = (".pdf", ".docx")
DONE, FAILED = "done", "failed"


@dataclass(slots=True)
class Seen:
    size: int
    mtime: float
    since: float  # when this size and time were first seen


@dataclass(slots=True)
class Watcher:
    folder: Path
    stable_s: float = 2.0
    seen: dict[Path, Seen] = field(default_factory=dict)
    ignored: set[Path] = field(default_factory=set)  # handled but could not be moved away: not taken again

    def ready(self, now: float | None = None) -> list[Path]:
        """Files whose size and time have not changed for `stable_s` seconds (oldest first)."""
        now = time.monotonic() if now is None else now
        present: set[Path] = set()
        out: list[tuple[float, Path]] = []
        for entry in os.scandir(self.folder):
            if not entry.is_file(follow_symlinks=False) or entry.name.startswith("."):
                continue
            if not entry.name.lower().endswith(KINDS):
                continue
            path = Path(entry.path)
            if path in self.ignored:
                continue
            st = entry.stat(follow_symlinks=False)
            present.add(path)
            old = self.seen.get(path)
            if old is None or old.size != st.st_size or old.mtime != st.st_mtime:
                self.seen[path] = Seen(st.st_size, st.st_mtime, now)
                continue
            if st.st_size > 0 and now - old.since >= self.stable_s:
                out.append((st.st_mtime, path))
        for gone in set(self.seen) - present:
            del self.seen[gone]
        return [p for _, p in sorted(out)]

    def forget(self, path: Path) -> None:
        self.seen.pop(path, None)


def _free_name(folder: Path, name: str) -> Path:
    target = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 1
    while target.exists():
        target = folder / f"{stem} ({n}){suffix}"
        n += 1
    return target


def settle(path: Path, error: tuple[str, str] | None) -> Path:
    """Move a handled file to done/ or failed/ (with its reason beside it); returns where it went."""
    folder = path.parent / (FAILED if error else DONE)
    folder.mkdir(exist_ok=True)
    target = _free_name(folder, path.name)
    os.replace(path, target)
    if error:
        target.with_name(target.name + ".error.txt").write_text(f"{error[0]}: {error[1]}\n", encoding="utf-8")
    return target


def index_ready(store: Store, files: list[Path], options: IndexOptions,
                say: Callable[[str], None]) -> list[tuple[Path, Path, tuple[str, str] | None]]:
    """Index these files (kept in the archive: they leave the folder), move each to done/ or failed/."""
    from archive.indexer import index_local

    report = Report(backend=store.backend, workers=options.workers, files=len(files))
    index_local(store, files, replace(options, keep_files=True), report)
    failed = {Path(f.path): (f.code, f.message) for f in report.failed}
    out = []
    for path in files:
        error = failed.get(path)
        try:
            target = settle(path, error)
        except OSError as exc:  # cannot move it (permissions): said, and left where it is
            say(f"{path.name}: không chuyển được tệp / cannot move the file ({exc.strerror or exc})")
            continue
        say(f"{path.name}: " + (f"lỗi / failed — {error[1]}" if error else "đã lưu vào kho / indexed")
            + f" → {target.parent.name}/")
        out.append((path, target, error))
    return out


def watch(store: Store, folder: Path, options: IndexOptions, say: Callable[[str], None], interval_s: float = 2.0,
          stable_s: float = 2.0, once: bool = False, should_stop: Callable[[], bool] = lambda: False) -> int:
    """Poll `folder` until stopped (or, `once`, until what is there now has been handled); files handled."""
    watcher = Watcher(folder, stable_s)
    handled = 0
    while not should_stop():
        ready = watcher.ready()
        if ready:
            try:
                moved = {path for path, _, _ in index_ready(store, ready, options, say)}
            except Exception as exc:  # the archive is unreachable, say: said, and the files are tried again later
                say(f"Lỗi kho lưu trữ, sẽ thử lại / archive error, will retry ({type(exc).__name__}: {exc})")
                time.sleep(interval_s)
                continue
            for path in ready:
                watcher.forget(path)
                if path not in moved:
                    watcher.ignored.add(path)
            handled += len(moved)
        elif once and not watcher.seen:
            return handled
        time.sleep(interval_s)
    return handled
