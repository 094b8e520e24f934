"""Security headers on every response, and an HTTP protocol that drops clients too slow to send their headers."""
from __future__ import annotations

from uvicorn.protocols.http.h11_impl import H11Protocol

PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# Swagger UI (/docs) sets inline styles on its elements; its script is our file, never inline
DOCS_CSP = PAGE_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"),
           (b"x-frame-options", b"DENY"), (b"cross-origin-opener-policy", b"same-origin")]


class SecurityHeadersMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        csp = (DOCS_CSP if scope["path"] == "/docs" else PAGE_CSP).encode()

        async def with_headers(message):
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS + [(b"content-security-policy", csp)] if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


class TimedH11Protocol(H11Protocol):
    """h11 with a deadline for each request's headers (slowloris): a client that has not sent a whole request
    head within `header_timeout_s` of connecting (or of its previous response) is disconnected."""

    header_timeout_s = 10.0

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def _arm(self) -> None:
        waiting_for = self.cycle

        def expired() -> None:
            if self.cycle is waiting_for and not self.transport.is_closing():
                self.transport.close()

        self.loop.call_later(self.header_timeout_s, expired)


def uvicorn_config(app, host: str, port: int, log_level: str = "info", header_timeout_s: float = 10.0):
    import uvicorn

    protocol = type("TimedH11", (TimedH11Protocol,), {"header_timeout_s": header_timeout_s})
    return uvicorn.Config(app, host=host, port=port, log_level=log_level, http=protocol, timeout_keep_alive=5)
