"""End of life: the share of the last six months of life spent in the community (MSG
indicator 5), to the PHS msg-indicators end of life method.

Rule, per death:
- Deaths from external causes (ICD-10 V00-Y84 as the underlying cause or any cause of
  death) are left out, except falls (W00-W19), which stay in.
- The window is the 183 days before death. Inpatient stays (acute, geriatric long stay,
  mental health) are clipped to it: an admission before the window starts at death - 183
  days; a discharge after death, or none, ends at death. Stays ending before the window
  or beginning after death are dropped. A clipped stay of exactly 183 days counts 182.5.
- Stays in a care home are not hospital days; large hospital, community hospital and
  hospice days all are.
- A person's stays are capped so they total no more than 182.5 days (overlaps).
- A death with no stay in the window counts with 0 hospital days.

The indicator is 1 - hospital days / (deaths x 182.5).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

#: The six months before death, in days, and what a full window counts.
WINDOW_DAYS = 183
FULL_WINDOW = 182.5
#: location_type values (PHS's locations lookup): which are hospital days.
LOCATION_TYPES = (
    "Large Hospital",
    "Community Hospital",
    "Hospice / Palliative Care Unit",
    "Care Home",
)
NOT_HOSPITAL = frozenset({"Care Home"})

_EXTERNAL = re.compile(r"^(?:[VWX][0-9]|Y[0-7][0-9]|Y8[0-4])")  # V00-Y84 (Y85-Y98: sequelae)
_FALL = re.compile(r"^W[01][0-9]")  # W00-W19


def _causes(deaths: pd.DataFrame) -> list[str]:
    return ["underlying_cause_of_death"] + [
        c for c in (f"cause_of_death_code_{i}" for i in range(10)) if c in deaths
    ]


def counted_deaths(deaths: pd.DataFrame) -> pd.DataFrame:
    """The deaths the indicator counts: none with an external cause unless a fall."""
    external = np.zeros(len(deaths), dtype=bool)
    fall = np.zeros(len(deaths), dtype=bool)
    for column in _causes(deaths):
        codes = deaths[column].astype("string").str.replace(".", "", regex=False).str.upper()
        external |= codes.str.match(_EXTERNAL).fillna(False).to_numpy(bool)
        fall |= codes.str.match(_FALL).fillna(False).to_numpy(bool)
    return deaths[~external | fall]


def last_six_months(deaths: pd.DataFrame, stays: pd.DataFrame) -> pd.DataFrame:
    """Hospital days in the last six months of life, one row per death counted.

    `deaths`: link_no, date_of_death, underlying_cause_of_death and optionally
    cause_of_death_code_0..9. `stays`: link_no, admission_date, discharge_date (empty:
    still in) and location_type (LOCATION_TYPES). Returns link_no, date_of_death and
    hospital_days (float); the indicator is
    1 - result.hospital_days.sum() / (len(result) * 182.5). Module docstring: the rule.
    """
    for frame, name, needed in (
        (deaths, "deaths", ("link_no", "date_of_death", "underlying_cause_of_death")),
        (stays, "stays", ("link_no", "admission_date", "discharge_date", "location_type")),
    ):
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise ValueError(f"last_six_months: {name} has no column(s) {missing}")
    unknown = sorted(set(stays["location_type"].dropna()) - set(LOCATION_TYPES))
    if unknown:
        raise ValueError(
            f"last_six_months: unknown location_type {unknown} (known: {LOCATION_TYPES})"
        )
    counted = counted_deaths(deaths)[["link_no", "date_of_death"]].copy()
    counted["date_of_death"] = pd.to_datetime(counted["date_of_death"])
    hospital = stays[~stays["location_type"].isin(NOT_HOSPITAL)]
    joined = hospital.merge(counted, on="link_no", how="inner")
    death = joined["date_of_death"]
    start = death - pd.Timedelta(days=WINDOW_DAYS)
    admitted = pd.to_datetime(joined["admission_date"])
    discharged = pd.to_datetime(joined["discharge_date"])
    in_window = (admitted <= death) & (discharged.isna() | (discharged >= start))
    first = admitted.where(admitted > start, start)[in_window]
    last = discharged.where(discharged.notna() & (discharged < death), death)[in_window]
    days = (last - first).dt.days.astype(float)
    days = days.where(days != WINDOW_DAYS, FULL_WINDOW)
    per_person = (
        pd.DataFrame({"link_no": joined.loc[in_window, "link_no"], "days": days})
        .groupby("link_no")["days"]
        .sum()
        .clip(upper=FULL_WINDOW)
    )
    out = counted.assign(hospital_days=counted["link_no"].map(per_person).fillna(0.0))
    return out.reset_index(drop=True)


def community_share(result: pd.DataFrame) -> float:
    """MSG 5: the share of the last six months of life spent in the community."""
    if result.empty:
        return np.nan
    return 1 - result["hospital_days"].sum() / (len(result) * FULL_WINDOW)
