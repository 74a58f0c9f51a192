"""Emergency admissions and bed days, national indicators NI12, NI13 and NI16, and their drivers.

Built on continuous inpatient stays (stays.continuous_stays): an emergency
admission is a stay whose first episode has admission type 20-22 or 30-39,
counted once per stay; emergency bed days are split into months by midnights
(stays.bed_days_by_month). docs/methods.md has every rule in words with its
source, and where the workbooks differ from PHS's code.

National indicators (Core Suite of Integration Indicators), after PHS's code,
GitHub Public-Health-Scotland/national-indicators:
- NI12, emergency admission rate per 100,000 adults (18+): R/ni12_functions.R,
  R/prepare_slf_episode_file.R (calculate_ni12: admissions / over18_pop x 100,000).
- NI13, emergency bed day rate per 100,000 adults (18+): R/ni13_functions.R
  (calculate_monthly_beddays; beddays / over18_pop x 100,000).
- NI16, falls rate per 1,000 population aged 65+: SQL/ni16_smra.sql (SMR01
  inpatient records, age 65+, admission type 33-35) and R/ni16_functions.R
  (any diagnosis position starting W00-W19; counted by month of discharge;
  falls / over65_pop x 1,000).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hscp.measures._months import (
    MonthLike,
    as_columns,
    check_columns,
    days,
    month_start,
    monthly_totals,
    period_months,
    to_month_number,
)
from hscp.measures.ae import ae_waits
from hscp.measures.rates import OLDEST_AGE, population_total
from hscp.measures.standardise import crude_rate_ci
from hscp.measures.stays import admissions_by_month, bed_days_by_month, is_emergency

#: NI12 and NI13 count adults: age 18 and over at admission.
ADULT_AGE = 18
#: NI12/NI13 leave out the three dental hospitals (PHS: "dental hospitals which we don't include").
NI_EXCLUDED_LOCATIONS = frozenset({"T113H", "S206H", "G106H"})
#: NI16 counts people aged 65 and over.
FALLS_MIN_AGE = 65
#: NI16: SMR01 admission types 33 (home accident), 34 (other accident), 35 (other injury).
FALLS_ADMISSION_TYPES = frozenset({33, 34, 35})
#: NI16: ICD-10 external causes W00-W19 (falls), matched on the first three characters.
FALLS_CODES = frozenset(f"W{n:02d}" for n in range(20))
#: The diagnosis columns of an SMR01 episode.
DIAGNOSIS_COLUMNS = ("main_condition", *(f"other_condition_{i}" for i in range(1, 6)))

#: Length of stay bands (days = discharge - admission date; same day = 0).
LOS_BANDS = ("Same day", "1-2 days", "3-6 days", "7-13 days", "14-20 days", "21+ days")
_LOS_EDGES = (0, 1, 3, 7, 14, 21)
#: Broad age groups for describing who is admitted.
BROAD_AGE_GROUPS = ("0-17", "18-44", "45-64", "65-74", "75-84", "85+")
_AGE_EDGES = (0, 18, 45, 65, 75, 85)

# --- monthly series -------------------------------------------------------------------------


def rolling_total(
    monthly: pd.DataFrame,
    value: str | Sequence[str],
    by: str | Sequence[str] = (),
    months: int = 12,
) -> pd.DataFrame:
    """Adds `<value>_<months>m`: the total of the `months` months ending with each month.

    For each combination of `by`, in month order; missing for the first
    months - 1 months of a series, whose window is incomplete. The months of each
    series must be consecutive (the zero-filled tables of these measures are); a
    gap is an error rather than a wrong total.
    """
    values = as_columns(value)
    by = as_columns(by)
    check_columns(monthly, ["month", *values, *by], "rolling_total")
    if months < 1:
        raise ValueError(f"months must be 1 or more, not {months}")
    out = monthly.sort_values([*by, "month"], kind="stable").copy()
    month = to_month_number(days(out["month"]))
    if by:
        keys = out[by].astype(object).where(out[by].notna(), "\0missing")
        series = keys.ne(keys.shift()).any(axis=1).cumsum().to_numpy()
    else:
        series = np.zeros(len(out), dtype=int)
    same_series = np.r_[False, series[1:] == series[:-1]]
    gap = same_series & (np.r_[0, np.diff(month)] != 1)
    if gap.any():
        where = out.iloc[np.flatnonzero(gap)[0]]
        raise ValueError(
            f"rolling_total: the months are not consecutive (gap before {where['month']:%b %Y}"
            + (f" for {dict(where[by])}" if by else "")
            + "); zero-fill the table first"
        )
    # Position of each row in its series; the window total is a difference of running sums.
    starts = np.flatnonzero(~same_series)
    position = np.arange(len(out)) - np.repeat(starts, np.diff(np.r_[starts, len(out)]))
    for name in values:
        running = np.cumsum(out[name].to_numpy(dtype=float))
        before = np.zeros(len(out))
        earlier = position >= months
        before[earlier] = running[np.flatnonzero(earlier) - months]
        # the running sum of the rows before the series starts is not part of the window
        series_start = np.repeat(starts, np.diff(np.r_[starts, len(out)]))
        offset = np.where(series_start > 0, running[np.maximum(series_start - 1, 0)], 0.0)
        before[~earlier] = offset[~earlier]
        total = running - before
        rolled = pd.Series(np.where(position >= months - 1, total, np.nan), index=out.index)
        if pd.api.types.is_integer_dtype(out[name]):
            rolled = rolled.round().astype("Int64")  # whole counts stay whole (missing: <NA>)
        out[f"{name}_{months}m"] = rolled
    return out.sort_values(["month", *by], kind="stable", ignore_index=True)


def emergency_monthly(
    stays: pd.DataFrame, start: MonthLike, end: MonthLike, by: str | Sequence[str] = ()
) -> pd.DataFrame:
    """Emergency admissions, discharges and bed days per month, with rolling 12-month totals.

    Columns: month, *by, admissions (emergency stays by month of admission),
    discharges (emergency stays by month of discharge; open stays are not yet
    discharged), bed_days (midnights in hospital of emergency stays, split by
    month, open stays counted to the period end), and admissions_12m,
    discharges_12m, bed_days_12m (the 12 months ending with the month; missing
    for the first 11 months of the period). `stays` are continuous stays
    (continuous_stays); emergency = first episode's admission type 20-22, 30-39.
    """
    by = as_columns(by)
    check_columns(stays, ["admission_type", *by], "emergency_monthly")
    emergency = stays[is_emergency(stays["admission_type"]).to_numpy(dtype=bool)]
    admitted = admissions_by_month(emergency, start, end, by)
    discharged = admissions_by_month(
        emergency, start, end, by, date="discharge_date", name="discharges"
    )
    bed_days = bed_days_by_month(emergency, start, end, by)
    out = _combine([admitted, discharged, bed_days], by)
    return rolling_total(out, ["admissions", "discharges", "bed_days"], by)


def _combine(tables: list[pd.DataFrame], by: list[str]) -> pd.DataFrame:
    """Join monthly tables on month and `by` (all zero-filled over the same grid)."""
    out = tables[0]
    for table in tables[1:]:
        out = out.merge(table, on=["month", *by], how="outer")
    counts = [c for c in out.columns if c not in ("month", *by)]
    out[counts] = out[counts].fillna(0).astype(np.int64)
    return out.sort_values(["month", *by], kind="stable", ignore_index=True)


def adult_emergency_monthly(
    stays: pd.DataFrame,
    start: MonthLike,
    end: MonthLike,
    by: str | Sequence[str] = (),
    *,
    min_age: int = ADULT_AGE,
) -> pd.DataFrame:
    """The numerators of NI12 and NI13: emergency admissions and bed days of adults, by month.

    emergency_monthly over the stays of people aged `min_age` (18) or over at
    admission (a missing age is left out), leaving out stays that start in one
    of the three dental hospitals (NI_EXCLUDED_LOCATIONS; when `stays` has a
    `location`, the first episode's). NI12 = admissions over 12 months per
    100,000 adults; NI13 = bed days over 12 months per 100,000 adults
    (rate_12_months with min_age=18, per=100_000).
    Source: Public-Health-Scotland/national-indicators R/ni12_functions.R,
    R/ni13_functions.R, R/prepare_slf_episode_file.R (age >= 18; locations
    T113H, S206H, G106H left out).
    """
    check_columns(stays, ["age"], "adult_emergency_monthly")
    keep = pd.to_numeric(stays["age"]).ge(min_age).fillna(False).to_numpy(bool, copy=True)
    if "location" in stays.columns:
        keep &= ~stays["location"].isin(NI_EXCLUDED_LOCATIONS).fillna(False).to_numpy(bool)
    return emergency_monthly(stays[keep], start, end, by)


def ae_monthly_summary(
    ae: pd.DataFrame, start: MonthLike, end: MonthLike, by: str | Sequence[str] = ()
) -> pd.DataFrame:
    """A&E attendances by month of arrival, with how many met the 4-hour standard, were
    admitted, and arrived by ambulance.

    Columns: month, *by, attendances (new and unplanned return, as PHS counts),
    within_4_hours (left within 240 minutes of arrival), admitted (discharge
    destination "Admitted"), ambulance (arrival mode "Ambulance"). Months from
    `start` to `end`, zero-filled for every combination of `by` present. The
    rules are ae.ae_waits' (PHS A&E activity and waiting times).
    """
    by = as_columns(by)
    check_columns(ae, ["arrival_mode", *by], "ae_monthly_summary")
    waits = ae_waits(ae)
    months = period_months(start, end)
    arrived = days(waits["arrival_datetime"])
    known = ~np.isnat(arrived)
    month = to_month_number(np.where(known, arrived, np.datetime64("1970-01-01")))
    counted = waits["counted"].to_numpy(dtype=bool)
    row = np.flatnonzero(known & counted & (month >= months[0]) & (month <= months[-1]))
    values = {
        "attendances": np.ones(len(row), dtype=np.int64),
        "within_4_hours": waits["within_4_hours"].to_numpy(dtype=np.int64)[row],
        "admitted": waits["admitted"].to_numpy(dtype=np.int64)[row],
        "ambulance": waits["arrival_mode"]
        .eq("Ambulance")
        .fillna(False)
        .to_numpy(dtype=np.int64)[row],
    }
    return monthly_totals(waits, row, month[row], values, months, by)


def ae_breakdown(ae: pd.DataFrame, column: str) -> pd.DataFrame:
    """A&E attendances by a column of the extract (e.g. arrival_mode, discharge_destination).

    Columns: column, attendances (new and unplanned return), share (of all
    attendances, 0 to 1), admitted, admitted_share (of the row's attendances),
    within_4_hours, percent_within_4_hours. Over the whole of `ae` (select the
    period first); every value present is listed, largest first.
    """
    check_columns(ae, [column], "ae_breakdown")
    waits = ae_waits(ae)
    counted = waits[waits["counted"].to_numpy(dtype=bool)]
    out = (
        counted.groupby(column, observed=True, dropna=False)
        .agg(
            attendances=("counted", "size"),
            admitted=("admitted", "sum"),
            within_4_hours=("within_4_hours", "sum"),
        )
        .reset_index()
    )
    for name in ("attendances", "admitted", "within_4_hours"):
        out[name] = out[name].astype(np.int64)
    total = out["attendances"].sum()
    out.insert(2, "share", out["attendances"] / total if total else np.nan)
    positive = out["attendances"].where(out["attendances"] > 0)
    out.insert(4, "admitted_share", out["admitted"] / positive)
    out["percent_within_4_hours"] = out["within_4_hours"] / positive * 100
    return out.sort_values("attendances", ascending=False, kind="stable", ignore_index=True)


# --- falls (NI16) ---------------------------------------------------------------------------


def _first_three(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.replace(".", "", regex=False).str.strip().str.upper()
    return text.str.slice(0, 3)


def falls_episodes(episodes: pd.DataFrame) -> pd.DataFrame:
    """The SMR01 episodes that count in NI16 (emergency admissions of people 65+ after a fall).

    An episode counts when the person is aged 65 or over, its admission type is
    33, 34 or 35 (home accident, other accident, other injury), any of its six
    diagnosis positions (main condition, other conditions 1-5) starts with
    W00-W19 (ICD-10 falls), and it has a discharge date. Adds `month`, the month
    of the discharge date, in which PHS counts it. Each episode counts once
    however many fall codes it has.
    Source: Public-Health-Scotland/national-indicators SQL/ni16_smra.sql and
    R/ni16_functions.R (process_ni16_smra_extract, aggregate_to_date_level).
    """
    check_columns(
        episodes, ["age", "admission_type", "discharge_date", *DIAGNOSIS_COLUMNS], "falls_episodes"
    )
    keep = pd.to_numeric(episodes["age"]).ge(FALLS_MIN_AGE).fillna(False).to_numpy(bool, copy=True)
    keep &= episodes["admission_type"].isin(FALLS_ADMISSION_TYPES).fillna(False).to_numpy(bool)
    keep &= episodes["discharge_date"].notna().to_numpy(dtype=bool)
    candidates = episodes[keep]
    fall = np.zeros(len(candidates), dtype=bool)
    for column in DIAGNOSIS_COLUMNS:
        fall |= _first_three(candidates[column]).isin(FALLS_CODES).fillna(False).to_numpy(bool)
    out = candidates[fall].copy()
    discharged = to_month_number(days(out["discharge_date"]))
    out["month"] = pd.to_datetime(discharged.astype("datetime64[M]"))
    return out


def falls_monthly(
    episodes: pd.DataFrame, start: MonthLike, end: MonthLike, by: str | Sequence[str] = ()
) -> pd.DataFrame:
    """NI16's numerator by month of discharge: columns month, *by, falls, falls_12m.

    falls = episodes counted by falls_episodes, in the month of their discharge
    date; falls_12m = the 12 months ending with the month (missing for the first
    11 months). NI16 = falls over 12 months per 1,000 people aged 65+
    (rate_12_months with min_age=65, per=1000). Months from `start` to `end`,
    zero-filled for every combination of `by` in the episodes.
    """
    by = as_columns(by)
    check_columns(episodes, by, "falls_monthly")
    falls = falls_episodes(episodes)
    months = period_months(start, end)
    month = to_month_number(days(falls["month"]))
    row = np.flatnonzero((month >= months[0]) & (month <= months[-1]))
    frame = pd.concat([falls[by], episodes[by].drop_duplicates()], ignore_index=True)
    counts = {"falls": np.ones(len(row), dtype=np.int64)}
    out = monthly_totals(frame, row, month[row], counts, months, by)
    return rolling_total(out, "falls", by)


# --- rates over 12 months -------------------------------------------------------------------


def population_year(end: MonthLike, available: Sequence[int]) -> int:
    """The mid-year population estimate for the 12 months ending with `end`'s month.

    The year of the window's midpoint (the first day of its seventh month): the
    calendar year for January-December, the first year for April-March (as PHS
    uses the mid-year estimate of the year a financial year starts). If that
    year is not in the table (estimates are published later), the latest
    earlier year; failing that, the earliest year.
    """
    years = sorted(int(y) for y in available)
    if not years:
        raise ValueError("the population table is empty")
    midpoint = month_start(end) - pd.DateOffset(months=5)
    usable = [y for y in years if y <= midpoint.year]
    return usable[-1] if usable else years[0]


def rate_12_months(
    monthly: pd.DataFrame,
    value: str,
    population: pd.DataFrame,
    end: MonthLike,
    *,
    min_age: int = 0,
    max_age: int | None = None,
    per: float = 1000,
    by: str | Sequence[str] = (),
    confidence: float = 0.95,
) -> pd.DataFrame:
    """A crude rate over the 12 months ending `end`, with Byar's confidence interval.

    Sums `value` of the monthly table over the 12 months ending with `end`'s
    month and divides by the population aged min_age to max_age (population_total;
    the estimate for population_year(end)). Columns: *by, value (its name),
    population, population_year, rate, lower, upper (per `per`; ScotPHO's crude
    rate and interval, standardise.crude_rate_ci). `by` columns must be in both
    tables (e.g. "locality"); pass only the rows of the area (partnership or
    locality) wanted. An incomplete window (fewer than 12 months in the table)
    is an error.
    """
    by = as_columns(by)
    check_columns(monthly, ["month", value, *by], "rate_12_months")
    last = month_start(end)
    window = pd.date_range(end=last, periods=12, freq="MS")
    have = set(pd.to_datetime(monthly["month"]))
    missing = [m for m in window if m not in have]
    if missing:
        raise ValueError(
            f"rate_12_months: the table does not cover the 12 months {window[0]:%b %Y} to "
            f"{window[-1]:%b %Y} (no {missing[0]:%b %Y})"
        )
    in_window = monthly[pd.to_datetime(monthly["month"]).isin(window)]
    if by:
        totals = in_window.groupby(by, dropna=False, observed=True)[value].sum().reset_index()
    else:
        totals = pd.DataFrame({value: [in_window[value].sum()]})
    year = population_year(end, population["year"].dropna().unique())
    if max_age is not None and max_age >= OLDEST_AGE:
        max_age = None
    people = population_total(population, year, min_age=min_age, max_age=max_age, by=by)
    people = people.drop(columns="year")
    out = totals.merge(people, on=by, how="left") if by else totals.assign(**people.iloc[0])
    out["population_year"] = year
    interval = crude_rate_ci(out[value], out["population"], per=per, confidence=confidence)
    return pd.concat([out.reset_index(drop=True), interval.reset_index(drop=True)], axis=1)


# --- who and what: the drivers of emergency bed days -----------------------------------------


def _band(values: np.ndarray, edges: Sequence[int], labels: Sequence[str]) -> pd.Categorical:
    codes = np.searchsorted(np.asarray(edges), values, side="right") - 1
    codes = np.where(np.isnan(values) | (values < edges[0]), -1, codes)
    return pd.Categorical.from_codes(codes.astype(int), categories=list(labels), ordered=True)


def length_of_stay_band(length_of_stay) -> pd.Series:
    """LOS_BANDS of each length of stay in days: Same day (0), 1-2, 3-6, 7-13, 14-20, 21+ days."""
    values = pd.to_numeric(pd.Series(length_of_stay)).to_numpy(dtype=float, na_value=np.nan)
    index = length_of_stay.index if isinstance(length_of_stay, pd.Series) else None
    return pd.Series(_band(values, _LOS_EDGES, LOS_BANDS), index=index, name="los_band")


def age_group(age) -> pd.Series:
    """BROAD_AGE_GROUPS of each age in years: 0-17, 18-44, 45-64, 65-74, 75-84, 85+."""
    values = pd.to_numeric(pd.Series(age)).to_numpy(dtype=float, na_value=np.nan)
    index = age.index if isinstance(age, pd.Series) else None
    return pd.Series(_band(values, _AGE_EDGES, BROAD_AGE_GROUPS), index=index, name="age_group")


def describe_stays(stays: pd.DataFrame, end: MonthLike) -> pd.DataFrame:
    """The stays with the groups used to say what drives bed days added.

    age_group (BROAD_AGE_GROUPS, from age at admission); condition_group (the
    clinical condition groups of diagnoses.condition_group: falls and fractures,
    stroke, cardiac, dementia and delirium, respiratory, infections,
    frailty-related, other); icd10_chapter (the ICD-10 chapter of the first
    episode's main condition, diagnoses.icd10_chapter); los_band (LOS_BANDS of
    the length of stay; a stay still open counts its days to the last day of
    `end`'s month, so far).
    """
    from hscp.measures.diagnoses import condition_group, icd10_chapter

    check_columns(
        stays, ["admission_date", "length_of_stay", "age", "main_condition"], "describe_stays"
    )
    out = stays.copy()
    period_end = month_start(end) + pd.offsets.MonthEnd(0)
    so_far = (period_end - pd.to_datetime(out["admission_date"])).dt.days
    los = pd.to_numeric(out["length_of_stay"]).astype("Float64").fillna(so_far.astype("Float64"))
    # .array keeps the ordered categories (bands in their order, not alphabetical)
    out["los_band"] = length_of_stay_band(los.astype(float)).array
    out["age_group"] = age_group(out["age"]).array
    out["condition_group"] = condition_group(out).array
    out["icd10_chapter"] = icd10_chapter(out["main_condition"]).array
    return out


def bed_day_drivers(
    stays: pd.DataFrame, start: MonthLike, end: MonthLike, by: str | Sequence[str]
) -> pd.DataFrame:
    """Emergency admissions and bed days of the period by a grouping, with their shares.

    Columns: *by, admissions (emergency stays admitted in the period), bed_days
    (emergency bed days in the period, split by midnights: a stay admitted
    before the period counts only its midnights inside it), admissions_share,
    bed_days_share (of the period's totals, 0 to 1).
    Use describe_stays first for by="age_group", "condition_group", "icd10_chapter"
    or "los_band".
    """
    by = as_columns(by)
    if not by:
        raise ValueError("bed_day_drivers: name a column to group by (e.g. 'los_band')")
    monthly = emergency_monthly(stays, start, end, by)
    totals = monthly.groupby(by, dropna=False, observed=True)[["admissions", "bed_days"]].sum()
    totals = totals.reset_index()
    for name in ("admissions", "bed_days"):
        whole = totals[name].sum()
        totals[f"{name}_share"] = totals[name] / whole if whole else np.nan
    return totals
