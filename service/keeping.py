"""Keeping an uploaded file in the archive: parse it (unless the same bytes are kept), store it, say which
document it joined. Used by one-file uploads, zip uploads and the pages."""
from __future__ import annotations

import json
from pathlib import Path

from fastapi import Request
from fastapi.concurrency import run_in_threadpool

from service.uploads import MEDIA_TYPES, SavedUpload

API = "/api/v1"


async def keep_saved(request: Request, upload: SavedUpload, ocr: str, job_id: str | None = None) -> dict:
    """{"id", "created", "document_id" (the document's shown file), "files" (how many it has), links}. With a
    `job_id`, the worker reports its progress (service/progress.py) and the parse can be cancelled."""
    from service.documents_api import actor

    store = request.app.state.store
    created = False
    if not await run_in_threadpool(store.has, upload.sha256):
        report = str(request.app.state.jobs_dir / f"{job_id}.json") if job_id else None
        try:
            data = await request.app.state.pool.parse(str(upload.path), upload.display_name, ocr, report, job_id)
        finally:
            if report:
                Path(report).unlink(missing_ok=True)
        kind = json.loads(data)["source"]["kind"]
        content = await run_in_threadpool(upload.path.read_bytes)
        created = await run_in_threadpool(store.put, upload.sha256, upload.display_name, MEDIA_TYPES[kind], content, data)
        if created:
            await run_in_threadpool(store.audit, actor(request), "document.upload", upload.sha256,
                                    {"filename": upload.display_name})
    doc_id = upload.sha256
    shown = await run_in_threadpool(store.group_of, doc_id)
    files = await run_in_threadpool(store.files, doc_id)
    return {"id": doc_id, "filename": upload.display_name, "created": created, "document_id": shown,
            "grouped": shown != doc_id or len(files) > 1, "files": len(files),
            "document": f"{API}/documents/{doc_id}", "file": f"{API}/documents/{doc_id}/file", "url": f"/documents/{shown}"}
