"""PHS open data: delayed discharge bed days and census, by council area or board."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from hscp import geography
from hscp.extracts import Problem
from hscp.opendata._common import OpenDataError, _examples

# =============================================================================================
# Delayed discharges: bed days by council area (or health board), age group and reason group
# =============================================================================================
#
# Source: Public Health Scotland, "Delayed Discharges in NHSScotland" open data
# (opendata.nhs.scot, dataset delayed-discharges-in-nhsscotland: "Delayed discharge
# bed days by council area" and "... by health board"), made by
# Public-Health-Scotland/delayed-discharges-monthly, code/open-data/02_bed-days-ca.R.
# Columns MonthOfDelay (YYYYMM), CA (S12 council area, S92000003 Scotland; empty
# for delays whose council area was not recorded, which count in Scotland's total)
# or HBT (health board), AgeGroup (18plus, 18-74, 75plus), ReasonForDelay (All Delay
# Reasons and its four groups), NumberOfDelayedBedDays, AverageDailyNumberOfDelayedBeds
# (bed days / days in the month, rounded half up), and qualifier columns (..QF), which
# the reader ignores. Code 100 delays are not in open data.

#: Published age groups (18plus is the total of 18-74 and 75plus).
OPEN_DATA_AGE_GROUPS = ("18plus", "18-74", "75plus")
#: The project's labels for them (measures.ALL_AGES, measures.AGE_GROUPS), for display.
AGE_GROUP_LABELS = {"18plus": "18+", "18-74": "18-74", "75plus": "75+"}
#: Published reason groups: the total first, then its four parts.
OPEN_DATA_REASONS = (
    "All Delay Reasons",
    "Health and Social Care Reasons",
    "Patient and Family Related Reasons",
    "Code 9 AWI",
    "Code 9 Non-AWI",
)
#: One code 9 group, as PHS's own open data scripts wrote it up to 2021
#: (delayed-discharges-monthly code/open-data/02_bed-days-ca.R, 03_census-hb.R,
#: 04_census-ca.R: reason_group_1 "Code 9" -> "Code 9 Reasons"), before the split
#: into AWI and non-AWI.
CODE_9_REASONS = "Code 9 Reasons"
#: Every reason group label PHS has published, in report order: a file has either
#: "Code 9 Reasons" or its two parts.
OPEN_DATA_REASON_LABELS = (*OPEN_DATA_REASONS[:3], CODE_9_REASONS, *OPEN_DATA_REASONS[3:])
#: The delay type of each published group: standard (health and social care, patient
#: and family) or code 9 (PHS's "Standard" in code/04_create-excel-data.R).
DELAY_TYPE_OF = {
    "Health and Social Care Reasons": "Standard",
    "Patient and Family Related Reasons": "Standard",
    CODE_9_REASONS: "Code 9",
    "Code 9 AWI": "Code 9",
    "Code 9 Non-AWI": "Code 9",
}
DELAYED_DISCHARGE_COLUMNS = (
    "month",
    "area_code",
    "age_group",
    "reason_group",
    "bed_days",
    "average_daily_beds",
)
_DD_KEY = ["month", "area_code", "age_group", "reason_group"]
_DD_WHAT = "PHS delayed discharge bed days file"


def read_delayed_discharges(path: str | Path) -> pd.DataFrame:
    """The PHS open data file of delayed discharge bed days, as a tidy frame.

    Columns: month (first day of the month, a Timestamp), area_code (the CA or
    HBT code as published: council areas S12..., health boards S08..., Scotland
    S92000003; missing where the published code is empty: delays whose council
    area was not recorded, which count in Scotland's total), age_group (as
    published: 18plus, 18-74, 75plus; AGE_GROUP_LABELS gives the project's
    labels), reason_group (as published, any of OPEN_DATA_REASON_LABELS: All Delay
    Reasons, Health and Social Care Reasons, Patient and Family Related Reasons,
    and code 9 as Code 9 AWI and Code 9 Non-AWI, or as one group, Code 9 Reasons,
    in files written by PHS's scripts up to 2021), bed_days and average_daily_beds
    (the published numbers, whole numbers, not recomputed). Qualifier columns
    (..QF) are ignored. Rows are in the file's order.

    A file not in the published layout (missing columns, a month that is not
    YYYYMM, a number that is not a whole number of 0 or more, an unknown age or
    reason group, a repeated month x area x age x reason) is an OpenDataError
    naming the file, the column and the rows.
    """
    return _read_delay_file(
        path,
        {
            "NumberOfDelayedBedDays": "bed_days",
            "AverageDailyNumberOfDelayedBeds": "average_daily_beds",
        },
        _DD_WHAT,
    )


_CENSUS_WHAT = "PHS delayed discharge census file"
CENSUS_COLUMNS = ("month", "area_code", "age_group", "reason_group", "delays")


def read_delayed_discharge_census(path: str | Path) -> pd.DataFrame:
    """The PHS open data file of delays at the monthly census ("Census delays by council
    area", or by health board), as a tidy frame: month, area_code, age_group,
    reason_group (as read_delayed_discharges), delays (NumberOfCensusDelays: people
    delayed at the census, the last Thursday of the month, of any length; code 100
    and the 26X/46X ward and care home closures are not in it). Made by
    delayed-discharges-monthly code/open-data/04_census-ca.R and 03_census-hb.R.
    Errors as read_delayed_discharges.
    """
    return _read_delay_file(path, {"NumberOfCensusDelays": "delays"}, _CENSUS_WHAT)


def _read_delay_file(path: str | Path, values: dict[str, str], what: str) -> pd.DataFrame:
    """A delayed discharge open data file (bed days or census): the shared layout
    MonthOfDelay, CA or HBT, AgeGroup, ReasonForDelay and the `values` columns."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file (the {what})")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    raw.columns = [c.strip() for c in raw.columns]
    area = "CA" if "CA" in raw.columns else "HBT" if "HBT" in raw.columns else None
    needed = ["MonthOfDelay", "AgeGroup", "ReasonForDelay", *values]
    missing = [c for c in needed if c not in raw.columns]
    if area is None:
        missing.insert(1, "CA (or HBT)")
    if missing:
        raise OpenDataError(
            path,
            what,
            [
                Problem(
                    ", ".join(missing),
                    f"missing column{'s' if len(missing) > 1 else ''} (the file has "
                    f"{', '.join(raw.columns) or 'no columns'})",
                    len(raw),
                )
            ],
        )
    if raw.empty:
        raise OpenDataError(path, what, [Problem("MonthOfDelay", "the file has no rows", 0)])

    problems: list[Problem] = []
    text = {c: raw[c].str.strip() for c in [*needed, area]}
    month_ok = text["MonthOfDelay"].str.fullmatch(r"(19|20)\d\d(0[1-9]|1[0-2])")
    if not month_ok.all():
        bad = text["MonthOfDelay"][~month_ok]
        problems.append(Problem("MonthOfDelay", "not a month as YYYYMM", len(bad), _examples(bad)))
    numbers = {}
    for column in values:
        ok = text[column].str.fullmatch(r"\d+")
        if not ok.all():
            bad = text[column][~ok]
            problems.append(
                Problem(column, "not a whole number of 0 or more", len(bad), _examples(bad))
            )
        numbers[column] = pd.to_numeric(text[column].where(ok), errors="coerce")
    for column, allowed in (
        ("AgeGroup", OPEN_DATA_AGE_GROUPS),
        ("ReasonForDelay", OPEN_DATA_REASON_LABELS),
    ):
        unknown = ~text[column].isin(allowed)
        if unknown.any():
            bad = text[column][unknown]
            problems.append(
                Problem(
                    column,
                    f"not one of {', '.join(allowed)}",
                    int(unknown.sum()),
                    _examples(bad),
                )
            )
    code_ok = text[area].eq("") | text[area].str.fullmatch(r"S\d{8}")
    if not code_ok.all():
        bad = text[area][~code_ok]
        problems.append(
            Problem(area, "not a geography code (S + 8 digits)", len(bad), _examples(bad))
        )
    if problems:
        raise OpenDataError(path, what, problems)

    out = pd.DataFrame(
        {
            "month": pd.to_datetime(text["MonthOfDelay"] + "01", format="%Y%m%d"),
            "area_code": text[area].replace("", pd.NA).astype("string"),
            "age_group": text["AgeGroup"].astype(str),
            "reason_group": text["ReasonForDelay"].astype(str),
        }
    )
    for column, name in values.items():
        out[name] = numbers[column].astype(np.int64)
    repeated = out.duplicated(_DD_KEY, keep=False)
    if repeated.any():
        example = out.loc[repeated, _DD_KEY].head(1).astype(str).agg(" x ".join, axis=1).tolist()
        raise OpenDataError(
            path,
            what,
            [
                Problem(
                    f"MonthOfDelay, {area}, AgeGroup, ReasonForDelay",
                    "repeated (each month x area x age group x reason group must appear once)",
                    int(repeated.sum()),
                    example,
                )
            ],
        )
    return out


def _published_average(bed_days: pd.Series, month: pd.Series) -> pd.Series:
    """Average daily delayed beds as PHS publishes them: bed days / days in month,
    rounded half up to a whole number."""
    from hscp.measures.delays import average_daily_beds
    from hscp.measures.rates import round_half_up

    return round_half_up(average_daily_beds(bed_days, month)).astype(np.int64)


def delayed_discharges_by_partnership(
    open_data: pd.DataFrame, partnerships: list[str] | None = None
) -> pd.DataFrame:
    """Partnership totals from council area rows of read_delayed_discharges.

    Each partnership's bed days are the sum over its council areas, current and
    previous codes (geography.Partnership.council_area_codes: Clackmannanshire &
    Stirling is two council areas; Fife, Perth & Kinross, Glasgow City and North
    Lanarkshire changed codes in 2018/19), by month, age group and reason group.
    Average daily beds = the summed bed days / days in the month, rounded half up
    (PHS's rule for every published figure; the published averages of the council
    areas are not added, as their rounding would add up). Columns as
    read_delayed_discharges, with area_code the partnership's S37 code, plus
    area_name. `partnerships`: codes or names (default: all 31). A partnership
    with no rows, or a council area published under both its current and
    previous code in one month (which would be counted twice), is an error.
    """
    _check_frame(open_data)
    chosen = (
        geography.partnerships()
        if partnerships is None
        else [geography.partnership(p) for p in partnerships]
    )
    parts = []
    for p in chosen:
        rows = open_data[open_data["area_code"].isin(p.council_area_codes).fillna(False)]
        if rows.empty:
            raise ValueError(
                f"No rows for {p.name} (council area codes {', '.join(p.council_area_codes)}) "
                "in the delayed discharge open data: is it the council area file?"
            )
        for ca in p.council_areas:
            if ca.previous_codes:
                codes = rows[rows["area_code"].isin([ca.code, *ca.previous_codes])]
                both = codes.groupby("month")["area_code"].nunique()
                if (both > 1).any():
                    raise ValueError(
                        f"{ca.name} is published under both {ca.code} and "
                        f"{', '.join(ca.previous_codes)} in "
                        f"{both[both > 1].index[0]:%B %Y}: summing them would count it twice"
                    )
        total = rows.groupby(["month", "age_group", "reason_group"], sort=False, as_index=False)[
            "bed_days"
        ].sum()
        total.insert(1, "area_code", p.code)
        total.insert(2, "area_name", p.name)
        parts.append(total)
    out = pd.concat(parts, ignore_index=True)
    out["area_code"] = out["area_code"].astype("string")
    out["bed_days"] = out["bed_days"].astype(np.int64)
    out["average_daily_beds"] = _published_average(out["bed_days"], out["month"])
    return out.sort_values(["area_code", "month"], kind="stable", ignore_index=True)


def delayed_discharge_comparison(open_data: pd.DataFrame, partnership: str) -> pd.DataFrame:
    """One partnership's totals and Scotland's published rows, for the open data trend.

    Columns: month, area_code, area_name, level ("Partnership" or "Scotland"),
    age_group, reason_group, bed_days, average_daily_beds (Scotland's as
    published; the partnership's as delayed_discharges_by_partnership).
    """
    _check_frame(open_data)
    mine = delayed_discharges_by_partnership(open_data, [partnership])
    mine.insert(3, "level", "Partnership")
    scotland = open_data[open_data["area_code"].eq(geography.SCOTLAND_CODE).fillna(False)].copy()
    if scotland.empty:
        raise ValueError(
            f"No Scotland rows ({geography.SCOTLAND_CODE}) in the delayed discharge open data"
        )
    scotland.insert(2, "area_name", geography.SCOTLAND_NAME)
    scotland.insert(3, "level", "Scotland")
    out = pd.concat([mine, scotland[mine.columns]], ignore_index=True)
    return out


def _check_frame(open_data: pd.DataFrame) -> None:
    missing = [c for c in DELAYED_DISCHARGE_COLUMNS if c not in open_data.columns]
    if missing:
        raise KeyError(
            f"not a read_delayed_discharges frame: missing {', '.join(missing)} "
            f"(it has {', '.join(map(str, open_data.columns))})"
        )


#: Where to get the file, for a report that has none.
DELAYED_DISCHARGE_SOURCE = (
    "PHS open data, Delayed Discharges in NHSScotland: 'Delayed discharge bed days by "
    "council area' (opendata.nhs.scot)"
)


def delayed_discharge_file(path: str | Path | None = None) -> Path | None:
    """The delayed discharge open data file to use, or None if there is none.

    `path` (a notebook's open_data_file parameter) when given, else
    params/defaults.yaml's open_data.delayed_discharges (relative paths are
    relative to the project). None when neither is set or the file is not there,
    so a report can skip its open data section with a note instead of failing.
    """
    from hscp import config

    if path in (None, ""):
        configured = config.load_defaults().open_data.path("delayed_discharges")
        if not configured:
            return None
        path = Path(configured)
        if not path.is_absolute():
            path = config.project_root() / path
    path = Path(path)
    return path if path.is_file() else None


def delayed_discharge_year(comparison: pd.DataFrame, months: int = 12) -> pd.DataFrame:
    """The latest `months` published months of delayed_discharge_comparison, by area and
    reason group. Columns: area_name, level, reason_group (All Delay Reasons first),
    bed_days (18+), bed_days_75plus, share_of_bed_days (of the area's All Delay
    Reasons), average_daily_beds (bed days / days in those months), first_month,
    last_month. The partnership's rows come first, then Scotland's."""
    _check_frame(comparison)
    last = comparison["month"].max()
    first = last - pd.DateOffset(months=months - 1)
    rows = comparison[comparison["month"] >= first]
    wide = rows.pivot_table(
        index=["level", "area_name", "reason_group"],
        columns="age_group",
        values="bed_days",
        aggfunc="sum",
    ).reset_index()
    out = wide[["area_name", "level", "reason_group"]].copy()
    out.columns.name = None
    out["bed_days"] = wide["18plus"].astype(np.int64)
    out["bed_days_75plus"] = wide["75plus"].astype(np.int64)
    all_reasons = out["reason_group"] == OPEN_DATA_REASONS[0]
    totals = out[all_reasons].set_index("area_name")["bed_days"]
    out["share_of_bed_days"] = out["bed_days"] / out["area_name"].map(totals)
    days = (last + pd.offsets.MonthEnd(0) - first).days + 1
    out["average_daily_beds"] = out["bed_days"] / days
    out["reason_group"] = pd.Categorical(out["reason_group"], OPEN_DATA_REASON_LABELS, ordered=True)
    out["level"] = pd.Categorical(out["level"], ["Partnership", "Scotland"], ordered=True)
    out = out.sort_values(["level", "reason_group"], ignore_index=True)
    out["reason_group"] = out["reason_group"].astype(str)
    out["level"] = out["level"].astype(str)
    out["first_month"], out["last_month"] = first, last
    return out


def delayed_discharge_headline(comparison: pd.DataFrame) -> pd.DataFrame:
    """The headline trend of delayed_discharge_comparison: All Delay Reasons for the
    age groups 18-74 and 75plus, with `age` the project's label (18-74, 75+)."""
    _check_frame(comparison)
    rows = comparison[
        (comparison["reason_group"] == OPEN_DATA_REASONS[0]) & (comparison["age_group"] != "18plus")
    ]
    return rows.assign(age=rows["age_group"].map(AGE_GROUP_LABELS)).reset_index(drop=True)
