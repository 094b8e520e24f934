"""The default store: one SQLite file (WAL, busy timeout), nothing to install."""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from service.archive.store import StoredFile

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id          TEXT PRIMARY KEY,      -- sha256 of the original file
    filename    TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    created_at  REAL NOT NULL,
    parsed_json TEXT NOT NULL,
    content     BLOB NOT NULL
);
"""


class SQLiteStore:
    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        # one short-lived connection per call: request threads never share one
        con = sqlite3.connect(self.path, timeout=30)
        con.execute("PRAGMA busy_timeout=30000")
        return con

    def put(self, doc_id: str, filename: str, media_type: str, content: bytes, parsed_json: str) -> bool:
        con = self._connect()
        try:
            with con:
                cur = con.execute(
                    "INSERT INTO documents (id, filename, media_type, size, created_at, parsed_json, content) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
                    (doc_id, filename, media_type, len(content), time.time(), parsed_json, content))
                return cur.rowcount == 1
        finally:
            con.close()

    def _one(self, sql: str, doc_id: str):
        con = self._connect()
        try:
            return con.execute(sql, (doc_id,)).fetchone()
        finally:
            con.close()

    def has(self, doc_id: str) -> bool:
        return self._one("SELECT 1 FROM documents WHERE id = ?", doc_id) is not None

    def get_json(self, doc_id: str) -> str | None:
        row = self._one("SELECT parsed_json FROM documents WHERE id = ?", doc_id)
        return row[0] if row else None

    def get_file(self, doc_id: str) -> StoredFile | None:
        row = self._one("SELECT filename, media_type, content FROM documents WHERE id = ?", doc_id)
        return StoredFile(doc_id, row[0], row[1], bytes(row[2])) if row else None

    def ping(self) -> None:
        con = self._connect()
        try:
            con.execute("SELECT count(*) FROM documents").fetchone()
        finally:
            con.close()

    def close(self) -> None:
        pass
