"""Emergency admissions and bed days by month, NI12/NI13/NI16, and bed day drivers: worked examples.

Emergency admission: first episode of a continuous stay with admission type
20-22 or 30-39, one per stay, in the month of admission (and of discharge for
discharges). Bed days: midnights in hospital, each in the month of the day it
starts (admitted 30 March, discharged 2 April: March 1, April 2). NI16: SMR01
episodes of people 65+, admission type 33-35, any diagnosis starting W00-W19,
by month of discharge (Public-Health-Scotland/national-indicators). Every
expected number is worked out by hand in the comment beside it.
"""

import numpy as np
import pandas as pd
import pytest

from hscp.measures.stays import continuous_stays
from hscp.measures.trends import PeriodComparison
from hscp.measures.unscheduled import (
    adult_emergency_monthly,
    ae_breakdown,
    ae_monthly_summary,
    age_group,
    bed_day_drivers,
    describe_stays,
    emergency_monthly,
    falls_episodes,
    falls_monthly,
    length_of_stay_band,
    population_year,
    rate_12_months,
    rolling_total,
)


def episode(link_no=1, cis_marker=1, admitted="2024-03-01", discharged="2024-03-05", **other):
    row = {
        "link_no": link_no,
        "cis_marker": cis_marker,
        "admission_date": pd.Timestamp(admitted),
        "discharge_date": pd.Timestamp(discharged) if discharged else pd.NaT,
        "admission_type": 30,
        "discharge_type": 10,
        "specialty": "A1",
        "location": "G107H",
        "main_condition": "J441",
        **{f"other_condition_{i}": None for i in range(1, 6)},
        "main_operation": None,
        "age": 70,
        "sex": 2,
        "hscp2019": "S37000005",
        "locality": "Stirling City",
    }
    return {**row, **other}


def episodes(*rows):
    frame = pd.DataFrame(list(rows))
    frame["admission_date"] = pd.to_datetime(frame["admission_date"])
    frame["discharge_date"] = pd.to_datetime(frame["discharge_date"])
    for col in ("admission_type", "discharge_type", "age", "sex"):
        frame[col] = frame[col].astype("Int64")
    return frame


def by_month(table, column):
    return table.set_index(table["month"].dt.strftime("%Y-%m"))[column]


# --- rolling 12-month totals ------------------------------------------------------------------


def test_rolling_total_sums_the_12_months_ending_each_month():
    # values 1, 2, ..., 14 for Jan 2023 ... Feb 2024:
    # Dec 2023 = 1 + ... + 12 = 78; Jan 2024 = 2 + ... + 13 = 90; Feb 2024 = 3 + ... + 14 = 102;
    # Jan-Nov 2023 have fewer than 12 months behind them: missing
    monthly = pd.DataFrame(
        {"month": pd.date_range("2023-01-01", periods=14, freq="MS"), "admissions": range(1, 15)}
    )
    out = by_month(rolling_total(monthly, "admissions"), "admissions_12m")
    assert out["2023-12"] == 78 and out["2024-01"] == 90 and out["2024-02"] == 102
    assert out[:"2023-11"].isna().all()


def test_rolling_total_keeps_each_group_apart():
    # two localities, A with 1 a month, B with 10 a month: 12 and 120 over 12 months
    months = pd.date_range("2023-01-01", periods=12, freq="MS")
    monthly = pd.DataFrame(
        {
            "month": list(months) * 2,
            "locality": ["A"] * 12 + ["B"] * 12,
            "admissions": [1] * 12 + [10] * 12,
        }
    )
    out = rolling_total(monthly, "admissions", by="locality")
    last = out[out["month"] == months[-1]].set_index("locality")["admissions_12m"]
    assert last.to_dict() == {"A": 12, "B": 120}


def test_rolling_total_refuses_a_gap():
    monthly = pd.DataFrame(
        {"month": pd.to_datetime(["2024-01-01", "2024-03-01"]), "admissions": [1, 2]}
    )
    with pytest.raises(ValueError, match="not consecutive.*Mar 2024"):
        rolling_total(monthly, "admissions")


# --- emergency admissions, discharges, bed days -------------------------------------------


def test_emergency_stay_counts_once_by_month_of_admission_and_of_discharge():
    # one emergency stay of two episodes (a transfer): admitted 30 March, transferred 1 April,
    # discharged 2 April. Admissions: March 1 (once, not per episode); discharges: April 1;
    # bed days: March 1 (the midnight starting 31 March), April 2 (1 and 2 April)
    stays = continuous_stays(
        episodes(
            episode(admitted="2024-03-30", discharged="2024-04-01"),
            episode(admitted="2024-04-01", discharged="2024-04-02", admission_type=18),
        )
    )
    out = emergency_monthly(stays, "2024-03", "2024-04")
    assert by_month(out, "admissions").tolist() == [1, 0]
    assert by_month(out, "discharges").tolist() == [0, 1]
    assert by_month(out, "bed_days").tolist() == [1, 2]


def test_elective_stays_are_not_emergency_admissions():
    # an elective stay (type 10) with an emergency transfer episode (type 30) is not an emergency
    stays = continuous_stays(
        episodes(
            episode(admitted="2024-03-01", discharged="2024-03-03", admission_type=10),
            episode(admitted="2024-03-03", discharged="2024-03-06", admission_type=30),
        )
    )
    out = emergency_monthly(stays, "2024-03", "2024-03")
    assert out[["admissions", "discharges", "bed_days"]].iloc[0].tolist() == [0, 0, 0]


def test_open_emergency_stay_has_bed_days_to_the_period_end_and_no_discharge():
    # admitted 20 March, still in hospital; period to April: March 31 - 20 = 11, April 30
    stays = continuous_stays(episodes(episode(admitted="2024-03-20", discharged=None)))
    out = emergency_monthly(stays, "2024-03", "2024-04")
    assert by_month(out, "bed_days").tolist() == [11, 30]
    assert by_month(out, "discharges").tolist() == [0, 0]


def test_adult_emergency_admissions_leave_out_under_18s():
    # NI12: a 17-year-old's emergency stay is not counted, an 18-year-old's is
    stays = continuous_stays(
        episodes(
            episode(link_no=1, age=17, admitted="2024-03-01", discharged="2024-03-04"),
            episode(link_no=2, age=18, admitted="2024-03-01", discharged="2024-03-04"),
        )
    )
    out = adult_emergency_monthly(stays, "2024-03", "2024-03")
    assert out["admissions"].tolist() == [1]
    assert out["bed_days"].tolist() == [3]  # 4 March - 1 March


def test_adult_emergency_admissions_leave_out_the_dental_hospitals():
    # PHS leaves out T113H, S206H and G106H (dental hospitals): only the G107H stay counts
    stays = continuous_stays(
        episodes(
            episode(link_no=1, location="G106H"),
            episode(link_no=2, location="S206H"),
            episode(link_no=3, location="G107H"),
        )
    )
    assert adult_emergency_monthly(stays, "2024-03", "2024-03")["admissions"].tolist() == [1]


# --- falls (NI16) -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "counted"),
    [
        ({}, True),  # 70, type 33, main condition W010: a fall
        ({"main_condition": "S720", "other_condition_3": "W19.9"}, True),  # fall code in position 4
        ({"main_condition": "W20"}, False),  # W20 (struck by thrown object): nearly, not a fall
        ({"main_condition": "X00"}, False),  # X00 (exposure to fire): not a fall
        ({"main_condition": "W00"}, True),  # W00: the first fall code
        ({"age": 64}, False),  # under 65
        ({"age": 65}, True),  # 65: counts
        ({"admission_type": 32}, False),  # type 32 (road traffic accident): not 33-35
        ({"admission_type": 35}, True),  # type 35 (other injury): counts
        ({"admission_type": 36}, False),  # type 36 (other emergency): not 33-35
        ({"discharged": None}, False),  # not yet discharged: PHS counts discharges
    ],
)
def test_falls_rules(changes, counted):
    row = episode(**{"admission_type": 33, "main_condition": "W010", **changes})
    assert len(falls_episodes(episodes(row))) == int(counted)


def test_falls_count_by_month_of_discharge_and_once_per_episode():
    # admitted 28 Feb, discharged 2 March with W01 and W18: one fall, in March
    row = episode(
        admission_type=33,
        main_condition="W010",
        other_condition_1="W18",
        admitted="2024-02-28",
        discharged="2024-03-02",
    )
    out = falls_monthly(episodes(row), "2024-02", "2024-03")
    assert by_month(out, "falls").tolist() == [0, 1]


# --- rates over 12 months ---------------------------------------------------------------------


def population(rows):
    return pd.DataFrame(rows, columns=["year", "hscp2019", "locality", "sex", "age", "population"])


def test_population_year_is_the_year_of_the_window_midpoint():
    # Jan-Dec 2023: midpoint 1 July 2023 -> 2023; Apr 2023-Mar 2024: 1 October 2023 -> 2023;
    # if 2023 is not published yet, the latest earlier year, 2022
    assert population_year("2023-12", [2021, 2022, 2023]) == 2023
    assert population_year("2024-03", [2022, 2023, 2024]) == 2023
    assert population_year("2024-03", [2021, 2022]) == 2022


def test_rate_12_months_per_1000_aged_65_plus():
    # 12 months to Dec 2023 with 2 falls a month = 24 falls; people 65+ in 2023:
    # 1,000 (aged 70) + 200 (90+) = 1,200; the 50-year-olds do not count.
    # rate = 24 / 1,200 x 1,000 = 20 per 1,000;
    # Byar's limits of 24: 24 (1 - 1/216 - 1.96/(3 sqrt 24))^3 = 15.3754 -> 12.81 per 1,000,
    # 25 (1 - 1/225 + 1.96/(3 sqrt 25))^3 = 35.7113 -> 29.76 per 1,000
    monthly = pd.DataFrame(
        {"month": pd.date_range("2023-01-01", periods=12, freq="MS"), "falls": [2] * 12}
    )
    people = population(
        [
            (2023, "S37000005", "Stirling City", 1, 70, 1000),
            (2023, "S37000005", "Stirling City", 2, 90, 200),
            (2023, "S37000005", "Stirling City", 2, 50, 5000),
        ]
    )
    row = rate_12_months(monthly, "falls", people, "2023-12", min_age=65, per=1000).iloc[0]
    assert row["falls"] == 24 and row["population"] == 1200 and row["population_year"] == 2023
    assert row["rate"] == pytest.approx(20.0)
    assert row["lower"] == pytest.approx(12.81, abs=0.01)
    assert row["upper"] == pytest.approx(29.76, abs=0.01)


def test_rate_12_months_by_locality():
    # A: 12 admissions / 1,000 adults x 100,000 = 1,200; B: 24 / 3,000 x 100,000 = 800
    months = pd.date_range("2023-01-01", periods=12, freq="MS")
    monthly = pd.DataFrame(
        {
            "month": list(months) * 2,
            "locality": ["A"] * 12 + ["B"] * 12,
            "admissions": [1] * 12 + [2] * 12,
        }
    )
    people = population(
        [
            (2023, "S37000005", "A", 1, 40, 1000),
            (2023, "S37000005", "A", 1, 10, 999),
            (2023, "S37000005", "B", 1, 40, 3000),
        ]
    )
    out = rate_12_months(
        monthly, "admissions", people, "2023-12", min_age=18, per=100_000, by="locality"
    ).set_index("locality")
    assert out["rate"].to_dict() == pytest.approx({"A": 1200.0, "B": 800.0})


def test_rate_12_months_needs_a_whole_window():
    monthly = pd.DataFrame(
        {"month": pd.date_range("2023-03-01", periods=10, freq="MS"), "falls": [1] * 10}
    )
    people = population([(2023, "S37000005", "A", 1, 70, 100)])
    with pytest.raises(ValueError, match="does not cover.*no Jan 2023"):
        rate_12_months(monthly, "falls", people, "2023-12")


# --- groups for bed day drivers --------------------------------------------------------------


def test_length_of_stay_bands():
    # 0 same day; 1-2; 3-6; 7-13; 14-20; 21 and over
    bands = length_of_stay_band(pd.Series([0, 1, 2, 3, 6, 7, 13, 14, 20, 21, 400]))
    assert bands.astype(str).tolist() == [
        "Same day",
        "1-2 days",
        "1-2 days",
        "3-6 days",
        "3-6 days",
        "7-13 days",
        "7-13 days",
        "14-20 days",
        "14-20 days",
        "21+ days",
        "21+ days",
    ]


def test_age_groups():
    groups = age_group(pd.Series([0, 17, 18, 44, 45, 64, 65, 74, 75, 84, 85, 101]))
    assert groups.astype(str).tolist() == [
        "0-17",
        "0-17",
        "18-44",
        "18-44",
        "45-64",
        "45-64",
        "65-74",
        "65-74",
        "75-84",
        "75-84",
        "85+",
        "85+",
    ]


def test_describe_stays_counts_an_open_stay_so_far():
    # admitted 10 March, still in hospital at the end of April: 51 days so far -> 21+ days
    stays = continuous_stays(episodes(episode(admitted="2024-03-10", discharged=None)))
    described = describe_stays(stays, "2024-04")
    assert described["los_band"].astype(str).tolist() == ["21+ days"]
    assert described["age_group"].astype(str).tolist() == ["65-74"]
    # main condition J441 (COPD): the respiratory group, ICD-10 chapter X
    assert described["condition_group"].astype(str).tolist() == ["Respiratory"]
    assert (
        described["icd10_chapter"].astype(str).str.startswith("X Diseases of the respiratory").all()
    )


def test_bed_day_drivers_by_length_of_stay():
    # March: two short stays of 2 days (1-3 and 5-7 March) and one of 25 days (1-26 March).
    # Admissions: 1-2 days 2, 21+ days 1 (shares 2/3, 1/3); bed days 4 and 25 (4/29, 25/29)
    stays = continuous_stays(
        episodes(
            episode(link_no=1, admitted="2024-03-01", discharged="2024-03-03"),
            episode(link_no=2, admitted="2024-03-05", discharged="2024-03-07"),
            episode(link_no=3, admitted="2024-03-01", discharged="2024-03-26"),
        )
    )
    out = bed_day_drivers(describe_stays(stays, "2024-03"), "2024-03", "2024-03", "los_band")
    out = out.set_index(out["los_band"].astype(str))
    assert out.loc["1-2 days", ["admissions", "bed_days"]].tolist() == [2, 4]
    assert out.loc["21+ days", ["admissions", "bed_days"]].tolist() == [1, 25]
    assert out.loc["21+ days", "bed_days_share"] == pytest.approx(25 / 29)
    assert out.loc["1-2 days", "admissions_share"] == pytest.approx(2 / 3)
    assert np.isclose(out["bed_days_share"].sum(), 1)


# --- A&E by month ------------------------------------------------------------------------------


def test_ae_monthly_summary():
    # March: a new attendance by ambulance, 200 minutes, admitted; an unplanned return on foot,
    # 300 minutes, home; a planned return (not counted). Attendances 2, within 4 hours 1,
    # admitted 1, ambulance 1. April: nothing (zero-filled).
    arrival = pd.Timestamp("2024-03-04 10:00")
    ae = pd.DataFrame(
        {
            "link_no": [1, 2, 3],
            "arrival_datetime": [arrival] * 3,
            "departure_datetime": [arrival + pd.Timedelta(minutes=m) for m in (200, 300, 30)],
            "attendance_category": ["New", "Unplanned return", "Planned return"],
            "arrival_mode": ["Ambulance", "Own transport", "Ambulance"],
            "discharge_destination": ["Admitted", "Home", "Home"],
        }
    )
    out = ae_monthly_summary(ae, "2024-03", "2024-04")
    march = out.iloc[0]
    assert march[["attendances", "within_4_hours", "admitted", "ambulance"]].tolist() == [
        2,
        1,
        1,
        1,
    ]
    assert out.iloc[1][["attendances", "admitted"]].tolist() == [0, 0]


def test_ae_breakdown_by_arrival_mode():
    # 3 by ambulance (2 admitted, 2 within 4 hours), 1 on foot (within 4 hours), 1 planned
    # return by ambulance (not counted). Ambulance: 3 of 4 attendances (75%), admitted 2/3,
    # within 4 hours 2/3 = 66.7%; own transport 1 (25%), none admitted, 100% within 4 hours
    arrival = pd.Timestamp("2024-03-04 10:00")
    rows = [
        ("New", "Ambulance", "Admitted", 100),
        ("New", "Ambulance", "Admitted", 300),
        ("Unplanned return", "Ambulance", "Home", 200),
        ("New", "Own transport", "Home", 60),
        ("Planned return", "Ambulance", "Home", 30),
    ]
    ae = pd.DataFrame(
        {
            "arrival_datetime": [arrival] * len(rows),
            "departure_datetime": [arrival + pd.Timedelta(minutes=r[3]) for r in rows],
            "attendance_category": [r[0] for r in rows],
            "arrival_mode": [r[1] for r in rows],
            "discharge_destination": [r[2] for r in rows],
        }
    )
    out = ae_breakdown(ae, "arrival_mode").set_index("arrival_mode")
    assert out.index.tolist() == ["Ambulance", "Own transport"]
    assert out.loc["Ambulance", ["attendances", "admitted", "within_4_hours"]].tolist() == [3, 2, 2]
    assert out.loc["Ambulance", "share"] == pytest.approx(0.75)
    assert out.loc["Ambulance", "admitted_share"] == pytest.approx(2 / 3)
    assert out.loc["Own transport", "percent_within_4_hours"] == pytest.approx(100.0)


def test_bed_day_drivers_list_bands_in_their_order():
    # stays of 25, 4 and 2 days: listed 1-2, 3-6, 21+ days (band order, not alphabetical,
    # which would put 21+ before 3-6)
    stays = continuous_stays(
        episodes(
            episode(link_no=1, admitted="2024-03-01", discharged="2024-03-26"),
            episode(link_no=2, admitted="2024-03-05", discharged="2024-03-09"),
            episode(link_no=3, admitted="2024-03-05", discharged="2024-03-07"),
        )
    )
    out = bed_day_drivers(describe_stays(stays, "2024-03"), "2024-03", "2024-03", "los_band")
    assert out["los_band"].astype(str).tolist() == ["1-2 days", "3-6 days", "21+ days"]


def test_a_period_comparison_covers_the_days_of_its_latest_months():
    # latest 12 months: Apr 2024 to Mar 2025, i.e. 1 Apr 2024 00:00 to 31 Mar 2025 23:59
    year = PeriodComparison(10, 8, pd.Timestamp("2024-04-01"), pd.Timestamp("2025-03-01"), 12)
    dates = pd.Series(
        pd.to_datetime(
            [
                "2024-03-31 23:59",  # the day before: out
                "2024-04-01 00:00",  # the first day: in
                "2025-03-31 23:59",  # the last minute of the last day: in
                "2025-04-01 00:00",  # after the period's end: out
                None,  # no date: out
            ]
        )
    )
    assert year.covers(dates).tolist() == [False, True, True, False, False]
