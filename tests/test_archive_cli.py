"""`vanban index | search | movements | export` as a user runs them, on SQLite and on the real PostgreSQL;
fault tests: kill -9 then re-run, two indexers at once."""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_archive_support import SAMPLES, SEED, db_url, pg_url, unique_pdf_copies  # noqa: F401  (fixtures)

ENV = {**os.environ, "VANBAN_PROGRESS_EVERY": "0.5", "VANBAN_QUEUE_STALLED_AFTER": "4"}


def vanban(*args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "service.cli", *args], capture_output=True, text=True, env=ENV,
                          timeout=timeout, cwd=Path(__file__).resolve().parent.parent)
    if check:
        assert proc.returncode in (0, 1), proc.stderr
    return proc


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "service.cli", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=ENV, start_new_session=True, cwd=Path(__file__).resolve().parent.parent)


@contextlib.contextmanager
def archive(db: str):
    from archive import open_store

    store = open_store(db)
    try:
        yield store
    finally:
        store.close()


def indexed_ids(db: str) -> list[str]:
    """The kept files (copies of one plan are one document with many files: see archive/groups.py)."""
    with archive(db) as store:
        return store._read(lambda tx: [r[0] for r in tx.all("SELECT doc_id FROM doc_groups")])


def assert_whole(db: str, expected: set[str]) -> None:
    """Every document once, with all of its rows, and nothing half-written."""
    with archive(db) as store:
        def check(tx):
            docs = [r[0] for r in tx.all("SELECT id FROM documents")]
            grouped = [r[0] for r in tx.all("SELECT doc_id FROM doc_groups")]
            cat = [r[0] for r in tx.all("SELECT doc_id FROM catalog")]
            shown = [r[0] for r in tx.all("SELECT doc_id FROM doc_groups WHERE group_id = doc_id")]
            # every file kept once; each document (the copies of one plan are one) indexed once, by its shown file
            assert sorted(docs) == sorted(grouped) == sorted(expected)
            assert sorted(cat) == sorted(shown) and len(cat) >= 1
            n = len(cat)
            assert tx.one("SELECT count(*) FROM doc_texts")[0] == n
            assert tx.one("SELECT count(*) FROM catalog WHERE seq NOT IN (SELECT seq FROM doc_texts)")[0] == 0
            assert tx.one("SELECT coalesce(sum(plans), 0) FROM movement_years")[0] == tx.one(
                "SELECT count(*) FROM document_movements")[0]
            assert tx.one("SELECT count(*) FROM document_movements WHERE seq NOT IN (SELECT seq FROM catalog)")[0] == 0
            if store.backend == "sqlite":
                for table in ("fts_head", "fts_every", "fts_xhead", "fts_xevery", "fts_meta"):
                    assert tx.one(f"SELECT count(*) FROM {table}")[0] == n
        store._read(check)


def sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_index_a_folder_then_query_it(db_url, tmp_path):
    folder = tmp_path / "archive"
    (folder / "sub").mkdir(parents=True)
    for name in ("nd-149-kh-ldld-2023.pdf", "cp-ubnd-kimson-2024.pdf", "cp-huyendoan-tunghia-2025.pdf",
                 "lc-kh-3024-27-5-2026-ky-rieng-sin-quyen-orig.docx"):
        shutil.copy(SAMPLES / name, folder / name)
    shutil.copy(SAMPLES / "nd-149-kh-ldld-2023.pdf", folder / "sub" / "same-content.pdf")
    (folder / "sub" / "broken.pdf").write_bytes(b"%PDF-1.7\nthis is not really a PDF\n")
    (folder / "notes.txt").write_text("ignored")

    first = vanban("index", str(folder), "--db", db_url, "--workers", "2", "--ocr", "never", "--json")
    assert first.returncode == 1  # a file failed: the batch went on and said so
    report = json.loads(first.stdout)
    assert (report["files"], report["indexed"], report["duplicates"], report["failed"]) == (6, 4, 1, 1)
    assert report["failures"][0]["path"].endswith("broken.pdf") and report["failures"][0]["code"]
    assert "broken.pdf" in first.stderr and "docs/s" in first.stderr and "ETA" in first.stderr

    again = json.loads(vanban("index", str(folder), "--db", db_url, "--ocr", "never", "--json").stdout)
    assert (again["indexed"], again["already_in_archive"], again["parsed_here"]) == (0, 4, 1)  # only the broken one retried
    assert_whole(db_url, {sha(folder / n) for n in ("nd-149-kh-ldld-2023.pdf", "cp-ubnd-kimson-2024.pdf",
                                                    "cp-huyendoan-tunghia-2025.pdf",
                                                    "lc-kh-3024-27-5-2026-ky-rieng-sin-quyen-orig.docx")})

    found = json.loads(vanban("search", "lao dong gioi", "--db", db_url, "--json").stdout)
    assert set(found) >= {"total", "results"} and found["total"] >= 1
    assert found["results"][0]["number"] == "149/KH-LĐLĐ" and found["results"][0]["snippets"]
    filtered = json.loads(vanban("search", "--db", db_url, "--json", "--from", "2024", "--to", "2024",
                                 "--issuer", "UBND", "--type", "KH").stdout)
    assert [r["number"] for r in filtered["results"]] == [r["number"] for r in filtered["results"] if r["year"] == 2024]
    assert filtered["total"] == 1 and "KIM SƠN" in filtered["results"][0]["issuer"]
    human = vanban("search", "dân vận khéo", "--db", db_url).stdout
    assert "kết quả / results" in human and "«" in human

    movement = json.loads(vanban("movements", "dan van kheo", "--db", db_url, "--json").stdout)
    assert movement["results"][0]["id"] == "dan_van_kheo" and movement["results"][0]["total"] == 2
    assert {y["year"] for y in movement["results"][0]["years"]} == {2023, 2024}
    top = json.loads(vanban("movements", "--top", "3", "--from", "2024", "--db", db_url, "--json").stdout)
    assert [y["year"] for y in top["results"]] == [2024, 2025] and len(top["results"][0]["movements"]) == 3
    assert "Dân vận khéo" in vanban("movements", "dân vận khéo", "--db", db_url).stdout

    lines = vanban("export", "--format", "jsonl", "--db", db_url).stdout.splitlines()
    assert len(lines) == 4 and all(json.loads(line)["document"]["source"]["sha256"] for line in lines)
    table = list(csv.DictReader(io.StringIO(vanban("export", "--format", "csv", "--db", db_url).stdout)))
    assert len(table) == 4 and any("dan_van_kheo" in row["movement_ids"] for row in table)

    with archive(db_url) as store:  # every stored file is a write in the audit log, once
        entries = store.audit_log(limit=100, action="document.index")
        assert entries["total"] == 4 and all(e["actor"].startswith("index:") for e in entries["results"]), entries

    with archive(db_url) as store:  # no copy kept: the original is served from its path while it is unchanged
        original = folder / "cp-ubnd-kimson-2024.pdf"
        kept = store.get_file(sha(original))
        assert kept.content == original.read_bytes() and kept.media_type == "application/pdf"
        original.write_bytes(b"changed since")
        assert store.get_file(sha(folder / "nd-149-kh-ldld-2023.pdf")) is not None
        assert store.get_file(kept.doc_id) is None


def test_query_commands_on_a_missing_archive_say_so(tmp_path):
    proc = vanban("search", "x", "--db", str(tmp_path / "none.db"), check=False)
    assert proc.returncode == 3 and "vanban index" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "none.db").exists()


def test_an_unreachable_postgresql_is_one_sentence(tmp_path):
    proc = vanban("index", str(SEED), "--db", "postgresql://nobody@127.0.0.1:1/none", check=False)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr and "PostgreSQL" in proc.stderr


def _kill_when(proc: subprocess.Popen, db: str, at_least: int, deadline_s: float = 300) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the indexer ended before it could be killed: {proc.stderr.read()}")
        try:
            if len(indexed_ids(db)) >= at_least:
                break
        except Exception:
            pass  # the archive is being created
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the indexer and its parser processes, mid-write
    proc.wait(timeout=30)


def test_kill_9_during_indexing_then_rerun_keeps_every_document_once(db_url, tmp_path):
    files = unique_pdf_copies(tmp_path / "in", 40)
    proc = start("index", str(tmp_path / "in"), "--db", db_url, "--workers", "2", "--ocr", "never")
    _kill_when(proc, db_url, at_least=5)
    partial = indexed_ids(db_url)
    assert 5 <= len(partial) < 40 and len(partial) == len(set(partial))
    rerun = vanban("index", str(tmp_path / "in"), "--db", db_url, "--workers", "2", "--ocr", "never", "--json")
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads(rerun.stdout)
    assert report["already_in_archive"] + report["indexed"] == 40 and report["already_in_archive"] >= len(partial)
    assert_whole(db_url, {sha(f) for f in files})


def test_two_indexers_on_one_sqlite_file(tmp_path):
    files = unique_pdf_copies(tmp_path / "in", 30)
    db = str(tmp_path / "shared.db")
    procs = [start("index", str(tmp_path / "in"), "--db", db, "--workers", "1", "--ocr", "never", "--json")
             for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert "locked" not in err.lower() and "Traceback" not in err
        report = json.loads(out)
        assert report["indexed"] + report["already_in_archive"] == 30 and report["failed"] == 0
    assert_whole(db, {sha(f) for f in files})


def test_two_indexers_split_the_work_on_postgresql(pg_url, tmp_path):
    files = unique_pdf_copies(tmp_path / "in", 60)
    procs = [start("index", str(tmp_path / "in"), "--db", pg_url, "--workers", "1", "--ocr", "never", "--json")
             for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    reports = []
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        reports.append(json.loads(out))
    # no document parsed twice, none lost, and both did part of it
    assert sum(r["parsed_here"] for r in reports) == 60
    assert all(r["parsed_here"] > 0 for r in reports)
    assert all(r["indexed"] + r["already_in_archive"] == 60 and r["failed"] == 0 for r in reports)
    assert_whole(pg_url, {sha(f) for f in files})
    # the queue's planner statistics were refreshed after queueing (never analyzed: reltuples = -1), so taking
    # a job does not scan the whole queue once thousands wait
    with archive(pg_url) as store:
        assert store._read(lambda tx: tx.one(
            "SELECT reltuples FROM pg_class WHERE oid = 'procrastinate_jobs'::regclass")[0]) >= 0
