"""The projections report's story: emergency admissions, bed days and beds to the horizon
from the NRS population projections and the planning scenarios, for the area and each
locality of its partnership, and the monthly outlook of delayed bed days of people 65+.

`compute` projects every area once and forecasts the delays; the other functions turn
the results into the key messages and the arguments of each table and figure
(`report.table(**args)`), so the notebook is one call a step.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from hscp import forecast, measures, projection, text

#: The fan charts' columns that are counts (disclosure).
FAN_COUNTS = ["demography", "central", "p10", "p50", "p90"]


@dataclass
class Results:
    """Every area's projection and the delays outlook of the report's area."""

    area_name: str  # the report's area (partnership or locality)
    partnership_name: str
    settings: object  # projection.ProjectionParams
    base_year: object  # FinancialYear
    area: object  # the report's AreaProjection
    areas: list  # the partnership's, then each locality's
    summary: pd.DataFrame
    outlook: object  # forecast outlook
    variants: pd.DataFrame | None  # growth under every NRS variant (None: one variant)
    ages: pd.DataFrame  # growth factors of the chosen variant by age group
    whole_report: bool  # the report is of the whole partnership

    @property
    def horizon_label(self) -> str:
        return projection.financial_year_label(self.settings.horizon)

    @property
    def mine(self) -> pd.Series:
        return self.summary.set_index("area").loc[self.area.area]

    @property
    def bed_steps(self) -> pd.DataFrame:
        return self.area.waterfall_table("bed_days")

    @property
    def steps(self) -> pd.Series:
        steps = self.bed_steps
        return steps[steps["kind"] == "change"].set_index("step")["change"]


def compute(rpt, settings, forecast_years=None, forecast_method: str = "ets") -> Results:
    """Project the partnership and each locality (a locality grows with its partnership's
    age-and-sex-specific growth) and forecast the area's delayed bed days of people 65+."""
    p = rpt.partnership
    projections = projection.tidy_projections(rpt.data.projections(), "population_projections")
    base_year = projection.latest_complete_financial_year(rpt.start, rpt.complete_end)
    stays = projection.emergency_stays(rpt.data.episodes())
    population = rpt.data.population()
    common = dict(params=settings, base_year=base_year, period=(rpt.start, rpt.end), code=p.code)
    whole = projection.project_area(stays, population, projections, area=p.name,
                                    current_beds=projection.current_beds(p), **common)  # fmt: skip
    localities = [
        projection.project_area(stays, population, projections, locality=name, **common)
        for name in p.localities
    ]
    area = (
        whole if rpt.locality is None else next(a for a in localities if a.locality == rpt.locality)
    )
    variant_rows, _ = projection.choose_variant(projections, settings.variant)
    several = len(projection.projection_variants(projections)) > 1
    return Results(
        area_name=rpt.area,
        partnership_name=p.name,
        settings=settings,
        base_year=base_year,
        area=area,
        areas=[whole, *localities],
        summary=projection.summary_table([whole, *localities]),
        outlook=_outlook(rpt, population, variant_rows, settings, forecast_years, forecast_method),
        variants=projection.variant_factors(
            projections, p.code, area.population_year, settings.horizon
        )
        if several
        else None,  # fmt: skip
        ages=projection.variant_factors(
            variant_rows, p.code, area.population_year, settings.horizon
        ).set_index("age_group"),
        whole_report=rpt.locality is None and len(localities) > 1,
    )


def _outlook(rpt, population, variant_rows, settings, years, method):
    """Delayed discharge bed days of people aged 65+: whole months of history, then the outlook."""
    delays = rpt.in_area(rpt.data.delays())
    last_month = forecast.last_complete_month(rpt.end)
    history = measures.delayed_bed_days(delays[delays["age"] >= 65], rpt.start, last_month)
    people_65plus = projection.population_series(
        population, variant_rows, code=rpt.partnership.code, locality=rpt.locality, min_age=65,
        years=range(max(rpt.start.year, int(population["year"].min())), settings.horizon + 1),
    )  # fmt: skip
    return forecast.outlook(
        forecast.monthly_series(history, "bed_days"), people_65plus, years=years, method=method
    )


# --- key messages -------------------------------------------------------------------------------


def key_messages(r: Results, threshold: int) -> list[str]:
    """Population change alone, with the scenarios, what drives bed days, beds at the
    winter peak, the delays outlook and the basis; among the localities for the whole."""

    def n(x) -> str:
        return text.count(x, threshold=threshold)

    mine, area, s, base_year, h = r.mine, r.area, r.settings, r.base_year, r.horizon_label
    steps = r.steps
    scenario_steps = steps.drop(["Demography", "Interaction"])
    plan_total = r.outlook.plan[r.outlook.plan["month"].str.startswith("Total")].iloc[0]
    against = (
        f"{n(mine.current_beds)} now"
        if area.current_beds
        else f"{n(mine.base_beds)} needed in {base_year}"
    )
    messages = [
        f"Population change alone would take emergency admissions of {r.area_name} residents from "
        f"{n(mine.base_admissions)} in {base_year} to {n(mine.demography_admissions)} in {h} "
        f"({text.growth(mine.demography_admissions_growth)}), and their bed days from "
        f"{n(mine.base_bed_days)} to {n(mine.demography_bed_days)} "
        f"({text.growth(mine.demography_bed_days_growth)}). Behind this, the "
        f"partnership's population aged 75+ sees {text.growth(r.ages.loc['75+', 'factor'] - 1)}, "
        f"all ages {text.growth(r.ages.loc['All ages', 'factor'] - 1)}.",
        f"With the planning scenarios at their central values, {h} would see "
        f"{n(mine.scenario_admissions)} emergency admissions and {n(mine.scenario_bed_days)} bed "
        f"days; in 80% of {s.runs:,} simulations the bed days lie between "
        f"{n(mine.p10_bed_days)} and {n(mine.p90_bed_days)}.",
        f"Between {base_year} and {h}, population change "
        f"{'adds' if steps['Demography'] >= 0 else 'removes'} {abs(steps['Demography']):,.0f} "
        "bed days; of the scenarios, "
        + "; ".join(f"{text.lower_first(k)}: {v:+,.0f}" for k, v in scenario_steps.items())
        + f"; their interaction: {steps['Interaction']:+,.0f}.",
        f"At the winter peak ({area.peak_month}, {text.percent(area.peak_index - 1)} above the "
        f"year's average) and {text.percent(s.target_occupancy, 0)} occupancy, {h} needs "
        f"{n(mine.scenario_beds)} beds (80% range {n(mine.p10_beds)} to {n(mine.p90_beds)}) "
        f"against {against}: {mine.new_beds:+,.0f} beds, or {mine.demography_new_beds:+,.0f} "
        "from population change alone.",
        f"Delayed discharge bed days of people aged 65+ are forecast at "
        f"{n(plan_total.forecast)} in {plan_total.financial_year} (about "
        f"{text.number(plan_total.forecast_daily_beds, 0)} beds a day), against "
        f"{n(r.outlook.latest_year())} in the latest 12 months; population growth alone would "
        f"give {n(plan_total.baseline)}.",
        f"Base year {base_year}, the latest complete financial year in the data; population: the "
        f"NRS {area.variant} projection, from the {area.population_year} mid-year estimates.",
    ]
    if r.whole_report:
        growth = r.summary.iloc[1:].set_index("area")["demography_bed_days_growth"]
        messages.insert(
            3,
            f"Among the localities, population change adds most to bed days in {growth.idxmax()} "
            f"({text.growth(growth.max())}) and least in {growth.idxmin()} "
            f"({text.growth(growth.min())}).",
        )
    return messages


def scenario_sentences(r: Results) -> list[str]:
    return projection.scenario_sentences(r.settings, r.base_year.year)


def one_variant_note(r: Results) -> str:
    return (
        f"The projections file holds one variant ({r.area.variant}); with high and low variants "
        "(migration, life expectancy) the report would show the growth under each."
    )


# --- population ------------------------------------------------------------------------------------


def _by_band(r: Results) -> pd.DataFrame:
    return projection.population_by_band(
        r.area.population, r.settings.age_bands, r.base_year.year, r.settings.horizon
    )


def population_figure_args(r: Results) -> dict:
    by_band = _by_band(r)
    fastest = by_band.iloc[:-1].loc[by_band["change"].iloc[:-1].idxmax()]
    return {
        "data": by_band.assign(change=lambda f: f["change"] * 100),
        "x": "age_band",
        "y": "change",
        "horizontal": False,
        "xlabel": f"Change in population, {r.base_year} to {r.horizon_label} (%)",
        "counts": ["base", "horizon"],
        "derived": {"change": ["base", "horizon"]},
        "title": f"In {r.area_name} the population aged {fastest.age_band} grows most by "
        f"{r.horizon_label} ({text.growth(fastest.change)}); all ages: "
        f"{text.growth(by_band.iloc[-1].change)}",
        "alt": f"Bar chart of the projected percentage change in population from {r.base_year} "
        f"to {r.horizon_label} for each age band of {r.area_name}.",
    }


def population_table_args(r: Results) -> dict:
    return {
        "data": _by_band(r),
        "title": f"Projected population of {r.area_name} by age band",
        "counts": ["base", "horizon"],
        "derived": {"change": ["base", "horizon"]},
        "formats": {"base": "{:,.0f}", "horizon": "{:,.0f}", "change": "{:+.1%}"},
        "labels": {
            "age_band": "Age band",
            "base": str(r.base_year),
            "horizon": r.horizon_label,
            "change": "Change",
        },  # fmt: skip
    }


def variants_args(r: Results) -> dict:
    return {
        "data": r.variants,
        "counts": ["base", "horizon"],
        "derived": {"factor": ["base", "horizon"]},
        "title": f"Population growth to {r.horizon_label} under each NRS projection variant "
        f"(used: {r.area.variant})",
        "formats": {"base": "{:,.0f}", "horizon": "{:,.0f}", "factor": "{:.3f}"},
        "labels": {"factor": "Growth factor", "age_group": "Age group"},
    }


# --- admissions, bed days, beds ----------------------------------------------------------------------


def admissions_fan_args(r: Results, threshold: int) -> dict:
    mine = r.mine
    return {
        "data": r.area.fan("admissions"),
        "ylabel": "Emergency admissions a year",
        "counts": FAN_COUNTS,
        "title": f"Emergency admissions of {r.area_name} residents rise from "
        f"{text.count(mine.base_admissions, threshold=threshold)} to about "
        f"{text.count(mine.scenario_admissions, threshold=threshold)} by {r.horizon_label}",
        "alt": f"Fan chart of projected emergency admissions each financial year from "
        f"{r.base_year} to {r.horizon_label}: the 10th to 90th percentile band of the "
        "simulations, their median, the central projection and population change alone.",
    }


def bed_days_fan_args(r: Results, threshold: int) -> dict:
    mine = r.mine
    return {
        "data": r.area.fan("bed_days"),
        "ylabel": "Emergency bed days a year",
        "counts": FAN_COUNTS,
        "title": f"Emergency bed days of {r.area_name} residents: "
        f"{text.count(mine.base_bed_days, threshold=threshold)} in {r.base_year}, about "
        f"{text.count(mine.scenario_bed_days, threshold=threshold)} by {r.horizon_label}",
        "alt": f"Fan chart of projected emergency bed days each financial year from "
        f"{r.base_year} to {r.horizon_label}, with the 10th to 90th percentile band, the "
        "median, the central projection and population change alone.",
    }


def waterfall_args(r: Results) -> dict:
    steps = r.steps
    return {
        "data": r.bed_steps,
        "ylabel": "Emergency bed days a year",
        "counts": ["total"],
        "derived": {"change": ["total"]},
        "title": f"What changes bed days from {r.base_year} to {r.horizon_label}: population "
        f"change {steps['Demography']:+,.0f}, the scenarios together "
        f"{steps.drop('Demography').sum():+,.0f}",
        "alt": f"Waterfall chart from the base year's bed days to {r.horizon_label}: the change "
        "from population, from each scenario and from their interaction.",
    }


def yearly_args(r: Results) -> dict:
    by_year = projection.yearly_table(r.area)
    beds = ("average_occupied_beds", "peak_occupied_beds", "beds_required", "new_beds")
    return {
        "data": by_year,
        "title": f"Projected emergency admissions, bed days and beds of {r.area_name}, by year",
        "counts": ["demography_admissions", "admissions", "demography_bed_days", "bed_days"],
        "derived": dict.fromkeys(beds, ["bed_days"]),
        "formats": {c: "{:,.0f}" for c in by_year.columns if c != "financial_year"},
        "labels": {
            "financial_year": "Financial year",
            "demography_admissions": "Admissions (population only)",
            "admissions": "Admissions (with scenarios)",
            "demography_bed_days": "Bed days (population only)",
            "bed_days": "Bed days (with scenarios)",
            "average_occupied_beds": "Average occupied beds",
            "peak_occupied_beds": "Peak occupied beds",
            "beds_required": "Beds required",
            "new_beds": "New beds",
        },
    }


def season_args(r: Results) -> dict:
    area = r.area
    return {
        "data": area.seasonality.assign(above_average=lambda f: (f["index"] - 1) * 100),
        "x": "month_name",
        "y": "above_average",
        "horizontal": False,
        "counts": ["bed_days"],
        "derived": {"index": ["bed_days"], "above_average": ["bed_days"]},
        "safe": ["years"],  # how many years each month's average is over
        "xlabel": "Daily emergency bed days, % above or below the year's average",
        "title": f"{area.peak_month} is the busiest month for emergency beds in {r.area_name}: "
        f"{text.percent(area.peak_index - 1)} above the year's average",
        "alt": f"Bar chart of how far each month's daily emergency bed days in {r.area_name} lie "
        "above or below the year's daily average, April to March.",
    }


def beds_fan_args(r: Results, threshold: int) -> dict:
    mine = r.mine

    def n(x) -> str:
        return text.count(x, threshold=threshold)

    return {
        "data": r.area.fan("beds"),
        "ylabel": "Beds required at the winter peak",
        "counts": FAN_COUNTS,
        "title": f"{r.area_name} needs {n(mine.scenario_beds)} beds by {r.horizon_label} "
        f"(80% range {n(mine.p10_beds)} to {n(mine.p90_beds)})",
        "alt": f"Fan chart of the beds required each year from {r.base_year} to "
        f"{r.horizon_label}, with the 10th to 90th percentile band, the median, the central "
        "projection and population change alone.",
    }


_BED_COLUMNS = ("average_occupied_beds", "peak_occupied_beds", "beds_at_occupancy",
                "beds_erlang", "beds_required", "new_beds")  # fmt: skip


def beds_table_args(r: Results) -> dict:
    s = r.settings
    return {
        "data": r.area.beds[
            ["financial_year", "bed_days", *_BED_COLUMNS[:5], "current_beds", "new_beds"]
        ],  # fmt: skip
        "title": f"Beds required by {r.area_name} residents, with the scenarios at their "
        "central values",
        "counts": ["bed_days"],
        "safe": ["current_beds"],  # from the partnership's params
        "derived": dict.fromkeys(_BED_COLUMNS, ["bed_days"]),
        "formats": {
            "bed_days": "{:,.0f}",
            "average_occupied_beds": "{:,.1f}",
            "peak_occupied_beds": "{:,.1f}",
            "current_beds": "{:,.0f}",
            "new_beds": "{:+,.0f}",
        },
        "labels": {
            "financial_year": "Financial year",
            "beds_at_occupancy": f"At {s.target_occupancy:.0%} occupancy",
            "beds_erlang": f"Erlang-B ({s.target_blocking:.0%} turned away)",
        },
    }


def bed_days_curve_args(r: Results, threshold: int) -> dict:
    h = r.horizon_label
    median = r.area.fan("bed_days")["p50"].iloc[-1]
    return {
        "data": projection.s_curve_table(r.area.horizon_runs("bed_days")),
        "counts": ["value"],
        "safe": ["probability"],
        "xlabel": f"Emergency bed days in {h}",
        "reference": r.mine.scenario_bed_days,
        "title": f"Bed days in {h}: half the simulations are below "
        f"{text.count(median, threshold=threshold)}",
        "alt": f"S-curve of the emergency bed days in {h} over {r.settings.runs:,} simulations, "
        "with the 10th, 50th and 90th percentiles marked.",
    }


def beds_curve_args(r: Results, threshold: int) -> dict:
    h, mine = r.horizon_label, r.mine
    return {
        "data": projection.s_curve_table(r.area.horizon_runs("beds")),
        "counts": ["value"],
        "safe": ["probability"],
        "xlabel": f"Beds required in {h}",
        "reference": mine.scenario_beds,
        "title": f"Beds required in {h}: 80% of simulations need "
        f"{text.count(mine.p10_beds, threshold=threshold)} to "
        f"{text.count(mine.p90_beds, threshold=threshold)}",
        "alt": f"S-curve of the beds required in {h} over {r.settings.runs:,} simulations.",
    }


# --- localities -------------------------------------------------------------------------------------


def growth_args(r: Results) -> dict:
    growth = (
        r.summary[
            ["area", "base_bed_days", "demography_bed_days_growth", "scenario_bed_days_growth"]
        ]
        .melt(id_vars=["area", "base_bed_days"], var_name="projection", value_name="growth")
        .replace(
            {
                "projection": {
                    "demography_bed_days_growth": "Population change only",
                    "scenario_bed_days_growth": "With the scenarios",
                }
            }
        )  # fmt: skip
    )
    growth["growth"] = growth["growth"] * 100
    return {
        "data": growth,
        "x": "growth",
        "y": "area",
        "hue": "projection",
        "counts": ["base_bed_days"],
        "derived": {"growth": ["base_bed_days"]},
        "xlabel": f"Change in emergency bed days, {r.base_year} to {r.horizon_label} (%)",
        "title": f"Growth in emergency bed days by {r.horizon_label}, the partnership and its "
        "localities",
        "alt": f"Bar chart of the percentage change in emergency bed days from {r.base_year} to "
        f"{r.horizon_label} for {r.partnership_name} and each locality, from population change "
        "alone and with the scenarios.",
    }


#: The drivers tables: measure and its name.
DRIVERS = (("admissions", "Emergency admissions"), ("bed_days", "Emergency bed days"))
_COUNTED = ("base", "horizon", "p10", "p90")


def drivers_args(r: Results, measure: str, name: str) -> dict:
    side = projection.drivers_table(r.areas, measure)
    return {
        "data": side,
        "title": f"{name}: {r.base_year}, what changes them and {r.horizon_label}, by area",
        "counts": list(_COUNTED),
        "safe": [c for c in side.columns if c not in _COUNTED],  # modelled changes
        "formats": {
            c: ("{:+,.0f}" if c not in ("area", *_COUNTED) else "{:,.0f}")
            for c in side.columns
            if c != "area"
        },
        "labels": {
            "area": "Area",
            "base": str(r.base_year),
            "horizon": r.horizon_label,
            "p10": "10th percentile",
            "p90": "90th percentile",
        },  # fmt: skip
    }


def beds_by_area_args(r: Results) -> dict:
    h = r.horizon_label
    return {
        "data": r.summary[
            [
                "area",
                "base_beds",
                "demography_beds",
                "scenario_beds",
                "p10_beds",
                "p90_beds",
                "new_beds",
            ]
        ],  # fmt: skip
        "title": f"Beds required at the winter peak, {r.base_year} and {h}, by area",
        "counts": ["base_beds", "demography_beds", "scenario_beds", "p10_beds", "p90_beds"],
        "derived": {"new_beds": ["scenario_beds"]},
        "formats": {"new_beds": "{:+,.0f}", "p10_beds": "{:,.0f}", "p90_beds": "{:,.0f}"},
        "labels": {
            "area": "Area",
            "base_beds": str(r.base_year),
            "demography_beds": f"{h}, population only",
            "scenario_beds": f"{h}, with scenarios",
            "p10_beds": "10th percentile",
            "p90_beds": "90th percentile",
            "new_beds": "New beds",
        },
        "note": "Localities share hospitals: the partnership's beds are not the sum of its "
        "localities'.",
    }


# --- delayed discharges of people 65+ --------------------------------------------------------------


def delay_season_args(r: Results) -> dict:
    return {
        "data": r.outlook.profile.assign(seasonal=lambda f: f["seasonal"].round(0)),
        "x": "month_name",
        "y": "seasonal",
        "horizontal": False,
        "counts": ["observed"],
        "derived": {"seasonal": ["observed"], "index": ["observed"]},
        "xlabel": "Delayed bed days above or below the trend",
        "title": f"The seasonal pattern of delayed bed days of people aged 65+ in {r.area_name}",
        "alt": "Bar chart of the average seasonal effect on delayed bed days of people aged 65+ "
        "for each month from April to March, above or below the trend.",
    }


def delay_forecast_args(r: Results, period_text: str) -> dict:
    o = r.outlook
    return {
        "data": o.chart_frame(),
        "ylabel": "Delayed bed days, people aged 65+",
        "counts": ["bed_days"],
        "safe": ["baseline", "forecast", "lower", "upper"],  # modelled
        "title": f"Delayed bed days of people aged 65+ in {r.area_name}: history and forecast to "
        f"{o.years[-1].end:%B %Y}",
        "alt": f"Line chart of monthly delayed bed days of people aged 65+ from {period_text}, "
        "with the demographic baseline and the forecast with its 80% prediction interval.",
        "note": o.fitted.description,
    }


def delay_plan_args(r: Results) -> dict:
    o = r.outlook
    whole = ("baseline", "forecast", "lower", "upper")
    return {
        "data": o.plan.drop(columns="financial_year"),
        "counts": list(whole),
        "derived": {"baseline_daily_beds": ["baseline"], "forecast_daily_beds": ["forecast"]},
        "title": f"Delayed bed days of people aged 65+ in {r.area_name}, by month: "
        + ", ".join(str(y) for y in o.years),
        "formats": dict.fromkeys(whole, "{:,.0f}")
        | {"baseline_daily_beds": "{:,.1f}", "forecast_daily_beds": "{:,.1f}"},
        "labels": {
            "month": "Month",
            "baseline": "Demographic baseline",
            "forecast": "Forecast",
            "lower": "Forecast, low (10%)",
            "upper": "Forecast, high (90%)",
            "baseline_daily_beds": "Beds a day (baseline)",
            "forecast_daily_beds": "Beds a day (forecast)",
        },
        "note": "Beds a day = bed days / days in the month. The range of a year's total is not "
        "the sum of the monthly ranges, so it is left blank.",
    }


# --- base-year rates --------------------------------------------------------------------------------


def rates_args(r: Results) -> dict:
    return {
        "data": projection.rates_table(r.area),
        "title": f"Emergency admission and bed day rates per 1,000 residents of {r.area_name}, "
        f"{r.base_year}",
        "counts": ["admissions", "bed_days", "ppa_admissions"],
        "derived": {
            "admissions_rate": ["admissions"],
            "bed_days_rate": ["bed_days"],
            "ppa_share": ["ppa_admissions", "admissions"],
        },
        "formats": {
            "population": "{:,.0f}",
            "admissions_rate": "{:,.1f}",
            "bed_days_rate": "{:,.0f}",
            "ppa_share": "{:.1%}",
        },
        "labels": {
            "age_band": "Age band",
            "admissions_rate": "Admissions per 1,000",
            "bed_days_rate": "Bed days per 1,000",
            "ppa_admissions": "Potentially preventable",
            "ppa_share": "Share preventable",
        },
    }
