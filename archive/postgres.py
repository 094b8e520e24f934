"""The shared store: PostgreSQL (`--db postgresql://user@host/db`), the same tables and behaviour as SQLite.

Full text lives in a narrow `search_index` table (one row per plan, keyed by the sort key) of tsvectors
built from the same tokens as the SQLite FTS5 index: `head` (title, movements, themes), `every` (those and
the full text), `xhead`/`xevery` (the exact, Telex-like word forms), each with a GIN index. They hold words
and two-word pairs, without positions: a phrase ("lao động giỏi") is matched by its pairs (lao_dong,
dong_gioi) from the index alone; a phrase of three or more words may thus match its pairs found apart.
Tables go in the connection's current schema (put `options=-csearch_path=...` in the URL to keep several
archives in one database). Creating movements takes an advisory transaction lock so that indexers on
several machines agree on movement identity.
"""
from __future__ import annotations

import time
from typing import Any, Callable, TypeVar

import psycopg
from psycopg_pool import ConnectionPool

from archive.accounts import POSTGRES_SCHEMA as ACCOUNTS_SCHEMA
from archive.records import IndexRecord
from archive.search import Filters, tier_conditions, tsquery_of
from archive.store import OlderArchive
from archive.sqlbase import ArchiveBase
from archive.textfold import Query

T = TypeVar("T")
SCHEMA_VERSION = "8"

SCHEMA = """
CREATE TABLE IF NOT EXISTS archive_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, filename TEXT NOT NULL, media_type TEXT NOT NULL, size BIGINT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL, parsed_json TEXT NOT NULL, content BYTEA
);
CREATE SEQUENCE IF NOT EXISTS catalog_seq;
CREATE TABLE IF NOT EXISTS catalog (
    seq BIGINT PRIMARY KEY, sort_key BIGINT NOT NULL UNIQUE, doc_id TEXT NOT NULL UNIQUE, filename TEXT NOT NULL,
    source_path TEXT, number TEXT, title TEXT, doc_type TEXT, doc_type_key TEXT, issuer TEXT, issuer_id BIGINT NOT NULL,
    parent_issuer TEXT,
    issued_date TEXT, year INTEGER, pages INTEGER NOT NULL DEFAULT 0, digest TEXT NOT NULL,
    indexed_at DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS catalog_type ON catalog (doc_type_key, sort_key);
CREATE INDEX IF NOT EXISTS catalog_year ON catalog (year);
CREATE TABLE IF NOT EXISTS search_index (
    sort_key BIGINT PRIMARY KEY, doc_type_key TEXT, issuer_id BIGINT NOT NULL, head TSVECTOR NOT NULL,
    every TSVECTOR NOT NULL, xhead TSVECTOR NOT NULL, xevery TSVECTOR NOT NULL
) WITH (toast_tuple_target = 128);
CREATE INDEX IF NOT EXISTS search_head ON search_index USING gin (head);
CREATE INDEX IF NOT EXISTS search_every ON search_index USING gin (every);
CREATE INDEX IF NOT EXISTS search_xhead ON search_index USING gin (xhead);
CREATE INDEX IF NOT EXISTS search_xevery ON search_index USING gin (xevery);
CREATE INDEX IF NOT EXISTS search_issuer ON search_index (issuer_id, sort_key);
CREATE INDEX IF NOT EXISTS search_type ON search_index (doc_type_key, sort_key);
CREATE TABLE IF NOT EXISTS doc_texts (seq BIGINT PRIMARY KEY, text BYTEA NOT NULL);
CREATE TABLE IF NOT EXISTS movements (
    id TEXT PRIMARY KEY, kb_key TEXT UNIQUE, name TEXT NOT NULL, kind TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL
);
CREATE TABLE IF NOT EXISTS movement_names (
    seq BIGSERIAL PRIMARY KEY, key TEXT NOT NULL UNIQUE, movement_id TEXT NOT NULL, name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS document_movements (
    movement_id TEXT NOT NULL, sort_key BIGINT NOT NULL, seq BIGINT NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, kind TEXT,
    period TEXT, year INTEGER, issuer_id BIGINT NOT NULL, doc_type_key TEXT, PRIMARY KEY (movement_id, sort_key)
);
CREATE INDEX IF NOT EXISTS dm_seq ON document_movements (seq);
CREATE INDEX IF NOT EXISTS dm_issuer ON document_movements (issuer_id, doc_type_key);
CREATE TABLE IF NOT EXISTS issuers (id BIGSERIAL PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT, tokens TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS movement_years (
    movement_id TEXT NOT NULL, year INTEGER NOT NULL, doc_type_key TEXT NOT NULL, plans BIGINT NOT NULL,
    PRIMARY KEY (movement_id, year, doc_type_key)
);
CREATE INDEX IF NOT EXISTS my_year ON movement_years (year);
CREATE TABLE IF NOT EXISTS movement_issuers (
    movement_id TEXT NOT NULL, year INTEGER NOT NULL, issuer_id BIGINT NOT NULL, plans BIGINT NOT NULL,
    PRIMARY KEY (issuer_id, year, movement_id)
);
CREATE INDEX IF NOT EXISTS mi_movement ON movement_issuers (movement_id, year, issuer_id) INCLUDE (plans);
CREATE TABLE IF NOT EXISTS movement_spellings (
    movement_id TEXT NOT NULL, name TEXT NOT NULL, plans BIGINT NOT NULL, PRIMARY KEY (movement_id, name)
);
CREATE TABLE IF NOT EXISTS movement_events (
    movement_id TEXT NOT NULL, event_key TEXT NOT NULL, event TEXT NOT NULL, plans BIGINT NOT NULL,
    PRIMARY KEY (movement_id, event_key)
);
CREATE TABLE IF NOT EXISTS anniversaries (
    seq BIGINT NOT NULL, position INTEGER NOT NULL, event_key TEXT, event TEXT NOT NULL, years INTEGER, date TEXT,
    PRIMARY KEY (seq, position)
);
CREATE TABLE IF NOT EXISTS index_failures (
    doc_id TEXT PRIMARY KEY, path TEXT NOT NULL, code TEXT NOT NULL, message TEXT NOT NULL, at DOUBLE PRECISION NOT NULL
);
"""
# (exact diacritics, title/movement/theme only) -> the tsvector column holding those tokens
_COLUMN = {(False, True): "head", (False, False): "every", (True, True): "xhead", (True, False): "xevery"}
_SCHEMA_LOCK = "SELECT pg_advisory_xact_lock(hashtext(coalesce(current_schema(), '') || ':vanban-schema'))"
_IDENTITY_LOCK = "SELECT pg_advisory_xact_lock(hashtext(coalesce(current_schema(), '') || ':vanban-movements'))"


def tsvector_literal(fields: list[str]) -> str:
    """A tsvector (text form) of the words of the fields and of each two words standing together in one field
    (`'lao' 'dong' 'lao_dong'`): a phrase is matched by its pairs, from the index alone, no positions read."""
    lexemes: dict[str, None] = {}
    for tokens in fields:
        words = [w for w in tokens.split() if len(w) <= 100]
        lexemes.update(dict.fromkeys(words))
        lexemes.update(dict.fromkeys(f"{a}_{b}" for a, b in zip(words, words[1:])))
    return " ".join(f"'{t}'" for t in lexemes)


class _Tx:
    __slots__ = ("cur",)

    def __init__(self, cur: psycopg.Cursor):
        self.cur = cur

    def one(self, sql: str, params=()):
        self.cur.execute(sql.replace("?", "%s"), params)
        return self.cur.fetchone()

    def all(self, sql: str, params=()) -> list:
        self.cur.execute(sql.replace("?", "%s"), params)
        return self.cur.fetchall()

    def run(self, sql: str, params=()) -> int:
        self.cur.execute(sql.replace("?", "%s"), params)
        return self.cur.rowcount

    def many(self, sql: str, rows: list) -> None:
        self.cur.executemany(sql.replace("?", "%s"), rows)


class PostgresStore(ArchiveBase):
    backend = "postgresql"

    def __init__(self, url: str, pool_size: int = 8):
        super().__init__()
        self.url = url
        self.pool = ConnectionPool(url, min_size=1, max_size=pool_size, open=False, timeout=60,
                                   kwargs={"autocommit": False})
        try:
            self.pool.open(wait=True, timeout=15)
        except Exception as exc:
            self.pool.close()
            raise ConnectionError(f"PostgreSQL is not reachable at {_safe(url)}: {exc}") from None
        self._write(self._create_schema)

    def _create_schema(self, tx: _Tx) -> None:
        tx.run(_SCHEMA_LOCK)
        if tx.one("SELECT to_regclass('archive_meta')")[0] is not None:
            row = tx.one("SELECT value FROM archive_meta WHERE key = 'schema_version'")
            if row and row[0] == SCHEMA_VERSION:
                self._accounts_schema(tx)
                self.groups_schema(tx.run)
                return
            if row:
                raise OlderArchive(row[0], SCHEMA_VERSION)
        for statement in SCHEMA.split(";\n"):
            if statement.strip():
                tx.run(statement)
        tx.run("INSERT INTO archive_meta (key, value) VALUES ('schema_version', ?) "
               "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (SCHEMA_VERSION,))
        self._accounts_schema(tx)
        self.groups_schema(tx.run)

    @staticmethod
    def _accounts_schema(tx: _Tx) -> None:
        """Accounts, corrections, trash and audit: tables added beside an archive of any layout version."""
        if tx.one("SELECT to_regclass('trash')")[0] is not None:
            return
        for statement in ACCOUNTS_SCHEMA.split(";\n"):
            if statement.strip():
                tx.run(statement)

    def _write(self, fn: Callable[[_Tx], T]) -> T:
        for attempt in range(8):
            try:
                with self.pool.connection() as conn:
                    with conn.transaction(), conn.cursor() as cur:
                        return fn(_Tx(cur))
            except (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure):
                if attempt == 7:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def _read(self, fn: Callable[[_Tx], T]) -> T:
        with self.pool.connection() as conn:
            with conn.transaction(), conn.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                return fn(_Tx(cur))

    def close(self) -> None:
        self.pool.close()

    # -- backend parts -------------------------------------------------------------------------------
    def _next_seq(self, tx: _Tx) -> int:
        return int(tx.one("SELECT nextval('catalog_seq')")[0])

    def _blob(self, content: bytes | None) -> Any:
        return content

    def _now(self, tx: _Tx) -> float:
        return float(tx.one("SELECT extract(epoch from clock_timestamp())")[0])

    def _lock_identity(self, tx: _Tx) -> None:
        tx.run(_IDENTITY_LOCK)

    def _index_search(self, tx: _Tx, seq: int, sort_key: int, record: IndexRecord, issuer_id: int,
                      issuer_words: str) -> None:
        s = record.search
        head = [s["title"], s["movements"], s["themes"]]
        tx.run("INSERT INTO search_index (sort_key, doc_type_key, issuer_id, head, every, xhead, xevery) VALUES "
               "(?, ?, ?, CAST(? AS tsvector), CAST(? AS tsvector), CAST(? AS tsvector), CAST(? AS tsvector))",
               (sort_key, record.doc_type_key, issuer_id, tsvector_literal(head), tsvector_literal(head + [s["body"]]),
                tsvector_literal([s["xhead"]]), tsvector_literal([s["xhead"], s["xbody"]])))

    def _unindex_search(self, tx: _Tx, seq: int, sort_key: int, record: IndexRecord, issuer_words: str) -> None:
        tx.run("DELETE FROM search_index WHERE sort_key = ?", (sort_key,))

    def _in(self, column: str, values: list) -> tuple[str, list]:
        return f"{column} = ANY(?)", [list(values)]

    def _where(self, tx: _Tx, q: Query, f: Filters, tier: str | None) -> tuple[str, list]:
        """WHERE over `search_index s` selecting a tier's matches. Every tsvector test is answered by a GIN index
        (bitmaps: no tsvector is read from the table); the tiers' exclusions are anti-joins on such bitmaps."""
        # with words, the year range and type are tested on the matches only (a narrow row each): as index
        # conditions they lead the planner to read every row of a year and test its tsvector (de-TOASTed)
        clauses, params = self._filter_clauses(tx, f, "s", indexed=q.empty, issuer_indexed=True)
        if not q.empty:
            want, unless = tier_conditions(q, tier)
            clauses.append(f"s.{_COLUMN[(want.exact, want.head)]} @@ CAST(? AS tsquery)")
            params.append(tsquery_of(q, want))
            for other in unless:
                clauses.append(f"NOT EXISTS (SELECT 1 FROM search_index x WHERE x.sort_key = s.sort_key "
                               f"AND x.{_COLUMN[(other.exact, other.head)]} @@ CAST(? AS tsquery))")
                params.append(tsquery_of(q, other))
        return " AND ".join(clauses) or "TRUE", params

    @staticmethod
    def _bitmaps_only(tx: _Tx, q: Query, sql: str, params: list) -> list:
        """Run a text query with its matches taken from the GIN indexes as bitmaps: a plan that tests tsvectors
        row by row (a scan in sort-key order, say) reads each row's big tsvector out of TOAST, slow when
        matches are few."""
        if q.empty:
            return tx.all(sql, params)
        tx.run("SET LOCAL enable_seqscan = off")
        tx.run("SET LOCAL enable_indexscan = off")
        try:
            return tx.all(sql, params)
        finally:
            tx.run("SET LOCAL enable_seqscan = on")
            tx.run("SET LOCAL enable_indexscan = on")

    def _tier_keys(self, tx: _Tx, q: Query, f: Filters, tier: str, limit: int, offset: int) -> list[int]:
        where, params = self._where(tx, q, f, tier)
        return [r[0] for r in self._bitmaps_only(tx, q, f"SELECT s.sort_key FROM search_index s WHERE {where} "
                                                 "ORDER BY s.sort_key DESC LIMIT ? OFFSET ?", [*params, limit, offset])]

    def _count(self, tx: _Tx, q: Query, f: Filters, tier: str | None) -> int:
        where, params = self._where(tx, q, f, tier)
        return int(self._bitmaps_only(tx, q, f"SELECT count(*) FROM search_index s WHERE {where}", params)[0][0])


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    import re

    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)
