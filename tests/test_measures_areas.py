"""Comparator areas (localities, partnership, NHS board, Scotland) and their rates: worked examples.

Clackmannanshire & Stirling (S37000005) and Falkirk (S37000013) make up NHS
Forth Valley; Fife (S37000032) is NHS Fife. Every expected number is worked out
in the comment beside it.
"""

import pandas as pd
import pytest

from hscp import geography
from hscp.measures import areas as measures_areas
from hscp.measures.areas import (
    HEALTH_BOARD,
    LOCALITY,
    PARTNERSHIP,
    SCOTLAND,
    area_rates,
    area_rolling_rates,
    board_partnerships,
    coverage_note,
    frequent_attenders_by_area,
    national_indicator_rates,
    population_by_area,
    sum_by_area,
    window_shares,
)

CS, FALKIRK, FIFE = "S37000005", "S37000013", "S37000032"
CLACKS = "Clackmannanshire"
RURAL = "Rural Stirling"


@pytest.fixture
def partnership():
    return geography.partnership(CS)


def test_board_partnerships(partnership):
    assert {p.code for p in board_partnerships(partnership)} == {CS, FALKIRK}


def test_sum_by_area(partnership):
    # Clackmannanshire 10, Rural Stirling 5 (partnership 15); Falkirk East 20 (board 35);
    # Fife's Kirkcaldy 100 (Scotland 135). The third C&S locality has no rows: 0.
    table = pd.DataFrame(
        {
            "hscp2019": [CS, CS, FALKIRK, FIFE],
            "locality": [CLACKS, RURAL, "Falkirk East", "Kirkcaldy"],
            "admissions": [10, 5, 20, 100],
        }
    )
    out = sum_by_area(table, partnership, "admissions").set_index("area")
    assert out.loc[CLACKS, "admissions"] == 10
    assert out.loc[partnership.localities[2], "admissions"] == 0
    assert out.loc["Clackmannanshire & Stirling", ["admissions", "area_type"]].tolist() == [
        15,
        PARTNERSHIP,
    ]
    assert out.loc["NHS Forth Valley", ["admissions", "area_type"]].tolist() == [35, HEALTH_BOARD]
    assert out.loc["Scotland", ["admissions", "area_type"]].tolist() == [135, SCOTLAND]
    assert (out.loc[list(partnership.localities), "area_type"] == LOCALITY).all()


def population(rows):
    return pd.DataFrame(rows, columns=["year", "hscp2019", "locality", "sex", "age", "population"])


def test_population_by_area_in_esp_bands(partnership):
    # ages 85 and 89 are in 85-89, age 90 (90+) in 90+; ages under 85 are left out
    people = population(
        [
            (2023, CS, CLACKS, 1, 85, 60),
            (2023, CS, CLACKS, 1, 89, 40),
            (2023, CS, CLACKS, 1, 90, 50),
            (2023, CS, CLACKS, 1, 60, 999),
        ]
    )
    out = population_by_area(people, partnership, 2023, min_age=85, bands=True)
    clacks = out[(out["area"] == CLACKS) & (out["sex"] == 1)].set_index("age_band")["population"]
    assert clacks.to_dict() == {"85-89": 100, "90+": 50}


def test_area_rates_crude_and_age_sex_standardised(partnership):
    # Clackmannanshire, 12 months of 2023, people aged 85+ (bands 85-89, weight 1,500, and 90+,
    # weight 1,000; two sexes: W = 2 x 2,500 = 5,000):
    #   men 85-89: 10 events / 100 people; men 90+: 10 / 50;
    #   women 85-89: 10 / 200;          women 90+: 20 / 100.
    # crude = 50 / 450 x 1,000 = 111.11 per 1,000
    # EASR = (10 x 1500 / 100 + 10 x 1000 / 50 + 10 x 1500 / 200 + 20 x 1000 / 100) / 5000
    #      = (150 + 200 + 75 + 200) / 5000 = 0.125 -> 125.0 per 1,000
    strata = [(1, "85-89", 10, 100), (1, "90+", 10, 50), (2, "85-89", 10, 200), (2, "90+", 20, 100)]
    months = pd.date_range("2023-01-01", periods=12, freq="MS")
    monthly = pd.DataFrame(
        [
            {
                "month": month,
                "hscp2019": CS,
                "locality": CLACKS,
                "sex": sex,
                "age_band": band,
                # all the events in December, none in the other months
                "admissions": events if month == months[-1] else 0,
            }
            for month in months
            for sex, band, events, _ in strata
        ]
    )
    people = population(
        [(2023, CS, CLACKS, sex, 85 if band == "85-89" else 90, n) for sex, band, _, n in strata]
    )
    out = area_rates(monthly, "admissions", people, "2023-12", partnership, min_age=85)
    row = out.set_index("area").loc[CLACKS]
    assert row["admissions"] == 50 and row["population"] == 450
    assert row["rate"] == pytest.approx(111.11, abs=0.01)
    assert row["easr"] == pytest.approx(125.0)
    assert row["easr_lower"] < 125 < row["easr_upper"]
    # the partnership is Clackmannanshire here (no other rows): the same rates
    partnership_row = out.set_index("area").loc["Clackmannanshire & Stirling"]
    assert partnership_row["easr"] == pytest.approx(125.0)


def test_area_rates_refuses_to_standardise_part_of_a_band(partnership):
    monthly = pd.DataFrame(
        {
            "month": pd.date_range("2023-01-01", periods=12, freq="MS"),
            "hscp2019": CS,
            "locality": CLACKS,
            "age_band": "15-19",
            "sex": 1,
            "admissions": 1,
        }
    )
    people = population([(2023, CS, CLACKS, 1, 18, 100)])
    with pytest.raises(ValueError, match="split an ESP2013 band"):
        area_rates(monthly, "admissions", people, "2023-12", partnership, min_age=18)
    crude = area_rates(
        monthly, "admissions", people, "2023-12", partnership, min_age=18, standardise=False
    )
    # 12 admissions / 100 people aged 18+ x 1,000 = 120 per 1,000
    assert crude.set_index("area").loc[CLACKS, "rate"] == pytest.approx(120.0)


def test_area_rolling_rates(partnership):
    # Clackmannanshire: 1 admission a month from Jan 2023 to Feb 2024; 1,000 people in 2023,
    # 2,000 in 2024. Dec 2023: 12 in 12 months / 1,000 (2023, midpoint Jul 2023) = 12 per 1,000;
    # Feb 2024: 12 / 1,000 (window Mar 2023-Feb 2024, midpoint Sep 2023 -> 2023) = 12;
    # no rate before Dec 2023 (fewer than 12 months)
    monthly = pd.DataFrame(
        {
            "month": pd.date_range("2023-01-01", periods=14, freq="MS"),
            "hscp2019": CS,
            "locality": CLACKS,
            "admissions": 1,
        }
    )
    people = population([(2023, CS, CLACKS, 1, 40, 1000), (2024, CS, CLACKS, 1, 40, 2000)])
    out = area_rolling_rates(monthly, "admissions", people, partnership)
    clacks = out[out["area"] == CLACKS].set_index("month")
    assert clacks.index.min() == pd.Timestamp("2023-12-01")
    assert clacks.loc["2023-12-01", "rate"] == pytest.approx(12.0)
    assert clacks.loc["2024-02-01", ["admissions_12m", "population"]].tolist() == [12, 1000]


def test_window_shares(partnership):
    # Clackmannanshire, 12 months of 2023: asthma 3, COPD 1 -> 75% and 25%
    rows = [
        {"month": m, "hscp2019": CS, "locality": CLACKS, "ppa_condition": c, "admissions": n}
        for m in pd.date_range("2023-01-01", periods=12, freq="MS")
        for c, n in (("asthma", 0), ("COPD", 0))
    ]
    rows[0]["admissions"] = 3
    rows[1]["admissions"] = 1
    out = window_shares(pd.DataFrame(rows), "admissions", "ppa_condition", "2023-12", partnership)
    clacks = out[out["area"] == CLACKS].set_index("ppa_condition")
    assert clacks["share"].to_dict() == pytest.approx({"asthma": 0.75, "COPD": 0.25})


def test_frequent_attenders_by_area(partnership):
    # window ending Dec 2024 in Clackmannanshire: band 1: 80 people (80 attendances), 2-4: 15
    # (40), 5-9: 4 (28), 10+: 1 (15). Frequent (5+): 5 people of 100 (5%), 43 of 163 attendances
    bands = pd.DataFrame(
        {
            "month": pd.Timestamp("2024-12-01"),
            "hscp2019": CS,
            "locality": CLACKS,
            "band": ["1", "2-4", "5-9", "10+"],
            "people": [80, 15, 4, 1],
            "attendances": [80, 40, 28, 15],
            "admissions": [10, 8, 6, 4],
        }
    )
    row = frequent_attenders_by_area(bands, "2024-12", partnership).set_index("area").loc[CLACKS]
    assert row[["people", "frequent_people", "frequent_attendances"]].tolist() == [100, 5, 43]
    assert row["frequent_attendances_share"] == pytest.approx(43 / 163)
    assert row["frequent_admissions_share"] == pytest.approx(10 / 28)
    with pytest.raises(ValueError, match="band edge"):
        frequent_attenders_by_area(bands, "2024-12", partnership, threshold=6)


def test_national_indicator_rates(partnership):
    # 2023 in Clackmannanshire: 10 discharges, 1 readmission -> NI14 100 per 1,000 with the
    # Wilson interval of 1/10: (2 x 1 + 1.96^2 -/+ 1.96 sqrt(1.96^2 + 4 x 10 x 0.1 x 0.9)) /
    # (2 (10 + 1.96^2)) = 0.0179 to 0.4042 -> 17.9 to 404.2 per 1,000.
    # 6 falls; 300 people aged 65+ -> NI16 20 per 1,000
    months = pd.date_range("2023-01-01", periods=12, freq="MS")
    table = pd.DataFrame(
        {
            "month": months,
            "hscp2019": CS,
            "locality": CLACKS,
            "ni12_admissions": 0,
            "ni13_bed_days": 0,
            "ni14_discharges": [10] + [0] * 11,
            "ni14_readmissions": [1] + [0] * 11,
            "ni16_falls": [6] + [0] * 11,
        }
    )
    people = population([(2023, CS, CLACKS, 1, 70, 300), (2023, CS, CLACKS, 1, 40, 700)])
    out = national_indicator_rates(table, people, "2023-12", partnership)
    clacks = out[out["area"] == CLACKS].set_index("indicator")
    assert clacks.loc["NI14", "rate"] == pytest.approx(100.0)
    assert clacks.loc["NI14", "lower"] == pytest.approx(17.9, abs=0.05)
    assert clacks.loc["NI14", "upper"] == pytest.approx(404.2, abs=0.05)
    assert clacks.loc["NI16", ["numerator", "denominator"]].tolist() == [6, 300]
    assert clacks.loc["NI16", "rate"] == pytest.approx(20.0)
    assert clacks.loc["Acute admissions", "denominator"] == 1000  # adults 18+


def test_scotland_is_the_partnerships_in_the_data(partnership):
    # counts only for C&S; the population table has Fife too. Scotland's rate uses the
    # population of the partnerships in the data: 12 / 1,000 x 1,000 = 12, not 12 / 3,000
    monthly = pd.DataFrame(
        {
            "month": pd.date_range("2023-01-01", periods=12, freq="MS"),
            "hscp2019": CS,
            "locality": CLACKS,
            "admissions": 1,
        }
    )
    people = population([(2023, CS, CLACKS, 1, 40, 1000), (2023, FIFE, "Kirkcaldy", 1, 40, 2000)])
    out = area_rates(monthly, "admissions", people, "2023-12", partnership, standardise=False)
    assert out.set_index("area").loc["Scotland", ["population", "rate"]].tolist() == [1000, 12.0]
    assert "1 of Scotland's 31 partnerships" in coverage_note(monthly)


def test_comparators_are_named_only_when_the_data_cover_them():
    cs = geography.partnership("S37000005")  # NHS Forth Valley: C&S and Falkirk
    falkirk = geography.partnership("Falkirk").code
    everyone = [p.code for p in geography.partnerships()]
    assert measures_areas.covered_comparators(cs, [cs.code]) == []
    assert measures_areas.covered_comparators(cs, [cs.code, falkirk]) == ["NHS Forth Valley"]
    assert measures_areas.covered_comparators(cs, everyone) == ["NHS Forth Valley", "Scotland"]
    assert measures_areas.covered_comparators(cs, everyone, board=False) == ["Scotland"]


def test_a_rate_without_a_comparator_keeps_its_interval_and_says_why():
    from hscp.measures import describe_ci

    said = describe_ci("Stirling", 120.0, 110.0, 131.0, unit="per 1,000", uncompared="no Scotland")
    assert said == (
        "Stirling's rate (120.0 per 1,000; 95% CI 110.0 to 131.0) is shown without a "
        "comparator: no Scotland."
    )
