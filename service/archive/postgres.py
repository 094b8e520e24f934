"""The shared store: PostgreSQL (`--db postgresql://user@host/db`), the same tables and behaviour as SQLite.

Full text lives in two tsvector columns built from the same tokens as the SQLite FTS5 index: `tsv`
(folded words; title/movements/themes weighted A, body D) and `xtsv` (exact, Telex-like word forms), with
GIN indexes. Tables go in the connection's current schema (set `options=-csearch_path=...` in the URL to
keep several archives in one database). Creating movements takes an advisory transaction lock so that
indexers on several machines agree on movement identity.
"""
from __future__ import annotations

import time
from typing import Any, Callable, TypeVar

import psycopg
from psycopg_pool import ConnectionPool

from service.archive.records import IndexRecord
from service.archive.search import Filters, issuer_tsquery, tsquery_parts
from service.archive.sqlbase import ArchiveBase
from service.archive.textfold import Query

T = TypeVar("T")
SCHEMA_VERSION = "4"
MAX_POSITION = 16383
MAX_POSITIONS_PER_WORD = 256

SCHEMA = """
CREATE TABLE IF NOT EXISTS archive_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, filename TEXT NOT NULL, media_type TEXT NOT NULL, size BIGINT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL, parsed_json TEXT NOT NULL, content BYTEA
);
CREATE SEQUENCE IF NOT EXISTS catalog_seq;
CREATE TABLE IF NOT EXISTS catalog (
    seq BIGINT PRIMARY KEY, sort_key BIGINT NOT NULL UNIQUE, doc_id TEXT NOT NULL UNIQUE, filename TEXT NOT NULL,
    source_path TEXT, number TEXT, title TEXT, doc_type TEXT, doc_type_key TEXT, issuer TEXT, parent_issuer TEXT,
    issued_date TEXT, year INTEGER, pages INTEGER NOT NULL DEFAULT 0, digest TEXT NOT NULL,
    indexed_at DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS catalog_type ON catalog (doc_type_key, sort_key);
CREATE INDEX IF NOT EXISTS catalog_year ON catalog (year);
CREATE TABLE IF NOT EXISTS search_index (
    sort_key BIGINT PRIMARY KEY, doc_type_key TEXT, head TSVECTOR NOT NULL, every TSVECTOR NOT NULL,
    xhead TSVECTOR NOT NULL, xevery TSVECTOR NOT NULL, issuer TSVECTOR NOT NULL
) WITH (toast_tuple_target = 128);
CREATE INDEX IF NOT EXISTS search_head ON search_index USING gin (head);
CREATE INDEX IF NOT EXISTS search_every ON search_index USING gin (every);
CREATE INDEX IF NOT EXISTS search_xhead ON search_index USING gin (xhead);
CREATE INDEX IF NOT EXISTS search_xevery ON search_index USING gin (xevery);
CREATE INDEX IF NOT EXISTS search_issuer ON search_index USING gin (issuer);
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
    PRIMARY KEY (movement_id, year, issuer_id)
);
CREATE INDEX IF NOT EXISTS mi_issuer ON movement_issuers (issuer_id, year);
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
_SCHEMA_LOCK = "SELECT pg_advisory_xact_lock(hashtext(coalesce(current_schema(), '') || ':vanban-schema'))"
_IDENTITY_LOCK = "SELECT pg_advisory_xact_lock(hashtext(coalesce(current_schema(), '') || ':vanban-movements'))"


def tsvector_literal(fields: list[str]) -> str:
    """A tsvector in its text form from fields of space-separated tokens, positions running on (with a gap
    between fields so a phrase never spans two)."""
    positions: dict[str, list[int]] = {}
    pos = 1
    for tokens in fields:
        for token in tokens.split():
            if len(token) <= 200:
                ps = positions.setdefault(token, [])
                p = min(pos, MAX_POSITION)
                if len(ps) < MAX_POSITIONS_PER_WORD and (not ps or ps[-1] != p):
                    ps.append(p)
            pos += 1
        pos += 8
    return " ".join(f"'{t}':{','.join(map(str, ps))}" for t, ps in positions.items())


def plain_tsvector(tokens: str) -> str:
    return " ".join(f"'{t}'" for t in dict.fromkeys(tokens.split()) if len(t) <= 200)


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
                return
        for statement in SCHEMA.split(";\n"):
            if statement.strip():
                tx.run(statement)
        tx.run("INSERT INTO archive_meta (key, value) VALUES ('schema_version', ?) "
               "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (SCHEMA_VERSION,))

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

    def _index_search(self, tx: _Tx, seq: int, sort_key: int, record: IndexRecord) -> None:
        s = record.search
        head = [s["title"], s["movements"], s["themes"]]
        tx.run("INSERT INTO search_index (sort_key, doc_type_key, head, every, xhead, xevery, issuer) VALUES "
               "(?, ?, CAST(? AS tsvector), CAST(? AS tsvector), CAST(? AS tsvector), CAST(? AS tsvector), "
               "CAST(? AS tsvector))",
               (sort_key, record.doc_type_key, tsvector_literal(head), tsvector_literal(head + [s["body"]]),
                tsvector_literal([s["xhead"]]), tsvector_literal([s["xhead"], s["xbody"]]), plain_tsvector(s["issuer"])))

    def _where(self, q: Query, f: Filters, tier: str | None) -> tuple[str, list]:
        """WHERE over search_index selecting a tier's matches (tsvector columns: head, every, xhead, xevery)."""
        clauses: list[str] = []
        params: list[Any] = []
        rng = f.key_range()
        if rng:
            clauses.append("sort_key BETWEEN ? AND ?")
            params.extend(rng)
        if f.type_key:
            clauses.append("doc_type_key = ?")
            params.append(f.type_key)
        if f.issuer_words:
            clauses.append("issuer @@ CAST(? AS tsquery)")
            params.append(issuer_tsquery(f))
        if not q.empty:
            t = tsquery_parts(q)
            every, head = ("every @@ CAST(? AS tsquery)", t["every"]), ("head @@ CAST(? AS tsquery)", t["every"])
            exact, exact_head = ("xevery @@ CAST(? AS tsquery)", t["exact"]), ("xhead @@ CAST(? AS tsquery)", t["exact"])
            no = lambda part: ("NOT " + part[0], part[1])  # noqa: E731
            parts = {None: [every], "all": [every], "exact_head": [exact_head], "exact_text": [exact, no(exact_head)],
                     "head": [head] + ([no(exact)] if q.marked else []),
                     "text": [every, no(head)] + ([no(exact)] if q.marked else [])}[tier]
            for sql, p in parts:
                clauses.append(sql)
                params.append(p)
        return " AND ".join(clauses) or "TRUE", params

    def _tier_keys(self, tx: _Tx, q: Query, f: Filters, tier: str, limit: int, offset: int) -> list[int]:
        where, params = self._where(q, f, tier)
        tx.run("SET LOCAL enable_seqscan = off")  # a tsvector test row by row costs a detoast each: use the indexes
        return [r[0] for r in tx.all(f"SELECT sort_key FROM search_index WHERE {where} ORDER BY sort_key DESC "
                                     "LIMIT ? OFFSET ?", [*params, limit, offset])]

    def _count(self, tx: _Tx, q: Query, f: Filters, tier: str | None) -> int:
        where, params = self._where(q, f, tier)
        tx.run("SET LOCAL enable_seqscan = off")
        return int(tx.one(f"SELECT count(*) FROM search_index WHERE {where}", params)[0])

    def _issuer_clause(self, f: Filters, column: str) -> tuple[str, list]:
        return f"{column} IN (SELECT sort_key FROM search_index WHERE issuer @@ CAST(? AS tsquery))", [issuer_tsquery(f)]


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    import re

    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)
