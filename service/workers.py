"""Parsing in a pool of worker processes: a time limit and a memory cap per document, a bounded queue.

A document that hangs or eats memory costs only its worker (pebble terminates and
replaces it); the service process never runs the parser itself.
"""
from __future__ import annotations

import asyncio
import faulthandler
import logging
import resource
import threading
from concurrent.futures import CancelledError as FutureCancelled
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from pebble import ProcessExpired, ProcessPool

from service.errors import DEFAULT_PARSE_ERROR_STATUS, STATUS_OF_CODE, ApiError

log = logging.getLogger("vanban.service")


@dataclass(frozen=True, slots=True)
class ParseJob:
    path: str  # a temporary file the service wrote; never a user-given name
    display_name: str
    ocr: str
    max_pages: int
    progress: str | None = None  # a file the worker reports its pages into (service/progress.py)


def _init_worker(memory_mb: int) -> None:
    # a worker killed by its memory cap is reported by the pool; no crash dump from an inherited faulthandler
    faulthandler.disable()
    if memory_mb > 0:
        cap = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    # load the language tools once per worker, not within the first request's time limit
    from parser.nlp import warm_up

    warm_up()


def _started() -> None:
    pass


def run_job(job: ParseJob) -> tuple[str, str, str]:
    """In a worker: ("ok", json, "") or ("error", code, message). Exceptions never cross the process boundary."""
    from parser import ParseOptions, parse
    from parser.errors import VanbanError
    from service import progress

    progress.begin(job.progress)
    try:
        doc = parse(job.path, ParseOptions(ocr=job.ocr, max_pages=job.max_pages))
    except VanbanError as exc:
        return "error", exc.code, exc.message
    except MemoryError:
        return "error", "too_demanding", ("Tài liệu cần quá nhiều bộ nhớ để đọc / "
                                          "reading this document needs more memory than allowed")
    except Exception as exc:  # a parser bug on this input: the caller gets a clear 4xx, the log the details
        logging.getLogger("vanban.worker").exception("parse failed for %s", job.display_name)
        return "error", "unreadable", (f"Không đọc được tài liệu này / this document could not be read "
                                       f"({type(exc).__name__})")
    finally:
        progress.end()
    doc.source.file = job.display_name
    return "ok", doc.model_dump_json(), ""


class ParsePool:
    def __init__(self, workers: int, queue_size: int, timeout_s: float, memory_mb: int, max_pages: int = 300):
        self.workers = workers
        self.max_pages = max_pages
        self.capacity = workers + queue_size
        self.timeout_s = timeout_s
        self._pool = ProcessPool(max_workers=workers, initializer=_init_worker, initargs=(memory_mb,))
        self._pool.schedule(_started)  # the pool starts its workers (and their language pipelines) now, not on a request
        self._lock = threading.Lock()
        self._in_flight = 0
        self._jobs: dict[str, object] = {}  # job id -> the running future (cancel() ends its worker)
        self._cancelled: set[str] = set()

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def _admit(self) -> None:
        with self._lock:
            if self._in_flight >= self.capacity:
                raise ApiError(503, "busy", "Dịch vụ đang bận, hãy thử lại sau ít giây / the service is busy, retry shortly",
                               {"Retry-After": str(max(1, round(self.timeout_s / 10)))})
            self._in_flight += 1

    def _release(self) -> None:
        with self._lock:
            self._in_flight -= 1

    async def run(self, fn, *args, label: str = "", job_id: str | None = None):
        """Run `fn(*args)` in a worker; it returns ("ok", payload, "") or ("error", code, message)."""
        self._admit()
        try:
            future = self._pool.schedule(fn, args=args, timeout=self.timeout_s)
            if job_id:
                self._jobs[job_id] = future
            try:
                status, first, second = await asyncio.wrap_future(future)
            except (asyncio.CancelledError, FutureCancelled):
                if job_id and job_id in self._cancelled:  # a person's cancel, not the request going away
                    self._cancelled.discard(job_id)
                    raise ApiError(409, "cancelled", "Đã hủy đọc tài liệu / reading the document was cancelled") from None
                raise
            except FutureTimeout:
                raise ApiError(504, "timeout", f"Đọc tài liệu quá {self.timeout_s:g} giây nên đã dừng / "
                                               f"parsing took longer than {self.timeout_s:g} s and was stopped") from None
            except ProcessExpired as exc:
                log.warning("worker died on %s (exit code %s)", label, exc.exitcode)
                raise ApiError(422, "too_demanding", "Tài liệu cần quá nhiều tài nguyên để đọc / reading this document "
                                                     "needed more memory or time than allowed") from None
        finally:
            if job_id:
                self._jobs.pop(job_id, None)
            self._release()
        if status == "ok":
            return first
        raise ApiError(STATUS_OF_CODE.get(first, DEFAULT_PARSE_ERROR_STATUS), first, second)

    async def parse(self, path: str, display_name: str, ocr: str, progress: str | None = None,
                    job_id: str | None = None) -> str:
        """The parsed document's JSON, or an ApiError saying why not."""
        return await self.run(run_job, ParseJob(path, display_name, ocr, self.max_pages, progress), label=display_name,
                              job_id=job_id)

    def cancel(self, job_id: str) -> bool:
        """Stop a running parse (its worker is ended and replaced); False when there is no such job."""
        future = self._jobs.get(job_id)
        if future is None:
            return False
        self._cancelled.add(job_id)
        if future.cancel():
            return True
        self._cancelled.discard(job_id)
        return False

    def close(self) -> None:
        self._pool.stop()
        self._pool.join(timeout=10)
