"""Emergency readmissions within 28 days (NI14): worked examples.

The rules are those of Public-Health-Scotland/national-indicators
(R/ni14_functions.R, SQL/ni14_smra.sql). Days between a discharge and the next
admission are the later date minus the earlier (discharged 1 January,
readmitted 29 January: 28 days). Every expected number is worked out in the
comment beside it.
"""

import pandas as pd

from hscp.measures.readmissions import readmission_rate, readmissions
from hscp.measures.stays import continuous_stays

ELECTIVE, EMERGENCY = 10, 30
DIED = 41  # discharge type: died, no post-mortem


def stays(*rows):
    """Continuous stays; each row (person, admitted, discharged, admission type, **other)."""
    records = []
    for i, (person, admitted, discharged, admission_type, *other) in enumerate(rows, 1):
        extra = other[0] if other else {}
        records.append(
            {
                "link_no": person,
                "cis_marker": i,
                "admission_date": pd.Timestamp(admitted),
                "discharge_date": pd.Timestamp(discharged) if discharged else pd.NaT,
                "admission_type": admission_type,
                "discharge_type": extra.get("discharge_type", 10 if discharged else None),
                "age": extra.get("age", 70),
                "sex": 2,
                "hscp2019": "S37000005",
                "locality": extra.get("locality", "Clackmannanshire"),
            }
        )
    frame = pd.DataFrame(records)
    frame["discharge_date"] = pd.to_datetime(frame["discharge_date"])
    for col in ("admission_type", "discharge_type", "age", "sex"):
        frame[col] = frame[col].astype("Int64")
    return frame


def flags(table):
    """{cis_marker: readmitted_28} of the readmissions table."""
    return dict(zip(table["cis_marker"], table["readmitted_28"], strict=True))


# --- the 28 days ------------------------------------------------------------------------


def test_emergency_readmission_on_day_28_counts():
    # discharged 1 Jan, emergency admission 29 Jan: 29 - 1 = 28 days, within 28
    table = readmissions(
        stays((1, "2024-01-01", "2024-01-01", ELECTIVE), (1, "2024-01-29", "2024-02-02", EMERGENCY))
    )
    assert flags(table)[1]
    assert table.loc[table["cis_marker"] == 1, "days_to_readmission"].tolist() == [28]


def test_emergency_readmission_on_day_29_does_not_count():
    # discharged 1 Jan, emergency admission 30 Jan: 29 days, outside 28
    table = readmissions(
        stays((1, "2024-01-01", "2024-01-01", ELECTIVE), (1, "2024-01-30", "2024-02-02", EMERGENCY))
    )
    assert not flags(table)[1]
    assert table.loc[table["cis_marker"] == 1, "days_to_readmission"].tolist() == [29]


def test_emergency_readmission_on_the_day_of_discharge_counts():
    # discharged 5 Jan, a new stay admitted as an emergency on 5 Jan: day 0, counts
    table = readmissions(
        stays(
            (1, "2024-01-02", "2024-01-05", EMERGENCY), (1, "2024-01-05", "2024-01-08", EMERGENCY)
        )
    )
    assert flags(table)[1]


# --- which admissions are readmissions ---------------------------------------------------


def test_elective_readmission_does_not_count():
    # discharged 1 Jan, elective (type 10) admission 6 Jan: not an emergency, so
    # no readmission and no days to readmission
    table = readmissions(
        stays((1, "2023-12-28", "2024-01-01", EMERGENCY), (1, "2024-01-06", "2024-01-07", ELECTIVE))
    )
    assert not flags(table)[1]
    assert table.loc[table["cis_marker"] == 1, "days_to_readmission"].isna().all()


def test_urgent_admission_types_20_to_22_are_emergency_readmissions():
    # type 21 (urgent: planned) is in the NI14 emergency list 20-22, 30-39
    table = readmissions(
        stays((1, "2024-01-01", "2024-01-03", ELECTIVE), (1, "2024-01-10", "2024-01-12", 21))
    )
    assert flags(table)[1]


def test_only_the_next_stay_is_looked_at():
    # discharged 1 Jan (stay 1); elective 3-4 Jan (stay 2); emergency 10 Jan (stay 3).
    # Stay 1's next stay is elective: not readmitted, although stay 3 is 9 days
    # after it. Stay 2 is readmitted: 10 - 4 = 6 days to stay 3.
    table = readmissions(
        stays(
            (1, "2023-12-30", "2024-01-01", EMERGENCY),
            (1, "2024-01-03", "2024-01-04", ELECTIVE),
            (1, "2024-01-10", "2024-01-12", EMERGENCY),
        )
    )
    assert flags(table) == {1: False, 2: True, 3: False}


def test_a_readmission_can_itself_be_readmitted():
    # stay 1 discharged 1 Jan; stay 2 emergency 10 Jan (9 days), discharged 15 Jan;
    # stay 3 emergency 20 Jan (5 days), still in hospital. Stays 1 and 2 are both
    # discharges followed by a readmission; stay 3 is not a discharge (open).
    table = readmissions(
        stays(
            (1, "2023-12-28", "2024-01-01", ELECTIVE),
            (1, "2024-01-10", "2024-01-15", EMERGENCY),
            (1, "2024-01-20", None, EMERGENCY),
        )
    )
    assert flags(table) == {1: True, 2: True}
    assert table["days_to_readmission"].tolist() == [9, 5]


def test_different_people_never_link():
    # person 1 discharged 1 Jan; person 2 admitted as an emergency 5 Jan, 4 days
    # later: a different link_no, so not person 1's readmission
    table = readmissions(
        stays((1, "2023-12-28", "2024-01-01", ELECTIVE), (2, "2024-01-05", "2024-01-06", EMERGENCY))
    )
    assert flags(table) == {1: False, 2: False}


def test_stays_are_linked_in_admission_date_order_not_row_order():
    # the rows come latest first; sorted by admission date, the stay discharged
    # 1 Jan is followed by the emergency admission of 20 Jan (19 days)
    table = readmissions(
        stays((1, "2024-01-20", "2024-01-22", EMERGENCY), (1, "2023-12-30", "2024-01-01", ELECTIVE))
    )
    assert flags(table) == {1: False, 2: True}


# --- which discharges count ---------------------------------------------------------------


def test_death_at_discharge_is_not_a_denominator_discharge():
    # stay 1 ends in death (discharge type 41): not a discharge, so not in the table
    table = readmissions(
        stays(
            (1, "2024-01-01", "2024-01-05", EMERGENCY, {"discharge_type": DIED}),
            (2, "2024-01-01", "2024-01-05", EMERGENCY),
        )
    )
    assert table["cis_marker"].tolist() == [2]


def test_stay_still_open_is_not_a_discharge():
    # admitted 1 Jan, no discharge date: no row
    assert readmissions(stays((1, "2024-01-01", None, EMERGENCY))).empty


def test_people_under_18_are_not_counted():
    # NI14 is for adults: a 17-year-old's discharge and readmission are left out;
    # an 18-year-old's count
    table = readmissions(
        stays(
            (1, "2024-01-01", "2024-01-02", EMERGENCY, {"age": 17}),
            (1, "2024-01-05", "2024-01-06", EMERGENCY, {"age": 17}),
            (2, "2024-01-01", "2024-01-02", EMERGENCY, {"age": 18}),
            (2, "2024-01-05", "2024-01-06", EMERGENCY, {"age": 18}),
        )
    )
    assert flags(table) == {3: True, 4: False}


def test_min_age_none_counts_everyone():
    # the same 17-year-old, with the age rule switched off: readmitted after 3 days
    table = readmissions(
        stays(
            (1, "2024-01-01", "2024-01-02", EMERGENCY, {"age": 17}),
            (1, "2024-01-05", "2024-01-06", EMERGENCY, {"age": 17}),
        ),
        min_age=None,
    )
    assert flags(table) == {1: True, 2: False}


def test_a_transfer_within_a_stay_is_not_a_readmission():
    # one continuous stay: an emergency episode 1-4 Jan, then a transfer (type 39)
    # to another hospital 4-9 Jan. continuous_stays makes it one stay, discharged
    # 9 Jan: one discharge, not readmitted.
    episodes = pd.DataFrame(
        {
            "link_no": [1, 1],
            "cis_marker": [1, 1],
            "admission_date": pd.to_datetime(["2024-01-01", "2024-01-04"]),
            "discharge_date": pd.to_datetime(["2024-01-04", "2024-01-09"]),
            "admission_type": pd.array([30, 39], dtype="Int64"),
            "discharge_type": pd.array([11, 10], dtype="Int64"),
            "age": pd.array([70, 70], dtype="Int64"),
        }
    )
    table = readmissions(continuous_stays(episodes))
    assert table["discharge_date"].tolist() == [pd.Timestamp("2024-01-09")]
    assert table["readmitted_28"].tolist() == [False]


def test_discharge_row_carries_month_and_geography():
    # discharged 31 Jan: month January; hscp2019/locality/age/sex of the stay
    table = readmissions(
        stays((1, "2024-01-30", "2024-01-31", EMERGENCY, {"locality": "Rural Stirling", "age": 81}))
    )
    row = table.iloc[0]
    assert row["month"] == pd.Timestamp("2024-01-01")
    assert (row["hscp2019"], row["locality"], row["age"], row["sex"]) == (
        "S37000005",
        "Rural Stirling",
        81,
        2,
    )


# --- the rate ----------------------------------------------------------------------------


def test_readmission_is_counted_in_the_month_of_the_discharge():
    # discharged 31 Jan, readmitted 5 Feb (5 days): January has 1 discharge and 1
    # readmission (1 / 1 x 1,000 = 1,000); February has the readmission stay's
    # discharge (6 Feb), not readmitted: 0 per 1,000
    rate = readmission_rate(
        stays(
            (1, "2024-01-29", "2024-01-31", ELECTIVE), (1, "2024-02-05", "2024-02-06", EMERGENCY)
        ),
        "2024-01",
        "2024-02",
    )
    assert rate["discharges"].tolist() == [1, 1]
    assert rate["readmissions"].tolist() == [1, 0]
    assert rate["rate_per_1000"].tolist() == [1000.0, 0.0]


def test_rate_per_1000_discharges():
    # January: 4 discharges (people 1-4), of which person 1 is readmitted (10 Jan ->
    # 20 Jan, 10 days); the readmission is discharged in February (not readmitted).
    # January rate = 1 / 4 x 1,000 = 250; February = 0 / 1 x 1,000 = 0
    rate = readmission_rate(
        stays(
            (1, "2024-01-08", "2024-01-10", ELECTIVE),
            (1, "2024-01-20", "2024-02-03", EMERGENCY),
            (2, "2024-01-08", "2024-01-10", EMERGENCY),
            (3, "2024-01-08", "2024-01-10", EMERGENCY),
            (4, "2024-01-08", "2024-01-10", EMERGENCY),
        ),
        "2024-01",
        "2024-02",
    )
    assert rate["discharges"].tolist() == [4, 1]
    assert rate["readmissions"].tolist() == [1, 0]
    assert rate["rate_per_1000"].tolist() == [250.0, 0.0]


def test_rate_is_zero_filled_by_month_and_locality():
    # one discharge in Rural Stirling in January; Clackmannanshire's only stay ended
    # in death. Every month x locality has a row: 0 discharges, rate missing.
    rate = readmission_rate(
        stays(
            (1, "2024-01-08", "2024-01-10", EMERGENCY, {"locality": "Rural Stirling"}),
            (
                2,
                "2024-01-08",
                "2024-01-10",
                EMERGENCY,
                {"locality": "Clackmannanshire", "discharge_type": DIED},
            ),
        ),
        "2024-01",
        "2024-02",
        by="locality",
    )
    assert rate[["locality", "discharges"]].values.tolist() == [
        ["Clackmannanshire", 0],
        ["Rural Stirling", 1],
        ["Clackmannanshire", 0],
        ["Rural Stirling", 0],
    ]
    assert rate["rate_per_1000"].isna().tolist() == [True, False, True, True]


def test_rate_columns():
    rate = readmission_rate(
        stays((1, "2024-01-08", "2024-01-10", EMERGENCY)), "2024-01", "2024-01", by="locality"
    )
    assert list(rate.columns) == [
        "month",
        "locality",
        "discharges",
        "readmissions",
        "rate_per_1000",
    ]
