"""A scan's reading, followed page by page with an ETA, and cancelled: a real server, real OCR."""
from __future__ import annotations

import threading
import time
import uuid

import httpx
import pytest

from service.config import Settings
from tests.live_server import live_server
from tests.test_document_groups import CORPUS

SCAN = CORPUS / "nd-149-kh-ldld-2023-scan.pdf"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("jobs")
    config = Settings(db=str(tmp / "archive.db"), workers=1, api_key=None, cors_origins=(), preview_dir=tmp / "previews",
                      parse_timeout_s=300)
    with live_server(config) as url:
        yield url


def upload_in_background(base: str, data: bytes, job: str) -> dict:
    out: dict = {}

    def send():
        r = httpx.post(f"{base}/api/v1/documents", params={"job": job}, files={"file": ("scan.pdf", data)}, timeout=300)
        out["status"], out["body"] = r.status_code, r.json()

    out["thread"] = threading.Thread(target=send)
    out["thread"].start()
    return out


def test_a_scan_is_followed_page_by_page_with_an_eta(base):
    job = uuid.uuid4().hex
    sent = upload_in_background(base, SCAN.read_bytes(), job)
    seen = []
    while sent["thread"].is_alive():
        r = httpx.get(f"{base}/api/v1/jobs/{job}")
        if r.status_code == 200:
            seen.append(r.json())
        time.sleep(0.2)
    sent["thread"].join()
    assert sent["status"] == 201, sent["body"]
    ocr = [s for s in seen if s["stage"] == "ocr"]
    assert ocr, seen
    total = ocr[-1]["pages_total"]
    assert total >= 1 and all(s["pages_total"] == total for s in ocr)
    done = [s["pages_done"] for s in ocr]
    assert done == sorted(done) and done[-1] >= 1
    if total > 1:
        assert any(s["eta_s"] is not None for s in ocr)
    # the job is gone once the upload is answered
    assert httpx.get(f"{base}/api/v1/jobs/{job}").status_code == 404
    assert httpx.get(f"{base}/api/v1/jobs/not-a-job").status_code == 422


def test_a_reading_can_be_cancelled(base):
    job = uuid.uuid4().hex
    sent = upload_in_background(base, SCAN.read_bytes() + b"\n%another copy\n", job)
    deadline = time.monotonic() + 120
    while True:
        r = httpx.get(f"{base}/api/v1/jobs/{job}")
        if r.status_code == 200 and r.json()["stage"] in ("reading", "ocr"):
            break
        assert time.monotonic() < deadline and sent["thread"].is_alive()
        time.sleep(0.1)
    cancelled = httpx.delete(f"{base}/api/v1/jobs/{job}")
    assert cancelled.status_code == 200 and cancelled.json()["cancelled"] is True
    sent["thread"].join(timeout=60)
    assert sent["status"] == 409 and sent["body"]["error"]["code"] == "cancelled"
    assert httpx.delete(f"{base}/api/v1/jobs/{job}").status_code == 404
    # the pool replaced the worker: the next upload is read
    with (CORPUS / "nd-149-kh-ldld-2023.pdf").open("rb") as fh:
        r = httpx.post(f"{base}/api/v1/documents", files={"file": ("seed.pdf", fh)}, timeout=120)
    assert r.status_code == 201
