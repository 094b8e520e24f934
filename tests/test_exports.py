"""Exports and zip uploads against a real server: CSV/XLSX tables, the chart as PNG/SVG, an RFC 5545 calendar,
`vanban export --format xlsx|ics`, and .zip members checked like uploads (names only, sizes, bombs)."""
from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

import httpx
import pytest

from service.config import Settings
from service.exports import calendar
from service.zips import BadZip, unpack
from tests.live_server import live_server
from tests.test_archive_cli import vanban
from tests.test_document_groups import CORPUS, SEED_RENDERINGS

SEED, RL = CORPUS / SEED_RENDERINGS[0], CORPUS / SEED_RENDERINGS[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("exports")
    config = Settings(db=str(tmp / "archive.db"), workers=1, api_key=None, cors_origins=(), preview_dir=tmp / "previews")
    with live_server(config) as url:
        yield url, tmp


def make_zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return out.getvalue()


def test_a_zip_is_kept_member_by_member_names_never_paths(server):
    base, _ = server
    data = make_zip({"nam-2023/../../etc/" + SEED.name: SEED.read_bytes(), "nam-2023/" + RL.name: RL.read_bytes(),
                     "ghi-chu.txt": b"notes", "nam-2023/": b""})
    resp = httpx.post(f"{base}/api/v1/documents/zip", files={"file": ("ke-hoach.zip", data)}, timeout=300)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["kept"] == 2 and body["documents"] == 1 and body["files"] == 3
    names = sorted(r["filename"] for r in body["results"])
    assert names == sorted([SEED.name, RL.name, "ghi-chu.txt"])  # the folders are gone from every name
    skipped = next(r for r in body["results"] if r["filename"] == "ghi-chu.txt")
    assert skipped["error"]["code"] == "unsupported_type"
    kept = [r for r in body["results"] if "id" in r]
    files = httpx.get(f"{base}/api/v1/documents/{kept[0]['id']}/files").json()["files"]
    assert len(files) == 2
    bad = httpx.post(f"{base}/api/v1/documents/zip", files={"file": ("x.zip", b"not a zip at all")}, timeout=60)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "not_a_zip"


def _lie_about_sizes(data: bytes, size: int) -> bytes:
    """The zip with every member's uncompressed size (local and central headers) set to `size`."""
    buf = bytearray(data)
    for m in re.finditer(rb"PK\x03\x04", bytes(buf)):
        struct.pack_into("<I", buf, m.start() + 22, size)
    for m in re.finditer(rb"PK\x01\x02", bytes(buf)):
        struct.pack_into("<I", buf, m.start() + 24, size)
    return bytes(buf)


def test_zip_bombs_and_limits_are_refused(tmp_path):
    big = make_zip({"bom.pdf": b"\0" * (3 << 20)})  # 3 MB of zeros: a few KB compressed
    path = tmp_path / "bom.zip"
    path.write_bytes(big)
    (member,) = unpack(path, max_member_bytes=1 << 20, max_total_bytes=8 << 20, directory=str(tmp_path))
    assert member.upload is None and member.code == "too_large"  # the declared size is over the limit
    path.write_bytes(_lie_about_sizes(big, 1000))  # it says 1000 bytes, and decompresses to 3 MB
    try:
        members = unpack(path, max_member_bytes=1 << 20, max_total_bytes=8 << 20, directory=str(tmp_path))
    except BadZip as exc:
        assert exc.code == "zip_bomb"
    else:
        assert members[0].upload is None and members[0].code in ("zip_bomb", "damaged")
    many = tmp_path / "many.zip"
    many.write_bytes(make_zip({f"{i}.pdf": b"%PDF" for i in range(201)}))
    with pytest.raises(BadZip) as exc:
        unpack(many, 1 << 20, 8 << 20)
    assert exc.value.code == "too_many_files"
    total = tmp_path / "total.zip"
    total.write_bytes(make_zip({f"{i}.pdf": b"\0" * (1 << 20) for i in range(5)}))
    with pytest.raises(BadZip) as exc:
        unpack(total, 2 << 20, 3 << 20)
    assert exc.value.code == "too_large"
    assert not list(tmp_path.glob("vanban-zip-*"))  # nothing left behind


def test_tables_charts_and_calendar_from_the_pages(server):
    from openpyxl import load_workbook
    from PIL import Image

    base, _ = server
    with SEED.open("rb") as fh:
        doc_id = httpx.post(f"{base}/api/v1/documents", files={"file": (SEED.name, fh)}, timeout=120).json()["document_id"]
    csv_text = httpx.get(f"{base}/export/search.csv", params={"q": "lao dong sang tao"}).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Số, ký hiệu") or csv_text.splitlines()[0].startswith('"Số, ký hiệu"')
    assert "149/KH-LĐLĐ" in csv_text
    movements = load_workbook(io.BytesIO(httpx.get(f"{base}/export/movements.xlsx").content)).active
    rows = list(movements.iter_rows(values_only=True))
    assert rows[0] == ("Phong trào", "Loại", "Số kế hoạch") and len(rows) > 1
    mid = httpx.get(f"{base}/api/v1/movements", params={"name": "lao dong gioi"}).json()["results"][0]["id"]
    png = httpx.get(f"{base}/export/movements/{mid}/chart.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(png.content)).size[0] == 1200
    svg = httpx.get(f"{base}/export/movements/{mid}/chart.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content
    table = load_workbook(io.BytesIO(httpx.get(f"{base}/export/movements/{mid}/table.xlsx").content)).active
    assert list(table.iter_rows(values_only=True))[1] == (2023, "LĐLĐ TỈNH NAM ĐỊNH", 1)
    ics = httpx.get(f"{base}/export/calendar.ics", params={"id": doc_id})
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    check_rfc5545(ics.content.decode("utf-8"))
    none = httpx.get(f"{base}/export/calendar.ics", headers={"accept": "text/html"})
    assert none.status_code == 404 and "chọn ít nhất một văn bản" in none.text


def check_rfc5545(text: str) -> None:
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")  # CRLF only
    lines = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    unfolded = "\r\n".join(lines).replace("\r\n ", "").split("\r\n")
    events = unfolded.count("BEGIN:VEVENT")
    assert events >= 1 and events == unfolded.count("END:VEVENT")
    for key in ("UID:", "DTSTAMP:", "DTSTART;VALUE=DATE:", "DTEND;VALUE=DATE:", "SUMMARY:"):
        assert sum(line.startswith(key) for line in unfolded) == events, key
    assert all(re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", line) for line in unfolded if line.startswith("DTSTAMP"))
    assert all(re.fullmatch(r"DTSTART;VALUE=DATE:\d{8}", line) for line in unfolded if line.startswith("DTSTART"))
    uids = [line for line in unfolded if line.startswith("UID:")]
    assert len(set(uids)) == len(uids)
    for line in unfolded:  # commas and semicolons in text values are escaped
        if line.startswith(("SUMMARY:", "DESCRIPTION:")):
            assert not re.search(r"(?<!\\)[,;]", line.split(":", 1)[1]), line


def test_calendar_text_is_escaped_and_folded():
    plan = {"id": "a" * 64, "number": "1/KH", "title": "Thi đua; “Lao động giỏi, sáng tạo”\nnăm 2023",
            "phases": [{"label": "Giai đoạn 1, phát động", "start": "2023-03-01", "end": "2023-03-31"},
                       {"label": "không ngày", "start": None, "end": None}],
            "anniversaries": [{"years": 95, "event": "Ngày thành lập Công đoàn Việt Nam " * 3, "date": "2024-07-28"}]}
    text = calendar([plan], now=0)
    check_rfc5545(text)
    assert "DTSTART;VALUE=DATE:20230301" in text and "DTEND;VALUE=DATE:20230401" in text  # the end day included
    assert "DTSTAMP:19700101T000000Z" in text and "Thi đua\\; “Lao động giỏi\\, sáng tạo”\\nnăm 2023" in \
        text.replace("\r\n ", "")


def test_the_cli_exports_xlsx_and_ics(tmp_path):
    from openpyxl import load_workbook

    db = str(tmp_path / "archive.db")
    assert vanban("index", str(SEED), "--db", db, "--ocr", "never").returncode == 0
    out = tmp_path / "ket-qua.xlsx"
    proc = vanban("export", "--format", "xlsx", "--search", "lao dong sang tao", "--out", str(out), "--db", db)
    assert proc.returncode == 0, proc.stderr
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "149/KH-LĐLĐ"
    ics = tmp_path / "lich.ics"
    assert vanban("export", "--format", "ics", "--out", str(ics), "--db", db).returncode == 0
    check_rfc5545(ics.read_bytes().decode("utf-8"))
    assert vanban("export", "--format", "xlsx", "--db", db, check=False).returncode != 0  # --out is needed


def test_the_cli_writes_movement_tables_and_charts(tmp_path):
    from openpyxl import load_workbook
    from PIL import Image

    db = str(tmp_path / "archive.db")
    assert vanban("index", str(SEED), str(RL), "--db", db, "--ocr", "never").returncode == 0
    table = tmp_path / "phong-trao.xlsx"
    assert vanban("movements", "--out", str(table), "--db", db).returncode == 0
    rows = list(load_workbook(table).active.iter_rows(values_only=True))
    assert rows[0] == ("Phong trào", "Loại", "Số kế hoạch") and all(r[2] == 1 for r in rows[1:])  # two files, one plan
    years = tmp_path / "ldg.csv"
    assert vanban("movements", "lao dong gioi", "--out", str(years), "--db", db).returncode == 0
    assert years.read_text(encoding="utf-8-sig").splitlines()[1] == "2023,LĐLĐ TỈNH NAM ĐỊNH,1"
    chart = tmp_path / "ldg.png"
    assert vanban("movements", "lao dong gioi", "--out", str(chart), "--db", db).returncode == 0
    assert Image.open(chart).format == "PNG"
    bad = vanban("movements", "--out", str(tmp_path / "x.png"), "--db", db, check=False)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
