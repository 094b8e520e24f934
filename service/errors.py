"""One error shape for every failure: {"error": {"code": "...", "message": "..."}}."""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("vanban.service")

# parser error codes (parser.errors) -> HTTP status
STATUS_OF_CODE = {
    "not_found": 404,
    "too_large": 413,
    "timeout": 504,
    "missing_dependency": 503,
}
DEFAULT_PARSE_ERROR_STATUS = 422

HTTP_MESSAGES = {
    400: "Yêu cầu không hợp lệ / bad request",
    401: "Cần khóa API hợp lệ / a valid API key is required",
    404: "Không tìm thấy / not found",
    405: "Phương thức không được hỗ trợ / method not allowed",
    413: "Tệp quá lớn / the upload is too large",
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def error_body(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=status, headers=headers)


def _wants_page(request: Request) -> bool:
    path = request.url.path
    return (request.method == "GET" and not path.startswith(("/api/", "/ui/", "/static/"))
            and "text/html" in request.headers.get("accept", ""))


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404 and _wants_page(request):  # a person's mistyped address: a page, not JSON
            from service.web.routes import page

            return page(request, "error.html", status=404, message="Không có trang này. Hãy kiểm tra lại địa chỉ, "
                                                                   "hoặc bắt đầu từ trang tra cứu.")
        message = HTTP_MESSAGES.get(exc.status_code, str(exc.detail))
        code = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized"}.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, message, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        details = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors())
        return error_response(422, "invalid_request", f"Yêu cầu thiếu hoặc sai tham số / invalid request: {details}")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, "internal_error", "Lỗi nội bộ của dịch vụ / internal service error")
