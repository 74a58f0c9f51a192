"""Run parameters: params/defaults.yaml and the parameters a notebook is given.

Partnership and locality names are checked against params/partnerships (via
`hscp.geography`): an unknown name is an error that lists the valid names and
suggests the closest one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from hscp import geography
from hscp.geography import Partnership, UnknownNameError

__all__ = ["RunDefaults", "UnknownNameError", "load_defaults", "resolve_area", "resolve_period"]


@dataclass(frozen=True)
class RunDefaults:
    partnerships: tuple[str, ...]
    notebooks: tuple[str, ...]
    data: str
    synthetic_seed: int
    period_start: str | None
    period_end: str | None
    disclosure_threshold: int
    output: str
    jobs: int
    cell_timeout: int
    raw: dict = field(default_factory=dict, repr=False)


class ParamsError(ValueError):
    """A params file that cannot be used: names the file and the key."""


def project_root() -> Path:
    return geography.params_dir().parent


def load_defaults(path: Path | str | None = None) -> RunDefaults:
    """Read and check params/defaults.yaml."""
    path = Path(path) if path else geography.params_dir() / "defaults.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}

    def need(key, kind):
        value = raw.get(key)
        if not isinstance(value, kind):
            raise ParamsError(f"{path}: key {key!r} must be a {kind.__name__}, got {value!r}")
        return value

    threshold = (raw.get("disclosure") or {}).get("threshold", 10)
    if not isinstance(threshold, int) or threshold < 1:
        raise ParamsError(f"{path}: disclosure.threshold must be a positive whole number")
    partnerships = need("partnerships", list)
    if partnerships != ["all"]:
        for name in partnerships:
            geography.partnership(str(name))  # unknown names fail here, with suggestions
    period = raw.get("period") or {}
    return RunDefaults(
        partnerships=tuple(str(p) for p in partnerships),
        notebooks=tuple(need("notebooks", list)),
        data=str(need("data", str)),
        synthetic_seed=int(raw.get("synthetic_seed", 20261126)),
        period_start=_month_text(period.get("start"), path, "period.start"),
        period_end=_month_text(period.get("end"), path, "period.end"),
        disclosure_threshold=threshold,
        output=str(raw.get("output", "outputs")),
        jobs=int(raw.get("jobs", 2)),
        cell_timeout=int(raw.get("cell_timeout", 600)),
        raw=raw,
    )


def _month_text(value, path, key) -> str | None:
    if value in (None, ""):
        return None
    try:
        return pd.Timestamp(str(value)).strftime("%Y-%m")
    except ValueError as err:
        raise ParamsError(f"{path}: {key} must be a month like 2024-04, got {value!r}") from err


def resolve_area(partnership: str, locality: str | None = None) -> tuple[Partnership, str | None]:
    """The partnership and (optional) locality a notebook reports on, by exact names.

    Raises UnknownNameError listing the valid names when either is unknown.
    """
    p = geography.partnership(partnership)
    if locality in (None, "", "All", "all"):
        return p, None
    return p, p.locality(locality)


def resolve_period(
    start: str | None, end: str | None, data_start: pd.Timestamp, data_end: pd.Timestamp
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First day of the first month and last day of the last month of the report.

    Empty start/end take the span of the data; a period outside the data is an error.
    """
    first = pd.Timestamp(start).to_period("M").start_time if start else data_start
    last = pd.Timestamp(end).to_period("M").end_time.normalize() if end else data_end
    first = max(first, data_start.to_period("M").start_time)
    if first > last:
        raise ValueError(
            f"The period {start} to {end} is empty or outside the data ({data_start:%b %Y} to {data_end:%b %Y})"
        )
    return first, last
