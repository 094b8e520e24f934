"""Writes after a document is kept: corrections (with revisions), the trash (delete, restore, purge), parsing again.

Every change re-indexes the document inside its transaction: its index rows are taken out as they were
written (the document as it stood) and written again from the document as it now stands, so search,
movements, charts and export always show the corrected values. Each write goes to the audit log.
"""
from __future__ import annotations

import json
import time
from typing import Any, Callable, Iterator, TypeVar

from archive.corrections import apply_corrections, current_values, gold_of
from archive.records import build_record

T = TypeVar("T")
TRASH_DAYS = 30


class NotFound(LookupError):
    pass


class Changes:
    """Mixed into sqlbase.ArchiveBase."""

    def indexing(self, fn: Callable[[Any], T]) -> T: raise NotImplementedError
    def _read(self, fn: Callable[[Any], T]) -> T: raise NotImplementedError
    def _index(self, tx, record) -> None: raise NotImplementedError
    def _unindex(self, tx, doc_id: str, doc: dict) -> str | None: raise NotImplementedError
    def _audit(self, tx, actor: str, action: str, target: str, detail: dict) -> None: raise NotImplementedError

    # -- the document as it stands ----------------------------------------------------------------------
    @staticmethod
    def _corrections(tx, doc_id: str) -> tuple[dict, int]:
        row = tx.one("SELECT fields, revision FROM corrections WHERE doc_id = ?", (doc_id,))
        return (json.loads(row[0]), int(row[1])) if row else ({}, 1)

    def _current(self, tx, doc_id: str) -> tuple[str, dict, dict, int] | None:
        """(filename, parse, current document, revision) of a kept document, trashed or not."""
        row = tx.one("SELECT filename, parsed_json FROM documents WHERE id = ?", (doc_id,))
        if row is None:
            return None
        parsed = json.loads(row[1])
        values, revision = self._corrections(tx, doc_id)
        return row[0], parsed, apply_corrections(parsed, values, revision), revision

    @staticmethod
    def _trashed(tx, doc_id: str) -> bool:
        return tx.one("SELECT 1 FROM trash WHERE doc_id = ?", (doc_id,)) is not None

    def _current_json(self, tx, doc_id: str) -> str | None:
        if self._trashed(tx, doc_id):
            return None
        row = tx.one("SELECT parsed_json FROM documents WHERE id = ?", (doc_id,))
        if row is None:
            return None
        values, revision = self._corrections(tx, doc_id)
        if not values:
            return row[0]
        return json.dumps(apply_corrections(json.loads(row[0]), values, revision), ensure_ascii=False)

    # -- corrections --------------------------------------------------------------------------------------
    def correct(self, doc_id: str, changes: dict, author: str) -> dict:
        """Lay `changes` (flat, checked: corrections.check_patch) on a document; a new revision. Returns it."""
        def tx_correct(tx) -> dict:
            found = self._current(tx, doc_id)
            if found is None or self._trashed(tx, doc_id):
                raise NotFound(doc_id)
            filename, parsed, doc, revision = found
            old = current_values(doc, changes)
            changed = {f: v for f, v in changes.items() if old.get(f) != v}
            if not changed:
                return {"revision": revision, "fields": [], "changed": False}
            path = self._unindex(tx, doc_id, doc)
            values, _ = self._corrections(tx, doc_id)
            values.update(changed)
            number = revision + 1
            now = time.time()
            tx.run("INSERT INTO revisions (doc_id, number, at, author, fields, old, new) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (doc_id, number, now, author, json.dumps(sorted(changed)),
                    json.dumps({f: old.get(f) for f in changed}, ensure_ascii=False),
                    json.dumps(changed, ensure_ascii=False)))
            tx.run("INSERT INTO corrections (doc_id, fields, revision) VALUES (?, ?, ?) ON CONFLICT (doc_id) DO UPDATE "
                   "SET fields = excluded.fields, revision = excluded.revision",
                   (doc_id, json.dumps(values, ensure_ascii=False), number))
            if self._shown(tx, doc_id):  # type: ignore[attr-defined]
                self._index(tx, build_record(doc_id, filename, apply_corrections(parsed, values, number), path))
            self._audit(tx, author, "document.correct", doc_id, {"revision": number, "fields": sorted(changed)})
            return {"revision": number, "fields": sorted(changed), "changed": True}

        return self.indexing(tx_correct)

    def revisions(self, doc_id: str) -> list[dict] | None:
        """The history: revision 1 is the parse itself, each later one a person's change."""
        def q(tx) -> list[dict] | None:
            row = tx.one("SELECT created_at FROM documents WHERE id = ?", (doc_id,))
            if row is None or self._trashed(tx, doc_id):
                return None
            first = {"revision": 1, "at": row[0], "author": "parser", "fields": [], "old": {}, "new": {}}
            return [first] + [{"revision": int(n), "at": at, "author": a, "fields": json.loads(f),
                               "old": json.loads(o), "new": json.loads(v)} for n, at, a, f, o, v in tx.all(
                "SELECT number, at, author, fields, old, new FROM revisions WHERE doc_id = ? ORDER BY number", (doc_id,))]

        return self._read(q)

    def gold(self) -> Iterator[dict]:
        """A gold annotation of every corrected document in the archive (not in the trash)."""
        rows = self._read(lambda tx: tx.all(
            "SELECT c.doc_id, c.fields FROM corrections c WHERE NOT EXISTS "
            "(SELECT 1 FROM trash t WHERE t.doc_id = c.doc_id) ORDER BY c.doc_id"))
        for doc_id, fields in rows:
            yield gold_of(doc_id, json.loads(fields))

    # -- parsing again ------------------------------------------------------------------------------------
    def reparse(self, doc_id: str, parsed_json: str, actor: str = "cli") -> bool:
        """Replace a document's parse (a newer parser); people's corrections stay on top. False: not kept."""
        def tx_reparse(tx) -> bool:
            found = self._current(tx, doc_id)
            if found is None:
                return False
            filename, _, doc, revision = found
            trashed = self._trashed(tx, doc_id)
            path = None if trashed else self._unindex(tx, doc_id, doc)
            tx.run("UPDATE documents SET parsed_json = ? WHERE id = ?", (parsed_json, doc_id))
            values, _ = self._corrections(tx, doc_id)
            if not trashed and self._shown(tx, doc_id):  # type: ignore[attr-defined]
                self._index(tx, build_record(doc_id, filename, apply_corrections(json.loads(parsed_json), values,
                                                                                  revision), path))
            self._audit(tx, actor, "document.reparse", doc_id, {})
            return True

        return self.indexing(tx_reparse)

    # -- the trash ----------------------------------------------------------------------------------------
    def delete(self, doc_id: str, actor: str) -> bool:
        """Move a document to the trash (out of every list and search); False when there is no such document."""
        def tx_delete(tx) -> bool:
            found = self._current(tx, doc_id)
            if found is None or self._trashed(tx, doc_id):
                return False
            path = self._unindex(tx, doc_id, found[2])
            self._promote(tx, doc_id)  # type: ignore[attr-defined]  # another file of the same document is shown instead
            tx.run("INSERT INTO trash (doc_id, deleted_at, deleted_by, source_path) VALUES (?, ?, ?, ?)",
                   (doc_id, time.time(), actor, path))
            self._audit(tx, actor, "document.delete", doc_id, {"filename": found[0]})
            return True

        return self.indexing(tx_delete)

    def restore(self, doc_id: str, actor: str) -> bool:
        def tx_restore(tx) -> bool:
            row = tx.one("SELECT source_path FROM trash WHERE doc_id = ?", (doc_id,))
            found = self._current(tx, doc_id)
            if row is None or found is None:
                return False
            tx.run("DELETE FROM trash WHERE doc_id = ?", (doc_id,))
            if self._shown(tx, doc_id):  # type: ignore[attr-defined]  # else another file of its document is shown: it is one of its files again
                self._index(tx, build_record(doc_id, found[0], found[2], row[0]))
            self._audit(tx, actor, "document.restore", doc_id, {"filename": found[0]})
            return True

        return self.indexing(tx_restore)

    def trash(self) -> list[dict]:
        rows = self._read(lambda tx: tx.all(
            "SELECT t.doc_id, d.filename, t.deleted_at, t.deleted_by FROM trash t JOIN documents d ON d.id = t.doc_id "
            "ORDER BY t.deleted_at DESC"))
        return [{"id": i, "filename": f, "deleted_at": at, "deleted_by": by,
                 "purge_at": at + TRASH_DAYS * 86400} for i, f, at, by in rows]

    def purge(self, older_than_s: float = TRASH_DAYS * 86400, actor: str = "vanban") -> int:
        """Remove for good what has been in the trash longer than `older_than_s` (30 days)."""
        def tx_purge(tx) -> int:
            ids = [r[0] for r in tx.all("SELECT doc_id FROM trash WHERE deleted_at < ?", (time.time() - older_than_s,))]
            for doc_id in ids:
                for table, column in (("documents", "id"), ("corrections", "doc_id"), ("revisions", "doc_id"),
                                      ("doc_groups", "doc_id"), ("trash", "doc_id")):
                    tx.run(f"DELETE FROM {table} WHERE {column} = ?", (doc_id,))
                self._audit(tx, actor, "document.purge", doc_id, {})
            return len(ids)

        return self.indexing(tx_purge)
