"""Changing kept documents over HTTP: corrections (PATCH), their history, the trash, and the audit log.

Who may call these is settled before the handler runs (service/access.py): an editor corrects, deletes and
restores; an admin reads the audit log.
"""
from __future__ import annotations

import json

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from archive.corrections import BadCorrection, check_patch
from service.errors import ApiError, error_body

router = APIRouter(prefix="/api/v1", tags=["documents"])
DOC_ID = Path(pattern=r"^[0-9a-f]{64}$", description="the document id: SHA-256 of the original file")
ERROR = {"application/json": {"example": error_body("not_found", "…")}}
NOT_FOUND = "Không có tài liệu với mã này / no document has this id"
RESPONSES = {401: {"description": "a login or token is required", "content": ERROR},
             403: {"description": "the role does not allow it, or a write from another site", "content": ERROR},
             404: {"description": "no such document", "content": ERROR}}
PATCH_EXAMPLE = {"title": "Kế hoạch tổ chức phong trào thi đua năm 2024", "signer": {"name": "Nguyễn Văn A"},
                 "movements": ["Lao động giỏi, Lao động sáng tạo"]}


def actor(request: Request) -> str:
    user = request.scope.get("state", {}).get("user")
    return user.name if user is not None and user.name else "anonymous"


@router.patch("/documents/{doc_id}", summary="correct a kept document (keys of the gold annotations); a new revision",
              responses={**RESPONSES, 422: {"description": "a field that cannot be corrected", "content": ERROR}})
async def correct_document(request: Request, doc_id: str = DOC_ID,
                           body: dict = Body(..., examples=[PATCH_EXAMPLE],
                                             description="title, number, doc_type, issuer, place, issued_date, "
                                                         "signer {name, position, authority}, movements, recipients")):
    from archive.changes import NotFound

    try:
        changes = check_patch(body)
    except BadCorrection as exc:
        raise ApiError(422, "invalid_correction", str(exc)) from None
    try:
        result = await run_in_threadpool(request.app.state.store.correct, doc_id, changes, actor(request))
    except NotFound:
        raise ApiError(404, "not_found", NOT_FOUND) from None
    data = await run_in_threadpool(request.app.state.store.get_json, doc_id)
    return JSONResponse({"id": doc_id, **result, "document": json.loads(data)})


@router.get("/documents/{doc_id}/revisions", summary="a document's history: revision 1 is the parse",
            responses=RESPONSES)
async def document_revisions(request: Request, doc_id: str = DOC_ID):
    found = await run_in_threadpool(request.app.state.store.revisions, doc_id)
    if found is None:
        raise ApiError(404, "not_found", NOT_FOUND)
    return {"id": doc_id, "revisions": found}


@router.delete("/documents/{doc_id}", summary="move a document to the trash (restorable for 30 days)",
               responses=RESPONSES)
async def delete_document(request: Request, doc_id: str = DOC_ID):
    if not await run_in_threadpool(request.app.state.store.delete, doc_id, actor(request)):
        raise ApiError(404, "not_found", NOT_FOUND)
    return {"id": doc_id, "trashed": True, "restore": f"/api/v1/documents/{doc_id}/restore"}


@router.post("/documents/{doc_id}/restore", summary="bring a document back from the trash", responses=RESPONSES)
async def restore_document(request: Request, doc_id: str = DOC_ID):
    if not await run_in_threadpool(request.app.state.store.restore, doc_id, actor(request)):
        raise ApiError(404, "not_found", "Thùng rác không có tài liệu này / the trash holds no document with this id")
    return {"id": doc_id, "restored": True, "document": f"/api/v1/documents/{doc_id}"}


@router.get("/trash", summary="documents in the trash (editors)", responses=RESPONSES)
async def trash(request: Request):
    store = request.app.state.store
    await run_in_threadpool(store.purge)
    return {"results": await run_in_threadpool(store.trash)}


@router.get("/audit", summary="the audit log: every write, newest first (admins)", responses=RESPONSES)
async def audit(request: Request, page: int = Query(1, ge=1, le=10_000), per_page: int = Query(50, ge=1, le=500),
                action: str | None = Query(None, max_length=40, pattern=r"^[a-z.]+$")):
    return await run_in_threadpool(request.app.state.store.audit_log, per_page, (page - 1) * per_page, action)
