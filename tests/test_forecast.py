"""Monthly forecasts: seasonal pattern, demographic baseline, ETS/SARIMAX, planning table.

Expected numbers are worked out by hand in the comments; the statistical models
are checked on series whose answer is known (an exact seasonal pattern, a rate
that does not change while the population grows).
"""

import numpy as np
import pandas as pd
import pytest

from hscp import forecast as fc

MONTHS = pd.date_range("2019-04-01", "2024-03-01", freq="MS")  # five financial years
# a fixed seasonal pattern, April first: winter months high, summer low (sums to 0)
PATTERN = np.array([-10, -15, -20, -25, -20, -10, 0, 10, 25, 40, 20, 5], dtype=float)


def seasonal_series(level=200.0, slope=0.0, noise=0.0, seed=3):
    rng = np.random.default_rng(seed)
    n = len(MONTHS)
    values = level + slope * np.arange(n) + np.tile(PATTERN, n // 12) + rng.normal(0, noise, n)
    return pd.Series(values, index=MONTHS, name="bed_days")


def test_monthly_series_sums_by_month_and_refuses_gaps():
    frame = pd.DataFrame(
        {
            "month": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-02-01"]),
            "bed_days": [3, 4, 5],
        }
    )
    series = fc.monthly_series(frame, "bed_days")
    assert list(series) == [7, 5] and series.index.freqstr == "MS"
    gap = pd.DataFrame({"month": pd.to_datetime(["2024-01-01", "2024-03-01"]), "bed_days": [1, 2]})
    with pytest.raises(fc.ForecastError, match="gaps: Feb 2024"):
        fc.monthly_series(gap, "bed_days")


def test_stl_recovers_an_exact_seasonal_pattern():
    decomposition = fc.seasonal_pattern(seasonal_series(slope=1.0))
    profile = fc.seasonal_profile(decomposition).set_index("month_name")
    # January is 40 above the trend, July 25 below it (PATTERN, April first)
    assert profile.loc["Jan", "seasonal"] == pytest.approx(40, abs=1.5)
    assert profile.loc["Jul", "seasonal"] == pytest.approx(-25, abs=1.5)
    assert list(profile.index[:3]) == ["Apr", "May", "Jun"]
    parts = decomposition[["trend", "seasonal", "remainder"]].sum(axis=1)
    np.testing.assert_allclose(parts, decomposition["observed"])


def test_stl_needs_two_years():
    with pytest.raises(fc.ForecastError, match="at least 24 months"):
        fc.seasonal_pattern(seasonal_series().iloc[:23])


def test_monthly_population_interpolates_between_mid_years():
    # mid-2024 1,000 and mid-2025 1,120. January 2025's middle is 2025 + 0.5/12 = 2025.0417,
    # 0.5417 of the way from 30 June 2024 (2024.5) to 30 June 2025 (2025.5):
    # 1,000 + 0.5417 x 120 = 1,065.0. July 2024's middle (2024.5417) is 1,000 + 0.0417 x 120 = 1,005.
    annual = pd.Series({2024: 1000.0, 2025: 1120.0})
    monthly = fc.monthly_population(annual, pd.to_datetime(["2025-01-01", "2024-07-01"]))
    assert list(monthly) == pytest.approx([1065.0, 1005.0])
    with pytest.raises(fc.ForecastError, match="no population"):
        fc.monthly_population(annual, pd.to_datetime(["2030-01-01"]))


def test_demographic_baseline_grows_the_latest_year_by_the_population():
    # level 200 with the exact pattern; population 10,000 over the last year of history and
    # 11,000 in 2025/26: January 2026 = (200 + 40) x 1.1 = 264; July 2025 = (200 - 25) x 1.1
    # = 192.5
    decomposition = fc.seasonal_pattern(seasonal_series())
    future = pd.date_range("2025-04-01", "2026-03-01", freq="MS")
    population = pd.Series(10000.0, index=MONTHS[-12:]).combine_first(
        pd.Series(11000.0, index=future)
    )
    base = fc.demographic_baseline(decomposition, population, future).set_index("month")
    assert base.loc["2026-01-01", "baseline"] == pytest.approx(264, abs=1.5)
    assert base.loc["2025-07-01", "baseline"] == pytest.approx(192.5, abs=1.5)
    assert base["growth"].eq(1.1).all()


def test_ets_forecast_keeps_the_season_and_brackets_it():
    series = seasonal_series(noise=2.0)
    fitted = fc.forecast(series, "2025-03", method="ets", interval=0.8)
    table = fitted.table.set_index("month")
    assert len(table) == 12 and fitted.model == "ETS(A,Ad,A)"
    # the true value is 200 + pattern: January 240, July 175
    assert table.loc["2025-01-01", "forecast"] == pytest.approx(240, abs=6)
    assert table.loc["2024-07-01", "forecast"] == pytest.approx(175, abs=6)
    assert (table["lower"] <= table["forecast"]).all() and (
        table["forecast"] <= table["upper"]
    ).all()
    # an 80% interval with noise sd 2 is roughly +/- 1.28 x 2 = 2.6 wide each side at first
    assert 1 < table["upper"].iloc[0] - table["forecast"].iloc[0] < 8


def test_forecast_is_reproducible():
    a = fc.forecast(seasonal_series(noise=2.0), "2025-03").table
    b = fc.forecast(seasonal_series(noise=2.0), "2025-03").table
    pd.testing.assert_frame_equal(a, b)


def test_forecast_per_population_grows_with_the_population():
    # The rate is 20 per 1,000 plus the season; the population grows 1% a year from 10,000.
    # Fitted to the rate, the forecast is the rate times the projected population: with the
    # population 12,000 in the future, January = (20 + 4) x 12 = 288.
    months = MONTHS.append(pd.date_range("2024-04-01", "2025-03-01", freq="MS"))
    population = pd.Series(10000 * 1.01 ** (np.arange(len(months)) / 12), index=months)
    population[population.index >= "2024-04-01"] = 12000.0
    rate = 20 + np.tile(PATTERN / 10, 5)
    series = pd.Series(rate * population.iloc[: len(MONTHS)].to_numpy() / 1000, index=MONTHS)
    series += np.random.default_rng(5).normal(0, 0.05, len(series))
    fitted = fc.forecast(series, "2025-03", population=population)
    january = fitted.table.set_index("month").loc["2025-01-01", "forecast"]
    assert january == pytest.approx(288, rel=0.02)
    assert fitted.per_population and "per 1,000" in fitted.description


def test_sarimax_forecast_runs_with_intervals():
    fitted = fc.forecast(seasonal_series(noise=2.0), "2024-12", method="sarimax", interval=0.95)
    table = fitted.table
    assert len(table) == 9 and fitted.model.startswith("SARIMAX")
    assert table.loc[table.month == "2024-12-01", "forecast"].iloc[0] == pytest.approx(225, abs=8)
    assert (table["lower"] <= table["upper"]).all()


def test_short_history_drops_the_season_and_says_so():
    fitted = fc.forecast(seasonal_series().iloc[-18:], "2024-06")
    assert "no season" in fitted.model


@pytest.mark.parametrize(
    ("until", "kwargs", "message"),
    [
        ("2024-02", {}, "already runs to Mar 2024"),
        ("2025-03", {"method": "prophet"}, "method must be one of"),
        ("2025-03", {"interval": 1.2}, "interval must be between"),
    ],
)
def test_forecast_errors(until, kwargs, message):
    with pytest.raises(ValueError, match=message):
        fc.forecast(seasonal_series(), until, **kwargs)


def test_planning_table_lists_the_months_of_the_year_and_its_total():
    months = pd.date_range("2024-04-01", "2026-03-01", freq="MS")
    baseline = pd.DataFrame({"month": months, "baseline": 310.0, "growth": 1.0})
    fitted = fc.Forecast(
        pd.DataFrame({"month": months, "forecast": 300.0, "lower": 250.0, "upper": 350.0}),
        "ETS(A,Ad,A)",
        0.8,
        False,
    )
    table = fc.planning_table(baseline, fitted, ["2025/26"])
    assert list(table["month"][:2]) == ["Apr 2025", "May 2025"] and len(table) == 13
    total = table.iloc[-1]
    # 12 months of 300 = 3,600 bed days; 2025/26 has 365 days: 3,600 / 365 = 9.863 a day
    assert total["month"] == "Total 2025/26" and total["forecast"] == 3600
    assert total["forecast_daily_beds"] == pytest.approx(3600 / 365)
    assert np.isnan(total["lower"])
    # April 2025: 300 bed days / 30 days = 10 a day
    assert table.iloc[0]["forecast_daily_beds"] == pytest.approx(10)
    with pytest.raises(fc.ForecastError, match="does not cover"):
        fc.planning_table(baseline, fitted, ["2026/27"])


@pytest.mark.parametrize(
    ("end", "expected"),
    [("2025-03-31", "2025-03-01"), ("2025-03-30", "2025-02-01"), ("2024-02-29", "2024-02-01")],
)
def test_last_complete_month(end, expected):
    assert fc.last_complete_month(end) == pd.Timestamp(expected)


def test_next_financial_year_starts_after_the_month():
    # March 2024 is in 2023/24: the next is 2024/25; April 2024 is in 2024/25: next 2025/26
    assert fc.next_financial_year("2024-03-01").label == "2024/25"
    assert fc.next_financial_year("2024-04-01").label == "2025/26"


def test_outlook_puts_the_pieces_together():
    # history to March 2024; the 65+ population is 10,000 to mid-2023 and grows to 11,000
    # by mid-2025: the plan is for 2024/25, the first year after the history
    annual = pd.Series({2019: 10000.0, 2020: 10000.0, 2021: 10000.0, 2022: 10000.0,
                        2023: 10000.0, 2024: 10500.0, 2025: 11000.0})  # fmt: skip
    out = fc.outlook(seasonal_series(noise=1.0), annual)
    assert [y.label for y in out.years] == ["2024/25"]
    assert list(out.plan["month"])[0] == "Apr 2024" and len(out.plan) == 13
    frame = out.chart_frame()
    assert frame["bed_days"].notna().sum() == 60 and frame["forecast"].notna().sum() == 12
    # January 2025 baseline: (200 + 40) x population(Jan 2025) / the mean population of the
    # last 12 months of history (2023/24). Jan 2025's middle is 0.5417 of the way from
    # mid-2024 (10,500) to mid-2025 (11,000): 10,500 + 0.5417 x 500 = 10,770.8.
    months = pd.date_range("2023-04-01", "2024-03-01", freq="MS")
    mean_pop = fc.monthly_population(annual, months).mean()
    jan = out.baseline.set_index("month").loc["2025-01-01", "baseline"]
    assert jan == pytest.approx(240 * (10500 + 0.5417 * 500) / mean_pop, rel=0.01)
    assert out.latest_year() == pytest.approx(12 * 200, abs=20)
    with pytest.raises(fc.ForecastError, match="not after the history"):
        fc.outlook(seasonal_series(), annual, years=["2023/24"])
