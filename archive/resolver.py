"""Give each movement mention the id of its canonical movement, inside the transaction that stores the plan.

Ids are stable: a knowledge-base movement's id is its kb key (`ldg_ldst`); any other movement's id comes
from the first spelling seen (`m-<sha1>`), and every later spelling that is the same movement (see
parser/extract/movement_identity.py) is recorded against it in `movement_names`. Nothing is ever renamed or re-pointed, so an id
once given stays valid as the archive grows. Creating a movement or a spelling happens under the
store's identity lock (PostgreSQL: an advisory transaction lock), so two indexers never create the same
movement twice.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from rapidfuzz import fuzz, process

from parser.extract.movement_identity import (NameKey, kb_match, kb_movements, new_movement_id, normalize_name,
                                      same_movement)
from archive.records import Mention


class Tx(Protocol):
    def one(self, sql: str, params: tuple = ()) -> Any: ...
    def all(self, sql: str, params: tuple = ()) -> list: ...
    def run(self, sql: str, params: tuple = ()) -> int: ...


@dataclass
class _Pending:
    """What one transaction learnt: kept only if it commits (a rolled-back movement must not stay cached)."""

    seen_seq: int
    names: dict[str, str] = field(default_factory=dict)
    keys: dict[str, NameKey] = field(default_factory=dict)
    kb_ids: dict[str, str] = field(default_factory=dict)


class MovementResolver:
    def __init__(self, lock_identity):
        self._lock_identity = lock_identity  # callable(tx): serialises identity changes across processes
        self._guard = threading.Lock()
        self._names: dict[str, str] = {}  # name key -> movement id (committed; never changes once written)
        self._keys: dict[str, NameKey] = {}
        self._seen_seq = 0
        self._kb_ids: dict[str, str] = {}
        self._local = threading.local()

    # -- the transaction's view ------------------------------------------------------------------
    def begin(self) -> None:
        self._local.pending = _Pending(self._seen_seq)

    def commit(self) -> None:
        pending: _Pending | None = getattr(self._local, "pending", None)
        self._local.pending = None
        if pending is None:
            return
        with self._guard:
            self._names.update(pending.names)
            self._keys.update(pending.keys)
            self._kb_ids.update(pending.kb_ids)
            self._seen_seq = max(self._seen_seq, pending.seen_seq)

    def rollback(self) -> None:
        self._local.pending = None

    def _p(self) -> _Pending:
        pending = getattr(self._local, "pending", None)
        if pending is None:
            pending = self._local.pending = _Pending(self._seen_seq)
        return pending

    def _name(self, key: str) -> str | None:
        return self._p().names.get(key) or self._names.get(key)

    def _kb_cached(self, kb: str) -> str | None:
        return self._p().kb_ids.get(kb) or self._kb_ids.get(kb)

    # -- resolving -----------------------------------------------------------------------------------
    def resolve(self, tx: Tx, mention: Mention) -> str | None:
        nk = normalize_name(mention.name)
        if not nk.words:
            return None
        key = nk.key
        kb = mention.canonical_key if mention.canonical_key in kb_movements() else None
        mid = self._name(key)
        if mid is None:
            row = tx.one("SELECT movement_id FROM movement_names WHERE key = ?", (key,))
            mid = row[0] if row else None
        if mid is None and kb is None:
            kb = kb_match(nk)
        if mid is not None and kb is None:
            return self._remember(key, nk, mid)
        if mid is not None and kb is not None:
            kid = self._kb_cached(kb) or self._kb_id(tx, kb)
            if kid is not None:
                return kid
        # something to create: a movement, a spelling, or a kb key on a movement: one writer at a time
        self._lock_identity(tx)
        self._refresh(tx)
        mid = self._name(key)
        if kb is not None:
            kid = self._kb_id(tx, kb)
            if kid is None:
                kid = self._adopt_or_create_kb(tx, kb, mid)
            if mid is None:
                self._add_name(tx, key, nk, kid, mention.name)
            return kid
        if mid is not None:
            return mid
        mid = self._fuzzy(nk)
        if mid is None:
            mid = self._create(tx, new_movement_id(key), None, mention.name.strip(), mention.kind)
        self._add_name(tx, key, nk, mid, mention.name)
        return mid

    # -- helpers -------------------------------------------------------------------------------
    def _remember(self, key: str, nk: NameKey, mid: str) -> str:
        p = self._p()
        p.names[key] = mid
        p.keys[key] = nk
        return mid

    def _kb_id(self, tx: Tx, kb: str) -> str | None:
        row = tx.one("SELECT id FROM movements WHERE kb_key = ?", (kb,))
        if row:
            self._p().kb_ids[kb] = row[0]
            return row[0]
        return None

    def _adopt_or_create_kb(self, tx: Tx, kb: str, mid: str | None) -> str:
        """A kb movement first met: a movement already known under this very spelling becomes it (its id stays)."""
        if mid is not None:
            row = tx.one("SELECT kb_key FROM movements WHERE id = ?", (mid,))
            if row is not None and row[0] is None:
                tx.run("UPDATE movements SET kb_key = ? WHERE id = ?", (kb, mid))
                self._p().kb_ids[kb] = mid
                return mid
        entry = kb_movements()[kb]
        kid = self._create(tx, kb, kb, entry.name, entry.kind)
        self._p().kb_ids[kb] = kid
        return kid

    def _create(self, tx: Tx, mid: str, kb: str | None, name: str, kind: str) -> str:
        candidate = mid
        n = 0
        while tx.one("SELECT 1 FROM movements WHERE id = ?", (candidate,)) is not None:
            n += 1  # an id taken by another movement (a hash clash): never reuse it
            candidate = f"{mid}-{n}"
        tx.run("INSERT INTO movements (id, kb_key, name, kind, created_at) VALUES (?, ?, ?, ?, ?)",
               (candidate, kb, name, kind, time.time()))
        return candidate

    def _add_name(self, tx: Tx, key: str, nk: NameKey, mid: str, name: str) -> None:
        tx.run("INSERT INTO movement_names (key, movement_id, name) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
               (key, mid, name.strip()))
        self._remember(key, nk, mid)

    def _refresh(self, tx: Tx) -> None:
        p = self._p()
        rows = tx.all("SELECT seq, key, movement_id, name FROM movement_names WHERE seq > ? ORDER BY seq", (p.seen_seq,))
        for seq, key, mid, name in rows:
            p.names[key] = mid
            if key not in self._keys and key not in p.keys:
                p.keys[key] = normalize_name(name)
            p.seen_seq = max(p.seen_seq, int(seq))

    def _fuzzy(self, nk: NameKey) -> str | None:
        """The one movement whose known spelling is this name by the identity rules; two candidates -> none."""
        p = self._p()
        with self._guard:
            keys = {**self._keys, **p.keys}
        candidates = process.extract(nk.key, list(keys), scorer=fuzz.ratio, score_cutoff=55, limit=40)
        found = {self._name(k) for k, _, _ in candidates if same_movement(nk, keys[k])}
        found.discard(None)
        return found.pop() if len(found) == 1 else None
