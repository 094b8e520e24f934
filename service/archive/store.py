"""The store interface and how a `--db` value picks its implementation."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class StoredFile:
    doc_id: str
    filename: str
    media_type: str
    content: bytes


class Store(Protocol):
    def put(self, doc_id: str, filename: str, media_type: str, content: bytes, parsed_json: str) -> bool:
        """Keep a document; True when it is new, False when `doc_id` was already there (nothing changes)."""

    def has(self, doc_id: str) -> bool: ...

    def get_json(self, doc_id: str) -> str | None: ...

    def get_file(self, doc_id: str) -> StoredFile | None: ...

    def ping(self) -> None:
        """Raise when the store cannot be reached."""

    def close(self) -> None: ...


def open_store(db: str) -> Store:
    if db.startswith(("postgresql://", "postgres://")):
        raise ValueError("PostgreSQL archives arrive with the archive index; use a SQLite file for now")
    from service.archive.sqlite import SQLiteStore

    return SQLiteStore(db)
