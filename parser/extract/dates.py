"""Vietnamese dates in running text: `13/2/2023`, `ngày 17 tháng 2 năm 2023`, `tháng 6/2024`, `21/11`,
`ngày 15 tháng 5`, `tháng 7`, `quý III/2026`."""
from __future__ import annotations

import calendar
import re
from datetime import date

DMY = re.compile(r"(?<![\d/])(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})(?:\s*[/.\-]\s*(?P<y>\d{4}))?(?![\d/])")
LONG = re.compile(r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})", re.I)
MONTH = re.compile(r"tháng\s+(?P<m>\d{1,2})\s*(?:/|năm)\s*(?P<y>\d{4})", re.I)
# the forms a range may leave the year to its other end in: `ngày 15 tháng 5`, `tháng 7`; and quarters
LONG_DM = re.compile(r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?:\s*(?:/|,?\s*năm)\s*(?P<y>\d{4}))?(?![\d/])", re.I)
MONTH_ONLY = re.compile(r"tháng\s+(?P<m>\d{1,2})(?:\s*(?:/|năm)\s*(?P<y>\d{4}))?(?![\d/])", re.I)
QUARTER = re.compile(r"quý\s+(?P<q>IV|I{1,3}|[1-4])(?:\s*(?:/|năm)\s*(?P<y>\d{4}))?(?![\w/])", re.I)
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10,
         "XI": 11, "XII": 12}


def iso(y: int | None, m: int, d: int) -> str | None:
    if y is None:
        return None
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def month_end(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def first_date(text: str) -> tuple[str | None, re.Match | None]:
    """The first full date (with a year) in text, as ISO."""
    candidates = [m for m in (LONG.search(text), _dmy_with_year(text)) if m]
    if not candidates:
        return None, None
    m = min(candidates, key=lambda m: m.start())
    return iso(int(m.group("y")), int(m.group("m")), int(m.group("d"))), m


def _dmy_with_year(text: str) -> re.Match | None:
    for m in DMY.finditer(text):
        if m.group("y"):
            return m
    return None
