"""Uploaded files: copied to a temporary file of our own naming, hashed on the way; user names are labels only."""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True, slots=True)
class SavedUpload:
    path: Path
    sha256: str
    size: int
    display_name: str


def display_name(raw: str | None) -> str:
    """A label from whatever name the client sent: NFC, no folders, no control characters, bounded length."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    return name[:200] or "document"


def save_upload(stream, raw_name: str | None, directory: str | None = None) -> SavedUpload:
    digest = hashlib.sha256()
    size = 0
    fd, tmp = tempfile.mkstemp(prefix="vanban-upload-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
    except BaseException:
        os.unlink(tmp)
        raise
    return SavedUpload(Path(tmp), digest.hexdigest(), size, display_name(raw_name))


async def receive_upload(file) -> SavedUpload:
    """Save a FastAPI UploadFile (already spooled by Starlette) without blocking the event loop; refuse empty files."""
    from fastapi.concurrency import run_in_threadpool

    from service.errors import ApiError

    upload = await run_in_threadpool(save_upload, file.file, file.filename)
    if upload.size == 0:
        discard(upload)
        raise ApiError(422, "empty_file", "Tệp rỗng (0 byte) / the file is empty (0 bytes)")
    return upload


def content_disposition(filename: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode() or "document"
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def discard(upload: SavedUpload) -> None:
    try:
        upload.path.unlink()
    except FileNotFoundError:
        pass

