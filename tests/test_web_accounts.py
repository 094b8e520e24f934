"""Accounts on the pages in a real headless Chromium: login, correcting a value, delete and restore, logout,
and a foreign site's page that tries to write. Screenshots land in tests/artifacts/."""
from __future__ import annotations

import http.server
import threading
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page

from archive import open_store
from service.config import Settings
from tests.live_server import free_port, live_server, wait_for_accounts
from tests.test_web import ARTIFACTS, SEED, browser, wait_first_page_image  # noqa: F401  (fixtures)

PASSWORD = "mat-khau-bien-tap"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("web-accounts")
    db = str(tmp / "archive.db")
    config = Settings(db=db, workers=1, api_key=None, cors_origins=(), preview_dir=tmp / "previews", private=False)
    with live_server(config) as url:
        with SEED.open("rb") as fh:
            doc_id = httpx.post(f"{url}/api/v1/documents", files={"file": (SEED.name, fh)}, timeout=120).json()["id"]
        store = open_store(db)
        try:
            store.add_user("bien", "editor")
            store.set_password("bien", PASSWORD)
            store.add_user("vien", "viewer")
            store.set_password("vien", PASSWORD)
        finally:
            store.close()
        wait_for_accounts(url)
        yield url, doc_id


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.csp_errors = []
    page.on("console", lambda m: page.csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()


def login(page: Page, base: str, name: str, password: str = PASSWORD, then: str = "/") -> None:
    page.goto(f"{base}/login?next={then}")
    page.fill("#login-name", name)
    page.fill("#login-password", password)
    page.click("#login-submit")


def test_login_correct_a_value_delete_restore_logout(site, page):
    base, doc_id = site
    login(page, base, "bien", "sai-mat-khau")
    assert "Sai tên đăng nhập" in page.inner_text("#login-problem")
    login(page, base, "bien", then=f"/documents/{doc_id}")
    page.wait_for_selector("#who")
    assert page.inner_text("#who") == "bien (editor)"
    cookie = next(c for c in page.context.cookies() if c["name"] == "vanban_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    # correct the title on the page
    page.wait_for_selector(".group-header .field")
    wait_first_page_image(page)
    title = page.locator(".group-header .field").filter(has=page.locator(".label", has_text="Trích yếu"))
    title.locator("button.edit").click()
    page.fill(".edit-input", "Kế hoạch Hội thi bơi lội qwkv năm 2023")
    page.click(".edit-save")
    page.wait_for_selector(".group-header .field .corrected")
    assert "Đã lưu" in page.inner_text("#message")
    page.screenshot(path=str(ARTIFACTS / "document-corrected.png"))
    got = httpx.get(f"{base}/api/v1/documents/{doc_id}").json()
    assert got["title"]["value"] == "Kế hoạch Hội thi bơi lội qwkv năm 2023" and got["title"]["corrected"] is True
    assert httpx.get(f"{base}/api/v1/search?q=qwkv").json()["total"] == 1
    page.reload()
    page.wait_for_selector(".group-header .field .corrected")
    assert "Kế hoạch Hội thi bơi lội qwkv năm 2023" in page.inner_text(".group-header")
    # a movement too: the list is sent whole
    first_movement = page.locator(".group-movement .field").first
    first_movement.locator("button.edit").click()
    page.fill(".edit-input", "Lao động giỏi, Lao động sáng tạo zzqx")
    page.press(".edit-input", "Enter")
    page.wait_for_selector(".group-movement .field .corrected")
    assert httpx.get(f"{base}/api/v1/movements?q=zzqx").json()["total"] == 1
    # delete, then restore from the trash
    page.click("#delete")
    page.wait_for_selector("#to-trash")
    assert httpx.get(f"{base}/api/v1/documents/{doc_id}").status_code == 404
    page.click("#to-trash")
    page.wait_for_selector(f'tr[data-id="{doc_id}"] button.restore')
    page.screenshot(path=str(ARTIFACTS / "trash.png"))
    page.click(f'tr[data-id="{doc_id}"] button.restore')
    page.wait_for_selector("a.restored")
    assert httpx.get(f"{base}/api/v1/documents/{doc_id}").json()["title"]["value"].endswith("qwkv năm 2023")
    # logout ends the session
    page.click("#logout")
    page.wait_for_selector("#login-link")
    assert httpx.get(f"{base}/trash", cookies={"vanban_session": cookie["value"]},
                     follow_redirects=False).status_code == 303
    assert page.csp_errors == []


def test_a_viewer_sees_no_edit_buttons_and_cannot_write(site, page):
    base, doc_id = site
    login(page, base, "vien", then=f"/documents/{doc_id}")
    page.wait_for_selector(".group-header .field")
    assert page.locator("button.edit").count() == 0 and page.locator("#delete").count() == 0
    status = page.evaluate("""async (id) => (await fetch(`/api/v1/documents/${id}`, {method: "PATCH",
        headers: {"Content-Type": "application/json", "X-CSRF-Token": document.querySelector('meta[name="csrf-token"]').content},
        body: JSON.stringify({title: "x"})})).status""", doc_id)
    assert status == 403
    # a cookie-authenticated write without the CSRF token is refused even for an editor
    page.click("#logout")
    login(page, base, "bien", then=f"/documents/{doc_id}")
    page.wait_for_selector("#who")
    status = page.evaluate("""async (id) => (await fetch(`/api/v1/documents/${id}`, {method: "PATCH",
        headers: {"Content-Type": "application/json"}, body: JSON.stringify({title: "x"})})).status""", doc_id)
    assert status == 403
    assert httpx.get(f"{base}/api/v1/documents/{doc_id}").json()["title"]["value"] != "x"


def test_a_foreign_page_cannot_write(site, page, tmp_path):
    base, doc_id = site
    before = httpx.get(f"{base}/api/v1/search").json()["total"]
    login(page, base, "bien")  # even with a signed-in editor in the same browser
    page.wait_for_selector("#who")
    (tmp_path / "index.html").write_text(f"""<!doctype html><html><body>
<form id="f" method="post" action="{base}/api/v1/documents/{doc_id}/restore" target="sink"></form>
<iframe name="sink"></iframe>
<script>
  const data = new FormData();
  data.append("file", new Blob(["%PDF-1.4 not really"], {{type: "application/pdf"}}), "x.pdf");
  fetch("{base}/api/v1/documents", {{method: "POST", mode: "no-cors", body: data, credentials: "include"}});
  fetch("{base}/api/v1/documents/{doc_id}", {{method: "DELETE", credentials: "include"}});  // preflighted
  document.getElementById("f").submit();
</script></body></html>""", encoding="utf-8")
    port = free_port()
    handler = lambda *a, **kw: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path), **kw)  # noqa: E731
    foreign = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=foreign.serve_forever, daemon=True)
    thread.start()
    statuses: list[tuple[str, int]] = []
    page.on("response", lambda r: statuses.append((r.request.method, r.status)) if r.url.startswith(base) else None)
    try:
        page.goto(f"http://localhost:{port}/index.html")
        page.wait_for_timeout(1500)
    finally:
        foreign.shutdown()
        foreign.server_close()
    writes = [s for s in statuses if s[0] != "GET"]
    assert ("POST", 403) in writes and all(status >= 400 for _, status in writes), statuses  # the form and upload
    assert writes.count(("POST", 403)) == 2 and ("DELETE", 200) not in writes
    assert httpx.get(f"{base}/api/v1/search").json()["total"] == before
    assert httpx.get(f"{base}/api/v1/documents/{doc_id}").status_code == 200
