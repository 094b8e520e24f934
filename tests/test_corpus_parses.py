"""Every document of ../shared/corpus/docs parses with the default OCR mode through the CLI:
no internal error, no traceback, every file read, all within the time limit (one process)."""
from __future__ import annotations

import subprocess
import time
from pathlib import Path

from bench.variants.parse import vanban_command

DOCS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "docs"
TIME_LIMIT = 900  # seconds for the whole corpus, scans OCRed on this machine's cores
INTERNAL = ("Lỗi nội bộ", "internal error")


def test_every_corpus_document_parses(tmp_path):
    assert DOCS.is_dir(), f"the corpus is missing: {DOCS} (shared/ must sit beside the repo)"
    files = sorted(p for p in DOCS.iterdir() if p.suffix.lower() in (".pdf", ".docx"))
    assert len(files) >= 60, f"only {len(files)} documents in {DOCS}"
    started = time.monotonic()
    proc = subprocess.run([*vanban_command(), "parse", *map(str, files), "--out", str(tmp_path), "--ocr", "auto"],
                          capture_output=True, text=True, timeout=TIME_LIMIT)
    took = time.monotonic() - started
    internal = [line for line in proc.stderr.splitlines() if any(k in line for k in INTERNAL)]
    assert not internal, "internal errors:\n" + "\n".join(internal)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode != 10, proc.stderr[-3000:]
    outputs = {p.name for p in tmp_path.glob("*.json")}
    unread = [f.name for f in files if f.stem + ".json" not in outputs and f"{f.stem}-{f.suffix[1:].lower()}.json" not in outputs]
    failures = [line for line in proc.stderr.splitlines() if any(u in line for u in unread)]
    assert not unread, f"{len(unread)} file(s) not read:\n" + "\n".join(failures or unread)
    assert took < TIME_LIMIT
