"""One area from its data to beds: the whole projection, step by step."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from hscp.conventions.financial_years import (
    FinancialYear,
    days_in_financial_year,
    financial_year_label,
)
from hscp.measures.stays import bed_days_by_month
from hscp.projection._checks import ProjectionError
from hscp.projection.activity import base_activity, base_rates, project_activity
from hscp.projection.beds import beds_at_occupancy, beds_for_blocking, beds_required, seasonal_index
from hscp.projection.growth import (
    area_population,
    population_growth,
    population_year,
    project_population,
    projection_years,
)
from hscp.projection.monte_carlo import MonteCarlo, monte_carlo
from hscp.projection.nrs import choose_variant
from hscp.projection.params import ProjectionParams
from hscp.projection.scenarios import apply_scenarios, waterfall_table


@dataclass
class AreaProjection:
    """Everything projected for one area (a partnership or one of its localities)."""

    area: str
    locality: str | None
    base_year: FinancialYear
    population_year: int
    variant: str
    params: ProjectionParams
    activity: pd.DataFrame  # base-year counts and rates by age band and sex
    population: pd.DataFrame  # projected population: year, sex, age, population
    demography: pd.DataFrame  # year, population, ACTIVITY (demography only)
    projection: pd.DataFrame  # apply_scenarios: demography and with scenarios (central)
    seasonality: pd.DataFrame  # seasonal_index of emergency bed days
    beds: pd.DataFrame  # beds_required with the scenarios (central)
    demography_beds: pd.DataFrame  # beds_required on demography alone
    monte_carlo: MonteCarlo
    current_beds: float | None

    @property
    def horizon(self) -> int:
        return self.params.horizon

    @property
    def peak_index(self) -> float:
        return float(self.seasonality["index"].max())

    @property
    def peak_month(self) -> str:
        """The busiest month's full name (e.g. January)."""
        month = int(self.seasonality.loc[self.seasonality["index"].idxmax(), "calendar_month"])
        return pd.Timestamp(2000, month, 1).strftime("%B")

    def beds_for(self, bed_days, years) -> np.ndarray:
        """Beds required for bed days in the given years: the larger of the occupancy rule
        and Erlang-B at the winter peak (as beds_required)."""
        peak = np.asarray(bed_days, dtype=float) / days_in_financial_year(years) * self.peak_index
        return np.maximum(
            beds_at_occupancy(peak, self.params.target_occupancy),
            beds_for_blocking(peak, self.params.target_blocking),
        )

    def fan(self, measure: str) -> pd.DataFrame:
        """10th, 50th and 90th percentiles by year of admissions, bed_days or beds, with the
        central projection (parameters at their means) and demography alone beside them.

        Beds rise with bed days, so the percentiles of beds are the beds of the
        percentiles of bed days (sample quantiles, method inverted_cdf): the Erlang-B
        sizing then runs on three values a year, not on every run.
        """
        years = self.monte_carlo.years
        if measure == "beds":
            bed_days = np.percentile(
                self.monte_carlo.bed_days, [10, 50, 90], axis=0, method="inverted_cdf"
            )
            p10, p50, p90 = (self.beds_for(q, years).astype(float) for q in bed_days)
            central = self.beds["beds_required"].to_numpy(dtype=float)
            demography = self.demography_beds["beds_required"].to_numpy(dtype=float)
        else:
            values = self.monte_carlo.values(measure)
            p10, p50, p90 = np.percentile(values, [10, 50, 90], axis=0)
            central = self.projection[measure].to_numpy()
            demography = self.projection[f"demography_{measure}"].to_numpy()
        return pd.DataFrame(
            {
                "year": years,
                "financial_year": [financial_year_label(y) for y in years],
                "demography": demography,
                "central": central,
                "p10": p10,
                "p50": p50,
                "p90": p90,
            }
        )

    def horizon_runs(self, measure: str) -> np.ndarray:
        """Every run's result at the horizon (for an S-curve)."""
        if measure == "beds":
            bed_days = self.monte_carlo.at(self.horizon, "bed_days")
            return self.beds_for(bed_days, [self.horizon]).astype(float)
        return self.monte_carlo.at(self.horizon, measure)

    def waterfall_table(self, measure: str = "bed_days") -> pd.DataFrame:
        """waterfall_table of this area's projection (for charts.waterfall)."""
        return waterfall_table(
            self.demography, self.params.scenarios, self.base_year.year, self.horizon, measure
        )

    def summary(self) -> dict:
        """Base year and horizon figures for a summary table (one row per area)."""
        first, last = self.projection.iloc[0], self.projection.iloc[-1]
        beds, demo_beds = self.beds.iloc[-1], self.demography_beds.iloc[-1]
        row = {"area": self.area}
        for measure in ("admissions", "bed_days"):
            runs = self.horizon_runs(measure)
            row[f"base_{measure}"] = float(first[measure])
            row[f"demography_{measure}"] = float(last[f"demography_{measure}"])
            row[f"demography_{measure}_growth"] = (
                last[f"demography_{measure}"] / first[measure] - 1 if first[measure] else np.nan
            )
            row[f"scenario_{measure}"] = float(last[measure])
            row[f"scenario_{measure}_growth"] = (
                last[measure] / first[measure] - 1 if first[measure] else np.nan
            )
            row[f"p10_{measure}"], row[f"p90_{measure}"] = np.percentile(runs, [10, 90])
        bed_runs = self.horizon_runs("beds")
        row |= {
            "base_beds": int(self.beds["beds_required"].iloc[0]),
            "current_beds": float(beds["current_beds"]),
            "demography_beds": int(demo_beds["beds_required"]),
            "scenario_beds": int(beds["beds_required"]),
            "p10_beds": float(np.percentile(bed_runs, 10)),
            "p90_beds": float(np.percentile(bed_runs, 90)),
            "new_beds": float(beds["new_beds"]),
            "demography_new_beds": float(demo_beds["beds_required"] - beds["current_beds"]),
        }
        return row


def project_area(
    stays: pd.DataFrame,
    population: pd.DataFrame,
    projections: pd.DataFrame,
    *,
    code: str,
    params: ProjectionParams,
    base_year: FinancialYear,
    period: tuple,
    locality: str | None = None,
    area: str | None = None,
    current_beds: float | None = None,
) -> AreaProjection:
    """Project one area's emergency admissions, bed days and beds to params.horizon.

    `stays` are the partnership's emergency stays (emergency_stays), `population`
    the contract's population estimates, `projections` the tidy projections
    (every variant; params.variant chooses), `period` the data's first and last
    day. A locality uses its own stays and population and the partnership's
    (`code`) projected growth by age and sex. The steps are the module's
    functions; see the module docstring.
    """
    chosen, variant = choose_variant(projections, params.variant)
    first, last = projection_years(chosen)
    if not base_year.year < params.horizon <= last:
        raise ProjectionError(
            f"The horizon {params.horizon} must be after the base year {base_year} and no "
            f"later than the projections' last year ({last})"
        )
    if locality is not None:
        stays = stays[stays["locality"] == locality]
        if "hscp2019" in population.columns:
            population = population[population["hscp2019"] == code]
        population = population[population["locality"] == locality]
    elif "hscp2019" in population.columns:
        population = population[population["hscp2019"] == code]
    pop_year = population_year(population, chosen, base_year)
    base_pop = area_population(population, pop_year)
    years = list(range(base_year.year, params.horizon + 1))
    projected = project_population(base_pop, population_growth(chosen, code, pop_year, years))
    bands = params.age_bands
    activity = base_activity(stays, base_year, bands, open_until=period[1])
    activity = base_rates(activity, projected[projected["year"] == base_year.year], bands)
    demography = project_activity(activity, projected, bands)
    central = apply_scenarios(demography, params.scenarios, base_year.year, params.horizon)
    monthly = bed_days_by_month(stays, period[0], period[1])
    seasonality = seasonal_index(monthly)
    peak = float(seasonality["index"].max())
    options = {
        "peak_index": peak,
        "target_occupancy": params.target_occupancy,
        "target_blocking": params.target_blocking,
    }
    beds = beds_required(central, current_beds=current_beds, **options)
    demography_beds = beds_required(
        demography, current_beds=float(beds["current_beds"].iloc[0]), **options
    )
    runs = monte_carlo(
        demography,
        params.scenarios,
        base_year.year,
        params.horizon,
        runs=params.runs,
        seed=params.seed,
    )
    return AreaProjection(
        area=area or locality or code,
        locality=locality,
        base_year=base_year,
        population_year=pop_year,
        variant=variant,
        params=params,
        activity=activity,
        population=projected,
        demography=demography,
        projection=central,
        seasonality=seasonality,
        beds=beds,
        demography_beds=demography_beds,
        monte_carlo=runs,
        current_beds=current_beds,
    )
