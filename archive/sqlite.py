"""The default store: one SQLite file (WAL, busy timeout, FTS5 with `remove_diacritics 2`), nothing to install.

Writers take the write lock up front (BEGIN IMMEDIATE) and wait for it (busy timeout, then retries with
back-off), so two indexers on one file queue up instead of failing with "database is locked".
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Callable, TypeVar

from archive.accounts import SQLITE_SCHEMA as ACCOUNTS_SCHEMA
from archive.records import IndexRecord
from archive.search import Filters, fts_expression, meta_expression, tier_conditions
from archive.sqlbase import ArchiveBase
from archive.store import OlderArchive
from archive.textfold import Query

T = TypeVar("T")
SCHEMA_VERSION = 6
BUSY_TIMEOUT_MS = 30_000
LOCK_PATIENCE_S = 600  # how long a writer keeps retrying a locked database before giving up

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id          TEXT PRIMARY KEY,      -- sha256 of the original file
    filename    TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    created_at  REAL NOT NULL,
    parsed_json TEXT NOT NULL,
    content     BLOB NOT NULL          -- empty when indexed from a folder without keeping a copy
);
CREATE TABLE IF NOT EXISTS catalog (
    seq          INTEGER PRIMARY KEY,
    sort_key     INTEGER NOT NULL UNIQUE,   -- yyyymmdd * 1e8 + seq: newest first, year ranges; the FTS rowid
    doc_id       TEXT NOT NULL UNIQUE,
    filename     TEXT NOT NULL,
    source_path  TEXT,
    number       TEXT,
    title        TEXT,
    doc_type     TEXT,
    doc_type_key TEXT,
    issuer       TEXT,
    issuer_id    INTEGER NOT NULL,
    parent_issuer TEXT,
    issued_date  TEXT,
    year         INTEGER,
    pages        INTEGER NOT NULL DEFAULT 0,
    digest       TEXT NOT NULL,            -- themes, phases, anniversaries (JSON)
    indexed_at   REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS catalog_type ON catalog(doc_type_key, sort_key);
CREATE INDEX IF NOT EXISTS catalog_year ON catalog(year);
CREATE TABLE IF NOT EXISTS doc_texts (seq INTEGER PRIMARY KEY, text BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS movements (
    id         TEXT PRIMARY KEY,
    kb_key     TEXT UNIQUE,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS movement_names (
    seq         INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    movement_id TEXT NOT NULL,
    name        TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS document_movements (
    movement_id  TEXT NOT NULL,
    sort_key     INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    position     INTEGER NOT NULL,          -- order of first mention in the plan
    name         TEXT NOT NULL,
    kind         TEXT,
    period       TEXT,
    year         INTEGER,
    issuer_id    INTEGER NOT NULL,
    doc_type_key TEXT,
    PRIMARY KEY (movement_id, sort_key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dm_seq ON document_movements(seq);
CREATE INDEX IF NOT EXISTS dm_issuer ON document_movements(issuer_id, doc_type_key);
CREATE TABLE IF NOT EXISTS issuers (
    id     INTEGER PRIMARY KEY,
    key    TEXT NOT NULL UNIQUE,           -- name | search words
    name   TEXT,
    tokens TEXT NOT NULL                   -- issuer, parent issuer, code, abbreviations: folded words
);
-- counters kept in each plan's transaction: movement queries never aggregate per-plan rows
CREATE TABLE IF NOT EXISTS movement_years (
    movement_id  TEXT NOT NULL,
    year         INTEGER NOT NULL,         -- 0: unknown
    doc_type_key TEXT NOT NULL,            -- '': unknown
    plans        INTEGER NOT NULL,
    PRIMARY KEY (movement_id, year, doc_type_key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS my_year ON movement_years(year);
CREATE TABLE IF NOT EXISTS movement_issuers (
    movement_id TEXT NOT NULL,
    year        INTEGER NOT NULL,
    issuer_id   INTEGER NOT NULL,
    plans       INTEGER NOT NULL,
    PRIMARY KEY (issuer_id, year, movement_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mi_movement ON movement_issuers(movement_id, year, issuer_id, plans);
CREATE TABLE IF NOT EXISTS movement_spellings (
    movement_id TEXT NOT NULL,
    name        TEXT NOT NULL,
    plans       INTEGER NOT NULL,
    PRIMARY KEY (movement_id, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS movement_events (
    movement_id TEXT NOT NULL,
    event_key   TEXT NOT NULL,             -- the commemoration's kb key, else its name
    event       TEXT NOT NULL,
    plans       INTEGER NOT NULL,
    PRIMARY KEY (movement_id, event_key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS anniversaries (
    seq       INTEGER NOT NULL,
    position  INTEGER NOT NULL,
    event_key TEXT,
    event     TEXT NOT NULL,
    years     INTEGER,
    date      TEXT,
    PRIMARY KEY (seq, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS index_failures (
    doc_id  TEXT PRIMARY KEY,
    path    TEXT NOT NULL,
    code    TEXT NOT NULL,
    message TEXT NOT NULL,
    at      REAL NOT NULL
);
-- full text: contentless FTS5 tables, rowid = catalog.sort_key; one table per kind of match, so that no
-- query needs a column filter over the big full-text index
CREATE VIRTUAL TABLE IF NOT EXISTS fts_head USING fts5(
    title, movements, themes, content='', tokenize="unicode61 remove_diacritics 2");
CREATE VIRTUAL TABLE IF NOT EXISTS fts_every USING fts5(
    words, content='', tokenize="unicode61 remove_diacritics 2");
CREATE VIRTUAL TABLE IF NOT EXISTS fts_xhead USING fts5(
    words, content='', tokenize="unicode61 remove_diacritics 2");
CREATE VIRTUAL TABLE IF NOT EXISTS fts_xevery USING fts5(
    words, content='', tokenize="unicode61 remove_diacritics 2");
CREATE VIRTUAL TABLE IF NOT EXISTS fts_meta USING fts5(
    issuer, dtype, content='', tokenize="unicode61 remove_diacritics 2");
"""


# (exact diacritics, title/movement/theme only) -> the FTS5 table holding those tokens
_FTS_TABLE = {(False, True): "fts_head", (False, False): "fts_every", (True, True): "fts_xhead", (True, False): "fts_xevery"}


def _busy(exc: Exception) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


class _Tx:
    __slots__ = ("con",)

    def __init__(self, con: sqlite3.Connection):
        self.con = con

    def one(self, sql: str, params=()):
        return self.con.execute(sql, params).fetchone()

    def all(self, sql: str, params=()) -> list:
        return self.con.execute(sql, params).fetchall()

    def run(self, sql: str, params=()) -> int:
        return self.con.execute(sql, params).rowcount

    def many(self, sql: str, rows: list) -> None:
        self.con.executemany(sql, rows)


class SQLiteStore(ArchiveBase):
    backend = "sqlite"

    def __init__(self, path: str | Path):
        super().__init__()
        self.path = str(Path(path).expanduser()) if str(path) != ":memory:" else ":memory:"
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        self._patient(self._create_schema)

    # -- connections and transactions ---------------------------------------------------------------
    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                  check_same_thread=False)
            con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            con.execute("PRAGMA synchronous=NORMAL")  # WAL: a commit survives kill -9 of the process
            con.execute("PRAGMA cache_size=-65536")
            con.execute("PRAGMA temp_store=MEMORY")
            self._local.con = con
            with self._guard:
                self._opened.append(con)
        return con

    def _patient(self, fn: Callable[[], T]) -> T:
        """Run fn, retrying while another process holds the database (no "database is locked" reaches a user)."""
        deadline = time.monotonic() + LOCK_PATIENCE_S
        pause = 0.05
        while True:
            try:
                return fn()
            except sqlite3.OperationalError as exc:
                if not _busy(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 2.0)

    def _create_schema(self) -> None:
        con = self._con()
        if con.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            mode = con.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode != "wal" and self.path != ":memory:":
                raise sqlite3.OperationalError("database is locked (could not switch to WAL)")
        found = con.execute("PRAGMA user_version").fetchone()[0]
        if found >= SCHEMA_VERSION:
            self._accounts_schema(con)
            self._groups_table(con)
            return
        if found:
            raise OlderArchive(found, SCHEMA_VERSION)
        con.execute("BEGIN IMMEDIATE")
        try:
            for statement in SCHEMA.split(";\n"):
                if statement.strip():
                    con.execute(statement)
            con.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        self._accounts_schema(con)
        self._groups_table(con)

    def _groups_table(self, con: sqlite3.Connection) -> None:
        """Which files are one document (archive/groups.py): a table added beside an archive of any layout."""
        if con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'doc_groups'").fetchone()[0]:
            return
        con.execute("BEGIN IMMEDIATE")
        try:
            self.groups_schema(con.execute)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    @staticmethod
    def _accounts_schema(con: sqlite3.Connection) -> None:
        """Accounts, corrections, trash and audit: tables added beside an archive of any layout version."""
        if con.execute("SELECT count(*) FROM sqlite_master WHERE name IN ('users', 'trash', 'revisions')").fetchone()[0] == 3:
            return
        con.execute("BEGIN IMMEDIATE")
        try:
            for statement in ACCOUNTS_SCHEMA.split(";\n"):
                if statement.strip():
                    con.execute(statement)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def _write(self, fn: Callable[[_Tx], T]) -> T:
        con = self._con()

        def attempt() -> T:
            con.execute("BEGIN IMMEDIATE")
            try:
                result = fn(_Tx(con))
                con.execute("COMMIT")
                return result
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise

        return self._patient(attempt)

    def _read(self, fn: Callable[[_Tx], T]) -> T:
        con = self._con()

        def attempt() -> T:
            con.execute("BEGIN")  # one snapshot for the whole read
            try:
                return fn(_Tx(con))
            finally:
                if con.in_transaction:
                    con.execute("COMMIT")

        return self._patient(attempt)

    def close(self) -> None:
        with self._guard:
            for con in self._opened:
                try:
                    con.close()
                except sqlite3.Error:
                    pass
            self._opened.clear()
        self._local = threading.local()

    # -- backend parts -------------------------------------------------------------------------------
    def _next_seq(self, tx: _Tx) -> int:
        return int(tx.one("SELECT coalesce(max(seq), 0) + 1 FROM catalog")[0])

    def _blob(self, content: bytes | None):
        return content if content is not None else b""

    def _lock_identity(self, tx: _Tx) -> None:
        pass  # the write transaction is already the only writer (BEGIN IMMEDIATE)

    def _index_search(self, tx: _Tx, seq: int, sort_key: int, record: IndexRecord, issuer_id: int,
                      issuer_words: str) -> None:
        s = record.search
        head = " ".join((s["title"], s["movements"], s["themes"]))
        tx.run("INSERT INTO fts_head (rowid, title, movements, themes) VALUES (?, ?, ?, ?)",
               (sort_key, s["title"], s["movements"], s["themes"]))
        tx.run("INSERT INTO fts_every (rowid, words) VALUES (?, ?)", (sort_key, head + " " + s["body"]))
        tx.run("INSERT INTO fts_xhead (rowid, words) VALUES (?, ?)", (sort_key, s["xhead"]))
        tx.run("INSERT INTO fts_xevery (rowid, words) VALUES (?, ?)", (sort_key, s["xhead"] + " " + s["xbody"]))
        tx.run("INSERT INTO fts_meta (rowid, issuer, dtype) VALUES (?, ?, ?)", (sort_key, issuer_words, s["dtype"]))

    def _unindex_search(self, tx: _Tx, seq: int, sort_key: int, record: IndexRecord, issuer_words: str) -> None:
        """Contentless FTS5 tables forget a row when told its values as they were indexed."""
        s = record.search
        head = " ".join((s["title"], s["movements"], s["themes"]))
        tx.run("INSERT INTO fts_head (fts_head, rowid, title, movements, themes) VALUES ('delete', ?, ?, ?, ?)",
               (sort_key, s["title"], s["movements"], s["themes"]))
        tx.run("INSERT INTO fts_every (fts_every, rowid, words) VALUES ('delete', ?, ?)", (sort_key, head + " " + s["body"]))
        tx.run("INSERT INTO fts_xhead (fts_xhead, rowid, words) VALUES ('delete', ?, ?)", (sort_key, s["xhead"]))
        tx.run("INSERT INTO fts_xevery (fts_xevery, rowid, words) VALUES ('delete', ?, ?)",
               (sort_key, s["xhead"] + " " + s["xbody"]))
        tx.run("INSERT INTO fts_meta (fts_meta, rowid, issuer, dtype) VALUES ('delete', ?, ?, ?)",
               (sort_key, issuer_words, s["dtype"]))

    def _where(self, q: Query, f: Filters, tier: str | None) -> tuple[str, str, list]:
        """(table, where, params) selecting the sort keys of a tier's matches."""
        rng = f.key_range()
        meta = meta_expression(f)
        if q.empty and not f.issuer_words:
            clauses, params = self._filter_clauses(None, f)
            return "catalog", " AND ".join(clauses) or "1=1", params
        if q.empty:
            table, clauses, params = "fts_meta", ["fts_meta MATCH ?"], [meta]
        else:
            want, unless = tier_conditions(q, tier)
            table = _FTS_TABLE[(want.exact, want.head)]
            clauses, params = [f"{table} MATCH ?"], [fts_expression(q, want)]
            # `+rowid IN (subquery)`: the subquery's rowids are gathered once; without the `+` SQLite would run
            # the main MATCH once per rowid of the subquery
            for other in unless:
                other_table = _FTS_TABLE[(other.exact, other.head)]
                clauses.append(f"+{table}.rowid NOT IN (SELECT rowid FROM {other_table} WHERE {other_table} MATCH ?)")
                params.append(fts_expression(q, other))
            if meta:
                clauses.append(f"+{table}.rowid IN (SELECT rowid FROM fts_meta WHERE fts_meta MATCH ?)")
                params.append(meta)
        if rng:
            clauses.append(f"{table}.rowid BETWEEN ? AND ?")
            params.extend(rng)
        return table, " AND ".join(clauses), params

    def _tier_keys(self, tx: _Tx, q: Query, f: Filters, tier: str, limit: int, offset: int) -> list[int]:
        table, where, params = self._where(q, f, tier)
        column = "sort_key" if table == "catalog" else f"{table}.rowid"
        return [r[0] for r in tx.all(f"SELECT {column} FROM {table} WHERE {where} ORDER BY {column} DESC LIMIT ? OFFSET ?",
                                     [*params, limit, offset])]

    def _count(self, tx: _Tx, q: Query, f: Filters, tier: str | None) -> int:
        table, where, params = self._where(q, f, tier)
        return int(tx.one(f"SELECT count(*) FROM {table} WHERE {where}", params)[0])

    def _in(self, column: str, values: list) -> tuple[str, list]:
        if not values:
            return "0 = 1", []
        if len(values) > 5000:  # past SQLite's comfortable number of parameters: one JSON array
            return f"{column} IN (SELECT value FROM json_each(?))", [json.dumps(list(values))]
        return f"{column} IN ({','.join('?' * len(values))})", list(values)
