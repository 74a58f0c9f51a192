"""Run parameters: params/defaults.yaml and the parameters a notebook is given.

params/defaults.yaml is read through its typed model (`hscp.params.RunDefaultsFile`).
Partnership and locality names are checked against params/partnerships (via
`hscp.geography`): an unknown name is an error that lists the valid names and
suggests the closest one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from hscp import geography, params
from hscp.geography import Partnership, UnknownNameError
from hscp.params import ParamsError
from hscp.params.defaults import OpenData, Validation
from hscp.paths import project_root

__all__ = [
    "ParamsError",
    "RunDefaults",
    "UnknownNameError",
    "load_defaults",
    "project_root",
    "resolve_area",
    "resolve_period",
]


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
    open_data: OpenData = field(default_factory=OpenData)
    validation: Validation = field(default_factory=Validation)
    provisional_months: int = 3
    raw: dict = field(default_factory=dict, repr=False)  # the file as read, for its comments' keys


def load_defaults(path: Path | str | None = None) -> RunDefaults:
    """Read and check params/defaults.yaml (ParamsError naming the file and key)."""
    path = Path(path) if path else geography.params_dir() / "defaults.yaml"
    raw = params.read_yaml(path) or {}
    checked = params.validate(params.RunDefaultsFile, raw, path)
    if checked.partnerships != ["all"]:
        for name in checked.partnerships:
            geography.partnership(str(name))  # unknown names fail here, with suggestions
    return RunDefaults(
        partnerships=tuple(checked.partnerships),
        notebooks=tuple(checked.notebooks),
        data=checked.data,
        synthetic_seed=checked.synthetic_seed,
        period_start=checked.period.start,
        period_end=checked.period.end,
        disclosure_threshold=checked.disclosure.threshold,
        output=checked.output,
        jobs=checked.jobs,
        cell_timeout=checked.cell_timeout,
        open_data=checked.open_data,
        validation=checked.validation,
        provisional_months=checked.provisional_months,
        raw=raw,
    )


def resolve_area(partnership: str, locality: str | None = None) -> tuple[Partnership, str | None]:
    """The partnership and (optional) locality a notebook reports on, by exact names.

    Raises UnknownNameError listing the valid names when either is unknown.
    """
    p = geography.partnership(partnership)
    if locality in (None, "", "All", "all"):
        return p, None
    return p, p.locality(locality)


def resolve_period(
    start: str | None,
    end: str | None,
    data_start: pd.Timestamp,
    data_end: pd.Timestamp,
    notes: list[str] | None = None,
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First day of the first month and last day of the last month of the report.

    A month ("2024-04", "April 2024") or a financial year ("2024/25": April 2024 as a
    start, March 2025 as an end). Empty start/end take the span of the data; a period
    that starts before the data or ends after them is trimmed to the data, with a
    sentence for the report appended to `notes`; a period wholly outside the data, or
    ending before it starts, is an error.
    """
    from hscp.conventions.months import parse_month

    notes = [] if notes is None else notes
    data_first = data_start.to_period("M").start_time
    first = pd.Timestamp(parse_month(start)) if start else data_first
    last = (
        pd.Timestamp(parse_month(end, end=True)).to_period("M").end_time.normalize()
        if end
        else data_end
    )
    if first > last or first > data_end or last < data_first:
        raise ValueError(
            f"The period {start} to {end} is empty or outside the data "
            f"({data_start:%B %Y} to {data_end:%B %Y})"
        )
    if first < data_first:
        notes.append(
            f"The period asked for starts in {first:%B %Y}, before the data: the report "
            f"starts with the data, in {data_first:%B %Y}."
        )
        first = data_first
    if last.to_period("M") > data_end.to_period("M"):
        notes.append(
            f"The period asked for ends in {last:%B %Y}, after the data: the report ends "
            f"with the data, on {data_end:%d %B %Y}."
        )
    return first, min(last, data_end)
