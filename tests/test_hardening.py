"""Hardening against a real server: security headers, query limits on the pages, slow clients, private previews,
only Swagger's own files, odd Word files, and a decompression bomb that never inflates."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest

from service.config import Settings
from service.web.previews import private_folder
from tests import bad_inputs
from tests.live_server import free_port, live_server

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "nd-149-kh-ldld-2023.pdf"
GB = 1024 ** 3


def settings(tmp: Path, **changes) -> Settings:
    base = dict(db=str(tmp / "archive.db"), workers=1, api_key=None, cors_origins=(), preview_dir=tmp / "previews",
                private=False)
    return Settings(**{**base, **changes})


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hardening")
    with live_server(settings(tmp, header_timeout_s=1, body_timeout_s=2)) as url:
        with SEED.open("rb") as fh:
            assert httpx.post(f"{url}/api/v1/documents", files={"file": (SEED.name, fh)}, timeout=120).status_code == 201
        yield url


def test_pages_carry_security_headers_and_no_inline_script(base):
    doc_id = httpx.get(f"{base}/api/v1/search").json()["results"][0]["id"]
    for path in ("/", "/search?q=lao", "/movements", f"/documents/{doc_id}", "/login", "/docs", "/nowhere"):
        resp = httpx.get(base + path)
        csp = resp.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self';" in csp, path
        assert resp.headers["x-content-type-options"] == "nosniff" and resp.headers["referrer-policy"] == "same-origin"
        assert resp.headers["x-frame-options"] == "DENY"
        for tag in re.findall(r"<script[^>]*>", resp.text):
            assert 'src="/static/' in tag or 'type="application/json"' in tag, (path, tag)
        assert " style=" not in resp.text or path == "/docs", path


def test_long_queries_get_a_4xx_in_words_fast(base):
    words = " ".join(["phong trào thi đua"] * 400)  # about 1,600 words
    for path, params in (("/movements", {"q": words}), ("/search", {"q": "x" * 60_000}), ("/search", {"q": words}),
                         ("/movements/ldg_ldst", {"issuer": "y" * 5000}), ("/api/v1/search", {"q": words}),
                         ("/api/v1/movements", {"q": words})):
        started = time.monotonic()
        resp = httpx.get(base + path, params=params, timeout=30)
        assert 400 <= resp.status_code < 500, (path, resp.status_code)
        assert time.monotonic() - started < 1.0, path
        assert "dài quá" in resp.text or "invalid_request" in resp.text
    # just under the limits, the pages answer
    assert httpx.get(f"{base}/movements", params={"q": "thi đua " * 30}).status_code == 200
    assert httpx.get(f"{base}/search", params={"q": "lao động " * 50}).status_code == 200


def test_only_the_swagger_files_docs_uses_are_served(base):
    assert httpx.get(f"{base}/static/swagger/swagger-ui-bundle.js").status_code == 200
    assert httpx.get(f"{base}/static/swagger/swagger-ui.css").status_code == 200
    for name in ("index.html", "swagger-ui-bundle.js.map", "swagger-ui.js", "oauth2-redirect.html", "..%2F..%2Fsetup.py"):
        assert httpx.get(f"{base}/static/swagger/{name}").status_code == 404, name


def test_slow_clients_are_cut_off(base):
    host, port = urlparse(base).hostname, urlparse(base).port
    with socket.create_connection((host, port), timeout=10) as s:  # headers a few bytes at a time
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        assert s.recv(100) == b""  # closed by the server
        assert time.monotonic() - started < 4
    with socket.create_connection((host, port), timeout=10) as s:  # a body that never finishes
        s.sendall(b"POST /api/v1/parse HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                  b"Content-Length: 100000\r\n\r\n--b\r\n")
        started = time.monotonic()
        answer = s.recv(4096)
        assert answer.startswith(b"HTTP/1.1 408") and b"too_slow" in answer
        assert time.monotonic() - started < 5
    assert httpx.get(f"{base}/healthz").status_code == 200


def test_previews_go_to_a_private_folder(tmp_path):
    folder = tmp_path / "mine" / "previews"
    private_folder(folder)
    assert folder.stat().st_mode & 0o777 == 0o700
    folder.chmod(0o755)
    private_folder(folder)
    assert folder.stat().st_mode & 0o777 == 0o700
    link = tmp_path / "link"
    link.symlink_to(folder)
    with pytest.raises(SystemExit):
        private_folder(link)
    assert "/tmp/vanban-previews" not in str(Settings().preview_dir)


def test_odd_word_files(base, tmp_path):
    aligned = bad_inputs.docx_aligned_start(tmp_path)
    with aligned.open("rb") as fh:
        resp = httpx.post(f"{base}/api/v1/parse", files={"file": (aligned.name, fh)}, timeout=120)
    assert resp.status_code == 200 and resp.json()["number"]["value"] == "12/KH-LĐLĐ"
    locked = bad_inputs.encrypted_docx(tmp_path)
    with locked.open("rb") as fh:
        resp = httpx.post(f"{base}/api/v1/parse", files={"file": (locked.name, fh)}, timeout=120)
    assert resp.status_code == 422 and resp.json()["error"]["code"] == "encrypted"
    run = subprocess.run([sys.executable, "-m", "service.cli", "parse", str(locked)], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert run.returncode == 4 and "mật khẩu" in run.stderr and "Traceback" not in run.stderr


def _tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def test_a_decompression_bomb_leaves_the_server_tree_small(tmp_path):
    bomb = bad_inputs.decompression_bomb(tmp_path, 4000)  # 4 MB that inflate to 4 GB
    port = free_port()
    env = {**os.environ, "VANBAN_DB": str(tmp_path / "b.db"), "VANBAN_PREVIEW_DIR": str(tmp_path / "previews"),
           "VANBAN_WORKERS": "1"}
    env.pop("VANBAN_API_KEY", None)
    server = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--port", str(port), "--log-level",
                               "warning"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and server.poll() is None, "the server did not start"
            time.sleep(0.2)
        answer: list[httpx.Response] = []

        def send() -> None:
            with bomb.open("rb") as fh:
                answer.append(httpx.post(f"{url}/api/v1/parse", files={"file": ("bomb.pdf", fh)}, timeout=120))

        import threading

        sender = threading.Thread(target=send)
        sender.start()
        peak = 0
        while sender.is_alive():
            peak = max(peak, _tree_rss(server.pid))
            time.sleep(0.02)
        sender.join()
        assert answer[0].status_code == 422 and answer[0].json()["error"]["code"] == "too_demanding"
        assert peak < 1.5 * GB, f"the server tree peaked at {peak / GB:.2f} GB"
        with SEED.open("rb") as fh:
            assert httpx.post(f"{url}/api/v1/parse", files={"file": (SEED.name, fh)}, timeout=120).status_code == 200
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_a_corrected_value_cannot_inject_script(base):
    doc_id = httpx.get(f"{base}/api/v1/search").json()["results"][0]["id"]
    hostile = '</script><script>alert(1)</script><img src=x onerror=alert(2)>'
    resp = httpx.patch(f"{base}/api/v1/documents/{doc_id}", json={"title": hostile, "signer": {"name": hostile}})
    assert resp.status_code == 200 and resp.json()["document"]["title"]["value"] == hostile
    for path in (f"/documents/{doc_id}", "/audit", "/search?q=alert", "/trash"):
        text = httpx.get(base + path).text
        assert "<script>alert" not in text and "<img src=x" not in text, path
    assert httpx.get(f"{base}/api/v1/documents/{doc_id}").headers["content-type"].startswith("application/json")
