"""What both stores share: writing a document with its index rows in one transaction, and the queries.

A backend (sqlite.py, postgres.py) supplies transactions (`_write`, `_read`), the full-text index
(`_index_search`, `_tier_keys`, `_count`, `_in`) and the identity lock. SQL here uses `?`
placeholders; the PostgreSQL transaction object rewrites them.
"""
from __future__ import annotations

import hashlib
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Iterator, Protocol, TypeVar

from archive.accounts import Accounts
from archive.changes import Changes
from archive.corrections import apply_corrections
from archive.groups import Groups
from archive.movement_queries import MovementQueries
from archive.records import IndexRecord, build_record, unpack_text
from archive.resolver import MovementResolver
from archive.search import MATCH_LABEL, Filters, tiers
from archive.snippets import snippet
from archive.store import StoredFile
from archive.textfold import Query, parse_query

T = TypeVar("T")
CATALOG_COLUMNS = ("seq, sort_key, doc_id, filename, source_path, number, title, doc_type, issuer, parent_issuer, "
                   "issued_date, year, pages, digest")


class Tx(Protocol):
    def one(self, sql: str, params: tuple | list = ()) -> Any: ...
    def all(self, sql: str, params: tuple | list = ()) -> list: ...
    def run(self, sql: str, params: tuple | list = ()) -> int: ...
    def many(self, sql: str, rows: list) -> None: ...


def marks(n: int) -> str:
    return ",".join("?" * n)


class ArchiveBase(Accounts, Changes, Groups, MovementQueries):
    backend = "base"

    def __init__(self) -> None:
        self.resolver = MovementResolver(self._lock_identity)

    # -- supplied by a backend ---------------------------------------------------------------------
    def _write(self, fn: Callable[[Tx], T]) -> T: raise NotImplementedError  # a transaction (retried whole)
    def _read(self, fn: Callable[[Tx], T]) -> T: raise NotImplementedError
    def _next_seq(self, tx: Tx) -> int: raise NotImplementedError
    def _index_search(self, tx: Tx, seq: int, sort_key: int, record: IndexRecord, issuer_id: int,
                      issuer_words: str) -> None: raise NotImplementedError
    def _in(self, column: str, values: list) -> tuple[str, list]: raise NotImplementedError
    def _lock_identity(self, tx: Tx) -> None: raise NotImplementedError
    def _unindex_search(self, tx: Tx, seq: int, sort_key: int, record: IndexRecord,
                        issuer_words: str) -> None: raise NotImplementedError
    def _tier_keys(self, tx: Tx, q: Query, f: Filters, tier: str, limit: int, offset: int) -> list[int]: raise NotImplementedError
    def _count(self, tx: Tx, q: Query, f: Filters, tier: str | None) -> int: raise NotImplementedError
    def _blob(self, content: bytes | None) -> Any: raise NotImplementedError
    def close(self) -> None: raise NotImplementedError

    # -- the document store the HTTP service uses ----------------------------------------------------
    def put(self, doc_id: str, filename: str, media_type: str, content: bytes, parsed_json: str) -> bool:
        return self.add(doc_id, filename, media_type, parsed_json, content=content)

    def add(self, doc_id: str, filename: str, media_type: str, parsed_json: str, content: bytes | None = None,
            source_path: str | None = None) -> bool:
        """Keep a parsed document and index it, all in one transaction; False when `doc_id` was already kept."""
        record = build_record(doc_id, filename, json.loads(parsed_json), source_path)
        size = len(content) if content is not None else (Path(source_path).stat().st_size if source_path else 0)

        def tx_add(tx: Tx) -> bool:
            created = tx.run("INSERT INTO documents (id, filename, media_type, size, created_at, parsed_json, content) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                             (doc_id, filename, media_type, size, time.time(), parsed_json, self._blob(content)))
            if created != 1:
                trashed = tx.one("SELECT source_path FROM trash WHERE doc_id = ?", (doc_id,))
                if trashed is None:
                    return False
                # the same file kept again while in the trash: it comes back, with its corrections
                tx.run("DELETE FROM trash WHERE doc_id = ?", (doc_id,))
                row = tx.one("SELECT filename, parsed_json FROM documents WHERE id = ?", (doc_id,))
                values, revision = self._corrections(tx, doc_id)
                if self._shown(tx, doc_id):
                    self._index(tx, build_record(doc_id, row[0], apply_corrections(json.loads(row[1]), values,
                                                                                    revision), trashed[0] or source_path))
                self._audit(tx, "upload", "document.restore", doc_id, {"filename": row[0]})
                return True
            if self._join_group(tx, record) is None:  # a new document; else one more file of a kept one
                self._index(tx, record)
            tx.run("DELETE FROM index_failures WHERE doc_id = ?", (doc_id,))
            return True

        return self.indexing(tx_add)

    def indexing(self, fn: Callable[[Tx], T]) -> T:
        """A write transaction that indexes documents: what it teaches the movement resolver is kept only
        if it commits."""
        def attempt(tx: Tx) -> T:
            self.resolver.begin()  # every retry starts from what is committed
            return fn(tx)

        try:
            result = self._write(attempt)
        except BaseException:
            self.resolver.rollback()
            raise
        self.resolver.commit()
        return result

    def _index(self, tx: Tx, record: IndexRecord) -> None:
        seq = self._next_seq(tx)
        key = record.sort_key(seq)
        issuer_id, issuer_words = self._issuer(tx, record)
        tx.run("INSERT INTO catalog (seq, sort_key, doc_id, filename, source_path, number, title, doc_type, doc_type_key, "
               "issuer, issuer_id, parent_issuer, issued_date, year, pages, digest, indexed_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (seq, key, record.doc_id, record.filename, record.source_path, record.number, record.title,
                record.doc_type, record.doc_type_key, record.issuer, issuer_id, record.parent_issuer, record.issued_date,
                record.year, record.pages, record.digest_json(), time.time()))
        tx.run("INSERT INTO doc_texts (seq, text) VALUES (?, ?)", (seq, self._blob(record.packed_text())))
        self._index_search(tx, seq, key, record, issuer_id, issuer_words)
        named: dict[str, Any] = {}
        for mention in record.mentions:
            mid = self.resolver.resolve(tx, mention)
            if mid is not None and mid not in named:
                named[mid] = mention
        if named:
            year, dtype = record.year or 0, record.doc_type_key or ""
            tx.many("INSERT INTO document_movements (movement_id, sort_key, seq, position, name, kind, period, year, "
                    "issuer_id, doc_type_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(mid, key, seq, n, m.name, m.kind, m.period, record.year, issuer_id, record.doc_type_key)
                     for n, (mid, m) in enumerate(named.items())])
            # counters, each table in one order and its rows sorted: concurrent writers never deadlock
            mids = sorted(named)
            tx.many("INSERT INTO movement_years (movement_id, year, doc_type_key, plans) VALUES (?, ?, ?, 1) "
                    "ON CONFLICT (movement_id, year, doc_type_key) DO UPDATE SET plans = movement_years.plans + 1",
                    [(mid, year, dtype) for mid in mids])
            tx.many("INSERT INTO movement_issuers (issuer_id, year, movement_id, plans) VALUES (?, ?, ?, 1) "
                    "ON CONFLICT (issuer_id, year, movement_id) DO UPDATE SET plans = movement_issuers.plans + 1",
                    [(issuer_id, year, mid) for mid in mids])
            tx.many("INSERT INTO movement_spellings (movement_id, name, plans) VALUES (?, ?, 1) "
                    "ON CONFLICT (movement_id, name) DO UPDATE SET plans = movement_spellings.plans + 1",
                    sorted({(mid, named[mid].name.strip()[:300]) for mid in mids}))
            events = sorted({((k or e)[:200], e[:300]) for k, e, _, _ in record.anniversaries if e})
            if events:
                tx.many("INSERT INTO movement_events (movement_id, event_key, event, plans) VALUES (?, ?, ?, 1) "
                        "ON CONFLICT (movement_id, event_key) DO UPDATE SET plans = movement_events.plans + 1",
                        sorted({(mid, k, e) for mid in mids for k, e in dict(events).items()}))
        if record.anniversaries:
            tx.many("INSERT INTO anniversaries (seq, position, event_key, event, years, date) VALUES (?, ?, ?, ?, ?, ?)",
                    [(seq, i, k, e, y, d) for i, (k, e, y, d) in enumerate(record.anniversaries)])

    def _unindex(self, tx: Tx, doc_id: str, doc: dict) -> str | None:
        """Take a document's index rows out, exactly as `_index` wrote them from `doc` (the document as it stood);
        returns the path it was indexed from. The counters go down by what this plan added."""
        row = tx.one("SELECT seq, sort_key, issuer_id, year, doc_type_key, filename, source_path FROM catalog "
                     "WHERE doc_id = ?", (doc_id,))
        if row is None:
            return None
        seq, key, issuer_id, year, dtype, filename, source_path = row
        record = build_record(doc_id, filename, doc, source_path)
        issuer_words = tx.one("SELECT tokens FROM issuers WHERE id = ?", (issuer_id,))[0]
        self._unindex_search(tx, seq, key, record, issuer_words)
        named = tx.all("SELECT movement_id, name FROM document_movements WHERE seq = ? ORDER BY movement_id", (seq,))
        if named:
            mids = [mid for mid, _ in named]
            year0, dtype0 = year or 0, dtype or ""
            tx.many("UPDATE movement_years SET plans = plans - 1 WHERE movement_id = ? AND year = ? AND doc_type_key = ?",
                    [(mid, year0, dtype0) for mid in mids])
            tx.many("UPDATE movement_issuers SET plans = plans - 1 WHERE issuer_id = ? AND year = ? AND movement_id = ?",
                    [(issuer_id, year0, mid) for mid in mids])
            tx.many("UPDATE movement_spellings SET plans = plans - 1 WHERE movement_id = ? AND name = ?",
                    sorted({(mid, name.strip()[:300]) for mid, name in named}))
            events = sorted({(k or e)[:200] for k, e, _, _ in record.anniversaries if e})
            if events:
                tx.many("UPDATE movement_events SET plans = plans - 1 WHERE movement_id = ? AND event_key = ?",
                        [(mid, k) for mid in mids for k in events])
            tx.many("DELETE FROM movement_years WHERE movement_id = ? AND year = ? AND doc_type_key = ? AND plans <= 0",
                    [(mid, year0, dtype0) for mid in mids])
            tx.many("DELETE FROM movement_issuers WHERE issuer_id = ? AND year = ? AND movement_id = ? AND plans <= 0",
                    [(issuer_id, year0, mid) for mid in mids])
            tx.many("DELETE FROM movement_spellings WHERE movement_id = ? AND name = ? AND plans <= 0",
                    sorted({(mid, name.strip()[:300]) for mid, name in named}))
            if events:
                tx.many("DELETE FROM movement_events WHERE movement_id = ? AND event_key = ? AND plans <= 0",
                        [(mid, k) for mid in mids for k in events])
        for table in ("document_movements", "anniversaries", "doc_texts", "catalog"):
            tx.run(f"DELETE FROM {table} WHERE seq = ?", (seq,))
        return source_path

    def _issuer(self, tx: Tx, record: IndexRecord) -> tuple[int, str]:
        """(id, words) of the plan's issuer: one row per issuer name, its words (with the parent issuer's, the
        code's and abbreviations') as first seen; every issuer filter matches these words."""
        tokens = record.search["issuer"]
        key = record.issuer or f"| {tokens}"
        tx.run("INSERT INTO issuers (key, name, tokens) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
               (key, record.issuer, tokens))
        row = tx.one("SELECT id, tokens FROM issuers WHERE key = ?", (key,))
        return int(row[0]), row[1]

    def backfill(self) -> int:
        """Index documents kept before the archive index existed (their JSON is there; nothing is parsed)."""
        # (not the other files of a document, which are kept unindexed on purpose, nor the trash)
        missing = self._read(lambda tx: [r[0] for r in tx.all(
            "SELECT d.id FROM documents d LEFT JOIN catalog c ON c.doc_id = d.id LEFT JOIN doc_groups g ON g.doc_id = d.id "
            "WHERE c.doc_id IS NULL AND (g.group_id IS NULL OR g.group_id = d.id) "
            "AND NOT EXISTS (SELECT 1 FROM trash t WHERE t.doc_id = d.id)")])
        for doc_id in missing:
            def tx_backfill(tx: Tx, doc_id=doc_id) -> None:
                if tx.one("SELECT 1 FROM catalog WHERE doc_id = ?", (doc_id,)):
                    return
                filename, parsed = tx.one("SELECT filename, parsed_json FROM documents WHERE id = ?", (doc_id,))
                self._index(tx, build_record(doc_id, filename, json.loads(parsed)))
            self.indexing(tx_backfill)
        return len(missing)

    def has(self, doc_id: str) -> bool:
        """Kept and not in the trash."""
        return self._read(lambda tx: tx.one("SELECT 1 FROM documents WHERE id = ? AND NOT EXISTS "
                                            "(SELECT 1 FROM trash WHERE doc_id = ?)", (doc_id, doc_id))) is not None

    def has_many(self, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            found.update(r[0] for r in self._read(lambda tx: tx.all(
                f"SELECT id FROM documents WHERE id IN ({marks(len(chunk))})", chunk)))
        return found

    def get_json(self, doc_id: str) -> str | None:
        """The document as it stands (the parse with people's corrections on top); None when not kept or trashed."""
        return self._read(lambda tx: self._current_json(tx, doc_id))

    def get_file(self, doc_id: str) -> StoredFile | None:
        row = self._read(lambda tx: tx.one(
            "SELECT d.filename, d.media_type, d.content, coalesce(c.source_path, g.source_path) FROM documents d "
            "LEFT JOIN catalog c ON c.doc_id = d.id LEFT JOIN doc_groups g ON g.doc_id = d.id WHERE d.id = ? AND NOT EXISTS (SELECT 1 FROM trash t "
            "WHERE t.doc_id = d.id)", (doc_id,)))
        if row is None:
            return None
        filename, media_type, content, path = row
        if content:
            return StoredFile(doc_id, filename, media_type, bytes(content))
        if path:  # indexed from a folder without keeping a copy: serve the file if it is still the same
            try:
                data = Path(path).read_bytes()
            except OSError:
                return None
            if hashlib.sha256(data).hexdigest() == doc_id:
                return StoredFile(doc_id, filename, media_type, data)
        return None

    def ping(self) -> None:
        self._read(lambda tx: tx.one("SELECT count(*) FROM movements"))

    # -- failures --------------------------------------------------------------------------------------
    def record_failure(self, doc_id: str, path: str, code: str, message: str) -> None:
        self._write(lambda tx: tx.run(
            "INSERT INTO index_failures (doc_id, path, code, message, at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (doc_id) DO UPDATE SET path = excluded.path, code = excluded.code, "
            "message = excluded.message, at = excluded.at", (doc_id, path, code, message, self._now(tx))))

    def now(self) -> float:
        """The store's clock (PostgreSQL: the server's, shared by every indexer host)."""
        return self._read(self._now)

    def _now(self, tx: Tx) -> float:
        return time.time()

    def failures(self, ids: list[str], since: float = 0.0) -> dict[str, tuple[str, str, str]]:
        """doc id -> (path, code, message) for failures recorded at or after `since`."""
        out: dict[str, tuple[str, str, str]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for doc_id, path, code, message in self._read(lambda tx: tx.all(
                    f"SELECT doc_id, path, code, message FROM index_failures WHERE at >= ? AND doc_id IN ({marks(len(chunk))})",
                    [since, *chunk])):
                out[doc_id] = (path, code, message)
        return out

    def stats(self) -> dict:
        def q(tx: Tx) -> dict:
            return {"documents": tx.one("SELECT count(*) FROM documents")[0],
                    "indexed": tx.one("SELECT count(*) FROM catalog")[0],
                    "movements": tx.one("SELECT count(*) FROM movements")[0],
                    "failures": tx.one("SELECT count(*) FROM index_failures")[0]}
        return self._read(q)

    # -- search ----------------------------------------------------------------------------------------
    def search(self, text: str | None, filters: Filters = Filters(), limit: int = 20, offset: int = 0) -> dict:
        q = parse_query(text)

        def run(tx: Tx) -> dict:
            total = self._count(tx, q, filters, None)
            picked: list[tuple[int, str]] = []
            skip, need = offset, limit
            order = tiers(q)
            for n, tier in enumerate(order):
                if need <= 0 or skip >= total:
                    break
                if skip and n < len(order) - 1:
                    size = self._count(tx, q, filters, tier) if len(order) > 1 else total
                    if skip >= size:
                        skip -= size
                        continue
                keys = self._tier_keys(tx, q, filters, tier, need, skip)
                skip = 0
                picked.extend((k, tier) for k in keys)
                need -= len(keys)
            items = self._plan_items(tx, [k for k, _ in picked], q)
            for item, (_, tier) in zip(items, picked):
                item["match"] = MATCH_LABEL[tier]
                item["phrase"] = tier.startswith("p_")
            return {"total": total, "offset": offset, "limit": limit, "results": items}

        return self._read(run)

    def _plan_items(self, tx: Tx, keys: list[int], q: Query | None = None) -> list[dict]:
        if not keys:
            return []
        rows = {r[1]: r for r in tx.all(f"SELECT {CATALOG_COLUMNS} FROM catalog WHERE sort_key IN ({marks(len(keys))})", keys)}
        seqs = [rows[k][0] for k in keys if k in rows]
        named: dict[int, list[dict]] = defaultdict(list)
        for seq, mid, name, written, period in tx.all(
                "SELECT dm.seq, dm.movement_id, m.name, dm.name, dm.period FROM document_movements dm "
                f"JOIN movements m ON m.id = dm.movement_id WHERE dm.seq IN ({marks(len(seqs))}) ORDER BY dm.seq, dm.position",
                seqs):
            named[seq].append({"id": mid, "name": name, "as_written": written, "period": period})
        texts = {}
        if q is not None and not q.empty:
            texts = {seq: unpack_text(blob) for seq, blob in tx.all(
                f"SELECT seq, text FROM doc_texts WHERE seq IN ({marks(len(seqs))})", seqs)}
        items = []
        for k in keys:
            if k not in rows:
                continue
            seq, _, doc_id, filename, path, number, title, doc_type, issuer, parent, issued, year, pages, digest = rows[k]
            digest = json.loads(digest)
            item = {"id": doc_id, "number": number, "title": title, "doc_type": doc_type, "issuer": issuer,
                    "parent_issuer": parent, "issued_date": issued, "year": year, "filename": filename, "path": path,
                    "pages": pages, "movements": named.get(seq, []), "themes": digest.get("themes", []),
                    "phases": digest.get("phases", []), "anniversaries": digest.get("anniversaries", []),
                    "document": f"/api/v1/documents/{doc_id}"}
            if q is not None and not q.empty:
                item["snippets"] = self._snippets(q, title, item, texts.get(seq, ""))
            items.append(item)
        return items

    @staticmethod
    def _snippets(q: Query, title: str | None, item: dict, text: str) -> list[dict]:
        out = []
        for field, values in (("title", [title or ""]), ("movement", [m["as_written"] for m in item["movements"]]),
                              ("theme", item["themes"])):
            for value in values:
                s = snippet(field, value, q, whole=True)
                if s:
                    out.append(s)
                    break
        s = snippet("text", text, q)
        if s:
            out.append(s)
        return out

    def plans(self, ids: list[str]) -> list[dict]:
        """The catalog entries (as in search results) of the documents these files belong to, in the given order."""
        def q(tx: Tx) -> list[dict]:
            wanted = list(dict.fromkeys(ids))[:500]
            if not wanted:
                return []
            shown = dict(tx.all(f"SELECT doc_id, group_id FROM doc_groups WHERE doc_id IN ({marks(len(wanted))})", wanted))
            docs = list(dict.fromkeys(shown.get(i, i) for i in wanted))
            keys = dict(tx.all(f"SELECT doc_id, sort_key FROM catalog WHERE doc_id IN ({marks(len(docs))})", docs))
            return self._plan_items(tx, [keys[d] for d in docs if d in keys])
        return self._read(q)

    # -- export ----------------------------------------------------------------------------------------
    def export(self, filters: Filters = Filters(), with_document: bool = True, batch: int = 200) -> Iterator[dict]:
        """Every indexed document (newest first) with its catalog fields, movements and, optionally, parsed JSON."""
        last: int | None = None
        while True:
            def page(tx: Tx) -> list[int]:
                clauses, params = self._filter_clauses(tx, filters)
                if last is not None:
                    clauses.append("sort_key < ?")
                    params.append(last)
                where = " AND ".join(clauses) or "1=1"
                return [r[0] for r in tx.all(f"SELECT sort_key FROM catalog WHERE {where} ORDER BY sort_key DESC LIMIT ?",
                                             [*params, batch])]

            keys = self._read(page)
            if not keys:
                return
            items = self._read(lambda tx: self._export_items(tx, keys, with_document))
            yield from items
            last = keys[-1]

    def _export_items(self, tx: Tx, keys: list[int], with_document: bool) -> list[dict]:
        items = self._plan_items(tx, keys)
        if with_document:
            ids = [i["id"] for i in items]
            docs = dict(tx.all(f"SELECT id, parsed_json FROM documents WHERE id IN ({marks(len(ids))})", ids))
            fixed = {i: (json.loads(f), int(r)) for i, f, r in tx.all(
                f"SELECT doc_id, fields, revision FROM corrections WHERE doc_id IN ({marks(len(ids))})", ids)}
            for item in items:
                doc = json.loads(docs[item["id"]]) if item["id"] in docs else None
                if doc is not None and item["id"] in fixed:
                    doc = apply_corrections(doc, *fixed[item["id"]])
                item["document"] = doc
        return items
