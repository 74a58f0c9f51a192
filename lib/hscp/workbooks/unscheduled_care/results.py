"""What the unscheduled care report computes: every result its sentences, tables and
figures are built from, in one `UnscheduledCare` (computed by `compute`)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from hscp import disclosure, measures, opendata, report
from hscp.geography import Partnership

#: The columns of the area rates derived from their count (suppressed with it).
RATE_COLUMNS = ["rate", "lower", "upper", "easr", "easr_lower", "easr_upper"]
#: The bed day drivers: the column each is grouped by.
DRIVER_GROUPS = ("age_group", "condition_group", "icd10_chapter", "los_band")
#: The frequent attender thresholds the prepared comparator tables have.
COMPARED_THRESHOLDS = (2, 5, 10)


@dataclass
class UnscheduledCare:
    """The computed results of one unscheduled care report (an area and a period).

    `compared` is the area, its partnership and the wider areas the data cover whole
    (its NHS board, Scotland), in that order; `widest` the last of them (None when
    the area is compared with nothing). `rates` and `indicators` are as published
    (small counts, and the rates from them, suppressed)."""

    area: str
    locality: str | None
    partnership: Partnership
    period_text: str
    threshold: int
    frequent_threshold: int
    start: pd.Timestamp
    end: pd.Timestamp
    # the area's own records
    stays: pd.DataFrame
    attendances: pd.DataFrame
    monthly: pd.DataFrame
    ppa_monthly: pd.DataFrame
    ae_monthly: pd.DataFrame
    admissions: measures.PeriodComparison
    bed_days: measures.PeriodComparison
    drivers: dict[str, pd.DataFrame]
    latest_ae: pd.DataFrame
    per_person: pd.DataFrame
    ppa_year: pd.DataFrame
    # the comparators
    board: bool
    covered: list[str]
    compared: list[str]
    emergency_table: pd.DataFrame
    indicator_table: pd.DataFrame
    population: pd.DataFrame
    rates: pd.DataFrame
    indicators: pd.DataFrame
    #: The first provisional month (hospital records still arriving), or None.
    provisional_from: pd.Timestamp | None = None

    @property
    def year_start(self) -> pd.Timestamp:
        return self.admissions.latest_start

    @property
    def year_label(self) -> str:
        return self.admissions.label

    @property
    def widest(self) -> str | None:
        """The widest comparator the data cover (None: the area is compared with nothing)."""
        return self.compared[-1] if len(self.compared) > 1 else None

    @property
    def frequent(self) -> pd.DataFrame:
        """The frequent attenders of the latest 12 months (one row a person)."""
        return self.per_person[self.per_person["frequent"]]

    @property
    def ae_year(self) -> pd.DataFrame:
        """The latest 12 months' A&E attendances by attendance category."""
        return measures.ae_breakdown(self.latest_ae, "attendance_category")

    @property
    def whole_partnership(self) -> bool:
        return self.locality is None


def rate_of(rates: pd.DataFrame, measure: str, area: str) -> pd.Series:
    """An area's row of the rates table for one measure."""
    return rates[(rates["measure"] == measure) & (rates["area"] == area)].iloc[0]


def indicator_of(indicators: pd.DataFrame, code: str, area: str) -> pd.Series:
    """An area's row of the national indicators table for one indicator (e.g. NI16)."""
    return indicators[(indicators["indicator"] == code) & (indicators["area"] == area)].iloc[0]


def compute(rpt: report.Report, *, frequent_threshold: int) -> UnscheduledCare:
    """Everything the report needs, from the partnership's records and the comparator
    tables prepared once for every partnership (12 months to the period end)."""
    p = rpt.partnership
    # the area's residents: continuous stays (with the PPA flag and the age, condition
    # and length of stay groups) and A&E attendances
    stays = measures.flag_ppa(measures.continuous_stays(rpt.data.episodes()))
    stays = measures.describe_stays(rpt.in_area(stays), rpt.end)
    attendances = rpt.in_area(rpt.data.ae_attendances())
    population = rpt.data.population()
    # monthly series; the latest 12 months against the 12 before
    monthly = measures.emergency_monthly(stays, rpt.start, rpt.end)
    ppa_monthly = measures.admissions_by_month(
        stays[stays["ppa"]], rpt.start, rpt.end, name="ppa_admissions"
    )
    ae_monthly = measures.ae_monthly_summary(attendances, rpt.start, rpt.end)
    ae_monthly["percent_within_4_hours"] = measures.percent_within(
        ae_monthly["within_4_hours"], ae_monthly["attendances"]
    )
    admissions = measures.compare_periods(monthly, "admissions", end=rpt.end)
    bed_days = measures.compare_periods(monthly, "bed_days", end=rpt.end)
    year_start = admissions.latest_start
    # comparators: each locality, the partnership, and its NHS board and Scotland when the
    # data cover them whole (a board of one partnership is the partnership)
    board = len(measures.board_partnerships(p)) > 1
    emergency_table = rpt.data.comparator("emergency_admissions")
    covered = measures.covered_comparators(
        p, measures.partnerships_present(emergency_table), board=board
    )
    indicator_table = rpt.data.comparator("national_indicators")
    rates = measures.unscheduled_rates(
        emergency_table, rpt.data.comparator("ae_monthly"), population, rpt.end, p, board=board
    )
    indicators = measures.national_indicator_rates(
        indicator_table, population, rpt.end, p, board=board
    )
    # the rates as they will be published (small counts and the rates from them suppressed)
    rates = disclosure.protect(
        rates, ["count"], threshold=rpt.threshold, derived={c: ["count"] for c in RATE_COLUMNS}
    ).data
    indicators = disclosure.protect(
        indicators,
        ["numerator"],
        threshold=rpt.threshold,
        derived={c: ["numerator"] for c in ("rate", "lower", "upper")},
    ).data
    # what drives emergency bed days; A&E and repeat attenders in the latest 12 months
    drivers = {
        group: measures.bed_day_drivers(stays, year_start, rpt.end, group)
        for group in DRIVER_GROUPS
    }
    # the latest 12 months end with the period, not with the data
    latest_ae = attendances[admissions.covers(attendances["arrival_datetime"])]
    per_person = measures.attendances_per_person(
        attendances, year_start, rpt.end, threshold=frequent_threshold
    )
    ppa_year = stays[stays["ppa"] & admissions.covers(stays["admission_date"])]
    return UnscheduledCare(
        area=rpt.area,
        locality=rpt.locality,
        partnership=p,
        period_text=rpt.period_text,
        threshold=rpt.threshold,
        frequent_threshold=frequent_threshold,
        start=rpt.start,
        end=rpt.end,
        stays=stays,
        attendances=attendances,
        monthly=monthly,
        ppa_monthly=ppa_monthly,
        ae_monthly=ae_monthly,
        admissions=admissions,
        bed_days=bed_days,
        drivers=drivers,
        latest_ae=latest_ae,
        per_person=per_person,
        ppa_year=ppa_year,
        board=board,
        covered=covered,
        compared=list(dict.fromkeys([rpt.area, p.name, *covered])),
        emergency_table=emergency_table,
        indicator_table=indicator_table,
        population=population,
        rates=rates,
        indicators=indicators,
        provisional_from=rpt.provisional_from,
    )


# --- the sections' own results ------------------------------------------------------------


def rolling_rates(
    uc: UnscheduledCare, value: str, *, min_age: int = 0, localities: bool = False
) -> pd.DataFrame:
    """The rolling 12-month rate of `value` ("admissions", "bed_days", "ni16_falls") per
    1,000 people: of the area and its comparators, or (`localities`) of each locality."""
    table = uc.indicator_table if value.startswith("ni") else uc.emergency_table
    trend = measures.area_rolling_rates(
        table, value, uc.population, uc.partnership, min_age=min_age,
        board=uc.board and not localities,
    )  # fmt: skip
    if localities:
        return trend[trend["area_type"] == "Locality"]
    return trend[trend["area"].isin(uc.compared)]


def locality_funnel(uc: UnscheduledCare) -> pd.DataFrame:
    """Each locality's emergency admissions and rates, with its place in the funnel
    around the partnership's crude rate."""
    localities = uc.rates[
        (uc.rates["measure"] == "Emergency admissions") & (uc.rates["area_type"] == "Locality")
    ].copy()
    localities["funnel_position"] = measures.funnel_position(
        localities["count"], localities["population"], partnership_rate(uc)
    ).to_numpy()
    return localities


def partnership_rate(uc: UnscheduledCare) -> float:
    """The partnership's crude emergency admission rate per 1,000 (the funnel's target)."""
    return rate_of(uc.rates, "Emergency admissions", uc.partnership.name)["rate"]


def ppa_shares(uc: UnscheduledCare) -> pd.DataFrame:
    """Potentially preventable admissions as a share of emergency admissions in the area
    and each comparator, with Wilson 95% intervals (in %)."""
    shown = uc.rates[uc.rates["area"].isin(uc.compared)]
    shares = shown[
        shown["measure"].isin(["Emergency admissions", "Potentially preventable admissions"])
    ].pivot_table(index="area", columns="measure", values="count", aggfunc="sum", sort=False)
    shares = (
        shares.reindex(uc.compared)
        .reset_index()
        .rename(
            columns={
                "Emergency admissions": "emergency_admissions",
                "Potentially preventable admissions": "ppa",
            }
        )
    )
    return shares.join(measures.proportion_ci(shares["ppa"], shares["emergency_admissions"]))


def ppa_conditions(uc: UnscheduledCare, conditions: pd.DataFrame) -> pd.DataFrame:
    """The latest 12 months' potentially preventable admissions by condition (from the
    prepared `ppa_conditions` table) for the area and, when the data cover it, Scotland,
    in the order of the area's counts."""
    shares = measures.window_shares(
        conditions, "admissions", "ppa_condition", uc.end, uc.partnership, board=uc.board
    )
    shares = shares[shares["area"].isin(beside_scotland(uc))].copy()
    shares["ppa_condition"] = shares["ppa_condition"].astype(str)
    order = shares[shares["area"] == uc.area].sort_values("admissions", ascending=False)
    return shares.set_index("ppa_condition").loc[order["ppa_condition"].tolist()].reset_index()


def beside_scotland(uc: UnscheduledCare) -> list[str]:
    """The area, and Scotland when the data cover it."""
    return [a for a in (uc.area, "Scotland") if a in uc.compared]


def ae_comparators(
    uc: UnscheduledCare, ae_table: pd.DataFrame, open_data_dir
) -> tuple[pd.DataFrame, list[str]]:
    """A&E attendances, admissions and the 4-hour standard in the area and its
    comparators over the latest 12 months (from the prepared `ae_monthly` table), with
    Scotland and the board from PHS's A&E open data when the data do not cover them;
    and the notes on where the open data figures come from."""
    columns = ["attendances", "within_4_hours", "admitted", "ambulance"]
    areas = measures.window_totals(ae_table, columns, uc.end, uc.partnership, board=uc.board)
    areas = areas[areas["area"].isin(uc.compared)].merge(
        uc.rates.loc[uc.rates["measure"] == "A&E attendances", ["area", "rate", "easr"]],
        on="area",
    )
    areas["admitted_share"] = areas["admitted"] / areas["attendances"]
    areas["ambulance_share"] = areas["ambulance"] / areas["attendances"]
    areas["percent_within_4_hours"] = measures.percent_within(
        areas["within_4_hours"], areas["attendances"]
    )
    ae_open, notes = opendata.ae_comparators(
        uc.partnership,
        uc.covered,
        uc.end,
        opendata.open_data_folder(open_data_dir),
        board=uc.board,
    )
    areas = areas.assign(source="Extract (residence)")
    if len(ae_open):
        areas = pd.concat([areas, ae_open]).astype({"admitted": "Int64", "ambulance": "Int64"})
    return areas, notes


def frequent_by_area(uc: UnscheduledCare, bands: pd.DataFrame) -> pd.DataFrame | None:
    """Frequent attenders in the area and its comparators (from the prepared
    `ae_attender_bands` table); None when the report's threshold is not one the table
    has (2, 5 or 10)."""
    if uc.frequent_threshold not in COMPARED_THRESHOLDS:
        return None
    areas = measures.frequent_attenders_by_area(
        bands, uc.end, uc.partnership, threshold=uc.frequent_threshold, board=uc.board
    )
    return areas[areas["area"].isin(uc.compared)]


def frequent_over_time(uc: UnscheduledCare) -> pd.DataFrame | None:
    """Frequent attenders in the 12 months to each month; None for a period under 12 months."""
    if len(pd.date_range(uc.start, uc.end, freq="MS")) < 12:
        return None
    return measures.repeat_attenders_over_time(
        uc.attendances, uc.start, uc.end, threshold=uc.frequent_threshold
    )


def frequent_profile(uc: UnscheduledCare, column: str) -> pd.DataFrame:
    """The latest 12 months' attendances of frequent and other attenders by `column`
    ("age_group", or "diagnosis_group": the ICD-10 chapter), the groups with none left out."""
    ae = uc.latest_ae.assign(
        age_group=measures.age_group(uc.latest_ae["age"]).astype(str),
        diagnosis_group=measures.icd10_chapter(uc.latest_ae["diagnosis"]).astype(str),
    )
    profile = measures.frequent_profile(
        ae,
        uc.year_start,
        uc.end,
        column,
        threshold=uc.frequent_threshold,
        top=None if column == "age_group" else 6,
    )
    profile = profile[profile.groupby(column, observed=True)["attendances"].transform("sum") > 0]
    profile[column] = profile[column].astype(str)
    return profile


def frequent_persistence(uc: UnscheduledCare) -> pd.DataFrame | None:
    """What became of the previous 12 months' frequent attenders; None without two years."""
    if (uc.end - uc.start).days < 700:
        return None
    return measures.frequent_persistence(uc.attendances, uc.end, threshold=uc.frequent_threshold)
