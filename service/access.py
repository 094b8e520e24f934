"""Who may do what, decided before a request's body is read (an ASGI middleware).

* Cross-site writes are refused whatever the settings: a state-changing request whose `Sec-Fetch-Site` is
  `cross-site`/`same-site`, or whose `Origin` is not this server (nor a VANBAN_CORS_ORIGINS one), gets 403.
  Scripts and the CLI send neither header and are not concerned.
* The caller: `Authorization: Bearer TOKEN` (a user's API token; VANBAN_API_KEY, deprecated, counts as an
  admin), else the session cookie of the pages. A cookie-authenticated write must also carry the session's
  CSRF token (header `X-CSRF-Token`, or the `csrf` form field of the login/logout forms, checked there).
* Roles: with no users at all (and no VANBAN_API_KEY) everything is open, as on a laptop. Once a user exists,
  writes need an editor, the audit log an admin; with VANBAN_PRIVATE=1 reads need a viewer.
"""
from __future__ import annotations

import hmac
import json
import time
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from archive.accounts import User
from service.errors import error_body

SESSION_COOKIE = "vanban_session"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
PUBLIC_PREFIXES = ("/static/", "/healthz", "/readyz", "/login", "/ui/login", "/docs", "/openapi.json")
PARSE_ONLY = {"/api/v1/parse", "/ui/preview"}  # parsing without keeping: a read
ADMIN_PREFIXES = ("/audit", "/api/v1/audit")
EDITOR_READS = ("/trash", "/api/v1/trash")
SELF_CHECKED = {"/ui/login", "/ui/logout"}  # forms that check their own CSRF field
LAPTOP = User("", "admin", "none")
USERS_CHECK_S = 2.0


def _same_origin(origin: str, scope) -> bool:
    headers = dict(scope["headers"])
    host = headers.get(b"host", b"").decode("latin-1")
    scheme = scope.get("scheme", "http")
    return origin in (f"{scheme}://{host}", f"{'https' if scheme == 'http' else 'http'}://{host}") and bool(host)


class AccessMiddleware:
    def __init__(self, app, settings):
        self.app = app
        self.settings = settings
        self._users_known: tuple[float, bool] = (0.0, False)

    async def _respond(self, send, status: int, code: str, message: str, headers: list | None = None) -> None:
        body = json.dumps(error_body(code, message), ensure_ascii=False).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close"), *(headers or [])]})
        await send({"type": "http.response.body", "body": body})

    async def _redirect(self, send, target: str) -> None:
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", target.encode()), (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})

    async def accounts_active(self, store) -> bool:
        if self.settings.api_key:
            return True
        checked, known = self._users_known
        if known:  # once a user exists the archive never goes back to open without a restart
            return True
        if time.monotonic() - checked < USERS_CHECK_S:
            return known
        known = await run_in_threadpool(store.has_users)
        self._users_known = (time.monotonic(), known)
        return known

    def forget_users(self) -> None:
        self._users_known = (0.0, False)

    async def caller(self, conn: HTTPConnection, store) -> User | None:
        auth = conn.headers.get("authorization", "")
        given = auth[7:].strip() if auth[:7].lower() == "bearer " else conn.headers.get("x-api-key", "").strip()
        if given:
            key = self.settings.api_key
            if key and hmac.compare_digest(given.encode(), key.encode()):
                return User("api-key", "admin", "api_key")
            return await run_in_threadpool(store.user_of_token, given)
        session = conn.cookies.get(SESSION_COOKIE)
        if session:
            return await run_in_threadpool(store.user_of_session, session)
        return None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path, method = scope["path"], scope["method"]
        conn = HTTPConnection(scope)
        if method in UNSAFE:
            refused = self._cross_site(conn, scope)
            if refused:
                return await self._respond(send, 403, "cross_site", refused)
        if path.startswith(PUBLIC_PREFIXES) and path not in ("/ui/logout",):
            scope.setdefault("state", {})["user"] = None
            return await self.app(scope, receive, send)
        store = scope["app"].state.store
        active = await self.accounts_active(store)
        user = await self.caller(conn, store) if active else LAPTOP
        scope.setdefault("state", {})["user"] = user
        if not active:
            return await self.app(scope, receive, send)
        need = self._needed(path, method)
        if need is None or (user is not None and user.can(need)):
            if (method in UNSAFE and user is not None and user.via == "session" and path not in SELF_CHECKED
                    and not hmac.compare_digest(conn.headers.get("x-csrf-token", "").encode(), (user.csrf or "").encode())):
                return await self._respond(send, 403, "csrf", "Thiếu mã chống giả mạo (CSRF) của phiên, hãy tải lại "
                                                              "trang / the session's CSRF token is missing or wrong: "
                                                              "reload the page")
            return await self.app(scope, receive, send)
        if user is None:
            if method == "GET" and not path.startswith("/api/") and not path.startswith("/ui/"):
                target = path + (("?" + scope["query_string"].decode("latin-1")) if scope.get("query_string") else "")
                return await self._redirect(send, "/login?next=" + quote(target, safe=""))
            return await self._respond(send, 401, "unauthorized",
                                       "Cần đăng nhập hoặc khóa API (Authorization: Bearer ...) / a login or an API "
                                       "token is required (Authorization: Bearer ...)",
                                       [(b"www-authenticate", b'Bearer realm="vanban"')])
        return await self._respond(send, 403, "forbidden", f"Tài khoản {user.name} ({user.role}) không được làm việc "
                                                           f"này, cần vai trò {need} / user {user.name} ({user.role}) "
                                                           f"may not do this: it needs the {need} role")

    def _needed(self, path: str, method: str) -> str | None:
        if path.startswith(ADMIN_PREFIXES):
            return "admin"
        if method in UNSAFE and path not in PARSE_ONLY and path != "/ui/logout":
            return "editor"
        if path.startswith(EDITOR_READS):
            return "editor"
        if path == "/ui/logout":
            return None
        return "viewer" if self.settings.private else None

    def _cross_site(self, conn: HTTPConnection, scope) -> str | None:
        site = conn.headers.get("sec-fetch-site")
        origin = conn.headers.get("origin")
        allowed = origin is not None and (origin in self.settings.cors_origins or _same_origin(origin, scope))
        if origin is not None and not allowed:
            return (f"Không nhận yêu cầu ghi từ trang khác ({origin[:100]}) / a write from another site "
                    f"({origin[:100]}) is refused")
        if site in ("cross-site", "same-site") and not allowed:
            return "Không nhận yêu cầu ghi từ trang khác / a write from another site is refused"
        return None
