"""Emergency readmissions within 28 days of discharge: national indicator NI14.

NI14 (Core Suite of Integration Indicators) is the rate of emergency
readmissions within 28 days of discharge per 1,000 discharges. We follow PHS's
code for it, GitHub Public-Health-Scotland/national-indicators:
SQL/ni14_smra.sql (which records), R/process_ni14_smra_extract.R and
R/ni14_functions.R (add_readmission_flag, match_smra_and_deaths,
calculate_locality_totals, calculate_ni14). Their rule, in words:

- Records: SMR01 general acute inpatient episodes (record type 01B) of people
  aged 18 and over, joined into continuous inpatient stays (CIS) by link_no and
  cis_marker: admission date of the first episode, discharge date of the last,
  admission type of the first episode, discharge type of the last. A transfer
  between hospitals or specialties is an episode within one CIS, so it is
  neither a discharge nor a readmission.
- Denominator: every discharge (stay), whatever its admission type (elective
  and emergency alike), except stays that ended in death (discharge type 40-49
  in the R code; 40-43 in the data contract; PHS also uses NRS death records,
  see below). Discharges are counted in the month of the discharge date.
- Numerator: a discharge is followed by an emergency readmission within 28
  days when the person's next stay (ordered by admission date, then discharge
  date) has admission type 20-22 or 30-39 and is admitted 0 to 28 days after
  the discharge date (a readmission on the day of discharge is day 0 and
  counts; day 28 counts; day 29 does not). Only the next stay is looked at: if
  it is elective, the discharge is not readmitted even if an emergency stay
  follows it within 28 days (that emergency stay is then the readmission of the
  elective stay).
- Rate = readmissions / discharges x 1,000.

Differences from PHS, each because the data contract does not carry what PHS uses:
- PHS also treats a stay as ending in death when the NRS death date is on or
  before the discharge date (and not before admission); the contract has no
  death records, so only the discharge type is used.
- PHS assigns the discharge to a locality from the postcode of the stay's last
  episode; here the stay's own hscp2019/locality (continuous_stays takes them
  from the first episode).
- PHS extracts only episodes with a discharge date, so a stay still open at
  the extract date is not seen as a readmission; here it is (it is an
  emergency admission, whether or not discharged yet).
- PHS sums the readmission flag over every stay, including those ending in
  death (a readmission after a death in hospital is a recording error); here
  the numerator counts only denominator discharges, so it can never exceed it.
- PHS reports financial and calendar months; here calendar months.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hscp.extracts import DEATH_DISCHARGE_TYPES
from hscp.measures._months import (
    MonthLike,
    as_columns,
    check_columns,
    days,
    month_timestamps,
    monthly_totals,
    period_months,
    to_month_number,
)
from hscp.measures.rates import crude_rate
from hscp.measures.stays import is_emergency

#: A readmission counts when it is 0 to READMISSION_DAYS days after the discharge.
READMISSION_DAYS = 28
#: NI14 counts people aged 18 and over.
NI14_MIN_AGE = 18

_REQUIRED = ("link_no", "admission_date", "discharge_date", "admission_type", "discharge_type")
#: Carried from the discharged stay onto its row of `readmissions`, when present.
_CARRIED = ("hscp2019", "locality", "age", "sex")


def readmissions(stays: pd.DataFrame, *, min_age: int | None = NI14_MIN_AGE) -> pd.DataFrame:
    """One row per NI14 discharge, with whether it was followed by an emergency readmission.

    `stays` are continuous inpatient stays (continuous_stays). Stays of people
    under `min_age` (18 for NI14; `age` at admission; a missing age is left out)
    are dropped first, as PHS drops them from its extract; min_age=None keeps all.
    A discharge is a stay with a discharge date whose discharge type is not a
    death (40-43). For each, the person's next stay (same link_no, ordered by
    admission date then discharge date) is looked at:
    `days_to_readmission` = next admission date - this discharge date, when the
    next stay is an emergency admission (type 20-22 or 30-39), else missing;
    `readmitted_28` = that number is 0 to 28. Columns: link_no, cis_marker (if
    given), admission_date, discharge_date, month (of discharge),
    readmitted_28, days_to_readmission, and the discharged stay's hscp2019,
    locality, age, sex (when given).
    Source: Public-Health-Scotland/national-indicators R/ni14_functions.R
    (add_readmission_flag, match_smra_and_deaths), SQL/ni14_smra.sql; the module
    docstring lists where we differ.
    """
    return _discharges(stays, min_age, ())


def _discharges(stays: pd.DataFrame, min_age: int | None, carry: Sequence[str]) -> pd.DataFrame:
    """readmissions(), also carrying the columns `carry` of each discharged stay."""
    needed = [*_REQUIRED, *(["age"] if min_age is not None else [])]
    check_columns(stays, needed, "readmissions")
    kept = stays
    if min_age is not None:
        adult = pd.to_numeric(stays["age"]).ge(min_age).fillna(False).to_numpy(dtype=bool)
        kept = stays[adult]
    ordered = kept.sort_values(
        ["link_no", "admission_date", "discharge_date"], na_position="last", kind="stable"
    ).reset_index(drop=True)

    link = ordered["link_no"].to_numpy()
    admitted = days(ordered["admission_date"])
    discharged = days(ordered["discharge_date"])
    emergency = is_emergency(ordered["admission_type"]).to_numpy(dtype=bool)
    n = len(ordered)

    # The next stay of the same person (shifted up by one row).
    has_next = np.zeros(n, dtype=bool)
    has_next[:-1] = link[1:] == link[:-1]
    next_admitted = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    next_admitted[:-1] = admitted[1:]
    next_emergency = np.zeros(n, dtype=bool)
    next_emergency[:-1] = emergency[1:]

    died = ordered["discharge_type"].isin(DEATH_DISCHARGE_TYPES).fillna(False).to_numpy(bool)
    is_discharge = ~np.isnat(discharged) & ~died
    linked = has_next & next_emergency & is_discharge
    # Days from this discharge to the next admission (0 where there is nothing to link).
    gap = np.where(linked, (next_admitted - discharged).astype(np.int64), 0)
    readmitted = linked & (gap >= 0) & (gap <= READMISSION_DAYS)

    rows = np.flatnonzero(is_discharge)
    keys = ("link_no", "cis_marker", "admission_date", "discharge_date")
    out = ordered[[c for c in keys if c in ordered.columns]].iloc[rows].reset_index(drop=True)
    out["month"] = month_timestamps(to_month_number(discharged[rows]))
    out["readmitted_28"] = readmitted[rows]
    out["days_to_readmission"] = pd.arrays.IntegerArray(gap[rows], mask=~linked[rows])
    carried = [c for c in dict.fromkeys([*_CARRIED, *carry]) if c in ordered.columns]
    carried = [c for c in carried if c not in out.columns]
    return pd.concat([out, ordered[carried].iloc[rows].reset_index(drop=True)], axis=1)


def readmission_rate(
    stays: pd.DataFrame,
    start: MonthLike,
    end: MonthLike,
    by: str | Sequence[str] = (),
    *,
    min_age: int | None = NI14_MIN_AGE,
) -> pd.DataFrame:
    """NI14 by month of discharge: columns month, *by, discharges, readmissions, rate_per_1000.

    discharges = NI14 discharges (readmissions: 18+, not died) in the month;
    readmissions = those followed by an emergency readmission within 0-28 days;
    rate_per_1000 = readmissions / discharges x 1,000 (missing when there are no
    discharges). Months from `start` to `end` inclusive, zero-filled for every
    combination of the `by` columns (e.g. "locality") present in `stays`.
    A month's count is complete only once 28 days after its end are in the
    extract: readmissions after the extract date are not seen, so the last
    month of an extract is an undercount.
    Source: Public-Health-Scotland/national-indicators R/ni14_functions.R
    (calculate_ni14: value = emergency_readm_28 / stay x 1000).
    """
    by = as_columns(by)
    check_columns(stays, by, "readmission_rate")
    per_discharge = _discharges(stays, min_age, by)
    months = period_months(start, end)
    month = to_month_number(days(per_discharge["month"]))
    row = np.flatnonzero((month >= months[0]) & (month <= months[-1]))
    values = {
        "discharges": np.ones(len(row), dtype=np.int64),
        "readmissions": per_discharge["readmitted_28"].to_numpy(dtype=np.int64)[row],
    }
    # Every `by` combination of the stays gets rows, even one with no discharges.
    frame = pd.concat([per_discharge[by], stays[by].drop_duplicates()], ignore_index=True)
    out = monthly_totals(frame, row, month[row], values, months, by)
    out["rate_per_1000"] = crude_rate(out["readmissions"], out["discharges"], per=1000)
    return out
