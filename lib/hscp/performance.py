"""Performance reporting: the baseline measures by locality, their control charts
rebased at each test of change, and the Making Data Count summary.

The measures come from hscp.measures (one definition each); the charts and rules
from hscp.spc. A partnership's tests of change are in its params file
(`tests_of_change:`, read by `tests_of_change`). notebooks/analysis/performance.ipynb
calls these, and hscp.workbooks.performance says what they show; docs/methods.md ("Statistical process control") has the rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hscp import measures, spc
from hscp.geography import Partnership
from hscp.params import ParamsError, TestOfChange

PARTNERSHIP_AREA = "partnership"
LOCALITY_AREA = "locality"


@dataclass(frozen=True)
class Measure:
    """One baseline measure: how it is labelled, which way is better, how it is made."""

    name: str
    label: str
    unit: str  # the y axis label
    improvement: str  # increase, decrease or neutral (hscp.spc)
    definition: str
    percent: bool = False
    target: float | None = None
    denominator_is_count: bool = False  # the denominator counts events (disclosure)
    #: A monthly total whose size depends on the month's length (bed days, admissions,
    #: attendances): charted per day, so a 28-day February is not low for being short.
    per_day: bool = False
    #: Made from hospital records submitted on discharge (SMR01): the latest months are
    #: provisional until the stays still going on have ended.
    hospital_records: bool = False

    @property
    def charted(self) -> str:
        """How the chart shows the measure, for its caption."""
        if self.per_day:
            return (
                f"Charted per day ({self.per_day_rule}), so a short month is not low for being "
                "short and months of any length share the same limits."
            )
        if self.percent:
            return (
                "Charted as a percentage of the month's attendances (month length does not matter)."
            )
        return "Charted as a monthly ratio, which the month's length does not change."

    @property
    def per_day_rule(self) -> str:
        return PER_DAY_RULES.get(self.name, "the month's count / the days in the month")


#: How each per-day measure is made from its monthly count (for captions and docs).
PER_DAY_RULES = {
    "unscheduled_bed_days": "average beds occupied: bed days / days in the month",
    "delayed_bed_days": "average daily delayed beds, as PHS publishes: bed days / days in the month",
    "emergency_admission_rate": "admissions / days in the month / residents x 100,000",
}
#: Per-day rates of the emergency admission rate are per this many residents.
RATE_PER = 100_000


#: The baseline set, in report order. Lower is better for every activity measure:
#: the partnership's aim (Ministerial Strategic Group indicators) is less emergency
#: and delayed hospital use; higher is better for the 4-hour standard (target 95%).
MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure(
            "emergency_admissions",
            "Emergency admissions",
            "Emergency admissions a day",
            "decrease",
            "Continuous inpatient stays whose first episode is an emergency admission "
            "(admission type 20-22 or 30-39), by month of admission, per day of the month",
            per_day=True,
            hospital_records=True,
        ),
        Measure(
            "emergency_admission_rate",
            "Emergency admission rate",
            "Per 100,000 residents a day",
            "decrease",
            "Emergency admissions a day per 100,000 residents (all ages; the mid-year "
            "estimate of the month's financial year)",
            per_day=True,
            hospital_records=True,
        ),
        Measure(
            "emergency_admissions_75plus",
            "Emergency admissions, aged 75+",
            "Emergency admissions a day",
            "decrease",
            "Emergency admissions of people aged 75 and over on admission, per day of the month",
            per_day=True,
            hospital_records=True,
        ),
        Measure(
            "unscheduled_bed_days",
            "Unscheduled bed days",
            "Average beds occupied a day",
            "decrease",
            "Bed days of emergency stays, split across months by midnights, per day of the "
            "month (average beds occupied)",
            per_day=True,
            hospital_records=True,
        ),
        Measure(
            "emergency_length_of_stay",
            "Emergency length of stay",
            "Average days per stay",
            "decrease",
            "Average length of stay (days) of emergency stays, by month of discharge "
            "(bed days of the stays discharged in the month / those stays)",
            denominator_is_count=True,
            hospital_records=True,
        ),
        Measure(
            "ae_attendances",
            "A&E attendances",
            "Attendances a day",
            "decrease",
            "New and unplanned return A&E attendances, by month of arrival, per day of the month",
            per_day=True,
        ),
        Measure(
            "ae_4_hour_percent",
            "A&E seen within 4 hours",
            "% within 4 hours",
            "increase",
            "Attendances that left A&E within 4 hours of arrival, as a % of attendances",
            percent=True,
            target=95.0,
            denominator_is_count=True,
        ),
        Measure(
            "delayed_bed_days",
            "Delayed discharge bed days",
            "Average delayed beds a day",
            "decrease",
            "Bed days of people aged 18+ delayed in hospital once ready for discharge "
            "(PHS rules; code 100 excluded), per day of the month: the average daily number "
            "of delayed beds PHS publishes",
            per_day=True,
        ),
        Measure(
            "readmission_rate",
            "Emergency readmissions within 28 days",
            "Per 1,000 discharges",
            "decrease",
            "Discharges (18+) followed by an emergency readmission within 28 days, per "
            "1,000 discharges (NI14), by month of discharge",
            denominator_is_count=True,
            hospital_records=True,
        ),
    )
}


# --- tests of change (params) ---------------------------------------------------------


class TestsOfChangeError(ParamsError):
    """A test of change naming a measure the performance report does not have: names the
    file, the entry and the measure."""

    __test__ = False


def tests_of_change(partnership: Partnership) -> list[TestOfChange]:
    """The partnership's tests of change (params key `tests_of_change`), in date order.

    Each entry: `date` (the month the change began, e.g. 2024-04), `locality` (one
    of the partnership's localities; leave it out for the whole partnership),
    `description`, `measures` (names from MEASURES), optional `detail`. The params
    layer checks the entries when the file is read (hscp.params.PartnershipFile);
    here each measure is checked against MEASURES.
    """
    for test in partnership.tests_of_change:
        unknown = [n for n in test.measures if n not in MEASURES]
        if unknown:
            raise TestsOfChangeError(
                f"{partnership.source}: tests_of_change entry {test.entry}: unknown measure(s) "
                f"{', '.join(map(repr, unknown))}; valid measures: {', '.join(MEASURES)}"
            )
    return sorted(partnership.tests_of_change, key=lambda t: t.start)


# --- the monthly measures --------------------------------------------------------------


def _by_area(frame: pd.DataFrame, whole: pd.DataFrame, partnership: Partnership) -> pd.DataFrame:
    """Stack a by-locality table (zero-filled to every locality) under the whole area."""
    months = whole["month"]
    grid = pd.MultiIndex.from_product(
        [months, list(partnership.localities)], names=["month", "locality"]
    )
    local = frame[frame["locality"].isin(partnership.localities)].set_index(["month", "locality"])
    local = local.reindex(grid).fillna(0).reset_index().rename(columns={"locality": "area"})
    local.insert(0, "area_type", LOCALITY_AREA)
    whole = whole.assign(area=partnership.name, area_type=PARTNERSHIP_AREA)
    return pd.concat([whole, local], ignore_index=True)


def _long(frame: pd.DataFrame, measure: str, numerator: str, denominator: str | None, value):
    out = frame[["area_type", "area", "month"]].copy()
    out["measure"] = measure
    out["numerator"] = frame[numerator].astype(float)
    out["denominator"] = frame[denominator].astype(float) if denominator else np.nan
    days = pd.DatetimeIndex(frame["month"]).days_in_month.to_numpy()
    out["days"] = days
    if callable(value):
        out["value"] = value(frame)
    elif MEASURES[measure].per_day:
        out["value"] = frame[numerator].astype(float).to_numpy() / days
    else:
        out["value"] = frame[numerator].astype(float)
    return out


#: The population year of a month's rate (measures.month_population_year).
month_population_year = measures.month_population_year


def _population_by_month(
    population: pd.DataFrame, partnership: Partnership, months: pd.Series
) -> pd.DataFrame:
    """Residents (all ages) of each area for each month: the population of the month's
    population year (month_population_year)."""
    mine = population[population["hscp2019"] == partnership.code]
    if mine.empty:
        raise ValueError(f"the population table has no rows for {partnership.name}")
    years = mine["year"].astype(int).unique()
    rows = pd.DataFrame({"month": months.unique()})
    rows["year"] = [month_population_year(m, years) for m in rows["month"]]
    local = measures.population_total(mine, sorted(rows["year"].unique()), by="locality")
    whole = local.groupby("year", as_index=False)["population"].sum()
    whole["locality"] = partnership.name
    table = pd.concat([whole, local], ignore_index=True).rename(columns={"locality": "area"})
    return rows.merge(table, on="year")[["month", "area", "population"]]


def _stay_lengths_by_month(stays: pd.DataFrame, start, end, by=()) -> pd.DataFrame:
    """Stays discharged in each month and their total length of stay: columns month,
    *by, discharges, stay_days (zero-filled over the months)."""
    by = [by] if isinstance(by, str) else list(by)
    done = stays[stays["discharge_date"].notna()]
    month = done["discharge_date"].dt.to_period("M").dt.to_timestamp()
    months = pd.date_range(pd.Timestamp(start).to_period("M").to_timestamp(), end, freq="MS")
    kept = done[month.isin(months)].assign(month=month[month.isin(months)])
    totals = kept.groupby(["month", *by], observed=True).agg(
        discharges=("length_of_stay", "size"), stay_days=("length_of_stay", "sum")
    )
    if by:
        return totals.reset_index()
    return totals.reindex(pd.Index(months, name="month"), fill_value=0).reset_index()


def monthly_measures(
    episodes: pd.DataFrame,
    ae: pd.DataFrame,
    delays: pd.DataFrame,
    population: pd.DataFrame,
    partnership: Partnership,
    start,
    end,
    *,
    data_end=None,
    provisional_from=None,
) -> pd.DataFrame:
    """The baseline measures (MEASURES) by month for the partnership and each locality.

    Columns: area_type (partnership or locality), area, measure, month, numerator,
    denominator, days (in the month), value, provisional (a month from
    `provisional_from` of a measure made from hospital records: still incomplete). A measure whose monthly total depends on
    the month's length (Measure.per_day: admissions, bed days, attendances) has the
    value per day (numerator / days; the rate per 100,000 residents a day), so a
    February and a March of the same daily rate have the same value; the numerator
    stays the month's count. Every locality has every month (zero-filled). Readmissions
    are left out for the months whose 28-day follow-up runs past `data_end` (the
    last day of the extract), where they would be undercounts.
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    stays = measures.continuous_stays(episodes)
    emergency = stays[stays["emergency"]]
    older = emergency[pd.to_numeric(emergency["age"]) >= 75]
    parts = []

    def area_table(fn, frame, *args, **kw):
        return _by_area(fn(frame, *args, by="locality", **kw), fn(frame, *args, **kw), partnership)

    admissions = area_table(measures.admissions_by_month, emergency, start, end)
    parts.append(_long(admissions, "emergency_admissions", "admissions", None, None))
    pop = _population_by_month(population, partnership, admissions["month"])
    rated = admissions.merge(pop, on=["month", "area"], how="left")
    parts.append(
        _long(
            rated,
            "emergency_admission_rate",
            "admissions",
            "population",
            lambda f: (
                measures.crude_rate(f["admissions"], f["population"], per=RATE_PER)
                / pd.DatetimeIndex(f["month"]).days_in_month.to_numpy()
            ),
        )
    )
    older_admissions = area_table(measures.admissions_by_month, older, start, end)
    parts.append(_long(older_admissions, "emergency_admissions_75plus", "admissions", None, None))
    bed_days = area_table(measures.bed_days_by_month, emergency, start, end)
    parts.append(_long(bed_days, "unscheduled_bed_days", "bed_days", None, None))
    lengths = area_table(_stay_lengths_by_month, emergency, start, end)
    parts.append(
        _long(
            lengths,
            "emergency_length_of_stay",
            "stay_days",
            "discharges",
            lambda f: f["stay_days"] / f["discharges"].where(f["discharges"] > 0),
        )
    )
    attendances = area_table(measures.ae_attendances_monthly, ae, start, end)
    parts.append(_long(attendances, "ae_attendances", "attendances", None, None))
    parts.append(
        _long(
            attendances,
            "ae_4_hour_percent",
            "within_4_hours",
            "attendances",
            lambda f: measures.percent_within(f["within_4_hours"], f["attendances"]),
        )
    )
    delayed = area_table(measures.delayed_bed_days, delays, start, end)
    parts.append(_long(delayed, "delayed_bed_days", "bed_days", None, None))
    readmitted = area_table(measures.readmission_rate, stays, start, end)
    if data_end is not None:
        followed_up = readmitted["month"] + pd.offsets.MonthEnd(0) + pd.Timedelta(
            days=measures.READMISSION_DAYS
        ) <= pd.Timestamp(data_end)
        readmitted = readmitted[followed_up]
    parts.append(
        _long(
            readmitted,
            "readmission_rate",
            "readmissions",
            "discharges",
            lambda f: measures.crude_rate(f["readmissions"], f["discharges"], per=1000),
        )
    )
    out = pd.concat(parts, ignore_index=True)
    out["value"] = out["value"].astype(float)
    # report order: measures as MEASURES, the partnership before its localities
    rank = {name: i for i, name in enumerate(MEASURES)}
    areas = {name: i for i, name in enumerate([partnership.name, *partnership.localities])}
    out["_m"], out["_a"] = out["measure"].map(rank), out["area"].map(areas)
    out = out.sort_values(["_m", "_a", "month"], ignore_index=True)
    hospital = out["measure"].map({n: m.hospital_records for n, m in MEASURES.items()})
    out["provisional"] = hospital.astype(bool) & (
        out["month"] >= pd.Timestamp(provisional_from) if provisional_from is not None else False
    )
    return out[
        ["area_type", "area", "measure", "month", "numerator", "denominator", "days", "value",
         "provisional"]
    ]  # fmt: skip


# --- control charts, summary and impact --------------------------------------------------


def _applies(test: TestOfChange, area: str, area_type: str, measure: str) -> bool:
    if measure not in test.measures:
        return False
    if test.locality is None:
        return True
    return area_type == LOCALITY_AREA and area == test.locality


def rebase_dates(
    tests: Sequence[TestOfChange], area: str, area_type: str, measure: str, months: pd.Series
) -> list[pd.Timestamp]:
    """The tests of change that start a new phase on one area's chart of one measure:
    those for that locality (or for the whole partnership) that should move the
    measure and began after the first month and within the months charted."""
    first, last = months.min(), months.max()
    return sorted(
        {
            t.start
            for t in tests
            if _applies(t, area, area_type, measure) and first < t.start <= last
        }
    )


def control_charts(
    monthly: pd.DataFrame,
    tests: Sequence[TestOfChange] = (),
    *,
    baseline: int | None = None,
) -> pd.DataFrame:
    """An XmR chart (hscp.spc.xmr) for every area and measure of `monthly_measures`,
    rebased at its tests of change: the monthly table with the chart's columns
    (phase, mean, lpl, upl, lower_2sigma, upper_2sigma, rule, point_type, target,
    short_phase) added. Provisional months (the `provisional` column of
    monthly_measures) are not part of the chart's limits or rules: they carry the last
    phase's mean and limits and point_type "provisional"."""
    charts = []
    for (area_type, area, name), series in monthly.groupby(
        ["area_type", "area", "measure"], sort=False
    ):
        measure = MEASURES[name]
        series = series.sort_values("month").reset_index(drop=True)
        late = provisional_rows(series)
        judged = series[~late]
        values = pd.Series(judged["value"].to_numpy(), index=pd.DatetimeIndex(judged["month"]))
        chart = spc.xmr(
            values,
            baseline=baseline,
            rebase=rebase_dates(tests, area, area_type, name, judged["month"]) or None,
            improvement=measure.improvement,
            target=measure.target,
        )
        columns = chart.drop(columns="value").reset_index(drop=True)
        if late.any():
            columns = mark_provisional(columns, int(late.sum()))
        charts.append(pd.concat([series, columns], axis=1))
    return pd.concat(charts, ignore_index=True)


def provisional_rows(monthly: pd.DataFrame) -> pd.Series:
    """True for the provisional months of monthly_measures' table (False without the
    column: a table made before provisional months were marked)."""
    if "provisional" not in monthly:
        return pd.Series(False, index=monthly.index)
    return monthly["provisional"].fillna(False).astype(bool)


def mark_provisional(chart: pd.DataFrame, n: int) -> pd.DataFrame:
    """n provisional months after a chart's columns: the last phase's mean and limits
    carried on, point_type "provisional", no rule."""
    if n == 0:
        return chart
    extra = pd.DataFrame([chart.iloc[-1]] * n).reset_index(drop=True)
    extra["point_type"] = spc.PROVISIONAL
    if "rule" in extra:
        extra["rule"] = None
    return pd.concat([chart, extra], ignore_index=True)


def summaries(charts: pd.DataFrame) -> pd.DataFrame:
    """The Making Data Count summary of each chart: area_type, area, measure, label,
    latest month and value, mean, lpl, upl of the latest phase, target, variation
    (point type of the latest month) and its icon and text, assurance and its icon
    and text, phases, warnings."""
    rows = []
    for (area_type, area, name), chart in charts.groupby(
        ["area_type", "area", "measure"], sort=False
    ):
        measure = MEASURES[name]
        chart = chart[chart["point_type"] != spc.PROVISIONAL].set_index("month")
        known = chart[chart["value"].notna()]
        if known.empty:
            continue
        s = spc.summary(chart, improvement=measure.improvement)
        rows.append(
            {
                "area_type": area_type,
                "area": area,
                "measure": name,
                "label": measure.label,
                "latest_month": known.index[-1],
                "latest_value": known["value"].iloc[-1],
                "latest_count": known["numerator"].iloc[-1],
                "mean": s.mean,
                "lpl": s.lpl,
                "upl": s.upl,
                "target": measure.target,
                "variation": s.variation,
                "variation_icon": s.variation_icon,
                "variation_text": s.variation_text,
                "assurance": s.assurance,
                "assurance_icon": s.assurance_icon,
                "assurance_text": s.assurance_text if measure.target is not None else "",
                "phases": s.n_phases,
                "phase_start": chart.index[chart["phase"] == chart["phase"].iloc[-1]][0],
                "warnings": " ".join(s.warnings),
            }
        )
    return pd.DataFrame(rows)


def impacts(
    monthly: pd.DataFrame, tests: Sequence[TestOfChange], partnership: Partnership
) -> pd.DataFrame:
    """Each test of change judged on each measure it should move, in its area: the
    months from the change (to the next change on that chart) against the mean and
    limits of the months before it (from the previous change). Columns: test,
    start, area, measure, label, months_before, months_after, mean_before,
    mean_after, change (relative), verdict, first_signal, rules,
    improvement_months, concern_months, and count_before, count_after (the totals of
    the measure's numerator count over the months compared, for disclosure)."""
    rows = []
    for test in tests:
        area = test.area(partnership)
        area_type = LOCALITY_AREA if test.locality else PARTNERSHIP_AREA
        for name in test.measures:
            series = monthly[(monthly["area"] == area) & (monthly["measure"] == name)]
            series = series[~provisional_rows(series)].sort_values("month")
            months = series["month"]
            if series.empty or not months.min() < test.start <= months.max():
                continue
            others = rebase_dates(tests, area, area_type, name, months)
            before = [d for d in others if d < test.start]
            after = [d for d in others if d > test.start]
            values = pd.Series(series["value"].to_numpy(), index=pd.DatetimeIndex(months))
            row = {
                "test": test.description,
                "start": test.start,
                "area": area,
                "measure": name,
                "label": MEASURES[name].label,
            }
            try:
                result = spc.impact(
                    values,
                    test.start,
                    improvement=MEASURES[name].improvement,
                    start=before[-1] if before else None,
                    end=after[0] if after else None,
                )
            except ValueError:
                rows.append({**row, "verdict": "too few months to judge"})
                continue
            counts = series["numerator"].to_numpy()
            first = months.searchsorted(before[-1]) if before else 0
            at = months.searchsorted(test.start)
            stop = months.searchsorted(after[0]) if after else len(months)
            rows.append(
                {
                    **row,
                    "count_before": counts[first:at].sum(),
                    "count_after": counts[at:stop].sum(),
                    "months_before": result.n_before,
                    "months_after": result.n_after,
                    "mean_before": result.before_mean,
                    "mean_after": result.after_mean,
                    "change": result.change,
                    "verdict": result.verdict,
                    "first_signal": result.first_signal,
                    "rules": ", ".join(result.rules),
                    "improvement_months": result.improvement_points,
                    "concern_months": result.concern_points,
                }
            )
    return pd.DataFrame(rows)
