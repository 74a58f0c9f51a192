"""The appraisal's parameters (params/scenarios/options.yaml), read through the typed model
hscp.params.OptionsFile: options, bed day costs, staffing ratios, criteria and weights,
the evaluation settings and the PDSA cycles."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from hscp import params, paths
from hscp.errors import HscpError
from hscp.params.options import OPTION_KINDS, OptionsFile


class AppraisalError(HscpError, ValueError):
    """Inputs the appraisal or the evaluation cannot use: the message says which and why."""


@dataclass(frozen=True)
class Option:
    """One option to appraise: what it changes (`kind`), by how much (`size`, tested from
    `low` to `high`), where it is on the table, how fast it builds up, and its scores."""

    name: str
    label: str
    kind: str
    size: float
    low: float
    high: float
    areas: tuple[str, ...] = ()
    months_to_full: int = 12
    profile: str = "linear"
    description: str = ""
    scores: dict[str, float] = field(default_factory=dict)
    milestones: tuple[tuple[int, str], ...] = ()  # (month of the plan, what happens)

    def __post_init__(self) -> None:
        if self.kind not in OPTION_KINDS:
            raise AppraisalError(
                f"option {self.name!r}: unknown kind {self.kind!r} (kinds: {', '.join(OPTION_KINDS)})"
            )
        if not self.low <= self.size <= self.high:
            raise AppraisalError(
                f"option {self.name!r}: size {self.size} is not within {self.low} to {self.high}"
            )

    @property
    def unit(self) -> str:
        """What the size counts, e.g. 'care at home hours a week added'."""
        return OPTION_KINDS[self.kind]

    def on_the_table(self, area: str) -> bool:
        """Is the option appraised for `area` (a partnership or locality name)?"""
        if not self.areas:
            return True
        return params.match_name(area, list(self.areas)) is not None


@dataclass(frozen=True)
class Figure:
    """A number with its source and year."""

    value: float
    source: str
    year: str


@dataclass(frozen=True)
class PdsaCycle:
    """One Plan-Do-Study-Act cycle of a change: when, where, what was tried, what it watched."""

    cycle: str
    start: pd.Timestamp
    end: pd.Timestamp | None
    locality: str | None
    tried: str
    measure: str
    learning: str = ""


@dataclass(frozen=True)
class AppraisalSettings:
    """params/scenarios/options.yaml, checked."""

    period_years: int
    discount_rate: float
    price_year: str
    target_occupancy: float
    ward_size: int
    double_running_months: float
    counterfactual_scenarios: tuple[str, ...]
    average_bed_day: Figure
    marginal_share: Figure
    specialty_costs: dict[str, Figure]
    other_specialty_cost: Figure
    staffing: dict[str, Figure]
    criteria: dict[str, str]  # name -> label
    weights: dict[str, float]
    weight_change: float
    options: tuple[Option, ...]
    safe_occupancy: float
    balancing_measures: dict[str, dict]
    pdsa_cycles: dict[str, tuple[PdsaCycle, ...]]
    path: str = ""

    def options_for(self, area: str) -> list[Option]:
        """The options on the table for `area`, in the file's order."""
        return [o for o in self.options if o.on_the_table(area)]

    def option(self, name: str) -> Option:
        for o in self.options:
            if o.name == name:
                return o
        raise AppraisalError(
            f"{self.path}: no option {name!r} (options: {', '.join(o.name for o in self.options)})"
        )

    def scores(self, options: list[Option] | None = None) -> pd.DataFrame:
        """Scores of the options (rows, by name) on the criteria (columns); missing is NaN."""
        chosen = self.options if options is None else options
        return pd.DataFrame(
            [{c: o.scores.get(c) for c in self.criteria} for o in chosen],
            index=pd.Index([o.name for o in chosen], name="option"),
            columns=list(self.criteria),
            dtype=float,
        )

    def cycles_for(self, partnership: str) -> tuple[PdsaCycle, ...]:
        """The PDSA cycles recorded for a partnership (none: an empty tuple)."""
        name = params.match_name(partnership, list(self.pdsa_cycles))
        return self.pdsa_cycles[name] if name else ()

    def sources_table(self) -> pd.DataFrame:
        """Every cost and ratio with its value, source and year: item, value, source, year."""
        rows = [("Acute bed day, average cost", self.average_bed_day)]
        rows.append(("Acute bed day, marginal share of the average", self.marginal_share))
        rows += [(f"Bed day, specialty {k}", v) for k, v in self.specialty_costs.items()]
        rows.append(("Bed day, other specialties", self.other_specialty_cost))
        rows += [(k.replace("_", " ").capitalize(), v) for k, v in self.staffing.items()]
        return pd.DataFrame(
            [{"item": i, "value": f.value, "source": f.source, "year": f.year} for i, f in rows]
        )


def default_options_path() -> Path:
    """params/scenarios/options.yaml (under $HSCP_PARAMS when set)."""
    return paths.params_dir() / "scenarios" / "options.yaml"


def _figure(spec) -> Figure:
    return Figure(float(spec.value), spec.source, spec.year)


def load_options(path: Path | str | None = None) -> AppraisalSettings:
    """Read and check params/scenarios/options.yaml (or `path`); a ParamsError names the
    file and key of any problem."""
    path = Path(path) if path else default_options_path()
    checked = params.load(OptionsFile, path)
    a, costs = checked.appraisal, checked.bed_day_costs
    options = tuple(
        Option(
            name=name,
            label=spec.label,
            kind=spec.kind,
            size=float(spec.size),
            low=float(spec.size if spec.low is None else spec.low),
            high=float(spec.size if spec.high is None else spec.high),
            areas=tuple(spec.areas),
            months_to_full=spec.months_to_full,
            profile=spec.profile,
            description=spec.description,
            scores={k: float(v) for k, v in spec.scores.items()},
            milestones=tuple((m.month, m.label) for m in spec.milestones),
        )
        for name, spec in checked.options.items()
    )
    cycles = {
        partnership: tuple(
            PdsaCycle(
                cycle=c.cycle,
                start=pd.Timestamp(c.start),
                end=None if c.end is None else pd.Timestamp(c.end),
                locality=c.locality,
                tried=c.tried,
                measure=c.measure,
                learning=c.learning,
            )
            for c in entries
        )
        for partnership, entries in checked.pdsa_cycles.items()
    }
    return AppraisalSettings(
        period_years=a.period_years,
        discount_rate=float(a.discount_rate),
        price_year=a.price_year,
        target_occupancy=float(a.target_occupancy),
        ward_size=a.ward_size,
        double_running_months=float(a.double_running_months),
        counterfactual_scenarios=tuple(a.counterfactual_scenarios),
        average_bed_day=_figure(costs.average),
        marginal_share=_figure(costs.marginal_share),
        specialty_costs={k: _figure(v) for k, v in costs.by_specialty.items()},
        other_specialty_cost=_figure(costs.other),
        staffing={k: _figure(v) for k, v in checked.staffing},
        criteria={k: c.label for k, c in checked.criteria.items()},
        weights={k: float(c.weight) for k, c in checked.criteria.items()},
        weight_change=float(checked.weight_change),
        options=options,
        safe_occupancy=float(checked.evaluation.safe_occupancy),
        balancing_measures={
            k: m.model_dump() for k, m in checked.evaluation.balancing_measures.items()
        },
        pdsa_cycles=cycles,
        path=paths.shown_path(path),
    )
