"""Monthly forecasts: the seasonal pattern (STL), a demographic baseline, ETS/SARIMAX.

Built for delayed discharge bed days of people aged 65+, but any monthly count
works. Three views of the future, side by side (docs/methods.md, "Projections"):

- the seasonal pattern of the history, from an STL decomposition
  (statsmodels.tsa.seasonal.STL: trend + seasonal + remainder);
- a demographic baseline: the latest year's level with its seasonal pattern,
  grown by the population's growth (e.g. people aged 65+) and nothing else;
- a statistical forecast with prediction intervals: ETS (statsmodels ETSModel,
  additive error, damped additive trend, additive season) or SARIMAX, fitted to
  the rate per 1,000 population when a population is given, so demographic
  growth is projected by the population and not extrapolated from the trend.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hscp.conventions.financial_years import FinancialYear, financial_year
from hscp.errors import HscpError

SEASON = 12
METHODS = ("ets", "sarimax")


class ForecastError(HscpError, ValueError):
    """A series that cannot be forecast as asked: the message says why."""


def monthly_series(frame: pd.DataFrame, value: str, month: str = "month") -> pd.Series:
    """A monthly table's `value` summed by month, as a float Series with a monthly index.

    Error if a month is missing between the first and the last (a gap would shift
    the season).
    """
    if month not in frame.columns or value not in frame.columns:
        raise KeyError(f"the monthly table needs columns {month!r} and {value!r}")
    totals = frame.groupby(month)[value].sum().astype(float)
    index = pd.DatetimeIndex(pd.to_datetime(totals.index)).to_period("M").to_timestamp()
    totals.index = index
    full = pd.date_range(index.min(), index.max(), freq="MS")
    missing = full.difference(index)
    if len(missing):
        raise ForecastError(
            f"the monthly series has gaps: {', '.join(f'{m:%b %Y}' for m in missing[:5])}"
        )
    return totals.asfreq("MS").rename(value)


def seasonal_pattern(series: pd.Series, robust: bool = True) -> pd.DataFrame:
    """STL decomposition of a monthly series: month, observed, trend, seasonal, remainder.

    Needs at least two full years. `robust` down-weights unusual months (e.g. a
    pandemic dip) so they do not distort the seasonal pattern.
    Source: Cleveland et al. (1990), STL: a seasonal-trend decomposition procedure
    based on loess; statsmodels.tsa.seasonal.STL.
    """
    from statsmodels.tsa.seasonal import STL

    if len(series) < 2 * SEASON:
        raise ForecastError(
            f"a seasonal pattern needs at least {2 * SEASON} months of history, not {len(series)}"
        )
    fit = STL(series.astype(float), period=SEASON, robust=robust).fit()
    return pd.DataFrame(
        {
            "month": series.index,
            "observed": series.to_numpy(dtype=float),
            "trend": fit.trend.to_numpy(),
            "seasonal": fit.seasonal.to_numpy(),
            "remainder": fit.resid.to_numpy(),
        }
    )


def seasonal_profile(decomposition: pd.DataFrame, last_years: int | None = None) -> pd.DataFrame:
    """The average seasonal effect of each calendar month, April first.

    Columns calendar_month, month_name, observed (the month's mean), seasonal
    (bed days above or below the trend) and index (1 + seasonal / the mean trend: 1.10 is 10% above the
    trend). `last_years` limits it to the latest years (the season can drift).
    """
    frame = decomposition.copy()
    if last_years:
        frame = frame.tail(last_years * SEASON)
    frame["calendar_month"] = pd.to_datetime(frame["month"]).dt.month
    level = frame["trend"].mean()
    out = frame.groupby("calendar_month", as_index=False)[["observed", "seasonal"]].mean()
    out["index"] = 1 + out["seasonal"] / level if level else np.nan
    out["month_name"] = [pd.Timestamp(2000, m, 1).strftime("%b") for m in out["calendar_month"]]
    out = out.iloc[np.argsort((out["calendar_month"].to_numpy() - 4) % 12)]
    return out[["calendar_month", "month_name", "observed", "seasonal", "index"]].reset_index(
        drop=True
    )


def monthly_population(annual: pd.Series, months: Sequence[pd.Timestamp]) -> pd.Series:
    """A population by month, interpolated between mid-year populations.

    `annual` maps year -> population at 30 June of that year (NRS mid-year
    estimates and projections). Each month takes the straight line between the
    mid-years either side of its middle; months before the first or after the
    last mid-year (by up to a year) take the nearest year's population.
    """
    months = pd.DatetimeIndex(pd.to_datetime(list(months)))
    years = np.asarray(annual.index, dtype=float)
    order = np.argsort(years)
    years, values = years[order] + 0.5, np.asarray(annual, dtype=float)[order]
    position = months.year + (months.month - 0.5) / 12
    if position.min() < years[0] - 1 or position.max() > years[-1] + 1:
        raise ForecastError(
            f"no population for {months.min():%b %Y} to {months.max():%b %Y}: the population "
            f"covers {int(years[0])} to {int(years[-1])}"
        )
    return pd.Series(np.interp(position, years, values), index=months, name="population")


def demographic_baseline(
    decomposition: pd.DataFrame, population: pd.Series, months: Sequence[pd.Timestamp]
) -> pd.DataFrame:
    """The latest year's level and seasonal pattern, grown by the population.

    baseline(month) = (mean trend over the last 12 months + the month's average
    seasonal effect over the last two years) x population(month) / mean
    population over the last 12 months. `population` is monthly
    (monthly_population) and covers the history's last year and `months`.
    Columns month, baseline, growth.
    """
    months = pd.DatetimeIndex(pd.to_datetime(list(months)))
    last_year = pd.DatetimeIndex(decomposition["month"]).to_series().tail(SEASON)
    level = decomposition["trend"].tail(SEASON).mean()
    profile = seasonal_profile(decomposition, last_years=2).set_index("calendar_month")
    base_pop = population.reindex(last_year.to_numpy()).mean()
    growth = population.reindex(months).to_numpy() / base_pop
    if np.isnan(growth).any() or np.isnan(base_pop):
        raise ForecastError("the population does not cover the last year of history and the months")
    seasonal = profile.loc[months.month, "seasonal"].to_numpy()
    baseline = np.clip((level + seasonal) * growth, 0, None)
    return pd.DataFrame({"month": months, "baseline": baseline, "growth": growth})


@dataclass
class Forecast:
    """A fitted forecast: table (month, forecast, lower, upper), the model and interval."""

    table: pd.DataFrame
    model: str
    interval: float
    per_population: bool

    @property
    def description(self) -> str:
        what = (
            "the rate per 1,000 population, times the projected population"
            if (self.per_population)
            else "the series"
        )
        return f"{self.model} fitted to {what}; {self.interval:.0%} prediction interval"


def forecast(
    series: pd.Series,
    until: pd.Timestamp | str,
    *,
    method: str = "ets",
    interval: float = 0.8,
    population: pd.Series | None = None,
) -> Forecast:
    """Forecast a monthly series to the month `until`, with a prediction interval.

    method "ets": ETSModel with additive error, damped additive trend and an
    additive season (ETS(A,Ad,A)); without two full years of history the season
    is left out (ETS(A,Ad,N)). method "sarimax": SARIMAX(1,0,0)(0,1,1)12 with a
    constant (needs at least two years). With a monthly `population` (covering
    the history and the forecast months) the model is fitted to the rate per
    1,000 and the forecast and its interval are multiplied back by the projected
    population. Bed days cannot be negative: values are clipped at 0.
    Source: Hyndman and Athanasopoulos, Forecasting: Principles and Practice
    (3rd ed.), chapters 8-9; statsmodels ETSModel and SARIMAX.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if not 0 < interval < 1:
        raise ValueError(f"interval must be between 0 and 1, not {interval}")
    series = series.astype(float).asfreq("MS")
    if series.isna().any():
        raise ForecastError("the series has missing months")
    last = series.index[-1]
    end = pd.Timestamp(until).to_period("M").to_timestamp()
    if end <= last:
        raise ForecastError(f"forecast to {end:%b %Y}: the history already runs to {last:%b %Y}")
    if len(series) < SEASON:
        raise ForecastError(
            f"a forecast needs at least {SEASON} months of history, not {len(series)}"
        )
    months = pd.date_range(last + pd.offsets.MonthBegin(1), end, freq="MS")
    scale_history = scale_future = 1.0
    if population is not None:
        pop = population.reindex(series.index.append(months))
        if pop.isna().any():
            raise ForecastError("the population does not cover every month of history and forecast")
        scale_history = pop.loc[series.index].to_numpy() / 1000
        scale_future = pop.loc[months].to_numpy() / 1000
    endog = series / scale_history
    alpha = 1 - interval
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter from the optimisers
        if method == "ets":
            mean, lower, upper, model = _ets(endog, months, alpha)
        else:
            mean, lower, upper, model = _sarimax(endog, months, alpha)
    table = pd.DataFrame(
        {
            "month": months,
            "forecast": np.clip(mean * scale_future, 0, None),
            "lower": np.clip(lower * scale_future, 0, None),
            "upper": np.clip(upper * scale_future, 0, None),
        }
    )
    return Forecast(table, model, interval, population is not None)


def _ets(endog: pd.Series, months: pd.DatetimeIndex, alpha: float):
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    seasonal = "add" if len(endog) >= 2 * SEASON else None
    fit = ETSModel(
        endog,
        error="add",
        trend="add",
        damped_trend=True,
        seasonal=seasonal,
        seasonal_periods=SEASON if seasonal else None,
    ).fit(disp=False)
    frame = fit.get_prediction(start=months[0], end=months[-1]).summary_frame(alpha=alpha)
    model = "ETS(A,Ad,A)" if seasonal else "ETS(A,Ad,N) (under two years of history: no season)"
    return (
        frame["mean"].to_numpy(),
        frame["pi_lower"].to_numpy(),
        frame["pi_upper"].to_numpy(),
        model,
    )


def _sarimax(endog: pd.Series, months: pd.DatetimeIndex, alpha: float):
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    if len(endog) < 2 * SEASON:
        raise ForecastError(f"SARIMAX needs at least {2 * SEASON} months of history")
    fit = SARIMAX(endog, order=(1, 0, 0), seasonal_order=(0, 1, 1, SEASON), trend="c").fit(
        disp=False
    )
    frame = fit.get_forecast(len(months)).summary_frame(alpha=alpha)
    return (
        frame["mean"].to_numpy(),
        frame["mean_ci_lower"].to_numpy(),
        frame["mean_ci_upper"].to_numpy(),
        "SARIMAX(1,0,0)(0,1,1)12",
    )


def financial_year_months(years: Sequence[FinancialYear | str | int]) -> pd.DatetimeIndex:
    """The months (first days) of the given financial years, in order."""
    fys = sorted({financial_year(y) for y in years})
    return pd.DatetimeIndex([m for fy in fys for m in pd.date_range(fy.start, fy.end, freq="MS")])


def planning_table(
    baseline: pd.DataFrame, fitted: Forecast, years: Sequence[FinancialYear | str | int]
) -> pd.DataFrame:
    """Months of the chosen financial years, as a planner would use them.

    Columns financial_year, month, baseline (demographic), forecast, lower, upper,
    and the average daily beds of each (bed days / days in the month). A total
    row per year gives the year's bed days and average daily beds (the
    interval of a year's total is not the sum of monthly intervals, so it is
    left blank).
    """
    months = financial_year_months(years)
    table = baseline[["month", "baseline"]].merge(fitted.table, on="month", how="outer")
    table = table.set_index("month").reindex(months)
    missing = table[["baseline", "forecast"]].isna().any(axis=1)
    if missing.any():
        raise ForecastError(
            "the forecast does not cover "
            + ", ".join(f"{m:%b %Y}" for m in table.index[missing][:3])
            + " of the chosen financial years"
        )
    table = table.reset_index().rename(columns={"index": "month"})
    table["financial_year"] = [financial_year(m).label for m in table["month"]]
    table["days"] = table["month"].dt.days_in_month
    rows = []
    for label, year in table.groupby("financial_year", sort=True):
        rows.append(year)
        total = {
            "financial_year": label,
            "month": f"Total {label}",
            "days": year["days"].sum(),
            "baseline": year["baseline"].sum(),
            "forecast": year["forecast"].sum(),
            "lower": np.nan,
            "upper": np.nan,
        }
        rows.append(pd.DataFrame([total]))
    out = pd.concat(rows, ignore_index=True)
    out["month"] = [m if isinstance(m, str) else f"{m:%b %Y}" for m in out["month"]]
    for col in ("baseline", "forecast"):
        out[f"{col}_daily_beds"] = out[col] / out["days"]
    return out[
        [
            "financial_year",
            "month",
            "baseline",
            "forecast",
            "lower",
            "upper",
            "baseline_daily_beds",
            "forecast_daily_beds",
        ]
    ]


def last_complete_month(end) -> pd.Timestamp:
    """The first day of the last whole month up to `end` (the month itself if `end` is
    its last day, else the month before)."""
    end = pd.Timestamp(end).normalize()
    month = end.to_period("M").to_timestamp()
    return month if end == end + pd.offsets.MonthEnd(0) else month - pd.offsets.MonthBegin(1)


def next_financial_year(month) -> FinancialYear:
    """The first financial year that starts after `month`."""
    fy = financial_year(pd.Timestamp(month))
    return FinancialYear(fy.year + 1)


@dataclass
class Outlook:
    """A monthly series' history, seasonal pattern, demographic baseline and forecast."""

    history: pd.Series
    pattern: pd.DataFrame
    profile: pd.DataFrame
    population: pd.Series
    baseline: pd.DataFrame
    fitted: Forecast
    plan: pd.DataFrame
    years: list[FinancialYear]

    def chart_frame(self) -> pd.DataFrame:
        """month, bed_days (history), baseline, forecast, lower, upper: one chart's data."""
        past = pd.DataFrame({"month": self.history.index, "bed_days": self.history.to_numpy()})
        ahead = self.baseline[["month", "baseline"]].merge(self.fitted.table, on="month")
        return pd.concat([past, ahead], ignore_index=True)

    def latest_year(self) -> float:
        """The total of the last 12 months of history."""
        return float(self.history.tail(SEASON).sum())


def outlook(
    history: pd.Series,
    annual_population: pd.Series,
    *,
    years: Sequence[FinancialYear | str | int] | None = None,
    method: str = "ets",
    interval: float = 0.8,
) -> Outlook:
    """Seasonal pattern, demographic baseline, forecast and planning table in one go.

    `history` is a monthly series of whole months; `annual_population` maps year to
    the mid-year population the series is grown by (e.g. people aged 65+); `years`
    are the financial years of the planning table (default: the first that starts
    after the history). The forecast runs to the end of the last of them.
    """
    chosen = sorted(
        {financial_year(y) for y in years} if years else {next_financial_year(history.index[-1])}
    )
    if chosen[0].start <= history.index[-1]:
        raise ForecastError(
            f"financial year {chosen[0]} is not after the history (to {history.index[-1]:%b %Y}): "
            "choose years that start after it"
        )
    future = pd.date_range(history.index[-1] + pd.offsets.MonthBegin(1), chosen[-1].end, freq="MS")
    population = monthly_population(annual_population, history.index.append(future))
    pattern = seasonal_pattern(history)
    baseline = demographic_baseline(pattern, population, future)
    fitted = forecast(history, future[-1], method=method, interval=interval, population=population)
    return Outlook(
        history=history,
        pattern=pattern,
        profile=seasonal_profile(pattern),
        population=population,
        baseline=baseline,
        fitted=fitted,
        plan=planning_table(baseline, fitted, chosen),
        years=chosen,
    )


__all__ = [
    "Forecast",
    "ForecastError",
    "METHODS",
    "Outlook",
    "demographic_baseline",
    "financial_year_months",
    "forecast",
    "last_complete_month",
    "next_financial_year",
    "outlook",
    "monthly_population",
    "monthly_series",
    "planning_table",
    "seasonal_pattern",
    "seasonal_profile",
]
