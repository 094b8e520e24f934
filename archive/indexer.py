"""Batch indexing on one machine: a pool of parser processes, the store written from this process.

Each document is one transaction (its JSON, catalog row, search index rows, movements), so a run killed
at any moment leaves whole documents only, and re-running skips them by content hash. A file that fails
(unreadable, encrypted, too slow, a crashed worker) is recorded with its reason and never stops the batch.
"""
from __future__ import annotations

import concurrent.futures as cf
import getpass
import os
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from archive.batch import Failure, IndexOptions, Progress, Report, hash_new, media_type
from archive.store import Store
from service.workers import ParseJob, _init_worker, run_job

HASH_BATCH = 256


def failure_of(exc: BaseException, timeout_s: float) -> tuple[str, str]:
    if isinstance(exc, cf.TimeoutError):
        return "timeout", (f"Đọc tài liệu quá {timeout_s:g} giây nên đã dừng / "
                           f"parsing took longer than {timeout_s:g} s and was stopped")
    if isinstance(exc, ProcessExpired):
        return "too_demanding", ("Tài liệu cần quá nhiều tài nguyên để đọc / reading this document needed more "
                                 f"memory or time than allowed (worker exit code {exc.exitcode})")
    return "internal_error", f"Lỗi nội bộ / internal error ({type(exc).__name__}: {exc})"


def indexer_actor() -> str:
    """Who indexes, for the audit log: the machine's user running `vanban index`."""
    try:
        return f"index:{getpass.getuser()}"
    except (KeyError, OSError):  # no name for this uid (a container)
        return f"index:uid {os.getuid()}"


def store_parsed(store: Store, path: Path, sha: str, data: str, keep_files: bool) -> bool:
    content = path.read_bytes() if keep_files else None
    created = store.add(sha, path.name, media_type(path), data, content=content, source_path=str(path))
    if created:
        store.audit(indexer_actor(), "document.index", sha, {"filename": path.name})
    return created


def index_local(store: Store, files: list[Path], options: IndexOptions, report: Report,
                progress: Progress | None = None) -> Report:
    progress = progress or Progress(len(files), enabled=False)
    seen: set[str] = set()
    done = 0

    def tick(force: bool = False) -> None:
        progress.update(done, f"new {report.indexed} · already {report.already} · failed {len(report.failed)}", force)

    def fail(path: Path, sha: str | None, code: str, message: str) -> None:
        report.failed.append(Failure(str(path), code, message))
        if sha:
            store.record_failure(sha, str(path), code, message)

    pool = ProcessPool(max_workers=options.workers, initializer=_init_worker, initargs=(options.memory_mb,))
    running: dict[cf.Future, tuple[Path, str]] = {}
    try:
        for start in range(0, len(files), HASH_BATCH):
            batch, settled = hash_new(files[start:start + HASH_BATCH], seen, report)
            done += settled
            present = set() if options.again else store.has_many([sha for _, sha in batch])
            for path, sha in batch:
                if sha in present:
                    report.already += 1
                    done += 1
                    continue
                while len(running) >= 2 * options.workers:
                    done += _collect(store, running, options, report, fail, block=True)
                    tick()
                job = ParseJob(str(path), path.name, options.ocr, options.max_pages)
                running[pool.schedule(run_job, args=(job,), timeout=options.timeout_s)] = (path, sha)
            tick()
        while running:
            done += _collect(store, running, options, report, fail, block=True)
            tick()
    finally:
        pool.stop()
        pool.join(timeout=10)
    tick(force=True)
    progress.finish()
    return report


def _collect(store: Store, running: dict, options: IndexOptions, report: Report, fail, block: bool) -> int:
    finished, _ = cf.wait(list(running), timeout=None if block else 0, return_when=cf.FIRST_COMPLETED)
    for future in finished:
        path, sha = running.pop(future)
        report.parsed_here += 1
        try:
            status, first, second = future.result()
        except BaseException as exc:  # timeout, a worker that died, anything: this file fails, the batch goes on
            fail(path, sha, *failure_of(exc, options.timeout_s))
            continue
        if status != "ok":
            fail(path, sha, first, second)
            continue
        try:
            if store_parsed(store, path, sha, first, options.keep_files):
                report.indexed += 1
            elif options.again and store.reparse(sha, first, actor="index --again"):
                report.indexed += 1
            else:
                report.already += 1  # another indexer stored it meanwhile
        except OSError as exc:
            fail(path, sha, "bad_input", f"Không đọc được tệp / cannot read the file ({exc.strerror or exc})")
        except (ValueError, KeyError, TypeError) as exc:  # a parse result the index cannot take: this file only
            fail(path, sha, "internal_error", f"Không lưu được vào kho / could not index ({type(exc).__name__}: {exc})")
    return len(finished)
