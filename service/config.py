"""Service settings: defaults, overridden by environment variables, overridden by `vanban serve` options."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path


def default_archive_path() -> Path:
    """One archive file in the user's data directory (XDG), shared by `vanban serve` and the archive commands."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "vanban" / "archive.db"


def default_preview_dir() -> Path:
    """A private folder of this machine user (XDG runtime or cache dir), never a shared, guessable /tmp path."""
    base = os.environ.get("XDG_RUNTIME_DIR") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vanban" / "previews"


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}") from None


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = field(default_factory=lambda: os.environ.get("VANBAN_DB") or str(default_archive_path()))
    max_upload_bytes: int = field(default_factory=lambda: _env_int("VANBAN_MAX_UPLOAD_MB", 25) * 1024 * 1024)
    max_pages: int = field(default_factory=lambda: _env_int("VANBAN_MAX_PAGES", 300))
    parse_timeout_s: int = field(default_factory=lambda: _env_int("VANBAN_PARSE_TIMEOUT", 60))
    workers: int = field(default_factory=lambda: _env_int("VANBAN_WORKERS", max(1, min(os.cpu_count() or 1, 4))))
    # documents allowed to wait for a worker; more get 503 + Retry-After
    queue_size: int = field(default_factory=lambda: _env_int("VANBAN_QUEUE", 16))
    worker_memory_mb: int = field(default_factory=lambda: _env_int("VANBAN_WORKER_MEMORY_MB", 4096))
    # uploads shown on the web page before the user keeps them
    preview_dir: Path = field(default_factory=lambda: Path(os.environ.get("VANBAN_PREVIEW_DIR") or default_preview_dir()))
    # deprecated: accepted as an admin's bearer token; create users instead (`vanban users add`)
    api_key: str | None = field(default_factory=lambda: os.environ.get("VANBAN_API_KEY") or None)
    # reads (pages, search, documents) need a signed-in viewer too
    private: bool = field(default_factory=lambda: _env_flag("VANBAN_PRIVATE"))
    body_timeout_s: int = field(default_factory=lambda: _env_int("VANBAN_BODY_TIMEOUT", 120))
    header_timeout_s: int = field(default_factory=lambda: _env_int("VANBAN_HEADER_TIMEOUT", 10))
    cors_origins: tuple[str, ...] = field(default_factory=lambda: tuple(
        o.strip() for o in os.environ.get("VANBAN_CORS_ORIGINS", "").split(",") if o.strip()))

    def with_overrides(self, **changes) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})
