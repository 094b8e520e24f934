"""The pages (server-rendered Jinja2, a little JavaScript) and the endpoints only they use (under /ui)."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, FastAPI, File, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from service.errors import ApiError
from service.uploads import MEDIA_TYPES, discard, receive_upload
from service.web.account_pages import router as account_router
from service.web.archive_pages import router as archive_router
from service.web.export_pages import router as export_router
from service.web.previews import PreviewCache
from service.web.render import render_page_png

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")
router = APIRouter(include_in_schema=False)
IMMUTABLE = {"Cache-Control": "private, max-age=86400, immutable"}  # ids are content hashes
NOT_FOUND = "Không có tài liệu với mã này / no document has this id"


def install_web(app: FastAPI, preview_dir: Path) -> None:
    app.mount("/static/web", StaticFiles(directory=HERE / "static"), name="web")
    app.state.previews = PreviewCache(preview_dir)
    app.include_router(router)
    app.include_router(archive_router)
    app.include_router(export_router)
    app.include_router(account_router)


def page(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    user = request.scope.get("state", {}).get("user")
    context.setdefault("user", user)
    context.setdefault("accounts", user is None or user.via != "none")
    context.setdefault("can_edit", user is not None and user.can("editor"))
    return templates.TemplateResponse(request, name, context, status_code=status)


async def page_png(request: Request, path: Path, kind: str, number: int) -> Response:
    png = await request.app.state.pool.run(render_page_png, str(path), kind, number, label=path.name)
    return Response(png, media_type="image/png", headers=IMMUTABLE)


@router.get("/", response_class=HTMLResponse)
def upload_page(request: Request):
    return page(request, "upload.html", active="upload")


@router.post("/ui/preview")
async def preview(request: Request, file: UploadFile = File(...), ocr: Literal["auto", "always", "never"] = Query("auto")):
    upload = await receive_upload(file)
    try:
        parsed = await request.app.state.pool.parse(str(upload.path), upload.display_name, ocr)
        kept = await run_in_threadpool(request.app.state.previews.put, upload, parsed)
    except BaseException:
        discard(upload)
        raise
    return Response(f'{{"id": "{kept.id}", "document": {parsed}}}', media_type="application/json")


def _preview_or_404(request: Request, preview_id: str):
    found = request.app.state.previews.get(preview_id)
    if found is None:
        raise ApiError(404, "not_found", "Bản xem trước đã hết hạn, hãy tải tệp lên lại / "
                                         "this preview has expired: upload the file again")
    return found


@router.get("/ui/preview/{preview_id}/pages/{number}.png")
async def preview_page_image(request: Request, preview_id: str, number: int):
    found = _preview_or_404(request, preview_id)
    return await page_png(request, found.path, found.kind, number)


@router.post("/ui/preview/{preview_id}/keep")
async def keep_preview(request: Request, preview_id: str):
    from service.documents_api import actor

    found = _preview_or_404(request, preview_id)
    content = await run_in_threadpool(found.path.read_bytes)
    store = request.app.state.store
    if await run_in_threadpool(store.put, found.id, found.display_name, MEDIA_TYPES[found.kind], content,
                               found.parsed_json):
        await run_in_threadpool(store.audit, actor(request), "document.upload", found.id,
                                {"filename": found.display_name})
    return {"id": found.id, "url": f"/documents/{found.id}"}


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
async def document_page(request: Request, doc_id: str):
    parsed = await run_in_threadpool(request.app.state.store.get_json, doc_id) if len(doc_id) == 64 else None
    if parsed is None:
        return page(request, "error.html", status=404, message=NOT_FOUND)
    files = await run_in_threadpool(request.app.state.store.files, doc_id)
    return page(request, "document.html", active="", doc_id=doc_id, document=json.loads(parsed), files=files,
                shown=next((f for f in files if f["shown"]), None))


@router.get("/ui/documents/{doc_id}/pages/{number}.png")
async def document_page_image(request: Request, doc_id: str, number: int):
    stored = await run_in_threadpool(request.app.state.store.get_file, doc_id)
    if stored is None:
        raise ApiError(404, "not_found", NOT_FOUND)
    kind = "pdf" if stored.media_type == MEDIA_TYPES["pdf"] else "docx"
    with tempfile.TemporaryDirectory(prefix="vanban-page-") as tmp:
        path = Path(tmp) / f"document.{kind}"
        await run_in_threadpool(path.write_bytes, stored.content)
        return await page_png(request, path, kind, number)
