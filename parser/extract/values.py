"""What extractors return: a value and the span of the normalized text it came from."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Found:
    value: Any
    start: int  # -1 when the value is inferred, not read (e.g. "Công văn" from a V/v line)
    end: int
    confidence: float = 1.0
    raw: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
