"""Bulk upload, documents of many files, exports and phones, in a real headless Chromium against a real server:
a folder holding the seed plan's three renderings (signed PDF, re-laid-out PDF, scan) is one document with
three files, counted once in its movement chart; on a desktop and at 390 px wide."""
from __future__ import annotations

import io
import re
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from service.config import Settings
from tests.live_server import live_server
from tests.test_document_groups import CORPUS, SEED_RENDERINGS
from tests.test_web import ARTIFACTS, CHROMIUM, wait_first_page_image, wait_until

VIEWPORTS = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: apt-get install chromium")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(scope="module", params=list(VIEWPORTS))
def site(request, tmp_path_factory, browser):
    """A fresh archive and server per screen size, and a browser page of that size."""
    tmp = tmp_path_factory.mktemp(f"bulk-{request.param}")
    config = Settings(db=str(tmp / "archive.db"), workers=2, api_key=None, cors_origins=(), preview_dir=tmp / "previews")
    with live_server(config) as url:
        context = browser.new_context(viewport=VIEWPORTS[request.param], locale="vi-VN", accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(60_000)
        yield url, page, request.param, tmp
        context.close()


def fits_a_phone(page: Page) -> None:
    """No horizontal scroll, no text under 11 px (SVG text measured as drawn)."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), \
        page.evaluate("document.documentElement.scrollWidth")
    small = page.evaluate("""(() => {
        const out = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const e = n.parentElement;
            if (!n.textContent.trim() || !e || e.closest("[hidden], script, style, title")) continue;
            const r = e.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) continue;
            let size = parseFloat(getComputedStyle(e).fontSize);
            if (e instanceof SVGElement && e.getScreenCTM()) size *= e.getScreenCTM().a;
            if (size < 11) out.push(`${size.toFixed(1)}px: ${n.textContent.trim().slice(0, 40)}`);
        }
        return out;
    })()""")
    assert small == [], small


def test_a_folder_of_one_plans_three_files_is_one_document(site):
    base, page, size, tmp = site
    folder = tmp / "ke-hoach-2023"
    folder.mkdir()
    for name in SEED_RENDERINGS:
        shutil.copy(CORPUS / name, folder / name)
    page.goto(base + "/")
    if size == "phone":
        fits_a_phone(page)
    page.set_input_files("#bulk-folder", str(folder))
    statuses: set[str] = set()
    deadline = time.monotonic() + 240
    while page.locator(".bulk-row.ok").count() < 3:  # the scan's row follows its OCR page by page
        assert time.monotonic() < deadline and page.locator(".bulk-row.failed").count() == 0
        statuses.update(page.locator(".bulk-row.running .bulk-status").all_inner_texts())
        page.wait_for_timeout(200)
    assert any(re.search(r"xong \d+/\d+ trang", s) for s in statuses), statuses
    assert page.locator(".bulk-row.failed").count() == 0
    assert "3 tệp đã lưu thành 1 văn bản" in page.inner_text("#bulk-summary")
    page.screenshot(path=str(ARTIFACTS / f"bulk-{size}.png"), full_page=True)

    page.locator(".bulk-row.ok a").first.click()
    page.wait_for_selector("#files .file-row")
    assert page.locator("#files .file-row").count() == 3
    assert sorted(page.locator("#files .file-name").all_inner_texts()) == sorted(SEED_RENDERINGS)
    assert page.locator("#files .shown-mark").count() == 1
    wait_first_page_image(page)
    assert page.evaluate("document.images[0].getBoundingClientRect().width") >= 300
    page.screenshot(path=str(ARTIFACTS / f"document-files-{size}.png"))
    if size == "phone":
        fits_a_phone(page)

    # counted once: the search and the movement chart
    page.goto(base + "/search?q=149%2FKH")
    assert page.inner_text("#count").startswith("1 văn bản")
    page.goto(base + "/movements?q=lao+dong+gioi")
    page.locator(".movement-link").first.click()
    page.wait_for_selector("svg.chart rect.bar")
    titles = page.locator("svg.chart rect.bar title").all_text_contents()
    assert titles == ["2023 · LĐLĐ TỈNH NAM ĐỊNH: 1 kế hoạch"], titles
    assert page.inner_text(".count").startswith("1 kế hoạch")
    page.screenshot(path=str(ARTIFACTS / f"movement-{size}.png"), full_page=True)
    if size == "phone":
        fits_a_phone(page)


def test_picking_another_file_and_splitting_one_off(site):
    base, page, size, _ = site
    if size == "phone":  # the same buttons; once is enough
        return
    page.goto(base + "/search?q=149%2FKH")
    page.locator(".result-item a").first.click()
    page.wait_for_selector("#files .file-row")
    scan = page.locator("#files .file-row", has_text="scan")
    scan.locator("button.choose").click()
    page.wait_for_url("**/documents/" + scan.get_attribute("data-id"))
    page.wait_for_selector("#files .file-row")
    assert "scan" in page.locator("#files .file-row").first.inner_text()
    rl = page.locator("#files .file-row", has_text="-rl.pdf")
    rl_id = rl.get_attribute("data-id")
    rl.locator("button.split").click()
    page.wait_for_url("**/documents/" + rl_id)
    page.goto(base + "/search?q=149%2FKH")
    assert page.inner_text("#count").startswith("2 văn bản")


def test_an_xlsx_export_holds_the_rows_the_page_shows(site):
    from openpyxl import load_workbook

    base, page, size, _ = site
    page.goto(base + "/search?q=lao+dong+sang+tao")
    shown = page.locator(".result-item strong").all_inner_texts()
    assert shown
    with page.expect_download() as info:
        page.click("#export-xlsx")
    data = Path(info.value.path()).read_bytes()
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Số, ký hiệu" and [r[0] for r in rows[1:]] == shown
    if size == "phone":
        fits_a_phone(page)


def test_an_unknown_address_is_a_page_and_errors_close(site):
    base, page, size, tmp = site
    page.goto(base + "/search?q=lao+dong&page=50")  # past the last page: said so, never "0 found" beside a count
    text = page.inner_text("main")
    assert "không có kết quả" in text and "Không tìm thấy văn bản nào" not in text
    response = page.goto(base + "/khong-co-trang-nay")
    assert response.status == 404 and "Không có trang này" in page.inner_text("main")
    if size == "phone":
        fits_a_phone(page)
    bad = tmp / "hong.pdf"
    bad.write_text("không phải PDF")
    page.goto(base + "/")
    page.set_input_files("#file", str(bad))
    page.wait_for_selector("#message:not([hidden])")
    assert "hong.pdf" in page.inner_text("#message")
    page.click("#message .close")
    assert page.locator("#message").is_hidden()
