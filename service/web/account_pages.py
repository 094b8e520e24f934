"""Signing in and out of the pages (a session cookie), the trash page (editors) and the audit page (admins)."""
from __future__ import annotations

import hmac

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse

from archive.accounts import SESSION_HOURS
from service.access import SESSION_COOKIE

router = APIRouter(include_in_schema=False)


def _render(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    from service.web.routes import page

    return page(request, name, status=status, **context)


def _next(target: str | None) -> str:
    """Only a path of this site: never `//elsewhere` or `https://elsewhere`."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None):
    return _render(request, "login.html", active="login", next=_next(next), problem=None)


@router.post("/ui/login")
async def login(request: Request):
    form = await request.form()
    name, password = str(form.get("name", ""))[:64], str(form.get("password", ""))[:1000]
    target = _next(str(form.get("next", "/")))
    found = await run_in_threadpool(request.app.state.store.login, name, password) if name and password else None
    if found is None:
        return _render(request, "login.html", status=401, active="login", next=target,
                       problem="Sai tên đăng nhập hoặc mật khẩu / wrong user name or password")
    session, _ = found
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, session, max_age=SESSION_HOURS * 3600, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", path="/")
    return response


@router.post("/ui/logout")
async def logout(request: Request):
    user = request.scope.get("state", {}).get("user")
    form = await request.form()
    session = request.cookies.get(SESSION_COOKIE)
    if user is not None and user.via == "session" and session:
        if not hmac.compare_digest(str(form.get("csrf", "")).encode(), (user.csrf or "").encode()):
            return _render(request, "error.html", status=403,
                           message="Mã chống giả mạo sai, hãy tải lại trang / wrong CSRF token: reload the page")
        await run_in_threadpool(request.app.state.store.logout, session)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/trash", response_class=HTMLResponse)
async def trash_page(request: Request):
    store = request.app.state.store
    await run_in_threadpool(store.purge)
    return _render(request, "trash.html", active="trash", items=await run_in_threadpool(store.trash))


@router.get("/audit", response_class=HTMLResponse)
async def audit_page(request: Request, page: int = 1):
    page = max(1, min(page, 10_000))
    log = await run_in_threadpool(request.app.state.store.audit_log, 100, (page - 1) * 100)
    return _render(request, "audit.html", active="audit", log=log, page_no=page)
