"""Failures a user can meet, each with an exit code and a message a person can act on."""
from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    ok = 0
    some_failed = 1
    bad_arguments = 2
    input_file = 3
    encrypted = 4
    too_large = 5
    timeout = 6
    missing_dependency = 7
    internal = 10


class VanbanError(Exception):
    """Base class: `code` is a stable machine name, `message` a plain sentence (vi / en)."""

    exit_code = ExitCode.internal
    code = "internal_error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InputFileError(VanbanError):
    exit_code = ExitCode.input_file
    code = "bad_input"


class NotADocumentError(InputFileError):
    code = "not_a_document"


class EmptyFileError(InputFileError):
    code = "empty_file"


class DamagedFileError(InputFileError):
    code = "damaged_file"


class NoPagesError(InputFileError):
    code = "no_pages"


class EncryptedError(VanbanError):
    exit_code = ExitCode.encrypted
    code = "encrypted"


class TooLargeError(VanbanError):
    exit_code = ExitCode.too_large
    code = "too_large"


class ParseTimeoutError(VanbanError):
    exit_code = ExitCode.timeout
    code = "timeout"


class MissingDependencyError(VanbanError):
    exit_code = ExitCode.missing_dependency
    code = "missing_dependency"


class TooDemandingError(InputFileError):
    """A file that would need far more memory to read than any real document (a decompression bomb)."""

    code = "too_demanding"
