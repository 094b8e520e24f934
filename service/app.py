"""The HTTP service: upload a plan, get its structure; keep it in the archive.

    create_app(Settings()) -> FastAPI     (run with `vanban serve`)
"""
from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path as FilePath
import subprocess
import time
from contextlib import asynccontextmanager
from typing import Literal

from fastapi import FastAPI, File, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response

from models.document import PlanDocument
from archive import open_store
from service.config import Settings
from service.errors import ApiError, error_body, install_error_handlers
from service.limits import BodyLimitMiddleware
from service import documents_api, groups_api, jobs_api, search_api
from service.access import AccessMiddleware
from service.security import SecurityHeadersMiddleware
from service.keeping import keep_saved
from service.uploads import content_disposition, discard, receive_upload
from service.web.routes import install_web
from service.workers import ParsePool

API = "/api/v1"
DOC_ID = Path(pattern=r"^[0-9a-f]{64}$", description="the document id: SHA-256 of the original file")
OcrMode = Literal["auto", "always", "never"]
ERROR_SCHEMA = {"application/json": {"example": error_body("not_a_document", "Tệp không phải PDF hoặc DOCX / ...")}}
ERRORS = {status: {"description": text, "content": ERROR_SCHEMA} for status, text in (
    (413, "upload or page count over the limit"), (422, "not a readable PDF/DOCX, encrypted, damaged"),
    (503, "busy: retry after the Retry-After header"), (504, "parsing took too long"))}
SWAGGER_FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")
log = logging.getLogger("vanban.service")


def _ocr_engine_ready() -> tuple[bool, str]:
    exe = shutil.which("tesseract")
    if not exe:
        return False, "tesseract is not installed (Debian: apt-get install tesseract-ocr tesseract-ocr-vie)"
    try:
        langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=10).stdout.split()
    except (OSError, subprocess.SubprocessError) as exc:
        return False, f"tesseract does not run: {exc}"
    if "vie" not in langs:
        return False, "tesseract has no Vietnamese data (Debian: apt-get install tesseract-ocr-vie)"
    return True, "ok"


def _serve_docs_offline(app: FastAPI) -> None:
    """OpenAPI docs at /docs with Swagger UI's files from the swagger-ui-py package (Swagger UI 5, which reads the
    OpenAPI 3.1 that FastAPI writes), not from a CDN: only the three files the page loads (no demo page, no
    source maps), and our own start-up script (no inline script)."""
    from importlib.util import find_spec
    from pathlib import Path as FilePath

    from fastapi.responses import FileResponse, HTMLResponse

    spec = find_spec("swagger_ui")  # its files, without importing the package (its Python side is not used)
    folder = FilePath(next(iter(spec.submodule_search_locations))) / "static"

    @app.get("/static/swagger/{name}", include_in_schema=False)
    def swagger_file(name: str):
        if name not in SWAGGER_FILES:
            raise ApiError(404, "not_found", "Không tìm thấy / not found")
        return FileResponse(folder / name, headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/docs", include_in_schema=False)
    def docs():
        return HTMLResponse(
            '<!doctype html><html><head><meta charset="utf-8"><title>vanban API</title>'
            '<link rel="stylesheet" href="/static/swagger/swagger-ui.css">'
            '<link rel="icon" href="/static/swagger/favicon-32x32.png"></head><body><div id="swagger-ui"></div>'
            '<script src="/static/swagger/swagger-ui-bundle.js"></script>'
            '<script src="/static/web/docs.js"></script></body></html>')


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.settings = settings
        app.state.store = open_store(settings.db)
        if settings.api_key:
            log.warning("VANBAN_API_KEY is deprecated: it still works as an admin's bearer token; create users with "
                        "`vanban users add NAME --role ...` and give each their own token")
        try:
            app.state.store.purge()
        except Exception:  # a store another vanban is writing: the trash is emptied next time
            log.exception("emptying the trash failed")
        app.state.pool = ParsePool(settings.workers, settings.queue_size, settings.parse_timeout_s,
                                   settings.worker_memory_mb, settings.max_pages)
        app.state.ocr_status = (0.0, (False, ""))
        app.state.jobs_dir = FilePath(tempfile.mkdtemp(prefix="vanban-jobs-"))  # uploads' progress (0700)
        try:
            yield
        finally:
            app.state.pool.close()
            app.state.store.close()
            shutil.rmtree(app.state.jobs_dir, ignore_errors=True)

    app = FastAPI(title="vanban", version="1.0",
                  description="Đọc kế hoạch thi đua và văn bản hành chính thành JSON có nguồn gốc từng giá trị / "
                              "Vietnamese official documents in, structured JSON with provenance out.",
                  lifespan=lifespan, docs_url=None, redoc_url=None)
    _serve_docs_offline(app)
    install_error_handlers(app)
    install_web(app, settings.preview_dir)
    app.include_router(search_api.router)
    app.include_router(documents_api.router)
    app.include_router(groups_api.router)
    app.include_router(jobs_api.router)
    # outermost last: CORS answers preflights, security headers go on everything, the access check runs before
    # any body is read, the body limit and timeout while it streams in
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_upload_bytes, body_timeout_s=settings.body_timeout_s)
    app.add_middleware(AccessMiddleware, settings=settings)
    app.add_middleware(SecurityHeadersMiddleware)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST", "PATCH", "DELETE"], allow_headers=["*"])

    @app.get("/healthz", tags=["ops"], summary="the process is up")
    def healthz():
        return {"status": "ok"}

    @app.get("/readyz", tags=["ops"], summary="the archive is reachable and the OCR engine present",
             responses={503: {"description": "not ready", "content": ERROR_SCHEMA}})
    async def readyz(request: Request):
        checks = {}
        try:
            await run_in_threadpool(request.app.state.store.ping)
            checks["store"] = "ok"
        except Exception as exc:
            checks["store"] = f"unreachable: {exc}"
        checked_at, status = request.app.state.ocr_status
        if time.monotonic() - checked_at > 60:
            status = await run_in_threadpool(_ocr_engine_ready)
            request.app.state.ocr_status = (time.monotonic(), status)
        checks["ocr"] = status[1]
        if all(v == "ok" for v in checks.values()):
            return {"status": "ready", "checks": checks}
        body = error_body("not_ready", "Dịch vụ chưa sẵn sàng / not ready: " +
                          "; ".join(f"{k}: {v}" for k, v in checks.items() if v != "ok"))
        body["checks"] = checks
        return JSONResponse(body, status_code=503)

    @app.post(f"{API}/parse", tags=["documents"], summary="parse one PDF or DOCX and return its structure",
              response_model=PlanDocument, responses=ERRORS)
    async def parse(request: Request, file: UploadFile = File(..., description="a PDF or DOCX file"),
                    ocr: OcrMode = Query("auto", description="OCR scanned pages: auto, always, never")):
        upload = await receive_upload(file)
        try:
            data = await request.app.state.pool.parse(str(upload.path), upload.display_name, ocr)
        finally:
            discard(upload)
        return Response(data, media_type="application/json")

    @app.post(f"{API}/documents", tags=["documents"], status_code=201,
              summary="parse and keep a document; its id is the SHA-256 of the file",
              responses={200: {"description": "the same file was already kept: same id, one record"},
                         401: {"description": "a token is needed (once users exist)", "content": ERROR_SCHEMA},
                         403: {"description": "not an editor, or a write from another site", "content": ERROR_SCHEMA},
                         **ERRORS})
    async def keep_document(request: Request, file: UploadFile = File(..., description="a PDF or DOCX file"),
                            ocr: OcrMode = Query("auto"),
                            job: str | None = Query(None, pattern=r"^[0-9a-f]{32}$",
                                                    description="an id of the caller's choosing: follow the reading "
                                                                "at GET /api/v1/jobs/{job}, cancel it with DELETE")):
        upload = await receive_upload(file)
        try:
            body = await keep_saved(request, upload, ocr, job)
        finally:
            discard(upload)
        return JSONResponse(body, status_code=201 if body["created"] else 200)

    @app.get(f"{API}/documents/{{doc_id}}", tags=["documents"], response_model=PlanDocument,
             summary="a kept document's parsed JSON", responses={404: {"description": "no such document",
                                                                         "content": ERROR_SCHEMA}})
    async def get_document(request: Request, doc_id: str = DOC_ID):
        data = await run_in_threadpool(request.app.state.store.get_json, doc_id)
        if data is None:
            raise ApiError(404, "not_found", "Không có tài liệu với mã này / no document has this id")
        return Response(data, media_type="application/json")

    @app.get(f"{API}/documents/{{doc_id}}/file", tags=["documents"], summary="a kept document's original file",
             response_class=Response, responses={404: {"description": "no such document", "content": ERROR_SCHEMA}})
    async def get_document_file(request: Request, doc_id: str = DOC_ID):
        stored = await run_in_threadpool(request.app.state.store.get_file, doc_id)
        if stored is None:
            raise ApiError(404, "not_found", "Không có tài liệu với mã này / no document has this id")
        return Response(stored.content, media_type=stored.media_type,
                        headers={"Content-Disposition": content_disposition(stored.filename)})

    return app


__all__ = ["create_app"]
