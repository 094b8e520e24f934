"""The HTTP service against a real server on loopback with real worker processes."""
from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
import unicodedata
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest

from parser import ParseOptions, parse
from service.app import create_app
from service.config import Settings
from tests import bad_inputs
from tests.live_server import live_server

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SEED = SAMPLES / "nd-149-kh-ldld-2023.pdf"
DOCX = SAMPLES / "lc-kh-3024-27-5-2026-ky-rieng-sin-quyen-orig.docx"
MB = 1024 * 1024
LIMIT = 3 * MB


def settings(db: Path, **changes) -> Settings:
    base = dict(db=str(db), max_upload_bytes=LIMIT, max_pages=300, parse_timeout_s=60, workers=2, queue_size=8,
                worker_memory_mb=4096, api_key=None, cors_origins=())
    return Settings(**{**base, **changes})


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("service") / "archive.db"


@pytest.fixture(scope="module")
def url(db):
    with live_server(settings(db)) as base:
        yield base


def upload(base: str, path: Path, endpoint: str = "parse", name: str | None = None, **kw) -> httpx.Response:
    with path.open("rb") as fh:
        return httpx.post(f"{base}/api/v1/{endpoint}", files={"file": (name or path.name, fh)}, timeout=120, **kw)


def assert_error(resp: httpx.Response, status: int, code: str) -> dict:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert body["error"]["message"].strip()
    return body["error"]


def test_parse_returns_what_the_cli_returns(url):
    resp = upload(url, SEED)
    assert resp.status_code == 200
    got = resp.json()
    assert got["number"]["value"] == "149/KH-LĐLĐ"
    assert got["number"]["page"] == 1 and got["number"]["bbox"]
    assert got == json.loads(parse(str(SEED), ParseOptions()).model_dump_json())


def test_parse_docx(url):
    resp = upload(url, DOCX, params={"ocr": "never"})
    assert resp.status_code == 200
    assert resp.json()["source"]["kind"] == "docx"
    assert resp.json()["doc_type"]["value"] == "Kế hoạch"


def test_keep_document_same_file_same_id_one_record(url, db):
    first = upload(url, SEED, "documents")
    again = upload(url, SEED, "documents")
    assert first.status_code == 201 and first.json()["created"] is True
    assert again.status_code == 200 and again.json()["created"] is False
    doc_id = first.json()["id"]
    assert again.json()["id"] == doc_id and len(doc_id) == 64
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM documents WHERE id = ?", (doc_id,)).fetchone()[0] == 1

    stored = httpx.get(f"{url}/api/v1/documents/{doc_id}")
    assert stored.status_code == 200 and stored.json()["source"]["sha256"] == doc_id
    original = httpx.get(f"{url}/api/v1/documents/{doc_id}/file")
    assert original.status_code == 200
    assert original.content == SEED.read_bytes()
    assert original.headers["content-type"] == "application/pdf"
    assert "nd-149-kh-ldld-2023.pdf" in original.headers["content-disposition"]


def test_unknown_document_and_route_answer_in_the_error_shape(url):
    assert_error(httpx.get(f"{url}/api/v1/documents/{'0' * 64}"), 404, "not_found")
    assert_error(httpx.get(f"{url}/api/v1/nothing-here"), 404, "not_found")
    assert_error(httpx.get(f"{url}/api/v1/parse"), 405, "method_not_allowed")
    assert_error(httpx.post(f"{url}/api/v1/parse", data={"x": "1"}), 422, "invalid_request")
    assert_error(httpx.post(f"{url}/api/v1/parse", params={"ocr": "sometimes"}, files={"file": ("a.pdf", b"%PDF")}),
                 422, "invalid_request")


@pytest.mark.parametrize("build, code", [
    (bad_inputs.empty, "empty_file"),
    (bad_inputs.html_named_pdf, "not_a_document"),
    (bad_inputs.truncated, "damaged_file"),
    (bad_inputs.zero_pages, "no_pages"),
    (bad_inputs.xref_loop, "damaged_file"),
    (bad_inputs.circular_pages, "damaged_file"),
    (lambda d: bad_inputs.encrypted(d, "user-secret"), "encrypted"),
])
def test_bad_files_get_422_with_the_reason(url, tmp_path, build, code):
    error = assert_error(upload(url, build(tmp_path)), 422, code)
    if code == "encrypted":
        assert "unlocked" in error["message"]
    assert httpx.get(f"{url}/healthz").status_code == 200


def test_owner_password_only_is_parsed(url, tmp_path):
    resp = upload(url, bad_inputs.encrypted(tmp_path, ""))
    assert resp.status_code == 200 and resp.json()["number"]["value"] == "149/KH-LĐLĐ"


def test_over_the_page_limit_is_413(url, tmp_path):
    pdf = bad_inputs.many_pages(tmp_path, 1000)
    assert pdf.stat().st_size < LIMIT
    assert "300" in assert_error(upload(url, pdf), 413, "too_large")["message"]


def test_body_over_the_limit_is_413_declared_or_chunked(url):
    big = b"%PDF-1.4\n" + b"0" * (LIMIT + MB)
    assert_error(httpx.post(f"{url}/api/v1/parse", files={"file": ("big.pdf", big)}), 413, "too_large")

    def chunks():  # a well-formed multipart body without Content-Length: the server only learns its size by reading
        yield b'--zzz\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n\r\n%PDF-1.4\n'
        for _ in range(LIMIT // (256 * 1024) + 8):
            yield b"0" * (256 * 1024)
        yield b"\r\n--zzz--\r\n"

    resp = httpx.post(f"{url}/api/v1/parse", content=chunks(),
                      headers={"content-type": "multipart/form-data; boundary=zzz"})
    assert_error(resp, 413, "too_large")


def _raw_request(base: str, head: bytes, body_size: int) -> bytes:
    host = urlparse(base)
    with socket.create_connection((host.hostname, host.port), timeout=30) as s:
        s.sendall(head)
        sent = 0
        try:
            while sent < body_size:
                sent += s.send(b"y" * min(65536, body_size - sent))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped listening: what it answered is what counts
        reply = b""
        try:
            while chunk := s.recv(65536):
                reply += chunk
        except (ConnectionResetError, socket.timeout):
            pass
        return reply


def test_lying_content_length_never_reaches_the_parser(url):
    # says 1 kB, sends 8 MB: only 1 kB is read as the body, the rest is not HTTP
    head = (b"POST /api/v1/parse HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            b"Content-Length: 1000\r\n\r\n")
    reply = _raw_request(url, head, 8 * MB)
    assert reply.startswith(b"HTTP/1.1 4"), reply[:200]
    # says 50 MB: refused before a byte of the body is read
    head = head.replace(b"Content-Length: 1000", b"Content-Length: %d" % (50 * MB))
    reply = _raw_request(url, head, 0)
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    assert httpx.get(f"{url}/healthz").status_code == 200


@pytest.mark.parametrize("sent, shown", [
    ("../../x.pdf", "x.pdf"),
    ("/etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\windows.pdf", "windows.pdf"),
    (unicodedata.normalize("NFD", "Kế hoạch thi đua.pdf"), "Kế hoạch thi đua.pdf"),
])
def test_filenames_are_labels_never_paths(url, tmp_path, monkeypatch, sent, shown):
    monkeypatch.chdir(tmp_path)
    resp = upload(url, SEED, name=sent)
    assert resp.status_code == 200
    assert resp.json()["source"]["file"] == shown
    assert list(tmp_path.iterdir()) == []
    assert not Path("/x.pdf").exists()


def test_health_and_readiness(url):
    assert httpx.get(f"{url}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{url}/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {"store": "ok", "ocr": "ok"}


def test_not_ready_without_the_ocr_engine_names_the_package(tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on this PATH
    with TestClient(create_app(settings(tmp_path / "a.db", workers=1))) as client:
        resp = client.get("/readyz")
    assert resp.status_code == 503
    assert "tesseract-ocr" in resp.json()["error"]["message"]


def test_docs_load_nothing_from_outside(url):
    page = httpx.get(f"{url}/docs")
    assert page.status_code == 200
    assert "https://" not in page.text and "http://" not in page.text
    assert httpx.get(f"{url}/static/swagger/swagger-ui-bundle.js").status_code == 200
    assert "/api/v1/parse" in httpx.get(f"{url}/openapi.json").json()["paths"]


def test_cors_is_off_by_default(url):
    resp = httpx.get(f"{url}/healthz", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in resp.headers


def test_api_key_guards_writes_and_cors_follows_configuration(tmp_path):
    config = settings(tmp_path / "keyed.db", workers=1, api_key="s3cret", cors_origins=("https://intranet.example",))
    with live_server(config) as base:
        assert_error(upload(base, SEED, "documents"), 401, "unauthorized")
        assert_error(upload(base, SEED, "documents", headers={"X-API-Key": "wrong"}), 401, "unauthorized")
        assert upload(base, SEED, "documents", headers={"X-API-Key": "s3cret"}).status_code == 201
        assert upload(base, SEED).status_code == 200  # parsing without keeping is not a write
        allowed = httpx.get(f"{base}/healthz", headers={"Origin": "https://intranet.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://intranet.example"
        other = httpx.get(f"{base}/healthz", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers


def test_a_hang_costs_only_its_worker(tmp_path):
    slow = bad_inputs.slow_to_read(tmp_path, 800_000)
    with live_server(settings(tmp_path / "t.db", workers=1, parse_timeout_s=1)) as base:
        assert_error(upload(base, slow), 504, "timeout")
        # the worker was replaced; the next document parses
        assert upload(base, SEED).status_code == 200


def test_a_decompression_bomb_costs_only_its_worker(tmp_path):
    bomb = bad_inputs.decompression_bomb(tmp_path, 1200)
    assert bomb.stat().st_size < LIMIT
    with live_server(settings(tmp_path / "b.db", workers=1, worker_memory_mb=1024)) as base:
        assert_error(upload(base, bomb), 422, "too_demanding")
        assert upload(base, SEED).status_code == 200


def test_more_work_than_workers_gets_503_with_retry_after(tmp_path):
    slow = bad_inputs.slow_to_read(tmp_path, 800_000)
    with live_server(settings(tmp_path / "q.db", workers=1, queue_size=0, parse_timeout_s=60)) as base:
        first: list[httpx.Response] = []
        worker = threading.Thread(target=lambda: first.append(upload(base, slow)))
        worker.start()
        time.sleep(0.5)  # the slow document (about 2 s) occupies the only worker
        resp = upload(base, SEED)
        worker.join()
        assert_error(resp, 503, "busy")
        assert int(resp.headers["retry-after"]) >= 1
        assert first[0].status_code == 200
        assert upload(base, SEED).status_code == 200  # capacity is back
