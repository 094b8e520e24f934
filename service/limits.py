"""Request body limit, enforced while the body streams in (lying Content-Length and chunked uploads included)."""
from __future__ import annotations

import json

from service.errors import error_body


class BodyLimitMiddleware:
    """Answers 413 as soon as a request body passes `max_bytes`; the rest is never read into memory."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def _reject(self, send) -> None:
        limit_mb = self.max_bytes / (1024 * 1024)
        body = json.dumps(error_body(
            "too_large", f"Tệp tải lên vượt giới hạn {limit_mb:g} MB / the upload exceeds the {limit_mb:g} MB limit"),
            ensure_ascii=False).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            return await self._reject(send)

        received = 0
        rejected = False

        async def limited_receive():
            nonlocal received, rejected
            if rejected:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    rejected = True
                    await self._reject(send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message):
            if not rejected:  # after a 413 the application has nothing more to say
                await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not rejected:
                raise
