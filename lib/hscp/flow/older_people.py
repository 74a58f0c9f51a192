"""The older people's pathway: a whole-system stock-and-flow model of care for people 65+.

The diagram (every stock is people aged 65 and over; time in days):

    community ──emergency admission──▶ acute treatment ──▶ home after discharge ──▶ community
        │  ╲                               │    ▲                 │ readmission ▲
        │   ╲ step-up (avoids admission)   │    │ not fit         ▼             │
        │    ▶ intermediate care ◀─────────┼────┼── delayed: waiting for intermediate care
        │      (step-up, step-down)        ├──▶ delayed: waiting for assessment ──┐
        ▼                                  ├──▶ delayed: waiting for a care home place
    waiting at home for care at home ──┐   ├──▶ delayed: waiting for care at home │
    waiting at home for a care home ───┤   ├──▶ delayed: other reasons           │
                                       ▼   └──▶ discharge to assess (scenario) ◀──┘
                          care at home, care home (capacity-limited)      ──▶ deaths

Admissions are age-specific rates x population x seasonality. Treatment ends
after its length of stay; most people go home, some die, and some become ready
for discharge but wait in their acute bed: for an assessment, a care home
place, care at home, intermediate care or for other reasons (legal, family,
housing). Each service (care homes, care at home, intermediate care) has a
capacity; a flow into a full service waits, MIN(demand, spare capacity), and
the service's places are shared between hospital discharges and people waiting
at home in proportion to demand. That is where delays come from.

`calibrate` sets every rate so that the model's steady state is the
partnership's own observed year (admissions, occupied beds, delayed beds by
reason, discharge destinations, deaths, readmissions) with the capacities from
params; docs/methods.md ("System dynamics model") has the equations.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache

import numpy as np
import pandas as pd

from hscp.flow.engine import Model, Results

#: Age bands with their own emergency admission rates.
AGE_BANDS = ("65_74", "75_84", "85_plus")
AGE_BAND_LABELS = {"65_74": "65-74", "75_84": "75-84", "85_plus": "85+"}

#: What people delayed in an acute bed wait for (one stock each).
DELAY_GROUPS = ("assessment", "care_home", "care_at_home", "intermediate_care", "other")
DELAY_GROUP_LABELS = {
    "assessment": "an assessment",
    "care_home": "a care home place",
    "care_at_home": "care at home",
    "intermediate_care": "intermediate care",
    "other": "other reasons (legal, family, housing, transport)",
}

#: Where a delay ends. Services are capacity-limited.
DESTINATIONS = ("home", "died", "treatment", "care_home", "care_at_home", "intermediate_care")
SERVICES = ("care_home", "care_at_home", "intermediate_care")

#: Where people leave intermediate care (step-down and step-up) or discharge to assess.
ONWARD = ("home", "care_at_home", "care_home", "died", "acute")

#: Stocks grouped into the settings people are in, in the order of the stacked chart.
SETTINGS = {
    "Acute bed: treatment": ("acute_treatment",),
    "Acute bed: delayed": tuple(f"delayed_{g}" for g in DELAY_GROUPS),
    "Intermediate care": ("intermediate_care_step_down", "intermediate_care_step_up"),
    "Discharge to assess": ("discharge_to_assess",),
    "Care home": ("care_home",),
    "Care at home": ("care_at_home",),
    "Waiting at home for a service": ("waiting_care_home", "waiting_care_at_home"),
    "At home, no new service": ("community", "home_after_discharge"),
}

#: Days after an emergency discharge within which a readmission counts (NI14).
READMISSION_WINDOW = 28.0


def times(*names: str):
    """An equation: the product of the named variables (names bound once, for speed)."""
    getters = [operator.attrgetter(n) for n in names]
    if len(getters) == 2:
        first, second = getters
        return lambda v: first(v) * second(v)
    first, second, third = getters
    return lambda v: first(v) * second(v) * third(v)


@cache
def build_model() -> Model:
    """The older people's pathway as a stock-and-flow model (see the module docstring).

    Parameters: initial_<stock> (the calibrated steady state), rates a day, shares
    (0 to 1), capacities, and lengths of stay in days; `calibrate` makes them all.
    A flow with `fraction=` leaves its stock at that rate a day per person in it.
    """
    m = Model("Older people's pathway")

    # --- stocks ---------------------------------------------------------------------------
    labels = {
        "home_after_discharge": "At home within 28 days of an emergency discharge",
        "waiting_care_at_home": "At home, waiting for care at home",
        "waiting_care_home": "At home, waiting for a care home place",
        "acute_treatment": "In an acute bed for treatment",
        **{
            f"delayed_{g}": f"In an acute bed, delayed: waiting for {DELAY_GROUP_LABELS[g]}"
            for g in DELAY_GROUPS
        },
        "intermediate_care_step_down": "In intermediate care (step-down, after hospital)",
        "intermediate_care_step_up": "In intermediate care (step-up, instead of admission)",
        "discharge_to_assess": "At home being assessed (discharge to assess)",
        "care_at_home": "Receiving care at home",
        "care_home": "Living in a care home",
    }
    for name, label in labels.items():
        m.stock(name, initial=operator.attrgetter(f"initial_{name}"), label=label)
    # Everyone else aged 65+ is at home without a new service: the population less the above.
    population = [(f"population_{b}", f"growth_{b}") for b in AGE_BANDS]
    m.stock(
        "community",
        initial=lambda v: (
            sum(getattr(v, p) * getattr(v, g) for p, g in population)
            - sum(getattr(v, name) for name in labels)
        ),
        label="At home (65+), no new service",
    )

    # --- inputs: population by age band, its change a day, seasonality of admissions ------
    for band in AGE_BANDS:
        age = AGE_BAND_LABELS[band]
        m.input(f"population_{band}", label=f"Population aged {age}")
        m.input(f"population_change_{band}", label=f"Change a day in the population aged {age}")
    m.input("seasonality", label="Emergency admissions this month / the monthly average")

    # --- capacities -------------------------------------------------------------------------
    m.capacity(
        "care_home_places",
        ["care_home"],
        operator.attrgetter("care_home_capacity"),
        label="Care home places",
    )
    m.capacity(
        "care_at_home_packages",
        ["care_at_home"],
        lambda v: v.care_at_home_hours / v.hours_per_package,
        label="People the care at home hours can support",
    )
    m.capacity(
        "intermediate_care_beds",
        ["intermediate_care_step_down", "intermediate_care_step_up"],
        operator.attrgetter("intermediate_care_capacity"),
        label="Intermediate care beds",
    )
    limits = {
        "care_home": "care_home_places",
        "care_at_home": "care_at_home_packages",
        "intermediate_care": "intermediate_care_beds",
    }

    # --- auxiliaries --------------------------------------------------------------------------
    rates = [(f"admission_rate_{b}", f"population_{b}", f"growth_{b}") for b in AGE_BANDS]
    m.auxiliary(
        "need",
        lambda v: sum(getattr(v, r) * getattr(v, p) * getattr(v, g) for r, p, g in rates),
        label="First emergency admissions a day in an average month (age-weighted need)",
    )
    changes = [(f"population_change_{b}", f"growth_{b}") for b in AGE_BANDS]
    m.auxiliary(
        "population_growth",
        lambda v: sum(getattr(v, c) * getattr(v, g) for c, g in changes),
        label="Change a day in the population aged 65+",
    )
    m.auxiliary(
        "admission_demand",
        lambda v: v.need * v.seasonality * (1 - v.ppa_share * v.ppa_avoided),
        label="First emergency admissions a day, before step-up",
    )
    m.auxiliary(
        "ppa_avoided_admissions",
        lambda v: v.need * v.seasonality * v.ppa_share * v.ppa_avoided,
        label="Potentially preventable admissions avoided a day",
    )
    m.auxiliary(
        "treatment_length_of_stay",
        # Avoided PPAs take their own (shorter) stays out of the mix; then any reduction.
        lambda v: (
            (v.los_treatment - v.ppa_share * v.ppa_avoided * v.los_ppa)
            / (1 - v.ppa_share * v.ppa_avoided)
            * (1 - v.los_reduction)
        ),
        label="Average days of treatment in an acute bed",
    )
    m.auxiliary("treatment_complete", lambda v: v.acute_treatment / v.treatment_length_of_stay)
    m.total(
        "delayed_beds",
        [f"delayed_{g}" for g in DELAY_GROUPS],
        label="Acute beds occupied by people ready for discharge",
    )
    m.total(
        "occupied_beds",
        ["acute_treatment", "delayed_beds"],
        label="Acute beds occupied by people 65+ admitted as an emergency",
    )
    m.total(
        "emergency_stays",
        [
            "emergency_admission",
            "readmission",
            "step_down_to_acute",
            "step_up_to_acute",
            "assessed_to_acute",
        ],
        label="Emergency admissions a day (new stays, readmissions included)",
    )

    # --- community: population change, deaths at home, admissions, referrals ---------------
    m.flow(
        "population_change",
        None,
        "community",
        # Keeps the model's people equal to the population: its growth plus all who died.
        lambda v: np.maximum(v.population_growth + v.deaths, 0.0),
        label="Turning 65 or moving in, net of moving out",
    )
    m.flow("died_at_home", "community", None, fraction="community_mortality")
    m.flow(
        "step_up",
        "community",
        "intermediate_care_step_up",
        times("admission_demand", "step_up_share"),
        limited_by="intermediate_care_beds",
        label="Step-up to intermediate care instead of admission",
    )
    m.flow(
        "emergency_admission",
        "community",
        "acute_treatment",
        lambda v: v.admission_demand - v.step_up,
        label="First emergency admission (no step-up bed free, or not suitable)",
    )
    for s in ("care_home", "care_at_home"):
        m.flow(
            f"referred_{s}",
            "community",
            f"waiting_{s}",
            times(f"referral_rate_{s}", "need"),
            label=f"Referred from home for {DELAY_GROUP_LABELS[s]}",
        )
        m.flow(
            f"placed_{s}_from_home",
            f"waiting_{s}",
            s,
            fraction=f"home_placement_{s}",
            limited_by=limits[s],
            label=f"Starts {DELAY_GROUP_LABELS[s]} from home",
        )
        m.flow(f"died_waiting_{s}", f"waiting_{s}", None, fraction="waiting_mortality")

    # --- home after discharge: readmitted, or settled at home after 28 days -------------------
    m.flow("readmission", "home_after_discharge", "acute_treatment", fraction="readmission_hazard")
    m.flow("settled_at_home", "home_after_discharge", "community", fraction=1 / READMISSION_WINDOW)

    # --- acute treatment: where it ends ---------------------------------------------------------
    m.flow("died_in_treatment", "acute_treatment", None, times("treatment_complete", "share_died"))
    for g in DELAY_GROUPS:
        m.flow(
            f"ready_{g}",
            "acute_treatment",
            f"delayed_{g}",
            (
                lambda v: (
                    v.treatment_complete * v.share_assessment * (1 - v.discharge_to_assess_share)
                )
            )
            if g == "assessment"
            else times("treatment_complete", f"share_{g}"),
            label=f"Ready for discharge, waiting for {DELAY_GROUP_LABELS[g]}",
        )
    m.flow(
        "discharged_to_assess",
        "acute_treatment",
        "discharge_to_assess",
        times("treatment_complete", "share_assessment", "discharge_to_assess_share"),
        label="Discharged home to be assessed there",
    )
    m.flow(
        "discharged_home",
        "acute_treatment",
        "home_after_discharge",
        times("treatment_complete", "share_home"),
        label="Discharged home on the day ready",
    )

    # --- delayed in an acute bed: how each wait ends ---------------------------------------------
    # Each way a wait ends is a first-order flow: its hazard is the share of the group's
    # delays that end that way / the group's mean wait. A delay waiting for a service (a
    # care home place, care at home, intermediate care) moves into it only when it has
    # room; waits for an assessment or for other reasons are not held up by capacity.
    targets = {
        "home": "home_after_discharge",
        "died": None,
        "treatment": "acute_treatment",
        "care_home": "care_home",
        "care_at_home": "care_at_home",
        "intermediate_care": "intermediate_care_step_down",
    }
    for g in DELAY_GROUPS:
        for d in DESTINATIONS:
            if d == "intermediate_care" and g != "intermediate_care":
                continue
            m.flow(
                f"delayed_{g}_to_{d}",
                f"delayed_{g}",
                targets[d],
                fraction=f"exit_{g}_{d}",
                # Only the service a delay waits for holds it up; its other ends (an
                # assessment that leads to care at home, say) take their places first.
                limited_by=limits[d] if d == g else None,
            )

    # --- intermediate care and discharge to assess: where they lead ------------------------------
    onward = {
        "home": "community",
        "care_at_home": "care_at_home",
        "care_home": "care_home",
        "died": None,
        "acute": "acute_treatment",
    }
    for stock, prefix in (
        ("intermediate_care_step_down", "step_down"),
        ("intermediate_care_step_up", "step_up"),
        ("discharge_to_assess", "assessed"),
    ):
        for d in ONWARD:
            m.flow(
                f"{prefix}_to_{d}",
                stock,
                onward[d],
                fraction=f"rate_{prefix}_to_{d}",  # the share going there / days there
                # Intermediate care waits for a free place; discharge to assess, like the
                # assessments in hospital it replaces, leads straight to the service.
                limited_by=limits.get(d) if prefix != "assessed" else None,
            )

    # --- services ----------------------------------------------------------------------------------
    m.flow("died_in_care_home", "care_home", None, fraction="rate_care_home_died")
    m.flow("died_with_care_at_home", "care_at_home", None, fraction="rate_care_at_home_died")
    m.flow("care_at_home_ended", "care_at_home", "community", fraction="rate_care_at_home_ended")

    m.total(
        "deaths",
        [
            "died_at_home",
            "died_waiting_care_home",
            "died_waiting_care_at_home",
            "died_in_treatment",
            *(f"delayed_{g}_to_died" for g in DELAY_GROUPS),
            "step_down_to_died",
            "step_up_to_died",
            "assessed_to_died",
            "died_in_care_home",
            "died_with_care_at_home",
        ],
        label="Deaths a day",
    )
    return m


# --- settings: params/scenarios/system_dynamics.yaml ------------------------------------------


class CalibrationError(ValueError):
    """Data and params that cannot make a baseline: the message says which value to change."""


@dataclass(frozen=True)
class Settings:
    """params/scenarios/system_dynamics.yaml, checked."""

    capacity_per_1000: dict[str, float]
    assumptions: dict
    unit_costs: dict[str, float]
    scenarios: dict[str, dict]
    sliders: dict[str, list]
    uncertain: dict[str, dict]
    run: dict
    tolerance: dict[str, float]
    sources: dict[str, str] = field(default_factory=dict)
    path: str = ""

    def with_assumptions(self, **changes) -> Settings:
        return replace(self, assumptions={**self.assumptions, **changes})

    def with_unit_costs(self, **changes) -> Settings:
        return replace(self, unit_costs={**self.unit_costs, **changes})


_SETTINGS_KEYS = {
    "capacity_per_1000_65plus": (
        "care_home_places",
        "care_at_home_hours_per_week",
        "intermediate_care_beds",
    ),
    "assumptions": (
        "care_home_length_of_stay",
        "care_at_home_length_of_stay",
        "care_at_home_died_share",
        "hours_per_package",
        "step_down_length_of_stay",
        "step_up_length_of_stay",
        "step_up_share_of_admissions",
        "step_down_shares",
        "step_up_shares",
        "assessment_days_at_home",
        "community_mortality_per_year",
        "waiting_mortality_per_year",
        "home_arrangement_days",
        "capacity_share_bounds",
        "capacity_share_default",
        "shortest_wait_days",
        "default_destinations",
    ),
    "unit_costs": (
        "acute_bed_day",
        "care_home_week",
        "care_at_home_hour",
        "intermediate_care_bed_day",
        "discharge_to_assess_day",
        "ppa_avoided_admission",
        "los_bed_day_saved",
    ),
    "run": ("dt", "run_in_days", "calibration_months"),
    "tolerance": ("occupied_beds", "delayed_bed_days"),
}


def load_settings(path=None) -> Settings:
    """Read and check params/scenarios/system_dynamics.yaml (or `path`)."""
    from pathlib import Path

    import yaml

    from hscp import geography

    path = Path(path) if path else geography.params_dir() / "scenarios" / "system_dynamics.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for block, keys in _SETTINGS_KEYS.items():
        have = raw.get(block)
        if not isinstance(have, dict):
            raise CalibrationError(f"{path}: needs a {block}: block")
        missing = [k for k in keys if k not in have]
        if missing:
            raise CalibrationError(f"{path}: {block}: is missing {missing}")
    a = raw["assumptions"]
    for key in ("step_down_shares", "step_up_shares"):
        _check_shares(a[key], ONWARD, f"{path}: assumptions.{key}")
    for group in DELAY_GROUPS:
        allowed = [
            d for d in DESTINATIONS if d != "intermediate_care" or group == "intermediate_care"
        ]
        _check_shares(
            a["default_destinations"].get(group, {}),
            allowed,
            f"{path}: default_destinations.{group}",
        )
    for name, scenario in (raw.get("scenarios") or {}).items():
        unknown = set(scenario.get("levers", {})) - set(LEVERS)
        if unknown:
            raise CalibrationError(
                f"{path}: scenario {name!r} has unknown levers {sorted(unknown)}; levers: {list(LEVERS)}"
            )
    return Settings(
        capacity_per_1000={k: float(v) for k, v in raw["capacity_per_1000_65plus"].items()},
        assumptions=a,
        unit_costs={k: float(v) for k, v in raw["unit_costs"].items()},
        scenarios=raw.get("scenarios") or {},
        sliders=raw.get("sliders") or {},
        uncertain=raw.get("uncertain") or {},
        run=raw["run"],
        tolerance={k: float(v) for k, v in raw["tolerance"].items()},
        sources={k: str(v) for k, v in (raw.get("sources") or {}).items()},
        path=str(path),
    )


def _check_shares(shares: Mapping[str, float], allowed, where: str) -> None:
    unknown = set(shares) - set(allowed)
    if unknown:
        raise CalibrationError(
            f"{where}: unknown destinations {sorted(unknown)} (allowed: {list(allowed)})"
        )
    if abs(sum(shares.values()) - 1) > 1e-6:
        raise CalibrationError(f"{where}: shares add up to {sum(shares.values()):.3f}, not 1")


#: The changes a scenario can make, with their value in the baseline.
LEVERS = {
    "care_home_increase": 0.0,
    "care_at_home_increase": 0.0,
    "intermediate_care_increase": 0.0,
    "discharge_to_assess_share": 0.0,
    "ppa_avoided": 0.0,
    "los_reduction": 0.0,
    "population_year": None,
    "services_grow_with_need": False,
}


# --- what the calibration needs from the partnership's data -----------------------------------


@dataclass(frozen=True)
class Observed:
    """One area's observed year, as the calibration needs it (hscp.flow.data.observe makes it).

    Rates are per day over the window `start` to `end` (inclusive, `days` long);
    people are averages over the window. All for people aged 65+.
    """

    area: str
    start: pd.Timestamp
    end: pd.Timestamp
    admissions: float  # emergency admissions (stays, including readmissions) a day
    admissions_by_band: dict[str, float]
    population: pd.DataFrame  # year, band, population: mid-year estimates for the area
    occupied_beds: float  # average acute beds occupied by emergency stays of people 65+
    deaths_in_hospital: float  # emergency stays ending in death, a day
    readmission_share: float  # of live discharges, readmitted as an emergency within 28 days
    ppa_share: float  # of emergency admissions, potentially preventable
    los_ppa: float  # average length of stay of potentially preventable admissions (days)
    seasonality: dict[int, float]  # month (1-12) -> admissions a day that month / the year's
    delayed_beds: dict[str, float]  # average beds occupied by delayed people, by delay group
    delays_started: dict[str, float]  # delays a day, by delay group
    delay_destinations: dict[str, dict[str, float]]  # group -> destination -> share (may be empty)
    capacity_share: dict[str, float | None]  # service -> share of waits with place/funding codes
    growth: pd.DataFrame = field(default_factory=pd.DataFrame)  # year, band, growth vs the window
    monthly: pd.DataFrame = field(default_factory=pd.DataFrame)  # month, observed series

    @property
    def days(self) -> int:
        return int((self.end - self.start).days) + 1

    def population_65plus(self) -> float:
        """Average population 65+ over the window (interpolated between mid-years)."""
        return sum(self.band_population(b) for b in AGE_BANDS)

    def band_population(self, band: str) -> float:
        times = pd.date_range(self.start, self.end, freq="D")
        return float(np.mean(_interpolate_population(self.population, band, times)))


def _mid_year_days(years) -> np.ndarray:
    return (
        pd.to_datetime([f"{int(y)}-07-01" for y in years])
        .to_numpy("datetime64[D]")
        .astype(np.int64)
    )


def _interpolate_population(population: pd.DataFrame, band: str, when) -> np.ndarray:
    """Population of a band on each day, linear between mid-year estimates (flat beyond)."""
    rows = population[population["band"] == band].sort_values("year")
    if rows.empty:
        raise CalibrationError(f"no population aged {AGE_BAND_LABELS[band]} for the area")
    days = pd.DatetimeIndex(when).to_numpy("datetime64[D]").astype(np.int64)
    return np.interp(days, _mid_year_days(rows["year"]), rows["population"].to_numpy(float))


# --- calibration: the observed year as the model's steady state ---------------------------------


@dataclass
class Calibration:
    """The baseline parameters that make the model reproduce an area's observed year."""

    observed: Observed
    settings: Settings
    capacities: dict[str, float]
    params: dict[str, float]
    capacity_share: dict[str, float]
    notes: list[str]

    @property
    def area(self) -> str:
        return self.observed.area

    def run_start(self) -> pd.Timestamp:
        return self.observed.start - pd.Timedelta(days=int(self.settings.run["run_in_days"]))

    def inputs(self) -> dict[str, object]:
        """Population by band (linear between mid-years; its daily change) and seasonality,
        over the run-in and the observed year."""
        start = self.run_start()
        obs = self.observed
        out: dict[str, object] = {}
        for band in AGE_BANDS:
            level, change = _population_functions(obs.population, band, start)
            out[f"population_{band}"] = level
            out[f"population_change_{band}"] = change
        months = pd.date_range(start.to_period("M").start_time, obs.end, freq="MS")
        out["seasonality"] = pd.Series([obs.seasonality[m.month] for m in months], index=months)
        return out

    def run(
        self,
        params: Mapping[str, object] | pd.DataFrame | None = None,
        *,
        dt: float | None = None,
        record=None,
        record_every: float = 1.0,
        runs=None,
        check: bool = True,
    ) -> Results:
        """Run the model from the start of the run-in to the end of the observed year.

        `params` defaults to the baseline; pass scenario_params(...) rows for scenarios.
        """
        obs = self.observed
        length = int(self.settings.run["run_in_days"]) + obs.days
        return build_model().run(
            self.params if params is None else params,
            length=length,
            dt=dt or float(self.settings.run["dt"]),
            start=self.run_start(),
            inputs=self.inputs(),
            record=record,
            record_every=record_every,
            runs=runs,
            check=check,
        )

    def run_many(self, params: pd.DataFrame, **options) -> Results:
        """Run many parameter sets (one row each) over this calibration's years, at once."""
        return self.run(params, **options)

    @property
    def report_start(self) -> float:
        """Model time (days) at which the observed year starts."""
        return float(self.settings.run["run_in_days"])


def _population_functions(population: pd.DataFrame, band: str, start: pd.Timestamp):
    """Population of a band (linear between mid-years, flat beyond) and its change a day,
    as functions of model time (days since `start`)."""
    rows = population[population["band"] == band].sort_values("year")
    mid = _mid_year_days(rows["year"]).astype(float)
    values = rows["population"].to_numpy(float)
    origin = float(pd.Timestamp(start).to_datetime64().astype("datetime64[D]").astype(np.int64))
    slopes = np.diff(values) / np.diff(mid) if len(mid) > 1 else np.zeros(0)

    def change(t):
        day = origin + np.asarray(t, dtype=float)
        segment = np.searchsorted(mid, day, side="right") - 1
        inside = (segment >= 0) & (segment < len(slopes))
        return np.where(
            inside,
            slopes[np.clip(segment, 0, max(len(slopes) - 1, 0))] if len(slopes) else 0.0,
            0.0,
        )

    return (lambda t: np.interp(origin + np.asarray(t, dtype=float), mid, values)), change


def area_capacities(
    settings: Settings,
    population_65plus: float,
    partnership_capacities: Mapping[str, float] | None = None,
    partnership_population_65plus: float | None = None,
) -> dict[str, float]:
    """Care home places, care at home hours a week and intermediate care beds for an area.

    From the partnership's params `capacities:` block when it has one (a locality
    gets the partnership's figure times its share of the partnership's population
    aged 65+), else the settings' rates per 1,000 people aged 65+.
    """
    keys = ("care_home_places", "care_at_home_hours_per_week", "intermediate_care_beds")
    if partnership_capacities:
        missing = [k for k in keys if k not in partnership_capacities]
        if missing:
            raise CalibrationError(f"the partnership's capacities: block is missing {missing}")
        share = 1.0
        if partnership_population_65plus:
            share = population_65plus / partnership_population_65plus
        return {k: float(partnership_capacities[k]) * share for k in keys}
    return {k: settings.capacity_per_1000[k] * population_65plus / 1000 for k in keys}


def calibrate(
    observed: Observed,
    settings: Settings,
    capacities: Mapping[str, float],
    *,
    capacity_share_shift: float = 0.0,
    refine: bool = True,
) -> Calibration:
    """Parameters that make the model reproduce the observed year (docs/methods.md).

    First the steady state, in closed form (`steady_state`); then, with `refine`,
    a few batched runs adjust the delay groups' exit rates, the treatment length of
    stay and the admission rates until the run's averages over the observed year
    (with its seasonality and population change) match the observed ones.
    """
    calibration = steady_state(
        observed, settings, capacities, capacity_share_shift=capacity_share_shift
    )
    return refine_all([calibration])[0] if refine else calibration


def steady_state(
    observed: Observed,
    settings: Settings,
    capacities: Mapping[str, float],
    *,
    capacity_share_shift: float = 0.0,
) -> Calibration:
    """The parameters whose steady state is the observed year, worked out directly.

    Delayed in hospital: each delay group holds its observed average delayed beds W
    and starts its observed delays a day, lambda; each way a wait ends has the hazard
    lambda x share / W. Care homes and care at home are full: the share of the demand
    for a place met each day is phi = 1 - c, where c is the share of the wait that is
    for lack of a place (from the delay reason codes), so the flow of a group into the
    service it waits for has the demand hazard (observed hazard) / phi; its other
    ends are not held up (phi = 1). Treatment beds are occupied beds less
    delayed beds; the treatment length of stay is treatment beds / stays treated.
    What is left of a service's throughput (places / length of stay) after hospital
    and intermediate care discharges is the flow from people waiting at home, which
    sets their waiting list and referral rate. Intermediate care beds hold the
    step-down stays the delays need; step-up demand is a share of admissions
    (an assumption) and phi for intermediate care is what its remaining beds allow.
    """
    a = settings.assumptions
    notes: list[str] = []
    obs = observed
    p: dict[str, float] = {}

    # Care homes and care at home: share of the wait that is for lack of a place -> phi.
    low, high = a["capacity_share_bounds"]
    share: dict[str, float] = {}
    for s in ("care_home", "care_at_home"):
        c = obs.capacity_share.get(s)
        if c is None or not np.isfinite(c):
            c = float(a["capacity_share_default"])
            notes.append(
                f"No delays waiting for {DELAY_GROUP_LABELS[s]}: the share of the wait for lack of "
                f"a place is the default {c:.0%}."
            )
        share[s] = float(np.clip(c + capacity_share_shift, low, high))
    phi = {s: 1 - share[s] for s in share}

    # Delayed in hospital: the observed flows out of each wait, by destination.
    flows: dict[tuple[str, str], float] = {}
    mixes: dict[str, dict[str, float]] = {}
    for g in DELAY_GROUPS:
        w, lam = obs.delayed_beds.get(g, 0.0), obs.delays_started.get(g, 0.0)
        mix = obs.delay_destinations.get(g) or {}
        if w > 0 and lam > 0 and not mix:
            mix = a["default_destinations"][g]
            notes.append(
                f"No recorded destinations for delays waiting for {DELAY_GROUP_LABELS[g]}: "
                "the default shares are used."
            )
        total_mix = sum(mix.values())
        mixes[g] = {d: mix.get(d, 0.0) / total_mix for d in mix} if total_mix else {}
        for d in _destinations(g):
            flows[(g, d)] = lam * mixes[g].get(d, 0.0) if w > 0 else 0.0

    # Acute treatment.
    delayed_total = sum(obs.delayed_beds.get(g, 0.0) for g in DELAY_GROUPS)
    treatment = obs.occupied_beds - delayed_total
    if treatment <= 0:
        raise CalibrationError(
            f"{obs.area}: delayed beds ({delayed_total:.1f}) are not fewer than all occupied beds "
            f"({obs.occupied_beds:.1f}) of emergency stays of people 65+: the delays and stays do not match"
        )
    returns = sum(flows[(g, "treatment")] for g in DELAY_GROUPS)
    treated = obs.admissions + returns
    p["los_treatment"] = treatment / treated
    shortest = float(a["shortest_wait_days"])
    if p["los_treatment"] < shortest:
        raise CalibrationError(
            f"{obs.area}: the treatment length of stay works out at {p['los_treatment']:.2f} days: "
            "too short to be right (check the stays and delays)"
        )
    died_delayed = sum(flows[(g, "died")] for g in DELAY_GROUPS)
    p["share_died"] = max(obs.deaths_in_hospital - died_delayed, 0.0) / treated
    for g in DELAY_GROUPS:
        started = obs.delays_started.get(g, 0.0) if obs.delayed_beds.get(g, 0.0) > 0 else 0.0
        p[f"share_{g}"] = started / treated
    home_share = 1 - p["share_died"] - sum(p[f"share_{g}"] for g in DELAY_GROUPS)
    if home_share < 0:
        raise CalibrationError(
            f"{obs.area}: more deaths and delays than emergency stays of people 65+"
        )
    p["ppa_share"] = obs.ppa_share
    p["los_ppa"] = min(obs.los_ppa, p["los_treatment"]) if obs.los_ppa > 0 else p["los_treatment"]

    # Home after discharge: the hazard that makes the 28-day readmission share.
    r = min(max(obs.readmission_share, 0.0), 0.95)
    p["readmission_hazard"] = r / (READMISSION_WINDOW * (1 - r))
    home_flow = treated * home_share + sum(flows[(g, "home")] for g in DELAY_GROUPS)
    after_discharge = home_flow / (p["readmission_hazard"] + 1 / READMISSION_WINDOW)
    readmissions = after_discharge * p["readmission_hazard"]

    # Intermediate care: step-down holds what the delays send; step-up the beds left.
    def leaving(
        prefix: str, shares: Mapping[str, float], days: float, phi_ic: float = 1.0
    ) -> float:
        """People leaving a day per person in it, when limited flows get phi of demand."""
        p[f"{prefix}_days"] = float(days)
        for d in ONWARD:
            p[f"{prefix}_share_{d}"] = float(shares.get(d, 0.0))
        return sum(float(shares.get(d, 0.0)) * phi.get(d, 1.0) for d in ONWARD) / float(days)

    leave_down = leaving("step_down", a["step_down_shares"], a["step_down_length_of_stay"])
    leave_up = leaving("step_up", a["step_up_shares"], a["step_up_length_of_stay"])
    step_down = flows[("intermediate_care", "intermediate_care")] / leave_down
    beds = float(capacities["intermediate_care_beds"])
    if step_down > beds:
        raise CalibrationError(
            f"{obs.area}: {beds:.1f} intermediate care beds cannot hold the {step_down:.1f} people the "
            "observed step-down discharges need: raise capacities.intermediate_care_beds in the "
            "partnership's params"
        )
    to_acute_down = step_down * p["step_down_share_acute"] / p["step_down_days"]
    to_acute_up = p["step_up_share_acute"] / p["step_up_days"]  # per person in step-up
    sigma = float(a["step_up_share_of_admissions"])
    # If the beds are full: step-up holds the rest, U people a day start step-up.
    step_up = beds - step_down
    first = obs.admissions - readmissions - to_acute_down - step_up * to_acute_up
    demand = first + step_up * leave_up
    phi_ic = step_up * leave_up / (sigma * demand) if sigma > 0 and demand > 0 else 1.0
    if phi_ic >= 1 or sigma == 0:
        # Beds to spare: every step-up that is wanted happens; the beds are not full.
        phi_ic = 1.0
        # demand (1 - sigma + sigma x to_acute_up / leave_up) = admissions - readmissions - to_acute_down
        demand = (obs.admissions - readmissions - to_acute_down) / (
            1 - sigma + sigma * to_acute_up / leave_up
        )
        step_up = sigma * demand / leave_up
        first = demand * (1 - sigma)
        notes.append(
            f"Intermediate care has beds to spare in the baseline ({step_down + step_up:.1f} of {beds:.1f} "
            "occupied): more beds would only help if more people were referred to them."
        )
    elif phi_ic < 1 - high:
        phi_ic = 1 - high
        sigma = step_up * leave_up / (phi_ic * demand)
        notes.append(
            f"Intermediate care beds are very full for the assumed step-up demand: step-up demand is "
            f"taken as {sigma:.1%} of admissions."
        )
    share["intermediate_care"] = 1 - phi_ic
    phi["intermediate_care"] = phi_ic
    if first <= 0:
        raise CalibrationError(
            f"{obs.area}: readmissions leave no first admissions: check the readmission share"
        )
    p["step_up_share"] = sigma
    p["intermediate_care_capacity"] = beds
    total_band = sum(obs.admissions_by_band.values())
    for b in AGE_BANDS:
        band_share = (
            obs.admissions_by_band.get(b, 0.0) / total_band if total_band else 1 / len(AGE_BANDS)
        )
        pop = obs.band_population(b)
        p[f"admission_rate_{b}"] = demand * band_share / pop if pop > 0 else 0.0
        p[f"growth_{b}"] = 1.0

    # Delay exit hazards: demand hazards into services are the observed ones / phi.
    for g in DELAY_GROUPS:
        w = obs.delayed_beds.get(g, 0.0)
        # Only the flow into the service the group waits for is limited (phi of demand met).
        hazards = {
            d: (flows[(g, d)] / w if w > 0 else 0.0) / (phi[d] if d == g else 1.0)
            for d in _destinations(g)
        }
        wanted = sum(hazards.values())
        if wanted > 1 / shortest:
            hazards = {d: h / (wanted * shortest) for d, h in hazards.items()}
            notes.append(
                f"Delays waiting for {DELAY_GROUP_LABELS[g]} would last under {shortest:g} days if every "
                f"place were free: their demand is capped at a {shortest:g}-day wait."
            )
        for d, h in hazards.items():
            p[f"exit_{g}_{d}"] = h

    # Discharge to assess (off in the baseline): afterwards, as waits for assessment end.
    p["assessed_days"] = float(a["assessment_days_at_home"])
    mix = mixes["assessment"] or {
        ("treatment" if k == "acute" else k): v
        for k, v in a["default_destinations"]["assessment"].items()
    }
    for d in ONWARD:
        p[f"assessed_share_{d}"] = float(mix.get("treatment" if d == "acute" else d, 0.0))
    p["discharge_to_assess_share"] = 0.0

    # Care homes and care at home: full; people waiting at home take what is left.
    p["care_home_capacity"] = float(capacities["care_home_places"])
    p["care_at_home_hours"] = float(capacities["care_at_home_hours_per_week"])
    p["hours_per_package"] = float(a["hours_per_package"])
    p["care_home_length_of_stay"] = float(a["care_home_length_of_stay"])
    p["care_at_home_length_of_stay"] = float(a["care_at_home_length_of_stay"])
    p["care_at_home_died_share"] = float(a["care_at_home_died_share"])
    p["waiting_mortality"] = float(a["waiting_mortality_per_year"]) / 365.25
    p["community_mortality"] = float(a["community_mortality_per_year"]) / 365.25
    places = {
        "care_home": p["care_home_capacity"],
        "care_at_home": p["care_at_home_hours"] / p["hours_per_package"],
    }
    stay = {
        "care_home": p["care_home_length_of_stay"],
        "care_at_home": p["care_at_home_length_of_stay"],
    }
    waiting = {}
    for s in ("care_home", "care_at_home"):
        throughput = places[s] / stay[s]
        from_hospital = sum(flows.get((g, s), 0.0) for g in DELAY_GROUPS)
        from_ic = (
            step_down * p[f"step_down_share_{s}"] / p["step_down_days"]
            + step_up * p[f"step_up_share_{s}"] / p["step_up_days"]
        ) * phi[s]
        from_home = throughput - from_hospital - from_ic
        if from_home <= 0:
            key = "care_home_places" if s == "care_home" else "care_at_home_hours_per_week"
            raise CalibrationError(
                f"{obs.area}: {DELAY_GROUP_LABELS[s]} for {places[s]:.0f} people ({throughput:.2f} starting "
                f"a day) cannot take the {from_hospital + from_ic:.2f} a day that hospital and "
                f"intermediate care discharges need: raise capacities.{key} in the partnership's params"
            )
        p[f"home_placement_{s}"] = 1 / float(a["home_arrangement_days"][s])
        waiting[s] = from_home / (phi[s] * p[f"home_placement_{s}"])
        p[f"referral_rate_{s}"] = (from_home + waiting[s] * p["waiting_mortality"]) / demand

    # Scenario levers at their baseline values.
    p["ppa_avoided"] = 0.0
    p["los_reduction"] = 0.0

    # The steady state: initial values of the stocks.
    initial = {
        "home_after_discharge": after_discharge,
        "waiting_care_at_home": waiting["care_at_home"],
        "waiting_care_home": waiting["care_home"],
        "acute_treatment": treatment,
        **{f"delayed_{g}": obs.delayed_beds.get(g, 0.0) for g in DELAY_GROUPS},
        "intermediate_care_step_down": step_down,
        "intermediate_care_step_up": step_up,
        "discharge_to_assess": 0.0,
        "care_at_home": places["care_at_home"],
        "care_home": places["care_home"],
    }
    if sum(initial.values()) >= obs.population_65plus():
        raise CalibrationError(f"{obs.area}: more people in services than the population aged 65+")
    for name, value in initial.items():
        p[f"initial_{name}"] = float(value)
    return Calibration(obs, settings, dict(capacities), with_rates(p), share, notes)


def with_rates(params: Mapping[str, float]) -> dict[str, float]:
    """The parameters with the first-order rates the model's flows use worked out:
    share going somewhere / days there, 1 / length of stay, the share going home."""
    p = dict(params)
    for prefix in ("step_down", "step_up", "assessed"):
        for d in ONWARD:
            p[f"rate_{prefix}_to_{d}"] = p[f"{prefix}_share_{d}"] / p[f"{prefix}_days"]
    p["rate_care_home_died"] = 1 / p["care_home_length_of_stay"]
    p["rate_care_at_home_died"] = p["care_at_home_died_share"] / p["care_at_home_length_of_stay"]
    p["rate_care_at_home_ended"] = (1 - p["care_at_home_died_share"]) / p[
        "care_at_home_length_of_stay"
    ]
    p["share_home"] = 1 - p["share_died"] - sum(p[f"share_{g}"] for g in DELAY_GROUPS)
    return p


def _destinations(group: str) -> list[str]:
    return [d for d in DESTINATIONS if d != "intermediate_care" or group == "intermediate_care"]


#: What refine_all matches, and the variables it reads from a run.
_MATCHED = ("acute_treatment", "emergency_stays", *(f"delayed_{g}" for g in DELAY_GROUPS))


def refine_all(
    calibrations: list[Calibration], *, iterations: int = 8, tolerance: float = 0.002
) -> list[Calibration]:
    """Adjust steady-state calibrations until each one's run matches its observed year.

    Seasonality and population change make the average of a run differ a little from
    the steady state. Each iteration runs every calibration at once (one batched run)
    and scales, per calibration: each delay group's exit hazards by modelled /
    observed delayed beds; the treatment length of stay by observed / modelled
    treatment beds; the admission rates by observed / modelled admissions. It stops
    when all are within `tolerance` (relative) or after `iterations`.
    """
    if not calibrations:
        return []
    first = calibrations[0]
    current = [replace(c, params=dict(c.params), notes=list(c.notes)) for c in calibrations]
    for c in current:
        if c.observed.start != first.observed.start or c.observed.end != first.observed.end:
            raise CalibrationError(
                "refine_all runs calibrations of the same observed year together"
            )
    for _ in range(iterations):
        table = pd.DataFrame([c.params for c in current])
        run = first.run_many(table, record=_MATCHED)
        start = first.report_start
        worst = 0.0
        for i, c in enumerate(current):
            obs = c.observed
            modelled = {n: float(run.mean(n, start)[i]) for n in _MATCHED}
            targets = {
                "acute_treatment": obs.occupied_beds
                - sum(obs.delayed_beds.get(g, 0.0) for g in DELAY_GROUPS),
                "emergency_stays": obs.admissions,
                **{f"delayed_{g}": obs.delayed_beds.get(g, 0.0) for g in DELAY_GROUPS},
            }
            for name, target in targets.items():
                if target > 0 and modelled[name] > 0:
                    worst = max(worst, abs(modelled[name] / target - 1))
            p = c.params
            p["los_treatment"] *= targets["acute_treatment"] / modelled["acute_treatment"]
            p["los_ppa"] = min(p["los_ppa"], p["los_treatment"])
            for b in AGE_BANDS:
                p[f"admission_rate_{b}"] *= targets["emergency_stays"] / modelled["emergency_stays"]
            for g in DELAY_GROUPS:
                target, have = targets[f"delayed_{g}"], modelled[f"delayed_{g}"]
                if target > 0 and have > 0:
                    for d in _destinations(g):
                        p[f"exit_{g}_{d}"] *= have / target
        if worst < tolerance:
            break
    return current
