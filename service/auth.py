"""The optional API key on writes (VANBAN_API_KEY)."""
from __future__ import annotations

import hmac

from fastapi import Request

from service.errors import ApiError


def require_api_key(request: Request) -> None:
    expected = request.app.state.settings.api_key
    if not expected:
        return
    given = request.headers.get("x-api-key") or request.headers.get("authorization", "").removeprefix("Bearer ")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise ApiError(401, "unauthorized", "Cần khóa API hợp lệ (tiêu đề X-API-Key) / "
                                            "a valid API key is required (X-API-Key header)")
