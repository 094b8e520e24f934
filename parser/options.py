"""Options of one parse, shared by the CLI, the service and the pipeline."""
from __future__ import annotations

from dataclasses import dataclass

OCR_MODES = ("auto", "always", "never")


@dataclass(frozen=True, slots=True)
class ParseOptions:
    ocr: str = "auto"  # auto | always | never (OCR itself lands with the scanned-plans issue)
    max_pages: int = 300
    max_bytes: int = 100 * 1024 * 1024
    include_text: bool = True

    def __post_init__(self):
        if self.ocr not in OCR_MODES:
            raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}, not {self.ocr!r}")
