"""The Evidence object: a partnership's register and shared tables for one period."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from hscp import config, geography, store
from hscp.errors import HscpError
from hscp.evidence import cache
from hscp.evidence.build import SECTIONS, Built, Context, build
from hscp.evidence.definitions import DEFINITIONS, definition
from hscp.evidence.figures import REGISTER_COLUMNS, Figure, distinguish, is_small
from hscp.geography import Partnership

#: Which section computes each key (for saying why a figure is missing).
_SECTION_OF = {
    **dict.fromkeys(
        [k for k in DEFINITIONS if k.startswith(("emergency_", "ppa_", "ae_", "frequent_", "ni1"))],
        "unscheduled_care",
    ),
    **dict.fromkeys(
        [k for k in DEFINITIONS if k.startswith(("delay", "census_", "ni19"))],
        "delayed_discharges",
    ),
    **dict.fromkeys(
        [
            "emergency_bed_days_period",
            "emergency_beds_period",
            "emergency_bed_days_monthly_mean",
            "emergency_length_of_stay",
            "emergency_admissions_75plus",
        ],
        "performance",
    ),
    **dict.fromkeys([k for k in DEFINITIONS if k.startswith("project")], "projections"),
    **dict.fromkeys([k for k in DEFINITIONS if k.startswith("sd_")], "system_dynamics"),
    **dict.fromkeys([k for k in DEFINITIONS if k.startswith("set_aside")], "options"),
}


class EvidenceError(HscpError, LookupError):
    """A figure the register does not have: says which key, area and why."""


@dataclass
class Evidence:
    """A partnership's headline figures and shared tables for one period.

    `figure(key)` is one figure of the view's area (the partnership, or the locality
    of a locality view); `register()` every figure of every area as a tidy table;
    `table(name)` a shared table. Figures resting on a count from 1 to threshold - 1
    come with their value suppressed (Figure.suppressed).
    """

    partnership: Partnership
    start: pd.Timestamp
    end: pd.Timestamp
    threshold: int
    problems: dict[str, str]
    key: str
    path: Path | None = None  # the cache entry, or None when built in memory
    locality: str | None = None
    _raw: pd.DataFrame = field(default=None, repr=False)
    _tables: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    _entry: cache.Entry | None = field(default=None, repr=False)

    # --- the view ------------------------------------------------------------------------

    @property
    def area(self) -> str:
        """The area of this view: the locality, or the partnership's name."""
        return self.locality or self.partnership.name

    def for_locality(self, locality: str | None) -> Evidence:
        """The same evidence seen from one locality (None: the whole partnership); nothing
        is computed again."""
        name = None if locality in (None, "", "all", "All") else self.partnership.locality(locality)
        return replace(self, locality=name)

    def in_area(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Rows of a partnership's record-level table in the view's area (as report.in_area)."""
        return frame if self.locality is None else frame[frame["locality"] == self.locality]

    # --- figures -------------------------------------------------------------------------

    def register(self, area: str | None = None) -> pd.DataFrame:
        """Every figure as a tidy table (REGISTER_COLUMNS and `suppressed`), disclosure
        controlled: one row per key and area, or only `area`'s rows."""
        table = self._raw if area is None else self._raw[self._raw["area"] == area]
        table = table.copy()
        small = [is_small(c, self.threshold) for c in table["count"]]
        table["suppressed"] = small
        masked = table["suppressed"].to_numpy(bool)
        table.loc[masked, ["value", "lower", "upper", "previous", "change"]] = math.nan
        table.loc[masked, ["direction", "vs_scotland", "vs_board", "vs_partnership"]] = None
        return table.reset_index(drop=True)

    def figure(self, key: str, area: str | None = None) -> Figure:
        """One figure: `key` (see hscp.evidence.DEFINITIONS) for `area` (default: the view's)."""
        definition(key)  # an unknown key is an error listing the keys
        area = area or self.area
        found = self._raw[(self._raw["key"] == key) & (self._raw["area"] == area)]
        if found.empty:
            section = _SECTION_OF.get(key)
            why = self.problems.get(section)
            if why:
                raise EvidenceError(f"No {key!r} for {area}: the {section} evidence failed: {why}")
            areas = sorted(self._raw.loc[self._raw["key"] == key, "area"].unique())
            raise EvidenceError(
                f"No {key!r} for {area!r} in the evidence of {self.partnership.name}; "
                f"areas with it: {', '.join(areas) or 'none'}"
            )
        return Figure.from_row(found.iloc[0], self.threshold)

    def figures(self, *keys: str, area: str | None = None) -> list[Figure]:
        return [self.figure(k, area) for k in keys]

    def distinguish(self, *keys: str, area: str | None = None, basis: bool | None = None) -> str:
        """Related figures of one area with what tells them apart, e.g.
        distinguish("sd_emergency_beds_65plus", "emergency_beds") -> '193 beds occupied by
        people aged 65+; 237 for all ages' (figures.distinguish)."""
        return distinguish(self.figures(*keys, area=area), basis=basis)

    # --- shared tables ---------------------------------------------------------------------

    @property
    def table_names(self) -> list[str]:
        return sorted(set(self._tables) | set(self._entry.table_names if self._entry else ()))

    def table(self, name: str) -> pd.DataFrame:
        """A shared table (a copy): e.g. "stays" (the partnership's continuous stays, with
        the PPA flag), "emergency_monthly", "delays_monthly", "census_monthly",
        "ae_monthly", "rates", "indicators", "delay_rates", "performance_monthly",
        "performance_summary", "projection_summary", "projection_yearly", "sd_observed".
        Tables by area have an `area` column. Record-level tables are never to be
        published as they are."""
        if name not in self._tables:
            if self._entry is None or name not in self._entry.table_names:
                raise EvidenceError(
                    f"No table {name!r} in the evidence of {self.partnership.name}; tables: "
                    f"{', '.join(self.table_names)}"
                    + (f" (problems: {self.problems})" if self.problems else "")
                )
            self._tables[name] = self._entry.table(name)
        return self._tables[name].copy()


# --- loading ------------------------------------------------------------------------------------


def _slice(data, partnership: str | None) -> store.Slice:
    if isinstance(data, store.Store):
        if partnership is None:
            raise ValueError("name the partnership to load its evidence from a whole store")
        return data.partnership(partnership)
    if isinstance(data, store.Slice):
        if partnership is not None and geography.partnership(partnership).code != data.code:
            raise ValueError(
                f"the data slice is of {geography.partnership(data.code).name}, not {partnership}"
            )
        return data
    raise TypeError(f"evidence.load needs a store.Store or store.Slice, not {type(data).__name__}")


def _period(data: store.Slice, start, end) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Timestamps are a resolved period (a report's start and end) and are used as they
    are; text or None is resolved as a notebook's period_start and period_end are."""
    data_start, data_end = data.store.period
    if isinstance(start, pd.Timestamp) and isinstance(end, pd.Timestamp):
        return start, end
    first, last = config.resolve_period(
        None if start is None else str(start), None if end is None else str(end), data_start,
        data_end,
    )  # fmt: skip
    return (start if isinstance(start, pd.Timestamp) else first), (
        end if isinstance(end, pd.Timestamp) else last
    )


def load(
    data,
    partnership: str | None = None,
    start=None,
    end=None,
    *,
    threshold: int | None = None,
    use_cache: bool = True,
    only: Sequence[str] | None = None,
) -> Evidence:
    """A partnership's evidence for a period, from the cache beside the store or built
    (and cached) now.

    `data`: a store.Store (then name the partnership) or a partnership's store.Slice
    (report.start's `rpt.data`). `start`, `end`: the report period (Timestamps as a
    report has them, or "2023-04"-style text as a notebook's parameters; None for the
    span of the data). `threshold`: the disclosure threshold (default params/defaults.yaml).
    `only`: the sections a report needs (SECTIONS' names): when the partnership's evidence
    is not cached yet, only these are computed, in memory, rather than every section (a
    report that quotes one table does not wait for the whole register).
    """
    data = _slice(data, partnership)
    p = geography.partnership(data.code)
    first, last = _period(data, start, end)
    if threshold is None:
        threshold = config.load_defaults().disclosure_threshold
    described = cache.inputs(data, p, first, last)
    key = cache.key_of(described)
    common = dict(partnership=p, start=first, end=last, threshold=int(threshold), key=key)
    if not use_cache:
        return _in_memory(_build(data, p, first, last), **common)
    root = data.store.path / "evidence"
    prefix = cache.entry_prefix(p, first, last)
    name = f"{prefix}-{key}"
    entry = cache.read(root / name, key)
    if entry is None and only is not None:
        return _in_memory(_build(data, p, first, last, list(only)), **common)
    if entry is None:
        try:
            with cache.building(root, name):
                entry = cache.read(root / name, key)  # built by another process meanwhile
                if entry is None:
                    built = _build(data, p, first, last)
                    cache.write(root, name, key, described, built)
                    cache.remove_others(root, prefix, name)
                    entry = cache.read(root / name, key)
        except OSError:  # a read-only store: compute, do not cache
            return _in_memory(_build(data, p, first, last), **common)
        if entry is None:
            raise EvidenceError(f"{root / name}: the evidence was written but cannot be read back")
    return Evidence(
        problems=entry.problems, path=entry.folder, _raw=entry.register(), _entry=entry, **common
    )


def load_locality(
    data, partnership: str | None, locality: str, start=None, end=None, **options
) -> Evidence:
    """A locality's view of its partnership's evidence: the partnership's cached work,
    with `figure(key)` reading the locality's figures."""
    return load(data, partnership, start, end, **options).for_locality(locality)


def for_report(rpt, only: Sequence[str] | None = None) -> Evidence:
    """The evidence of a report's partnership and period, seen from its area (a
    report.Report from report.start); `only` as for `load`."""
    return load(
        rpt.data, None, rpt.start, rpt.end, threshold=rpt.threshold, only=only
    ).for_locality(rpt.locality)


def _build(data, p: Partnership, first, last, sections=None) -> Built:
    return build(Context(data, p, first, last), sections)


def _in_memory(built: Built, **common) -> Evidence:
    return Evidence(problems=built.problems, _raw=built.register, _tables=built.tables, **common)


__all__ = [
    "Evidence",
    "EvidenceError",
    "Figure",
    "REGISTER_COLUMNS",
    "SECTIONS",
    "for_report",
    "load",
    "load_locality",
]
