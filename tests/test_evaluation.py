"""Evaluating a change (hscp.evaluation): interrupted time series against the Lopez
Bernal, Cummins and Gasparrini (2017) Sicily example and planted steps, difference in
differences worked by hand, rebased charts, the PDSA record, balancing measures finding a
planted pressure, and the implementation plan's month-by-month helpers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

from hscp import evaluation as ev
from hscp.appraisal import PdsaCycle

# --- interrupted time series: the Sicily smoking ban (Int J Epidemiol 2017; 46: 348) -------------


@pytest.fixture(scope="module")
def sicily(reference) -> pd.DataFrame:
    return pd.read_csv(reference / "its_sicily_acute_coronary_events.csv")


def test_sicily_poisson_step_change(sicily):
    # Tutorial step 4, model1: glm(aces ~ offset(log(stdpop)) + smokban + time,
    # family=poisson); ci.exp gives RR 0.894 (95% CI 0.865 to 0.925), as the paper reports.
    r = ev.its(
        sicily, "aces", "time", "smokban", offset="stdpop", overdispersion=False, slope_change=False
    )
    assert (round(r.rate_ratio, 3), round(r.lower, 3), round(r.upper, 3)) == (0.894, 0.865, 0.925)
    assert r.dispersion == 1.0


def test_sicily_quasi_poisson_widens_the_interval(sicily):
    # model2, family=quasipoisson: the same RR 0.894, dispersion 3.559 (Pearson chi2 / 56),
    # 95% CI 0.839 to 0.953 (the standard errors x sqrt(3.559))
    r = ev.its(sicily, "aces", "time", "smokban", offset="stdpop", slope_change=False)
    assert (round(r.rate_ratio, 3), round(r.lower, 3), round(r.upper, 3)) == (0.894, 0.839, 0.953)
    assert r.dispersion == pytest.approx(3.559, abs=1e-3)


def test_sicily_with_seasonality(sicily):
    # model3, + harmonic(month, 2, 12), quasipoisson: RR 0.885 (95% CI 0.839 to 0.933),
    # dispersion 2.262, the trend exp(12 b_time) = 1.067 a year. (The brief quoted 0.834 to
    # 0.938 and a crude 0.936; no model of the tutorial's code gives those: model1 and 2
    # give 0.894.) Time 1 is January 2002, so time and month give the same Fourier terms.
    r = ev.its(sicily, "aces", "time", "smokban", offset="stdpop", harmonics=2, slope_change=False)
    assert (round(r.rate_ratio, 3), round(r.lower, 3), round(r.upper, 3)) == (0.885, 0.839, 0.933)
    assert r.dispersion == pytest.approx(2.262, abs=1e-3)
    assert r.trend_ratio**12 == pytest.approx(1.067, abs=1e-3)


def test_sicily_agrees_with_a_likelihood_maximised_independently(sicily):
    # The Poisson log-likelihood of model3 maximised by scipy (not a GLM routine); the
    # quasi-Poisson standard error from the inverse Hessian x Pearson chi2 / df.
    t = sicily["time"].to_numpy(float)
    x = np.column_stack(
        [
            np.ones_like(t),
            t,
            sicily["smokban"],
            *(f(2 * np.pi * k * t / 12) for k in (1, 2) for f in (np.sin, np.cos)),
        ]
    )
    y, off = sicily["aces"].to_numpy(float), np.log(sicily["stdpop"].to_numpy())

    def minus_loglik(b):
        eta = x @ b + off
        return np.sum(np.exp(eta) - y * eta)

    start = np.zeros(x.shape[1])
    start[0] = np.log(y.sum() / np.exp(off).sum())
    b = optimize.minimize(minus_loglik, start, method="BFGS", options={"gtol": 1e-8}).x
    mu = np.exp(x @ b + off)
    hessian = x.T @ (x * mu[:, None])
    phi = np.sum((y - mu) ** 2 / mu) / (len(y) - x.shape[1])
    se = np.sqrt(np.diag(np.linalg.inv(hessian)) * phi)
    r = ev.its(sicily, "aces", "time", "smokban", offset="stdpop", harmonics=2, slope_change=False)
    assert r.rate_ratio == pytest.approx(np.exp(b[2]), rel=1e-5)
    assert r.upper == pytest.approx(np.exp(b[2] + stats.norm.ppf(0.975) * se[2]), rel=1e-4)


def test_sicily_slope_change(sicily):
    # The tutorial's additional model4: + I(time - 36):smokban. Level change RR 0.876
    # (0.827 to 0.929), slope change 1.0015 a month (0.9978 to 1.0051): no change in trend.
    r = ev.its(sicily, "aces", "time", "smokban", offset="stdpop", harmonics=2)
    assert (round(r.rate_ratio, 3), round(r.lower, 3), round(r.upper, 3)) == (0.876, 0.827, 0.929)
    assert r.slope_lower < 1 < r.slope_upper
    assert round(r.slope_ratio, 4) == 1.0015


def months(n: int = 72, change_at: int = 37) -> pd.DataFrame:
    t = np.arange(1, n + 1)
    return pd.DataFrame(
        {"time": t, "change": (t >= change_at).astype(int), "population": 50_000 * 1.002**t}
    )


@pytest.mark.filterwarnings("ignore:Perfect separation")  # an exact fit is the point
def test_a_planted_step_and_slope_are_recovered_exactly_from_expected_counts():
    # counts exactly 0.02 a month per person x 1.001^t x season, x 0.8 from month 37 and
    # x 0.99 a month after it (the first month of the change counts 1): a perfect fit.
    d = months()
    t = d["time"]
    season = np.exp(0.1 * np.sin(2 * np.pi * t / 12) + 0.05 * np.cos(2 * np.pi * t / 12))
    after = (t - 36).clip(lower=0)
    d["count"] = d["population"] * 0.02 * 1.001**t * season * 0.8 ** d["change"] * 0.99**after
    r = ev.its(d, "count", "time", "change", offset="population", harmonics=1)
    assert r.rate_ratio == pytest.approx(0.8, rel=1e-6)
    assert r.slope_ratio == pytest.approx(0.99, rel=1e-6)
    assert r.trend_ratio == pytest.approx(1.001, rel=1e-6)
    # the counterfactual continues the old line: no step, no change of slope
    last = r.series.iloc[-1]
    assert last["counterfactual"] == pytest.approx(last["fitted"] / (0.8 * 0.99**36), rel=1e-6)


def test_a_planted_step_in_poisson_counts_lies_in_the_interval():
    # 20% fewer from month 37 in random Poisson counts (seeded): the 95% interval holds 0.8
    # and not 1; no slope change is planted, so the slope interval holds 1.
    rng = np.random.default_rng(2024)
    d = months()
    t = d["time"]
    mean = 400 * (1 + 0.15 * np.cos(2 * np.pi * t / 12)) * 0.8 ** d["change"]
    d["count"] = rng.poisson(mean)
    r = ev.its(d, "count", "time", "change", harmonics=1)
    assert r.lower < 0.8 < r.upper
    assert r.upper < 1
    assert r.slope_lower < 1 < r.slope_upper


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ([0] * 10 + [1] * 5 + [0] * 5, "switch from 0 to 1 once"),
        ([1] * 20, "switch from 0 to 1 once"),
        ([0] * 10 + [2] * 10, "must be 0 before the change and 1"),
    ],
)
def test_its_names_a_bad_intervention_column(change, message):
    d = pd.DataFrame({"time": range(1, 21), "count": 10, "change": change})
    with pytest.raises(ev.EvaluationError, match=message):
        ev.its(d, "count", "time", "change")


def test_its_names_a_missing_column_and_a_bad_offset():
    d = pd.DataFrame({"time": range(1, 21), "count": 10, "change": [0] * 10 + [1] * 10, "pop": 0})
    with pytest.raises(ev.EvaluationError, match="no column 'admissions'"):
        ev.its(d, "admissions", "time", "change")
    with pytest.raises(ev.EvaluationError, match="'pop'.*above 0"):
        ev.its(d, "count", "time", "change", offset="pop")


# --- difference in differences -----------------------------------------------------------------


def did_data(treated_before=(10, 12, 11, 13)) -> pd.DataFrame:
    month = pd.date_range("2024-01-01", periods=6, freq="MS")
    treated = [*treated_before, 8, 9]
    control_a = [4, 6, 4, 6, 5, 7]
    control_b = [6, 6, 6, 6, 7, 7]
    rows = [
        {"area": a, "month": m, "admissions": v}
        for a, values in (("Changed", treated), ("A", control_a), ("B", control_b))
        for m, v in zip(month, values, strict=True)
    ]
    return pd.DataFrame(rows)


def test_difference_in_differences_by_hand():
    # control mean a month: 5, 6, 5, 6 | 6, 7. Gaps: 5, 6, 6, 7 (mean 6) | 2, 2 (mean 2).
    # Estimate 2 - 6 = -4. se = sqrt(var(5,6,6,7) / 4 + var(2,2) / 2) = sqrt((2/3) / 4)
    # = 0.408248; Welch df = (1/6)^2 / ((1/6)^2 / 3) = 3; t(0.975, 3) = 3.182446;
    # interval -4 -/+ 1.299228 = -5.299228 to -2.700772.
    r = ev.difference_in_differences(
        did_data(), "admissions", area="area", month="month", treated="Changed", change="2024-05-01"
    )
    assert r.estimate == pytest.approx(-4)
    assert r.se == pytest.approx(0.408248, abs=1e-6)
    assert r.df == pytest.approx(3)
    assert (r.lower, r.upper) == (
        pytest.approx(-5.299228, abs=1e-6),
        pytest.approx(-2.700772, abs=1e-6),
    )
    assert (r.treated_before, r.treated_after, r.control_before, r.control_after) == (
        11.5,
        8.5,
        5.5,
        6.5,
    )


def test_parallel_trends_check_by_hand():
    # gaps before 5, 6, 6, 7 on months 0-3: slope 3 / 5 = 0.6; residuals -0.1, 0.3, -0.3,
    # 0.1, s^2 = 0.2 / 2 = 0.1, se = sqrt(0.1 / 5) = 0.141421; t(0.975, 2) = 4.302653:
    # 0.6 -/+ 0.608487 holds 0, so the trends before were parallel enough.
    r = ev.difference_in_differences(
        did_data(), "admissions", area="area", month="month", treated="Changed", change="2024-05-01"
    )
    assert r.pre_trend_slope == pytest.approx(0.6)
    assert r.pre_trend_lower == pytest.approx(0.6 - 0.608487, abs=1e-6)
    assert r.parallel_trends


def test_a_gap_already_widening_before_the_change_fails_the_check():
    # treated 10, 12, 13, 15 against controls 5, 6, 5, 6: gaps 5, 6, 8, 9 rise 1.4 a month;
    # se = sqrt((0.3^2 + 0.1^2 + 0.1^2 + 0.3^2 = 0.2) / 2 / 5) = 0.141421; 1.4 -/+ 0.608
    r = ev.difference_in_differences(
        did_data((10, 12, 13, 15)),
        "admissions",
        area="area",
        month="month",
        treated="Changed",
        change="2024-05-01",
    )
    assert r.pre_trend_slope == pytest.approx(1.4)
    assert not r.parallel_trends


def test_difference_in_differences_needs_months_on_both_sides():
    with pytest.raises(ev.EvaluationError, match="3 months before"):
        ev.difference_in_differences(
            did_data(),
            "admissions",
            area="area",
            month="month",
            treated="Changed",
            change="2024-03-01",
            controls=["A"],
        )


# --- rebased charts, the PDSA record --------------------------------------------------------------

MONTHS = pd.date_range("2023-01-01", periods=24, freq="MS")


def measures_frame(series: dict[tuple[str, str], list[float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"area": area, "measure": measure, "month": m, "value": v}
            for (area, measure), values in series.items()
            for m, v in zip(MONTHS, values, strict=True)
        ]
    )


STEADY = [10.0, 11.0] * 6  # mean 10.5, average moving range 1: limits 7.84 to 13.16


def test_the_chart_is_rebased_at_the_change_and_the_drop_is_an_improvement():
    series = pd.Series(STEADY + [7.0] * 12, index=MONTHS)
    chart = ev.rebased_chart(series, "2024-01-01", improvement="decrease")
    assert chart["phase"].tolist() == [0] * 12 + [1] * 12
    assert chart["mean"].iloc[-1] == 7.0
    impact = ev.before_after(series, "2024-01-01", improvement="decrease")
    assert impact.verdict == "improvement"
    assert impact.change == pytest.approx(7 / 10.5 - 1)


def test_the_pdsa_record_gives_each_cycle_its_chart():
    frame = measures_frame({("Clackmannanshire", "delayed_bed_days"): STEADY + [7.0] * 12})
    cycles = [
        PdsaCycle(
            "Cycle 1",
            pd.Timestamp("2024-01-01"),
            pd.Timestamp("2024-03-01"),
            "Clackmannanshire",
            "One ward",
            "delayed_bed_days",
        ),
        PdsaCycle("Cycle 2", pd.Timestamp("2024-04-01"), None, None, "All wards", "ae_attendances"),
    ]
    record = ev.pdsa_record(cycles, frame, "Clackmannanshire & Stirling", baseline_months=6)
    # cycle 1: 6 months before January 2024 and January to March: 9 months, 3 in the cycle
    assert record["cycle"].unique().tolist() == ["Cycle 1"]
    assert len(record) == 9 and record["in_cycle"].sum() == 3
    assert record.attrs["missing"] == ["Cycle 2"]
    assert ev.pdsa_table(cycles)["measure"].tolist() == ["delayed_bed_days", "ae_attendances"]


# --- balancing measures -----------------------------------------------------------------------------

BALANCING = {
    "readmission_rate": {"label": "Readmissions within 28 days", "improvement": "decrease"},
    "ae_reattendance_7_day": {"label": "A&E re-attendances", "improvement": "decrease"},
    "care_home_admissions": {"label": "Care home admissions", "improvement": "decrease"},
    "delayed_bed_days": {
        "label": "Delayed bed days",
        "improvement": "decrease",
        "neighbours": True,
    },
}


def test_the_balancing_check_finds_a_planted_pressure_and_names_where():
    # In the changed area readmissions jump to 14 from the change (above the upper limit
    # 10.5 + 2.66 x 1 = 13.16): pressure. A&E re-attendances stay as they were. Delays rise
    # in the neighbouring locality (14 from the change); the changed area's fall. Care home
    # admissions have no data: listed as not checked.
    frame = measures_frame(
        {
            ("Clackmannanshire", "readmission_rate"): STEADY + [14.0] * 12,
            ("Clackmannanshire", "ae_reattendance_7_day"): STEADY * 2,
            ("Clackmannanshire", "delayed_bed_days"): STEADY + [7.0] * 12,
            ("Rural Stirling", "delayed_bed_days"): STEADY + [14.0] * 12,
        }
    )
    check = ev.balancing_check(
        frame,
        "2024-01-01",
        area="Clackmannanshire",
        balancing=BALANCING,
        neighbours=["Clackmannanshire", "Rural Stirling"],
    )
    found = ev.pressures(check)
    assert list(zip(found["measure"], found["area"], found["where"], strict=True)) == [
        ("delayed_bed_days", "Rural Stirling", "neighbouring area"),
        ("readmission_rate", "Clackmannanshire", "changed area"),
    ]
    assert found["first_signal"].tolist() == [pd.Timestamp("2024-01-01")] * 2
    assert "outside limits" in found["rules"].iloc[0]
    rows = check.set_index(["measure", "area"])
    assert rows.loc[("ae_reattendance_7_day", "Clackmannanshire"), "verdict"] == "no signal"
    assert rows.loc[("delayed_bed_days", "Clackmannanshire"), "verdict"] == "improvement"
    assert rows.loc[("care_home_admissions", "Clackmannanshire"), "status"].startswith(
        "not checked"
    )


# --- the implementation plan ------------------------------------------------------------------------


def test_a_linear_build_up_over_four_months():
    plan = ev.monthly_profile("2025-04-15", 5, 4, "linear")
    assert plan["month"].iloc[0] == pd.Timestamp("2025-04-01")
    assert plan["share"].tolist() == pytest.approx([0.25, 0.5, 0.75, 1.0, 1.0])


def test_wards_close_as_beds_free_and_double_running_ends_with_the_last():
    # 56 beds freed in full (two 28-bed wards), linear over 4 months: 14, 28, 42, 56, 56
    # beds freed; wards closed 0, 1, 1, 2, 2 (beds closed 0, 28, 28, 56, 56). Community cost
    # £1.2m a year: £100,000 a month in full, so 25k, 50k, 75k, 100k, 100k. Double running:
    # the month's cost x the share of the 56 beds still open: 25k x 1 + 50k x 0.5 + 75k x 0.5
    # = £87,500 over 3 months. Released in month 2: 28 x £173,740 / 12 = £405,393.33.
    plan = ev.reprovision_plan(
        "2025-04-01",
        5,
        months_to_full=4,
        profile="linear",
        community_capacity=2000,
        community_cost_a_year=1_200_000,
        beds_freed=56,
        ward_size=28,
        bed_cost_a_year=173_740,
        beds_now=200,
    )
    assert plan["beds_closed"].tolist() == [0, 28, 28, 56, 56]
    assert plan["beds_available"].tolist() == [200, 172, 172, 144, 144]
    assert plan["community_capacity"].tolist() == pytest.approx([500, 1000, 1500, 2000, 2000])
    assert plan["acute_cost_released"].iloc[1] == pytest.approx(405_393.33, abs=0.01)
    running = ev.double_running(plan)
    assert running.cost == pytest.approx(87_500)
    assert (running.months, running.first_month, running.last_month) == (
        3,
        pd.Timestamp("2025-04-01"),
        pd.Timestamp("2025-06-01"),
    )


def test_a_lag_keeps_the_ward_open_after_its_beds_are_freed():
    # the same plan with 2 months of safe running before each closure: 0, 0, 0, 28, 28
    plan = ev.reprovision_plan(
        "2025-04-01",
        5,
        months_to_full=4,
        profile="linear",
        community_capacity=2000,
        community_cost_a_year=1_200_000,
        beds_freed=56,
        ward_size=28,
        bed_cost_a_year=173_740,
        beds_now=200,
        lag=2,
    )
    assert plan["beds_closed"].tolist() == [0, 0, 0, 28, 28]


def test_months_above_the_safe_occupancy_are_flagged():
    # occupied 100 - freed (0, 10, 20) = 100, 90, 80 in 110, 110, 90 beds: 90.9%, 81.8%,
    # 88.9%; above 85% in the first and third months
    months = pd.date_range("2025-04-01", periods=3, freq="MS")
    table = ev.bed_trajectory(
        pd.Series(100.0, index=months),
        pd.Series([0.0, 10.0, 20.0], index=months),
        pd.Series([110.0, 110.0, 90.0], index=months),
        0.85,
    )
    assert table["occupancy"].tolist() == pytest.approx([100 / 110, 90 / 110, 80 / 90])
    assert table["over_safe"].tolist() == [True, False, True]
