"""The store interface and how a `--db` value picks its implementation.

    open_store("archive.db")                       -> SQLiteStore (the default: one file)
    open_store("postgresql://user@host/db")        -> PostgresStore (a shared, multi-user archive)

Both keep the parsed documents (put/get_json/get_file, used by the HTTP service) and the archive index
(add/search/movement_*/export, used by `vanban index|search|movements|export` and /api/v1/search), and
(archive/accounts.py, archive/changes.py) the users, tokens and sessions, people's corrections with their
revisions, the trash and the audit log.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Protocol


@dataclass(frozen=True, slots=True)
class StoredFile:
    doc_id: str
    filename: str
    media_type: str
    content: bytes


class Store(Protocol):
    backend: str

    def put(self, doc_id: str, filename: str, media_type: str, content: bytes, parsed_json: str) -> bool:
        """Keep a document; True when it is new, False when `doc_id` was already there (nothing changes)."""

    def add(self, doc_id: str, filename: str, media_type: str, parsed_json: str, content: bytes | None = None,
            source_path: str | None = None) -> bool:
        """Keep and index a document in one transaction (content None: only its path is kept)."""

    def has(self, doc_id: str) -> bool: ...

    def has_many(self, ids: list[str]) -> set[str]: ...

    def get_json(self, doc_id: str) -> str | None: ...

    def get_file(self, doc_id: str) -> StoredFile | None: ...

    def record_failure(self, doc_id: str, path: str, code: str, message: str) -> None: ...

    def failures(self, ids: list[str], since: float = 0.0) -> dict[str, tuple[str, str, str]]: ...

    def backfill(self) -> int: ...

    def stats(self) -> dict: ...

    def search(self, text: str | None, filters=..., limit: int = 20, offset: int = 0) -> dict: ...

    def movement_top(self, filters=..., top: int = 10) -> dict: ...

    def movement_list(self, name: str | None = None, filters=..., limit: int = 20, offset: int = 0) -> dict: ...

    def movement_detail(self, mid: str, filters=..., limit: int = 20, offset: int = 0) -> dict | None: ...

    def export(self, filters=..., with_document: bool = True, batch: int = 200) -> Iterator[dict]: ...

    def correct(self, doc_id: str, changes: dict, author: str) -> dict: ...

    def revisions(self, doc_id: str) -> list[dict] | None: ...

    def delete(self, doc_id: str, actor: str) -> bool: ...

    def restore(self, doc_id: str, actor: str) -> bool: ...

    def reparse(self, doc_id: str, parsed_json: str, actor: str = "cli") -> bool: ...

    def audit(self, actor: str, action: str, target: str, detail: dict | None = None) -> None: ...

    def ping(self) -> None:
        """Raise when the store cannot be reached."""

    def close(self) -> None: ...


def is_postgres(db: str) -> bool:
    return db.startswith(("postgresql://", "postgres://"))


class OlderArchive(RuntimeError):
    """The archive was laid out by an earlier vanban whose tables this one cannot write."""

    def __init__(self, found: object, current: object):
        super().__init__(f"kho này do phiên bản vanban cũ hơn tạo ra / this archive was made by an older vanban "
                         f"(layout {found}, this one writes {current}): index the same files into a new archive "
                         "(another --db file or PostgreSQL schema); the old one stays readable by the older version")


def open_store(db: str) -> Store:
    if is_postgres(db):
        from archive.postgres import PostgresStore

        return PostgresStore(db)
    from archive.sqlite import SQLiteStore

    return SQLiteStore(db)
