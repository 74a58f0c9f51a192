"""Readers for PHS open data files, in their published layouts.

Public, aggregate files from opendata.nhs.scot: a notebook can show the
published figures for any partnership when record-level extracts are not
available. Each reader checks the layout and fails with a message naming the
file, the column and the problem; it never guesses.

Each data set has its own block below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from hscp import geography
from hscp.errors import HscpError
from hscp.extracts import Problem

#: How many example values a problem message shows.
_EXAMPLES = 3


class OpenDataError(HscpError, ValueError):
    """An open data file that is not in its published layout: names the file and every problem."""

    def __init__(self, path: Path | str, what: str, problems: list[Problem]):
        self.path, self.problems = Path(path), problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{self.path}: not a {what} in the published layout:\n{lines}")


def _examples(values: pd.Series) -> list:
    return values.drop_duplicates().head(_EXAMPLES).tolist()


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


# =============================================================================================
# Population estimates: NRS mid-year estimates by HSCP, sex and single year of age
# =============================================================================================
#
# Source: National Records of Scotland mid-year population estimates, as published on
# the Scottish Health and Social Care Open Data platform ("Population estimates by HSCP":
# Year, HSCP (S37..., S92000003 for Scotland), HSCPQF, Sex (All, Female, Male), SexQF,
# AllAges, Age0 ... Age89, Age90plus). The projections file has the same layout
# (hscp.projection reads it); this reader is for the estimates, which give the
# denominators of Scotland, a board or another partnership when the extract has only
# its own partnership's population.

POPULATION_COLUMNS = ("year", "area_code", "age", "population")
_POP_WHAT = "population estimates file (NRS mid-year estimates by HSCP)"
_AGES = [f"Age{a}" for a in range(90)] + ["Age90plus"]


def read_population_estimates(path: str | Path) -> pd.DataFrame:
    """NRS mid-year population estimates by HSCP in the open data layout, as a tidy
    frame: year, area_code (S37 partnership code, or S92000003 Scotland), age (0 to 90,
    90 meaning 90 and over), population, both sexes together (the Sex "All" rows). A
    file not in that layout is an OpenDataError naming the file and the columns."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file (the {_POP_WHAT})")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    raw.columns = [c.strip() for c in raw.columns]
    missing = [c for c in ["Year", "HSCP", "Sex", *_AGES] if c not in raw.columns]
    if missing:
        shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise OpenDataError(path, _POP_WHAT, [Problem(shown, "missing columns", len(raw))])
    both = raw[raw["Sex"].str.strip() == "All"]
    if both.empty:
        raise OpenDataError(path, _POP_WHAT, [Problem("Sex", "no 'All' rows", len(raw))])
    long = both.melt(id_vars=["Year", "HSCP"], value_vars=_AGES, var_name="age_column")
    numbers = pd.to_numeric(long["value"].str.strip(), errors="coerce")
    years = pd.to_numeric(long["Year"].str.strip(), errors="coerce")
    bad = numbers.isna() | (numbers < 0) | years.isna()
    if bad.any():
        raise OpenDataError(
            path,
            _POP_WHAT,
            [Problem("Year, Age0 ... Age90plus", "not a whole number", int(bad.sum()))],
        )
    return pd.DataFrame(
        {
            "year": years.astype(np.int64),
            "area_code": long["HSCP"].str.strip(),
            "age": long["age_column"].str.removeprefix("Age").str.removesuffix("plus").astype(int),
            "population": numbers.astype(np.int64),
        }
    )


def population_of(estimates: pd.DataFrame, codes, year: int, min_age: int = 0) -> int:
    """People aged `min_age` and over in `year` in the areas `codes` (S37 codes, or
    S92000003), from read_population_estimates."""
    rows = estimates[
        estimates["area_code"].isin(list(codes))
        & (estimates["year"] == year)
        & (estimates["age"] >= min_age)
    ]
    return int(rows["population"].sum())


# =============================================================================================
# A&E activity: attendances and the 4-hour standard by treatment location and month
# =============================================================================================
#
# Source: PHS open data, "A&E Activity and Waiting Times", monthly by treatment location
# (opendata.nhs.scot: Month (YYYYMM), Country, HBT (NHS board of treatment), TreatmentLocation,
# DepartmentType (Emergency Department; Minor Injury Unit or Other),
# NumberOfAttendancesAll, NumberWithin4HoursAll, NumberOver4HoursAll,
# PercentageWithin4HoursAll, then the Episode columns and qualifiers, which the reader
# ignores). PHS counts new and unplanned return attendances, as the project's
# measures.ae_attendances_monthly. A site belongs to the board that runs it: these are
# attendances at a board's hospitals, whoever lives where, not a partnership's residents.

AE_ACTIVITY_COLUMNS = (
    "month",
    "health_board",
    "location",
    "department_type",
    "attendances",
    "within_4_hours",
)
_AE_WHAT = "PHS A&E monthly activity file"
#: Health board codes before the 2018/19 boundary changes -> the current ones.
PREVIOUS_BOARD_CODES = {
    "S08000018": "S08000029",  # Fife
    "S08000027": "S08000030",  # Tayside
    "S08000021": "S08000031",  # Greater Glasgow & Clyde
    "S08000023": "S08000032",  # Lanarkshire
}


def read_ae_activity(path: str | Path) -> pd.DataFrame:
    """The PHS A&E monthly activity file as a tidy frame: month (Timestamp), health_board
    (current S08 code: previous codes mapped, PREVIOUS_BOARD_CODES), location, department_type,
    attendances, within_4_hours. A file not in the published layout is an OpenDataError
    naming the file, the column and the rows."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file (the {_AE_WHAT})")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    raw.columns = [c.strip() for c in raw.columns]
    needed = [
        "Month",
        "HBT",
        "TreatmentLocation",
        "DepartmentType",
        "NumberOfAttendancesAll",
        "NumberWithin4HoursAll",
    ]
    missing = [c for c in needed if c not in raw.columns]
    if missing:
        raise OpenDataError(
            path, _AE_WHAT, [Problem(", ".join(missing), "missing columns", len(raw))]
        )
    problems = []
    month_ok = raw["Month"].str.strip().str.fullmatch(r"(19|20)\d\d(0[1-9]|1[0-2])")
    if not month_ok.all():
        bad = raw["Month"][~month_ok]
        problems.append(Problem("Month", "not a month as YYYYMM", len(bad), _examples(bad)))
    numbers = {}
    for column in ("NumberOfAttendancesAll", "NumberWithin4HoursAll"):
        text = raw[column].str.strip()
        ok = text.str.fullmatch(r"\d+")
        if not ok.all():
            problems.append(
                Problem(
                    column,
                    "not a whole number of 0 or more",
                    int((~ok).sum()),
                    _examples(text[~ok]),
                )
            )
        numbers[column] = pd.to_numeric(text.where(ok), errors="coerce")
    if problems:
        raise OpenDataError(path, _AE_WHAT, problems)
    board = raw["HBT"].str.strip()
    return pd.DataFrame(
        {
            "month": pd.to_datetime(raw["Month"].str.strip() + "01", format="%Y%m%d"),
            "health_board": board.replace(PREVIOUS_BOARD_CODES),
            "location": raw["TreatmentLocation"].str.strip(),
            "department_type": raw["DepartmentType"].str.strip(),
            "attendances": numbers["NumberOfAttendancesAll"].astype(np.int64),
            "within_4_hours": numbers["NumberWithin4HoursAll"].astype(np.int64),
        }
    )


def ae_activity_by_area(activity: pd.DataFrame, health_board: str | None = None) -> pd.DataFrame:
    """Monthly A&E attendances and the 4-hour standard at the sites of an NHS board (its
    S08 code or name) and of Scotland: columns month, area, area_type ("Health board",
    "Scotland"), attendances, within_4_hours, percent_within_4_hours."""
    from hscp.measures import percent_within

    parts = []
    if health_board is not None:
        boards = geography.health_boards()
        code = (
            health_board
            if health_board in boards
            else {v: k for k, v in boards.items()}.get(health_board)
        )
        if code is None:
            raise ValueError(f"unknown health board {health_board!r}")
        mine = activity[activity["health_board"] == code]
        parts.append(_ae_monthly(mine).assign(area=boards[code], area_type="Health board"))
    parts.append(_ae_monthly(activity).assign(area=geography.SCOTLAND_NAME, area_type="Scotland"))
    out = pd.concat(parts, ignore_index=True)
    out["percent_within_4_hours"] = percent_within(out["within_4_hours"], out["attendances"])
    return out[
        ["month", "area", "area_type", "attendances", "within_4_hours", "percent_within_4_hours"]
    ]


def _ae_monthly(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.groupby("month", as_index=False)[["attendances", "within_4_hours"]].sum()


# =============================================================================================
# The open data folder: the files an analyst downloaded, found by their columns
# =============================================================================================

#: The files the reports use, by kind: (what it is, the columns that identify it).
OPEN_DATA_FILES = {
    "delayed_bed_days_ca": (
        "PHS open data, Delayed Discharges in NHSScotland: delayed discharge bed days by council area",
        {"MonthOfDelay", "CA", "NumberOfDelayedBedDays"},
    ),
    "delayed_bed_days_hb": (
        "PHS open data, Delayed Discharges in NHSScotland: delayed discharge bed days by health board",
        {"MonthOfDelay", "HBT", "NumberOfDelayedBedDays"},
    ),
    "census_ca": (
        "PHS open data, Delayed Discharges in NHSScotland: census delays by council area",
        {"MonthOfDelay", "CA", "NumberOfCensusDelays"},
    ),
    "census_hb": (
        "PHS open data, Delayed Discharges in NHSScotland: census delays by health board",
        {"MonthOfDelay", "HBT", "NumberOfCensusDelays"},
    ),
    "ae_activity": (
        "PHS open data, A&E Activity and Waiting Times: monthly, by treatment location",
        {"Month", "HBT", "TreatmentLocation", "NumberOfAttendancesAll"},
    ),
    "population_estimates": (
        "NRS mid-year population estimates by HSCP (open data layout)",
        {"Year", "HSCP", "Sex", "AllAges", "Age90plus"},
    ),
}


@dataclass(frozen=True)
class OpenDataFolder:
    """The PHS and NRS open data files found in a folder, by kind (OPEN_DATA_FILES)."""

    folder: Path | None
    files: dict[str, Path] = field(default_factory=dict)

    def path(self, kind: str) -> Path | None:
        return self.files.get(kind)

    def __contains__(self, kind: str) -> bool:
        return kind in self.files

    def describe(self, kind: str, months: pd.Series | None = None) -> str:
        """Which file and release a report read (file_release)."""
        return file_release(self.files[kind], kind, months)


def file_release(path: str | Path, kind: str, months: pd.Series | None = None) -> str:
    """Which file and release a report read: '<name>: <what>, <first> to <last> (the
    release with figures to <last>); file dated <date>'. A PHS open data file is known
    by its latest month: each release adds a month (and may revise earlier ones)."""
    path = Path(path)
    span = ""
    if months is not None and len(months):
        first, last = pd.Timestamp(months.min()), pd.Timestamp(months.max())
        span = f", {first:%B %Y} to {last:%B %Y} (the release with figures to {last:%B %Y})"
    dated = pd.Timestamp(path.stat().st_mtime, unit="s")
    return f"{path.name}: {OPEN_DATA_FILES[kind][0]}{span}; file dated {dated:%d %B %Y}"


def _kind_of(path: Path) -> str | None:
    """The kind of an open data CSV, from its header (and, for population files, its
    name: projections have the estimates' layout)."""
    try:
        with path.open(encoding="utf-8-sig") as handle:
            header = handle.readline()
    except (OSError, UnicodeDecodeError):
        return None
    columns = {c.strip().strip('"') for c in header.split(",")}
    for kind, (_, needed) in OPEN_DATA_FILES.items():
        if needed <= columns:
            if kind == "population_estimates" and "projection" in path.name.lower():
                return None
            return kind
    return None


def find_open_data(folder: str | Path | None) -> OpenDataFolder:
    """The open data files in `folder` (its .csv files, not its subfolders), each
    recognised by its columns whatever its name. No folder, or a folder that is not
    there: none. Two files of one kind are an error naming both (keep one release)."""
    if folder in (None, ""):
        return OpenDataFolder(None)
    folder = Path(folder)
    if not folder.is_dir():
        return OpenDataFolder(folder)
    found: dict[str, Path] = {}
    for path in sorted(folder.glob("*.csv")):
        kind = _kind_of(path)
        if kind is None:
            continue
        if kind in found:
            raise ValueError(
                f"{folder}: two files look like {OPEN_DATA_FILES[kind][0]}: "
                f"{found[kind].name} and {path.name}; keep one release in the folder"
            )
        found[kind] = path
    return OpenDataFolder(folder, found)


def open_data_folder(path: str | Path | None = None) -> OpenDataFolder:
    """The open data folder a report uses: `path` (run_all.py --open-data, a notebook's
    open_data_dir parameter) when given, else params/defaults.yaml's open_data.folder,
    else the folder of its open_data.delayed_discharges file (relative paths are
    relative to the project)."""
    from hscp import config

    if path in (None, ""):
        configured = config.load_defaults().open_data
        folder = configured.path("folder")
        if not folder and configured.path("delayed_discharges"):
            folder = str(Path(configured.path("delayed_discharges")).parent)
        if not folder:
            return OpenDataFolder(None)
        path = Path(folder)
        if not path.is_absolute():
            path = config.project_root() / path
    return find_open_data(path)


# =============================================================================================
# Comparators from open data: Scotland, a board, a partnership as PHS publishes them
# =============================================================================================

#: Where a delay belongs, for a report that compares the extract with the open data.
WHERE_A_DELAY_BELONGS = (
    "The extract places a delay by the person's residence (the record's partnership and "
    "locality). PHS's council area files place it in the council area recorded on the delay "
    "record by the partnership that submitted it (PHS calls it the local authority of "
    "residence; it can differ for people placed or living out of area), and its health board "
    "files in the NHS board of the hospital. The partnership's figure is shown both ways."
)


def published_delay_rates(
    bed_days: pd.DataFrame,
    estimates: pd.DataFrame,
    partnership: str,
    end,
    *,
    months: int = 12,
) -> pd.DataFrame:
    """Delayed bed days of the `months` months ending `end` per 1,000 people aged 18+ and
    75+ (NI19), from PHS's council area file: the partnership (its council areas, as PHS
    places delays), its NHS board (the council areas of the board's partnerships) and
    Scotland (the S92000003 rows, which include delays with no council area). Defined as
    measures.delay_rates_by_area: all reasons (code 100 is not in open data), age at the
    ready date, the population of the window's population year
    (measures.unscheduled.population_year) from NRS's estimates. Columns: area, level,
    bed_days_18plus, population_18plus, rate_18plus, bed_days_65plus, population_65plus,
    rate_65plus (missing: open data have no 65+ group), bed_days_75plus,
    population_75plus, rate_75plus, population_year, source. A file that does not
    cover the months is a ValueError saying which are missing.
    """
    from hscp.measures.rates import crude_rate
    from hscp.measures.unscheduled import population_year

    _check_frame(bed_days)
    last = pd.Timestamp(end).to_period("M").start_time
    window = pd.date_range(end=last, periods=months, freq="MS")
    have = set(bed_days["month"].unique())
    missing = [m for m in window if m not in have]
    if missing:
        raise ValueError(
            f"the open data file has no figures for {missing[0]:%B %Y} (it runs "
            f"{bed_days['month'].min():%B %Y} to {bed_days['month'].max():%B %Y}), so it "
            f"cannot give the {months} months to {last:%B %Y}"
        )
    rows = bed_days[
        bed_days["month"].isin(window) & (bed_days["reason_group"] == OPEN_DATA_REASONS[0])
    ]
    year = population_year(last, estimates["year"].unique())
    p = geography.partnership(partnership)
    board = [q for q in geography.partnerships() if q.health_board_code == p.health_board_code]
    areas = [
        (p.name, "Partnership", list(p.council_area_codes), [p.code]),
        (
            p.health_board_name,
            "Health board",
            [c for q in board for c in q.council_area_codes],
            [q.code for q in board],
        ),
        (geography.SCOTLAND_NAME, "Scotland", [geography.SCOTLAND_CODE], [geography.SCOTLAND_CODE]),
    ]
    out = []
    for name, level, council_areas, population_codes in areas:
        mine = rows[rows["area_code"].isin(council_areas).fillna(False)]
        row = {"area": name, "level": level}
        for label, group, youngest in (("18plus", "18plus", 18), ("75plus", "75plus", 75)):
            row[f"bed_days_{label}"] = int(mine.loc[mine["age_group"] == group, "bed_days"].sum())
            row[f"population_{label}"] = population_of(estimates, population_codes, year, youngest)
        out.append(row)
    table = pd.DataFrame(out)
    for label in ("18plus", "75plus"):
        table[f"rate_{label}"] = crude_rate(
            table[f"bed_days_{label}"], table[f"population_{label}"]
        )
    table["bed_days_65plus"] = pd.array([pd.NA] * len(table), dtype="Int64")
    table["population_65plus"] = pd.array([pd.NA] * len(table), dtype="Int64")
    table["rate_65plus"] = np.nan
    table["bed_days"] = table["bed_days_18plus"]
    table["population_year"] = year
    table["source"] = "PHS open data (council area on the delay record)"
    return table


#: The extract's rows of a comparison, for the `source` column.
EXTRACT_SOURCE = "Extract (residence)"


def delay_rate_comparators(
    areas: pd.DataFrame,
    present,
    partnership: str,
    end,
    folder: OpenDataFolder,
) -> tuple[pd.DataFrame, list[str]]:
    """The delayed bed day rates a report compares (measures.delay_rates_by_area's
    table), with comparators that are the areas they are named after, and notes saying
    what was done.

    When the extract covers every partnership (`present`, the S37 codes of its
    comparator), its Scotland row is Scotland. Otherwise that row is the extract's
    partnerships, not Scotland: it is dropped, and Scotland, the NHS board and the
    partnership as PHS places its delays come from the open data folder's council area
    file and NRS estimates (published_delay_rates), when both are there and cover the
    months; else Scotland is left out and a note says why. Columns: those of
    delay_rates_by_area (population_year, source added)."""
    areas = areas.assign(source=EXTRACT_SOURCE)
    total = len(geography.partnerships())
    present = sorted(set(present))
    if len(present) >= total:
        return areas, []
    notes = [
        f"The extract has delay records for {len(present)} of Scotland's {total} partnerships, "
        "so its total is not Scotland's and is not shown as Scotland."
    ]
    areas = areas[areas["level"] != "Scotland"].reset_index(drop=True)
    have_file, have_people = "delayed_bed_days_ca" in folder, "population_estimates" in folder
    if not (have_file and have_people):
        wanted = [
            OPEN_DATA_FILES[kind][0]
            for kind, there in (
                ("delayed_bed_days_ca", have_file),
                ("population_estimates", have_people),
            )
            if not there
        ]
        where = (
            f" in {folder.folder}"
            if folder.folder
            else " (no open data folder was given: run_all.py --open-data FOLDER)"
        )
        notes.append(
            f"Scotland and the NHS board are left out: they need {' and '.join(wanted)}, "
            f"not found{where}."
        )
        return areas, notes
    bed_days = read_delayed_discharges(folder.path("delayed_bed_days_ca"))
    estimates = read_population_estimates(folder.path("population_estimates"))
    try:
        published = published_delay_rates(bed_days, estimates, partnership, end)
    except ValueError as err:
        notes.append(f"Scotland and the NHS board are left out: {err}.")
        return areas, notes
    published["area"] = np.where(
        published["level"] == "Partnership",
        published["area"] + " (PHS open data)",
        published["area"],
    )
    table = pd.concat([areas, published[areas.columns]], ignore_index=True)
    notes.append(
        "Scotland, the NHS board and the partnership's published figure are from "
        f"{folder.describe('delayed_bed_days_ca', bed_days['month'])}, with populations from "
        f"{folder.describe('population_estimates')} (mid-year {published['population_year'].iloc[0]}). "
        "Open data have no 65+ age group, so those rows have no 65+ rate."
    )
    notes.append(WHERE_A_DELAY_BELONGS)
    return table, notes


def published_census(
    census: pd.DataFrame, estimates: pd.DataFrame | None, month, *, per: float = 100_000
) -> pd.DataFrame:
    """Scotland's census of one month from PHS's census file (read_delayed_discharge_census),
    in census_profile's columns: delays (18+, all reasons), standard (health and social
    care, patient and family), code_9 (all reasons less standard, whichever code 9
    labels the file uses), rate_per_100000 (per 100,000 people aged 18+, the population
    of the month's financial year, when `estimates` are given); delays_over_3_days and
    median_delay are missing (not in open data). A month the file does not have is a
    ValueError."""
    from hscp.measures.rates import month_population_year

    when = pd.Timestamp(month).to_period("M").start_time
    rows = census[
        (census["month"] == when)
        & census["area_code"].eq(geography.SCOTLAND_CODE).fillna(False)
        & (census["age_group"] == "18plus")
    ]
    if rows.empty:
        raise ValueError(
            f"the census file has no Scotland figures for {when:%B %Y} (it runs "
            f"{census['month'].min():%B %Y} to {census['month'].max():%B %Y})"
        )
    by_reason = rows.set_index("reason_group")["delays"]
    delays = int(by_reason.get(OPEN_DATA_REASONS[0], by_reason.sum()))
    standard = int(sum(v for k, v in by_reason.items() if DELAY_TYPE_OF.get(k) == "Standard"))
    row = {
        "area": geography.SCOTLAND_NAME,
        "level": "Scotland",
        "delays": delays,
        "delays_over_3_days": np.nan,
        "standard": standard,
        "code_9": delays - standard,
        "median_delay": np.nan,
        "population_18plus": np.nan,
        "rate_per_100000": np.nan,
        "population_year": np.nan,
    }
    if estimates is not None:
        year = month_population_year(when, estimates["year"].unique())
        people = population_of(estimates, [geography.SCOTLAND_CODE], year, 18)
        row.update(
            population_18plus=people,
            rate_per_100000=delays / people * per if people else np.nan,
            population_year=year,
        )
    return pd.DataFrame([row])


def census_comparators(
    profile: pd.DataFrame, partnership: str, month, folder: OpenDataFolder
) -> tuple[pd.DataFrame, list[str]]:
    """A census profile (measures.census_profile: the partnership and its localities)
    with Scotland from the open data folder's census file (published_census), and notes:
    which file and release, what open data lack (the median, delays over 3 days), or
    why Scotland is left out."""
    notes = []
    if "census_ca" not in folder:
        where = f" in {folder.folder}" if folder.folder else " (no open data folder was given)"
        notes.append(
            f"Scotland is left out: its census needs {OPEN_DATA_FILES['census_ca'][0]}, not "
            f"found{where}; the prepared data hold no census of all Scotland's partnerships "
            "by reason or length of delay."
        )
        return profile.assign(source=EXTRACT_SOURCE), notes
    census = read_delayed_discharge_census(folder.path("census_ca"))
    estimates = (
        read_population_estimates(folder.path("population_estimates"))
        if "population_estimates" in folder
        else None
    )
    try:
        scotland = published_census(census, estimates, month)
    except ValueError as err:
        notes.append(f"Scotland is left out: {err}.")
        return profile.assign(source=EXTRACT_SOURCE), notes
    notes.append(
        f"Scotland is from {folder.describe('census_ca', census['month'])}: PHS publishes "
        "people delayed at the census by reason, not their lengths of delay, so Scotland has "
        "no median and no count over 3 days."
    )
    table = pd.concat(
        [profile.assign(source=EXTRACT_SOURCE), scotland.assign(source="PHS open data")],
        ignore_index=True,
    )
    return table, notes
