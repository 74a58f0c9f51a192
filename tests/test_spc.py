"""hscp.spc: XmR limits and the Making Data Count rules, p/u charts, runs analysis.

Every expected number is worked out by hand in the comment beside it, or taken
from a published table (qicharts2's vignette), never from the code's own output.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from hscp import spc

# A baseline with easy limits: 12, 10 alternating has mean 11 and every moving
# range 2, so the average moving range is 2: limits 11 -/+ 2.66 x 2 = 5.68 and
# 16.32; 2 sigma (two thirds of the way) 11 -/+ 3.5467 = 7.4533 and 14.5467.
BASE = [12, 10, 12, 10, 12, 10, 12, 10]


def chart(tail, improvement="increase", **kw):
    return spc.xmr(BASE + list(tail), baseline=len(BASE), improvement=improvement, **kw)


def flagged(result):
    return [i - len(BASE) for i in np.flatnonzero(result["point_type"] != "common_cause")]


# --- limits ----------------------------------------------------------------------------


def test_limits_by_hand():
    # 4 6 5 7 5 6 2 5: mean 40 / 8 = 5; moving ranges 2 1 2 2 1 4 3 (sum 15), average
    # 15 / 7; none is 3.267 x that (7.0) or more, so none is screened out.
    # limits 5 -/+ 2.66 x 15 / 7 = 5 -/+ 5.7
    result = spc.xmr([4, 6, 5, 7, 5, 6, 2, 5])
    assert result["mean"].eq(5).all()
    assert result["lpl"].iloc[0] == pytest.approx(-0.7)
    assert result["upl"].iloc[0] == pytest.approx(10.7)
    assert result["upper_2sigma"].iloc[0] == pytest.approx(5 + 2 / 3 * 5.7)
    assert (result["point_type"] == "common_cause").all()


def test_screening_drops_large_moving_ranges_once_and_keeps_the_mean():
    # 0 1 0 1 0 1 0 6 36: moving ranges 1 1 1 1 1 1 6 30 (sum 42, average 5.25).
    # 30 >= 3.267 x 5.25 = 17.15 is dropped: average of the other seven = 12 / 7.
    # Screening is done once: 6 would exceed 3.267 x 12 / 7 = 5.6 but stays.
    # The mean is of all nine values: 45 / 9 = 5. Limits 5 -/+ 2.66 x 12 / 7.
    values = [0, 1, 0, 1, 0, 1, 0, 6, 36]
    screened = spc.xmr(values)
    assert screened["mean"].iloc[0] == pytest.approx(5)
    assert screened["upl"].iloc[0] == pytest.approx(5 + 2.66 * 12 / 7)
    assert screened["lpl"].iloc[0] == pytest.approx(5 - 2.66 * 12 / 7)
    unscreened = spc.xmr(values, screen_outliers=False)
    assert unscreened["upl"].iloc[0] == pytest.approx(5 + 2.66 * 42 / 8)


def test_limits_match_an_independent_calculation():
    # The textbook XmR recipe written out longhand (Wheeler): mean, moving ranges,
    # screen at 3.267 x their average, limits at 2.66 x the screened average.
    rng = np.random.default_rng(5)
    values = list(rng.normal(100, 10, 30).round(1))
    values[17] = 180.0  # an outlier, so screening matters
    mean = sum(values) / len(values)
    ranges = [abs(b - a) for a, b in zip(values[:-1], values[1:], strict=True)]
    average = sum(ranges) / len(ranges)
    kept = [r for r in ranges if r < 3.267 * average]
    average = sum(kept) / len(kept)
    result = spc.xmr(values)
    assert result["mean"].iloc[0] == pytest.approx(mean)
    assert result["lpl"].iloc[0] == pytest.approx(mean - 2.66 * average)
    assert result["upl"].iloc[0] == pytest.approx(mean + 2.66 * average)
    assert result["point_type"].iloc[17] == "special_cause_improvement"


def test_baseline_fixes_mean_and_limits_on_the_first_points():
    # baseline 4: mean of 10 12 10 12 = 11, moving ranges 2 2 2 -> limits 11 -/+ 5.32,
    # applied to every point, including the 30 that would move an unfixed mean.
    result = spc.xmr([10, 12, 10, 12, 30, 11], baseline=4)
    assert result["mean"].eq(11).all()
    assert result["upl"].iloc[-1] == pytest.approx(16.32)
    assert result["rule"].iloc[4] == "outside limits"


# --- the rules ---------------------------------------------------------------------------


def test_point_outside_the_limits():
    # 17 > 16.32: outside, high; with "increase" an improvement, with "decrease" a concern.
    assert chart([17])["rule"].iloc[-1] == "outside limits"
    assert chart([17])["point_type"].iloc[-1] == "special_cause_improvement"
    assert chart([17], "decrease")["point_type"].iloc[-1] == "special_cause_concern"
    # 5 < 5.68: outside, low.
    assert chart([5])["point_type"].iloc[-1] == "special_cause_concern"


def test_point_exactly_on_a_limit_is_not_outside():
    on_limit = 11 + spc.LIMIT * 2  # the upper limit, computed as the chart computes it
    result = chart([on_limit])
    assert result["upl"].iloc[-1] == on_limit
    assert result["point_type"].iloc[-1] == "common_cause"


def test_trend_of_seven_rising_points_flags_all_seven():
    # 8 ... 14 rise by 1 each (6 rises), inside the limits and crossing the mean: all 7
    # are special cause, improvement for a measure where higher is better - even the
    # ones below the mean (NHSRplotthedots 0.2, issue #171).
    result = chart([8, 9, 10, 11, 12, 13, 14])
    assert flagged(result) == [0, 1, 2, 3, 4, 5, 6]
    assert set(result["rule"].iloc[-7:]) == {"trend"}
    assert set(result["point_type"].iloc[-7:]) == {"special_cause_improvement"}
    assert result["point_type"].iloc[len(BASE) - 1] == "common_cause"  # the 10 before


def test_falling_trend_is_a_concern_when_higher_is_better():
    result = chart([14, 13, 12, 11, 10, 9, 8])
    assert set(result["point_type"].iloc[-7:]) == {"special_cause_concern"}


def test_six_rising_points_are_not_a_trend():
    assert flagged(chart([9, 10, 11, 12, 13, 14])) == []


def test_a_tie_breaks_a_trend():
    # 8 9 10 10 11 12 13 14: the repeated 10 splits it into runs of 3 and 5 rises.
    assert flagged(chart([8, 9, 10, 10, 11, 12, 13, 14])) == []


def test_two_of_three_beyond_two_sigma_on_the_same_side():
    # 15 and 15 are beyond 2 sigma (14.5467) but inside the limit (16.32); with 12
    # between them all three are above the mean: the two 15s are flagged, not the 12.
    result = chart([11, 15, 12, 15, 11])
    assert flagged(result) == [1, 3]
    assert set(result["rule"].iloc[[9, 11]]) == {"two of three near a limit"}
    assert result["point_type"].iloc[9] == "special_cause_improvement"


def test_near_limit_points_on_opposite_sides_do_not_count():
    # 15 is beyond 2 sigma high, 7 beyond 2 sigma low (below 7.4533): no window of
    # three has two near-limit points on one side (NHSRplotthedots 0.2, issue #143).
    assert flagged(chart([11, 15, 7, 15, 11])) == []


def test_two_of_three_needs_all_three_on_one_side():
    # 15 11 15: the 11 is on the mean, so the window is not all on one side.
    assert flagged(chart([11, 15, 11, 15, 11])) == []


def test_a_point_outside_does_not_count_as_near_the_limit():
    # 15 near, 17 outside: only one near-limit point in the window; 17 is flagged
    # for being outside, 15 is not flagged.
    assert flagged(chart([11, 15, 17, 12, 11])) == [2]


def test_run_of_seven_on_one_side_of_the_mean():
    # seven 12s above the mean of 11 (the baseline ends on a 10, below): all seven.
    result = chart([12] * 7)
    assert flagged(result) == list(range(7))
    assert set(result["rule"].iloc[-7:]) == {"run on one side"}


def test_a_point_on_the_mean_breaks_a_run():
    # 12 12 12 11 12 12 12: the 11 is on the mean, leaving runs of 3 and 3.
    assert flagged(chart([12, 12, 12, 11, 12, 12, 12])) == []


def test_six_on_one_side_are_not_a_run():
    assert flagged(chart([12] * 6 + [10])) == []


def test_run_below_the_mean_for_a_decreasing_measure_is_improvement():
    result = chart([10] * 7, "decrease")
    assert set(result["point_type"].iloc[-7:]) == {"special_cause_improvement"}


def test_outside_limits_takes_precedence_over_a_trend():
    # 17 16 15 14 13 12 11: a falling trend whose first point is above the limit.
    # The 17 is labelled by the first rule (outside, high: improvement); the other
    # six by the trend (falling: concern).
    result = chart([17, 16, 15, 14, 13, 12, 11])
    assert result["rule"].iloc[-7] == "outside limits"
    assert result["point_type"].iloc[-7] == "special_cause_improvement"
    assert set(result["rule"].iloc[-6:]) == {"trend"}
    assert set(result["point_type"].iloc[-6:]) == {"special_cause_concern"}


def test_trend_takes_precedence_over_a_run_on_one_side():
    # 12 ... 14.4 rise (each inside 2 sigma) and all lie above the mean: a trend and
    # a run at once, labelled trend.
    result = chart([12, 12.4, 12.8, 13.2, 13.6, 14.0, 14.4])
    assert set(result["rule"].iloc[-7:]) == {"trend"}


def test_turning_point_of_two_trends_takes_the_next_step():
    # Rise 8..14 then fall 14..8: the 14 belongs to both trends and takes the
    # direction of its step to the next point (falling), as NHSRplotthedots.
    result = chart([8, 9, 10, 11, 12, 13, 14, 13, 12, 11, 10, 9, 8])
    types = result["point_type"].iloc[len(BASE) :].tolist()
    assert types[:6] == ["special_cause_improvement"] * 6
    assert types[6:] == ["special_cause_concern"] * 7


def test_neutral_measures_are_high_or_low():
    assert chart([17], "neutral")["point_type"].iloc[-1] == "special_cause_neutral_high"
    assert chart([5], "neutral")["point_type"].iloc[-1] == "special_cause_neutral_low"


def test_missing_value_breaks_a_run_and_is_not_typed():
    # three 12s, a gap, three 12s: no run of seven; the gap has no point type
    result = chart([12, 12, 12, np.nan, 12, 12, 12])
    assert flagged(result[result["value"].notna()]) == []
    assert pd.isna(result["point_type"].iloc[len(BASE) + 3])


# --- phases ---------------------------------------------------------------------------


def monthly(values, start="2023-01-01"):
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="MS"))


def test_rebase_gives_each_phase_its_own_mean_and_limits():
    # Jan-Dec 2023 alternate 100, 104 (mean 102, average moving range 4); from Jan
    # 2024, 80 and 82 (mean 81, average moving range 2).
    values = monthly([100, 104] * 6 + [80, 82] * 6)
    result = spc.xmr(values, rebase=["2024-01"], improvement="decrease")
    before, after = result.loc[:"2023-12"], result.loc["2024-01":]
    assert before["mean"].eq(102).all() and after["mean"].eq(81).all()
    assert before["upl"].iloc[0] == pytest.approx(102 + 2.66 * 4)
    assert after["upl"].iloc[0] == pytest.approx(81 + 2.66 * 2)
    assert (result["phase"] == [0] * 12 + [1] * 12).all()
    assert (result["point_type"] == "common_cause").all()
    # without the rebase the fall is a run of 12 below the mean: improvement
    single = spc.xmr(values, improvement="decrease")
    assert (single["point_type"].loc["2024-01":] == "special_cause_improvement").all()
    # a position does the same as a date; a date inside a month starts at the next point
    assert spc.xmr(values, rebase=[12])["phase"].equals(result["phase"])
    assert spc.xmr(values, rebase="2023-12-15")["phase"].equals(result["phase"])


def test_rules_do_not_run_across_a_rebase():
    # Seven 12s in a row, six at the end of phase 1 (mean 160 / 14 = 11.43) and one
    # starting phase 2 (mean 92 / 8 = 11.5): each phase sees fewer than seven above
    # its mean. Without the rebase (mean 252 / 22 = 11.45) they are a run of seven.
    values = BASE + [12] * 6 + [12, 8, 16, 8, 16, 8, 16, 8]
    result = spc.xmr(values, rebase=[14])
    assert result["mean"].iloc[0] == pytest.approx(160 / 14)
    assert result["mean"].iloc[-1] == pytest.approx(92 / 8)
    assert (result["point_type"] == "common_cause").all()
    whole = spc.xmr(values)
    assert set(whole["rule"].iloc[8:15]) == {"run on one side"}


def test_bad_rebase_is_a_clear_error():
    values = monthly([1, 2, 3, 4])
    with pytest.raises(ValueError, match="after the last value"):
        spc.xmr(values, rebase=["2030-01"])
    with pytest.raises(ValueError, match="position 9 is outside the 4 values"):
        spc.xmr(values, rebase=[9])
    with pytest.raises(ValueError, match="no date index"):
        spc.xmr([1, 2, 3, 4], rebase=["2023-02"])


def test_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="improvement must be one of"):
        spc.xmr([1, 2, 3], improvement="up")
    with pytest.raises(ValueError, match="time order"):
        spc.xmr(pd.Series([1, 2], index=pd.to_datetime(["2024-02-01", "2024-01-01"])))
    with pytest.raises(ValueError, match="baseline"):
        spc.xmr([1, 2, 3], baseline=1)


# --- summary: variation, assurance, warnings ---------------------------------------------------


def test_variation_is_the_last_points_type():
    summary = spc.summary(chart([17]))
    assert summary.variation == "special_cause_improvement"
    assert summary.variation_icon == "improvement_high"
    assert spc.summary(chart([17], "decrease")).variation_icon == "concern_high"
    assert spc.summary(chart([5], "decrease")).variation_icon == "improvement_low"
    assert spc.summary(chart([11])).variation_icon == "common_cause"


@pytest.mark.parametrize(
    ("target", "improvement", "expected"),
    [
        # limits of the baseline: 5.68 to 16.32
        (20, "increase", "consistent_fail"),  # higher is better, target above the limits
        (4, "increase", "consistent_pass"),
        (12, "increase", "inconsistent"),
        (20, "decrease", "consistent_pass"),
        (4, "decrease", "consistent_fail"),
        (12, "neutral", None),
        (None, "increase", None),
    ],
)
def test_assurance_against_a_target(target, improvement, expected):
    result = chart([11], improvement, target=target)
    assert spc.summary(result).assurance == expected


def test_assurance_uses_the_latest_phase():
    # phase 1 is 100 -/+ ..., phase 2 sits at 81 -/+ 5.32 (75.68 to 86.32): a target
    # of 95 is above phase 2's limits, a consistent pass when lower is better.
    values = monthly([100, 104] * 6 + [80, 82] * 6)
    result = spc.xmr(values, rebase=["2024-01"], improvement="decrease", target=95)
    assert spc.summary(result).assurance == "consistent_pass"


def test_short_phase_warning():
    values = monthly(list(range(13)) + [5] * 12)
    result = spc.xmr(values, rebase=["2024-02"])
    summary = spc.summary(result)
    assert len(summary.warnings) == 1  # 13 points in phase 1: fine; 12 in phase 2: warned
    assert "Phase 2 (from Feb 2024) has 12 points" in summary.warnings[0]
    assert result["short_phase"].tolist() == [False] * 13 + [True] * 12


# --- impact of a test of change ---------------------------------------------------------


def test_impact_judges_points_after_the_change_against_the_limits_before():
    # Jan-Dec 2023 alternate 100, 104 (mean 102, limits 102 -/+ 2.66 x 4 = 91.36 to
    # 112.64); from Jan 2024 a fall to 80, 82: below the old lower limit, so every
    # point after the change is special cause - an improvement when lower is better.
    values = monthly([100, 104] * 6 + [80, 82] * 4)
    result = spc.impact(values, "2024-01", improvement="decrease")
    assert (result.n_before, result.n_after) == (12, 8)
    assert result.before_mean == 102 and result.after_mean == 81
    assert result.change == pytest.approx(81 / 102 - 1)
    assert result.improvement_points == 8 and result.concern_points == 0
    assert result.verdict == "improvement"
    assert result.first_signal == pd.Timestamp("2024-01-01")
    assert result.rules == ("outside limits",)  # all 8 are outside: that rule comes first
    assert spc.impact(values, "2024-01", improvement="increase").verdict == "concern"
    assert spc.impact(values, "2024-01", improvement="neutral").verdict == "lower"


def test_impact_without_a_shift_is_no_signal():
    values = monthly([100, 104] * 10)
    result = spc.impact(values, "2024-01", improvement="decrease")
    assert result.verdict == "no signal" and result.first_signal is None


def test_impact_window_starts_at_the_previous_change_and_stops_at_the_next():
    # phase from Jul 2023 (110, 114: mean 112, limits 112 -/+ 10.64, 2 sigma 112 -/+
    # 7.09 = 104.91); change Jan 2024 (106, 110: below the old mean but not near the
    # limit, and 6 points - no run of 7); the fall to 50 from Jul 2024 belongs to the
    # next change and is left out, as are the 200s before Jul 2023.
    values = monthly([200] * 6 + [110, 114] * 3 + [106, 110] * 3 + [50] * 6)
    result = spc.impact(values, "2024-01", start="2023-07", end="2024-07")
    assert (result.n_before, result.n_after) == (6, 6)
    assert result.before_mean == 112
    assert result.verdict == "no signal"


def test_impact_needs_a_baseline():
    with pytest.raises(ValueError, match="at least 2 points before"):
        spc.impact(monthly([1, 2, 3]), "2023-02")


# --- p and u charts --------------------------------------------------------------------


def test_p_chart_limits_by_hand():
    # 10/100, 20/100, 30/200: p-bar = 60 / 400 = 0.15. For n = 100,
    # sigma = sqrt(0.15 x 0.85 / 100) = 0.035707; limits 0.15 -/+ 0.107121.
    # For n = 200, sigma = 0.025249 and limits 0.15 -/+ 0.075746.
    result = spc.pchart([10, 20, 30], [100, 100, 200])
    sigma100 = math.sqrt(0.15 * 0.85 / 100)
    assert result["centre"].eq(0.15).all()
    assert result["ucl"].iloc[0] == pytest.approx(0.15 + 3 * sigma100)
    assert result["lcl"].iloc[2] == pytest.approx(0.15 - 3 * math.sqrt(0.15 * 0.85 / 200))
    assert not result["signal"].any()


def test_p_chart_limits_are_clipped_to_0_and_1():
    # p-bar = 2 / 20 = 0.1; n = 10: sigma = sqrt(0.09 / 10) = 0.0949, lower limit
    # 0.1 - 0.285 < 0, clipped to 0.
    result = spc.pchart([1, 1], [10, 10])
    assert result["lcl"].eq(0).all()
    high = spc.pchart([9, 9], [10, 10])  # p-bar 0.9: upper limit 0.9 + 0.285 -> 1
    assert high["ucl"].eq(1).all()


def test_laney_p_prime_widens_limits_by_sigma_z():
    # p-bar = (50 + 70 + 50 + 70) / 4000 = 0.06; sigma = sqrt(0.06 x 0.94 / 1000)
    # = 0.0075100; z = -/+ 0.01 / 0.0075100 = -/+ 1.33156; moving ranges of z all
    # 2.66312, so sigma_z = 2.66312 / 1.128 = 2.36092: limits 0.06 -/+ 3 x 0.0075100
    # x 2.36092 = 0.06 -/+ 0.053192.
    result = spc.pchart([50, 70, 50, 70], [1000] * 4, laney=True)
    sigma = math.sqrt(0.06 * 0.94 / 1000)
    sigma_z = (2 * 0.01 / sigma) / 1.128
    assert result["sigma_z"].iloc[0] == pytest.approx(sigma_z)
    assert result["ucl"].iloc[0] == pytest.approx(0.06 + 3 * sigma * sigma_z)
    plain = spc.pchart([50, 70, 50, 70], [1000] * 4)
    assert plain["ucl"].iloc[0] == pytest.approx(0.06 + 3 * sigma)


def test_u_chart_lower_limit_floored_at_zero():
    # u-bar = 3 / 30 = 0.1; exposure 10: sigma = sqrt(0.1 / 10) = 0.1; lower limit
    # 0.1 - 0.3 < 0 -> 0; upper limit 0.4 (not capped).
    result = spc.uchart([1, 2, 0], [10, 10, 10])
    assert result["lcl"].eq(0).all()
    assert result["ucl"].iloc[0] == pytest.approx(0.4)


def test_attribute_chart_bad_input():
    with pytest.raises(ValueError, match="cannot exceed 1"):
        spc.pchart([5, 12], [10, 10])
    with pytest.raises(ValueError, match="2 counts but 3 sizes"):
        spc.uchart([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="negative"):
        spc.uchart([-1, 2], [1, 2])


@pytest.fixture(scope="module")
def infections(reference):
    # qicharts2's example data set (../shared/reference/spc_hospital_infections.csv)
    return pd.read_csv(reference / "spc_hospital_infections.csv", parse_dates=["month"])


def test_u_chart_limits_on_hospital_infections_by_formula(infections):
    # qicharts2's example data (BAC at AHH, 24 months). The centre line and limits
    # worked out longhand from Montgomery's formula: u-bar = sum(n) / sum(days);
    # limits u-bar -/+ 3 sqrt(u-bar / days_i), the lower one floored at 0.
    series = infections.query("hospital == 'AHH' and infection == 'BAC'").sort_values("month")
    n, days = series["n"].tolist(), series["days"].tolist()
    ubar = sum(n) / sum(days)
    result = spc.uchart(n, days)
    for i in range(len(n)):
        sigma = math.sqrt(ubar / days[i])
        assert result["centre"].iloc[i] == pytest.approx(ubar)
        assert result["ucl"].iloc[i] == pytest.approx(ubar + 3 * sigma)
        assert result["lcl"].iloc[i] == pytest.approx(max(0.0, ubar - 3 * sigma))


def test_u_charts_reproduce_the_qicharts2_vignette(infections):
    # qicharts2 vignette, case 4: in the two-way faceted u chart "non-random variation
    # is present in UTI rates of two hospitals (BOH, NOH)"; every other infection and
    # hospital is predictable (no point outside the limits, no runs signal).
    unusual = set()
    for (hospital, infection), series in infections.groupby(["hospital", "infection"]):
        series = series.sort_values("month")
        result = spc.uchart(series["n"], series["days"])
        if result["signal"].any() or result["runs_signal"].any():
            unusual.add((hospital, infection))
    assert unusual == {("BOH", "UTI"), ("NOH", "UTI")}


def test_u_funnel_reproduces_the_qicharts2_vignette(infections):
    # qicharts2 vignette, funnel plot of Jul-Dec 2016 by hospital: "NOH has unusually
    # few bacteremias and urinary tract infections ... BFH has unusually many
    # Clostridium difficile infections. The other hospitals are indistinguishable."
    recent = infections[infections["month"] >= "2016-07-01"]
    outside = {}
    for infection, rows in recent.groupby("infection"):
        totals = rows.groupby("hospital")[["n", "days"]].sum()
        result = spc.uchart(totals["n"].to_numpy(), totals["days"].to_numpy())
        result.index = totals.index
        high = result.index[result["value"] > result["ucl"]].tolist()
        low = result.index[result["value"] < result["lcl"]].tolist()
        outside[infection] = (high, low)
    assert outside == {"BAC": ([], ["NOH"]), "CDI": (["BFH"], []), "UTI": ([], ["NOH"])}


# --- runs analysis -----------------------------------------------------------------------


# qicharts2 vignette, Appendix 2: critical values for n useful observations
# (round(log2(n) + 3) and qbinom(0.05, n - 1, 0.5)), a sample of the published rows.
PUBLISHED_CRITICAL_VALUES = {
    10: (6, 2),
    11: (6, 2),
    12: (7, 3),
    14: (7, 4),
    19: (7, 6),
    22: (7, 7),
    23: (8, 7),
    24: (8, 8),
    27: (8, 9),
    36: (8, 13),
    45: (8, 17),
    46: (9, 17),
    60: (9, 23),
    75: (9, 30),
    90: (9, 37),
    91: (10, 37),
    100: (10, 41),
}


@pytest.mark.parametrize(("n", "expected"), PUBLISHED_CRITICAL_VALUES.items())
def test_critical_values_match_the_published_table(n, expected):
    assert (spc.longest_run_max(n), spc.crossings_min(n)) == expected


def test_runs_analysis_by_hand():
    # 1 2 3 4 5 6 7 8 9 10 11 12 about the median 6.5: runs of 6 below and 6 above,
    # so 1 crossing; n = 12 needs at least 3 crossings and a longest run of at most 7:
    # too few crossings -> signal.
    result = spc.runs_analysis(list(range(1, 13)))
    assert (result.n_useful, result.longest_run, result.n_crossings) == (12, 6, 1)
    assert (result.longest_run_max, result.n_crossings_min) == (7, 3)
    assert result.signal and result.few_crossings and not result.long_run


def test_runs_analysis_ignores_points_on_the_centre_line():
    # 1 9 5 1 9 5 1 9 about centre 5: the 5s are not useful; sides - + - + - + :
    # 6 useful, runs of 1, 5 crossings; no signal.
    result = spc.runs_analysis([1, 9, 5, 1, 9, 5, 1, 9], centre=5)
    assert (result.n_obs, result.n_useful, result.n_crossings, result.longest_run) == (8, 6, 5, 1)
    assert not result.signal


def test_runs_analysis_long_run():
    # 10 points, 8 above the centre (0) then 2 below: longest run 8 > round(log2(10)) + 3
    # = 6.
    result = spc.runs_analysis([1] * 8 + [-1] * 2, centre=0)
    assert result.longest_run == 8 and result.long_run and result.signal


def test_runs_analysis_matches_the_qicharts2_vignette_summary():
    # qicharts2 vignette ("Testing for special cause variation"): a shift halfway
    # through 24 points; "the longest run includes 13 data points (upper limit = 8),
    # and the number of crossings is 4 (lower limit = 8)". A series of that shape:
    # runs of 2, 3, 3, 3 and 13 points on alternate sides of the centre line.
    sides = [-1] * 2 + [1] * 3 + [-1] * 3 + [1] * 3 + [-1] * 13
    result = spc.runs_analysis(sides, centre=0)
    assert (result.longest_run, result.n_crossings) == (13, 4)
    assert (result.longest_run_max, result.n_crossings_min) == (8, 8)
    assert result.signal
