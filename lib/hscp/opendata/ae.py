"""PHS open data: A&E activity by treatment location and month."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from hscp import geography
from hscp.extracts import Problem
from hscp.opendata._common import OpenDataError, _examples

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
