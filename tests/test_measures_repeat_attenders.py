"""Repeat attenders at A&E: worked examples.

Attendances counted: new and unplanned return (planned returns are not). A
person's attendances in the window are banded 1, 2-4, 5-9, 10+; a frequent
attender has 5 or more (the threshold is a parameter). An admission follows an
attendance whose discharge destination is "Admitted". Every expected number is
worked out in the comment beside it.
"""

import pandas as pd
import pytest

from hscp.measures.repeat_attenders import (
    FREQUENT,
    OTHER,
    attendance_band,
    attendances_per_person,
    attender_bands,
    attender_bands_over_time,
    frequent_persistence,
    frequent_profile,
    repeat_attenders_over_time,
)

NEW, UNPLANNED, PLANNED = "New", "Unplanned return", "Planned return"


def visits(person, n, *, first="2024-01-03", every_days=7, category=NEW, admitted=0, **other):
    """n attendances of one person, a week apart; the first `admitted` of them admitted."""
    start = pd.Timestamp(first) + pd.Timedelta(hours=10)
    return [
        {
            "link_no": person,
            "arrival_datetime": start + pd.Timedelta(days=every_days * i),
            "attendance_category": category,
            "discharge_destination": "Admitted" if i < admitted else "Home",
            "age": other.get("age", 40),
            "sex": 1,
            "hscp2019": "S37000005",
            "locality": other.get("locality", "Stirling City"),
            "diagnosis": other.get("diagnosis", "R07"),
        }
        for i in range(n)
    ]


def ae(*groups):
    return pd.DataFrame([row for group in groups for row in group])


def test_attendance_bands():
    # 1 | 2-4 | 5-9 | 10+; 0 is no attendance (missing)
    bands = attendance_band(pd.Series([1, 2, 4, 5, 9, 10, 40, 0]))
    assert bands.astype(object).tolist()[:7] == ["1", "2-4", "2-4", "5-9", "5-9", "10+", "10+"]
    assert pd.isna(bands.iloc[7])


def test_planned_returns_are_not_counted():
    # 4 new + 3 planned returns = 4 counted attendances (band 2-4, not frequent)
    data = ae(visits(1, 4), visits(1, 3, first="2024-06-01", category=PLANNED))
    person = attendances_per_person(data, "2024-01", "2024-12").iloc[0]
    assert person["attendances"] == 4
    assert person["band"] == "2-4" and not person["frequent"]


def test_unplanned_returns_are_counted():
    # 3 new + 2 unplanned returns = 5: frequent at the default threshold of 5
    data = ae(visits(1, 3), visits(1, 2, first="2024-06-01", category=UNPLANNED))
    person = attendances_per_person(data, "2024-01", "2024-12").iloc[0]
    assert person["attendances"] == 5 and person["frequent"]


def test_frequent_threshold_is_a_parameter():
    data = ae(visits(1, 5))
    assert attendances_per_person(data, "2024-01", "2024-12", threshold=6)["frequent"].tolist() == [
        False
    ]


def test_only_attendances_in_the_window_count():
    # 10 weekly visits from 3 January: 3, 10, 17, 24, 31 Jan, 7, 14, 21, 28 Feb, 6 Mar;
    # window Feb-Mar: 5 of them
    data = ae(visits(1, 10))
    assert attendances_per_person(data, "2024-02", "2024-03")["attendances"].tolist() == [5]


def test_person_takes_locality_and_age_of_latest_attendance():
    data = ae(
        visits(1, 2, locality="Rural Stirling", age=40), visits(1, 1, first="2024-05-01", age=41)
    )
    person = attendances_per_person(data, "2024-01", "2024-12").iloc[0]
    assert person["locality"] == "Stirling City" and person["age"] == 41


def test_bands_with_shares_of_people_attendances_and_admissions():
    # person 1: 1 attendance (admitted); person 2: 3 (none admitted); person 3: 6 (2 admitted);
    # person 4: 12 (3 admitted). People 4; attendances 1 + 3 + 6 + 12 = 22; admissions 6.
    # Band 5-9: 1 person (25%), 6 attendances (6/22 = 27.3%), 2 admissions (2/6 = 33.3%)
    data = ae(
        visits(1, 1, admitted=1),
        visits(2, 3),
        visits(3, 6, admitted=2),
        visits(4, 12, admitted=3, every_days=3),
    )
    bands = attender_bands(attendances_per_person(data, "2024-01", "2024-12")).set_index("band")
    assert bands["people"].tolist() == [1, 1, 1, 1]
    assert bands["attendances"].tolist() == [1, 3, 6, 12]
    assert bands["admissions"].tolist() == [1, 0, 2, 3]
    assert bands.loc["5-9", "people_share"] == pytest.approx(0.25)
    assert bands.loc["5-9", "attendances_share"] == pytest.approx(6 / 22)
    assert bands.loc["5-9", "admissions_share"] == pytest.approx(2 / 6)


def test_every_band_is_listed_for_every_group():
    data = ae(visits(1, 1, locality="A"), visits(2, 5, locality="B"))
    bands = attender_bands(attendances_per_person(data, "2024-01", "2024-12"), by="locality")
    assert len(bands) == 8  # 2 localities x 4 bands
    a = bands[bands["locality"] == "A"].set_index("band")["people"]
    assert a.tolist() == [1, 0, 0, 0]


def test_frequent_profile_shares_within_each_group():
    # person 1 (frequent, 5 attendances): 3 with R07, 2 with F10; person 2 (other, 2): both R07.
    # Frequent: R07 3/5, F10 2/5; other: R07 2/2, F10 0/2
    data = ae(
        visits(1, 3, diagnosis="R07"),
        visits(1, 2, first="2024-06-01", diagnosis="F10"),
        visits(2, 2, diagnosis="R07"),
    )
    out = frequent_profile(data, "2024-01", "2024-12", "diagnosis").set_index(
        ["diagnosis", "group"]
    )
    assert out.loc[("R07", FREQUENT), "share"] == pytest.approx(0.6)
    assert out.loc[("F10", FREQUENT), "share"] == pytest.approx(0.4)
    assert out.loc[("F10", OTHER), "attendances"] == 0
    assert out.loc[("R07", OTHER), "share"] == pytest.approx(1.0)


def test_repeat_attenders_over_rolling_windows():
    # Person 1: 6 attendances a week apart from 3 Jan 2023 (3, 10, 17, 24, 31 Jan, 7 Feb),
    # the first admitted.
    # Person 2: 1 attendance on 1 Jan 2024.
    # Window Jan-Dec 2023: people 1, frequent 1, attendances 6, frequent attendances 6,
    #   admissions 1 (frequent 1).
    # Window Feb 2023-Jan 2024: person 1 has only the 7 Feb visit -> not frequent; person 2
    #   has 1: people 2, frequent 0, attendances 2, admissions 0 (the admitted visit was
    #   3 Jan 2023, outside the window).
    data = ae(visits(1, 6, first="2023-01-03", admitted=1), visits(2, 1, first="2024-01-01"))
    out = repeat_attenders_over_time(data, "2023-01", "2024-01").set_index("month")
    dec, jan = out.loc[pd.Timestamp("2023-12-01")], out.loc[pd.Timestamp("2024-01-01")]
    assert dec[["people", "frequent_people", "attendances", "frequent_attendances"]].tolist() == [
        1,
        1,
        6,
        6,
    ]
    assert dec[["admissions", "frequent_admissions"]].tolist() == [1, 1]
    assert jan[["people", "frequent_people", "attendances", "admissions"]].tolist() == [2, 0, 2, 0]
    assert len(out) == 2  # windows ending Dec 2023 and Jan 2024


def test_repeat_attenders_over_time_by_locality_places_people_by_latest_attendance():
    # person 1 attends 3 times in A, then 3 times in B: 6 attendances, frequent, placed in B
    data = ae(visits(1, 3, locality="A"), visits(1, 3, first="2024-03-01", locality="B"))
    out = repeat_attenders_over_time(data, "2024-01", "2024-12", by="locality")
    assert out.set_index("locality")["frequent_attendances"].to_dict() == {"A": 0, "B": 6}


def test_repeat_attenders_over_time_needs_a_whole_window():
    with pytest.raises(ValueError, match="shorter than one 12-month window"):
        repeat_attenders_over_time(ae(visits(1, 1)), "2024-01", "2024-06")


def test_frequent_persistence():
    # previous window 2023, latest 2024. Frequent in 2023: persons 1, 2, 3 (5 each).
    # In 2024 person 1 attends 5 times (frequent again), person 2 twice (less often),
    # person 3 not at all: 1, 1, 1 of 3
    data = ae(
        visits(1, 5, first="2023-02-01"),
        visits(2, 5, first="2023-02-01"),
        visits(3, 5, first="2023-02-01"),
        visits(1, 5, first="2024-02-01"),
        visits(2, 2, first="2024-02-01"),
        visits(4, 7, first="2024-02-01"),  # frequent only in 2024: not in the cohort
    )
    out = frequent_persistence(data, "2024-12").set_index("outcome")
    assert out["people"].tolist() == [1, 1, 1]
    assert out["share"].tolist() == pytest.approx([1 / 3] * 3)


def test_bad_threshold_is_an_error():
    with pytest.raises(ValueError, match="threshold"):
        attendances_per_person(ae(visits(1, 1)), "2024-01", "2024-12", threshold=1)


def test_attender_bands_over_time():
    # window Jan-Dec 2024: person 1 has 6 attendances (5-9), person 2 has 1 (band 1),
    # person 3 has 12 three days apart (10+), 2 of them admitted
    data = ae(visits(1, 6), visits(2, 1), visits(3, 12, every_days=3, admitted=2))
    out = attender_bands_over_time(data, "2024-01", "2024-12")
    assert out["band"].astype(str).tolist() == ["1", "2-4", "5-9", "10+"]
    assert out["people"].tolist() == [1, 0, 1, 1]
    assert out["attendances"].tolist() == [1, 0, 6, 12]
    assert out["admissions"].tolist() == [0, 0, 0, 2]


def test_frequent_profile_top_values_and_other():
    # frequent attender (5): R07 x3, F10 x2; other attenders: S01 x4, J20 x1.
    # top 2 by frequent attenders' attendances: R07, F10; S01 and J20 become Other.
    data = ae(
        visits(1, 3, diagnosis="R07"),
        visits(1, 2, first="2024-06-01", diagnosis="F10"),
        visits(2, 4, diagnosis="S01"),
        visits(3, 1, diagnosis="J20"),
    )
    out = frequent_profile(data, "2024-01", "2024-12", "diagnosis", top=2)
    assert out["diagnosis"].astype(str).unique().tolist() == ["R07", "F10", "Other"]
    other = out[(out["diagnosis"] == "Other") & (out["group"] == OTHER)]
    assert other["attendances"].tolist() == [5]  # S01 x4 + J20 x1
