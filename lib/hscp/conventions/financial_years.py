"""Financial years: April to March, labelled "2024/25".

The Scottish public sector's financial year runs from 1 April to 31 March. PHS
publications label it "2024/25"; some files write "2024-25" or "2024/2025". The
population year of a financial year (the NRS mid-year estimate or projection, 30
June, that it holds) is its first calendar year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

_LABEL = re.compile(r"(\d{4})\s*[/-]\s*(\d{2}|\d{4})")


@dataclass(frozen=True, order=True)
class FinancialYear:
    """A financial year, April `year` to March `year` + 1 ("2023/24")."""

    year: int

    @property
    def start(self) -> pd.Timestamp:
        """Its first day, 1 April."""
        return pd.Timestamp(self.year, 4, 1)

    @property
    def end(self) -> pd.Timestamp:
        """Its last day, 31 March of the next calendar year."""
        return pd.Timestamp(self.year + 1, 3, 31)

    @property
    def label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def days(self) -> int:
        """365, or 366 when it holds 29 February."""
        return (self.end - self.start).days + 1

    @property
    def population_year(self) -> int:
        """The mid-year (30 June) population year it holds: its first calendar year."""
        return self.year

    def __str__(self) -> str:
        return self.label


def parse_financial_year(text: str) -> FinancialYear:
    """A financial year from its label: "2024/25", "2024-25", "2024/2025" or "2024-2025".

    The second year must follow the first ("2024/26" is an error).
    """
    match = _LABEL.fullmatch(str(text).strip())
    if not match:
        raise ValueError(f"not a financial year: {text!r} (expected e.g. 2024/25)")
    first, second = int(match[1]), int(match[2])
    expected = first + 1 if len(match[2]) == 4 else (first + 1) % 100
    if second != expected:
        raise ValueError(f"not a financial year: {text!r} (expected e.g. 2024/25)")
    return FinancialYear(first)


def financial_year(value: int | str | date | pd.Timestamp | FinancialYear) -> FinancialYear:
    """The financial year of a start year (2023), a label ("2023/24") or a date in it.

    Text with a slash is a label; other text is a date ("2024-03-31" is in 2023/24).
    """
    if isinstance(value, FinancialYear):
        return value
    if isinstance(value, int | np.integer):
        return FinancialYear(int(value))
    if isinstance(value, str) and "/" in value:
        return parse_financial_year(value)
    stamp = pd.Timestamp(value)
    return FinancialYear(stamp.year if stamp.month >= 4 else stamp.year - 1)


def financial_year_label(year: int) -> str:
    """The label of the financial year starting in April of `year`: 2035 -> "2035/36"."""
    return FinancialYear(int(year)).label


def days_in_financial_year(years) -> np.ndarray:
    """Days in the financial years starting in April of `years` (366 when it holds 29 Feb)."""
    years = np.asarray(years, dtype=int)
    leap = ((years + 1) % 4 == 0) & (((years + 1) % 100 != 0) | ((years + 1) % 400 == 0))
    return np.where(leap, 366, 365)


def latest_complete(start, end) -> FinancialYear | None:
    """The latest financial year wholly inside `start` to `end` (inclusive), or None."""
    start, end = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    fy = financial_year(end)
    if fy.end > end:
        fy = FinancialYear(fy.year - 1)
    return fy if fy.start >= start else None


__all__ = [
    "FinancialYear",
    "days_in_financial_year",
    "financial_year",
    "financial_year_label",
    "latest_complete",
    "parse_financial_year",
]
