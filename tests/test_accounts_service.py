"""Accounts, roles, corrections, trash and cross-site refusal against a real server, on SQLite and PostgreSQL."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest

from archive import open_store
from service.config import Settings
from tests.live_server import live_server
from tests.test_archive_support import db_url, pg_url  # noqa: F401  (fixtures)

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SEED = SAMPLES / "nd-149-kh-ldld-2023.pdf"
DOCX = SAMPLES / "lc-kh-3024-27-5-2026-ky-rieng-sin-quyen-orig.docx"
ROOT = Path(__file__).resolve().parent.parent


def settings(db: str, tmp: Path, **changes) -> Settings:
    base = dict(db=db, workers=1, queue_size=8, api_key=None, cors_origins=(), preview_dir=tmp / "previews",
                private=False)
    return Settings(**{**base, **changes})


def upload(base: str, path: Path, token: str | None = None, **kw) -> httpx.Response:
    headers = kw.pop("headers", {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    with path.open("rb") as fh:
        return httpx.post(f"{base}/api/v1/documents", files={"file": (path.name, fh)}, headers=headers, timeout=120, **kw)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def code(resp: httpx.Response) -> str:
    return resp.json()["error"]["code"]


def add_user(db: str, name: str, role: str) -> str:
    """`vanban users add` as a person runs it: the token is the last line of stdout."""
    run = subprocess.run([sys.executable, "-m", "service.cli", "users", "add", name, "--role", role, "--db", db],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip().splitlines()[-1]


def test_a_viewer_cannot_write_an_editor_can(db_url, tmp_path):
    with live_server(settings(db_url, tmp_path)) as base:
        # no users yet: it works as on a laptop
        first = upload(base, SEED)
        assert first.status_code == 201
        doc_id = first.json()["id"]
        viewer, editor, admin = (add_user(db_url, "vien", "viewer"), add_user(db_url, "bien", "editor"),
                                 add_user(db_url, "quan", "admin"))
        time.sleep(2.1)  # the server looks again for users at most every 2 s
        # once a user exists every write needs one
        assert upload(base, DOCX).status_code == 401 and code(upload(base, DOCX)) == "unauthorized"
        assert upload(base, DOCX, "vb_wrong").status_code == 401
        refused = upload(base, DOCX, viewer)
        assert refused.status_code == 403 and code(refused) == "forbidden"
        assert httpx.get(f"{base}/api/v1/documents/{doc_id}", headers=bearer(viewer)).status_code == 200
        assert httpx.get(f"{base}/api/v1/search?q=lao+dong").status_code == 200  # reads stay open (not private)
        patch = {"title": "Kế hoạch Hội thi bơi lội qwkv", "signer": {"name": "Trần Văn Bình"},
                 "movements": ["Lao động giỏi, Lao động sáng tạo", "Bơi lội vì sức khỏe zzqx"]}
        url = f"{base}/api/v1/documents/{doc_id}"
        assert httpx.patch(url, json=patch, headers=bearer(viewer)).status_code == 403
        assert httpx.patch(url, json=patch).status_code == 401
        assert httpx.delete(url, headers=bearer(viewer)).status_code == 403
        # the editor uploads and corrects
        assert upload(base, DOCX, editor).status_code == 201
        fixed = httpx.patch(url, json=patch, headers=bearer(editor))
        assert fixed.status_code == 200, fixed.text
        assert fixed.json()["revision"] == 2 and fixed.json()["document"]["title"]["corrected"] is True
        bad = httpx.patch(url, json={"colour": "red"}, headers=bearer(editor))
        assert bad.status_code == 422 and code(bad) == "invalid_correction"
        # returned, searched, charted
        doc = httpx.get(url).json()
        assert doc["title"] == {**doc["title"], "value": "Kế hoạch Hội thi bơi lội qwkv", "corrected": True}
        assert doc["signer"]["name"]["value"] == "Trần Văn Bình"
        assert httpx.get(f"{base}/api/v1/search?q=qwkv").json()["total"] == 1
        found = httpx.get(f"{base}/api/v1/movements?q=zzqx").json()["results"]
        assert [m["name"] for m in found] == ["Bơi lội vì sức khỏe zzqx"]
        chart = httpx.get(f"{base}/movements/{found[0]['id']}")
        assert chart.status_code == 200 and "Bơi lội vì sức khỏe zzqx" in chart.text and "<svg" in chart.text
        history = httpx.get(f"{url}/revisions").json()["revisions"]
        assert [(h["revision"], h["author"]) for h in history] == [(1, "parser"), (2, "bien")]
        # delete and restore: the editor may, the viewer may not
        assert httpx.delete(url, headers=bearer(editor)).json()["trashed"] is True
        assert httpx.get(url).status_code == 404 and httpx.get(f"{base}/api/v1/search?q=qwkv").json()["total"] == 0
        assert httpx.get(f"{base}/api/v1/trash", headers=bearer(viewer)).status_code == 403
        assert [d["id"] for d in httpx.get(f"{base}/api/v1/trash", headers=bearer(editor)).json()["results"]] == [doc_id]
        assert httpx.post(f"{url}/restore", headers=bearer(viewer)).status_code == 403
        assert httpx.post(f"{url}/restore", headers=bearer(editor)).status_code == 200
        assert httpx.get(url).json()["title"]["value"] == "Kế hoạch Hội thi bơi lội qwkv"
        # the audit log: admins only
        assert httpx.get(f"{base}/api/v1/audit", headers=bearer(editor)).status_code == 403
        log = httpx.get(f"{base}/api/v1/audit", headers=bearer(admin)).json()["results"]
        actions = [(e["action"], e["actor"]) for e in log]
        for expected in [("document.restore", "bien"), ("document.delete", "bien"), ("document.correct", "bien"),
                         ("document.upload", "bien"), ("document.upload", "anonymous")]:
            assert expected in actions
        assert [a for a, who in actions if who.startswith("cli")] == ["user.add"] * 3
        page = httpx.get(f"{base}/audit", headers=bearer(admin))
        assert page.status_code == 200 and "document.restore" in page.text
    # gold export of the corrected document, scored by the shared scorer
    out = tmp_path / "gold"
    run = subprocess.run([sys.executable, "-m", "service.cli", "export", "--format", "gold", "--out", str(out),
                          "--db", db_url], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    gold = json.loads((out / f"{doc_id}.gold.json").read_text(encoding="utf-8"))
    assert gold["title"] == "Kế hoạch Hội thi bơi lội qwkv" and gold["signer"] == {"name": "Trần Văn Bình"}
    pred = tmp_path / "pred"
    pred.mkdir()
    from parser import ParseOptions, parse

    (pred / f"{doc_id}.json").write_text(parse(str(SEED), ParseOptions(ocr="never")).model_dump_json(), encoding="utf-8")
    score = subprocess.run([sys.executable, str(ROOT.parent / "shared" / "eval" / "score.py"), str(out),
                            str(pred), "--json", str(tmp_path / "report.json")], capture_output=True, text=True)
    assert score.returncode in (0, 1), score.stderr
    report = json.loads((tmp_path / "report.json").read_text())["fields"]
    assert report["title"]["gold"] == 1 and report["title"]["f1"] == 0.0  # the parser's title is not the person's
    assert report["movements"]["gold"] == 2 and report["movements"]["recall"] == 0.5


def test_a_foreign_page_cannot_write_with_or_without_accounts(db_url, tmp_path):
    with live_server(settings(db_url, tmp_path)) as base:
        foreign = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
        refused = upload(base, SEED, headers=dict(foreign))
        assert refused.status_code == 403 and code(refused) == "cross_site"
        assert upload(base, SEED, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
        assert upload(base, SEED, headers={"Origin": "null"}).status_code == 403
        keep = httpx.post(f"{base}/ui/preview/{'0' * 64}/keep", headers=foreign)
        assert keep.status_code == 403
        assert httpx.get(f"{base}/api/v1/search").json()["total"] == 0
        # the site's own pages and scripts (no Origin) write
        assert upload(base, SEED, headers={"Origin": base, "Sec-Fetch-Site": "same-origin"}).status_code == 201
        editor = add_user(db_url, "bien", "editor")
        time.sleep(2.1)
        doc_id = httpx.get(f"{base}/api/v1/search").json()["results"][0]["id"]
        with_token = httpx.delete(f"{base}/api/v1/documents/{doc_id}", headers={**foreign, **bearer(editor)})
        assert with_token.status_code == 403 and code(with_token) == "cross_site"
        assert httpx.get(f"{base}/api/v1/documents/{doc_id}").status_code == 200


def test_credentials_are_checked_before_the_body_is_read(tmp_path):
    db = str(tmp_path / "a.db")
    add_user(db, "vien", "viewer")
    with live_server(settings(db, tmp_path)) as base:
        host, port = urlparse(base).hostname, urlparse(base).port
        with socket.create_connection((host, port), timeout=5) as s:
            s.sendall(b"POST /api/v1/documents HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                      b"Content-Length: 20000000\r\n\r\n")  # 20 MB announced, nothing sent
            started = time.monotonic()
            answer = s.recv(4096)
            assert time.monotonic() - started < 3
        assert answer.startswith(b"HTTP/1.1 401") or answer.startswith(b"HTTP/1.1 413")
        with socket.create_connection((host, port), timeout=5) as s:
            s.sendall(b"POST /api/v1/documents HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                      b"Content-Length: 2000\r\n\r\n")
            assert s.recv(4096).startswith(b"HTTP/1.1 401")


def test_private_archive_needs_a_viewer_to_read(tmp_path):
    db = str(tmp_path / "p.db")
    viewer = add_user(db, "vien", "viewer")
    with live_server(settings(db, tmp_path, private=True)) as base:
        assert httpx.get(f"{base}/api/v1/search").status_code == 401
        page = httpx.get(f"{base}/search?q=lao")
        assert page.status_code == 303 and page.headers["location"] == "/login?next=%2Fsearch%3Fq%3Dlao"
        assert httpx.get(f"{base}/api/v1/search", headers=bearer(viewer)).status_code == 200
        assert httpx.get(f"{base}/login").status_code == 200 and httpx.get(f"{base}/healthz").status_code == 200


def test_the_deprecated_api_key_still_works_as_an_admin(tmp_path):
    with live_server(settings(str(tmp_path / "k.db"), tmp_path, api_key="s3cret-key")) as base:
        assert upload(base, SEED).status_code == 401
        assert upload(base, SEED, "s3cret-key").status_code == 201
        assert httpx.get(f"{base}/api/v1/audit", headers={"X-API-Key": "s3cret-key"}).status_code == 200


def test_users_and_tokens_from_the_command_line(tmp_path):
    db = str(tmp_path / "c.db")

    def vanban(*args, stdin=None):
        return subprocess.run([sys.executable, "-m", "service.cli", *args, "--db", db], input=stdin,
                              capture_output=True, text=True, cwd=ROOT, timeout=120)

    token = add_user(db, "an", "editor")
    assert token.startswith("vb_") and len(token) > 40
    assert vanban("users", "add", "an", "--role", "viewer").returncode != 0
    assert vanban("users", "password", "an", stdin="mat-khau-dai-du\n").returncode == 0
    assert vanban("users", "password", "an", stdin="ngan\n").returncode != 0
    listed = json.loads(vanban("users", "list", "--json").stdout)
    assert [(u["name"], u["role"], u["password"]) for u in listed] == [("an", "editor", True)]
    second = vanban("tokens", "create", "an", "--label", "script").stdout.strip().splitlines()[-1]
    assert vanban("tokens", "revoke", token).returncode == 0
    store = open_store(db)
    try:
        assert store.user_of_token(token) is None and store.user_of_token(second).name == "an"
        assert store.login("an", "mat-khau-dai-du") is not None
    finally:
        store.close()
    assert vanban("users", "remove", "an").returncode == 0
    audit = vanban("audit", "--json")
    assert [e["action"] for e in json.loads(audit.stdout)["results"]] == [
        "user.remove", "token.revoke", "token.create", "user.password", "user.add"]


def test_indexing_again_keeps_the_corrections(tmp_path):
    from archive.corrections import check_patch

    db = str(tmp_path / "again.db")

    def index(*extra):
        run = subprocess.run([sys.executable, "-m", "service.cli", "index", str(SEED), "--db", db, "--quiet", "--json",
                              "--workers", "1", "--ocr", "never", *extra], capture_output=True, text=True, cwd=ROOT,
                             timeout=300)
        assert run.returncode == 0, run.stderr
        return json.loads(run.stdout)

    index()
    store = open_store(db)
    try:
        doc_id = store.search(None)["results"][0]["id"]
        store.correct(doc_id, check_patch({"signer": {"name": "Trần Văn Bình"}}), "bien")
    finally:
        store.close()
    assert index("--again")["indexed"] == 1
    store = open_store(db)
    try:
        doc = json.loads(store.get_json(doc_id))
        assert doc["signer"]["name"]["value"] == "Trần Văn Bình" and doc["number"]["value"] == "149/KH-LĐLĐ"
        assert store.stats()["indexed"] == 1 and store.search(None)["total"] == 1
        assert store.audit_log(action="document.reparse")["total"] == 1
    finally:
        store.close()
