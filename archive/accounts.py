"""Accounts kept in the archive: users with a role, their API tokens, web sessions, and the audit log.

Passwords (chosen by people, guessable) are stored as argon2id hashes (argon2-cffi). API tokens and session
ids are 256-bit random strings made here; they are stored as their SHA-256 and looked up by it: nothing can
be guessed from a hash of a 256-bit random value, and the look-up is one index probe instead of an argon2
verification (tens of milliseconds and 64 MB) on every API call.
"""
from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

T = TypeVar("T")
ROLES = ("viewer", "editor", "admin")
RANK = {r: n for n, r in enumerate(ROLES)}
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
TOKEN_PREFIX = "vb_"
SESSION_HOURS = 12


@dataclass(frozen=True, slots=True)
class User:
    name: str
    role: str
    via: str = "token"  # token | session | api_key | none (no accounts: the laptop mode)
    csrf: str | None = None  # the session's CSRF token (cookie-authenticated requests must echo it)

    def can(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]


class AccountError(ValueError):
    pass


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


class Accounts:
    """Mixed into the stores (sqlbase.ArchiveBase): the SQL is the same on SQLite and PostgreSQL."""

    def _write(self, fn: Callable[[Any], T]) -> T: raise NotImplementedError
    def _read(self, fn: Callable[[Any], T]) -> T: raise NotImplementedError

    # -- users ---------------------------------------------------------------------------------------
    def add_user(self, name: str, role: str, actor: str = "cli") -> str:
        """Create a user with one API token; returns the token (shown once, stored only as a hash)."""
        if not NAME.match(name or ""):
            raise AccountError("Tên người dùng: chữ, số, . _ @ - (tối đa 64) / a user name is letters, digits, "
                               ". _ @ - (at most 64)")
        if role not in ROLES:
            raise AccountError(f"Vai trò phải là {', '.join(ROLES)} / the role must be one of {', '.join(ROLES)}")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)

        def tx_add(tx) -> None:
            if tx.one("SELECT 1 FROM users WHERE name = ?", (name,)):
                raise AccountError(f"Đã có người dùng {name} / user {name} already exists")
            now = time.time()
            tx.run("INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, NULL, ?)", (name, role, now))
            tx.run("INSERT INTO api_tokens (hash, user_name, label, created_at) VALUES (?, ?, ?, ?)",
                   (_sha(token), name, "first", now))
            self._audit(tx, actor, "user.add", name, {"role": role})

        self._write(tx_add)
        return token

    def set_password(self, name: str, password: str, actor: str = "cli") -> None:
        if len(password) < 8:
            raise AccountError("Mật khẩu cần ít nhất 8 ký tự / the password needs at least 8 characters")
        hashed = _hasher().hash(password)

        def tx_set(tx) -> None:
            if tx.run("UPDATE users SET password_hash = ? WHERE name = ?", (hashed, name)) != 1:
                raise AccountError(f"Không có người dùng {name} / no user {name}")
            tx.run("DELETE FROM sessions WHERE user_name = ?", (name,))
            self._audit(tx, actor, "user.password", name, {})

        self._write(tx_set)

    def remove_user(self, name: str, actor: str = "cli") -> None:
        def tx_remove(tx) -> None:
            if tx.run("DELETE FROM users WHERE name = ?", (name,)) != 1:
                raise AccountError(f"Không có người dùng {name} / no user {name}")
            tx.run("DELETE FROM api_tokens WHERE user_name = ?", (name,))
            tx.run("DELETE FROM sessions WHERE user_name = ?", (name,))
            self._audit(tx, actor, "user.remove", name, {})

        self._write(tx_remove)

    def users(self) -> list[dict]:
        rows = self._read(lambda tx: tx.all(
            "SELECT u.name, u.role, u.password_hash IS NOT NULL, u.created_at, "
            "(SELECT count(*) FROM api_tokens t WHERE t.user_name = u.name) FROM users u ORDER BY u.name"))
        return [{"name": n, "role": r, "password": bool(p), "created_at": c, "tokens": int(t)} for n, r, p, c, t in rows]

    def has_users(self) -> bool:
        return self._read(lambda tx: tx.one("SELECT 1 FROM users LIMIT 1")) is not None

    # -- tokens --------------------------------------------------------------------------------------
    def create_token(self, name: str, label: str = "", actor: str = "cli") -> str:
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)

        def tx_create(tx) -> None:
            if not tx.one("SELECT 1 FROM users WHERE name = ?", (name,)):
                raise AccountError(f"Không có người dùng {name} / no user {name}")
            tx.run("INSERT INTO api_tokens (hash, user_name, label, created_at) VALUES (?, ?, ?, ?)",
                   (_sha(token), name, label[:100], time.time()))
            self._audit(tx, actor, "token.create", name, {"label": label[:100]})

        self._write(tx_create)
        return token

    def revoke_token(self, token: str, actor: str = "cli") -> str:
        """Revoke one token (given whole); returns its user's name."""
        def tx_revoke(tx) -> str:
            row = tx.one("SELECT user_name FROM api_tokens WHERE hash = ?", (_sha(token.strip()),))
            if row is None:
                raise AccountError("Không có khóa này / no such token")
            tx.run("DELETE FROM api_tokens WHERE hash = ?", (_sha(token.strip()),))
            self._audit(tx, actor, "token.revoke", row[0], {})
            return row[0]

        return self._write(tx_revoke)

    def user_of_token(self, token: str) -> User | None:
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        row = self._read(lambda tx: tx.one(
            "SELECT u.name, u.role FROM api_tokens t JOIN users u ON u.name = t.user_name WHERE t.hash = ?",
            (_sha(token),)))
        return User(row[0], row[1], "token") if row else None

    # -- web sessions ----------------------------------------------------------------------------------
    def login(self, name: str, password: str) -> tuple[str, User] | None:
        """(session id, user) when the password is right; None otherwise (the same time either way)."""
        from argon2.exceptions import VerificationError, InvalidHashError

        row = self._read(lambda tx: tx.one("SELECT name, role, password_hash FROM users WHERE name = ?", (name,)))
        hasher = _hasher()
        stored = row[2] if row and row[2] else _DUMMY.get(hasher)
        try:
            ok = hasher.verify(stored, password) and row is not None and bool(row[2])
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            return None
        session, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)

        def tx_login(tx) -> None:
            now = time.time()
            tx.run("DELETE FROM sessions WHERE expires_at < ?", (now,))
            tx.run("INSERT INTO sessions (hash, user_name, csrf, expires_at) VALUES (?, ?, ?, ?)",
                   (_sha(session), row[0], csrf, now + SESSION_HOURS * 3600))

        self._write(tx_login)
        return session, User(row[0], row[1], "session", csrf)

    def user_of_session(self, session: str) -> User | None:
        if not session or len(session) > 100:
            return None
        row = self._read(lambda tx: tx.one(
            "SELECT u.name, u.role, s.csrf FROM sessions s JOIN users u ON u.name = s.user_name "
            "WHERE s.hash = ? AND s.expires_at > ?", (_sha(session), time.time())))
        return User(row[0], row[1], "session", row[2]) if row else None

    def logout(self, session: str) -> None:
        self._write(lambda tx: tx.run("DELETE FROM sessions WHERE hash = ?", (_sha(session),)))

    # -- audit -----------------------------------------------------------------------------------------
    def _audit(self, tx, actor: str, action: str, target: str, detail: dict) -> None:
        tx.run("INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
               (time.time(), actor, action, target, json.dumps(detail, ensure_ascii=False)))

    def audit(self, actor: str, action: str, target: str, detail: dict | None = None) -> None:
        self._write(lambda tx: self._audit(tx, actor, action, target, detail or {}))

    def audit_log(self, limit: int = 100, offset: int = 0, action: str | None = None) -> dict:
        where, params = ("WHERE action LIKE ?", [action + "%"]) if action else ("", [])

        def q(tx) -> dict:
            total = tx.one(f"SELECT count(*) FROM audit_log {where}", params)[0]
            rows = tx.all(f"SELECT id, at, actor, action, target, detail FROM audit_log {where} "
                          "ORDER BY id DESC LIMIT ? OFFSET ?", [*params, limit, offset])
            return {"total": int(total), "offset": offset, "limit": limit,
                    "results": [{"id": int(i), "at": at, "actor": a, "action": act, "target": t,
                                 "detail": json.loads(d)} for i, at, a, act, t, d in rows]}

        return self._read(q)


class _Dummy:
    """A hash to verify against when the user does not exist, so a wrong name takes as long as a wrong password."""

    hashed: str | None = None

    def get(self, hasher) -> str:
        if self.hashed is None:
            self.hashed = hasher.hash(secrets.token_urlsafe(16))
        return self.hashed


_DUMMY = _Dummy()

SQLITE_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS api_tokens (hash TEXT PRIMARY KEY, user_name TEXT NOT NULL, label TEXT, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (hash TEXT PRIMARY KEY, user_name TEXT NOT NULL, csrf TEXT NOT NULL, expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, actor TEXT NOT NULL,
    action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS corrections (doc_id TEXT PRIMARY KEY, fields TEXT NOT NULL, revision INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS revisions (doc_id TEXT NOT NULL, number INTEGER NOT NULL, at REAL NOT NULL, author TEXT NOT NULL,
    fields TEXT NOT NULL, old TEXT NOT NULL, new TEXT NOT NULL, PRIMARY KEY (doc_id, number));
CREATE TABLE IF NOT EXISTS trash (doc_id TEXT PRIMARY KEY, deleted_at REAL NOT NULL, deleted_by TEXT NOT NULL,
    source_path TEXT)
"""
POSTGRES_SCHEMA = (SQLITE_SCHEMA.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY")
                   .replace(" REAL", " DOUBLE PRECISION"))
