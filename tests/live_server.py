"""A real vanban HTTP server (uvicorn on loopback, real worker processes) for the service tests."""
from __future__ import annotations

import contextlib
import socket
import threading
import time

import uvicorn

from service.app import create_app
from service.config import Settings
from service.security import uvicorn_config


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def live_server(settings: Settings):
    port = free_port()
    server = uvicorn.Server(uvicorn_config(create_app(settings), "127.0.0.1", port, "warning", settings.header_timeout_s))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def wait_for_accounts(url: str, limit_s: float = 30.0) -> None:
    """Until the server has noticed that users now exist (it looks again at most every
    service.access.USERS_CHECK_S): its pages then offer a login to an anonymous visitor."""
    import httpx

    deadline = time.monotonic() + limit_s
    while 'id="login-link"' not in httpx.get(f"{url}/", timeout=30).text:
        if time.monotonic() > deadline:
            raise AssertionError(f"the server at {url} did not notice its new users within {limit_s:g} s")
        time.sleep(0.2)
