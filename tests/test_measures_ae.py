"""A&E attendances and the 4-hour standard: worked examples, and PHS's published file.

Rules: PHS A&E activity and waiting times (attendances = new and unplanned
return; time from arrival to departure; within 4 hours = 240 minutes or less).
Every expected number is worked out in the comment beside it; the last tests
check the percentage against PHS's published open data.
"""

import numpy as np
import pandas as pd
import pytest

from hscp.measures.ae import (
    WEEKDAYS,
    ae_attendances_monthly,
    ae_profile,
    ae_waits,
    percent_within,
)
from hscp.measures.rates import round_half_up


def attendances(*rows):
    """A&E attendances; each row (arrival, minutes in department or None, category, **other)."""
    records = []
    for arrival, minutes, category, *other in rows:
        extra = other[0] if other else {}
        arrived = pd.Timestamp(arrival)
        records.append(
            {
                "link_no": extra.get("link_no", 1),
                "arrival_datetime": arrived,
                "departure_datetime": arrived + pd.Timedelta(minutes=minutes)
                if minutes is not None
                else pd.NaT,
                "attendance_category": category,
                "discharge_destination": extra.get("destination", "Home"),
                "locality": extra.get("locality", "Clackmannanshire"),
            }
        )
    frame = pd.DataFrame(records)
    frame["departure_datetime"] = pd.to_datetime(frame["departure_datetime"])
    return frame


NEW, UNPLANNED, PLANNED = "New", "Unplanned return", "Planned return"


# --- time in the department -----------------------------------------------------------


def test_exactly_240_minutes_is_within_4_hours():
    # arrived 10:00, left 14:00: 240 minutes, "no longer than 4 hours"
    waits = ae_waits(attendances(("2024-03-04 10:00", 240, NEW)))
    assert waits["minutes_in_department"].tolist() == [240.0]
    assert waits["within_4_hours"].tolist() == [True]


def test_241_minutes_is_not_within_4_hours():
    # arrived 10:00, left 14:01: 241 minutes
    waits = ae_waits(attendances(("2024-03-04 10:00", 241, NEW)))
    assert waits["within_4_hours"].tolist() == [False]


def test_time_runs_across_midnight():
    # arrived 22:30, left 01:15 the next day: 90 + 75 = 165 minutes
    frame = attendances(("2024-03-04 22:30", None, NEW))
    frame["departure_datetime"] = pd.to_datetime(["2024-03-05 01:15"])
    assert ae_waits(frame)["minutes_in_department"].tolist() == [165.0]


def test_over_8_hours_is_more_than_480_minutes():
    # 480 minutes is not over 8 hours; 481 is
    waits = ae_waits(attendances(("2024-03-04 10:00", 480, NEW), ("2024-03-04 10:00", 481, NEW)))
    assert waits["over_8_hours"].tolist() == [False, True]


def test_over_12_hours_is_more_than_720_minutes():
    # 720 minutes is not over 12 hours; 721 is (and is also over 8 hours)
    waits = ae_waits(attendances(("2024-03-04 10:00", 720, NEW), ("2024-03-04 10:00", 721, NEW)))
    assert waits["over_12_hours"].tolist() == [False, True]
    assert waits["over_8_hours"].tolist() == [True, True]


def test_no_departure_time_is_not_within_4_hours_nor_a_long_wait():
    waits = ae_waits(attendances(("2024-03-04 10:00", None, NEW)))
    assert waits["minutes_in_department"].isna().tolist() == [True]
    assert waits[["within_4_hours", "over_8_hours", "over_12_hours"]].values.tolist() == [
        [False, False, False]
    ]


def test_admitted_is_discharge_destination_admitted():
    waits = ae_waits(
        attendances(
            ("2024-03-04 10:00", 200, NEW, {"destination": "Admitted"}),
            ("2024-03-04 10:00", 200, NEW, {"destination": "Transferred"}),
        )
    )
    assert waits["admitted"].tolist() == [True, False]


def test_new_and_unplanned_returns_are_counted_planned_returns_are_not():
    waits = ae_waits(
        attendances(
            ("2024-03-04 10:00", 60, NEW),
            ("2024-03-04 10:00", 60, UNPLANNED),
            ("2024-03-04 10:00", 60, PLANNED),
        )
    )
    assert waits["counted"].tolist() == [True, True, False]


def test_arrival_hour_and_weekday():
    # 4 March 2024 was a Monday (1 March 2024 was a Friday); 23:59 is hour 23;
    # 10 March 2024 was the Sunday after
    waits = ae_waits(attendances(("2024-03-04 23:59", 60, NEW), ("2024-03-10 00:00", 60, NEW)))
    assert waits["arrival_hour"].tolist() == [23, 0]
    assert waits["arrival_weekday"].astype(str).tolist() == ["Monday", "Sunday"]
    assert list(waits["arrival_weekday"].cat.categories) == list(WEEKDAYS)


# --- monthly -------------------------------------------------------------------------------


def test_planned_returns_are_not_attendances():
    # March: 1 new (100 min), 1 unplanned return (300 min), 2 planned returns.
    # Attendances = 2; within 4 hours = 1 (the new one); 1 / 2 x 100 = 50%
    monthly = ae_attendances_monthly(
        attendances(
            ("2024-03-04 10:00", 100, NEW),
            ("2024-03-05 10:00", 300, UNPLANNED),
            ("2024-03-06 10:00", 30, PLANNED),
            ("2024-03-07 10:00", 30, PLANNED),
        ),
        "2024-03",
        "2024-03",
    )
    assert monthly[["attendances", "within_4_hours"]].values.tolist() == [[2, 1]]
    assert monthly["percent_within_4_hours"].tolist() == [50.0]


def test_attendance_without_departure_counts_but_not_within_4_hours():
    # 3 attendances: 240 min (within), 10 min (within), no departure time.
    # Attendances 3, within 2: 2 / 3 x 100 = 66.67%
    monthly = ae_attendances_monthly(
        attendances(
            ("2024-03-04 10:00", 240, NEW),
            ("2024-03-04 11:00", 10, NEW),
            ("2024-03-04 12:00", None, NEW),
        ),
        "2024-03",
        "2024-03",
    )
    assert monthly[["attendances", "within_4_hours"]].values.tolist() == [[3, 2]]
    assert monthly["percent_within_4_hours"].iloc[0] == pytest.approx(200 / 3)


def test_attendance_counts_in_the_month_of_arrival():
    # arrived 31 March 23:00, left 1 April 02:00 (180 min): a March attendance
    monthly = ae_attendances_monthly(
        attendances(("2024-03-31 23:00", 180, NEW)), "2024-03", "2024-04"
    )
    assert monthly["attendances"].tolist() == [1, 0]


def test_monthly_is_zero_filled_by_month_and_by_column():
    # one attendance in Clackmannanshire in March; Rural Stirling's only attendance is a
    # planned return. Both localities x both months appear; 0 attendances give a
    # missing percentage.
    monthly = ae_attendances_monthly(
        attendances(
            ("2024-03-04 10:00", 60, NEW),
            ("2024-03-04 10:00", 60, PLANNED, {"locality": "Rural Stirling"}),
        ),
        "2024-03",
        "2024-04",
        by="locality",
    )
    assert monthly[["locality", "attendances"]].values.tolist() == [
        ["Clackmannanshire", 1],
        ["Rural Stirling", 0],
        ["Clackmannanshire", 0],
        ["Rural Stirling", 0],
    ]
    assert monthly["percent_within_4_hours"].isna().tolist() == [False, True, True, True]


def test_monthly_columns():
    monthly = ae_attendances_monthly(
        attendances(("2024-03-04 10:00", 60, NEW)), "2024-03", "2024-03", by="locality"
    )
    assert list(monthly.columns) == [
        "month",
        "locality",
        "attendances",
        "within_4_hours",
        "percent_within_4_hours",
    ]


# --- profiles ------------------------------------------------------------------------------


def test_profile_by_hour_lists_every_hour():
    # two new attendances at 10:xx (one 300 min), one at 23:xx, one planned return
    # at 10:xx (not counted): hour 10 has 2 attendances, 1 within 4 hours (50%);
    # hour 23 has 1; the other 22 hours have 0
    profile = ae_profile(
        attendances(
            ("2024-03-04 10:05", 60, NEW),
            ("2024-03-05 10:55", 300, NEW),
            ("2024-03-05 23:10", 60, UNPLANNED),
            ("2024-03-05 10:10", 60, PLANNED),
        ),
        "arrival_hour",
    )
    assert profile["arrival_hour"].tolist() == list(range(24))
    counts = dict(zip(profile["arrival_hour"], profile["attendances"], strict=True))
    assert counts[10] == 2 and counts[23] == 1 and sum(counts.values()) == 3
    assert profile.set_index("arrival_hour").loc[10, "percent_within_4_hours"] == 50.0


def test_profile_by_weekday_runs_monday_to_sunday():
    # Monday 4 March and Monday 11 March, Saturday 9 March: Monday 2, Saturday 1
    profile = ae_profile(
        attendances(
            ("2024-03-04 10:00", 60, NEW),
            ("2024-03-11 10:00", 60, NEW),
            ("2024-03-09 10:00", 60, NEW),
        ),
        "arrival_weekday",
    )
    assert profile["arrival_weekday"].astype(str).tolist() == list(WEEKDAYS)
    assert profile["attendances"].tolist() == [2, 0, 0, 0, 0, 1, 0]


def test_profile_by_weekday_and_hour_has_168_cells():
    # 7 days x 24 hours; the one attendance (Monday 10:00) is in one cell
    profile = ae_profile(
        attendances(("2024-03-04 10:00", 60, NEW)), ["arrival_weekday", "arrival_hour"]
    )
    assert len(profile) == 168
    hit = profile[profile["attendances"] == 1]
    assert hit[["arrival_hour"]].values.tolist() == [[10]]
    assert hit["arrival_weekday"].astype(str).tolist() == ["Monday"]


def test_profile_by_a_column_of_the_extract():
    # two localities: Clackmannanshire 2 new attendances, Rural Stirling 1
    profile = ae_profile(
        attendances(
            ("2024-03-04 10:00", 60, NEW),
            ("2024-03-04 11:00", 60, NEW),
            ("2024-03-04 12:00", 60, NEW, {"locality": "Rural Stirling"}),
        ),
        "locality",
    )
    assert profile[["locality", "attendances"]].values.tolist() == [
        ["Clackmannanshire", 2],
        ["Rural Stirling", 1],
    ]


# --- PHS's published file ------------------------------------------------------------------


def published(reference):
    raw = pd.read_csv(reference / "ae_monthly_activity.csv")
    key = ["Month", "TreatmentLocation", "DepartmentType"]
    # one key appears twice in the published file (G405H, May 2015): leave it out
    return raw[~raw.duplicated(key, keep=False)].dropna(
        subset=["NumberOfAttendancesAll", "NumberWithin4HoursAll", "PercentageWithin4HoursAll"]
    )


def test_published_percentage_is_within_over_attendances_rounded_half_up(reference):
    # every published PercentageWithin4HoursAll (16,500+ rows, 2007-2023) equals
    # NumberWithin4HoursAll / NumberOfAttendancesAll x 100 rounded half up to 1 dp
    table = published(reference)
    ours = round_half_up(
        percent_within(table["NumberWithin4HoursAll"], table["NumberOfAttendancesAll"]), 1
    )
    assert len(table) > 16000
    assert (ours == table["PercentageWithin4HoursAll"]).all()


def test_published_percentage_rounds_halves_up_not_to_even(reference):
    # A101H, July 2022: 308 / 320 x 100 = 96.25 exactly; PHS publishes 96.3 (half
    # up), where rounding half to even would give 96.2
    table = published(reference)
    row = table[(table["Month"] == 202207) & (table["TreatmentLocation"] == "A101H")].iloc[0]
    assert (row["NumberWithin4HoursAll"], row["NumberOfAttendancesAll"]) == (308, 320)
    assert row["PercentageWithin4HoursAll"] == 96.3
    assert round_half_up(percent_within(pd.Series([308]), pd.Series([320])), 1).tolist() == [96.3]


def test_monthly_measure_reproduces_a_published_month(reference):
    # Record-level attendances built from the published May 2023 counts: for each
    # site, NumberWithin4HoursAll attendances of exactly 240 minutes and the rest
    # of 241 minutes, plus planned returns that must not count. Our monthly
    # measure by site gives back the published attendances, within 4 hours and
    # (rounded half up) percentage for every site.
    table = published(reference)
    month = table[table["Month"] == 202305].reset_index(drop=True)
    total = month["NumberOfAttendancesAll"].astype(int).to_numpy()
    within = month["NumberWithin4HoursAll"].astype(int).to_numpy()
    site = np.repeat(np.arange(len(month)), total)
    first = np.repeat(np.cumsum(total) - total, total)
    is_within = (np.arange(len(site)) - first) < within[site]
    arrived = pd.Timestamp("2023-05-10 09:00")
    ae = pd.DataFrame(
        {
            "arrival_datetime": arrived,
            "departure_datetime": arrived + pd.to_timedelta(np.where(is_within, 240, 241), "min"),
            "attendance_category": "New",
            "discharge_destination": "Home",
            "treatment_location": month["TreatmentLocation"].to_numpy()[site],
        }
    )
    planned = ae.head(500).assign(attendance_category="Planned return")
    result = ae_attendances_monthly(
        pd.concat([ae, planned], ignore_index=True), "2023-05", "2023-05", by="treatment_location"
    )
    merged = result.merge(month, left_on="treatment_location", right_on="TreatmentLocation")
    assert len(merged) == len(month) == 63
    assert (merged["attendances"] == merged["NumberOfAttendancesAll"]).all()
    assert (merged["within_4_hours"] == merged["NumberWithin4HoursAll"]).all()
    rounded = round_half_up(merged["percent_within_4_hours"], 1)
    assert (rounded == merged["PercentageWithin4HoursAll"]).all()
