"""One document in many files over HTTP: list a document's files, pick the one it shows, split one off; keep a
whole .zip of documents at once.

Writes need an editor once accounts exist, and carry the session's CSRF token from the pages
(service/access.py decides before the handler runs).
"""
from __future__ import annotations

from fastapi import APIRouter, File, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool

from archive.groups import NotGrouped
from service.documents_api import ERROR, RESPONSES, actor
from service.errors import ApiError
from service.keeping import keep_saved
from service.uploads import discard, receive_upload
from service.zips import BadZip, unpack

router = APIRouter(prefix="/api/v1", tags=["documents"])
DOC_ID = Path(pattern=r"^[0-9a-f]{64}$", description="the id of one of the document's files (its SHA-256)")
NOT_FOUND = "Không có tệp với mã này / no file has this id"
ZIP_TOTAL_FACTOR = 8  # a zip may decompress to this many times the upload limit in all


@router.get("/documents/{doc_id}/files", summary="the files of the document this file belongs to (shown one first)",
            responses=RESPONSES)
async def document_files(request: Request, doc_id: str = DOC_ID):
    store = request.app.state.store
    if not await run_in_threadpool(store.has, doc_id):
        raise ApiError(404, "not_found", NOT_FOUND)
    files = await run_in_threadpool(store.files, doc_id)
    return {"document_id": next((f["id"] for f in files if f["shown"]), doc_id), "files": files}


@router.post("/documents/{doc_id}/choose", summary="show this file's values for its document (search, counts)",
             responses=RESPONSES)
async def choose_file(request: Request, doc_id: str = DOC_ID):
    try:
        shown = await run_in_threadpool(request.app.state.store.choose, doc_id, actor(request))
    except NotGrouped:
        raise ApiError(404, "not_found", NOT_FOUND) from None
    return {"document_id": shown, "url": f"/documents/{shown}"}


@router.post("/documents/{doc_id}/split", summary="take this file out of its document: a document of its own",
             responses={**RESPONSES, 409: {"description": "the file is its document's only file", "content": ERROR}})
async def split_file(request: Request, doc_id: str = DOC_ID):
    try:
        done = await run_in_threadpool(request.app.state.store.split, doc_id, actor(request))
    except NotGrouped:
        raise ApiError(404, "not_found", NOT_FOUND) from None
    if not done:
        raise ApiError(409, "alone", "Văn bản này chỉ có một tệp, không tách được / the document has only this file")
    return {"document_id": doc_id, "url": f"/documents/{doc_id}"}


@router.post("/documents/zip", summary="keep every PDF/DOCX of a .zip (names only, never paths); one result per member",
             responses={**RESPONSES, 413: {"description": "too many members or too large", "content": ERROR},
                        422: {"description": "not a zip", "content": ERROR}})
async def keep_zip(request: Request, file: UploadFile = File(..., description="a .zip of PDF/DOCX files"),
                   ocr: str = Query("auto", pattern="^(auto|always|never)$")):
    settings = request.app.state.settings
    upload = await receive_upload(file)
    try:
        members = await run_in_threadpool(unpack, upload.path, settings.max_upload_bytes,
                                          settings.max_upload_bytes * ZIP_TOTAL_FACTOR)
    except BadZip as exc:
        raise ApiError(422 if exc.code == "not_a_zip" else 413, exc.code, exc.message) from None
    finally:
        discard(upload)
    results = []
    try:
        for m in members:
            if m.upload is None:
                results.append({"filename": m.name, "error": {"code": m.code, "message": m.message}})
                continue
            try:
                results.append(await keep_saved(request, m.upload, ocr))
            except ApiError as exc:
                results.append({"filename": m.name, "error": {"code": exc.code, "message": exc.message}})
            finally:
                discard(m.upload)
    finally:
        for m in members:
            if m.upload is not None:
                discard(m.upload)
    kept = [r for r in results if "id" in r]
    return {"files": len(results), "kept": len(kept), "documents": len({r["document_id"] for r in kept}),
            "results": results}
