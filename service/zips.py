"""A .zip of documents, unpacked like uploads: members checked one by one, nothing written under their names.

Each member must be a .pdf or .docx (others are listed as skipped), within the size limit, and the archive
within a member count and a total size. Sizes are checked twice: as the zip declares them, and as the bytes
come out while reading (a zip bomb lies about its sizes: reading stops at the declared size or the limit).
Members keep only their file name (never a path) as a label; each is copied to a temporary file of our own.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from service.uploads import SavedUpload, display_name

MAX_MEMBERS = 200
CHUNK = 1 << 20
KINDS = (".pdf", ".docx")


class BadZip(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(slots=True)
class Member:
    name: str
    upload: SavedUpload | None = None
    code: str | None = None
    message: str | None = None


def _copy(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, directory: str | None) -> SavedUpload:
    digest = hashlib.sha256()
    size = 0
    fd, tmp = tempfile.mkstemp(prefix="vanban-zip-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as out, zf.open(info) as src:
            while True:
                chunk = src.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > info.file_size or size > limit:  # more than declared, or than allowed: a bomb
                    raise BadZip("zip_bomb", "Tệp trong zip giải nén ra lớn hơn khai báo hoặc giới hạn / "
                                             "a member decompresses to more than declared or allowed")
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        os.unlink(tmp)
        raise
    return SavedUpload(Path(tmp), digest.hexdigest(), size, display_name(info.filename))


def unpack(path: Path, max_member_bytes: int, max_total_bytes: int, directory: str | None = None) -> list[Member]:
    """The members, each saved to a temporary file or with the reason it was not; raises BadZip for the whole."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise BadZip("not_a_zip", "Tệp không phải zip đọc được / the file is not a readable zip") from None
    members: list[Member] = []
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        wanted = [i for i in infos if display_name(i.filename).lower().endswith(KINDS)
                  and not i.filename.startswith("__MACOSX/") and not display_name(i.filename).startswith("._")]
        if len(wanted) > MAX_MEMBERS:
            raise BadZip("too_many_files", f"Zip có {len(wanted)} tệp, nhiều hơn {MAX_MEMBERS} / "
                                           f"the zip holds {len(wanted)} documents, more than {MAX_MEMBERS}")
        if sum(i.file_size for i in wanted) > max_total_bytes:
            raise BadZip("too_large", f"Zip giải nén ra quá {max_total_bytes // 2**20} MB / the zip decompresses to "
                                      f"more than {max_total_bytes // 2**20} MB")
        for info in infos:
            name = display_name(info.filename)
            if info not in wanted:
                members.append(Member(name, code="unsupported_type", message="Không phải PDF hay DOCX, bỏ qua / "
                                                                              "not a PDF or DOCX: skipped"))
                continue
            if info.flag_bits & 0x1:
                members.append(Member(name, code="encrypted", message="Tệp trong zip có mật khẩu / the member is encrypted"))
                continue
            if info.file_size > max_member_bytes:
                members.append(Member(name, code="too_large", message=f"Tệp lớn hơn {max_member_bytes // 2**20} MB / "
                                                                      f"larger than {max_member_bytes // 2**20} MB"))
                continue
            if info.file_size == 0:
                members.append(Member(name, code="empty_file", message="Tệp rỗng (0 byte) / the file is empty"))
                continue
            try:
                members.append(Member(name, upload=_copy(zf, info, max_member_bytes, directory)))
            except BadZip as exc:
                for m in members:
                    if m.upload:
                        m.upload.path.unlink(missing_ok=True)
                raise exc
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                members.append(Member(name, code="damaged", message=f"Tệp trong zip bị hỏng / the member is damaged ({exc})"))
    return members
