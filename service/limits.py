"""Request body limit, enforced while the body streams in (lying Content-Length and chunked uploads included)."""
from __future__ import annotations

import asyncio
import json
import time

from service.errors import error_body


class BodyLimitMiddleware:
    """Answers 413 as soon as a request body passes `max_bytes`; the rest is never read into memory."""

    def __init__(self, app, max_bytes: int, body_timeout_s: float = 120.0):
        self.app = app
        self.max_bytes = max_bytes
        self.body_timeout_s = body_timeout_s

    async def _reject(self, send, slow: bool = False) -> None:
        limit_mb = self.max_bytes / (1024 * 1024)
        code, status, text = ("too_large", 413, f"Tệp tải lên vượt giới hạn {limit_mb:g} MB / the upload exceeds the "
                                                 f"{limit_mb:g} MB limit")
        if slow:
            code, status, text = ("too_slow", 408, f"Tệp tải lên quá chậm (quá {self.body_timeout_s:g} giây) / the upload "
                                                    f"took longer than {self.body_timeout_s:g} s")
        body = json.dumps(error_body(code, text), ensure_ascii=False).encode()
        await send({"type": "http.response.start", "status": status,
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
        deadline = time.monotonic() + self.body_timeout_s
        complete = False

        async def limited_receive():
            nonlocal received, rejected, complete
            if rejected:
                return {"type": "http.disconnect"}
            if complete:  # the body is in: waiting now is for the client's disconnect, with no deadline
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), max(0.01, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                rejected = True
                await self._reject(send, slow=True)
                return {"type": "http.disconnect"}
            if message["type"] == "http.request":
                complete = not message.get("more_body", False)
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
