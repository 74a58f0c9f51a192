"""Delayed discharges to the PHS rules, and rates: worked examples.

The rules are those of Public-Health-Scotland/delayed-discharges-monthly
(code/01_create-scotland-file.R, functions/census_date.R,
code/open-data/02_bed-days-ca.R). Every expected number is worked out by hand
in the comment beside it; the last tests check against PHS's published file.
"""

import numpy as np
import pandas as pd
import pytest

from hscp.measures import (
    AGE_GROUPS,
    ALL_AGES,
    ALL_DELAY_REASONS,
    DELAY_LENGTH_BANDS,
    OPEN_DATA_REASON_GROUPS,
    average_daily_beds,
    census,
    census_counts,
    census_date,
    census_median_delay,
    census_profile,
    crude_rate,
    delay_length_band,
    delay_reasons,
    delayed_bed_days,
    discharges_after_delay,
    eligible_delays,
    population_total,
    round_half_up,
)


def delays(*rows):
    """Delay records in the contract's types; each row a dict of what matters to the test."""
    records = []
    for i, row in enumerate(rows, 1):
        records.append(
            {
                "link_no": i,
                "age": row.get("age", 80),
                "hscp2019": "S37000005",
                "locality": row.get("locality", "Stirling City"),
                "ready_for_discharge_date": pd.Timestamp(row["ready"]),
                "discharge_date": pd.Timestamp(row["discharged"])
                if row.get("discharged")
                else pd.NaT,
                "reason_for_delay": row.get("reason", "11A"),
                "reason_for_delay_secondary": row.get("secondary"),
            }
        )
    frame = pd.DataFrame(records)
    frame["age"] = frame["age"].astype("Int64")
    frame["discharge_date"] = pd.to_datetime(frame["discharge_date"])
    for col in ("reason_for_delay", "reason_for_delay_secondary"):
        frame[col] = frame[col].astype("str")
    return frame


def by_month(table, column):
    return table.set_index(table["month"].dt.strftime("%Y-%m"))[column].to_dict()


# --- monthly bed days -----------------------------------------------------------------


def test_delay_open_at_month_end_counts_to_month_end():
    # ready 29 March, still delayed: start = 29 March, end = month end (31 March),
    # bed days = 31 - 29 = 2 (PHS counts the midnights after the ready date)
    result = delayed_bed_days(delays({"ready": "2024-03-29"}), "2024-03", "2024-03")
    assert by_month(result, "bed_days") == {"2024-03": 2}


def test_open_delay_counts_every_day_of_the_following_months():
    # ready 29 March, still delayed: March 31 - 29 = 2; April start = 31 March (the day
    # before the 1st), end = 30 April (month end): 30; May likewise 31.
    result = delayed_bed_days(delays({"ready": "2024-03-29"}), "2024-03", "2024-05")
    assert by_month(result, "bed_days") == {"2024-03": 2, "2024-04": 30, "2024-05": 31}


def test_delay_over_a_month_boundary_is_split_at_the_month_end():
    # ready 29 March, discharged 2 April: March = 31 - 29 = 2;
    # April: start 31 March (day before the 1st), end 2 April: 2; total 4 = 2 April - 29 March
    result = delayed_bed_days(
        delays({"ready": "2024-03-29", "discharged": "2024-04-02"}), "2024-03", "2024-04"
    )
    assert by_month(result, "bed_days") == {"2024-03": 2, "2024-04": 2}


def test_delay_spanning_three_months_adds_up_to_discharge_minus_ready_date():
    # ready 15 Jan 2024, discharged 10 March 2024:
    # January 31 - 15 = 16; February (leap year) 29 Feb - 31 Jan = 29;
    # March 10 March - 29 Feb = 10; total 55 = 10 March - 15 January (16 + 29 + 10).
    result = delayed_bed_days(
        delays({"ready": "2024-01-15", "discharged": "2024-03-10"}), "2024-01", "2024-03"
    )
    assert by_month(result, "bed_days") == {"2024-01": 16, "2024-02": 29, "2024-03": 10}


def test_delay_ready_on_the_last_day_of_a_month_counts_from_the_next_month():
    # ready 31 March, discharged 3 April: PHS leaves it out of March (31 - 31 = 0 anyway);
    # April: start 31 March, end 3 April = 3 bed days (not dropped for good).
    result = delayed_bed_days(
        delays({"ready": "2024-03-31", "discharged": "2024-04-03"}), "2024-03", "2024-04"
    )
    assert by_month(result, "bed_days") == {"2024-03": 0, "2024-04": 3}


def test_delay_discharged_on_the_first_gives_that_month_one_bed_day():
    # ready 20 March, discharged 1 April: March 31 - 20 = 11; April: 1 April - 31 March = 1
    result = delayed_bed_days(
        delays({"ready": "2024-03-20", "discharged": "2024-04-01"}), "2024-03", "2024-04"
    )
    assert by_month(result, "bed_days") == {"2024-03": 11, "2024-04": 1}


def test_bed_days_of_many_delays_add_up_to_discharge_minus_ready_dates():
    # 500 random delays ready and discharged within 2023 (seeded): however they are split
    # across months, the year's bed days are the sum of discharge - ready date.
    rng = np.random.default_rng(19)
    ready = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 300, 500), unit="D")
    length = rng.integers(1, 65, 500)
    rows = [
        {"ready": r, "discharged": r + pd.Timedelta(days=int(n))}
        for r, n in zip(ready, length, strict=True)
    ]
    result = delayed_bed_days(delays(*rows), "2023-01", "2023-12")
    assert result["bed_days"].sum() == length.sum()


def test_record_ready_on_its_discharge_date_is_not_a_delay():
    # ready 10 March and discharged 10 March: dropped; the other record (10 to 12 March) stays
    result = eligible_delays(
        delays(
            {"ready": "2024-03-10", "discharged": "2024-03-10"},
            {"ready": "2024-03-10", "discharged": "2024-03-12"},
        )
    )
    assert result["discharge_date"].tolist() == [pd.Timestamp("2024-03-12")]


def test_people_under_18_at_the_ready_date_are_not_counted():
    # aged 17 and 18, each ready 1 March and discharged 11 March (10 bed days):
    # only the 18-year-old counts, 10 bed days
    result = delayed_bed_days(
        delays(
            {"ready": "2024-03-01", "discharged": "2024-03-11", "age": 17},
            {"ready": "2024-03-01", "discharged": "2024-03-11", "age": 18},
        ),
        "2024-03",
        "2024-03",
    )
    assert by_month(result, "bed_days") == {"2024-03": 10}


def test_average_daily_beds_is_bed_days_over_days_in_the_month():
    # two delays ready 31 Jan 2024, still delayed: February 2 x 29 = 58 bed days over
    # 29 days = 2.0 beds; March 2 x 31 = 62 over 31 days = 2.0 beds
    rows = [{"ready": "2024-01-31"}, {"ready": "2024-01-31"}]
    result = delayed_bed_days(delays(*rows), "2024-02", "2024-03")
    assert by_month(result, "bed_days") == {"2024-02": 58, "2024-03": 62}
    assert by_month(result, "average_daily_beds") == {"2024-02": 2.0, "2024-03": 2.0}


def test_bed_days_by_age_group_and_zero_filled():
    # aged 74 (18-74): ready 1 March, discharged 5 March = 4 bed days in March;
    # aged 75 (75+): ready 10 April, discharged 13 April = 3 bed days in April
    result = delayed_bed_days(
        delays(
            {"ready": "2024-03-01", "discharged": "2024-03-05", "age": 74},
            {"ready": "2024-04-10", "discharged": "2024-04-13", "age": 75},
        ),
        "2024-03",
        "2024-04",
        by="age_group",
    )
    table = result.set_index([result["month"].dt.strftime("%Y-%m"), "age_group"])["bed_days"]
    assert table.to_dict() == {
        ("2024-03", "18-74"): 4,
        ("2024-03", "75+"): 0,
        ("2024-04", "18-74"): 0,
        ("2024-04", "75+"): 3,
    }


# --- reasons --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "secondary", "group", "subgroup", "open_data_group"),
    [
        # code 9 is grouped by its 9X code in reason_for_delay_secondary
        ("9", "51X", "Code 9", "Adults with Incapacity Act", "Code 9 AWI"),
        ("9", "24DX", "Code 9", "Other Code 9 (not AWI)", "Code 9 Non-AWI"),
        ("9", "26X", "Code 9", "Other Code 9 (not AWI)", "Code 9 Non-AWI"),
        # 24D without the 9 is an ordinary place availability delay
        (
            "24D",
            None,
            "Health and Social Care Reasons",
            "Place Availability",
            "Health and Social Care Reasons",
        ),
        (
            "67",
            None,
            "Patient/Carer/Family-related Reasons",
            "Disagreements",
            "Patient and Family Related Reasons",
        ),
    ],
)
def test_code_9_delays_are_grouped_by_their_secondary_code(
    reason, secondary, group, subgroup, open_data_group
):
    row = delay_reasons(delays({"ready": "2024-03-01", "reason": reason, "secondary": secondary}))
    assert row[["reason_group", "reason_subgroup", "open_data_reason_group"]].iloc[0].tolist() == [
        group,
        subgroup,
        open_data_group,
    ]


def test_code_100_is_flagged_and_has_no_open_data_group():
    row = delay_reasons(delays({"ready": "2024-03-01", "reason": "100"})).iloc[0]
    assert row["code_100"]
    assert row["reason_group"] == "Code 100"
    assert pd.isna(row["open_data_reason_group"])


def test_code_100_is_left_out_of_bed_days_unless_asked_for():
    # code 100 ready 1 March, discharged 21 March (20 bed days) and code 11A ready
    # 1 March, discharged 6 March (5): headline 5; with code 100, 25
    rows = [
        {"ready": "2024-03-01", "discharged": "2024-03-21", "reason": "100"},
        {"ready": "2024-03-01", "discharged": "2024-03-06", "reason": "11A"},
    ]
    assert by_month(delayed_bed_days(delays(*rows), "2024-03", "2024-03"), "bed_days") == {
        "2024-03": 5
    }
    with_100 = delayed_bed_days(delays(*rows), "2024-03", "2024-03", include_code_100=True)
    assert by_month(with_100, "bed_days") == {"2024-03": 25}


@pytest.mark.parametrize(("age", "group"), [(18, "18-74"), (74, "18-74"), (75, "75+"), (17, None)])
def test_age_groups_are_18_to_74_and_75_plus(age, group):
    row = delay_reasons(delays({"ready": "2024-03-01", "age": age})).iloc[0]
    assert (row["age_group"] if pd.notna(row["age_group"]) else None) == group


# --- census ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        ("2024-10", "2024-10-31"),  # October 2024 ends on Thursday 31st: census that day
        ("2024-11", "2024-11-28"),  # November 2024 ends Saturday 30th: last Thursday the 28th
        ("2024-03", "2024-03-28"),  # March 2024 ends Sunday 31st: Thursday 28th
        ("2024-02", "2024-02-29"),  # February 2024: leap day is a Thursday
        ("2023-02", "2023-02-23"),  # February 2023 ends Tuesday 28th: Thursday 23rd
    ],
)
def test_census_is_on_the_last_thursday_of_the_month(month, expected):
    assert census_date(month) == pd.Timestamp(expected)


@pytest.mark.parametrize(
    ("ready", "discharged", "counted"),
    [
        ("2024-03-27", None, True),  # ready the day before the census (28 March), still delayed
        ("2024-03-28", None, False),  # ready on the census day: not yet delayed at the census
        ("2024-03-01", "2024-03-28", True),  # discharged on the census day: still counted
        ("2024-03-01", "2024-03-27", False),  # discharged the day before: gone by the census
        ("2024-02-10", "2024-04-05", True),  # ready last month, discharged next month
    ],
)
def test_delay_is_counted_at_census_if_ready_before_and_not_discharged_before(
    ready, discharged, counted
):
    result = census(delays({"ready": ready, "discharged": discharged}), "2024-03", "2024-03")
    assert len(result) == (1 if counted else 0)


def test_delay_open_over_three_censuses_is_counted_at_each():
    # ready 15 January 2024, still delayed: counted at the January (25th), February (29th)
    # and March (28th) censuses, 10, 45 and 73 days into the delay
    # (25-15 = 10; 16 days to 31 Jan + 29 = 45; 16 + 29 + 28 = 73)
    result = census(delays({"ready": "2024-01-15"}), "2024-01", "2024-03")
    assert result["census_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-01-25",
        "2024-02-29",
        "2024-03-28",
    ]
    assert result["delay_at_census"].tolist() == [10, 45, 73]


@pytest.mark.parametrize("secondary", ["26X", "46X"])
def test_care_home_or_ward_closed_delays_are_left_out_of_the_census(secondary):
    # code 9 with 26X/46X, ready 1 March, still delayed: not counted at 28 March
    result = census(
        delays({"ready": "2024-03-01", "reason": "9", "secondary": secondary}), "2024-03", "2024-03"
    )
    assert len(result) == 0


@pytest.mark.parametrize("secondary", ["26X", "46X"])
def test_care_home_or_ward_closed_delays_still_count_in_bed_days(secondary):
    # code 9 with 26X/46X, ready 1 March, still delayed: 31 - 1 = 30 bed days in March
    result = delayed_bed_days(
        delays({"ready": "2024-03-01", "reason": "9", "secondary": secondary}), "2024-03", "2024-03"
    )
    assert by_month(result, "bed_days") == {"2024-03": 30}


def test_code_100_is_left_out_of_the_census_unless_asked_for():
    rows = delays({"ready": "2024-03-01", "reason": "100"})
    assert len(census(rows, "2024-03", "2024-03")) == 0
    assert len(census(rows, "2024-03", "2024-03", include_code_100=True)) == 1


@pytest.mark.parametrize(
    ("ready", "days", "over_3_days"),
    [
        ("2024-03-25", 3, False),  # 28 - 25 = 3 days: not in the headline
        ("2024-03-24", 4, True),  # 28 - 24 = 4 days: over 3 days
    ],
)
def test_delay_at_census_is_census_minus_ready_date_and_the_headline_is_over_3_days(
    ready, days, over_3_days
):
    row = census(delays({"ready": ready}), "2024-03", "2024-03").iloc[0]
    assert row["delay_at_census"] == days
    assert row["over_3_days"] == over_3_days


@pytest.mark.parametrize(
    ("days", "band"),
    [
        (1, "1-3 days"),
        (3, "1-3 days"),
        (4, "4-14 days"),
        (14, "4-14 days"),
        (15, "2-4 weeks"),
        (28, "2-4 weeks"),
        (29, "4-6 weeks"),
        (42, "4-6 weeks"),
        (43, "6-12 weeks"),
        (84, "6-12 weeks"),
        (85, "3-6 months"),
        (182, "3-6 months"),
        (183, "6-12 months"),
        (365, "6-12 months"),
        (366, "Over 12 months"),
        (1000, "Over 12 months"),
    ],
)
def test_delay_length_bands_at_their_edges(days, band):
    assert delay_length_band([days]).tolist() == [band]


def test_delay_length_bands_are_ordered_shortest_first():
    # eight PHS bands; "Over 12 months" > "1-3 days" as an ordered category
    assert len(DELAY_LENGTH_BANDS) == 8
    bands = delay_length_band([400, 2])
    assert bands.iloc[0] > bands.iloc[1]


def test_census_counts_by_reason_group_zero_filled():
    # March 2024 census, Thursday 28th:
    #  11A ready 25 March, still delayed: 3 days, counted, not over 3 days
    #  11A ready 1 March, still delayed: 27 days, counted, over 3 days
    #  9/51X ready 20 March, discharged 27 March: gone before the census
    # Health and Social Care: 2 delays, 1 over 3 days; Code 9: 0 and 0 (zero-filled)
    rows = delays(
        {"ready": "2024-03-25"},
        {"ready": "2024-03-01"},
        {"ready": "2024-03-20", "discharged": "2024-03-27", "reason": "9", "secondary": "51X"},
    )
    result = census_counts(rows, "2024-03", "2024-03", by="reason_group")
    table = result.set_index("reason_group")[["delays", "delays_over_3_days"]]
    assert table.to_dict("index") == {
        "Code 9": {"delays": 0, "delays_over_3_days": 0},
        "Health and Social Care Reasons": {"delays": 2, "delays_over_3_days": 1},
    }


# --- against PHS's published open data --------------------------------------------------


@pytest.fixture(scope="module")
def published_bed_days(reference):
    path = reference / "delayed_discharge_beddays_ca.csv"
    return pd.read_csv(path, dtype={"MonthOfDelay": str, "CA": str})


def test_published_average_daily_beds_are_bed_days_over_days_in_month_rounded_half_up(
    published_bed_days,
):
    # Every row of PHS's council area file (2016-07 to 2025-08): the published
    # AverageDailyNumberOfDelayedBeds equals round half up(bed days / days in month).
    # Rounding half to even (Python's round) would disagree on 297 rows, e.g. September
    # 2016, S12000040, Patient and Family Related Reasons: 75 bed days / 30 days = 2.5
    # beds, published as 3.
    month = pd.to_datetime(published_bed_days["MonthOfDelay"] + "01")
    ours = round_half_up(average_daily_beds(published_bed_days["NumberOfDelayedBedDays"], month))
    mismatched = published_bed_days[ours != published_bed_days["AverageDailyNumberOfDelayedBeds"]]
    assert mismatched.empty, mismatched.head()


def test_published_reason_groups_are_ours_and_add_up_to_all_delay_reasons(published_bed_days):
    # the file's groups are our open-data groups plus the total; in every month, council
    # area and age group, the four groups add up to "All Delay Reasons" (so code 100,
    # which has no open-data group, is in none of them, nor in the total)
    assert set(published_bed_days["ReasonForDelay"]) == {
        *OPEN_DATA_REASON_GROUPS,
        ALL_DELAY_REASONS,
    }
    wide = published_bed_days.pivot_table(
        index=["MonthOfDelay", "CA", "AgeGroup"],
        columns="ReasonForDelay",
        values="NumberOfDelayedBedDays",
        aggfunc="sum",
    )
    parts = wide[list(OPEN_DATA_REASON_GROUPS)].sum(axis=1)
    assert (parts == wide[ALL_DELAY_REASONS]).all()


def test_published_age_groups_are_ours_with_plus_spelt_out(published_bed_days):
    # PHS writes "75+" as "75plus" in open data; 18-74 and 75+ add up to 18+
    labels = {g.replace("+", "plus") for g in (*AGE_GROUPS, ALL_AGES)}
    assert set(published_bed_days["AgeGroup"]) == labels
    wide = published_bed_days.pivot_table(
        index=["MonthOfDelay", "CA", "ReasonForDelay"],
        columns="AgeGroup",
        values="NumberOfDelayedBedDays",
        aggfunc="sum",
    )
    assert (wide["18-74"] + wide["75plus"] == wide["18plus"]).all()


# --- rates ----------------------------------------------------------------------------


def population(rows):
    frame = pd.DataFrame(rows, columns=["year", "locality", "age", "population"])
    frame["hscp2019"] = "S37000005"
    frame["sex"] = 1
    return frame


def test_crude_rate_per_1000():
    # 150 bed days / 2,000 people x 1,000 = 75 per 1,000
    assert crude_rate(150, 2000) == 75.0


def test_crude_rate_per_100000_on_series():
    # 30 / 60,000 x 100,000 = 50; 7 / 14,000 x 100,000 = 50
    result = crude_rate(pd.Series([30, 7]), pd.Series([60000, 14000]), per=100_000)
    assert result.tolist() == [50.0, 50.0]


def test_crude_rate_with_no_population_is_missing_not_infinite():
    assert np.isnan(crude_rate(5, 0))


def test_population_total_counts_age_90_as_90_and_over():
    # aged 74: 500 (left out), 75: 300, 89: 150, 90 (= 90+): 50; 75+ = 300 + 150 + 50 = 500
    pop = population(
        [(2023, "A", 74, 500), (2023, "A", 75, 300), (2023, "A", 89, 150), (2023, "A", 90, 50)]
    )
    assert population_total(pop, 2023, min_age=75)["population"].tolist() == [500]


def test_population_total_by_locality_and_age_range():
    # 18-74 in 2023: A = 100 (age 18) + 500 (74) = 600; B = 40 (age 30); age 17 and 75 out;
    # the 2022 row is another year
    pop = population(
        [
            (2023, "A", 17, 70),
            (2023, "A", 18, 100),
            (2023, "A", 74, 500),
            (2023, "A", 75, 300),
            (2023, "B", 30, 40),
            (2022, "A", 30, 999),
        ]
    )
    result = population_total(pop, 2023, min_age=18, max_age=74, by="locality")
    assert result.set_index("locality")["population"].to_dict() == {"A": 600, "B": 40}


def test_population_total_refuses_an_age_range_that_splits_90_plus():
    pop = population([(2023, "A", 90, 50)])
    with pytest.raises(ValueError, match="90"):
        population_total(pop, 2023, min_age=65, max_age=95)


def test_population_total_names_a_missing_year():
    pop = population([(2023, "A", 90, 50)])
    with pytest.raises(ValueError, match="2030"):
        population_total(pop, 2030)


def test_ni19_is_delayed_bed_days_of_people_75_plus_per_1000_people_75_plus():
    # NI19: people aged 75+ delayed 12 bed days (ready 1 March, discharged 13 March);
    # the 18-74 delay (5 bed days) is not in the numerator. Population aged 75+ = 400 +
    # 200 (90+) = 600; 12 / 600 x 1,000 = 20 bed days per 1,000 population aged 75+.
    rows = delays(
        {"ready": "2024-03-01", "discharged": "2024-03-13", "age": 80},
        {"ready": "2024-03-01", "discharged": "2024-03-06", "age": 60},
    )
    bed_days = delayed_bed_days(rows, "2024-03", "2024-03", by="age_group")
    over_75 = bed_days.loc[bed_days["age_group"] == "75+", "bed_days"].sum()
    pop = population([(2024, "A", 60, 1000), (2024, "A", 80, 400), (2024, "A", 90, 200)])
    denominator = population_total(pop, 2024, min_age=75)["population"].iloc[0]
    assert crude_rate(over_75, denominator) == 20.0


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (2.5, 0, 3.0),
        (1.5, 0, 2.0),
        (0.5, 0, 1.0),
        (-2.5, 0, -3.0),
        (2.4999, 0, 2.0),
        (0.285, 2, 0.29),
    ],
)
def test_round_half_up_rounds_halves_away_from_zero(value, digits, expected):
    # Python rounds 2.5 to 2 and 0.285 (stored as 0.28499999...) to 0.28; PHS publishes 3, 0.29
    assert round_half_up(value, digits) == expected


# --- the census, the PHS way: median delay, standard and code 9, per 100,000 adults -------


def march_2024_census():
    """A hand-made census: March 2024's census is Thursday 28 March. Delay at census =
    28 March - ready date."""
    return delays(
        # Stirling City: 28 - 26 = 2 days; 28 - 18 = 10; 28 Mar - 28 Feb = 29 (leap year);
        # a code 9 (AWI) delay ready 14 March: 14 days
        {"ready": "2024-03-26"},
        {"ready": "2024-03-18", "discharged": "2024-03-28"},  # discharged on the census day
        {"ready": "2024-02-28"},
        {"ready": "2024-03-14", "reason": "9", "secondary": "51X"},
        # Rural Stirling: 28 - 1 = 27 days, code 9 (not AWI)
        {"ready": "2024-03-01", "reason": "9", "secondary": "25X", "locality": "Rural Stirling"},
        # not counted: ready on the census day; discharged the day before; ward closed (46X)
        {"ready": "2024-03-28"},
        {"ready": "2024-03-01", "discharged": "2024-03-27"},
        {"ready": "2024-03-01", "reason": "9", "secondary": "46X"},
    )


def test_median_delay_at_census_on_a_hand_made_census():
    # counted: 2, 10, 29, 14 (Stirling City) and 27 (Rural Stirling): five delays,
    # sorted 2, 10, 14, 27, 29: median 14. Stirling City alone: 2, 10, 14, 29:
    # median (10 + 14) / 2 = 12. No census in April's table for a month with no delays.
    whole = census_median_delay(march_2024_census(), "2024-03", "2024-03")
    assert whole["delays"].tolist() == [5]
    assert whole["median_delay"].tolist() == [14]
    local = census_median_delay(march_2024_census(), "2024-03", "2024-03", by="locality")
    local = local.set_index("locality")
    assert local.loc["Stirling City", "median_delay"] == 12
    assert local.loc["Rural Stirling", "median_delay"] == 27


def test_census_splits_standard_from_code_9_delays():
    # of the five counted, 3 standard (11A) and 2 code 9 (51X, 25X); the 46X delay is
    # not in the census at all
    split = census_counts(march_2024_census(), "2024-03", "2024-03", by="delay_type")
    assert split.set_index("delay_type")["delays"].to_dict() == {"Code 9": 2, "Standard": 3}


def test_census_profile_per_100000_adults_by_area():
    # Population 2023 (March 2024 is in 2023/24): Stirling City 40,000 aged 18+ (and
    # 10,000 children, in no denominator); Rural Stirling 10,000 aged 18+.
    # Stirling City: 4 delays / 40,000 x 100,000 = 10.0; over 3 days: 10, 29, 14 = 3;
    # Rural Stirling: 1 / 10,000 x 100,000 = 10.0; the partnership: 5 / 50,000 x
    # 100,000 = 10.0, median 14, 3 standard, 2 code 9.
    city = "Stirling City with the Eastern Villages Bridge of Allan & Dunblane"
    rows = census(march_2024_census(), "2024-03", "2024-03").replace({"Stirling City": city})
    population = pd.DataFrame(
        {
            "year": 2023,
            "hscp2019": "S37000005",
            "locality": [city, city, "Rural Stirling"],
            "sex": 1,
            "age": [10, 40, 40],
            "population": [10_000, 40_000, 10_000],
        }
    )
    table = census_profile(rows, population, "2024-03", "S37000005").set_index("area")
    whole = table.loc["Clackmannanshire & Stirling"]
    assert whole["delays"] == 5 and whole["delays_over_3_days"] == 4
    assert (whole["standard"], whole["code_9"]) == (3, 2)
    assert whole["median_delay"] == 14
    assert whole["rate_per_100000"] == pytest.approx(10.0)
    assert whole["population_year"] == 2023
    assert table.loc["Rural Stirling", "delays_over_3_days"] == 1
    assert table.loc[city, "delays"] == 4 and table.loc[city, "median_delay"] == 12
    assert table.loc[city, "rate_per_100000"] == pytest.approx(10.0)
    assert table.loc["Clackmannanshire", "delays"] == 0
    assert np.isnan(table.loc["Clackmannanshire", "median_delay"])


def test_discharges_after_a_delay_by_month_of_discharge():
    # March 2024: placement (1), home with home care (2), home (3), a death (4), not fit
    # (5), no destination recorded, and one discharged in April: discharges = 1 + 2 = 3
    rows = delays(
        {"ready": "2024-03-01", "discharged": "2024-03-05"},
        {"ready": "2024-03-01", "discharged": "2024-03-06"},
        {"ready": "2024-03-01", "discharged": "2024-03-07"},
        {"ready": "2024-03-01", "discharged": "2024-03-08"},
        {"ready": "2024-03-01", "discharged": "2024-03-09"},
        {"ready": "2024-03-01", "discharged": "2024-03-10"},
        {"ready": "2024-03-01", "discharged": "2024-04-02"},
        # code 100 and a same-day record are not delays PHS counts
        {"ready": "2024-03-01", "discharged": "2024-03-11", "reason": "100"},
        {"ready": "2024-03-12", "discharged": "2024-03-12"},
    )
    rows["discharge_to"] = pd.array([1, 2, 3, 4, 5, None, 1, 1, 1], dtype="Int64")
    table = discharges_after_delay(rows, "2024-03", "2024-04").set_index("month")
    march, april = table.loc["2024-03-01"], table.loc["2024-04-01"]
    assert (march["discharges"], march["placement"], march["home"]) == (3, 1, 2)
    assert march["not_recorded"] == 1
    assert (april["discharges"], april["placement"]) == (1, 1)
