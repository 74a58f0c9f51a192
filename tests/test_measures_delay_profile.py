"""Who is delayed in a period, 65+ and 75+ bed days and rates, seasonality: worked examples.

The bed day rules are PHS's (tests/test_measures_delays.py tests them one by
one); these tests check the per-delay view built on them (delays_in_period,
delay_breakdown), the age bands behind the 65+ and 75+ figures, the rates per
1,000 by area and the seasonal profile. Expected numbers are worked out by hand
in the comments.
"""

import numpy as np
import pandas as pd
import pytest

from hscp.measures import (
    AGE_BANDS,
    STILL_DELAYED,
    delay_breakdown,
    delay_rates_by_area,
    delay_reasons,
    delayed_bed_days,
    delayed_bed_days_by_min_age,
    delays_in_period,
    largest,
    seasonal_profile,
    total_of,
)


def delays(*rows):
    records = []
    for i, row in enumerate(rows, 1):
        records.append(
            {
                "link_no": row.get("link_no", i),
                "age": row.get("age", 80),
                "sex": row.get("sex", 1),
                "hscp2019": row.get("hscp", "S37000005"),
                "locality": row.get("locality", "Clackmannanshire"),
                "ready_for_discharge_date": pd.Timestamp(row["ready"]),
                "discharge_date": pd.Timestamp(row["discharged"])
                if row.get("discharged")
                else pd.NaT,
                "reason_for_delay": row.get("reason", "11A"),
                "reason_for_delay_secondary": row.get("secondary"),
                "discharge_to": row.get("to"),
            }
        )
    frame = pd.DataFrame(records)
    frame["discharge_date"] = pd.to_datetime(frame["discharge_date"])
    frame["discharge_to"] = frame["discharge_to"].astype("Int64")
    return frame


# --- age bands ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (18, "18-64"),
        (64, "18-64"),
        (65, "65-74"),
        (74, "65-74"),
        (75, "75-84"),
        (84, "75-84"),
        (85, "85+"),
        (104, "85+"),
    ],
)
def test_age_bands_at_their_edges(age, band):
    rows = delays({"ready": "2024-03-01", "age": age})
    assert delay_reasons(rows).loc[0, "age_band"] == band


def test_no_age_band_under_18():
    assert pd.isna(delay_reasons(delays({"ready": "2024-03-01", "age": 17})).loc[0, "age_band"])


def test_age_bands_nest_in_the_phs_age_groups():
    # 75-84 and 85+ make 75+; 18-64 and 65-74 make 18-74
    rows = delay_reasons(delays(*({"ready": "2024-03-01", "age": a} for a in range(18, 100))))
    pairs = set(zip(rows["age_band"], rows["age_group"], strict=True))
    assert pairs == {("18-64", "18-74"), ("65-74", "18-74"), ("75-84", "75+"), ("85+", "75+")}
    assert AGE_BANDS == ("18-64", "65-74", "75-84", "85+")


def test_65_plus_and_75_plus_bed_days_are_shown_apart_and_overlap():
    # March 2024: age 70, ready 1 March, discharged 11 March: 10 bed days;
    # age 80, ready 1 March, discharged 6 March: 5; age 50, ready 1 March, discharged 4 March: 3.
    # 65+ = 10 + 5 = 15; 75+ = 5 (the 50-year-old is in neither)
    rows = delays(
        {"ready": "2024-03-01", "discharged": "2024-03-11", "age": 70},
        {"ready": "2024-03-01", "discharged": "2024-03-06", "age": 80},
        {"ready": "2024-03-01", "discharged": "2024-03-04", "age": 50},
    )
    table = delayed_bed_days_by_min_age(rows, "2024-03", "2024-04").set_index(["month", "age"])
    assert table.loc[(pd.Timestamp("2024-03-01"), "65+"), "bed_days"] == 15
    assert table.loc[(pd.Timestamp("2024-03-01"), "75+"), "bed_days"] == 5
    assert table.loc[(pd.Timestamp("2024-04-01"), "75+"), "bed_days"] == 0  # zero-filled
    # average daily beds: 15 / 31 days in March
    assert table.loc[(pd.Timestamp("2024-03-01"), "65+"), "average_daily_beds"] == pytest.approx(
        15 / 31
    )


def test_min_ages_must_be_band_edges():
    with pytest.raises(ValueError, match="AGE_BANDS"):
        delayed_bed_days_by_min_age(delays({"ready": "2024-03-01"}), "2024-03", "2024-03", (70,))


# --- rates per 1,000 by area ------------------------------------------------------------------


def population(rows):
    frame = pd.DataFrame(rows, columns=["hscp2019", "locality", "age", "population"])
    frame["year"] = 2024
    frame["sex"] = 1
    return frame


def test_rates_per_1000_aged_18_65_and_75_plus_for_localities_partnership_and_scotland():
    # Clackmannanshire (S37000005) in March 2024: age 70 delayed 10 bed days, age 80 delayed
    # 20; Falkirk (S37000013): age 50 delayed 30.
    # Population: Clackmannanshire 1,000 aged 30, 500 aged 70, 200 aged 80, and 100 children
    # (age 5, in no denominator); Rural Stirling: 2,000 aged 30 and 300 aged 80;
    # Falkirk: 4,000 aged 40.
    rows = delays(
        {"ready": "2024-03-01", "discharged": "2024-03-11", "age": 70},
        {"ready": "2024-03-01", "discharged": "2024-03-21", "age": 80},
        {
            "ready": "2024-03-01",
            "discharged": "2024-03-31",
            "age": 50,
            "hscp": "S37000013",
            "locality": "Falkirk West",
        },
    )
    bed_days = delayed_bed_days(
        rows, "2024-03", "2024-03", by=["hscp2019", "locality", "age_group", "age_band"]
    )
    pop = population(
        [
            ("S37000005", "Clackmannanshire", 5, 100),
            ("S37000005", "Clackmannanshire", 30, 1000),
            ("S37000005", "Clackmannanshire", 70, 500),
            ("S37000005", "Clackmannanshire", 80, 200),
            ("S37000005", "Rural Stirling", 30, 2000),
            ("S37000005", "Rural Stirling", 80, 300),
            ("S37000013", "Falkirk West", 40, 4000),
        ]
    )
    table = delay_rates_by_area(bed_days, pop, "2024-03", partnership="S37000005").set_index("area")
    clacks = table.loc["Clackmannanshire"]
    # 18+: 30 bed days / 1,700 people aged 18+ x 1,000 = 17.647...
    assert clacks["rate_18plus"] == pytest.approx(30 / 1700 * 1000)
    # 65+: 30 / 700 x 1,000 = 42.857...; 75+ (NI19): 20 / 200 x 1,000 = 100
    assert clacks["rate_65plus"] == pytest.approx(30 / 700 * 1000)
    assert clacks["rate_75plus"] == pytest.approx(100)
    rural = table.loc["Rural Stirling"]
    assert rural["bed_days_18plus"] == 0 and rural["population_75plus"] == 300
    partnership = table.loc["Clackmannanshire & Stirling"]
    # partnership 75+: 20 / (200 + 300) x 1,000 = 40
    assert partnership["rate_75plus"] == pytest.approx(40)
    scotland = table.loc["Scotland"]
    # Scotland 18+: (30 + 30) / (1,700 + 2,300 + 4,000) x 1,000 = 7.5
    assert scotland["rate_18plus"] == pytest.approx(7.5)
    assert list(table["level"]) == ["Locality", "Locality", "Partnership", "Scotland"]


# --- delays in a period -----------------------------------------------------------------------


def test_delays_in_period_have_their_bed_days_length_and_outcome():
    # period March 2024
    rows = delays(
        # ready 25 Feb, discharged home 10 March: March bed days 10 - 29 Feb = 10;
        # delay 10 March - 25 Feb = 14 days (4 in February 2024, a leap year, + 10)
        {"ready": "2024-02-25", "discharged": "2024-03-10", "to": 3},
        # ready 20 March, still delayed: 31 - 20 = 11 bed days, 11 days so far
        {"ready": "2024-03-20"},
        # ready 20 March, discharged 5 April: still delayed at the end of March
        {"ready": "2024-03-20", "discharged": "2024-04-05", "to": 1},
        # ended in February: not in March
        {"ready": "2024-02-01", "discharged": "2024-02-10", "to": 3},
        # ready on 31 March: no bed days in March (PHS), so not in March
        {"ready": "2024-03-31"},
        # code 100: kept out of the headline figures
        {"ready": "2024-03-01", "reason": "100"},
        # discharged 5 March with no discharge_to recorded: 5 - 1 = 4 bed days
        {"ready": "2024-03-01", "discharged": "2024-03-05"},
    )
    period = delays_in_period(rows, "2024-03", "2024-03")
    assert list(period["link_no"]) == [1, 2, 3, 7]
    assert list(period["bed_days"]) == [10, 11, 11, 4]
    assert list(period["delay_days"]) == [14, 11, 11, 4]
    assert list(period["delay_length_band"].astype(str)) == [
        "4-14 days",
        "4-14 days",
        "4-14 days",
        "4-14 days",
    ]
    assert list(period["outcome"].astype(str)) == [
        "Home",
        STILL_DELAYED,
        STILL_DELAYED,
        "Not recorded",
    ]
    # the rows' bed days add up to delayed_bed_days over the period
    assert (
        period["bed_days"].sum() == delayed_bed_days(rows, "2024-03", "2024-03")["bed_days"].sum()
    )


def test_delay_breakdown_lists_every_category_with_a_total_and_shares():
    rows = delays(
        {"ready": "2024-03-01", "discharged": "2024-03-11", "to": 1},  # 10 bed days, placement
        {"ready": "2024-03-01", "discharged": "2024-03-31", "to": 1},  # 30, placement
        {"ready": "2024-03-21", "discharged": "2024-03-31", "to": 3},  # 10, home
    )
    table = delay_breakdown(delays_in_period(rows, "2024-03", "2024-03"), "outcome").set_index(
        "outcome"
    )
    assert list(table.index) == [
        "Placement",
        "Home with home care",
        "Home",
        "Death",
        "Not fit for discharge",
        "Not recorded",
        STILL_DELAYED,
        "All",
    ]
    assert table.loc["Placement", "delays"] == 2
    assert table.loc["Placement", "bed_days"] == 40
    assert table.loc["Death", "delays"] == 0
    assert table.loc["All", "bed_days"] == 50
    # 40 of 50 bed days; 2 of 3 delays
    assert table.loc["Placement", "share_of_bed_days"] == pytest.approx(0.8)
    assert table.loc["Placement", "share_of_delays"] == pytest.approx(2 / 3)


def test_delay_breakdown_of_a_plain_column_counts_missing_as_not_known():
    frame = pd.DataFrame({"x": ["a", None, "a"], "bed_days": [1, 2, 3]})
    table = delay_breakdown(frame, "x", order=["a", "b"], total=None).set_index("x")
    assert table.to_dict("index")["a"]["bed_days"] == 4
    assert table.loc["b", "delays"] == 0
    assert table.loc["Not known", "delays"] == 1


# --- seasonality ---------------------------------------------------------------------------


def seasonal_series(years, per_day_level=None):
    months = pd.date_range("2021-01-01", periods=12 * years, freq="MS")
    factor = np.where(months.month == 1, 1.2, np.where(months.month == 7, 0.8, 1.0))
    if per_day_level is None:
        values = 100 * factor
    else:
        values = per_day_level * factor * months.days_in_month
    return pd.DataFrame({"month": months, "bed_days": values})


def test_seasonal_index_of_a_level_series_is_its_seasonal_factor():
    # 100 x factor, factor 1.2 in January, 0.8 in July, 1 otherwise (mean 1). The centred
    # 2x12 moving average covers each calendar month once (the months 6 before and 6
    # after are the same calendar month, at half weight each): 100 x mean(factor) = 100.
    # Each ratio is the factor, so January's index is 1.2, July's 0.8, the rest 1.
    profile = seasonal_profile(seasonal_series(3), "bed_days", per_day=False)
    index = profile.set_index("month_name")["seasonal_index"]
    assert index["Jan"] == pytest.approx(1.2)
    assert index["Jul"] == pytest.approx(0.8)
    assert index["Mar"] == pytest.approx(1.0)
    assert profile["seasonal_index"].mean() == pytest.approx(1.0)
    assert profile.set_index("month_name").loc["Jan", "average"] == pytest.approx(120)
    assert list(profile["years"]) == [3] * 12


def test_seasonal_profile_per_day_takes_out_the_length_of_the_month():
    # 10 delayed beds a day every day (x factor): February is not low for being short
    profile = seasonal_profile(seasonal_series(3, per_day_level=10), "bed_days")
    average = profile.set_index("month_name")["average"]
    assert average["Feb"] == pytest.approx(10)
    assert average["Jan"] == pytest.approx(12)


def test_seasonal_index_needs_two_years():
    short = seasonal_series(3).head(23)
    assert seasonal_profile(short, "bed_days")["seasonal_index"].isna().all()


# --- helpers for sentences -------------------------------------------------------------------


def test_total_of_sums_the_named_rows_and_largest_skips_the_total():
    table = pd.DataFrame(
        {"age_band": ["18-64", "65-74", "75-84", "85+", "All"], "bed_days": [5, 10, 40, 45, 100]}
    )
    # 75+ = 75-84 + 85+ = 40 + 45
    assert total_of(table, "age_band", ["75-84", "85+"]) == 85
    assert total_of(table, "age_band", "18-64") == 5
    assert largest(table, "age_band")["age_band"] == "85+"  # not "All"
    assert largest(table, "age_band", exclude=["85+"])["age_band"] == "75-84"
    assert largest(table[table["age_band"] == "All"], "age_band") is None


def test_total_of_a_suppressed_row_is_missing_not_a_smaller_sum():
    # a published table with the 85+ row suppressed: 75+ cannot be added up
    table = pd.DataFrame({"age_band": ["75-84", "85+"], "bed_days": pd.array([40, None], "Int64")})
    assert np.isnan(total_of(table, "age_band", ["75-84", "85+"]))
    assert total_of(table, "age_band", "75-84") == 40


def test_ni19_uses_the_population_of_the_financial_years_first_year():
    # The year April 2023 to March 2024 with estimates for 2023 and 2024: PHS
    # (national-indicators R/ni19_functions.R, pop_year = the first four characters of
    # "2023/24") divides by 2023's. Two people aged 80 delayed 1 to 31 March 2024,
    # 30 bed days each: 60; 300 people aged 75+ in 2023, 400 in 2024:
    # 60 / 300 x 1,000 = 200 (dividing by 2024's would give 150).
    rows = delays({"ready": "2024-03-01", "discharged": "2024-03-31", "age": 80})
    rows = pd.concat([rows] * 2, ignore_index=True).assign(link_no=[1, 2])
    bed_days = delayed_bed_days(
        rows, "2023-04", "2024-03", by=["hscp2019", "locality", "age_group", "age_band"]
    )
    pop = pd.concat(
        [
            population([("S37000005", "Clackmannanshire", 80, 300)]).assign(year=2023),
            population([("S37000005", "Clackmannanshire", 80, 400)]).assign(year=2024),
        ]
    )
    table = delay_rates_by_area(bed_days, pop, "2024-03", partnership="S37000005")
    row = table.set_index("area").loc["Clackmannanshire"]
    assert row["bed_days_75plus"] == 60
    assert row["population_75plus"] == 300
    assert row["rate_75plus"] == pytest.approx(200)
    assert (table["population_year"] == 2023).all()
    # the calendar year 2024 (a window ending December 2024) takes 2024's estimate
    later = delay_rates_by_area(bed_days, pop, "2024-12", partnership="S37000005")
    assert (later["population_year"] == 2024).all()
