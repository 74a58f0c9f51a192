"""Savings and cash release: beds freed, wards closed (a step cost), net cash release,
the year-by-year cash flows and their net present value, and the set-aside budget.

The rules (docs/methods.md, "Options appraisal"):

- Beds freed = bed days avoided / 365 / target occupancy.
- The average cost of a bed day (PHS Scottish Health Service Costs: a specialty's
  inpatient costs / its occupied bed days) splits into a marginal part that goes
  with each bed day (drugs, consumables, diagnostics) and a fixed part that goes with
  the staffed bed (mostly staff) and is released only when the bed closes.
- Cash is released only when whole wards close: wards closed = floor(beds freed /
  ward size). A staffed bed a year costs 365 x target occupancy x the fixed part of
  a bed day (the beds' share of the average cost at the occupancy they run at).
- Net cash release = ward costs released + variable (marginal) cost of the bed days
  avoided - community reinvestment - double running costs during the transition.
- Capacity value (not cash): the fixed cost of the beds freed but not closed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hscp.appraisal.discounting import GREEN_BOOK_RATE, discount_factors
from hscp.appraisal.settings import AppraisalError
from hscp.measures.stays import STAY_KEY, bed_days_by_month, continuous_stays
from hscp.projection.scenarios import time_profile

DAYS_A_YEAR = 365.0


def beds_freed(bed_days_avoided, target_occupancy: float = 0.85, days: float = DAYS_A_YEAR):
    """Beds freed = bed days avoided a year / days / target occupancy.

    A bed runs at the target occupancy, so it holds 365 x occupancy bed days a year:
    9,431.6 bed days avoided at 85% free 9,431.6 / 365 / 0.85 = 30.4 beds.
    """
    if not 0 < target_occupancy <= 1:
        raise AppraisalError(
            f"target occupancy must be above 0 and at most 1, not {target_occupancy!r}"
        )
    return np.asarray(bed_days_avoided, dtype=float) / days / target_occupancy


def wards_closed(beds, ward_size: int):
    """Whole wards that can close with `beds` freed: floor(beds / ward size), none when
    fewer than a ward's beds are freed (30.4 beds with 28-bed wards: 1 ward)."""
    if ward_size < 1:
        raise AppraisalError(f"ward size must be 1 or more beds, not {ward_size!r}")
    beds = np.asarray(beds, dtype=float)
    # round first so that 56.0000000001 beds of two 28-bed wards still close two
    out = np.floor(np.round(np.clip(beds, 0, None) / ward_size, 9)).astype(int)
    return int(out) if out.ndim == 0 else out


def staffed_bed_cost(
    average_cost: float, marginal_share: float, target_occupancy: float, days: float = DAYS_A_YEAR
) -> float:
    """The fixed cost of a staffed bed a year: days x occupancy x average x (1 - marginal
    share). At £700 a bed day, 20% marginal, 85%: 365 x 0.85 x 560 = £173,740."""
    if not 0 <= marginal_share <= 1:
        raise AppraisalError(f"marginal share must be from 0 to 1, not {marginal_share!r}")
    return days * target_occupancy * average_cost * (1 - marginal_share)


@dataclass(frozen=True)
class CashRelease:
    """What avoiding bed days is worth a year, in cash and in capacity (pounds)."""

    bed_days_avoided: float
    beds_freed: float
    wards_closed: int
    beds_closed: int
    ward_size: int
    staffed_bed_cost: float  # fixed cost of a staffed bed a year
    marginal_cost: float  # of one bed day
    value_at_average_cost: float  # bed days avoided x average cost: not cash
    ward_costs_released: float
    variable_cost_avoided: float
    community_reinvestment: float
    double_running: float
    net_cash_release: float  # the first year: with double running
    recurrent_net_cash_release: float  # each full year after: without it
    capacity_value: float  # fixed cost of beds freed but not closed: not cash


def cash_release(
    bed_days_avoided: float,
    *,
    average_cost: float,
    marginal_share: float,
    community_cost: float,
    double_running: float = 0.0,
    ward_size: int = 28,
    target_occupancy: float = 0.85,
    days: float = DAYS_A_YEAR,
) -> CashRelease:
    """Net cash release of avoiding `bed_days_avoided` a year (module docstring's rules).

    community_cost: the community services' cost a year (the reinvestment);
    double_running: the one-off cost of running them before the beds close.
    """
    freed = float(beds_freed(bed_days_avoided, target_occupancy, days))
    wards = wards_closed(freed, ward_size)
    bed_cost = staffed_bed_cost(average_cost, marginal_share, target_occupancy, days)
    marginal = average_cost * marginal_share
    released = wards * ward_size * bed_cost
    variable = bed_days_avoided * marginal
    recurrent = released + variable - community_cost
    return CashRelease(
        bed_days_avoided=float(bed_days_avoided),
        beds_freed=freed,
        wards_closed=wards,
        beds_closed=wards * ward_size,
        ward_size=ward_size,
        staffed_bed_cost=bed_cost,
        marginal_cost=marginal,
        value_at_average_cost=bed_days_avoided * average_cost,
        ward_costs_released=released,
        variable_cost_avoided=variable,
        community_reinvestment=float(community_cost),
        double_running=float(double_running),
        net_cash_release=recurrent - double_running,
        recurrent_net_cash_release=recurrent,
        capacity_value=max(freed - wards * ward_size, 0.0) * bed_cost,
    )


def double_running_cost(community_cost: float, months: float) -> float:
    """The community service's cost over the months it runs before the beds it replaces
    close: a year's cost x months / 12."""
    if months < 0:
        raise AppraisalError(f"double running months must not be negative, not {months!r}")
    return community_cost * months / 12


def phase_by_year(months_to_full: int, profile: str, years: int) -> np.ndarray:
    """The share of the full effect in each year 0, 1, ...: the mean over the year's 12
    months of the monthly build-up (projection.time_profile with month 1 the first
    month and `months_to_full` the month it is complete). Linear over 12 months: year
    0 is (1 + 2 + ... + 12) / 12 / 12 = 0.5417, year 1 is 1."""
    months = np.arange(1, 12 * years + 1)
    monthly = time_profile(months, profile, 1, months_to_full)
    return monthly.reshape(years, 12).mean(axis=1)


def cash_flows(
    release: CashRelease,
    years: int,
    *,
    phase: Sequence[float] | None = None,
    rate: float = GREEN_BOOK_RATE,
) -> pd.DataFrame:
    """Year-by-year cash flows of an option and their present values.

    Year t: share s_t of the full effect (`phase`, default 1 every year); beds freed
    s_t x beds freed; wards closed floor(that / ward size) (a step); ward costs
    released = wards x ward size x staffed bed cost; variable cost avoided = s_t x bed
    days avoided x marginal cost; community reinvestment = s_t x the community cost;
    double running in year 0 only. net = released + variable - community - double
    running; present_value = net x discount_factors(t, rate). Sum present_value for
    the net present value.
    """
    if years < 1:
        raise AppraisalError(f"years must be 1 or more, not {years!r}")
    share = np.ones(years) if phase is None else np.asarray(phase, dtype=float)
    if len(share) != years:
        raise AppraisalError(f"phase has {len(share)} years, the appraisal {years}")
    t = np.arange(years)
    freed = share * release.beds_freed
    wards = wards_closed(freed, release.ward_size)
    out = pd.DataFrame({"year": t, "share": share, "beds_freed": freed, "wards_closed": wards})
    out["ward_costs_released"] = wards * release.ward_size * release.staffed_bed_cost
    out["variable_cost_avoided"] = share * release.variable_cost_avoided
    out["community_reinvestment"] = share * release.community_reinvestment
    out["double_running"] = np.where(t == 0, release.double_running, 0.0)
    out["net"] = (
        out["ward_costs_released"]
        + out["variable_cost_avoided"]
        - out["community_reinvestment"]
        - out["double_running"]
    )
    out["discount_factor"] = discount_factors(t, rate)
    out["present_value"] = out["net"] * out["discount_factor"]
    return out


# --- the set-aside budget ------------------------------------------------------------------


def set_aside_bed_days(episodes: pd.DataFrame, start, end) -> pd.DataFrame:
    """Emergency bed days by specialty from `start` to `end` (months, inclusive): the
    bed days of every episode of an emergency continuous inpatient stay (first episode
    admission type 20-22, 30-39, measures.continuous_stays), in the episode's specialty,
    split by month by midnights (measures.bed_days_by_month: discharge - admission date).
    Columns: specialty, bed_days. A stay moving from General Medicine to Geriatric
    Medicine counts its days in each."""
    stays = continuous_stays(episodes)
    emergency = stays.loc[stays["emergency"], list(STAY_KEY)]
    mine = episodes.merge(emergency, on=list(STAY_KEY), how="inner")
    monthly = bed_days_by_month(mine, start, end, by="specialty")
    return monthly.groupby("specialty", as_index=False)["bed_days"].sum()


def set_aside_budget(
    bed_days: pd.DataFrame, costs: Mapping[str, float], other: float
) -> pd.DataFrame:
    """The partnership's share of the acute budget for unscheduled care.

    `bed_days`: specialty, bed_days (emergency bed days of the partnership's residents
    in a year). Each specialty's bed days x its cost per bed day (`costs`, by
    specialty code; `other` for a specialty not listed). Columns: specialty,
    bed_days, cost_per_bed_day, set_aside, share (of the total set-aside), largest first.
    Source of the costs: PHS Scottish Health Service Costs (params, with year).
    """
    missing = {"specialty", "bed_days"} - set(bed_days.columns)
    if missing:
        raise AppraisalError(f"set-aside bed days: missing columns {sorted(missing)}")
    if (bed_days["bed_days"] < 0).any():
        raise AppraisalError("set-aside bed days: bed_days must not be negative")
    out = bed_days.groupby("specialty", as_index=False)["bed_days"].sum()
    out["cost_per_bed_day"] = out["specialty"].map(dict(costs)).fillna(other).astype(float)
    out["set_aside"] = out["bed_days"] * out["cost_per_bed_day"]
    total = out["set_aside"].sum()
    out["share"] = out["set_aside"] / total if total > 0 else np.nan
    return out.sort_values("set_aside", ascending=False, kind="stable").reset_index(drop=True)


def set_aside_shift(
    budget: pd.DataFrame,
    bed_days_avoided: Mapping[str, float],
    specialties: Sequence[str] | None = None,
) -> pd.DataFrame:
    """How much of the set-aside budget each option's avoided bed days represent.

    The avoided bed days are valued at the average cost per bed day of `specialties`
    (default: every specialty in the budget), weighted by their bed days: the resource
    that could shift to the community, as a health board and partnership negotiate it
    (the cash a closure releases is in cash_release). Columns: option,
    bed_days_avoided, cost_per_bed_day, shift, share_of_set_aside.
    """
    rows = budget if specialties is None else budget[budget["specialty"].isin(specialties)]
    if rows.empty or rows["bed_days"].sum() <= 0:
        raise AppraisalError(f"set-aside: no bed days in the specialties {list(specialties or [])}")
    cost = float(rows["set_aside"].sum() / rows["bed_days"].sum())
    total = float(budget["set_aside"].sum())
    out = pd.DataFrame(
        {"option": list(bed_days_avoided), "bed_days_avoided": list(bed_days_avoided.values())}
    )
    out["cost_per_bed_day"] = cost
    out["shift"] = out["bed_days_avoided"] * cost
    out["share_of_set_aside"] = out["shift"] / total
    return out
