"""Rates by SIMD quintile and the gap between most and least deprived, worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from hscp.measures import inequalities as ineq


def _rates(rates_per_1000: list[float], populations: list[float]) -> pd.DataFrame:
    events = pd.DataFrame(
        {
            "simd_quintile": [1, 2, 3, 4, 5],
            "count": [r * p / 1000 for r, p in zip(rates_per_1000, populations, strict=True)],
        }
    )
    population = pd.DataFrame({"simd_quintile": [1, 2, 3, 4, 5], "population": populations})
    return ineq.rates_by_quintile(events, population)


def test_equal_quintiles_give_the_textbook_slope():
    # Rates 10, 8, 6, 4, 2 per 1,000 from most to least deprived, equal populations.
    # Ranks from least deprived: Q5 0.1, Q4 0.3, Q3 0.5, Q2 0.7, Q1 0.9; the rates lie
    # on a line of slope (10 - 2) / (0.9 - 0.1) = 10 per 1,000. Mean rate 6: RII 10/6.
    rates = _rates([10, 8, 6, 4, 2], [1000] * 5)
    gaps = ineq.inequality_gaps(rates)
    assert gaps["absolute_gap"] == pytest.approx(8)
    assert gaps["relative_gap"] == pytest.approx(5)
    assert gaps["sii"] == pytest.approx(10)
    assert gaps["mean_rate"] == pytest.approx(6)
    assert gaps["rii"] == pytest.approx(10 / 6)


def test_unequal_quintiles_weight_the_slope_by_population():
    # Populations Q1..Q5 = 100, 200, 300, 200, 200 (shares 0.1 .. 0.2); rates 12, 8, 5, 4, 2.
    # Ranks from least deprived: Q5 0.1, Q4 0.3, Q3 0.55, Q2 0.8, Q1 0.95 (mean 0.5).
    # Mean rate = 0.1x12 + 0.2x8 + 0.3x5 + 0.2x4 + 0.2x2 = 5.5.
    # Sxy = 0.2(-.4)(-3.5) + 0.2(-.2)(-1.5) + 0.3(.05)(-.5) + 0.2(.3)(2.5) + 0.1(.45)(6.5)
    #     = 0.28 + 0.06 - 0.0075 + 0.15 + 0.2925 = 0.775
    # Sxx = 0.2(.16) + 0.2(.04) + 0.3(.0025) + 0.2(.09) + 0.1(.2025) = 0.079
    # SII = 0.775 / 0.079 = 9.8101; RII = 9.8101 / 5.5 = 1.7837.
    rates = _rates([12, 8, 5, 4, 2], [100_000, 200_000, 300_000, 200_000, 200_000])
    assert ineq.relative_ranks(rates["population"]).tolist() == pytest.approx(
        [0.95, 0.8, 0.55, 0.3, 0.1]
    )
    gaps = ineq.inequality_gaps(rates)
    assert gaps["mean_rate"] == pytest.approx(5.5)
    assert gaps["sii"] == pytest.approx(0.775 / 0.079)
    assert gaps["rii"] == pytest.approx(0.775 / 0.079 / 5.5)
    assert gaps["absolute_gap"] == pytest.approx(10)
    assert gaps["relative_gap"] == pytest.approx(6)


def test_no_gradient_gives_zero_slope():
    gaps = ineq.inequality_gaps(_rates([5] * 5, [1000, 2000, 1400, 800, 600]))
    assert gaps["sii"] == pytest.approx(0, abs=1e-12)
    assert gaps["relative_gap"] == pytest.approx(1)


def test_rates_by_quintile_fill_empty_quintiles_and_give_intervals():
    # 30 events among 2,000 people in Q1 = 15 per 1,000; Q4 has no events: a rate of 0.
    events = pd.DataFrame({"simd_quintile": [1, 1, 2, 3, 5], "count": [10, 20, 5, 5, 2]})
    population = pd.DataFrame({"simd_quintile": [1, 2, 3, 4, 5], "population": [2000] * 5})
    rates = ineq.rates_by_quintile(events, population)
    assert rates["count"].tolist() == [30, 5, 5, 0, 2]
    assert rates.loc[0, "rate"] == pytest.approx(15)
    assert rates.loc[3, "rate"] == 0
    assert (rates["lower"] <= rates["rate"]).all() and (rates["upper"] >= rates["rate"]).all()
    assert rates["quintile"].iloc[0] == "1 (most deprived)"
    assert rates["population_share"].sum() == pytest.approx(1)


def test_quintiles_come_from_the_datazone_lookup():
    records = pd.DataFrame({"datazone2011": ["S01000001", "S01000002", "S01999999"]})
    lookup = pd.DataFrame({"datazone2011": ["S01000001", "S01000002"], "simd_quintile": [1, 5]})
    quintiles = ineq.simd_quintiles(records, lookup)
    assert quintiles.iloc[:2].tolist() == [1, 5]
    assert pd.isna(quintiles.iloc[2])


def test_a_partnerships_rates_by_quintile_worked_by_hand():
    """Five datazones of the partnership (one a quintile) and one of another partnership.

    Quintile 1 (S01000001): 3 admissions; residents 100 + 200 (0-17 and 18-64) = 300:
    10 per 1,000. Quintile 5 (S01000005): 1 admission among 400: 2.5 per 1,000. The
    others: 2 among 200 (10), 1 among 250 (4) and 0 among 250 (0). Relative gap 10 / 2.5
    = 4; absolute gap 7.5. The admission in S01000009 (another partnership) is left out,
    and one whose datazone is unknown is counted as unmatched. For people aged 18+ only,
    quintile 1 has 3 admissions among 200: 15 per 1,000.
    """
    lookup = pd.DataFrame(
        {
            "datazone2011": [f"S0100000{i}" for i in (1, 2, 3, 4, 5, 9)],
            "hscp2019": ["S37000005"] * 5 + ["S37000022"],
            "simd2020v2_sc_quintile": [1, 2, 3, 4, 5, 1],
        }
    )
    people = {"S01000001": (100, 200), "S01000002": (50, 150), "S01000003": (100, 150),
              "S01000004": (50, 200), "S01000005": (100, 300), "S01000009": (10, 10)}  # fmt: skip
    population = pd.DataFrame(
        [
            {"year": year, "datazone2011": dz, "sex": 1, "age_group": group, "population": n}
            for year in (2023, 2024)
            for dz, (children, adults) in people.items()
            for group, n in (("0-17", children), ("18-64", adults))
        ]
    )
    admitted = ["S01000001"] * 3 + ["S01000002"] * 2 + ["S01000003", "S01000005", "S01000009",
                                                        "S01000999"]  # fmt: skip
    events = pd.DataFrame({"datazone2011": admitted, "age": [40] * len(admitted)})
    rates = ineq.partnership_rates_by_quintile(
        events, lookup, population, partnership="S37000005", year=2024
    )
    assert rates["count"].tolist() == [3, 2, 1, 0, 1]
    assert rates["population"].tolist() == [300, 200, 250, 250, 400]
    assert rates["rate"].tolist() == pytest.approx([10, 10, 4, 0, 2.5])
    assert rates.attrs["unmatched"] == 2  # another partnership's datazone, and an unknown one
    gaps = ineq.inequality_gaps(rates)
    assert gaps["relative_gap"] == pytest.approx(4)
    assert gaps["absolute_gap"] == pytest.approx(7.5)
    adults = ineq.partnership_rates_by_quintile(
        events, lookup, population, partnership="S37000005", year=2024, ages="18+"
    )
    assert adults.loc[0, "rate"] == pytest.approx(15)
