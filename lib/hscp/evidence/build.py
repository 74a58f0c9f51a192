"""Computing a partnership's evidence: one section per report, with the reports' own calls.

Each section calls the same library functions, with the same arguments, as the
notebook whose figures it registers (notebooks/analysis/*), for the whole
partnership and each of its localities, and returns its register rows and the
shared tables behind them. A section that cannot be computed from the data (no
projections table, a period too short for a 12-month window) is recorded as a
problem; the other sections still are.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from hscp import measures, opendata, performance
from hscp.conventions.financial_years import FinancialYear
from hscp.evidence.figures import (
    HEALTH_BOARD,
    LOCALITY,
    PARTNERSHIP,
    SCOTLAND,
    average_beds,
    finish,
    previous_days,
    row,
)
from hscp.geography import Partnership

#: A&E attendances in 12 months that make a frequent attender (the notebook's default).
FREQUENT_THRESHOLD = 5


@dataclass
class Context:
    """What a section computes from: the partnership's slice and the report period."""

    data: object  # store.Slice
    partnership: Partnership
    start: pd.Timestamp
    end: pd.Timestamp

    @property
    def areas(self) -> list[tuple[str, str, str | None]]:
        """(area, area type, locality or None): the partnership, then each locality."""
        p = self.partnership
        return [(p.name, PARTNERSHIP, None), *((loc, LOCALITY, loc) for loc in p.localities)]

    @property
    def board(self) -> bool:
        """Whether the board is a comparator: a board of one partnership is the partnership."""
        return len(measures.board_partnerships(self.partnership)) > 1

    @property
    def provisional_from(self) -> pd.Timestamp | None:
        """The first month of the period whose hospital records are incomplete, or None."""
        from hscp import config

        first = self.data.store.provisional_from(config.load_defaults().provisional_months)
        return first if first <= self.end else None

    @property
    def complete_end(self) -> pd.Timestamp:
        """The last day before the provisional months (the period's end when none)."""
        first = self.provisional_from
        return self.end if first is None else first - pd.Timedelta(days=1)

    @property
    def whole_period(self) -> tuple:
        return (self.start, self.end, f"{self.start:%b %Y} to {self.end:%b %Y}")


@dataclass
class Section:
    rows: list[dict] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


@dataclass
class Built:
    """A partnership's evidence as computed: the register, shared tables, problems."""

    register: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    problems: dict[str, str]
    timings: dict[str, float]


def in_area(frame: pd.DataFrame, locality: str | None) -> pd.DataFrame:
    """A partnership's rows for one locality (all of them for None), as report.in_area."""
    return frame if locality is None else frame[frame["locality"] == locality]


def window(comparison: measures.PeriodComparison, end: pd.Timestamp) -> tuple:
    """The (first day, last day, label) of a compare_periods window ending at `end`."""
    return (comparison.latest_start, end, comparison.label)


def _stacked(parts: list[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    return pd.concat([t.assign(area=a) for a, t in parts], ignore_index=True)


# --- unscheduled care ------------------------------------------------------------------------


def unscheduled(ctx: Context) -> Section:
    """Emergency admissions, bed days, PPAs, A&E, repeat attenders and the national
    indicators, as notebooks/analysis/unscheduled_care computes them."""
    out = Section()
    stays = measures.flag_ppa(measures.continuous_stays(ctx.data.episodes()))
    attendances = ctx.data.ae_attendances()
    emergency, ppa_monthly, ae_monthly = [], [], []
    for area, kind, locality in ctx.areas:
        mine, att = in_area(stays, locality), in_area(attendances, locality)
        monthly = measures.emergency_monthly(mine, ctx.start, ctx.end)
        admissions = measures.compare_periods(monthly, "admissions", end=ctx.end)
        bed_days = measures.compare_periods(monthly, "bed_days", end=ctx.end)
        period = window(admissions, ctx.end)
        previous_beds = (
            None
            if bed_days.previous is None
            else average_beds(bed_days.previous, previous_days(bed_days))
        )
        out.rows += [
            row("emergency_admissions", area, kind, admissions.latest, period=period,
                count=admissions.latest, previous=admissions.previous),
            row("emergency_bed_days", area, kind, bed_days.latest, period=period,
                count=bed_days.latest, previous=bed_days.previous),
            row("emergency_beds", area, kind, average_beds(bed_days.latest, bed_days.days),
                period=period, count=bed_days.latest, previous=previous_beds),
        ]  # fmt: skip
        ppa = measures.admissions_by_month(
            mine[mine["ppa"]], ctx.start, ctx.end, name="ppa_admissions"
        )
        ppa_year = measures.compare_periods(ppa, "ppa_admissions", end=ctx.end)
        out.rows.append(
            row("ppa_admissions", area, kind, ppa_year.latest, period=period,
                count=ppa_year.latest, previous=ppa_year.previous)
        )  # fmt: skip
        ae = measures.ae_monthly_summary(att, ctx.start, ctx.end)
        out.rows += _ae_rows(ae, area, kind, ctx.end)
        per_person = measures.attendances_per_person(
            att, admissions.latest_start, ctx.end, threshold=FREQUENT_THRESHOLD
        )
        frequent = int(per_person["frequent"].sum())
        out.rows.append(
            row("frequent_ae_attenders", area, kind, frequent, period=period, count=frequent)
        )
        emergency.append((area, monthly))
        ppa_monthly.append((area, ppa))
        ae_monthly.append((area, ae))
    out.tables |= {
        "stays": stays,
        "emergency_monthly": _stacked(emergency),
        "ppa_monthly": _stacked(ppa_monthly),
        "ae_monthly": _stacked(ae_monthly),
    }
    _unscheduled_comparators(ctx, out)
    return out


def _ae_rows(ae: pd.DataFrame, area: str, kind: str, end: pd.Timestamp) -> list[dict]:
    attended = measures.compare_periods(ae, "attendances", end=end)
    within = measures.compare_periods(ae, "within_4_hours", end=end)
    period = window(attended, end)
    ci = measures.proportion_ci([within.latest], [attended.latest], per=100).iloc[0]
    before = (
        None
        if attended.previous is None or not attended.previous
        else within.previous / attended.previous * 100
    )
    return [
        row("ae_attendances", area, kind, attended.latest, period=period,
            count=attended.latest, previous=attended.previous),
        row("ae_4_hour_percent", area, kind, ci["rate"], period=period, count=attended.latest,
            lower=ci["lower"], upper=ci["upper"], previous=before),
    ]  # fmt: skip


#: The unscheduled_rates measures and the keys they give: (rate column prefix, key).
_RATE_KEYS = {
    "Emergency admissions": (
        ("", "emergency_admission_rate"),
        ("easr", "emergency_admission_easr"),
    ),
    "Emergency bed days": (("", "emergency_bed_day_rate"),),
    "Potentially preventable admissions": (("easr", "ppa_easr"),),
    "A&E attendances": (("easr", "ae_attendance_easr"),),
}
_INDICATOR_KEYS = {
    "Acute admissions": "ni12_emergency_admission_rate",
    "Acute bed days": "ni13_emergency_bed_day_rate",
    "NI14": "ni14_readmission_rate",
    "NI16": "ni16_falls_rate",
}


def _latest_window(end: pd.Timestamp) -> tuple:
    last = pd.Timestamp(end).to_period("M").start_time
    first = last - pd.DateOffset(months=11)
    return (first, end, f"{first:%b %Y} to {last:%b %Y}")


def _unscheduled_comparators(ctx: Context, out: Section) -> None:
    """Rates of every locality, the partnership, its board and Scotland, from the store's
    comparators (unscheduled_rates, national_indicator_rates), as the notebook's tables."""
    p, period = ctx.partnership, _latest_window(ctx.end)
    population = ctx.data.population()
    rates = measures.unscheduled_rates(
        ctx.data.comparator("emergency_admissions"),
        ctx.data.comparator("ae_monthly"),
        population,
        ctx.end,
        p,
        board=ctx.board,
    )
    for r in rates.itertuples(index=False):
        for prefix, key in _RATE_KEYS[r.measure]:
            name = prefix or "rate"
            out.rows.append(
                row(key, r.area, r.area_type, getattr(r, name), period=period, count=r.count,
                    lower=getattr(r, f"{prefix}_lower" if prefix else "lower"),
                    upper=getattr(r, f"{prefix}_upper" if prefix else "upper"))
            )  # fmt: skip
    counts = rates.pivot_table(
        index=["area", "area_type"], columns="measure", values="count", aggfunc="sum", sort=False
    ).reset_index()
    shares = measures.proportion_ci(
        counts["Potentially preventable admissions"], counts["Emergency admissions"]
    )
    for (area, kind, ppa), share in zip(
        counts[["area", "area_type", "Potentially preventable admissions"]].itertuples(index=False),
        shares.itertuples(index=False),
        strict=True,
    ):
        out.rows.append(
            row("ppa_share", area, kind, share.rate, period=period, count=ppa,
                lower=share.lower, upper=share.upper)
        )  # fmt: skip
    indicators = measures.national_indicator_rates(
        ctx.data.comparator("national_indicators"), population, ctx.end, p, board=ctx.board
    )
    for r in indicators.itertuples(index=False):
        out.rows.append(
            row(_INDICATOR_KEYS[r.indicator], r.area, r.area_type, r.rate, period=period,
                count=r.numerator, lower=r.lower, upper=r.upper)
        )  # fmt: skip
    wider = (HEALTH_BOARD, SCOTLAND)
    ae = measures.window_totals(
        ctx.data.comparator("ae_monthly"), ["attendances", "within_4_hours"], ctx.end, p,
        board=ctx.board,
    )  # fmt: skip
    ae = ae[ae["area_type"].isin(wider)].reset_index(drop=True)
    ci = measures.proportion_ci(ae["within_4_hours"], ae["attendances"], per=100)
    for r, c in zip(ae.itertuples(index=False), ci.itertuples(index=False), strict=True):
        out.rows += [
            row("ae_attendances", r.area, r.area_type, r.attendances, period=period,
                count=r.attendances),
            row("ae_4_hour_percent", r.area, r.area_type, c.rate, period=period,
                count=r.attendances, lower=c.lower, upper=c.upper),
        ]  # fmt: skip
    frequent = measures.frequent_attenders_by_area(
        ctx.data.comparator("ae_attender_bands"), ctx.end, p, threshold=FREQUENT_THRESHOLD,
        board=ctx.board,
    )  # fmt: skip
    for r in frequent[frequent["area_type"].isin(wider)].itertuples(index=False):
        out.rows.append(
            row("frequent_ae_attenders", r.area, r.area_type, r.frequent_people, period=period,
                count=r.frequent_people)
        )  # fmt: skip
    out.tables |= {"rates": rates, "indicators": indicators}


# --- delayed discharges ---------------------------------------------------------------------


def delays(ctx: Context) -> Section:
    """Delayed bed days (18+, 65+, 75+), average daily delayed beds, the census and the
    rates by area, as notebooks/analysis/delayed_discharges computes them."""
    out = Section()
    records = ctx.data.delays()
    monthly_parts, census_parts = [], []
    for area, kind, locality in ctx.areas:
        mine = in_area(records, locality)
        monthly = measures.delayed_bed_days(
            mine, ctx.start, ctx.end, by=["reason_group", "age_group"]
        )
        year = measures.compare_periods(monthly, "bed_days", end=ctx.end)
        period = window(year, ctx.end)
        out.rows += [
            row("delayed_bed_days", area, kind, year.latest, period=period, count=year.latest,
                previous=year.previous),
            row("delayed_beds", area, kind, average_beds(year.latest, year.days), period=period,
                count=year.latest, previous=_previous_beds(year)),
        ]  # fmt: skip
        older = measures.delayed_bed_days_by_min_age(mine, ctx.start, ctx.end)
        for age, suffix in (("65+", "65plus"), ("75+", "75plus")):
            ages = measures.compare_periods(older[older["age"] == age], "bed_days", end=ctx.end)
            out.rows += [
                row(f"delayed_bed_days_{suffix}", area, kind, ages.latest, period=period,
                    count=ages.latest, previous=ages.previous),
                row(f"delayed_beds_{suffix}", area, kind, average_beds(ages.latest, ages.days),
                    period=period, count=ages.latest, previous=_previous_beds(ages)),
            ]  # fmt: skip
        census = measures.census_counts(mine, ctx.start, ctx.end)
        out.rows += _census_rows(census, area, kind)
        monthly_parts.append((area, monthly))
        census_parts.append((area, census))
    # Comparators that are the areas they are named after (open data when the extract
    # is not all of Scotland): the delayed discharges report's table
    comparator = ctx.data.comparator("delayed_bed_days")
    rates = measures.delay_rates_by_area(
        comparator, ctx.data.population(), ctx.end, partnership=ctx.partnership.code
    )
    rates, _ = opendata.delay_rate_comparators(
        rates,
        measures.partnerships_present(comparator),
        ctx.partnership.code,
        ctx.end,
        opendata.open_data_folder(),
    )
    period = _latest_window(ctx.end)
    for r in rates.itertuples(index=False):
        for age, key in (("18plus", "delay_rate_18plus"), ("65plus", "delay_rate_65plus"),
                         ("75plus", "ni19_delay_rate")):  # fmt: skip
            out.rows.append(
                row(key, r.area, r.level, getattr(r, f"rate_{age}"), period=period,
                    count=getattr(r, f"bed_days_{age}"))
            )  # fmt: skip
    out.tables |= {
        "delays_monthly": _stacked(monthly_parts),
        "census_monthly": _stacked(census_parts),
        "delay_rates": rates,
    }
    return out


def _previous_beds(comparison: measures.PeriodComparison) -> float | None:
    if comparison.previous is None:
        return None
    return average_beds(comparison.previous, previous_days(comparison))


def _census_rows(census: pd.DataFrame, area: str, kind: str) -> list[dict]:
    """The latest census, against the census 12 months before it (when there is one)."""
    if census.empty:
        return []
    latest = census.iloc[-1]
    month = pd.Timestamp(latest["month"])
    before = census[census["month"] == month - pd.DateOffset(months=12)]
    period = (month, month + pd.offsets.MonthEnd(0), f"census of {month:%b %Y}")
    rows = []
    for key, column in (
        ("census_delays", "delays"),
        ("census_delays_over_3_days", "delays_over_3_days"),
    ):
        previous = before[column].iloc[0] if len(before) else None
        rows.append(
            row(key, area, kind, latest[column], period=period, count=latest[column],
                previous=previous)
        )  # fmt: skip
    return rows


# --- performance ----------------------------------------------------------------------------


def performance_measures(ctx: Context) -> Section:
    """The performance report's monthly measures and control chart summaries, and the
    figures read from them (bed days over the period, the chart's mean, length of stay)."""
    out = Section()
    data, p = ctx.data, ctx.partnership
    monthly = performance.monthly_measures(
        data.episodes(), data.ae_attendances(), data.delays(), data.population(), p,
        ctx.start, ctx.end, data_end=data.store.period[1], provisional_from=ctx.provisional_from,
    )  # fmt: skip
    tests = performance.tests_of_change(p)
    summary = performance.summaries(performance.control_charts(monthly, tests, baseline=None))
    days = (ctx.end - ctx.start).days + 1
    for area, kind, _ in ctx.areas:
        mine = monthly[monthly["area"] == area]
        bed_days = mine[mine["measure"] == "unscheduled_bed_days"]
        total = float(bed_days["numerator"].sum())
        out.rows += [
            row("emergency_bed_days_period", area, kind, total, period=ctx.whole_period,
                count=total),
            row("emergency_beds_period", area, kind, average_beds(total, days),
                period=ctx.whole_period, count=total),
        ]  # fmt: skip
        chart = summary[(summary["area"] == area) & (summary["measure"] == "unscheduled_bed_days")]
        if len(chart):
            s = chart.iloc[0]
            phase = bed_days[bed_days["month"] >= s["phase_start"]]
            out.rows.append(
                row("emergency_bed_days_monthly_mean", area, kind, s["mean"],
                    period=(s["phase_start"], ctx.end,
                            f"{s['phase_start']:%b %Y} to {s['latest_month']:%b %Y}"),
                    count=phase["numerator"].sum())
            )  # fmt: skip
        out.rows += _length_of_stay(mine, area, kind, ctx.end)
        older = mine[mine["measure"] == "emergency_admissions_75plus"]
        year = measures.compare_periods(older, "numerator", end=ctx.end)
        out.rows.append(
            row("emergency_admissions_75plus", area, kind, year.latest,
                period=window(year, ctx.end), count=year.latest, previous=year.previous)
        )  # fmt: skip
    out.tables |= {"performance_monthly": monthly, "performance_summary": summary}
    return out


def _length_of_stay(monthly: pd.DataFrame, area: str, kind: str, end) -> list[dict]:
    """Bed days of the stays discharged in the 12 months / those stays (and the 12 before)."""
    stays = monthly[monthly["measure"] == "emergency_length_of_stay"]
    days = measures.compare_periods(stays, "numerator", end=end)
    discharges = measures.compare_periods(stays, "denominator", end=end)

    def los(total, n):
        return None if total is None or not n else total / n

    return [
        row("emergency_length_of_stay", area, kind, los(days.latest, discharges.latest),
            period=window(days, end), count=discharges.latest,
            previous=los(days.previous, discharges.previous))
    ]  # fmt: skip


# --- projections ----------------------------------------------------------------------------


def projections(ctx: Context) -> Section:
    """The projections report's base year and horizon figures for the partnership and each
    locality, as notebooks/analysis/projections computes them (default parameters)."""
    from hscp import projection

    out = Section()
    data, p = ctx.data, ctx.partnership
    settings = projection.load_params(None)
    tidy = projection.tidy_projections(data.projections(), "population_projections")
    base_year = projection.latest_complete_financial_year(ctx.start, ctx.complete_end)
    stays = projection.emergency_stays(data.episodes())
    population = data.population()
    common = dict(params=settings, base_year=base_year, period=(ctx.start, ctx.end), code=p.code)
    whole = projection.project_area(
        stays, population, tidy, area=p.name, current_beds=projection.current_beds(p), **common
    )
    areas = [whole] + [
        projection.project_area(stays, population, tidy, locality=name, **common)
        for name in p.localities
    ]
    summary = projection.summary_table(areas)
    yearly = pd.concat(
        [projection.yearly_table(a).assign(area=a.area) for a in areas], ignore_index=True
    )
    base = (base_year.start, base_year.end, base_year.label)
    horizon_year = FinancialYear(settings.horizon)
    horizon = (horizon_year.start, horizon_year.end, horizon_year.label)
    for (area, kind, _), s in zip(ctx.areas, summary.itertuples(index=False), strict=True):
        beds = yearly.loc[yearly["area"] == area, "average_occupied_beds"].to_numpy()
        out.rows += [
            row("projection_base_admissions", area, kind, s.base_admissions, period=base,
                count=s.base_admissions),
            row("projection_base_bed_days", area, kind, s.base_bed_days, period=base,
                count=s.base_bed_days),
            row("projection_base_beds", area, kind, beds[0], period=base, count=s.base_bed_days),
            row("projection_base_beds_required", area, kind, s.base_beds, period=base,
                count=s.base_bed_days),
            row("projected_beds", area, kind, beds[-1], period=horizon, count=s.base_bed_days,
                previous=beds[0]),
            row("projected_beds_required", area, kind, s.scenario_beds, period=horizon,
                count=s.base_bed_days, previous=s.base_beds, lower=s.p10_beds, upper=s.p90_beds),
            row("projected_extra_beds", area, kind, s.new_beds, period=horizon,
                count=s.base_bed_days, change=np.nan),
            row("projected_extra_beds_demography", area, kind, s.demography_new_beds,
                period=horizon, count=s.base_bed_days, change=np.nan),
        ]  # fmt: skip
        for measure in ("admissions", "bed_days"):
            base_value = getattr(s, f"base_{measure}")
            out.rows += [
                row(f"projected_{measure}", area, kind, getattr(s, f"scenario_{measure}"),
                    period=horizon, count=base_value, previous=base_value,
                    change=getattr(s, f"scenario_{measure}_growth"),
                    lower=getattr(s, f"p10_{measure}"), upper=getattr(s, f"p90_{measure}")),
                row(f"projected_{measure}_demography", area, kind,
                    getattr(s, f"demography_{measure}"), period=horizon, count=base_value,
                    previous=base_value, change=getattr(s, f"demography_{measure}_growth")),
            ]  # fmt: skip
    out.tables |= {"projection_summary": summary, "projection_yearly": yearly}
    return out


# --- system dynamics ------------------------------------------------------------------------


def system_dynamics(ctx: Context) -> Section:
    """The system dynamics calibration's observed year (people 65+) for the partnership
    and each locality, as notebooks/analysis/system_dynamics calibrates it, and the
    model's run with the population of the projection year and today's services."""
    from hscp import flow

    out = Section()
    settings = flow.load_settings(None)
    observed_rows = []
    for area, kind, locality in ctx.areas:
        model = flow.area_calibration(ctx.data, ctx.partnership, locality, ctx.end, settings)
        obs = model.observed
        period = (obs.start, obs.end, f"{obs.start:%b %Y} to {obs.end:%b %Y}")
        delayed = sum(obs.delayed_beds.values())
        out.rows += [
            row("sd_emergency_beds_65plus", area, kind, obs.occupied_beds, period=period,
                count=obs.occupied_beds * obs.days),
            row("sd_delayed_beds_65plus", area, kind, delayed, period=period,
                count=delayed * obs.days),
            row("sd_emergency_admissions_65plus", area, kind, obs.admissions * obs.days,
                period=period, count=obs.admissions * obs.days),
        ]  # fmt: skip
        future = _future_beds(model, settings)
        if future is not None:
            base, later, year = future
            out.rows += [
                row("sd_emergency_beds_65plus_future", area, kind, later,
                    period=(pd.Timestamp(year, 7, 1), pd.Timestamp(year, 7, 1), str(year)),
                    count=obs.occupied_beds * obs.days, previous=base),
                row("sd_extra_beds_65plus_future", area, kind, later - base,
                    period=(pd.Timestamp(year, 7, 1), pd.Timestamp(year, 7, 1), str(year)),
                    count=obs.occupied_beds * obs.days, change=np.nan),
            ]  # fmt: skip
        observed_rows.append(
            {
                "area": area,
                "modelled_as": obs.area,
                "start": obs.start,
                "end": obs.end,
                "days": obs.days,
                "occupied_beds": obs.occupied_beds,
                "delayed_beds": delayed,
                "admissions": obs.admissions * obs.days,
                "future_occupied_beds": None if future is None else future[1],
                "notes": " ".join(model.notes),
            }
        )
    out.tables["sd_observed"] = pd.DataFrame(observed_rows)
    return out


#: The settings' scenario of a future population with today's services.
FUTURE_SCENARIO = "population_2035"


def _future_beds(model, settings) -> tuple[float, float, int] | None:
    """The modelled occupied beds of today's system and of the future population with
    today's services (the settings' FUTURE_SCENARIO, run with the baseline as the notebook
    runs them): (baseline, future, population year); None when the scenario cannot run
    (no projections) or is not in the settings."""
    from hscp.flow import scenarios as sc

    future = [s for s in sc.defined_scenarios(settings, model) if s.name == FUTURE_SCENARIO]
    if not future:
        return None
    runs = [sc.BASELINE, future[0]]
    summary = sc.summarise(model, sc.run_scenarios(model, runs), runs).set_index("scenario")
    beds = summary["occupied_beds"]
    return (
        float(beds[sc.BASELINE.name]),
        float(beds[FUTURE_SCENARIO]),
        int(future[0].levers["population_year"]),
    )


# --- inequalities ------------------------------------------------------------------------------

#: The measures counted by SIMD quintile: key -> (what a table calls it, the population).
INEQUALITY_MEASURES = {
    "emergency_admissions": ("Emergency admissions", "all ages"),
    "ppa_admissions": ("Potentially preventable admissions", "all ages"),
    "delayed_bed_days": ("Delayed discharge bed days", "18+"),
}
#: The two ways of ranking datazones: the table's basis label -> the lookup's column.
INEQUALITY_BASES = {
    "Scotland's quintiles": measures.SCOTLAND_QUINTILE,
    "Quintiles within the council area": measures.LOCAL_QUINTILE,
}


def inequalities(ctx: Context) -> Section:
    """Rates by SIMD quintile for the partnership's residents over the 12 months to the
    period end: emergency and potentially preventable admissions (per 1,000 of all ages)
    and delayed bed days (per 1,000 aged 18+, each delay placed in the datazone of the
    stay it happened in), ranked on Scotland's quintiles and within the council area;
    with the gaps between the most and least deprived (measures.inequality_gaps)."""
    out = Section()
    lookup, population = ctx.data.simd_lookup(), ctx.data.datazone_population()
    first = (ctx.end - pd.DateOffset(months=12)) + pd.Timedelta(days=1)
    years = sorted(y for y in population["year"].unique() if y <= ctx.end.year)
    if not years:
        raise ValueError(f"no datazone population for {ctx.end.year} or before")
    year = int(years[-1])
    stays = measures.flag_ppa(measures.continuous_stays(ctx.data.episodes()))
    admitted = pd.to_datetime(stays["admission_date"])
    emergency = stays[
        measures.is_emergency(stays["admission_type"]).to_numpy(bool)
        & (admitted >= first) & (admitted <= ctx.end)
    ]  # fmt: skip
    events = {
        "emergency_admissions": (emergency, None),
        "ppa_admissions": (emergency[emergency["ppa"]], None),
        "delayed_bed_days": (_delays_by_datazone(ctx, stays, first), "bed_days"),
    }
    rates, gaps = [], []
    for key, (label, ages) in INEQUALITY_MEASURES.items():
        frame, count = events[key]
        for basis, column in INEQUALITY_BASES.items():
            table = measures.partnership_rates_by_quintile(
                frame, lookup, population, partnership=ctx.partnership.code, year=year,
                column=column, ages=ages, count=count,
            )  # fmt: skip
            rates.append(table.assign(measure=label, key=key, basis=basis, ages=ages, year=year))
            gaps.append({"measure": label, "key": key, "basis": basis, "ages": ages,
                         "count": table["count"].sum(), "population_year": year,
                         "unmatched": table.attrs.get("unmatched", 0),
                         **measures.inequality_gaps(table)})  # fmt: skip
    out.tables["inequalities"] = pd.concat(rates, ignore_index=True)
    out.tables["inequality_gaps"] = pd.DataFrame(gaps)
    return out


def _delays_by_datazone(ctx: Context, stays: pd.DataFrame, first: pd.Timestamp) -> pd.DataFrame:
    """Each delay's bed days in the 12 months, with the datazone of the stay it happened in
    (the person's latest stay admitted on or before the ready-for-discharge date)."""
    delays = measures.delays_in_period(ctx.data.delays(), first, ctx.end)
    if delays.empty:
        return delays.assign(datazone2011=pd.Series(dtype=str))
    ready = delays.assign(_day=pd.to_datetime(delays["ready_for_discharge_date"]))
    home = stays[["link_no", "admission_date", "datazone2011"]].assign(
        _day=pd.to_datetime(stays["admission_date"])
    )
    placed = pd.merge_asof(
        ready.sort_values("_day"), home.sort_values("_day")[["link_no", "_day", "datazone2011"]],
        on="_day", by="link_no", direction="backward",
    )  # fmt: skip
    return placed


def options(ctx: Context) -> Section:
    """The options appraisal for the phase packs (hscp.evidence.options)."""
    from hscp.evidence.options import options as appraise_options

    return appraise_options(ctx)


#: Every section, in the order of the reports.
SECTIONS: dict[str, Callable[[Context], Section]] = {
    "unscheduled_care": unscheduled,
    "delayed_discharges": delays,
    "performance": performance_measures,
    "projections": projections,
    "system_dynamics": system_dynamics,
    "options": options,
    "inequalities": inequalities,
}


def build(ctx: Context, sections=None) -> Built:
    """Every section's rows and tables, with the problems of those that could not be built."""
    rows, tables, problems, timings = [], {}, {}, {}
    for name, section in SECTIONS.items():
        if sections is not None and name not in sections:
            continue
        started = time.perf_counter()
        try:
            result = section(ctx)
        except Exception as err:  # noqa: BLE001 - one report's failure must not stop the others
            # (the data may lack a table, a partnership, a whole year); the message says which
            problems[name] = f"{type(err).__name__}: {err}"
        else:
            rows += result.rows
            tables |= result.tables
        timings[name] = round(time.perf_counter() - started, 3)
    p = ctx.partnership
    board = p.health_board_name if ctx.board else None
    return Built(finish(rows, p.name, board), tables, problems, timings)
