"""Calibration: the parameters that make the model reproduce an area's observed year.

`steady_state` works the parameters out in closed form, step by step (each step a
named function below, in the order of the pathway); `refine_all` then adjusts a
few of them with batched runs, so that seasonality and population change do not
move the run's averages off the observed year. docs/methods.md ("System dynamics
model: calibration") has the equations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from hscp.flow._common import CalibrationError
from hscp.flow.engine import Results
from hscp.flow.observed import Observed, _mid_year_days
from hscp.flow.pathway import (
    AGE_BANDS,
    DELAY_GROUP_LABELS,
    DELAY_GROUPS,
    ONWARD,
    READMISSION_WINDOW,
    build_model,
)
from hscp.flow.settings import Settings
from hscp.params.system_dynamics import destinations


@dataclass
class Calibration:
    """The baseline parameters that make the model reproduce an area's observed year."""

    observed: Observed
    settings: Settings
    capacities: dict[str, float]
    params: dict[str, float]
    capacity_share: dict[str, float]
    notes: list[str]
    #: Where a capacity came from when not the params (e.g. the care home extract).
    capacity_sources: dict[str, str] = field(default_factory=dict)

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


@dataclass
class _Steady:
    """What the steps of steady_state share: the inputs, the parameters so far (`p`) and
    the quantities one step works out for the next."""

    obs: Observed
    assumptions: Mapping
    capacities: Mapping[str, float]
    p: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    share: dict[str, float] = field(default_factory=dict)  # of the wait, for lack of a place
    phi: dict[str, float] = field(default_factory=dict)  # share of demand met each day
    flows: dict[tuple[str, str], float] = field(default_factory=dict)  # delays ending, a day
    mixes: dict[str, dict[str, float]] = field(default_factory=dict)  # delay destinations
    treatment: float = 0.0  # treatment beds
    treated: float = 0.0  # stays treated a day
    home_share: float = 0.0
    after_discharge: float = 0.0  # people at home within 28 days of discharge
    readmissions: float = 0.0  # a day
    step_down: float = 0.0  # people in step-down intermediate care
    step_up: float = 0.0  # people in step-up intermediate care
    demand: float = 0.0  # first emergency admissions wanted a day, before step-up
    waiting: dict[str, float] = field(default_factory=dict)  # people waiting at home
    places: dict[str, float] = field(default_factory=dict)


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
    s = _Steady(observed, settings.assumptions, capacities)
    _capacity_shares(s, capacity_share_shift)
    _delay_flows(s)
    _treatment(s)
    _home_after_discharge(s)
    _intermediate_care(s)
    _admission_rates(s)
    _delay_exits(s)
    _discharge_to_assess(s)
    _services(s)
    # Scenario levers at their baseline values.
    s.p["ppa_avoided"] = 0.0
    s.p["los_reduction"] = 0.0
    _initial_stocks(s)
    return Calibration(observed, settings, dict(s.capacities), with_rates(s.p), s.share, s.notes)


def _capacity_shares(s: _Steady, shift: float) -> None:
    """Care homes and care at home: the share of the wait that is for lack of a place,
    and so phi, the share of demand met each day."""
    low, high = s.assumptions["capacity_share_bounds"]
    for service in ("care_home", "care_at_home"):
        c = s.obs.capacity_share.get(service)
        if c is None or not np.isfinite(c):
            c = float(s.assumptions["capacity_share_default"])
            s.notes.append(
                f"No delays waiting for {DELAY_GROUP_LABELS[service]}: the share of the wait for "
                f"lack of a place is the default {c:.0%}."
            )
        s.share[service] = float(np.clip(c + shift, low, high))
    s.phi = {service: 1 - s.share[service] for service in s.share}


def _delay_flows(s: _Steady) -> None:
    """Delayed in hospital: the observed flows out of each wait, by destination."""
    for g in DELAY_GROUPS:
        w, lam = s.obs.delayed_beds.get(g, 0.0), s.obs.delays_started.get(g, 0.0)
        mix = s.obs.delay_destinations.get(g) or {}
        if w > 0 and lam > 0 and not mix:
            mix = s.assumptions["default_destinations"][g]
            s.notes.append(
                f"No recorded destinations for delays waiting for {DELAY_GROUP_LABELS[g]}: "
                "the default shares are used."
            )
        total_mix = sum(mix.values())
        s.mixes[g] = {d: mix.get(d, 0.0) / total_mix for d in mix} if total_mix else {}
        for d in destinations(g):
            s.flows[(g, d)] = lam * s.mixes[g].get(d, 0.0) if w > 0 else 0.0


def _treatment(s: _Steady) -> None:
    """Acute treatment: its beds, length of stay, and how it ends (death, a delay, home)."""
    obs, p, flows = s.obs, s.p, s.flows
    delayed_total = sum(obs.delayed_beds.get(g, 0.0) for g in DELAY_GROUPS)
    s.treatment = obs.occupied_beds - delayed_total
    if s.treatment <= 0:
        raise CalibrationError(
            f"{obs.area}: delayed beds ({delayed_total:.1f}) are not fewer than all occupied beds "
            f"({obs.occupied_beds:.1f}) of emergency stays of people 65+: the delays and stays do not match"
        )
    returns = sum(flows[(g, "treatment")] for g in DELAY_GROUPS)
    s.treated = obs.admissions + returns
    p["los_treatment"] = s.treatment / s.treated
    shortest = float(s.assumptions["shortest_wait_days"])
    if p["los_treatment"] < shortest:
        raise CalibrationError(
            f"{obs.area}: the treatment length of stay works out at {p['los_treatment']:.2f} days: "
            "too short to be right (check the stays and delays)"
        )
    died_delayed = sum(flows[(g, "died")] for g in DELAY_GROUPS)
    p["share_died"] = max(obs.deaths_in_hospital - died_delayed, 0.0) / s.treated
    for g in DELAY_GROUPS:
        started = obs.delays_started.get(g, 0.0) if obs.delayed_beds.get(g, 0.0) > 0 else 0.0
        p[f"share_{g}"] = started / s.treated
    s.home_share = 1 - p["share_died"] - sum(p[f"share_{g}"] for g in DELAY_GROUPS)
    if s.home_share < 0:
        raise CalibrationError(
            f"{obs.area}: more deaths and delays than emergency stays of people 65+"
        )
    p["ppa_share"] = obs.ppa_share
    p["los_ppa"] = min(obs.los_ppa, p["los_treatment"]) if obs.los_ppa > 0 else p["los_treatment"]


def _home_after_discharge(s: _Steady) -> None:
    """Home after discharge: the hazard that makes the 28-day readmission share."""
    p = s.p
    r = min(max(s.obs.readmission_share, 0.0), 0.95)
    p["readmission_hazard"] = r / (READMISSION_WINDOW * (1 - r))
    home_flow = s.treated * s.home_share + sum(s.flows[(g, "home")] for g in DELAY_GROUPS)
    s.after_discharge = home_flow / (p["readmission_hazard"] + 1 / READMISSION_WINDOW)
    s.readmissions = s.after_discharge * p["readmission_hazard"]


def _leaving(s: _Steady, prefix: str, shares: Mapping[str, float], days: float) -> float:
    """People leaving intermediate care a day per person in it, when limited flows get
    phi of their demand (and the step's shares and days recorded as parameters)."""
    s.p[f"{prefix}_days"] = float(days)
    for d in ONWARD:
        s.p[f"{prefix}_share_{d}"] = float(shares.get(d, 0.0))
    return sum(float(shares.get(d, 0.0)) * s.phi.get(d, 1.0) for d in ONWARD) / float(days)


def _intermediate_care(s: _Steady) -> None:
    """Intermediate care: step-down holds what the delays send; step-up the beds left."""
    obs, p, a = s.obs, s.p, s.assumptions
    high = a["capacity_share_bounds"][1]
    leave_down = _leaving(s, "step_down", a["step_down_shares"], a["step_down_length_of_stay"])
    leave_up = _leaving(s, "step_up", a["step_up_shares"], a["step_up_length_of_stay"])
    step_down = s.flows[("intermediate_care", "intermediate_care")] / leave_down
    beds = float(s.capacities["intermediate_care_beds"])
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
    first = obs.admissions - s.readmissions - to_acute_down - step_up * to_acute_up
    demand = first + step_up * leave_up
    phi_ic = step_up * leave_up / (sigma * demand) if sigma > 0 and demand > 0 else 1.0
    if phi_ic >= 1 or sigma == 0:
        # Beds to spare: every step-up that is wanted happens; the beds are not full.
        phi_ic = 1.0
        # demand (1 - sigma + sigma x to_acute_up / leave_up) = admissions - readmissions - to_acute_down
        demand = (obs.admissions - s.readmissions - to_acute_down) / (
            1 - sigma + sigma * to_acute_up / leave_up
        )
        step_up = sigma * demand / leave_up
        first = demand * (1 - sigma)
        s.notes.append(
            f"Intermediate care has beds to spare in the baseline ({step_down + step_up:.1f} of {beds:.1f} "
            "occupied): more beds would only help if more people were referred to them."
        )
    elif phi_ic < 1 - high:
        phi_ic = 1 - high
        sigma = step_up * leave_up / (phi_ic * demand)
        s.notes.append(
            f"Intermediate care beds are very full for the assumed step-up demand: step-up demand is "
            f"taken as {sigma:.1%} of admissions."
        )
    s.share["intermediate_care"] = 1 - phi_ic
    s.phi["intermediate_care"] = phi_ic
    if first <= 0:
        raise CalibrationError(
            f"{obs.area}: readmissions leave no first admissions: check the readmission share"
        )
    p["step_up_share"] = sigma
    p["intermediate_care_capacity"] = beds
    s.step_down, s.step_up, s.demand = step_down, step_up, demand


def _admission_rates(s: _Steady) -> None:
    """Admission rates a day per person of each age band, sharing the demand as observed."""
    obs = s.obs
    total_band = sum(obs.admissions_by_band.values())
    for b in AGE_BANDS:
        band_share = (
            obs.admissions_by_band.get(b, 0.0) / total_band if total_band else 1 / len(AGE_BANDS)
        )
        pop = obs.band_population(b)
        s.p[f"admission_rate_{b}"] = s.demand * band_share / pop if pop > 0 else 0.0
        s.p[f"growth_{b}"] = 1.0


def _delay_exits(s: _Steady) -> None:
    """Delay exit hazards: demand hazards into services are the observed ones / phi."""
    shortest = float(s.assumptions["shortest_wait_days"])
    for g in DELAY_GROUPS:
        w = s.obs.delayed_beds.get(g, 0.0)
        # Only the flow into the service the group waits for is limited (phi of demand met).
        hazards = {
            d: (s.flows[(g, d)] / w if w > 0 else 0.0) / (s.phi[d] if d == g else 1.0)
            for d in destinations(g)
        }
        wanted = sum(hazards.values())
        if wanted > 1 / shortest:
            hazards = {d: h / (wanted * shortest) for d, h in hazards.items()}
            s.notes.append(
                f"Delays waiting for {DELAY_GROUP_LABELS[g]} would last under {shortest:g} days if every "
                f"place were free: their demand is capped at a {shortest:g}-day wait."
            )
        for d, h in hazards.items():
            s.p[f"exit_{g}_{d}"] = h


def _discharge_to_assess(s: _Steady) -> None:
    """Discharge to assess (off in the baseline): afterwards, as waits for assessment end."""
    a = s.assumptions
    s.p["assessed_days"] = float(a["assessment_days_at_home"])
    mix = s.mixes["assessment"] or {
        ("treatment" if k == "acute" else k): v
        for k, v in a["default_destinations"]["assessment"].items()
    }
    for d in ONWARD:
        s.p[f"assessed_share_{d}"] = float(mix.get("treatment" if d == "acute" else d, 0.0))
    s.p["discharge_to_assess_share"] = 0.0


def _services(s: _Steady) -> None:
    """Care homes and care at home: full; people waiting at home take what is left."""
    obs, p, a = s.obs, s.p, s.assumptions
    p["care_home_capacity"] = float(s.capacities["care_home_places"])
    p["care_at_home_hours"] = float(s.capacities["care_at_home_hours_per_week"])
    p["hours_per_package"] = float(a["hours_per_package"])
    p["care_home_length_of_stay"] = float(a["care_home_length_of_stay"])
    p["care_at_home_length_of_stay"] = float(a["care_at_home_length_of_stay"])
    p["care_at_home_died_share"] = float(a["care_at_home_died_share"])
    p["waiting_mortality"] = float(a["waiting_mortality_per_year"]) / 365.25
    p["community_mortality"] = float(a["community_mortality_per_year"]) / 365.25
    s.places = {
        "care_home": p["care_home_capacity"],
        "care_at_home": p["care_at_home_hours"] / p["hours_per_package"],
    }
    stay = {
        "care_home": p["care_home_length_of_stay"],
        "care_at_home": p["care_at_home_length_of_stay"],
    }
    for service in ("care_home", "care_at_home"):
        throughput = s.places[service] / stay[service]
        from_hospital = sum(s.flows.get((g, service), 0.0) for g in DELAY_GROUPS)
        from_ic = (
            s.step_down * p[f"step_down_share_{service}"] / p["step_down_days"]
            + s.step_up * p[f"step_up_share_{service}"] / p["step_up_days"]
        ) * s.phi[service]
        least = _least_throughput(from_hospital + from_ic, float(a["least_share_from_home"]))
        if throughput < least:
            _raise_capacity(s, service, least * stay[service], throughput)
            throughput = least
        from_home = throughput - from_hospital - from_ic
        if from_home <= 0:
            raise CalibrationError(
                f"{obs.area}: no discharges to {DELAY_GROUP_LABELS[service]} were observed and "
                "nobody starts it from home: the model cannot be calibrated"
            )
        p[f"home_placement_{service}"] = 1 / float(a["home_arrangement_days"][service])
        s.waiting[service] = from_home / (s.phi[service] * p[f"home_placement_{service}"])
        p[f"referral_rate_{service}"] = (
            from_home + s.waiting[service] * p["waiting_mortality"]
        ) / s.demand


def _least_throughput(from_discharges: float, least_share_from_home: float) -> float:
    """People a day a service must take so that discharges from hospital and
    intermediate care leave at least `least_share_from_home` of its starts to people
    at home: the discharges are the rest."""
    return from_discharges / (1 - least_share_from_home)


def _raise_capacity(s: _Steady, service: str, places: float, throughput: float) -> None:
    """Capacities too small for the observed discharges: use the fewest that can take
    them (derived from the data) and say so, rather than fail the report."""
    p = s.p
    if service == "care_home":
        before = f"{p['care_home_capacity']:,.0f} care home places"
        p["care_home_capacity"] = places
        after = f"{places:,.0f} places"
        key = "care_home_places"
    else:
        before = f"{p['care_at_home_hours']:,.0f} care at home hours a week"
        p["care_at_home_hours"] = places * p["hours_per_package"]
        after = f"{p['care_at_home_hours']:,.0f} hours a week"
        key = "care_at_home_hours_per_week"
    s.places[service] = places
    s.capacities = {
        **s.capacities,
        key: p["care_home_capacity" if service == "care_home" else "care_at_home_hours"],
    }
    share = float(s.assumptions["least_share_from_home"])
    s.notes.append(
        f"The {before} in the partnership's parameters start {throughput:.2f} people a day, too few "
        f"for the discharges from hospital and intermediate care observed in {s.obs.area} with at "
        f"least {share:.0%} of places left for people at home: the model uses {after}, the fewest "
        f"that can. Set capacities.{key} to the commissioned figure."
    )


def _initial_stocks(s: _Steady) -> None:
    """The steady state: initial values of the stocks."""
    initial = {
        "home_after_discharge": s.after_discharge,
        "waiting_care_at_home": s.waiting["care_at_home"],
        "waiting_care_home": s.waiting["care_home"],
        "acute_treatment": s.treatment,
        **{f"delayed_{g}": s.obs.delayed_beds.get(g, 0.0) for g in DELAY_GROUPS},
        "intermediate_care_step_down": s.step_down,
        "intermediate_care_step_up": s.step_up,
        "discharge_to_assess": 0.0,
        "care_at_home": s.places["care_at_home"],
        "care_home": s.places["care_home"],
    }
    if sum(initial.values()) >= s.obs.population_65plus():
        raise CalibrationError(
            f"{s.obs.area}: more people in services than the population aged 65+"
        )
    for name, value in initial.items():
        s.p[f"initial_{name}"] = float(value)


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
                    for d in destinations(g):
                        p[f"exit_{g}_{d}"] *= have / target
        if worst < tolerance:
            break
    return current
