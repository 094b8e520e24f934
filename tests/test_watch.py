"""`vanban watch DIR`: a consumption folder, polled; files taken once their size is stable, moved to done/ or
failed/ (with the reason beside them). The real command in a subprocess, a real archive."""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from archive.watch import Watcher
from tests.test_archive_cli import archive, start, vanban
from tests.test_archive_support import SEED, db_url, pg_url  # noqa: F401  (fixtures)


def wait_for(condition, timeout_s: float = 180, what: str = "") -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout_s} s: {what}"
        time.sleep(0.2)


def test_a_file_is_taken_only_once_its_size_is_stable(tmp_path):
    w = Watcher(tmp_path, stable_s=5)
    f = tmp_path / "ke-hoach.pdf"
    f.write_bytes(b"%PDF-1.4 part")
    (tmp_path / "ghi-chu.txt").write_text("không phải văn bản")
    assert w.ready(now=100) == []
    assert w.ready(now=103) == []
    with f.open("ab") as fh:  # still being copied
        fh.write(b" more")
    os.utime(f, (time.time() + 1, time.time() + 1))
    assert w.ready(now=106) == []          # changed: the clock starts again
    assert w.ready(now=110) == []
    assert w.ready(now=111.5) == [f]        # 5 s unchanged
    f.unlink()
    assert w.ready(now=120) == [] and not w.seen


def test_vanban_watch_picks_up_a_dropped_file(db_url, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    proc = start("watch", str(inbox), "--db", db_url, "--interval", "0.3", "--stable", "1.5", "--ocr", "never")
    try:
        data = SEED.read_bytes()
        target = inbox / "ke-hoach-149.pdf"
        with target.open("wb") as fh:  # dropped in two halves, as a slow copy would
            fh.write(data[: len(data) // 2])
            fh.flush()
            time.sleep(0.6)
            fh.write(data[len(data) // 2:])
        (inbox / "hong.pdf").write_bytes(b"<html>not a pdf</html>")
        wait_for(lambda: (inbox / "done" / "ke-hoach-149.pdf").exists(), what="the plan moved to done/")
        wait_for(lambda: (inbox / "failed" / "hong.pdf.error.txt").exists(), what="the bad file moved to failed/")
        assert not target.exists() and (inbox / "failed" / "hong.pdf").exists()
        assert (inbox / "failed" / "hong.pdf.error.txt").read_text(encoding="utf-8").strip()
        with archive(db_url) as store:
            result = store.search("149/KH-LĐLĐ")
            assert result["total"] == 1 and result["results"][0]["filename"] == "ke-hoach-149.pdf"
            assert store.get_file(result["results"][0]["id"]).content == data  # kept: it left the folder
            assert store.stats()["failures"] == 1
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "ke-hoach-149.pdf" in err and "hong.pdf" in err and "Traceback" not in err


def test_watch_once_handles_what_is_there_and_stops(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.pdf").write_bytes(SEED.read_bytes())
    db = str(tmp_path / "archive.db")
    proc = vanban("watch", str(inbox), "--db", db, "--interval", "0.2", "--stable", "0.5", "--once", "--ocr", "never",
                  timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert (inbox / "done" / "a.pdf").exists() and "1 tệp" in proc.stderr
    missing = vanban("watch", str(tmp_path / "nowhere"), "--db", db, "--once", check=False)
    assert missing.returncode != 0 and "Traceback" not in missing.stderr


def test_the_folder_is_not_taken_for_a_file(tmp_path):
    assert not Path(tmp_path / "nowhere").exists()
