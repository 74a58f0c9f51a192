"""The implementation plan month by month (phase 3): community capacity rising, acute
beds closing, the double running period and its cost, and occupied beds against the
beds available with the months above a safe occupancy flagged.

Rules (docs/methods.md, "Evaluating a change: the implementation plan"):
- Build-up: the share of the new capacity in place in month m (1 = the first month) is
  projection.time_profile(m, profile, 1, months_to_full): linear, front-loaded,
  back-loaded or step.
- Wards close when the beds the change has freed reach a whole ward, after a lag
  (months of safe running before a ward closes): beds closed = ward size x
  floor(share x beds freed / ward size), `lag` months later.
- Double running: the new service is paid for while the beds it replaces are still
  open. In a month, double running = the community cost of the month x the share of
  the beds due to close that are still open.
- Occupancy = occupied beds / beds available; a month above the safe threshold is flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from hscp.evaluation.its import EvaluationError
from hscp.projection.scenarios import time_profile


def monthly_profile(
    start, months: int, months_to_full: int, profile: str = "linear"
) -> pd.DataFrame:
    """The share of the change in place each month from `start`: month, month_number
    (1 = the first), share (0 to 1)."""
    if months < 1:
        raise EvaluationError(f"a plan needs 1 month or more, not {months}")
    index = pd.date_range(
        pd.Timestamp(start).to_period("M").to_timestamp(), periods=months, freq="MS"
    )
    number = np.arange(1, months + 1)
    share = time_profile(number, profile, 1, months_to_full)
    return pd.DataFrame({"month": index, "month_number": number, "share": share})


def reprovision_plan(
    start,
    months: int,
    *,
    months_to_full: int,
    profile: str,
    community_capacity: float,
    community_cost_a_year: float,
    beds_freed: float,
    ward_size: int,
    bed_cost_a_year: float,
    beds_now: float,
    lag: int = 0,
) -> pd.DataFrame:
    """A month-by-month re-provision plan.

    Columns: month, month_number, share, community_capacity (share x the full capacity,
    e.g. hours a week or places), community_cost (the month's: share x a year's / 12),
    beds_freed (share x beds freed), beds_closed (whole wards, `lag` months after the
    beds are freed), beds_available (beds_now - beds closed), acute_cost_released (beds
    closed x a staffed bed's cost a year / 12), double_running (module docstring), net
    (released - community cost).
    """
    plan = monthly_profile(start, months, months_to_full, profile)
    share = plan["share"].to_numpy()
    plan["community_capacity"] = share * community_capacity
    plan["community_cost"] = share * community_cost_a_year / 12
    plan["beds_freed"] = share * beds_freed
    wards = np.floor(np.round(plan["beds_freed"] / ward_size, 9))
    wards = np.concatenate([np.zeros(min(lag, months)), wards[: months - lag]]) if lag else wards
    plan["beds_closed"] = wards * ward_size
    plan["beds_available"] = beds_now - plan["beds_closed"]
    plan["acute_cost_released"] = plan["beds_closed"] * bed_cost_a_year / 12
    due = ward_size * np.floor(np.round(beds_freed / ward_size, 9))
    # No whole ward to close: the new service replaces no beds, so nothing runs twice.
    still_open = (due - plan["beds_closed"]) / due if due > 0 else 0.0
    plan["double_running"] = plan["community_cost"] * still_open
    plan["net"] = plan["acute_cost_released"] - plan["community_cost"]
    return plan


@dataclass(frozen=True)
class DoubleRunning:
    """The double running period of a plan: its months and cost."""

    months: int
    first_month: pd.Timestamp | None
    last_month: pd.Timestamp | None
    cost: float


def double_running(plan: pd.DataFrame) -> DoubleRunning:
    """The months with a double running cost, the first and last, and their total."""
    running = plan[plan["double_running"] > 0]
    if running.empty:
        return DoubleRunning(0, None, None, 0.0)
    return DoubleRunning(
        months=len(running),
        first_month=running["month"].iloc[0],
        last_month=running["month"].iloc[-1],
        cost=float(running["double_running"].sum()),
    )


def bed_trajectory(
    occupied_before: pd.Series,
    beds_freed: pd.Series,
    beds_available: pd.Series,
    safe_occupancy: float,
) -> pd.DataFrame:
    """Occupied beds each month with the change (occupied before it - beds freed, all
    Series by month) against the beds available: month, occupied_beds, beds_available,
    occupancy, over_safe (occupancy above `safe_occupancy`)."""
    if not 0 < safe_occupancy <= 1:
        raise EvaluationError(
            f"safe occupancy must be above 0 and at most 1, not {safe_occupancy!r}"
        )
    frame = pd.concat(
        {"before": occupied_before, "freed": beds_freed, "beds_available": beds_available}, axis=1
    )
    if frame.isna().any().any():
        raise EvaluationError("bed trajectory: the three series must cover the same months")
    out = pd.DataFrame(index=frame.index)
    out["occupied_beds"] = (frame["before"] - frame["freed"]).clip(lower=0)
    out["beds_available"] = frame["beds_available"]
    out["occupancy"] = out["occupied_beds"] / out["beds_available"].where(out["beds_available"] > 0)
    out["over_safe"] = out["occupancy"] > safe_occupancy
    out.index.name = "month"
    return out.reset_index()
