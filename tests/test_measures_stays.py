"""Continuous inpatient stays, emergency admissions and bed days: worked examples.

Every expected number is worked out by hand in the comment beside it.
"""

import numpy as np
import pandas as pd
import pytest

from hscp.measures import admissions_by_month, bed_days_by_month, continuous_stays, is_emergency


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
        "hscp2019": "S37000005",
        "locality": "Stirling City",
    }
    return {**row, **other}


def episodes(*rows):
    frame = pd.DataFrame(list(rows))
    frame["admission_date"] = pd.to_datetime(frame["admission_date"])
    frame["discharge_date"] = pd.to_datetime(frame["discharge_date"])
    for col in ("admission_type", "discharge_type"):
        frame[col] = frame[col].astype("Int64")
    return frame


def stays(*rows):
    """Stays as continuous_stays returns them (only the columns the bed day rules use)."""
    frame = pd.DataFrame(
        [
            {
                "admission_date": pd.Timestamp(a),
                "discharge_date": pd.Timestamp(d) if d else pd.NaT,
                "locality": loc,
            }
            for a, d, loc in rows
        ]
    )
    frame["discharge_date"] = pd.to_datetime(frame["discharge_date"])
    return frame


def by_month(table, column):
    return table.set_index(table["month"].dt.strftime("%Y-%m"))[column]


# --- is_emergency ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("admission_type", "emergency"),
    [
        (19, False),  # routine: other, just below the urgent range
        (20, True),  # urgent 20-22: the first emergency code
        (22, True),  # urgent transfer: the last urgent code
        (30, True),  # emergency 30-39: the first
        (39, True),  # emergency transfer: the last
        (40, False),  # maternity, just above
        (18, False),  # routine transfer
    ],
)
def test_emergency_admission_types_are_20_to_22_and_30_to_39(admission_type, emergency):
    assert is_emergency(pd.Series([admission_type], dtype="Int64")).tolist() == [emergency]


def test_missing_admission_type_is_not_an_emergency():
    assert is_emergency(pd.Series([pd.NA], dtype="Int64")).tolist() == [False]


# --- continuous_stays -----------------------------------------------------------------


def test_episodes_of_one_stay_become_one_row_with_first_and_last_episode_fields():
    # Given out of order: the medical episode (admitted 1 March, emergency 30, specialty A1
    # at G107H) comes first by admission date; the geriatric episode (5 to 12 March,
    # routine transfer 18, specialty AB at G108H, died 41) comes last.
    result = continuous_stays(
        episodes(
            episode(
                admitted="2024-03-05",
                discharged="2024-03-12",
                admission_type=18,
                discharge_type=41,
                specialty="AB",
                location="G108H",
            ),
            episode(
                admitted="2024-03-01",
                discharged="2024-03-05",
                admission_type=30,
                discharge_type=12,
                specialty="A1",
                location="G107H",
            ),
        )
    )
    assert len(result) == 1
    stay = result.iloc[0]
    assert stay["admission_date"] == pd.Timestamp("2024-03-01")  # first episode
    assert stay["discharge_date"] == pd.Timestamp("2024-03-12")  # last episode
    assert (stay["admission_type"], stay["specialty"], stay["location"]) == (30, "A1", "G107H")
    assert (stay["discharge_type"], stay["last_specialty"], stay["last_location"]) == (
        41,
        "AB",
        "G108H",
    )
    assert stay["n_episodes"] == 2


def test_length_of_stay_is_discharge_minus_admission_date_over_the_whole_stay():
    # 1 March to 5 March (4 days) then 5 March to 12 March (7 days): the stay is
    # 12 March - 1 March = 11 days.
    result = continuous_stays(
        episodes(
            episode(admitted="2024-03-01", discharged="2024-03-05"),
            episode(admitted="2024-03-05", discharged="2024-03-12"),
        )
    )
    assert result["length_of_stay"].tolist() == [11]


def test_same_day_stay_has_length_of_stay_zero():
    # admitted and discharged on 3 March: 3 March - 3 March = 0 days
    result = continuous_stays(episodes(episode(admitted="2024-03-03", discharged="2024-03-03")))
    assert result["length_of_stay"].tolist() == [0]


def test_stay_whose_last_episode_is_open_has_no_discharge_date_or_length_of_stay():
    # first episode 1-5 March (closed), second from 5 March still open: the stay is open,
    # not "discharged 5 March" (the earlier episode's date must not leak through)
    result = continuous_stays(
        episodes(
            episode(admitted="2024-03-01", discharged="2024-03-05", discharge_type=11),
            episode(admitted="2024-03-05", discharged=None, discharge_type=pd.NA),
        )
    )
    stay = result.iloc[0]
    assert pd.isna(stay["discharge_date"])
    assert pd.isna(stay["length_of_stay"])
    assert pd.isna(stay["discharge_type"])
    assert not stay["died"]


def test_emergency_is_decided_by_the_first_episode_and_counted_once_per_stay():
    # stay 1: emergency (30) then two routine transfers (18): one emergency stay, not three.
    # stay 2: elective (10) then an emergency transfer (39): not an emergency stay.
    result = continuous_stays(
        episodes(
            episode(
                cis_marker=1, admitted="2024-03-01", discharged="2024-03-02", admission_type=30
            ),
            episode(
                cis_marker=1, admitted="2024-03-02", discharged="2024-03-04", admission_type=18
            ),
            episode(
                cis_marker=1, admitted="2024-03-04", discharged="2024-03-09", admission_type=18
            ),
            episode(
                cis_marker=2, admitted="2024-04-01", discharged="2024-04-02", admission_type=10
            ),
            episode(
                cis_marker=2, admitted="2024-04-02", discharged="2024-04-06", admission_type=39
            ),
        )
    )
    assert result["emergency"].tolist() == [True, False]
    assert result["emergency"].sum() == 1


def test_died_when_the_last_discharge_type_is_40_to_43():
    # discharge types 40, 43 (deaths, the ends of the range), 10 and 12 (alive)
    rows = [episode(cis_marker=i, discharge_type=t) for i, t in enumerate([40, 43, 10, 12], 1)]
    assert continuous_stays(episodes(*rows))["died"].tolist() == [True, True, False, False]


def test_a_stay_is_identified_by_person_and_cis_marker_together():
    # two people who both have cis_marker 1, and person 1's second stay: three stays
    result = continuous_stays(
        episodes(
            episode(link_no=1, cis_marker=1),
            episode(link_no=2, cis_marker=1),
            episode(link_no=1, cis_marker=2, admitted="2024-04-01", discharged="2024-04-03"),
        )
    )
    assert list(zip(result["link_no"], result["cis_marker"], strict=True)) == [
        (1, 1),
        (1, 2),
        (2, 1),
    ]


# --- bed_days_by_month ----------------------------------------------------------------


def test_same_day_stay_has_no_bed_days():
    # 3 March to 3 March: no midnight in hospital, 0 bed days
    result = bed_days_by_month(stays(("2024-03-03", "2024-03-03", "X")), "2024-03", "2024-03")
    assert by_month(result, "bed_days")["2024-03"] == 0


def test_bed_days_are_split_across_months_by_midnights():
    # 30 March to 2 April = 3 bed days: the midnights beginning 31 March (March),
    # 1 April and 2 April (April), so March 1 and April 2 (the midnight beginning
    # 1 April counts in April).
    result = bed_days_by_month(stays(("2024-03-30", "2024-04-02", "X")), "2024-03", "2024-04")
    assert by_month(result, "bed_days").to_dict() == {"2024-03": 1, "2024-04": 2}


def test_discharge_on_the_first_of_the_month_gives_that_month_one_bed_day():
    # 31 March to 1 April: 1 bed day, the midnight beginning 1 April, counted in April
    result = bed_days_by_month(stays(("2024-03-31", "2024-04-01", "X")), "2024-03", "2024-04")
    assert by_month(result, "bed_days").to_dict() == {"2024-03": 0, "2024-04": 1}


def test_open_stay_counts_to_the_end_of_the_period():
    # admitted 20 Feb 2024, still in hospital, period Feb-Mar 2024:
    # February: midnights beginning 21..29 Feb (2024 is a leap year) = 9;
    # March: all 31 days, to the end of the period's last month.
    result = bed_days_by_month(stays(("2024-02-20", None, "X")), "2024-02", "2024-03")
    assert by_month(result, "bed_days").to_dict() == {"2024-02": 9, "2024-03": 31}


def test_only_the_bed_days_inside_the_period_are_counted():
    # 15 Dec 2023 to 10 Feb 2024, period January 2024 only: the January midnights
    # beginning 1..31 January = 31; December's 16 and February's 10 are outside.
    result = bed_days_by_month(stays(("2023-12-15", "2024-02-10", "X")), "2024-01", "2024-01")
    assert result["bed_days"].tolist() == [31]


def test_bed_days_are_zero_filled_for_every_month_and_group_present():
    # Locality A: 1 to 3 March = 2 bed days in March. Locality B: 10 to 15 April = 5 in
    # April. Every month x locality appears, the others with 0.
    result = bed_days_by_month(
        stays(("2024-03-01", "2024-03-03", "A"), ("2024-04-10", "2024-04-15", "B")),
        "2024-03",
        "2024-05",
        by="locality",
    )
    table = result.set_index([result["month"].dt.strftime("%Y-%m"), "locality"])["bed_days"]
    assert table.to_dict() == {
        ("2024-03", "A"): 2,
        ("2024-03", "B"): 0,
        ("2024-04", "A"): 0,
        ("2024-04", "B"): 5,
        ("2024-05", "A"): 0,
        ("2024-05", "B"): 0,
    }


def test_bed_days_of_many_stays_add_up_to_their_lengths_of_stay():
    # 500 random stays admitted and discharged within 2023 (seeded): split across months,
    # the year's bed days are the sum of discharge - admission date.
    rng = np.random.default_rng(7)
    admitted = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 300, 500), unit="D")
    length = rng.integers(0, 65, 500)
    rows = [(a, a + pd.Timedelta(days=int(n)), "X") for a, n in zip(admitted, length, strict=True)]
    result = bed_days_by_month(stays(*rows), "2023-01", "2023-12")
    assert result["bed_days"].sum() == length.sum()


def test_month_column_holds_the_first_day_of_each_month():
    result = bed_days_by_month(stays(("2024-03-30", "2024-04-02", "X")), "2024-03-15", "2024-04")
    assert result["month"].tolist() == [pd.Timestamp("2024-03-01"), pd.Timestamp("2024-04-01")]


# --- admissions_by_month --------------------------------------------------------------


def test_admissions_are_counted_in_the_month_of_admission_and_zero_filled():
    # admitted 31 March, 1 April, 30 April: March 1, April 2, May 0
    result = admissions_by_month(
        stays(
            ("2024-03-31", "2024-04-02", "X"),
            ("2024-04-01", None, "X"),
            ("2024-04-30", "2024-05-01", "X"),
        ),
        "2024-03",
        "2024-05",
    )
    assert by_month(result, "admissions").to_dict() == {"2024-03": 1, "2024-04": 2, "2024-05": 0}


def test_discharges_by_month_leave_out_open_stays():
    # discharged 2 April and 1 May; the stay admitted 1 April is still open: April 1, May 1
    result = admissions_by_month(
        stays(
            ("2024-03-31", "2024-04-02", "X"),
            ("2024-04-01", None, "X"),
            ("2024-04-30", "2024-05-01", "X"),
        ),
        "2024-04",
        "2024-05",
        date="discharge_date",
        name="discharges",
    )
    assert by_month(result, "discharges").to_dict() == {"2024-04": 1, "2024-05": 1}


def test_a_missing_column_is_named_in_the_error():
    with pytest.raises(KeyError, match="locality"):
        bed_days_by_month(
            stays(("2024-03-01", "2024-03-02", "X")).drop(columns="locality"),
            "2024-03",
            "2024-03",
            by="locality",
        )
