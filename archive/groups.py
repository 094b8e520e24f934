"""Documents, not files: the kept files that are one document, one of them shown (indexed, counted).

Every kept file has a row in `doc_groups`; `group_id` is the id of the file whose values the document shows.
Only that file is in the catalog, the full-text index and the movement counters, so search results,
movement counts and charts count documents. The others are kept (their pages and JSON can be opened) and
take its place when a person picks them (`choose`) or when it goes to the trash. `split` takes a wrongly
grouped file out as a document of its own (and it is never grouped again).
"""
from __future__ import annotations

import time
from typing import Any, Callable, TypeVar

from archive import grouping
from archive.records import IndexRecord, build_record

T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS doc_groups (
    doc_id      TEXT PRIMARY KEY,
    group_id    TEXT NOT NULL,             -- the file shown for the document (itself when alone)
    identity    TEXT,                      -- number|issuer|date, folded (grouping.identity)
    issuer_key  TEXT NOT NULL,
    number_key  TEXT NOT NULL,
    signature   TEXT NOT NULL,             -- MinHash of the text (JSON), '' when too short
    source_path TEXT,
    split       INTEGER NOT NULL DEFAULT 0, -- taken out of a group by a person: never grouped again
    added_at    DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS dg_group ON doc_groups (group_id);
CREATE INDEX IF NOT EXISTS dg_identity ON doc_groups (identity);
CREATE INDEX IF NOT EXISTS dg_issuer ON doc_groups (issuer_key)
"""


class NotGrouped(LookupError):
    pass


class Groups:
    """Mixed into sqlbase.ArchiveBase."""

    def indexing(self, fn: Callable[[Any], T]) -> T: raise NotImplementedError
    def _read(self, fn: Callable[[Any], T]) -> T: raise NotImplementedError
    def _index(self, tx, record) -> None: raise NotImplementedError
    def _unindex(self, tx, doc_id: str, doc: dict) -> str | None: raise NotImplementedError
    def _audit(self, tx, actor: str, action: str, target: str, detail: dict) -> None: raise NotImplementedError
    def _current(self, tx, doc_id: str): raise NotImplementedError

    @staticmethod
    def groups_schema(run: Callable[[str], Any]) -> None:
        for statement in SCHEMA.split(";\n"):
            if statement.strip():
                run(statement)

    # -- on the way in -----------------------------------------------------------------------------------
    def _join_group(self, tx, record: IndexRecord) -> str | None:
        """Record the new file's identity; the shown file of the document it belongs to, or None (a new one)."""
        ident = grouping.identity(record.number, record.issuer, record.issued_date)
        issuer, number = grouping.issuer_key(record.issuer), grouping.number_key(record.number)
        sig = grouping.signature(record.text)
        group = self._find_group(tx, ident, issuer, number, sig)
        tx.run("INSERT INTO doc_groups (doc_id, group_id, identity, issuer_key, number_key, signature, source_path, "
               "split, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT (doc_id) DO NOTHING",
               (record.doc_id, group or record.doc_id, ident, issuer, number, grouping.pack(sig), record.source_path,
                time.time()))
        return group

    def _find_group(self, tx, ident: str | None, issuer: str, number: str, sig: list[int] | None) -> str | None:
        live = "g.split = 0 AND NOT EXISTS (SELECT 1 FROM trash t WHERE t.doc_id = g.group_id)"
        if ident:
            row = tx.one(f"SELECT g.group_id FROM doc_groups g WHERE g.identity = ? AND {live} ORDER BY g.added_at "
                         "LIMIT 1", (ident,))
            if row:
                return row[0]
        if not issuer or sig is None:
            return None
        best, best_score = None, grouping.TEXT_THRESHOLD
        for group_id, other_number, raw in tx.all(
                f"SELECT g.group_id, g.number_key, g.signature FROM doc_groups g WHERE g.issuer_key = ? "
                f"AND g.signature <> '' AND {live}", (issuer,)):
            if number and other_number and number != other_number:
                continue  # two numbered documents are different documents
            score = grouping.similar(sig, grouping.unpack(raw))
            if score >= best_score:
                best, best_score = group_id, score
        return best

    def _shown(self, tx, doc_id: str) -> bool:
        """Is this file the one its document shows (and so indexed)? Files kept before groups existed are."""
        row = tx.one("SELECT group_id FROM doc_groups WHERE doc_id = ?", (doc_id,))
        return row is None or row[0] == doc_id

    def _index_current(self, tx, doc_id: str) -> None:
        found = self._current(tx, doc_id)
        path = tx.one("SELECT source_path FROM doc_groups WHERE doc_id = ?", (doc_id,))
        self._index(tx, build_record(doc_id, found[0], found[2], path[0] if path else None))

    def _promote(self, tx, doc_id: str) -> str | None:
        """The shown file went to the trash: the next file of its document is shown instead."""
        row = tx.one("SELECT g.doc_id FROM doc_groups g WHERE g.group_id = ? AND g.doc_id <> ? AND NOT EXISTS "
                     "(SELECT 1 FROM trash t WHERE t.doc_id = g.doc_id) ORDER BY g.added_at, g.doc_id LIMIT 1",
                     (doc_id, doc_id))
        if row is None:
            return None
        tx.run("UPDATE doc_groups SET group_id = ? WHERE group_id = ?", (row[0], doc_id))
        self._index_current(tx, row[0])
        return row[0]

    # -- reading -----------------------------------------------------------------------------------------
    def group_of(self, doc_id: str) -> str:
        row = self._read(lambda tx: tx.one("SELECT group_id FROM doc_groups WHERE doc_id = ?", (doc_id,)))
        return row[0] if row else doc_id

    def files(self, doc_id: str) -> list[dict]:
        """The files of the document `doc_id` belongs to (not those in the trash), the shown one first."""
        def q(tx) -> list[dict]:
            row = tx.one("SELECT group_id FROM doc_groups WHERE doc_id = ?", (doc_id,))
            group = row[0] if row else doc_id
            rows = tx.all("SELECT d.id, d.filename, d.media_type, d.size, d.created_at FROM documents d "
                          "LEFT JOIN doc_groups g ON g.doc_id = d.id WHERE (g.group_id = ? OR d.id = ?) AND NOT EXISTS "
                          "(SELECT 1 FROM trash t WHERE t.doc_id = d.id) ORDER BY d.created_at, d.id", (group, group))
            out = [{"id": i, "filename": f, "media_type": m, "size": int(s), "added_at": at, "shown": i == group,
                    "document": f"/api/v1/documents/{i}", "file": f"/api/v1/documents/{i}/file"}
                   for i, f, m, s, at in rows]
            return sorted(out, key=lambda f: not f["shown"])

        return self._read(q)

    # -- a person's changes ------------------------------------------------------------------------------
    def choose(self, doc_id: str, actor: str) -> str:
        """Show this file's values for its document; returns the document's (now this) shown id."""
        def tx_choose(tx) -> str:
            row = tx.one("SELECT group_id FROM doc_groups WHERE doc_id = ?", (doc_id,))
            if row is None or self._current(tx, doc_id) is None or self._trashed(tx, doc_id):
                raise NotGrouped(doc_id)
            shown = row[0]
            if shown == doc_id:
                return doc_id
            found = self._current(tx, shown)
            self._unindex(tx, shown, found[2])
            tx.run("UPDATE doc_groups SET group_id = ? WHERE group_id = ?", (doc_id, shown))
            self._index_current(tx, doc_id)
            self._audit(tx, actor, "document.choose", doc_id, {"instead_of": shown})
            return doc_id

        return self.indexing(tx_choose)

    def split(self, doc_id: str, actor: str) -> bool:
        """Take this file out of its document: it becomes a document of its own. False: it was alone."""
        def tx_split(tx) -> bool:
            row = tx.one("SELECT group_id FROM doc_groups WHERE doc_id = ?", (doc_id,))
            if row is None or self._trashed(tx, doc_id):
                raise NotGrouped(doc_id)
            shown = row[0]
            others = [r[0] for r in tx.all(
                "SELECT g.doc_id FROM doc_groups g WHERE g.group_id = ? AND g.doc_id <> ? AND NOT EXISTS "
                "(SELECT 1 FROM trash t WHERE t.doc_id = g.doc_id) ORDER BY g.added_at, g.doc_id", (shown, doc_id))]
            if not others:
                return False
            if shown == doc_id:  # the shown file leaves: the next one shows the rest of the document
                tx.run("UPDATE doc_groups SET group_id = ? WHERE group_id = ? AND doc_id <> ?", (others[0], doc_id, doc_id))
                self._index_current(tx, others[0])
            else:
                tx.run("UPDATE doc_groups SET group_id = ? WHERE doc_id = ?", (doc_id, doc_id))
                self._index_current(tx, doc_id)
            tx.run("UPDATE doc_groups SET split = 1 WHERE doc_id = ?", (doc_id,))
            self._audit(tx, actor, "document.split", doc_id, {"from": shown})
            return True

        return self.indexing(tx_split)
