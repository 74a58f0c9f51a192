"""The report from delay records: what it computes, and its sections."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from hscp import charts, measures, opendata, report
from hscp.measures.trends import PeriodComparison
from hscp.workbooks.delayed_discharges._shared import BREAKDOWNS, PLAIN_BREAKDOWNS
from hscp.workbooks.delayed_discharges.sentences import linkage_sentence, records_key_messages
from hscp.workbooks.delayed_discharges.tables import (
    census_bands_table_args,
    census_figure_args,
    census_profile_table_args,
    discharges_table_args,
    median_delay_figure_args,
    older_ages_figure_args,
    rates_figure_args,
    rates_table_args,
    season_figure_args,
    shares_chart_args,
    shares_table_args,
    trend_figure_args,
    trend_table_args,
)

# --- the records path -----------------------------------------------------------------------


@dataclass
class RecordsStory:
    """The report from delay records: every result the sections publish."""

    area: str
    partnership: str  # name
    threshold: int
    top_n: int
    by_reason: pd.DataFrame
    older_ages: pd.DataFrame
    census: pd.DataFrame
    census_monthly: pd.DataFrame
    census_lines: pd.DataFrame
    season: pd.DataFrame
    year: PeriodComparison
    pathways: pd.DataFrame
    areas: pd.DataFrame
    area_notes: list[str]
    breakdowns: dict[str, pd.DataFrame]
    profile: pd.DataFrame
    profile_notes: list[str]
    median_delay: pd.DataFrame
    discharges: pd.DataFrame
    period_text: str
    locality: str | None = None
    delays_linked: int = 0
    notes: list[str] = field(default_factory=list)

    # -- key messages ------------------------------------------------------------------

    def key_messages(self) -> list[str]:
        return records_key_messages(self)

    # -- sections ------------------------------------------------------------------------

    def show_trend(self) -> None:
        report.figure(charts.stacked_monthly, **trend_figure_args(self))
        report.table(**trend_table_args(self))
        report.figure(charts.monthly_lines, **census_figure_args(self))

    def show_older_ages(self) -> None:
        report.figure(charts.monthly_lines, **older_ages_figure_args(self))

    def show_season(self) -> None:
        args = season_figure_args(self)
        if args is None:
            report.note("Fewer than 24 months of data: the seasonal pattern is not shown.")
        else:
            report.figure(charts.seasonal_bars, **args)

    def show_census(self) -> None:
        for note in self.profile_notes:
            report.note(note)
        report.table(**census_profile_table_args(self))
        report.figure(charts.monthly_lines, **median_delay_figure_args(self))
        report.table(**discharges_table_args(self))

    def show_who(self) -> None:
        for note in self.notes:
            report.note(note)
        self._shares_chart(self._shares_table("ages", "Age at ready for discharge"), "ages")
        self._shares_table("sexes", "Sex")
        self._shares_table("reasons", "Reason group")
        self._shares_chart(self._shares_table("subgroups", "Reason for delay"), "subgroups")
        self._shares_table(
            "lengths",
            "Length of delay",
            note="From the ready for discharge date to discharge, or to the end of the period "
            "for delays not yet ended.",
        )
        self._shares_chart(
            self._shares_table("outcomes", "Discharged to"),
            "outcomes",
            share="share_of_delays",
            xlabel="Share of delays",
        )
        report.table(**census_bands_table_args(self))

    def show_where(self) -> None:
        for note in self.area_notes:
            report.note(note)
        rates = report.table(**rates_table_args(self))
        report.figure(charts.bars, **rates_figure_args(self, rates.data))
        self._shares_table("hospitals", "Hospital (location code)")
        self._shares_table("specialties", "Specialty")

    def show_pathway(self) -> None:
        report.note(linkage_sentence(self))
        self._shares_chart(self._shares_table("routes", "Admission"), "routes")
        self._shares_chart(
            self._shares_table(
                "ae_routes",
                "A&E",
                note="Through A&E: an A&E attendance ending in admission on the day the stay "
                "began or the day before.",
            ),
            "ae_routes",
        )
        self._shares_chart(self._shares_table("before", "Days in hospital before ready"), "before")
        self._shares_table("transfers", "Hospitals in the stay")
        self._shares_table(
            "pathways",
            "Specialty pathway",
            note="First -> last specialty of the hospital stay; one name when the stay stayed "
            "in one specialty.",
        )

    def show_admission_reason(self) -> None:
        self._shares_chart(self._shares_table("conditions", "Reason for admission"), "conditions")
        self._shares_table(
            "chapters", "ICD-10 chapter", note="Chapters with no delays are not listed."
        )
        self._shares_table("preventable", "Admission")

    # -- helpers -------------------------------------------------------------------------

    def _shares_table(self, name: str, label: str, note: str | None = None) -> report.Published:
        return report.table(**shares_table_args(self, name, label, note))

    def _shares_chart(self, published: report.Published, name: str, **options) -> None:
        report.figure(charts.share_bars, **shares_chart_args(self, published.data, name, **options))


def compute_records(rpt: report.Report, delays: pd.DataFrame, folder, top_n: int) -> RecordsStory:
    """Everything the records path publishes, from the area's delay records."""
    data = rpt.data
    monthly = measures.delayed_bed_days(
        delays, rpt.start, rpt.end, by=["reason_group", "age_group"]
    )
    by_reason = monthly.groupby(["month", "reason_group"], as_index=False)["bed_days"].sum()
    census = measures.census(delays, rpt.start, rpt.end)
    census_monthly = measures.census_counts(delays, rpt.start, rpt.end)
    census_by_reason = measures.census_counts(delays, rpt.start, rpt.end, by="reason_group")
    census_lines = pd.concat(  # the headline (all reasons) beside its parts
        [census_monthly.assign(reason_group="All reasons"), census_by_reason]
    )[["month", "reason_group", "delays_over_3_days"]]
    year = measures.compare_periods(monthly, "bed_days", end=rpt.end)

    # Each delay with bed days in the latest 12 months, linked to its hospital stay
    # (SMR01) and A&E attendance
    in_year = measures.delays_in_period(delays, year.latest_start, rpt.end)
    pathways = measures.delay_pathways(in_year, data.episodes(), data.ae_attendances())
    pathways["hospital"] = measures.hospital_name(pathways["location"])
    pathways["delay_specialty"] = measures.specialty_name(pathways["specialty"])
    # Scotland's shares only when the data are all of Scotland (else they would be the
    # extract's partnerships under Scotland's name)
    rates = data.comparator("delayed_bed_days")
    present = measures.partnerships_present(rates)
    whole = "Scotland" in measures.covered_comparators(rpt.partnership, present, board=False)
    scotland = data.comparator("delay_pathway_bed_days") if whole else None
    breakdowns = {
        name: measures.breakdown_with_scotland(
            pathways,
            column,
            scotland,
            year.latest_start,
            rpt.end,
            **({"order": order} if order else {}),
        )
        for name, (column, order) in BREAKDOWNS.items()
    }
    if not whole:
        breakdowns = {
            k: v.drop(columns=["scotland_share_of_bed_days"]) for k, v in breakdowns.items()
        }
    breakdowns["subgroups"] = breakdowns["subgroups"].replace(
        {"reason_subgroup": {"Other": "Other patient/carer/family reasons"}}
    )
    for name, column in PLAIN_BREAKDOWNS.items():
        breakdowns[name] = measures.delay_breakdown(pathways, column)
    breakdowns["hospitals"] = measures.delay_breakdown(pathways, "hospital", top=top_n)
    breakdowns["specialties"] = measures.delay_breakdown(pathways, "delay_specialty", top=top_n)
    breakdowns["pathways"] = measures.delay_breakdown(
        pathways, "specialty_pathway_named", top=top_n
    )
    chapters = measures.delay_breakdown(pathways, "icd10_chapter")
    breakdowns["chapters"] = chapters[
        (chapters["delays"] > 0) | (chapters["icd10_chapter"] == "All")
    ]
    breakdowns["linked"] = measures.delay_breakdown(pathways, "stay_match")

    # Comparators that are the areas they are named after: Scotland, the board and the
    # partnership as PHS places its delays, from open data when the extract is not all
    # of Scotland
    areas = measures.delay_rates_by_area(
        rates, data.population(), rpt.end, partnership=rpt.partnership.code
    )
    areas, area_notes = opendata.delay_rate_comparators(
        areas, present, rpt.partnership.code, rpt.end, folder
    )
    notes = []
    if not whole:
        notes.append(
            "No Scotland beside these shares: the data cover part of Scotland, and PHS does "
            "not publish them."
        )
    partnership_delays = data.delays()
    partnership_delays = partnership_delays[partnership_delays["hscp2019"] == rpt.partnership.code]
    profile = measures.census_profile(
        measures.census(partnership_delays, rpt.start, rpt.end),
        data.population(),
        rpt.end,
        rpt.partnership.code,
    )
    profile, profile_notes = opendata.census_comparators(
        profile, rpt.partnership.code, rpt.end, folder
    )
    return RecordsStory(
        area=rpt.area,
        partnership=rpt.partnership.name,
        locality=rpt.locality,
        threshold=rpt.threshold,
        top_n=top_n,
        by_reason=by_reason,
        older_ages=measures.delayed_bed_days_by_min_age(delays, rpt.start, rpt.end),
        census=census,
        census_monthly=census_monthly,
        census_lines=census_lines,
        season=measures.seasonal_profile(by_reason, "bed_days"),
        year=year,
        pathways=pathways,
        areas=areas,
        area_notes=area_notes,
        breakdowns=breakdowns,
        profile=profile,
        profile_notes=profile_notes,
        median_delay=measures.census_median_delay(delays, rpt.start, rpt.end),
        discharges=measures.discharges_after_delay(delays, rpt.start, rpt.end),
        period_text=rpt.period_text,
        notes=notes,
    )
