"""Demographic projections of emergency admissions, bed days and the beds required.

The method (docs/methods.md, "Projections"):

1. Base year: the latest complete financial year in the data. Emergency
   admissions (continuous inpatient stays admitted as emergencies in the year)
   and their bed days (length of stay) by age band and sex give base-year rates
   per 1,000 population.
2. Population: the area's mid-year population in the base year (from the data's
   population estimates), projected forward with the NRS projection's
   age-and-sex-specific growth for the partnership. A locality is projected with
   its partnership's growth.
3. Projected activity = sum over age band and sex of rate x projected
   population. Projected / base activity is the demographic growth factor.
4. Scenarios on top of demography, each phased in by a time profile: a trend in
   admission rates, a change in length of stay, avoidance of a share of
   potentially preventable admissions (PPAs). Monte Carlo over their 80%
   intervals gives the uncertainty; a waterfall splits the growth into
   demography, each scenario and their interaction.
5. Beds: average occupied beds = bed days / days in the year; sized to the
   winter peak month (seasonal index) at a target occupancy and by Erlang-B.

A projection year Y is the population mid-year Y (30 June) and the financial
year that contains it, April Y to March Y+1 (labelled "Y/Y+1").

The modules, in the order of the method: `nrs` (reading the projections), `growth`
(population growth and an area's population), `activity` (base-year activity and
rates), `scenarios` (time profiles, scenario factors, the waterfall), `monte_carlo`,
`beds` (occupancy, seasonality, Erlang-B), `area` (one area from data to beds),
`tables` (tables and sentences for the report) and `params` (the parameters file).
"""

from hscp.conventions.financial_years import (
    FinancialYear,
    days_in_financial_year,
    financial_year,
    financial_year_label,
)
from hscp.params.projections import PROFILES, SCENARIO_KINDS
from hscp.projection._checks import ProjectionError
from hscp.projection.activity import (
    ACTIVITY,
    age_band,
    age_band_labels,
    base_activity,
    base_rates,
    check_bands,
    emergency_stays,
    latest_complete_financial_year,
    project_activity,
)
from hscp.projection.area import (
    AreaProjection,
    project_area,
)
from hscp.projection.beds import (
    beds_at_occupancy,
    beds_for_blocking,
    beds_required,
    erlang_b,
    occupied_beds,
    seasonal_index,
)
from hscp.projection.growth import (
    area_population,
    demographic_factor,
    population_growth,
    population_series,
    population_year,
    project_population,
    projection_years,
)
from hscp.projection.monte_carlo import (
    MonteCarlo,
    monte_carlo,
    s_curve_table,
)
from hscp.projection.nrs import (
    OLDEST_AGE,
    PRINCIPAL,
    PUBLISHED_AGE_COLUMNS,
    TIDY_COLUMNS,
    choose_variant,
    projection_variants,
    read_projections,
    tidy_projections,
)
from hscp.projection.params import (
    ProjectionParams,
    current_beds,
    default_params_path,
    load_params,
)
from hscp.projection.scenarios import (
    Z80_WIDTH,
    Scenario,
    apply_scenarios,
    scenario_factors,
    time_profile,
    waterfall_table,
)
from hscp.projection.tables import (
    drivers_table,
    population_by_band,
    rates_table,
    scenario_sentences,
    summary_table,
    variant_factors,
    yearly_table,
)

__all__ = [
    "ACTIVITY",
    "AreaProjection",
    "FinancialYear",
    "MonteCarlo",
    "OLDEST_AGE",
    "PRINCIPAL",
    "PROFILES",
    "PUBLISHED_AGE_COLUMNS",
    "ProjectionError",
    "ProjectionParams",
    "SCENARIO_KINDS",
    "Scenario",
    "TIDY_COLUMNS",
    "Z80_WIDTH",
    "age_band",
    "age_band_labels",
    "apply_scenarios",
    "area_population",
    "base_activity",
    "base_rates",
    "beds_at_occupancy",
    "beds_for_blocking",
    "beds_required",
    "check_bands",
    "choose_variant",
    "current_beds",
    "days_in_financial_year",
    "default_params_path",
    "demographic_factor",
    "drivers_table",
    "emergency_stays",
    "erlang_b",
    "financial_year",
    "financial_year_label",
    "latest_complete_financial_year",
    "load_params",
    "monte_carlo",
    "occupied_beds",
    "population_by_band",
    "population_growth",
    "population_series",
    "population_year",
    "project_activity",
    "project_area",
    "project_population",
    "projection_variants",
    "projection_years",
    "rates_table",
    "read_projections",
    "s_curve_table",
    "scenario_factors",
    "scenario_sentences",
    "seasonal_index",
    "summary_table",
    "tidy_projections",
    "time_profile",
    "variant_factors",
    "waterfall_table",
    "yearly_table",
]
