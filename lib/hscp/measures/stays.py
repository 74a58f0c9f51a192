"""Continuous inpatient stays, emergency admissions and bed days (SMR01).

Sources: PHS data dictionary (SMR01 admission type, discharge type, continuous
inpatient stay); PHS Acute Hospital Activity and NHS Beds glossary (a CIS is an
unbroken period as an inpatient, of one or more episodes; length of stay is
counted over the CIS). docs/methods.md has the rules in words.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hscp.extracts import DEATH_DISCHARGE_TYPES, EMERGENCY_ADMISSION_TYPES
from hscp.measures._months import (
    MonthLike,
    as_columns,
    check_columns,
    days,
    expand_by_month,
    last_day,
    monthly_totals,
    period_months,
    to_month_number,
)

#: Episodes of the same continuous inpatient stay share these.
STAY_KEY = ("link_no", "cis_marker")

#: Taken from the first episode of a stay (when present in the episodes).
FIRST_EPISODE_COLUMNS = (
    "admission_date",
    "admission_type",
    "specialty",
    "location",
    "main_condition",
    *(f"other_condition_{i}" for i in range(1, 6)),
    "main_operation",
    "age",
    "sex",
    "hscp2019",
    "locality",
    "datazone2011",
    "gp_practice",
)

#: Taken from the last episode of a stay: episode column -> stay column.
LAST_EPISODE_COLUMNS = {
    "discharge_date": "discharge_date",
    "discharge_type": "discharge_type",
    "specialty": "last_specialty",
    "location": "last_location",
}

_REQUIRED = (*STAY_KEY, "admission_date", "discharge_date", "admission_type", "discharge_type")


def is_emergency(admission_type: pd.Series | Sequence[int]) -> pd.Series:
    """True where an SMR01 admission type is an emergency admission.

    Emergency = admission type 20-22 (urgent) or 30-39 (emergency), the PHS
    definition (extracts.EMERGENCY_ADMISSION_TYPES). A missing type is not an
    emergency. Source: PHS data dictionary, Admission Type; PHS emergency
    admission statistics count the first episode of a continuous inpatient stay.
    """
    types = admission_type if isinstance(admission_type, pd.Series) else pd.Series(admission_type)
    return types.isin(EMERGENCY_ADMISSION_TYPES).fillna(False).astype(bool)


def continuous_stays(episodes: pd.DataFrame) -> pd.DataFrame:
    """One row per continuous inpatient stay (CIS), from SMR01 episodes.

    Episodes sharing link_no and cis_marker are one stay; they are ordered by
    admission date then discharge date (an open episode, with no discharge date,
    last). The stay takes from its first episode the admission date and
    FIRST_EPISODE_COLUMNS (admission type, specialty, location, diagnoses,
    main operation, age, sex, geography, GP practice), and from its last episode
    the discharge date, discharge type, specialty (`last_specialty`) and location
    (`last_location`); the discharge date is missing if the last episode is open.
    Derived: `n_episodes`; `emergency` (first episode's admission type 20-22 or
    30-39, so emergencies are counted per stay, not per episode); `died` (last
    discharge type 40-43); `length_of_stay` in days = discharge - admission date
    (0 for a same-day stay, missing while the stay is open).
    Source: PHS Acute Hospital Activity glossary (CIS, length of stay); PHS data
    dictionary (admission and discharge types).

    The key, dates and types are required; the other listed columns are carried
    over when the episodes have them.
    """
    check_columns(episodes, _REQUIRED, "continuous_stays")
    ordered = episodes.sort_values(
        [*STAY_KEY, "admission_date", "discharge_date"], na_position="last", kind="stable"
    )
    link = ordered["link_no"].to_numpy()
    cis = ordered["cis_marker"].to_numpy()
    n = len(ordered)
    new_stay = np.ones(n, dtype=bool)
    new_stay[1:] = (link[1:] != link[:-1]) | (cis[1:] != cis[:-1])
    first_pos = np.flatnonzero(new_stay)
    last_pos = np.append(first_pos[1:] - 1, n - 1) if n else first_pos

    firsts = [c for c in (*STAY_KEY, *FIRST_EPISODE_COLUMNS) if c in ordered.columns]
    stays = ordered[firsts].iloc[first_pos].reset_index(drop=True)
    lasts = {old: new for old, new in LAST_EPISODE_COLUMNS.items() if old in ordered.columns}
    last = ordered[list(lasts)].iloc[last_pos].reset_index(drop=True).rename(columns=lasts)
    stays = pd.concat([stays, last], axis=1)

    stays["n_episodes"] = np.diff(np.append(first_pos, n)).astype(np.int64)
    stays["emergency"] = is_emergency(stays["admission_type"])
    stays["died"] = stays["discharge_type"].isin(DEATH_DISCHARGE_TYPES).fillna(False).astype(bool)
    admitted, discharged = days(stays["admission_date"]), days(stays["discharge_date"])
    still_open = np.isnat(discharged)
    los = (np.where(still_open, admitted, discharged) - admitted).astype(np.int64)
    stays["length_of_stay"] = pd.arrays.IntegerArray(los, mask=still_open)
    order = [
        *STAY_KEY,
        "admission_date",
        "discharge_date",
        "length_of_stay",
        "n_episodes",
        "emergency",
        "died",
        "admission_type",
        "discharge_type",
    ]
    return stays[order + [c for c in stays.columns if c not in order]]


def bed_days_by_month(
    stays: pd.DataFrame,
    start: MonthLike,
    end: MonthLike,
    by: str | Sequence[str] = (),
) -> pd.DataFrame:
    """Bed days per month: columns month, *by, bed_days.

    A stay from admission date A to discharge date D has D - A bed days (a
    same-day stay has none). They are split across months by midnights: the
    midnight at the start of date m counts in m's month, so the bed days in month
    M are the dates m in M with A < m <= D (the midnight starting 1 April counts
    in April). A stay still open (no discharge date) counts to the end of the
    period's last month, so `end` should be the last complete month of the
    extract. Months run from `start` to `end` inclusive; every month has a row for
    every combination of the `by` columns present in `stays` (zero if none).
    Source: PHS occupied bed days (length of stay = discharge - admission date),
    split by month as the project's design sets out (docs/methods.md).
    """
    by = as_columns(by)
    check_columns(stays, ["admission_date", "discharge_date", *by], "bed_days_by_month")
    months = period_months(start, end)
    admitted = days(stays["admission_date"])
    discharged = days(stays["discharge_date"])
    period_end = last_day(np.array([months[-1]]))[0]
    discharged = np.where(np.isnat(discharged), period_end, discharged)
    row, month, bed_days = expand_by_month(admitted, discharged, months[0], months[-1])
    return monthly_totals(stays, row, month, {"bed_days": bed_days}, months, by)


def admissions_by_month(
    stays: pd.DataFrame,
    start: MonthLike,
    end: MonthLike,
    by: str | Sequence[str] = (),
    date: str = "admission_date",
    name: str = "admissions",
) -> pd.DataFrame:
    """Stays counted by the month of `date`: columns month, *by, admissions.

    Each stay counts once, in the month of its admission date (or, with
    date="discharge_date", of its discharge date: open stays are then not
    counted; pass name="discharges" to name the count column accordingly).
    Months from `start` to `end` inclusive, zero-filled for every combination of
    the `by` columns present in `stays`. Emergency admissions are
    `admissions_by_month(stays[stays.emergency], ...)`: one per stay.
    """
    by = as_columns(by)
    check_columns(stays, [date, *by], "admissions_by_month")
    months = period_months(start, end)
    dates = days(stays[date])
    known = ~np.isnat(dates)
    month = to_month_number(np.where(known, dates, np.datetime64("1970-01-01")))
    row = np.flatnonzero(known & (month >= months[0]) & (month <= months[-1]))
    counts = np.ones(len(row), dtype=np.int64)
    return monthly_totals(stays, row, month[row], {name: counts}, months, by)
