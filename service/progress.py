"""How far one parse has got, from the worker process to the pages: pages read by OCR so far, and an ETA.

The worker writes a small JSON file (atomically) as each page's OCR ends; `GET /api/v1/jobs/{id}` reads it.
The parser is not changed: its two OCR entry points are wrapped, in the worker process only, so that every
page recognised is counted.
"""
from __future__ import annotations

import json
import os
import re
import threading
import time
from pathlib import Path

JOB_ID = re.compile(r"^[0-9a-f]{32}$")
_lock = threading.Lock()
_state: dict = {"path": None}
_installed = False


def _write() -> None:
    path = _state.get("path")
    if not path:
        return
    body = {k: v for k, v in _state.items() if k != "path"}
    body["updated"] = time.time()
    tmp = f"{path}.{os.getpid()}.part"
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(body, fh)
        os.replace(tmp, path)
    except OSError:
        pass  # progress is a courtesy: never the reason a parse fails


def _install() -> None:
    global _installed
    if _installed:
        return
    try:
        from parser.read import ocr

        pages, recognize = ocr.ocr_pages, ocr.recognize
    except (ImportError, AttributeError):  # the parser changed shape: no page counts, the parse goes on
        _installed = True
        return

    def counted_pages(path, jobs, settings=None):
        with _lock:
            _state.update(stage="ocr", pages_total=len(jobs), pages_done=0, ocr_started=time.time())
            _write()
        return pages(path, jobs, settings)

    def counted_recognize(*args, **kwargs):
        try:
            return recognize(*args, **kwargs)
        finally:
            with _lock:
                _state["pages_done"] = _state.get("pages_done", 0) + 1
                _write()

    ocr.ocr_pages, ocr.recognize = counted_pages, counted_recognize
    _installed = True


def begin(path: str | None) -> None:
    """In the worker, before a parse: report into `path` (None: no report)."""
    with _lock:
        _state.clear()
        _state.update(path=path, stage="reading", pages_total=0, pages_done=0, started=time.time())
        if path:
            _install()
            _write()


def end() -> None:
    with _lock:
        if _state.get("path"):
            _state["stage"] = "done"
            _write()
        _state.clear()
        _state["path"] = None


def status(path: Path) -> dict | None:
    """{"stage", "pages_done", "pages_total", "elapsed_s", "eta_s"} of a job, None when there is none."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    done, total = int(body.get("pages_done") or 0), int(body.get("pages_total") or 0)
    eta = None
    if body.get("stage") == "ocr" and done and total:
        per_page = (body["updated"] - body["ocr_started"]) / done
        eta = round(max(0.0, per_page * (total - done) - (time.time() - body["updated"])), 1)
    return {"stage": body.get("stage"), "pages_done": done, "pages_total": total,
            "elapsed_s": round(time.time() - body.get("started", time.time()), 1), "eta_s": eta}
