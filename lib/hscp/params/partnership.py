"""params/partnerships/<slug>.yaml: a partnership's geography and its own planning values.

Geography (from the PHS lookups): code, name, slug, health_board, council_areas,
localities. Planning values, each optional: tests_of_change (the changes that
start a new phase on its control charts), current_beds (acute beds now used by its
residents' emergency admissions), capacities (services for people 65+, for the
system dynamics model), msg_objectives (its targets and trajectories for the
Ministerial Strategic Group indicators) and peer_group (the partnerships most like
it, for comparison). No other key is allowed.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Annotated

import pandas as pd
from pydantic import field_validator, model_validator

from hscp import paths
from hscp.conventions.financial_years import parse_financial_year
from hscp.params._load import Section, rule

Number = int | float

#: The Ministerial Strategic Group indicators an objective can be set for.
MSG_INDICATORS = {
    "msg1": "Emergency admissions",
    "msg2a": "Unscheduled bed days in acute specialties",
    "msg2b": "Unscheduled bed days in geriatric long stay specialties",
    "msg2c": "Unscheduled bed days in mental health specialties",
    "msg3": "A&E attendances",
    "msg4": "Delayed discharge bed days",
    "msg5": "Share of the last six months of life spent in the community",
    "msg6": "Balance of care: share of people 65+ at home",
}


def match_name(given: str, names: tuple[str, ...] | list[str]) -> str | None:
    """The name in `names` that `given` means, without regard to case or punctuation
    ('rural stirling', 'rural-stirling' -> 'Rural Stirling'), or None."""
    key = str(given).strip()
    for name in names:
        if name.casefold() == key.casefold() or paths.slugify(name) == paths.slugify(key):
            return name
    return None


@dataclass(frozen=True)
class TestOfChange:
    """A change a partnership made, from its params file: when, where, what it should move."""

    __test__ = False  # not a pytest test class

    start: pd.Timestamp  # first day of the month the change began
    locality: str | None  # None: the whole partnership
    description: str
    measures: tuple[str, ...]
    detail: str = field(default="", compare=False)
    entry: int = field(default=0, compare=False)  # its place in the file, from 1

    def area(self, partnership) -> str:
        return self.locality or partnership.name

    @property
    def label(self) -> str:
        where = f" ({self.locality})" if self.locality else ""
        return f"{self.description}{where}, from {self.start:%b %Y}"


class HealthBoard(Section):
    code: str
    name: str


class CouncilArea(Section):
    code: str
    name: str
    previous_codes: list[str] = []


class TestOfChangeEntry(Section):
    """One entry of tests_of_change."""

    __test__ = False

    date: datetime.date
    locality: str | None = None
    description: str
    measures: list[str]
    detail: str = ""

    @field_validator("date", mode="before")
    @classmethod
    def _month(cls, value):
        text = value.isoformat() if isinstance(value, datetime.date) else str(value or "").strip()
        if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text):
            try:
                return pd.Timestamp(text).to_period("M").to_timestamp().date()
            except ValueError:
                pass
        raise ValueError(f"must be a month like 2024-04, not {value!r}")

    @field_validator("description", mode="before")
    @classmethod
    def _text(cls, value):
        if not isinstance(value, str) or not value.strip():
            raise ValueError("must be a short text")
        return value.strip()

    @field_validator("measures", mode="before")
    @classmethod
    def _measures(cls, value):
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not names:
            raise ValueError("must list the measures the change should move")
        return names

    @field_validator("locality", mode="before")
    @classmethod
    def _whole_partnership(cls, value):
        return None if value in ("", "all", "All") else value


class Capacities(Section):
    """Services for people aged 65+ (the system dynamics model's capacities)."""

    care_home_places: Number
    care_at_home_hours_per_week: Number
    intermediate_care_beds: Number

    @model_validator(mode="after")
    def _not_negative(self):
        for name, value in self:
            if value < 0:
                raise ValueError(f"{name} must not be negative, got {value!r}")
        return self


class MsgObjective(Section):
    """A partnership's objective for one MSG indicator: from a baseline financial year to
    a target year, either a relative change (`target_change`: -0.05 is 5% fewer) or a
    share to reach (`target_share`, 0 to 1, for MSG 5 and 6); `trajectory` gives the
    change (or share) expected by financial years on the way."""

    baseline_year: str
    target_year: str
    target_change: Number | None = None
    target_share: Number | None = None
    trajectory: dict[str, Number] = {}
    source: str = ""

    @field_validator("baseline_year", "target_year", mode="before")
    @classmethod
    def _financial_year(cls, value):
        try:
            return parse_financial_year(str(value)).label
        except ValueError as err:
            raise ValueError(f"must be a financial year like 2017/18, not {value!r}") from err

    @field_validator("trajectory", mode="before")
    @classmethod
    def _trajectory_years(cls, value):
        if not isinstance(value, dict):
            return value
        try:
            return {parse_financial_year(str(k)).label: v for k, v in value.items()}
        except ValueError as err:
            raise ValueError(f"must be financial years (like 2024/25) and values: {err}") from err

    @model_validator(mode="after")
    def _one_target(self):
        given = [k for k in ("target_change", "target_share") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give either target_change or target_share")
        if self.target_share is not None and not 0 <= self.target_share <= 1:
            raise ValueError(f"target_share must be from 0 to 1, got {self.target_share!r}")
        first, last = self.baseline_year, self.target_year
        if last <= first:
            raise ValueError(f"target_year {last} must be after baseline_year {first}")
        outside = [y for y in self.trajectory if not first < y <= last]
        if outside:
            raise ValueError(
                f"trajectory years {', '.join(outside)} are not after {first} and by {last}"
            )
        return self


class EngagementTheme(Section):
    """What people said, gathered with the Our Voice framework or similar: a theme, how
    many people raised it, and quotes, for a locality (or the whole partnership)."""

    theme: str
    people: Annotated[int, rule(lambda v: v >= 0, "must be a number of people, 0 or more")]
    locality: str | None = None
    quotes: list[str] = []
    source: str = ""  # how and when it was gathered ("Our Voice survey, spring 2025")


class PartnershipFile(Section):
    """params/partnerships/<slug>.yaml."""

    code: str
    name: str
    slug: str | None = None
    health_board: HealthBoard
    council_areas: list[CouncilArea]
    localities: list[str]
    tests_of_change: list[TestOfChangeEntry] = []
    current_beds: (
        Annotated[Number, rule(lambda v: v > 0, "must be a positive number of beds or empty")]
        | None
    ) = None
    capacities: Capacities | None = None
    msg_objectives: dict[str, MsgObjective] = {}
    peer_group: list[str] = []
    engagement: list[EngagementTheme] = []

    @field_validator("code")
    @classmethod
    def _s37(cls, value: str) -> str:
        if not re.fullmatch(r"S37\d{6}", value):
            raise ValueError(f"must be an S37 partnership code, not {value!r}")
        return value

    @field_validator("slug")
    @classmethod
    def _plain_slug(cls, value: str | None) -> str | None:
        if value is not None:
            paths.checked_slug(value, "the slug")  # it names folders: '../x' must not pass
        return value

    @field_validator("localities", "council_areas")
    @classmethod
    def _some(cls, value):
        if not value:
            raise ValueError("must list at least one")
        return value

    @field_validator("msg_objectives", mode="before")
    @classmethod
    def _msg_keys(cls, value):
        if not isinstance(value, dict):
            return value
        unknown = sorted(set(value) - set(MSG_INDICATORS))
        if unknown:
            raise ValueError(
                f"unknown MSG indicators {', '.join(unknown)} (known: {', '.join(MSG_INDICATORS)})"
            )
        return value

    @model_validator(mode="after")
    def _localities_known(self):
        for i, entry in enumerate(self.tests_of_change, start=1):
            if entry.locality is not None and match_name(entry.locality, self.localities) is None:
                raise ValueError(
                    f"tests_of_change entry {i}: unknown locality {entry.locality!r}; the "
                    f"localities of {self.name} are: {'; '.join(self.localities)}"
                )
        for i, theme in enumerate(self.engagement, start=1):
            if theme.locality is not None and match_name(theme.locality, self.localities) is None:
                raise ValueError(
                    f"engagement entry {i}: unknown locality {theme.locality!r}; the "
                    f"localities of {self.name} are: {'; '.join(self.localities)}"
                )
        if any(match_name(p, [self.name, self.code, self.slug or ""]) for p in self.peer_group):
            raise ValueError("peer_group lists the partnership itself")
        return self

    @property
    def partnership_slug(self) -> str:
        return self.slug or paths.slugify(self.name)

    def tests(self) -> tuple[TestOfChange, ...]:
        """The tests of change, with their localities' exact names, in date order."""
        found = [
            TestOfChange(
                start=pd.Timestamp(e.date),
                locality=None if e.locality is None else match_name(e.locality, self.localities),
                description=e.description,
                measures=tuple(e.measures),
                detail=e.detail or "",
                entry=i,
            )
            for i, e in enumerate(self.tests_of_change, start=1)
        ]
        return tuple(sorted(found, key=lambda t: t.start))
