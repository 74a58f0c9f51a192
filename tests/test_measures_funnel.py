"""Funnel plot limits (Spiegelhalter 2005) and the wording of comparisons: worked examples.

Exact Poisson limits with Spiegelhalter's interpolation: for expected count
lambda and probability p, r = the smallest whole number with P(Y <= r) >= p,
alpha = (P(Y <= r) - p) / (P(Y <= r) - P(Y <= r - 1)), limit = (r - alpha) / n.
The Poisson(5) probabilities used below are from the Poisson table:
P(Y <= 0) = 0.006738, P(Y <= 1) = 0.040428, P(Y <= 9) = 0.968172,
P(Y <= 10) = 0.986305.
"""

import numpy as np
import pandas as pd
import pytest

from hscp.measures.compare import (
    HIGHER,
    LOWER,
    SIMILAR,
    UNKNOWN,
    ci_comparison,
    comparison_table,
    describe_ci_comparison,
    describe_funnel_position,
    funnel_comparison,
    possessive,
)
from hscp.measures.funnel import (
    ABOVE_95,
    ABOVE_998,
    BELOW_95,
    BELOW_998,
    WITHIN,
    funnel_limits,
    funnel_position,
)


def test_exact_95_percent_limits_for_an_expected_count_of_5():
    # target 10 per 1,000, population 500: lambda = 5.
    # lower, p = 0.025: P(Y <= 1) = 0.040428 >= 0.025 > P(Y <= 0), so r = 1;
    #   alpha = (0.040428 - 0.025) / (0.040428 - 0.006738) = 0.45793; limit = 0.54207 events
    #   -> 0.54207 / 500 x 1,000 = 1.0841 per 1,000
    # upper, p = 0.975: P(Y <= 10) = 0.986305 >= 0.975 > P(Y <= 9) = 0.968172, r = 10;
    #   alpha = (0.986305 - 0.975) / (0.986305 - 0.968172) = 0.62344; limit = 9.37656 events
    #   -> 18.7531 per 1,000
    limits = funnel_limits(10, [500], per=1000).iloc[0]
    assert limits["target"] == 10
    assert limits["lower_95"] == pytest.approx(1.0841, abs=1e-3)
    assert limits["upper_95"] == pytest.approx(18.7531, abs=1e-3)


def test_lower_limit_never_below_zero():
    # lambda = 5, p = 0.001: P(Y <= 0) = 0.006738 >= 0.001, r = 0; below r there is nothing
    # (P(Y <= -1) = 0): alpha = (0.006738 - 0.001) / 0.006738 = 0.8516, limit -0.85 -> 0
    limits = funnel_limits(10, [500], per=1000).iloc[0]
    assert limits["lower_99_8"] == 0


def test_exact_limits_approach_the_normal_ones_for_large_populations():
    # lambda = 100 per 1,000 x 1,000,000 / 1,000 = 100,000 expected events: the Poisson is
    # nearly normal, 100 +/- 1.96 x sqrt(100 x 1,000 / 1,000,000) = 100 +/- 0.6198
    exact = funnel_limits(100, [1_000_000], per=1000).iloc[0]
    normal = funnel_limits(100, [1_000_000], per=1000, method="normal").iloc[0]
    assert normal["upper_95"] == pytest.approx(100 + 1.959964 * np.sqrt(0.1), abs=1e-4)
    assert exact["upper_95"] == pytest.approx(normal["upper_95"], abs=0.01)
    assert exact["lower_95"] == pytest.approx(normal["lower_95"], abs=0.01)


def test_limits_narrow_as_population_grows():
    limits = funnel_limits(50, [100, 1_000, 10_000, 100_000], per=1000)
    width = limits["upper_99_8"] - limits["lower_99_8"]
    assert (np.diff(width) < 0).all()
    assert (limits["lower_99_8"] <= limits["lower_95"]).all()
    assert (limits["upper_95"] <= limits["upper_99_8"]).all()


def test_funnel_position_reads_each_band():
    # target 10 per 1,000 in 500 people: 95% limits 1.08 to 18.75 per 1,000 (above), so
    # 5 events (10.0) are within; 10 events (20.0) above 95%. The 99.8% upper limit,
    # (13 - 0.2286) / 500 x 1,000 = 25.54: 14 events (28.0) are above it; 0 events are
    # below the 95% lower limit (0 < 1.08) but not below the 99.8% one (0).
    position = funnel_position(pd.Series([5, 10, 14, 0, 12]), pd.Series([500] * 5), 10)
    assert position.tolist() == [WITHIN, ABOVE_95, ABOVE_998, BELOW_95, ABOVE_95]


def test_funnel_position_below_998():
    # target 100 per 1,000 in 1,000 people: lambda 100; 60 events (60 per 1,000) is far below
    # (the 99.8% lower limit is about 100 - 3.09 x 10 = 69 events)
    assert funnel_position([60], [1000], 100).tolist() == [BELOW_998]


def test_funnel_position_missing_population_is_missing():
    assert funnel_position([5], [np.nan], 10).isna().all()


def test_funnel_limits_reject_bad_input():
    with pytest.raises(ValueError, match="population"):
        funnel_limits(10, [0, 100])
    with pytest.raises(ValueError, match="method"):
        funnel_limits(10, [100], method="binomial")


# --- wording -------------------------------------------------------------------------------


def test_ci_comparison():
    # the comparator below the interval: higher; above it: lower; inside or on a limit: similar
    assert ci_comparison(110, 130, 100) == HIGHER
    assert ci_comparison(110, 130, 140) == LOWER
    assert ci_comparison(110, 130, 120) == SIMILAR
    assert ci_comparison(110, 130, 110) == SIMILAR
    assert ci_comparison(np.nan, 130, 100) == UNKNOWN


def test_describe_ci_comparison_higher():
    text = describe_ci_comparison(
        "Stirling", 120.0, 110.0, 131.0, "Scotland", 100.0, unit="per 100,000"
    )
    assert text == (
        "Stirling's rate (120.0 per 100,000; 95% CI 110.0 to 131.0) is higher than "
        "Scotland's (100.0 per 100,000), by more than chance would explain."
    )


def test_describe_ci_comparison_not_clearly_different():
    text = describe_ci_comparison("Stirling", 120.0, 95.5, 141.0, "Scotland", 100.0)
    assert "is similar to Scotland's (100.0): the difference could be chance." in text
    assert "higher" not in text and "lower" not in text


def test_describe_ci_comparison_lower():
    text = describe_ci_comparison("Stirling", 80.0, 70.0, 90.0, "the partnership", 100.0)
    assert "is lower than the partnership's (100.0)" in text


def test_describe_ci_comparison_never_claims_a_difference_without_numbers():
    # a suppressed (missing) rate or limit: no claim of higher or lower
    text = describe_ci_comparison("Stirling", np.nan, np.nan, np.nan, "Scotland", 100.0)
    assert "could not be compared" in text


def test_funnel_wording():
    assert funnel_comparison(ABOVE_998) == HIGHER
    assert funnel_comparison(BELOW_998) == LOWER
    assert funnel_comparison(ABOVE_95) == "possibly higher"
    assert funnel_comparison(WITHIN) == SIMILAR
    assert funnel_comparison(None) == UNKNOWN
    text = describe_funnel_position("Stirling", ABOVE_998, "the partnership")
    assert text == (
        "Stirling's rate is above the 99.8% limit around the partnership's rate: higher than "
        "the partnership's beyond what chance would explain."
    )
    assert "possibly lower" in describe_funnel_position("Stirling", BELOW_95, "the partnership")
    assert "no different" in describe_funnel_position("Stirling", WITHIN, "the partnership")


def test_describe_ci_comparison_names_the_measure_and_a_percent_unit():
    text = describe_ci_comparison(
        "Stirling", 23.2, 22.5, 23.9, "Scotland", 20.0, measure="share of admissions", unit="%"
    )
    assert text.startswith("Stirling's share of admissions (23.2%; 95% CI 22.5 to 23.9) is higher")


def test_comparison_table():
    # admissions: Stirling 120 (110-131); partnership 100 (below: higher), Scotland 125 (inside)
    # bed days: no interval -> not compared
    table = pd.DataFrame(
        {
            "measure": ["admissions"] * 3 + ["bed days"] * 2,
            "area": ["Stirling", "C&S", "Scotland", "Stirling", "Scotland"],
            "rate": [120.0, 100.0, 125.0, 500.0, 400.0],
            "lower": [110.0, 98.0, 124.0, np.nan, np.nan],
            "upper": [131.0, 102.0, 126.0, np.nan, np.nan],
        }
    )
    table["count"] = [150, 1000, 9000, 40, 300]
    out = comparison_table(table, "Stirling", ["C&S", "Scotland"], count="count")
    assert out.columns[:2].tolist() == ["measure", "count"]
    out = out.set_index("measure")
    assert out.loc["admissions", "count"] == 150
    assert out.loc["admissions", ["vs C&S", "vs Scotland"]].tolist() == [HIGHER, SIMILAR]
    assert out.loc["admissions", "Scotland"] == 125.0
    assert out.loc["bed days", "vs Scotland"] == UNKNOWN
    assert pd.isna(out.loc["bed days", "C&S"])


def test_possessive():
    # "Stirling's", but "Orkney Islands'" (a name ending in s takes only the apostrophe)
    assert possessive("Stirling") == "Stirling's"
    assert possessive("Orkney Islands") == "Orkney Islands'"
    text = describe_funnel_position("Orkney Islands", WITHIN, "Western Isles")
    assert text.startswith("Orkney Islands' rate is within") and "Western Isles' rate" in text


def test_funnel_functions_take_plain_numbers():
    # a population of 1,000 at a target of 5 per 1,000: expected 5, the Poisson(5)
    # limits of the module docstring; 20 per 1,000 is far above the 99.8% limit
    limits = funnel_limits(5, 1000)
    assert len(limits) == 1
    assert funnel_position(20, 1000, 5).tolist() == [ABOVE_998]


def test_a_suppressed_count_keeps_the_comparison_table_numeric():
    """Shetland's Whalsay & Skerries: one indicator's count suppressed (pd.NA) beside
    numbers made the column objects, which disclosure control refuses."""
    import pandas as pd

    from hscp import measures

    table = pd.DataFrame({
        "name": ["A", "A", "B", "B"],
        "area": ["Isles", "Scotland", "Isles", "Scotland"],
        "numerator": pd.array([220, 5000, pd.NA, 700], dtype="Int64").astype(object),
        "rate": [10.0, 7.0, None, 3.0],
        "lower": [8.0, 11.9, None, 2.9],
        "upper": [12.0, 12.1, None, 3.1],
    })  # fmt: skip
    out = measures.comparison_table(table, "Isles", ["Scotland"], by="name", count="numerator")
    assert out["numerator"].dtype.kind == "f" and out["rate"].dtype.kind == "f"
    assert out["numerator"].tolist()[0] == 220 and pd.isna(out["numerator"].iloc[1])
    assert list(out["vs Scotland"]) == [measures.compare.HIGHER, measures.compare.UNKNOWN]
