"""The integration indicators against numbers worked out by hand (docs/methods.md)."""

import pandas as pd
import pytest

from hscp import measures
from hscp.measures import integration as ni

T = pd.Timestamp


def _episodes(rows):
    cols = ["link_no", "cis_marker", "admission_date", "discharge_date", "admission_type", "age"]
    frame = pd.DataFrame(rows, columns=cols)
    frame["admission_date"] = pd.to_datetime(frame["admission_date"])
    frame["discharge_date"] = pd.to_datetime(frame["discharge_date"])
    return frame.assign(
        specialty="A1",
        location="V217H",
        sex=1,
        hscp2019="S37000005",
        locality="X",
        discharge_type=10,
    )


def _by_month(frame, column):
    return dict(zip(frame["month"].dt.strftime("%Y-%m"), frame[column], strict=True))


def test_msg1_counts_emergency_stays_in_their_month_of_discharge():
    episodes = _episodes(
        [
            (1, 1, "2024-04-28", "2024-04-30", 30, 80),  # first episode emergency ...
            (1, 1, "2024-04-30", "2024-05-02", 18, 80),  # ... transferred: one stay, May
            (2, 1, "2024-04-03", "2024-04-05", 18, 80),  # a transfer first: not MSG 1
            (3, 1, "2024-04-03", "2024-04-05", 10, 80),  # elective
            (4, 1, "2024-04-20", None, 30, 80),  # not yet discharged
            (5, 1, "2024-04-10", "2024-04-10", 20, 5),  # urgent, same day, any age
        ]
    )
    out = ni.msg_admissions(episodes, "2024-04", "2024-05")
    assert _by_month(out, "admissions") == {"2024-04": 1, "2024-05": 1}


def test_msg2_counts_the_day_of_admission_not_the_day_of_discharge():
    episodes = _episodes(
        [
            (1, 1, "2024-03-30", "2024-04-02", 30, 80),  # 30, 31 March; 1 April
            (2, 1, "2024-04-10", "2024-04-10", 30, 80),  # same day: no bed day
            (3, 1, "2024-04-01", "2024-04-05", 10, 80),  # elective: not unscheduled
        ]
    )
    out = ni.msg_bed_days(episodes, "acute", "2024-03", "2024-04")
    assert _by_month(out, "bed_days") == {"2024-03": 2, "2024-04": 1}


def test_msg2b_and_2c_include_transfers_and_2c_counts_open_stays_to_the_period_end():
    long_stay = _episodes(
        [
            (1, 1, "2024-04-01", "2024-04-11", 18, 85),  # a transfer in: 10 days
            (2, 1, "2024-04-01", "2024-04-11", 10, 85),  # routine: not counted
        ]
    )
    assert _by_month(ni.msg_bed_days(long_stay, "long_stay", "2024-04", "2024-04"),
                     "bed_days") == {"2024-04": 10}  # fmt: skip
    mental = _episodes([(1, 1, "2024-04-21", None, 30, 40)])  # 21-30 April
    assert _by_month(ni.msg_bed_days(mental, "mental_health", "2024-04", "2024-04"),
                     "bed_days") == {"2024-04": 10}  # fmt: skip
    with pytest.raises(ValueError, match="unknown source"):
        ni.msg_bed_days(mental, "maternity", "2024-04", "2024-04")


def test_ni12_ni13_count_adult_journeys_across_the_three_sources():
    acute = _episodes(
        [
            (1, 1, "2024-04-10", "2024-04-10", 21, 40),  # same day: 1 admission, 1 bed day
            (2, 1, "2024-04-01", "2024-04-03", 30, 70),  # 2 days ...
            (2, 1, "2024-04-03", "2024-04-08", 18, 70),  # ... + 5: one journey of 7
            (3, 1, "2024-04-01", "2024-04-03", 30, 17),  # a child: not counted
            (4, 1, "2024-04-01", "2024-04-03", 10, 70),  # elective
            (8, 1, "2024-04-20", "2024-04-25", 30, 80),  # to long stay on the day of discharge
            (9, 1, "2024-04-02", "2024-04-04", 30, 50),
        ]
    ).assign(location=["V217H"] * 6 + ["G106H"])  # 9: a dental hospital, left out
    long_stay = _episodes(
        [
            (5, 1, "2024-03-01", "2024-04-20", 18, 90),  # admitted in March: 31 + 19 days
            (8, 1, "2024-04-25", "2024-04-30", 10, 80),  # the same journey as 8's acute stay
        ]
    )
    mental = _episodes(
        [
            (6, 1, "2024-04-05", "2024-04-15", 30, 30),  # 10 days
            (7, 1, "2024-04-05", None, 30, 30),  # still in: not counted
        ]
    )
    out = ni.adult_emergency_stays(
        {"acute": acute, "long_stay": long_stay, "mental_health": mental}, "2024-03", "2024-04"
    )
    # April: journeys of 1, 2, 6 and 8 (20-30 April, one journey: 10 days)
    assert _by_month(out, "admissions") == {"2024-03": 1, "2024-04": 4}
    assert _by_month(out, "bed_days") == {"2024-03": 31, "2024-04": 1 + 7 + 19 + 10 + 10}


def test_a_journey_is_open_while_any_episode_is():
    journeys = ni.inpatient_journeys({"acute": _episodes([
        (1, 1, "2024-04-01", "2024-04-05", 30, 80),
        (1, 2, "2024-04-05", None, 18, 80),  # transferred, still in
        (1, 3, "2024-05-01", "2024-05-02", 30, 80),  # overlaps the open one: same journey
    ])})  # fmt: skip
    assert len(journeys) == 1 and journeys["open"].iloc[0]
    assert pd.isna(journeys["discharge_date"].iloc[0])


def test_ni18_counts_people_at_the_census_not_periods():
    census = "2024-03-31"
    home_care = pd.DataFrame(
        {
            "link_no": [1, 1, 2, 3, 4, 5],
            "start_date": pd.to_datetime(
                ["2023-01-01", "2024-01-01", "2023-06-01", "2024-03-31", "2023-01-01", "2023-01-01"]
            ),
            "end_date": pd.to_datetime([None, None, None, None, "2024-03-30", None]),
            "hours_per_week": [6.0, 5.0, 9.5, 10.0, 12.0, 20.0],
            "age": [80, 80, 70, 50, 90, 16],
        }
    )  # 1: 11 hours (two periods) and 3: 10 hours are intensive; 4 ended; 5 a child
    care_homes = pd.DataFrame(
        {
            "link_no": [10, 11, 12],
            "admission_date": pd.to_datetime(["2020-01-01", "2020-01-01", "2020-01-01"]),
            "discharge_date": pd.to_datetime([None, None, "2024-03-01"]),
            "funding": ["Local authority", "Self", "Local authority"],
            "age": [85, 85, 85],
        }
    )
    hospital = pd.DataFrame(
        {
            "link_no": [20, 21],
            "admission_date": pd.to_datetime(["2024-01-01", "2023-01-01"]),
            "discharge_date": pd.to_datetime([None, "2024-04-02"]),
            "age": [70, 60],
        }
    )
    counts = ni.ni18_counts(home_care, care_homes, hospital, census)
    assert counts.iloc[0].to_dict() == {"intensive": 2, "care_home": 1, "hospital": 2}
    assert ni.ni18(counts).iloc[0] == pytest.approx(2 / 5)


def test_balance_of_care_averages_hospital_days_over_the_year():
    stays = pd.DataFrame(
        {
            "link_no": [1, 2, 3],
            "admission_date": pd.to_datetime(["2023-03-25", "2024-03-01", "2023-06-01"]),
            "discharge_date": pd.to_datetime(["2023-04-11", None, "2023-06-30"]),
            "age": [80, 70, 40],  # the third is under 65
        }
    )  # 10 days in April 2023 + 31 days from 1 March 2024: 41 of 366
    care = pd.DataFrame({"link_no": [7], "admission_date": pd.to_datetime(["2022-01-01"]),
                         "discharge_date": pd.to_datetime([None]), "age": [88]})  # fmt: skip
    home = pd.DataFrame({"link_no": [7, 8], "start_date": pd.to_datetime(["2022-01-01"] * 2),
                         "end_date": pd.to_datetime([None, None]), "hours_per_week": [5.0, 2.0],
                         "age": [88, 66]})  # fmt: skip
    out = ni.balance_of_care(stays, care, home, "2023-04-01").iloc[0]
    assert out["hospital"] == pytest.approx(41 / 366)
    assert out["care_home"] == 1 and out["home_care"] == 1  # 7 is in the care home


def test_the_indicator_functions_are_public():
    assert measures.msg_admissions is ni.msg_admissions
    assert measures.ni18 is ni.ni18


def test_the_share_of_the_costed_spend_on_emergency_stays():
    year = "2023-04-01"
    acute = _episodes(
        [
            (1, 1, "2023-03-27", "2023-04-06", 30, 80),  # 5 days in the year (1-5 April)
            (2, 1, "2023-05-01", "2023-05-11", 10, 70),  # elective: 10 days, not unscheduled
        ]
    )
    long_stay = _episodes([(3, 1, "2024-03-22", "2024-04-30", 18, 90)])  # 10 days to 31 March
    mental = _episodes([(4, 1, "2024-03-01", None, 30, 40)])  # open: 31 days to 31 March
    ae = pd.DataFrame({"link_no": [1, 2, 3], "arrival_datetime": pd.to_datetime(
        ["2023-03-31 23:00", "2023-04-01 00:10", "2024-03-31 23:59"])})  # fmt: skip
    homes = pd.DataFrame(
        {
            "link_no": [5],
            "admission_date": pd.to_datetime(["2024-03-18"]),
            "discharge_date": pd.to_datetime([None]),
        }
    )  # 14 days: 2 weeks
    care = pd.DataFrame({"link_no": [6], "start_date": pd.to_datetime(["2024-03-04"]),
                         "end_date": pd.to_datetime(["2024-03-18"]),
                         "hours_per_week": [10.0]})  # 2 weeks x 10 hours  # fmt: skip
    activity = ni.costed_activity(
        {"acute_episodes": acute, "long_stay_episodes": long_stay,
         "mental_health_episodes": mental, "ae_attendances": ae,
         "care_home_episodes": homes, "home_care": care}, year,
    ).iloc[0]  # fmt: skip
    assert activity["acute_bed_days"] == 15 and activity["acute_unscheduled_bed_days"] == 5
    assert activity["long_stay_unscheduled_bed_days"] == 10
    assert activity["mental_health_unscheduled_bed_days"] == 31
    assert activity["ae_attendances"] == 2 and activity["care_home_days"] == 14
    assert activity["home_care_hours"] == pytest.approx(20)
    costs = {"acute_bed_day": 700, "long_stay_bed_day": 400, "mental_health_bed_day": 550,
             "ae_attendance": 200, "care_home_week": 850, "care_at_home_hour": 30}  # fmt: skip
    emergency = 5 * 700 + 10 * 400 + 31 * 550  # 24,550
    spend = 15 * 700 + 10 * 400 + 31 * 550 + 2 * 200 + 2 * 850 + 20 * 30  # 34,250
    share = ni.emergency_spend_share(pd.DataFrame([activity]), costs).iloc[0]
    assert share == pytest.approx(emergency / spend) and share == pytest.approx(0.71679, abs=1e-5)
