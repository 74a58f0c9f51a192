"""Repeat attenders at A&E: people by their number of attendances in 12 months.

The rules (docs/methods.md, "Repeat attenders"):
- Attendances are those PHS counts: new and unplanned return attendances
  (ae.COUNTED_CATEGORIES); planned returns are booked follow-ups, not repeat
  attendance. A person is `link_no`.
- A person's attendances are counted over a window of 12 calendar months (by
  arrival date) and banded 1, 2-4, 5-9, 10+ (ATTENDANCE_BANDS). A frequent
  attender has `threshold` or more attendances in the window (default 5, a
  parameter: the NHS England / Scottish frequent attender work uses 5+ a year
  as "frequent"; 10+ is the top band here).
- An admission that follows an attendance: the attendance's discharge
  destination is "Admitted".
- A person is placed in the partnership and locality, and has the age and sex,
  of their latest attendance in the window, so each person counts once.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hscp.measures._months import (
    MonthLike,
    as_columns,
    check_columns,
    month_number,
    month_start,
    month_timestamps,
    to_month_number,
)
from hscp.measures.ae import COUNTED_CATEGORIES

#: Attendances per person in 12 months.
ATTENDANCE_BANDS = ("1", "2-4", "5-9", "10+")
_BAND_EDGES = (1, 2, 5, 10)
#: A frequent attender has this many attendances or more in 12 months (a parameter).
FREQUENT_THRESHOLD = 5
#: The groups of frequent_profile.
FREQUENT, OTHER = "Frequent attenders", "Other attenders"
#: frequent_persistence's outcomes for last window's frequent attenders.
PERSISTENCE_OUTCOMES = ("Frequent again", "Attended less often", "Did not attend")

_REQUIRED = ("link_no", "arrival_datetime", "attendance_category", "discharge_destination")


def attendance_band(attendances) -> pd.Series:
    """ATTENDANCE_BANDS of each number of attendances: 1, 2-4, 5-9, 10+ (0 or missing: missing)."""
    values = pd.to_numeric(pd.Series(attendances)).to_numpy(dtype=float, na_value=np.nan)
    codes = np.searchsorted(np.asarray(_BAND_EDGES), values, side="right") - 1
    codes = np.where(np.isnan(values) | (values < 1), -1, codes).astype(int)
    index = attendances.index if isinstance(attendances, pd.Series) else None
    bands = pd.Categorical.from_codes(codes, categories=list(ATTENDANCE_BANDS), ordered=True)
    return pd.Series(bands, index=index, name="band")


def _check_threshold(threshold: int) -> None:
    if isinstance(threshold, bool) or not isinstance(threshold, int | np.integer) or threshold < 2:
        raise ValueError(
            f"the frequent attender threshold must be a whole number of 2 or more, not {threshold!r}"
        )


def counted_attendances(
    ae: pd.DataFrame,
    start: MonthLike,
    end: MonthLike,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The attendances counted for repeat attendance: new or unplanned return, arriving
    from the first day of `start`'s month to the last day of `end`'s month, ordered by
    person and arrival, with `admitted` (discharge destination "Admitted") and `month`.

    `columns`: the other columns of `ae` to keep (default: all). Keeping only those
    needed makes this much faster on millions of attendances.
    """
    check_columns(ae, _REQUIRED, "repeat attenders")
    first, last = month_number(start), month_number(end)
    if last < first:
        raise ValueError(f"the window ends ({month_start(end):%b %Y}) before it starts")
    arrived = pd.to_datetime(ae["arrival_datetime"])
    month = to_month_number(arrived.to_numpy(dtype="datetime64[D]"))
    keep = (
        ae["attendance_category"].isin(COUNTED_CATEGORIES).fillna(False).to_numpy(bool, copy=True)
    )
    keep &= arrived.notna().to_numpy() & (month >= first) & (month <= last)
    rows = np.flatnonzero(keep)
    # order by person, then arrival (numpy: far faster than a DataFrame sort on many rows)
    person = ae["link_no"].to_numpy()[rows]
    arrival = arrived.to_numpy(dtype="datetime64[ns]")[rows].astype(np.int64)
    rows = rows[np.lexsort((arrival, person))]
    if columns is None:
        wanted = list(ae.columns)
    else:
        check_columns(ae, columns, "repeat attenders")
        extra = [c for c in columns if c not in _REQUIRED]
        wanted = [*_REQUIRED, *dict.fromkeys(extra)]
    out = ae[wanted].iloc[rows].reset_index(drop=True)
    out["admitted"] = out["discharge_destination"].eq("Admitted").fillna(False).astype(bool)
    out["month"] = month_timestamps(month[rows]).to_numpy()
    return out


def attendances_per_person(
    ae: pd.DataFrame, start: MonthLike, end: MonthLike, *, threshold: int = FREQUENT_THRESHOLD
) -> pd.DataFrame:
    """One row per person who attended in the window (start to end months, inclusive).

    Columns: link_no, attendances, admissions (attendances followed by an
    admission), first_arrival, last_arrival, band (ATTENDANCE_BANDS), frequent
    (attendances >= threshold), and the person's age, sex, hscp2019, locality at
    their latest attendance (those present in `ae`). Pass a 12-month window for
    the bands to mean "in 12 months".
    """
    _check_threshold(threshold)
    carried = [c for c in ("age", "sex", "hscp2019", "locality") if c in ae.columns]
    counted = counted_attendances(ae, start, end, carried)
    grouped = counted.groupby("link_no", sort=True)
    out = pd.DataFrame(
        {
            "attendances": grouped.size(),
            "admissions": grouped["admitted"].sum().astype(np.int64),
            "first_arrival": grouped["arrival_datetime"].min(),
            "last_arrival": grouped["arrival_datetime"].max(),
        }
    )
    if carried:
        out = out.join(grouped[carried].last())
    out = out.reset_index()
    out["band"] = attendance_band(out["attendances"]).to_numpy()
    out["frequent"] = out["attendances"].ge(threshold).to_numpy()
    return out


def attender_bands(per_person: pd.DataFrame, by: str | Sequence[str] = ()) -> pd.DataFrame:
    """People, attendances and admissions by attendance band, with their shares.

    From attendances_per_person. Columns: *by, band, people, attendances,
    admissions, people_share, attendances_share, admissions_share (each band's
    share of its group's total, 0 to 1). Every band is listed for every group.
    """
    by = as_columns(by)
    check_columns(per_person, ["band", "attendances", "admissions", *by], "attender_bands")
    grid = pd.DataFrame({"band": pd.Categorical(ATTENDANCE_BANDS, ordered=True)})
    if by:
        grid = per_person[by].drop_duplicates().merge(grid, how="cross")
    sums = (
        per_person.assign(people=1)
        .groupby([*by, "band"], observed=True, dropna=False)[
            ["people", "attendances", "admissions"]
        ]
        .sum()
        .reset_index()
    )
    sums["band"] = sums["band"].astype(str)
    grid["band"] = grid["band"].astype(str)
    out = grid.merge(sums, on=[*by, "band"], how="left")
    for name in ("people", "attendances", "admissions"):
        out[name] = out[name].fillna(0).astype(np.int64)
        whole = out.groupby(by, dropna=False)[name].transform("sum") if by else out[name].sum()
        out[f"{name}_share"] = out[name] / (whole.where(whole > 0) if by else (whole or np.nan))
    out["band"] = pd.Categorical(out["band"], categories=list(ATTENDANCE_BANDS), ordered=True)
    return out.sort_values([*by, "band"], kind="stable", ignore_index=True)


def frequent_profile(
    ae: pd.DataFrame,
    start: MonthLike,
    end: MonthLike,
    column: str,
    *,
    threshold: int = FREQUENT_THRESHOLD,
    top: int | None = None,
) -> pd.DataFrame:
    """Attendances of frequent and other attenders by `column` (e.g. an age group or a
    diagnosis group of the attendance), for the window start to end.

    Columns: column, group (FREQUENT or OTHER), attendances, share (of the group's
    attendances, 0 to 1). Each attendance is described by its own value of
    `column`; a frequent attender's attendances are all in FREQUENT. With `top`,
    only the `top` values with the most attendances of frequent attenders are
    listed (ties: most attendances overall) and the rest are added up as "Other",
    listed last; values are then in that order.
    """
    _check_threshold(threshold)
    check_columns(ae, [column], "frequent_profile")
    counted = counted_attendances(ae, start, end, [column])
    if top is not None:
        counted = _keep_top(counted, column, threshold, top)
    per_person = counted.groupby("link_no")["link_no"].transform("size")
    group = np.where(per_person.to_numpy() >= threshold, FREQUENT, OTHER)
    table = (
        pd.DataFrame({column: counted[column].to_numpy(), "group": group})
        .groupby([column, "group"], observed=True, dropna=False)
        .size()
        .rename("attendances")
        .reset_index()
    )
    levels = pd.DataFrame({"group": [FREQUENT, OTHER]})
    values = counted[[column]].drop_duplicates()
    if isinstance(counted[column].dtype, pd.CategoricalDtype):
        values = pd.DataFrame({column: counted[column].cat.categories})
        values[column] = values[column].astype(counted[column].dtype)
    grid = values.merge(levels, how="cross")
    out = grid.merge(table, on=[column, "group"], how="left")
    out["attendances"] = out["attendances"].fillna(0).astype(np.int64)
    whole = out.groupby("group")["attendances"].transform("sum")
    out["share"] = out["attendances"] / whole.where(whole > 0)
    if isinstance(counted[column].dtype, pd.CategoricalDtype):
        out[column] = out[column].astype(counted[column].dtype)  # sort in the categories' order
    return out.sort_values([column, "group"], kind="stable", ignore_index=True)


def _windows(ae: pd.DataFrame, start: MonthLike, end: MonthLike, months: int, by: list[str]):
    """For each rolling window: (window end month number, group code of each person who
    attended, their attendances, their admissions) and the groups' `by` values.

    People are placed in the group of their latest attendance in the window.
    """
    first, last = month_number(start), month_number(end)
    if last - first + 1 < months:
        raise ValueError(
            f"repeat attenders: {month_start(start):%b %Y} to {month_start(end):%b %Y} "
            f"is shorter than one {months}-month window"
        )
    check_columns(ae, by, "repeat attenders")
    counted = counted_attendances(ae, start, end, by)
    person = pd.factorize(counted["link_no"])[0]
    month = to_month_number(counted["month"].to_numpy(dtype="datetime64[D]"))
    admitted = counted["admitted"].to_numpy(dtype=float)
    if by:
        group, levels = _group_codes(counted, by)
    else:
        group, levels = np.zeros(len(counted), dtype=np.int64), pd.DataFrame(index=[0])
    n_people = int(person.max()) + 1 if len(person) else 0

    def windows():
        for window_end in range(first + months - 1, last + 1):
            inside = np.flatnonzero((month > window_end - months) & (month <= window_end))
            who = person[inside]
            counts = np.bincount(who, minlength=n_people)
            admissions = np.bincount(who, weights=admitted[inside], minlength=n_people)
            # rows are ordered by person then arrival: a person's last row in the window
            is_last = np.r_[who[1:] != who[:-1], True] if len(who) else np.zeros(0, dtype=bool)
            latest = inside[is_last]
            p = person[latest]
            yield window_end, group[latest], counts[p], admissions[p]

    return windows(), levels


def _assemble(
    rows: list[pd.DataFrame], levels: pd.DataFrame, by: list[str], keys=()
) -> pd.DataFrame:
    out = pd.concat(rows, ignore_index=True)
    counts = [c for c in out.columns if c not in ("month", "_group", *keys)]
    out[counts] = out[counts].round().astype(np.int64)
    out["month"] = month_timestamps(out["month"].to_numpy()).to_numpy()
    out = pd.concat(
        [
            out[["month"]],
            levels.iloc[out["_group"]].reset_index(drop=True),
            out[list(keys)],
            out[counts],
        ],
        axis=1,
    )
    return out.sort_values(["month", *by, *keys], kind="stable", ignore_index=True)


OTHER_VALUES = "Other"


def _keep_top(counted: pd.DataFrame, column: str, threshold: int, top: int) -> pd.DataFrame:
    """`column` as an ordered categorical of its `top` values (by frequent attenders'
    attendances, then all attendances) and OTHER_VALUES for the rest."""
    values = counted[column].astype(object).where(counted[column].notna(), "Not known")
    frequent = counted.groupby("link_no")["link_no"].transform("size").to_numpy() >= threshold
    ranking = pd.DataFrame({"value": values, "frequent": frequent.astype(int), "all": 1})
    ranking = ranking.groupby("value").sum().sort_values(["frequent", "all"], ascending=False)
    kept = list(ranking.index[:top])
    rest = ~values.isin(kept)
    categories = kept + ([OTHER_VALUES] if rest.any() else [])
    out = counted.copy()
    out[column] = pd.Categorical(values.where(~rest, OTHER_VALUES), categories=categories)
    return out


def repeat_attenders_over_time(
    ae: pd.DataFrame,
    start: MonthLike,
    end: MonthLike,
    *,
    months: int = 12,
    threshold: int = FREQUENT_THRESHOLD,
    by: str | Sequence[str] = (),
) -> pd.DataFrame:
    """Frequent attenders in each rolling window of `months` months, ending each month.

    Windows end in every month from `start` + months - 1 to `end` (the first
    window starts with `start`'s month). For each window, with people placed by
    their latest attendance in it (`by`, e.g. "locality"): month (the window's
    last month), *by, people, frequent_people (threshold or more attendances),
    attendances, frequent_attendances, admissions (attendances followed by an
    admission), frequent_admissions.
    """
    _check_threshold(threshold)
    by = as_columns(by)
    windows, levels = _windows(ae, start, end, months, by)
    n_groups = len(levels)
    rows = []
    for window_end, g, counts, admissions in windows:
        frequent = counts >= threshold
        rows.append(
            pd.DataFrame(
                {
                    "month": window_end,
                    "_group": np.arange(n_groups),
                    "people": np.bincount(g, minlength=n_groups),
                    "frequent_people": np.bincount(g, weights=frequent, minlength=n_groups),
                    "attendances": np.bincount(g, weights=counts, minlength=n_groups),
                    "frequent_attendances": np.bincount(
                        g, weights=counts * frequent, minlength=n_groups
                    ),
                    "admissions": np.bincount(g, weights=admissions, minlength=n_groups),
                    "frequent_admissions": np.bincount(
                        g, weights=admissions * frequent, minlength=n_groups
                    ),
                }
            )
        )
    return _assemble(rows, levels, by)


def attender_bands_over_time(
    ae: pd.DataFrame,
    start: MonthLike,
    end: MonthLike,
    *,
    months: int = 12,
    by: str | Sequence[str] = (),
) -> pd.DataFrame:
    """People, attendances and admissions by attendance band in each rolling window.

    As repeat_attenders_over_time, but by band (ATTENDANCE_BANDS) rather than
    frequent or not: columns month (the window's last month), *by, band, people,
    attendances, admissions; every band listed. Frequent attenders at a threshold
    of 5 are the bands 5-9 and 10+ (at 10, the band 10+): an aggregate from which
    comparators for either threshold can be made.
    """
    by = as_columns(by)
    windows, levels = _windows(ae, start, end, months, by)
    n_groups, n_bands = len(levels), len(ATTENDANCE_BANDS)
    rows = []
    for window_end, g, counts, admissions in windows:
        band = np.searchsorted(np.asarray(_BAND_EDGES), counts, side="right") - 1
        cell = g * n_bands + band
        size = n_groups * n_bands
        rows.append(
            pd.DataFrame(
                {
                    "month": window_end,
                    "_group": np.repeat(np.arange(n_groups), n_bands),
                    "band": np.tile(np.array(ATTENDANCE_BANDS, dtype=object), n_groups),
                    "people": np.bincount(cell, minlength=size),
                    "attendances": np.bincount(cell, weights=counts, minlength=size),
                    "admissions": np.bincount(cell, weights=admissions, minlength=size),
                }
            )
        )
    out = _assemble(rows, levels, by, keys=("band",))
    out["band"] = pd.Categorical(out["band"], categories=list(ATTENDANCE_BANDS), ordered=True)
    return out.sort_values(["month", *by, "band"], kind="stable", ignore_index=True)


def _group_codes(frame: pd.DataFrame, by: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """A code per row for the combination of `by` values, and the combinations (missing kept).

    Each column is factorised on its own and the codes combined arithmetically: much
    faster than building a MultiIndex of millions of rows.
    """
    codes = np.zeros(len(frame), dtype=np.int64)
    for column in by:
        column_codes, column_uniques = pd.factorize(frame[column], use_na_sentinel=False)
        codes = codes * len(column_uniques) + column_codes
    combined, first_rows = np.unique(codes, return_index=True)
    group = np.searchsorted(combined, codes)
    levels = frame[by].iloc[first_rows].reset_index(drop=True)
    return group.astype(np.int64), levels


def frequent_persistence(
    ae: pd.DataFrame, end: MonthLike, *, months: int = 12, threshold: int = FREQUENT_THRESHOLD
) -> pd.DataFrame:
    """What became of the frequent attenders of the previous window in the latest one.

    The latest window is the `months` months ending with `end`'s month; the
    previous one the `months` months before it. Of the people who were frequent
    attenders (threshold or more attendances) in the previous window: how many
    were frequent again, attended less often (1 to threshold - 1 attendances), or
    did not attend in the latest window. Columns: outcome (PERSISTENCE_OUTCOMES),
    people, share (0 to 1). Frequent attendance is often short-lived (regression
    to the mean): this says how much of the group persists.
    """
    _check_threshold(threshold)
    last = month_start(end)
    latest_start = last - pd.DateOffset(months=months - 1)
    previous_end = latest_start - pd.DateOffset(months=1)
    previous_start = previous_end - pd.DateOffset(months=months - 1)
    before = attendances_per_person(ae, previous_start, previous_end, threshold=threshold)
    now = attendances_per_person(ae, latest_start, last, threshold=threshold)
    cohort = before.loc[before["frequent"], ["link_no"]]
    later = cohort.merge(now[["link_no", "attendances"]], on="link_no", how="left")
    n = later["attendances"].fillna(0).to_numpy()
    outcome = np.where(n >= threshold, 0, np.where(n >= 1, 1, 2))
    people = np.bincount(outcome, minlength=3)
    total = people.sum()
    return pd.DataFrame(
        {
            "outcome": list(PERSISTENCE_OUTCOMES),
            "people": people.astype(np.int64),
            "share": people / total if total else np.nan,
        }
    )
