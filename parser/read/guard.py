"""The input guard: decide from the bytes, before any reader runs, whether a file can be parsed."""
from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from parser.errors import (DamagedFileError, EmptyFileError, EncryptedError, InputFileError, NoPagesError,
                           NotADocumentError, TooLargeError)
from parser.options import ParseOptions


@dataclass(frozen=True, slots=True)
class InputInfo:
    kind: str  # "pdf" | "docx"
    size_bytes: int
    sha256: str
    page_count: int | None


def _looks_like(head: bytes) -> str:
    text = head.lstrip()[:64].lower()
    if head.startswith(b"\x89PNG"):
        return "a PNG image / ảnh PNG"
    if head.startswith(b"\xff\xd8"):
        return "a JPEG image / ảnh JPEG"
    if text.startswith((b"<!doctype html", b"<html")):
        return "an HTML page / trang HTML"
    if head.startswith(b"PK"):
        return "a ZIP archive that is not a Word document / tệp ZIP không phải Word"
    try:
        head.decode("utf-8")
        return "plain text / văn bản thuần"
    except UnicodeDecodeError:
        return "unknown binary data / dữ liệu nhị phân không rõ"


def inspect_input(path: str, options: ParseOptions) -> InputInfo:
    p = Path(path)
    if not p.is_file():
        raise InputFileError(f"Không tìm thấy tệp / file not found: {path}")
    size = p.stat().st_size
    if size == 0:
        raise EmptyFileError("Tệp rỗng (0 byte) / the file is empty (0 bytes)")
    if size > options.max_bytes:
        raise TooLargeError(f"Tệp quá lớn ({size // 1_000_000} MB, giới hạn {options.max_bytes // 1_000_000} MB) / "
                            f"the file is too large ({size // 1_000_000} MB; the limit is {options.max_bytes // 1_000_000} MB)")
    digest = hashlib.sha256()
    with p.open("rb") as fh:
        head = fh.read(1024)
        digest.update(head)
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    sha256 = digest.hexdigest()
    if b"%PDF-" in head:
        pages = _pdf_pages(path, options)
        from parser.read.bombs import check_pdf

        check_pdf(path)
        return InputInfo("pdf", size, sha256, pages)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                if "word/document.xml" in zf.namelist():
                    return InputInfo("docx", size, sha256, None)
        except zipfile.BadZipFile as exc:
            raise DamagedFileError(f"Tệp .docx bị hỏng / the .docx file is damaged: {exc}") from exc
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        if _encrypted_office(p):
            raise EncryptedError("Tệp Word được đặt mật khẩu: hãy gửi bản không khóa / "
                                 "the Word file is password-protected: send it unlocked")
        raise NotADocumentError("Đây là tệp Word cũ (.doc): hãy lưu lại thành .docx hoặc PDF / "
                                "this is an old Word file (.doc): save it as .docx or PDF")
    raise NotADocumentError(f"Tệp không phải PDF hoặc DOCX / the file is not a PDF or DOCX: it looks like {_looks_like(head)}")


# a password-protected .docx is an OLE compound file holding these two streams (MS-OFFCRYPTO), names in UTF-16
_ENCRYPTION_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))


def _encrypted_office(p: Path) -> bool:
    data = p.read_bytes()
    return all(name in data for name in _ENCRYPTION_STREAMS)


def _pdf_pages(path: str, options: ParseOptions) -> int:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedError("Tệp PDF được đặt mật khẩu: hãy gửi bản không khóa / "
                                 "the PDF is password-protected: send it unlocked") from exc
        if _pdfminer_page_count(path) == 0:
            raise NoPagesError("Tệp PDF không có trang nào / the PDF has no pages") from exc
        raise DamagedFileError("Tệp PDF bị hỏng hoặc không đầy đủ / the PDF is damaged or truncated") from exc
    try:
        count = len(pdf)
    finally:
        pdf.close()
    if count == 0:
        raise NoPagesError("Tệp PDF không có trang nào / the PDF has no pages")
    if count > options.max_pages:
        raise TooLargeError(f"Tài liệu có {count} trang, vượt giới hạn {options.max_pages} trang / the document has "
                            f"{count} pages; the limit is {options.max_pages} (raise it with --max-pages)")
    return count


def _pdfminer_page_count(path: str) -> int | None:
    """A second opinion where pdfium refuses a file: pdfminer reads page trees pdfium rejects (e.g. empty ones)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        with open(path, "rb") as fh:
            return sum(1 for _ in PDFPage.create_pages(PDFDocument(PDFParser(fh))))
    except Exception:  # the file is broken beyond either library
        return None
