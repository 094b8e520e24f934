"""The web pages in a real headless Chromium against a real server. Screenshots land in tests/artifacts/."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from service.config import Settings
from tests.live_server import live_server

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "nd-149-kh-ldld-2023.pdf"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("web")
    config = Settings(db=str(tmp / "archive.db"), workers=2, api_key=None, cors_origins=(), preview_dir=tmp / "previews")
    with live_server(config) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: apt-get install chromium")
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        pw = sync_playwright().start()
    except Exception as exc:  # its driver is a Node.js binary inside the wheel, linked to the system's libraries
        pytest.fail(f"Playwright's driver did not start ({exc}); on Debian it needs libatomic1: "
                    f"apt-get install libatomic1", pytrace=False)
    try:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()
    finally:
        pw.stop()


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def wait_until(page: Page, script: str, timeout_s: float = 30) -> None:
    """Poll a JavaScript condition with page.evaluate (wait_for_function evaluates strings with eval, which the
    pages' CSP forbids)."""
    import time

    deadline = time.monotonic() + timeout_s
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"not true within {timeout_s} s: {script}"
        page.wait_for_timeout(50)


def wait_first_page_image(page: Page) -> None:
    wait_until(page, "document.images.length > 0 && document.images[0].complete && document.images[0].naturalWidth > 0")


def test_upload_outlines_movements_and_keeps_the_document(base, page):
    external = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(base) and not r.url.startswith("blob:") else None)
    page.goto(base + "/")
    page.set_input_files("#file", str(SEED))
    page.wait_for_selector(".group-movement .field")
    wait_first_page_image(page)
    movements = page.locator(".group-movement .field .value").all_inner_texts()
    assert "Lao động giỏi, Lao động sáng tạo" in movements
    assert page.locator(".group-header .value").first.inner_text() == "149/KH-LĐLĐ"
    # every movement is outlined on the page; the first one sits on page 1
    first = page.locator(".group-movement .field").first
    field_id = first.get_attribute("data-field")
    box = page.locator(f'.box[data-field="{field_id}"]').first
    assert box.evaluate("b => b.parentElement.id") == "page-1"
    assert page.locator(".box-movement").count() >= len(movements)
    first.click()
    # clicking a field highlights its box and scrolls it into view
    wait_until(page, f"""(() => {{
        const b = document.querySelector('.box[data-field="{field_id}"]');
        const r = b.getBoundingClientRect();
        return b.classList.contains("focused") && r.top >= 0 && r.bottom <= window.innerHeight;
    }})()""")
    page.screenshot(path=str(ARTIFACTS / "upload-result.png"))

    page.click("#keep")
    page.wait_for_selector("#kept:not([hidden])")
    page.click("#kept")
    page.wait_for_selector(".group-movement .field")
    wait_first_page_image(page)
    assert "Lao động giỏi, Lao động sáng tạo" in page.locator(".group-movement .field .value").all_inner_texts()
    page.screenshot(path=str(ARTIFACTS / "document-view.png"))
    assert external == [], "the pages load nothing from outside"


def test_an_unreadable_upload_shows_the_reason(base, page, tmp_path):
    bad = tmp_path / "ke-hoach.pdf"
    bad.write_text("<html>không phải PDF</html>")
    page.goto(base + "/")
    page.set_input_files("#file", str(bad))
    page.wait_for_selector("#message:not([hidden])")
    assert "không phải PDF" in page.inner_text("#message")
    assert page.locator("#progress").is_hidden()
    page.screenshot(path=str(ARTIFACTS / "upload-error.png"))


def test_an_unknown_document_shows_a_page_not_a_blank(base, page):
    response = page.goto(base + "/documents/" + "0" * 64)
    assert response.status == 404
    assert "Không có tài liệu" in page.inner_text("main")


def test_the_api_docs_list_the_operations(base, page):
    """Swagger UI reads FastAPI's OpenAPI 3.1 (Swagger UI 4 said "does not specify a valid version field" and
    showed no operation), offline and under the pages' CSP."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.route("http*://**", lambda route: route.abort() if "127.0.0.1" not in route.request.url else route.continue_())
    page.goto(base + "/docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/parse" in [p.replace("\u200b", "") for p in paths]
    assert not page.locator(".errors-wrapper").count()
    assert not errors, errors
    page.screenshot(path=str(ARTIFACTS / "api-docs.png"))


def _keep(base: str, path: Path) -> str:
    import httpx

    with path.open("rb") as fh:
        resp = httpx.post(f"{base}/api/v1/documents", files={"file": (path.name, fh)}, timeout=120)
    assert resp.status_code in (200, 201), resp.text
    return resp.json()["id"]


def test_search_without_diacritics_finds_the_plan(base, page):
    doc_id = _keep(base, SEED)
    page.goto(base + "/search")
    page.fill("input[name=q]", "lao dong sang tao")
    page.fill("input[name=from]", "2023")
    page.click("button[type=submit]")
    page.wait_for_selector(".result-item a")
    assert "149/KH-LĐLĐ" in page.inner_text(".results")
    marked = page.locator(".snippet mark").all_inner_texts()
    assert "sáng tạo" in " ".join(marked).lower() or "Sáng" in marked
    page.screenshot(path=str(ARTIFACTS / "search.png"))
    page.click(f'a[href="/documents/{doc_id}"]')
    page.wait_for_selector(".group-movement .field")
    # a year range that excludes the plan finds nothing, and says so
    page.goto(base + "/search?q=lao+dong+sang+tao&from=2024")
    assert page.locator(".result-item").count() == 0
    assert "Không tìm thấy" in page.inner_text(".results")


def test_a_movement_shows_its_plans_per_year(base, page):
    _keep(base, SEED)
    page.goto(base + "/movements")
    page.click("text=Lao động giỏi, Lao động sáng tạo")
    page.wait_for_selector("svg.chart")
    bars = page.locator("svg.chart rect.bar")
    assert bars.count() >= 1
    assert "2023" in bars.first.locator("title").text_content()
    assert "LĐLĐ TỈNH NAM ĐỊNH" in page.text_content("svg.chart")
    assert "149/KH-LĐLĐ" in page.inner_text(".results")
    page.screenshot(path=str(ARTIFACTS / "movement.png"), full_page=True)


def test_a_mistyped_year_is_said_on_the_page(base, page):
    page.goto(base + "/search?q=thi+dua&from=hai-nghin")
    assert "không phải là năm" in page.inner_text(".message-inline")
