"""params/defaults.yaml: what a run renders by default, and how."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import pandas as pd
from pydantic import ConfigDict, field_validator

from hscp.params._load import Section, rule


def month_text(value: object) -> str | None:
    """A month as 'YYYY-MM' from '2024-04', '2024-04-01' or a date; empty is None."""
    if value in (None, ""):
        return None
    if isinstance(value, date | str):
        try:
            return pd.Timestamp(value).strftime("%Y-%m")
        except ValueError:
            pass
    raise ValueError(f"must be a month like 2024-04, got {value!r}")


class Period(Section):
    """The reporting period, first and last month inclusive; empty: the data's span."""

    start: str | None = None
    end: str | None = None

    @field_validator("start", "end", mode="before")
    @classmethod
    def _month(cls, value):
        return month_text(value)


class Disclosure(Section):
    threshold: Annotated[int, rule(lambda v: v >= 1, "must be a positive whole number")] = 10


class Validation(Section):
    """Plausibility limits of the data contract (hscp.extracts.Limits); empty: the contract's
    default."""

    earliest_date: date | None = None
    max_stay_days: Annotated[int, rule(lambda v: v >= 1, "must be 1 day or more")] | None = None
    max_delay_days: Annotated[int, rule(lambda v: v >= 1, "must be 1 day or more")] | None = None
    max_ae_hours: Annotated[int, rule(lambda v: v >= 1, "must be 1 hour or more")] | None = None
    max_population: Annotated[int, rule(lambda v: v >= 1, "must be 1 or more")] | None = None


class OpenData(Section):
    """A path (relative to the project, or absolute) for each PHS open data file the
    reports show, by name; empty when there is none. Any name is allowed, so a notebook
    can add its own file: `delayed_discharges` is the delayed discharge bed days by
    council area."""

    model_config = ConfigDict(extra="allow")
    delayed_discharges: str | None = None

    def path(self, name: str) -> str | None:
        """The configured path of one file, or None."""
        value = getattr(self, name, None)
        return str(value) if value else None


class RunDefaultsFile(Section):
    """params/defaults.yaml."""

    partnerships: list[str]
    notebooks: list[str]
    data: str
    synthetic_seed: int = 20261126
    period: Period = Period()
    disclosure: Disclosure = Disclosure()
    output: str = "outputs"
    jobs: Annotated[int, rule(lambda v: v >= 0, "must be 0 (one report per core) or more")] = 2
    cell_timeout: Annotated[int, rule(lambda v: v >= 1, "must be 1 or more")] = 600
    open_data: OpenData = OpenData()
    validation: Validation = Validation()
    provisional_months: Annotated[int, rule(lambda v: 0 <= v <= 12, "must be 0 to 12 months")] = 3
