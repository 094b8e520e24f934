"""A running upload's progress, for the pages: `GET /api/v1/jobs/{id}` (pages read by OCR, an ETA) and
`DELETE /api/v1/jobs/{id}` (cancel: the worker reading it is ended). The job id is chosen by the page
(`POST /api/v1/documents?job=ID`, 32 hex digits)."""
from __future__ import annotations

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool

from service import progress
from service.documents_api import RESPONSES
from service.errors import ApiError

router = APIRouter(prefix="/api/v1", tags=["documents"])
JOB = Path(pattern=r"^[0-9a-f]{32}$", description="the id the page gave the upload (?job=...)")
NOT_FOUND = "Không có việc đọc tài liệu với mã này / no such job"


@router.get("/jobs/{job_id}", summary="how far reading an upload has got: pages read by OCR, seconds left",
            responses=RESPONSES)
async def job_status(request: Request, job_id: str = JOB):
    found = await run_in_threadpool(progress.status, request.app.state.jobs_dir / f"{job_id}.json")
    if found is None:
        raise ApiError(404, "not_found", NOT_FOUND)
    return {"id": job_id, **found}


@router.delete("/jobs/{job_id}", summary="cancel reading an upload (editor)", responses=RESPONSES)
async def cancel_job(request: Request, job_id: str = JOB):
    if not request.app.state.pool.cancel(job_id):
        raise ApiError(404, "not_found", NOT_FOUND)
    return {"id": job_id, "cancelled": True}
