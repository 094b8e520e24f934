"""Knowledge files (document types, commemorations, national movements), loaded once.

commemorations.csv and movements.csv are copied from the project's shared knowledge
base (sources in their `source` column); doc_types.csv is Decree 30, Phụ lục III.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from importlib.resources import files


def _rows(name: str) -> list[dict[str, str]]:
    with files(__package__).joinpath(name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=None)
def doc_types() -> dict[str, str]:
    """Type code -> name: `KH` -> `Kế hoạch`."""
    return {row["code"]: row["name"] for row in _rows("doc_types.csv")}


@lru_cache(maxsize=None)
def commemorations() -> list[dict[str, str]]:
    return _rows("commemorations.csv")


@lru_cache(maxsize=None)
def movements() -> list[dict[str, str]]:
    return _rows("movements.csv")


def _lines(name: str) -> tuple[str, ...]:
    text = files(__package__).joinpath(name).read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=None)
def surnames() -> tuple[str, ...]:
    return _lines("surnames.txt")


@lru_cache(maxsize=None)
def positions() -> tuple[str, ...]:
    return _lines("positions.txt")


@lru_cache(maxsize=None)
def bodies() -> tuple[str, ...]:
    return _lines("bodies.txt")
