"""The integration indicators: the Ministerial Strategic Group (MSG) indicators and the
Core Suite of national integration indicators (NI), to PHS's published definitions.

Each function returns numerators (and where the indicator needs one, its own
denominator) by month or by financial year for the `by` columns, never rates: rates are
made where the population is joined (hscp.workbooks.integration_indicators), so the
partnership, its localities, its board and Scotland are all made the same way from the
same counts. Sources, rule by rule, are in docs/methods.md ("Integration indicators").

- MSG 1 emergency admissions: SMR01 continuous stays whose first episode is admission
  type 20-22 or 30-39, counted in the month of discharge (PHS msg-indicators 1a).
- MSG 2a/2b/2c unscheduled bed days: the days of each month a stay covers, counting the
  day of admission and not the day of discharge (PHS `monthly_beddays`). 2a: SMR01
  emergency stays (types 20-22, 30-39) that have ended; 2b: SMR01E episodes of types 18,
  20-22 and 30-39; 2c: SMR04 episodes of those types, a stay still open counting to the
  end of the period.
- NI12 / NI13 emergency admissions and bed days of adults (18+): continuous inpatient
  journeys across SMR01, SMR01E and SMR04 whose first episode is type 18, 20-22 or
  30-39, admissions by month of admission, bed days by the PHS monthly rule with a
  same-day journey as 1 bed day (PHS national-indicators).
- NI18 and the MSG 6 balance of care: who is where at a census date.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hscp.measures._months import MonthLike, as_columns, check_columns
from hscp.measures.stays import admissions_by_month, bed_days_by_month, continuous_stays

#: Admission types: MSG 1 and 2a (emergency) and MSG 2b, 2c, NI12, NI13 (with transfers).
EMERGENCY = frozenset([20, 21, 22, *range(30, 40)])
UNSCHEDULED = EMERGENCY | {18}
#: NI18: hours of home care a week that make "intensive" care at home.
INTENSIVE_HOURS = 10.0
#: MSG 6 settings, in the order a person is placed when more than one applies.
SETTINGS = ("Hospital", "Care home", "Home with home care", "Home without home care")


def _first_types(episodes: pd.DataFrame) -> pd.Series:
    """Each episode's stay's first admission type (link_no, cis_marker)."""
    first = episodes.sort_values(["link_no", "cis_marker", "admission_date"], kind="stable")
    return (
        first.groupby(["link_no", "cis_marker"], sort=False)["admission_type"]
        .transform("first")
        .reindex(episodes.index)
    )


def _phs_bed_days(frame: pd.DataFrame, start, end, by: list[str]) -> pd.DataFrame:
    """Bed days by month as PHS counts them: the day of admission counts, the day of
    discharge does not (hscp.measures.bed_days_by_month counts midnights, A < m <= D,
    so one day earlier on both ends gives A <= d < D)."""
    shifted = frame.assign(
        admission_date=pd.to_datetime(frame["admission_date"]) - pd.Timedelta(days=1),
        discharge_date=pd.to_datetime(frame["discharge_date"]) - pd.Timedelta(days=1),
    )
    return bed_days_by_month(shifted, start, end, by)


def msg_admissions(acute_episodes: pd.DataFrame, start: MonthLike, end: MonthLike,
                   by: str | Sequence[str] = (), *, stays=None) -> pd.DataFrame:  # fmt: skip
    """MSG 1: emergency admissions (SMR01 stays, types 20-22 and 30-39) by month of
    discharge: columns month, *by, admissions. `stays`: the episodes' continuous stays
    when already made (continuous_stays)."""
    stays = continuous_stays(acute_episodes) if stays is None else stays
    emergency = stays[stays["admission_type"].isin(EMERGENCY) & stays["discharge_date"].notna()]
    return admissions_by_month(emergency, start, end, by, date="discharge_date")


def msg_bed_days(
    episodes: pd.DataFrame,
    source: str,
    start: MonthLike,
    end: MonthLike,
    by: str | Sequence[str] = (),
    *,
    stays=None,
) -> pd.DataFrame:
    """MSG 2a (source "acute"), 2b ("long_stay") or 2c ("mental_health"): unscheduled bed
    days by month: columns month, *by, bed_days. `stays`: for 2a, the acute episodes'
    continuous stays when already made."""
    by = as_columns(by)
    if source == "acute":
        stays = continuous_stays(episodes) if stays is None else stays
        chosen = stays[stays["admission_type"].isin(EMERGENCY) & stays["discharge_date"].notna()]
    elif source in ("long_stay", "mental_health"):
        chosen = episodes[episodes["admission_type"].isin(UNSCHEDULED)]
        chosen = chosen.drop_duplicates(["link_no", "admission_date", "discharge_date"])
    else:
        raise ValueError(f"msg_bed_days: unknown source {source!r}")
    return _phs_bed_days(chosen, start, end, by)


#: Dental hospitals, which NI12 and NI13 leave out (PHS prepare_slf_episode_file.R).
DENTAL_HOSPITALS = frozenset({"T113H", "S206H", "G106H"})


def inpatient_journeys(sources: dict[str, pd.DataFrame], by: Sequence[str] = ()) -> pd.DataFrame:
    """Continuous inpatient journeys (CIJ) across SMR01, SMR01E and SMR04, as PHS's source
    linkage files make them: a person's episodes in order of admission, a new journey
    where an admission is after the latest discharge so far (a transfer on the day of
    discharge stays in the journey). A journey takes its first episode's admission type
    and age, its last episode's `by` columns, its earliest admission and latest
    discharge; a journey with an open episode has no discharge date."""
    by = as_columns(by)
    columns = ["link_no", "admission_date", "discharge_date", "admission_type", "age", *by]
    frames = []
    for name, episodes in sources.items():
        if episodes is None or episodes.empty:
            continue
        check_columns(episodes, columns, f"inpatient_journeys ({name})")
        frames.append(episodes[columns + (["location"] if "location" in episodes else [])])
    if not frames:
        return pd.DataFrame(columns=[*columns, "open"])
    eps = pd.concat(frames, ignore_index=True)
    if "location" in eps:
        eps = eps[~eps["location"].isin(DENTAL_HOSPITALS)]
    eps = eps.sort_values(["link_no", "admission_date", "discharge_date"], kind="stable",
                          na_position="last", ignore_index=True)  # fmt: skip
    link = eps["link_no"].to_numpy()
    admitted = pd.to_datetime(eps["admission_date"]).to_numpy("datetime64[D]")
    discharged = pd.to_datetime(eps["discharge_date"]).to_numpy("datetime64[D]")
    open_ = np.isnat(discharged)
    latest = np.where(open_, np.datetime64("2262-01-01"), discharged).astype("datetime64[D]")
    # A new journey where the admission is after the latest discharge of the person's
    # earlier episodes (their running maximum).
    reach = pd.Series(latest).groupby(link).cummax().groupby(link).shift(1).to_numpy()
    new = np.ones(len(eps), dtype=bool)
    new[1:] = link[1:] != link[:-1]
    known = ~pd.isna(reach)
    new[known] |= admitted[known] > reach[known].astype("datetime64[D]")
    eps["journey"] = np.cumsum(new)
    eps["open"] = open_
    grouped = eps.groupby("journey", sort=False)
    out = grouped.agg(
        link_no=("link_no", "first"),
        admission_date=("admission_date", "min"),
        discharge_date=("discharge_date", "max"),
        admission_type=("admission_type", "first"),
        age=("age", "first"),
        open=("open", "any"),
        **{c: (c, "last") for c in by},
    ).reset_index(drop=True)
    out.loc[out["open"], "discharge_date"] = pd.NaT
    return out


def adult_emergency_stays(
    sources: dict[str, pd.DataFrame], start: MonthLike, end: MonthLike,
    by: str | Sequence[str] = (),
) -> pd.DataFrame:  # fmt: skip
    """NI12 and NI13 numerators (PHS national-indicators, ni12_functions.R and
    ni13_functions.R over prepare_slf_episode_file.R): adults' (18+) completed inpatient
    journeys across SMR01, SMR01E and SMR04 (dental hospitals left out) whose first
    episode is type 18, 20-22 or 30-39. admissions: journeys by month of admission;
    bed_days: the days of each month a journey covers, the day of admission counting and
    the day of discharge not, and a same-day journey 1 day. Columns month, *by,
    admissions, bed_days."""
    by = as_columns(by)
    journeys = inpatient_journeys(sources, by)
    chosen = journeys[
        journeys["admission_type"].isin(UNSCHEDULED) & (journeys["age"] >= 18)
        & journeys["discharge_date"].notna()
    ]  # fmt: skip
    if chosen.empty:
        return _empty_monthly(start, end, by, ["admissions", "bed_days"])
    counted = admissions_by_month(chosen, start, end, by, date="admission_date")
    days = _phs_bed_days(chosen, start, end, by)
    same_day = chosen[
        pd.to_datetime(chosen["admission_date"]) == pd.to_datetime(chosen["discharge_date"])
    ]
    extra = admissions_by_month(same_day, start, end, by, date="admission_date")
    out = counted.merge(days, on=["month", *by], how="left").merge(
        extra.rename(columns={"admissions": "same_day"}), on=["month", *by], how="left"
    )
    out["bed_days"] = (out["bed_days"].fillna(0) + out["same_day"].fillna(0)).astype("int64")
    return out.drop(columns="same_day")


def _sum_by_month(frame, date, value, start, end, by) -> pd.DataFrame:
    month = pd.to_datetime(frame[date]).dt.to_period("M").dt.to_timestamp()
    summed = frame.assign(month=month).groupby(["month", *by], observed=True)[value].sum()
    grid = admissions_by_month(frame, start, end, by, date=date)[["month", *by]]
    out = grid.merge(summed.reset_index(), on=["month", *by], how="left")
    out[value] = out[value].fillna(0).astype("int64")
    return out


def _empty_monthly(start, end, by, columns) -> pd.DataFrame:
    months = pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq="M").to_timestamp()
    return (
        pd.DataFrame({"month": months, **{c: 0 for c in columns}})
        .assign(**{c: pd.Series(dtype="object") for c in by})
        .iloc[0:0]
    )


# --- who is where on a census date --------------------------------------------------


def open_on(frame: pd.DataFrame, start: str, end: str, census) -> pd.Series:
    """True for rows (stays, periods) that have begun by the census date and not ended
    before it (an empty end: still open)."""
    census = pd.Timestamp(census)
    began = pd.to_datetime(frame[start]) <= census
    ended = pd.to_datetime(frame[end])
    return began & (ended.isna() | (ended > census))


def intensive_home_care(home_care: pd.DataFrame, census) -> pd.DataFrame:
    """People (18+) receiving home care on the census date: link_no, hours (summed over
    their open periods), intensive (hours >= 10), and the first row's other columns."""
    open_ = home_care[open_on(home_care, "start_date", "end_date", census)]
    open_ = open_[open_["age"] >= 18]
    people = open_.groupby("link_no", sort=False).agg(
        hours=("hours_per_week", "sum"),
        **{c: (c, "first") for c in open_.columns if c not in ("link_no", "hours_per_week")},
    )
    people["intensive"] = people["hours"] >= INTENSIVE_HOURS
    return people.reset_index()


def ni18_counts(home_care, care_homes, long_stay_patients, census, by=()) -> pd.DataFrame:
    """NI18 at a census date, by `by`: intensive (adults with 10+ hours of home care a
    week), care_home (adult long-stay care home residents whose care the local authority
    funds) and hospital (adults in a geriatric long stay or mental health bed)."""
    by = as_columns(by)
    intensive = intensive_home_care(home_care, census)
    intensive = intensive[intensive["intensive"]]
    residents = care_homes[open_on(care_homes, "admission_date", "discharge_date", census)]
    residents = residents[(residents["age"] >= 18) & (residents["funding"] == "Local authority")]
    patients = long_stay_patients[
        open_on(long_stay_patients, "admission_date", "discharge_date", census)
    ]
    patients = patients[patients["age"] >= 18].drop_duplicates("link_no")
    parts = [
        _count(intensive, by, "intensive"),
        _count(residents.drop_duplicates("link_no"), by, "care_home"),
        _count(patients, by, "hospital"),
    ]
    out = parts[0]
    for part in parts[1:]:
        out = out.merge(part, on=by, how="outer") if by else pd.concat([out, part], axis=1)
    return out.fillna(0).astype({c: "int64" for c in ("intensive", "care_home", "hospital")})


def _count(frame: pd.DataFrame, by: list[str], name: str) -> pd.DataFrame:
    if not by:
        return pd.DataFrame({name: [len(frame)]})
    return frame.groupby(by, observed=True).size().rename(name).reset_index()


def ni18(counts: pd.DataFrame) -> pd.Series:
    """NI18: the share of adults with intensive care needs who receive it at home."""
    total = counts["intensive"] + counts["care_home"] + counts["hospital"]
    return (counts["intensive"] / total).where(total > 0)


def balance_of_care(
    inpatient_stays: pd.DataFrame,
    care_homes: pd.DataFrame,
    home_care: pd.DataFrame,
    year_start,
    by=(),
    ages: int = 65,
) -> pd.DataFrame:
    """MSG 6 for one financial year (from `year_start`) and people aged `ages`+:
    hospital = inpatient bed days in the year / days in the year (the average number in
    hospital, PHS 6 - BoC: all inpatient stays, every admission type); care_home =
    residents at the year's last day; home_care = people with home care that day who are
    not care home residents. Columns *by, hospital, care_home, home_care (the population
    less all three is at home without home care)."""
    by = as_columns(by)
    start = pd.Timestamp(year_start)
    end = start + pd.DateOffset(years=1)  # exclusive
    census = end - pd.Timedelta(days=1)
    stays = inpatient_stays[inpatient_stays["age"] >= ages]
    admitted = pd.to_datetime(stays["admission_date"]).clip(lower=start)
    discharged = pd.to_datetime(stays["discharge_date"]).fillna(end).clip(upper=end)
    in_year = (discharged - admitted).dt.days.clip(lower=0)
    hospital = stays.assign(days=in_year)
    hospital = (
        hospital.groupby(by, observed=True)["days"].sum().rename("hospital").reset_index()
        if by else pd.DataFrame({"hospital": [hospital["days"].sum()]})
    )  # fmt: skip
    hospital["hospital"] = hospital["hospital"] / (end - start).days
    residents = care_homes[open_on(care_homes, "admission_date", "discharge_date", census)]
    residents = residents[residents["age"] >= ages].drop_duplicates("link_no")
    clients = intensive_home_care(home_care, census)
    clients = clients[(clients["age"] >= ages) & ~clients["link_no"].isin(residents["link_no"])]
    out = hospital
    for part in (_count(residents, by, "care_home"), _count(clients, by, "home_care")):
        out = out.merge(part, on=by, how="outer") if by else pd.concat([out, part], axis=1)
    return out.fillna(0)


# --- what the year's activity costs ----------------------------------------------------


def days_in_year(frame: pd.DataFrame, start: str, end: str, year_start) -> pd.Series:
    """Days of each row's stay or period that fall in the financial year from
    `year_start` (the first day counts, the last does not; open: to the year's end)."""
    first = pd.Timestamp(year_start)
    stop = first + pd.DateOffset(years=1)
    began = pd.to_datetime(frame[start]).clip(lower=first)
    ended = pd.to_datetime(frame[end]).fillna(stop).clip(upper=stop)
    return (ended - began).dt.days.clip(lower=0)


def costed_activity(sources: dict[str, pd.DataFrame], year_start, by=()) -> pd.DataFrame:
    """The year's activity that unit costs can price, by `by`: bed days of every inpatient
    stay (acute, long stay, mental health) and of the unscheduled ones (MSG2's admission
    types: 20-22 and 30-39 in acute, with 18 in long stay and mental health), A&E
    attendances, care home days and home care hours. `sources` holds the tables by
    contract name; a missing one counts nothing."""
    by = as_columns(by)
    parts = []

    def total(frame, values, name):
        frame = frame.assign(**{name: values})
        if by:
            return frame.groupby(by, observed=True)[name].sum()
        return pd.Series({(): frame[name].sum()}, name=name)

    first = pd.Timestamp(year_start)
    stop = first + pd.DateOffset(years=1)
    for name, kinds in (("acute_episodes", EMERGENCY), ("long_stay_episodes", UNSCHEDULED),
                        ("mental_health_episodes", UNSCHEDULED)):  # fmt: skip
        frame = sources.get(name)
        if frame is None or frame.empty:
            continue
        days = days_in_year(frame, "admission_date", "discharge_date", first)
        key = name.removesuffix("_episodes")
        parts.append(total(frame, days, f"{key}_bed_days"))
        parts.append(total(frame, days.where(frame["admission_type"].isin(kinds), 0),
                           f"{key}_unscheduled_bed_days"))  # fmt: skip
    ae = sources.get("ae_attendances")
    if ae is not None and not ae.empty:
        arrived = pd.to_datetime(ae["arrival_datetime"])
        parts.append(
            total(ae, ((arrived >= first) & (arrived < stop)).astype(int), "ae_attendances")
        )
    homes = sources.get("care_home_episodes")
    if homes is not None and not homes.empty:
        parts.append(total(homes, days_in_year(homes, "admission_date", "discharge_date", first),
                           "care_home_days"))  # fmt: skip
    care = sources.get("home_care")
    if care is not None and not care.empty:
        weeks = days_in_year(care, "start_date", "end_date", first) / 7
        parts.append(total(care, weeks * care["hours_per_week"], "home_care_hours"))
    if not parts:
        return pd.DataFrame(columns=[*by])
    out = pd.concat(parts, axis=1).fillna(0)
    return out.reset_index() if by else out.reset_index(drop=True)


#: The unit cost (params unit_costs) of each costed activity.
COSTED = {
    "acute_bed_days": "acute_bed_day",
    "long_stay_bed_days": "long_stay_bed_day",
    "mental_health_bed_days": "mental_health_bed_day",
    "ae_attendances": "ae_attendance",
    "care_home_days": "care_home_week",  # a day is a seventh of a week
    "home_care_hours": "care_at_home_hour",
}


def emergency_spend_share(activity: pd.DataFrame, unit_costs: dict) -> pd.Series:
    """The share of the costed spend that goes on unscheduled hospital stays: the bed
    days of unscheduled stays at their bed day cost over all the costed activity at its
    cost (the issue's reading of NI20, which PHS divides by the whole integrated budget)."""

    def cost(column: str) -> pd.Series:
        price = float(unit_costs[COSTED[column]])
        if column == "care_home_days":
            price /= 7
        return activity.get(column, 0) * price

    emergency = sum(
        activity.get(f"{k}_unscheduled_bed_days", 0) * float(unit_costs[f"{k}_bed_day"])
        for k in ("acute", "long_stay", "mental_health")
    )
    spend = sum(cost(column) for column in COSTED)
    return emergency / spend
