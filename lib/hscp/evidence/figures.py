"""Figures of the register: one row per key and area, their direction and comparisons.

The register is a tidy table (REGISTER_COLUMNS). A builder adds rows with `row(...)`;
`finish` then adds the direction of change and the comparison of each area's rate
with Scotland, its NHS board and (for a locality) its partnership, using the same
confidence interval test as the reports (hscp.measures.ci_comparison).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hscp import measures, text
from hscp.evidence.definitions import ALL_AGES, DEFINITIONS, Definition, definition

LOCALITY, PARTNERSHIP, HEALTH_BOARD, SCOTLAND = measures.AREA_TYPES
UP, DOWN, UNCHANGED = "up", "down", "unchanged"

REGISTER_COLUMNS = [
    "key",
    "area",
    "area_type",
    "value",
    "count",
    "lower",
    "upper",
    "previous",
    "change",
    "direction",
    "vs_scotland",
    "vs_board",
    "vs_partnership",
    "period_start",
    "period_end",
    "period_label",
    "label",
    "definition",
    "population",
    "setting",
    "unit",
    "source",
]


def _float(x) -> float:
    if x is None:
        return math.nan
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def row(
    key: str,
    area: str,
    area_type: str,
    value,
    *,
    period: tuple,
    count=None,
    lower=None,
    upper=None,
    previous=None,
    change=None,
) -> dict:
    """One register row: the key's definition with this area's numbers.

    `period` is (first day, last day, label). `count` is what the value rests on (the
    events or people behind it), for disclosure control. `change` defaults to
    value / previous - 1.
    """
    d = definition(key)
    value, previous = _float(value), _float(previous)
    if change is None:
        change = value / previous - 1 if previous and not math.isnan(previous) else math.nan
    start, end, label = period
    return {
        "key": key,
        "area": area,
        "area_type": area_type,
        "value": value,
        "count": _float(count),
        "lower": _float(lower),
        "upper": _float(upper),
        "previous": previous,
        "change": _float(change),
        "period_start": pd.Timestamp(start),
        "period_end": pd.Timestamp(end),
        "period_label": label,
        "label": d.label,
        "definition": d.definition,
        "population": d.population,
        "setting": d.setting,
        "unit": d.unit,
        "source": d.source,
    }


def average_beds(bed_days: float, days: int) -> float:
    """Average beds occupied a day: bed days / days in the period."""
    if days <= 0:
        raise ValueError(f"a period of {days} days has no average beds")
    return bed_days / days


def previous_days(comparison: measures.PeriodComparison) -> int:
    """Days in the months before a compare_periods window (its previous period)."""
    start = comparison.latest_start - pd.DateOffset(months=comparison.months)
    return (comparison.latest_start - start).days


def direction(change: float) -> str | None:
    """UP, DOWN or UNCHANGED for a relative change; None when there is none."""
    if change is None or math.isnan(change):
        return None
    if change > 0:
        return UP
    if change < 0:
        return DOWN
    return UNCHANGED


def finish(rows: Iterable[dict], partnership_name: str, board_name: str | None) -> pd.DataFrame:
    """The register table from rows: direction and comparisons added, columns in order."""
    table = pd.DataFrame(list(rows))
    if table.empty:
        return pd.DataFrame(columns=REGISTER_COLUMNS)
    table["direction"] = [direction(c) for c in table["change"]]
    for column, area in (
        ("vs_scotland", "Scotland"),
        ("vs_board", board_name),
        ("vs_partnership", partnership_name),
    ):
        table[column] = _compare_with(table, area)
    return table[REGISTER_COLUMNS].reset_index(drop=True)


def _compare_with(table: pd.DataFrame, comparator: str | None) -> list[str | None]:
    """Each row's ci_comparison with the comparator area's value of the same key: None
    where the key has no interval or no comparator row, or for the comparator itself."""
    if comparator is None:
        return [None] * len(table)
    theirs = table[table["area"] == comparator].set_index("key")["value"]
    out: list[str | None] = []
    for key, area, lower, upper in table[["key", "area", "lower", "upper"]].itertuples(index=False):
        interval = DEFINITIONS[key].is_rate and key in _WITH_INTERVAL
        if area == comparator or key not in theirs.index or not interval:
            out.append(None)
            continue
        value = theirs[key]
        out.append(
            measures.ci_comparison(
                None if math.isnan(lower) else lower,
                None if math.isnan(upper) else upper,
                None if math.isnan(value) else float(value),
            )
        )
    return out


#: Keys with a confidence interval: only these are compared with other areas.
_WITH_INTERVAL = {
    "emergency_admission_rate",
    "emergency_admission_easr",
    "ppa_share",
    "ppa_easr",
    "ae_attendance_easr",
    "ae_4_hour_percent",
    "ni12_emergency_admission_rate",
    "ni14_readmission_rate",
    "ni16_falls_rate",
}


# --- one figure ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One headline figure of one area: what it is, its value, what it rests on."""

    key: str
    area: str
    area_type: str
    value: float
    count: float
    lower: float
    upper: float
    previous: float
    change: float
    direction: str | None
    vs_scotland: str | None
    vs_board: str | None
    vs_partnership: str | None
    period_start: pd.Timestamp
    period_end: pd.Timestamp
    period_label: str
    label: str
    definition: str
    population: str
    setting: str
    unit: str
    source: str
    suppressed: bool = False
    threshold: int = 10  # the disclosure threshold it was shown with

    @classmethod
    def from_row(cls, row: pd.Series | dict, threshold: int) -> Figure:
        """A register row as a Figure, with disclosure control: a figure resting on a count
        from 1 to threshold - 1 keeps its count but loses its value, interval, change and
        comparisons (they would give the count away)."""
        values = {c: row[c] for c in REGISTER_COLUMNS}
        for c in ("direction", "vs_scotland", "vs_board", "vs_partnership"):
            if values[c] is not None and not isinstance(values[c], str):
                values[c] = None  # NaN from a parquet round trip
        small = is_small(values["count"], threshold)
        if small:
            for c in ("value", "lower", "upper", "previous", "change"):
                values[c] = math.nan
            for c in ("direction", "vs_scotland", "vs_board", "vs_partnership"):
                values[c] = None
        return cls(**values, suppressed=small, threshold=threshold)

    @property
    def meaning(self) -> Definition:
        return DEFINITIONS[self.key]

    def number(self) -> str:
        """The value alone, as a sentence writes it: '237', '95.5', '88.1%'. Suppressed:
        'fewer than 10' for a count (as report.fmt_count), 'not available' for a rate."""
        d = self.meaning
        if self.suppressed and not d.is_rate and d.unit != "beds":
            return f"fewer than {self.threshold}"
        if text.missing(self.value):
            return text.NOT_AVAILABLE
        if d.unit == "%":
            return text.percent(self.value / 100, d.digits)
        return text.number(self.value, d.digits)

    def text(self) -> str:
        """The value with its unit, as a sentence writes it: '237 beds', '95.5 per 1,000',
        '88.1%', 'fewer than 10 people'."""
        d = self.meaning
        shown = self.number()
        if d.unit == "%" or shown == text.NOT_AVAILABLE:
            return shown
        return f"{shown} {d.unit}"


def is_small(count: float, threshold: int) -> bool:
    """A count that disclosure control suppresses (1 to threshold - 1)."""
    return bool(count is not None and not np.isnan(count) and 0 < count < threshold)


# --- telling related figures apart -----------------------------------------------------------

_BY_POPULATION = {
    ALL_AGES: ("people of all ages", "all ages"),
    "18+": ("people aged 18+", "people aged 18+"),
    "65+": ("people aged 65+", "people aged 65+"),
    "75+": ("people aged 75+", "people aged 75+"),
}


def distinguish(figures: Sequence[Figure], *, basis: bool | None = None) -> str:
    """Related figures side by side, each with what tells it apart from the others:

    ("193 beds occupied by people aged 65+; 237 for all ages"). The population is
    named when the populations differ; the basis (counting rule or services assumed)
    and period when figures of one population differ by them, or always with
    basis=True. The first figure carries the noun.
    """
    if not figures:
        raise ValueError("distinguish needs at least one figure")
    populations = {f.population for f in figures}
    if basis is None:
        kinds = {(f.population, f.meaning.basis, f.period_label) for f in figures}
        basis = len(figures) > 1 and (len(kinds) > len(populations) or len(populations) == 1)
    parts = []
    for i, f in enumerate(figures):
        words = [f.number()]
        if i == 0:
            words.append(f.meaning.noun)
        if len(populations) > 1:
            by = "by" if i == 0 and f.meaning.noun.endswith("occupied") else "for"
            words.append(f"{by} {_BY_POPULATION[f.population][0 if i == 0 else 1]}")
        if basis:
            said = [f.meaning.basis] if f.meaning.basis else []
            words.append(f"({', '.join([*said, f.period_label])})")
        parts.append(" ".join(words))
    return "; ".join(parts)
