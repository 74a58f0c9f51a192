"""The delayed discharges report: what it computes from the records, what it says.

Two paths, chosen once. With delay records for the area (`source="records"`, or
"auto" and the extract has some) the report is `RecordsStory`: bed days, the census,
who is delayed, where from, the pathway and the reason for admission. Without them
it is `PublishedStory`: PHS's published figures for the partnership and Scotland,
and a note in each section that needs records. Both have the same sections, so the
notebook is the same list of steps on either path.

The sentences and the arguments of each table and figure are plain functions of the
computed results (unit-tested without a notebook); the `show_*` methods publish them
through `report`, which applies disclosure control.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from hscp import charts, disclosure, measures, opendata, report, text
from hscp.measures.trends import PeriodComparison

#: Delays and bed days of a breakdown are suppressed with the delays they come from.
SHARES = {
    "counts": ["delays"],
    "derived": {
        "bed_days": ["delays"],
        "share_of_delays": ["delays"],
        "share_of_bed_days": ["delays"],
    },
}
SHARE_FORMATS = {
    "share_of_delays": "{:.1%}",
    "share_of_bed_days": "{:.1%}",
    "scotland_share_of_bed_days": "{:.1%}",
}
SHARE_LABELS = {
    "share_of_delays": "% of delays",
    "share_of_bed_days": "% of bed days",
    "scotland_share_of_bed_days": "Scotland: % of bed days",
}
#: Scotland's share of bed days: of a national total (aggregates of every partnership),
#: not a count of the area's people.
SCOTLAND_SHARE = ["scotland_share_of_bed_days"]
#: The breakdowns of the latest 12 months' delays, with Scotland's shares where the
#: prepared data have them: name -> (column, category order or None).
BREAKDOWNS = {
    "ages": ("age_band", None),
    "sexes": ("sex_label", None),
    "reasons": ("reason_group", measures.REASON_GROUPS),
    "subgroups": ("reason_subgroup", measures.REASON_SUBGROUPS),
    "routes": ("admission_route", None),
    "ae_routes": ("ae_route", None),
    "before": ("days_before_ready_band", None),
    "transfers": ("transfer", None),
    "conditions": ("condition_group", None),
    "preventable": ("ppa_label", None),
}
#: Breakdowns without a Scotland comparator.
PLAIN_BREAKDOWNS = {"lengths": "delay_length_band", "outcomes": "outcome"}
RATE_COUNTS = ["bed_days_18plus", "bed_days_65plus", "bed_days_75plus"]
RATE_DERIVED = {f"rate_{age}": [f"bed_days_{age}"] for age in ("18plus", "65plus", "75plus")}
RATE_COLUMNS = [
    "area",
    "level",
    "bed_days_18plus",
    "rate_18plus",
    "bed_days_65plus",
    "rate_65plus",
    "bed_days_75plus",
    "rate_75plus",
    "source",
]


def as_published(table: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """A breakdown as report.table publishes it (suppressed cells missing): the only
    numbers a sentence may quote."""
    protected = disclosure.protect(
        table.reset_index(drop=True),
        SHARES["counts"],
        threshold=threshold,
        derived=SHARES["derived"],
    )
    return protected.data


def share_of(
    table: pd.DataFrame,
    column: str,
    names,
    whole: float,
    *,
    threshold: int,
    value: str = "bed_days",
) -> str:
    """The named rows' share of `whole` (bed days, or `value`), as a sentence quotes it."""
    part = measures.total_of(as_published(table, threshold), column, names, value)
    if pd.isna(part):
        return "a share not shown (small numbers)"
    return text.share(part, whole, threshold=threshold)


def scotland_share(table: pd.DataFrame, column: str, names) -> str:
    """Scotland's share of bed days in the named rows of a breakdown."""
    return text.percent(measures.total_of(table, column, names, "scotland_share_of_bed_days"))


def rate_against_scotland(areas: pd.DataFrame, area: str) -> str:
    """'N delayed bed days ... per 1,000 aged 75+ ..., against M for Scotland', naming
    Scotland only when the table has a Scotland row (a real one: see
    opendata.delay_rate_comparators)."""
    rate = areas.drop_duplicates("area").set_index("area")["rate_75plus"]
    mine = f"{text.number(rate.get(area), 0)} delayed bed days a year per 1,000 people aged 75+"
    if "Scotland" in rate.index and not pd.isna(rate["Scotland"]):
        return f"{mine} (national indicator 19), against {text.number(rate['Scotland'], 0)} for Scotland"
    return f"{mine} (national indicator 19); Scotland's rate is not shown (see the rates table)"


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
    pathways["hospital"] = pathways["location"]
    pathways["delay_specialty"] = measures.specialty_name(pathways["specialty"])
    scotland = data.comparator("delay_pathway_bed_days")
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
    rates = data.comparator("delayed_bed_days")
    areas = measures.delay_rates_by_area(
        rates, data.population(), rpt.end, partnership=rpt.partnership.code
    )
    areas, area_notes = opendata.delay_rate_comparators(
        areas, measures.partnerships_present(rates), rpt.partnership.code, rpt.end, folder
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
    )


# --- sentences of the records path ----------------------------------------------------------


def _share(story: RecordsStory, name: str, *names, value: str = "bed_days", of=None) -> str:
    table = story.breakdowns[name]
    column = _column(name)
    whole = story.year.latest if of is None else of
    return share_of(table, column, names, whole, threshold=story.threshold, value=value)


def _ended(story: RecordsStory) -> float:
    """Delays of the latest 12 months that ended (not still delayed), as published."""
    outcomes = as_published(story.breakdowns["outcomes"], story.threshold)
    return measures.total_of(outcomes, "outcome", "All", "delays") - measures.total_of(
        outcomes, "outcome", measures.STILL_DELAYED, "delays"
    )


def _top(story: RecordsStory, name: str, exclude=()):
    column = BREAKDOWNS[name][0]
    return measures.largest(
        as_published(story.breakdowns[name], story.threshold), column, exclude=exclude
    )


def _peak(story: RecordsStory):
    return measures.largest(
        story.season.dropna(subset=["seasonal_index"]), "month_name", value="seasonal_index"
    )


def records_key_messages(story: RecordsStory) -> list[str]:
    """The key messages of the records path, each quoting only published numbers."""
    t, year, area = story.threshold, story.year, story.area
    census = story.census_monthly.iloc[-1]
    messages = [
        f"From {year.label}, people from {area} spent {text.count(year.latest, threshold=t)} days in "
        f"hospital after they were ready to leave: on average {text.number(year.latest / year.days)} "
        f"beds occupied every day. That {text.change(year.change)} on the 12 months before.",
        f"Delays of people aged 75+ accounted for {_share(story, 'ages', '75-84', '85+')} of these bed "
        f"days, and of people aged 65+ for {_share(story, 'ages', '65-74', '75-84', '85+')}.",
        f"Health and social care reasons accounted for "
        f"{_share(story, 'reasons', 'Health and Social Care Reasons')} of the bed days, and code 9 "
        f"(adults with incapacity and other complex reasons) for {_share(story, 'reasons', 'Code 9')}.",
        f"Emergency admissions led to {_share(story, 'routes', 'Emergency')} of the delayed bed days, "
        f"and admissions through A&E to {_share(story, 'ae_routes', 'Through A&E')}.",
    ]
    top = _top(story, "conditions", exclude=["Other conditions", measures.NO_STAY])
    if top is not None:
        messages.append(
            f"The commonest reason for admission in the first place was {top['condition_group'].lower()} "
            f"({_share(story, 'conditions', top['condition_group'])} of delayed bed days); "
            f"{_share(story, 'preventable', 'Potentially preventable')} followed a potentially "
            "preventable admission."
        )
    ended = _ended(story)
    if ended > 0:
        messages.append(
            f"Of the {text.count(ended, threshold=t)} delays that ended, "
            f"{_share(story, 'outcomes', 'Placement', value='delays', of=ended)} ended in a care home "
            f"placement and {_share(story, 'outcomes', 'Home', 'Home with home care', value='delays', of=ended)} "
            "at home."
        )
    messages.append(
        f"At the {text.month(census['month'])} census, {text.count(census['delays_over_3_days'], threshold=t)} "
        f"people from {area} had been delayed more than 3 days"
        + median_clause(story.median_delay)
        + "."
    )
    messages.append(f"That is {rate_against_scotland(story.areas, area)}.")
    peak = _peak(story)
    if peak is not None:
        messages.append(
            f"Delays run highest in {peak['month_full']}, {text.percent(peak['seasonal_index'] - 1, 0)} "
            "above the level of the year around it."
        )
    return messages


def median_clause(median_delay: pd.DataFrame) -> str:
    """', and the median delay of the people delayed at the census was N days' for the
    latest census month, or nothing when no one was delayed then."""
    if median_delay.empty or pd.isna(median_delay["median_delay"].iloc[-1]):
        return ""
    return (
        "; the median delay of everyone delayed at that census was "
        f"{text.number(median_delay['median_delay'].iloc[-1], 1)} days"
    )


def linkage_sentence(story: RecordsStory) -> str:
    linked = story.breakdowns["linked"]
    unlinked = measures.total_of(linked, "stay_match", "no stay", "delays")
    t, n = story.threshold, len(story.pathways)
    none = text.count(unlinked, threshold=t) if unlinked else "none"
    return (
        f"{text.count(n - unlinked, threshold=t)} of the {text.count(n, threshold=t)} delays were "
        f"linked to their hospital stay; {none} had no matching stay in the SMR01 extract (shown as "
        f"'{measures.NO_STAY}')."
    )


# --- tables and figures of the records path -----------------------------------------------


def trend_figure_args(story: RecordsStory) -> dict:
    return {
        "data": story.by_reason,
        "y": "bed_days",
        "by": "reason_group",
        "ylabel": "Delayed bed days",
        "order": measures.REASON_GROUPS,
        "counts": ["bed_days"],
        "dims": ["month", "reason_group"],
        "title": f"Delayed bed days {text.change(story.year.change)} in {story.year.label} on the 12 "
        f"months before: each month by reason for delay, {story.area}",
        "alt": f"Stacked bar chart of delayed bed days each month from {story.period_text}, split "
        "into health and social care reasons, patient and family reasons and code 9.",
    }


def trend_table_args(story: RecordsStory) -> dict:
    wide = measures.monthly_table(
        story.by_reason[story.by_reason["month"] >= story.year.latest_start],
        "bed_days",
        columns="reason_group",
        order=measures.REASON_GROUPS,
    )
    return {
        "data": wide,
        "title": f"Delayed bed days by month and reason, {story.year.label}",
        "counts": [c for c in wide.columns if c != "month"],
        "across": True,
    }


def census_figure_args(story: RecordsStory) -> dict:
    latest = story.census_monthly.iloc[-1]
    return {
        "data": story.census_lines,
        "y": "delays_over_3_days",
        "hue": "reason_group",
        "hue_order": ["All reasons", *measures.REASON_GROUPS],
        "ylabel": "People delayed over 3 days",
        "counts": ["delays_over_3_days"],
        "dims": ["month", "reason_group"],
        "title": f"{text.count(latest['delays_over_3_days'], threshold=story.threshold)} people from "
        f"{story.area} were delayed more than 3 days at the {text.month(latest['month'])} census: "
        "each monthly census, by reason",
        "alt": "Line chart of the number of people delayed more than 3 days at each month's census "
        "(the last Thursday), one line for each reason group.",
    }


def older_ages_figure_args(story: RecordsStory) -> dict:
    return {
        "data": story.older_ages,
        "y": "bed_days",
        "hue": "age",
        "ylabel": "Delayed bed days",
        "counts": ["bed_days"],
        "dims": ["month", "age"],
        "derived": {"average_daily_beds": ["bed_days"]},
        "title": f"People aged 75+ account for {_share(story, 'ages', '75-84', '85+')} of delayed bed "
        f"days and people aged 65+ for {_share(story, 'ages', '65-74', '75-84', '85+')} "
        f"({story.year.label}): each month, {story.area}",
        "alt": "Line chart of delayed bed days each month: one line for people aged 65 and over, "
        "one for people aged 75 and over.",
    }


def season_figure_args(story: RecordsStory) -> dict | None:
    peak = _peak(story)
    if peak is None:
        return None
    season = story.season
    return {
        "data": season.assign(bed_days=season["total"].round().astype("int64"))[
            ["month_name", "bed_days", "average", "seasonal_index"]
        ],
        "counts": ["bed_days"],
        "derived": {"average": ["bed_days"], "seasonal_index": ["bed_days"]},
        "title": f"Delayed beds are highest in {peak['month_full']}: each calendar month against "
        f"the level of the year around it, {story.area}",
        "alt": "Bar chart of the seasonal index of average daily delayed beds for each calendar "
        "month, as a percentage above or below the level of the year around it.",
    }


def census_profile_table_args(story: RecordsStory) -> dict:
    profile = story.profile
    month = text.month(story.census_monthly["month"].iloc[-1])
    columns = [
        "area",
        "level",
        "delays",
        "delays_over_3_days",
        "standard",
        "code_9",
        "median_delay",
        "rate_per_100000",
        "source",
    ]
    return {
        "data": profile[[c for c in columns if c in profile.columns]],
        "title": f"People delayed at the {month} census: standard and code 9 delays, the median "
        "delay and delays per 100,000 adults",
        "counts": ["delays", "delays_over_3_days", "standard", "code_9"],
        "derived": {"median_delay": ["delays"], "rate_per_100000": ["delays"]},
        "formats": {"median_delay": "{:,.1f}", "rate_per_100000": "{:,.1f}"},
        "labels": {
            "area": "Area",
            "level": "Level",
            "delays": "Delayed (all lengths)",
            "delays_over_3_days": "Delayed over 3 days",
            "standard": "Standard delays",
            "code_9": "Code 9 delays",
            "median_delay": "Median delay (days)",
            "rate_per_100000": "Delays per 100,000 aged 18+",
            "source": "Source",
        },
        "note": "The census counts the people delayed on the last Thursday of the month, of any "
        "length of delay, as PHS publishes it. Standard: health and social care, and patient, "
        "carer and family-related reasons; code 9: adults with incapacity and other complex "
        "reasons. Localities and the partnership by residence.",
    }


def median_delay_figure_args(story: RecordsStory) -> dict:
    return {
        "data": story.median_delay.assign(measure="Median delay at the census"),
        "y": "median_delay",
        "hue": "measure",
        "ylabel": "Median delay (days)",
        "counts": ["delays"],
        "dims": ["month"],
        "derived": {"median_delay": ["delays"]},
        "title": f"Median length of delay of the people from {story.area} delayed at each "
        f"month's census, {story.period_text}",
        "alt": "Line chart of the median number of days the people delayed at each monthly census "
        "had been delayed.",
    }


def discharges_table_args(story: RecordsStory) -> dict:
    recent = story.discharges[story.discharges["month"] >= story.year.latest_start]
    return {
        "data": recent,
        "title": f"People discharged from hospital after a delay, {story.year.label}",
        "counts": ["discharges", "placement", "home", "not_recorded"],
        "across": True,
        "labels": {
            "month": "Month",
            "discharges": "Discharged after a delay",
            "placement": "To a care home placement",
            "home": "Home (with or without care)",
            "not_recorded": "Destination not recorded",
        },
        "note": "Delays that ended in a discharge in the month; deaths and people no longer fit "
        "for discharge are not discharges after a delay (PHS).",
    }


def census_bands_table_args(story: RecordsStory) -> dict:
    month = story.census_monthly["month"].iloc[-1]
    bands = measures.census_by_band(story.census, month)
    return {
        "data": bands,
        "title": f"People delayed at the {text.month(month)} census, by length of delay",
        "counts": [c for c in bands.columns if c != "delay_length_band"],
        "across": True,
        "labels": {"delay_length_band": "Length of delay"},
        "note": "The census counts the people delayed on the last Thursday of the month (PHS).",
    }


def rates_table_args(story: RecordsStory) -> dict:
    areas = story.areas
    return {
        "data": areas[[c for c in RATE_COLUMNS if c in areas.columns]],
        "title": f"Delayed bed days and rates per 1,000 residents by area, {story.year.label}",
        "counts": RATE_COUNTS,
        "derived": RATE_DERIVED,
        "labels": {
            "bed_days_18plus": "Bed days (18+)",
            "rate_18plus": "Per 1,000 aged 18+",
            "bed_days_65plus": "Bed days (65+)",
            "rate_65plus": "Per 1,000 aged 65+",
            "bed_days_75plus": "Bed days (75+)",
            "rate_75plus": "Per 1,000 aged 75+ (NI19)",
            "source": "Source",
        },
        "note": "Population: mid-year estimates of the first year of the financial year the "
        "months end in (the latest earlier estimate if that one is not out yet).",
    }


def rates_figure_args(story: RecordsStory, published: pd.DataFrame) -> dict:
    return {
        "data": published,
        "x": "rate_75plus",
        "y": "area",
        "highlight": story.area,
        "xlabel": "Delayed bed days per 1,000 people aged 75+ (latest 12 months)",
        "counts": RATE_COUNTS,
        "derived": RATE_DERIVED,
        "title": f"{story.area}: {rate_against_scotland(story.areas, story.area)} ({story.year.label})",
        "alt": f"Bar chart of delayed bed days per 1,000 people aged 75 and over for each locality "
        f"of {story.partnership}, the partnership and its comparators, with {story.area} highlighted.",
    }


def shares_table_args(story: RecordsStory, name: str, label: str, note: str | None = None) -> dict:
    column = _column(name)
    return {
        "data": story.breakdowns[name],
        "title": SHARE_TITLES[name](story),
        "labels": {**SHARE_LABELS, column: label},
        "note": note,
        **SHARES,
        "safe": SCOTLAND_SHARE,
        "formats": SHARE_FORMATS,
    }


def _column(name: str) -> str:
    extra = {
        "hospitals": "hospital",
        "specialties": "delay_specialty",
        "pathways": "specialty_pathway_named",
        "chapters": "icd10_chapter",
        "linked": "stay_match",
    }
    if name in BREAKDOWNS:
        return BREAKDOWNS[name][0]
    return PLAIN_BREAKDOWNS.get(name) or extra[name]


SHARE_TITLES = {
    "ages": lambda s: f"Delays and delayed bed days by age, {s.year.label}",
    "sexes": lambda s: f"Delays and delayed bed days by sex, {s.year.label}",
    "reasons": lambda s: f"Delays and delayed bed days by reason group, {s.year.label}",
    "subgroups": lambda s: f"Delays and delayed bed days by reason for delay, {s.year.label}",
    "lengths": lambda s: f"How long the delays lasted, {s.year.label}",
    "outcomes": lambda s: f"Where people went when their delay ended, {s.year.label}",
    "hospitals": lambda s: f"Hospitals where people from {s.area} were delayed, {s.year.label}",
    "specialties": lambda s: f"Specialties where people from {s.area} were delayed, {s.year.label}",
    "routes": lambda s: f"Delays by how the hospital stay began, {s.year.label}",
    "ae_routes": lambda s: (
        f"Delays by whether the stay began with an A&E attendance, {s.year.label}"
    ),
    "before": lambda s: (
        f"Days in hospital before the person was ready for discharge, {s.year.label}"
    ),
    "transfers": lambda s: f"Delays after a move between hospitals during the stay, {s.year.label}",
    "pathways": lambda s: (
        f"Specialty pathways: first and last specialty of the stay, {s.year.label}"
    ),
    "conditions": lambda s: f"Delays by reason for admission, {s.year.label}",
    "chapters": lambda s: (
        f"Delays by ICD-10 chapter of the main condition on admission, {s.year.label}"
    ),
    "preventable": lambda s: f"Delays after a potentially preventable admission, {s.year.label}",
}


def share_chart_title(story: RecordsStory, name: str) -> tuple[str, str]:
    """The title (the finding) and alt text of a shares chart."""
    label = story.year.label
    if name == "ages":
        return (
            f"{_share(story, 'ages', '75-84', '85+').capitalize()} of delayed bed days were of people "
            f"aged 75+ (Scotland: {scotland_share(story.breakdowns['ages'], 'age_band', ['75-84', '85+'])}), "
            f"{label}",
            "Bar chart of the share of delayed bed days in each age band, with Scotland's share marked.",
        )
    if name == "subgroups":
        top = _top(story, "subgroups")
        alt = (
            "Bar chart of the share of delayed bed days for each reason subgroup (assessment, care "
            "arrangements, funding, place availability, transport, patient and family reasons, "
            "code 9), with Scotland's share marked."
        )
        if top is None:
            return f"Delayed bed days by reason for delay, {label}", alt
        name_ = top["reason_subgroup"]
        return (
            f"{name_} is the commonest reason for delay: {_share(story, 'subgroups', name_)} of "
            f"delayed bed days (Scotland: "
            f"{scotland_share(story.breakdowns['subgroups'], 'reason_subgroup', [name_])}), {label}",
            alt,
        )
    if name == "outcomes":
        ended = _ended(story)
        finding = (
            f": {_share(story, 'outcomes', 'Placement', value='delays', of=ended)} of the delays that "
            "ended, ended in a care home placement"
            if ended > 0
            else ""
        )
        return (
            f"Where people went when their delay ended, {story.area}, {label}{finding}",
            "Bar chart of the share of delays by where the person went at the end of the delay: "
            "placement, home with home care, home, death, or still delayed.",
        )
    if name == "routes":
        return (
            f"{_share(story, 'routes', 'Emergency').capitalize()} of delayed bed days followed an "
            f"emergency admission (Scotland: "
            f"{scotland_share(story.breakdowns['routes'], 'admission_route', ['Emergency'])}), {label}",
            "Bar chart of the share of delayed bed days following an emergency, planned or other "
            "admission, with Scotland's share marked.",
        )
    if name == "ae_routes":
        return (
            f"{_share(story, 'ae_routes', 'Through A&E').capitalize()} of delayed bed days followed an "
            f"admission through A&E (Scotland: "
            f"{scotland_share(story.breakdowns['ae_routes'], 'ae_route', ['Through A&E'])}), {label}",
            "Bar chart of the share of delayed bed days whose hospital stay began through A&E or "
            "not, with Scotland's share marked.",
        )
    if name == "before":
        return (
            f"{_share(story, 'before', '0-6 days').capitalize()} of delayed bed days were of people "
            f"ready to leave within a week of admission (Scotland: "
            f"{scotland_share(story.breakdowns['before'], 'days_before_ready_band', ['0-6 days'])})",
            "Bar chart of the share of delayed bed days by how long the person had been in hospital "
            "before they were ready for discharge, with Scotland's share marked.",
        )
    if name == "conditions":
        top = _top(story, "conditions", exclude=["Other conditions", measures.NO_STAY])
        alt = (
            "Bar chart of the share of delayed bed days by the condition the person was admitted "
            "with (falls and fractures, stroke, cardiac, dementia and delirium, respiratory, "
            "infections, frailty-related, other), with Scotland's share marked."
        )
        if top is None:
            return f"Delayed bed days by reason for admission, {label}", alt
        name_ = top["condition_group"]
        return (
            f"{name_} was the commonest reason for admission: {_share(story, 'conditions', name_)} of "
            f"delayed bed days (Scotland: "
            f"{scotland_share(story.breakdowns['conditions'], 'condition_group', [name_])}), {label}",
            alt,
        )
    raise KeyError(f"no shares chart for {name!r}")


def shares_chart_args(story: RecordsStory, published: pd.DataFrame, name: str, **options) -> dict:
    share = options.pop("share", "share_of_bed_days")
    title, alt = share_chart_title(story, name)
    return {
        "data": published,
        "category": _column(name),
        "share": share,
        "title": title,
        "alt": alt,
        "comparator": "scotland_share_of_bed_days",
        "area_label": story.area,
        "counts": ["delays"],
        "derived": SHARES["derived"],
        "safe": SCOTLAND_SHARE,
        **options,
    }


# --- the published-figures path -------------------------------------------------------------


@dataclass
class Published:
    """PHS's published delayed bed days for the partnership and Scotland."""

    file: Path
    comparison: pd.DataFrame
    release: str

    @property
    def headline(self) -> pd.DataFrame:
        return opendata.delayed_discharge_headline(self.comparison)

    @property
    def last_year(self) -> pd.DataFrame:
        return opendata.delayed_discharge_year(self.comparison)


def published_figures(open_data_file, partnership_code: str) -> Published | None:
    """The partnership's published figures, or None when no open data file is found."""
    path = opendata.delayed_discharge_file(open_data_file)
    if path is None:
        return None
    comparison = opendata.delayed_discharge_comparison(
        opendata.read_delayed_discharges(path), partnership_code
    )
    release = opendata.file_release(path, "delayed_bed_days_ca", comparison["month"])
    return Published(path, comparison, release)


def _year_rows(published: Published):
    last_year = published.last_year
    return tuple(
        last_year[
            (last_year["level"] == level) & (last_year["reason_group"] == "All Delay Reasons")
        ].iloc[0]
        for level in ("Partnership", "Scotland")
    )


def published_key_messages(
    published: Published, area: str, partnership: str, *, threshold: int
) -> list[str]:
    """The key messages when the data have no delay records for the area."""
    mine, whole = _year_rows(published)
    reason = published.last_year.set_index(["level", "reason_group"])["share_of_bed_days"]
    t = threshold
    code_9 = (
        "Code 9 AWI" if ("Partnership", "Code 9 AWI") in reason.index else opendata.CODE_9_REASONS
    )
    return [
        f"The data have no delayed discharge records for {area}: these messages are from PHS's "
        f"published figures for {partnership} ({published.release}).",
        f"From {text.month(mine['first_month'])} to {text.month(mine['last_month'])}, people from "
        f"{partnership} spent {text.count(mine['bed_days'], threshold=t)} days in hospital after they "
        f"were ready to leave: on average {text.number(mine['average_daily_beds'], 0)} beds occupied "
        "every day.",
        f"Delays of people aged 75+ accounted for "
        f"{text.share(mine['bed_days_75plus'], mine['bed_days'], threshold=t)} of these bed days "
        f"(Scotland: {text.share(whole['bed_days_75plus'], whole['bed_days'], threshold=t)}).",
        f"Health and social care reasons accounted for "
        f"{text.percent(reason[('Partnership', 'Health and Social Care Reasons')])} of the bed days "
        f"(Scotland: {text.percent(reason[('Scotland', 'Health and Social Care Reasons')])}), and "
        f"code 9 for {text.percent(reason[('Partnership', code_9)])}.",
    ]


def published_trend_args(published: Published, partnership: str) -> dict:
    headline = published.headline
    change = {
        level: measures.compare_periods(rows, "bed_days", end=headline["month"].max())
        for level, rows in headline.groupby("level")
    }
    return {
        "data": headline,
        "y": "average_daily_beds",
        "panel": "area_name",
        "hue": "age",
        "ylabel": "Average daily delayed beds",
        "counts": ["bed_days"],
        "dims": ["month", "area_name", "age"],
        "derived": {"average_daily_beds": ["bed_days"]},
        "title": f"Published delayed bed days of {partnership} residents "
        f"{text.change(change['Partnership'].change)} in {change['Partnership'].label} on the year "
        f"before (Scotland: {text.change(change['Scotland'].change)}): average daily delayed beds, "
        f"{text.month(headline['month'].min())} to {text.month(headline['month'].max())}",
        "alt": f"Two line charts of average daily delayed beds each month from the PHS open data, "
        f"for {partnership} and for Scotland, one line for people aged 18 to 74 and one for 75 and over.",
        "note": f"Source: {published.release}. {opendata.WHERE_A_DELAY_BELONGS.split('. The partnership')[0]}.",
    }


def published_year_sentence(published: Published, partnership: str, *, threshold: int) -> str:
    mine, whole = _year_rows(published)
    t = threshold
    return (
        f"In the published figures, from {text.month(mine['first_month'])} to "
        f"{text.month(mine['last_month'])}, {partnership} had {text.count(mine['bed_days'], threshold=t)} "
        f"delayed bed days ({text.number(mine['average_daily_beds'], 0)} beds a day), "
        f"{text.share(mine['bed_days_75plus'], mine['bed_days'], threshold=t)} of them of people aged "
        f"75+ (Scotland: {text.share(whole['bed_days_75plus'], whole['bed_days'], threshold=t)})."
    )


def published_year_table_args(published: Published, partnership: str) -> dict:
    mine, _ = _year_rows(published)
    return {
        "data": published.last_year.drop(columns=["level", "first_month", "last_month"]),
        "title": f"Published delayed bed days by reason, {text.month(mine['first_month'])} to "
        f"{text.month(mine['last_month'])}: {partnership} and Scotland",
        "counts": ["bed_days", "bed_days_75plus"],
        "derived": {"share_of_bed_days": ["bed_days"], "average_daily_beds": ["bed_days"]},
        "formats": {"share_of_bed_days": "{:.1%}", "average_daily_beds": "{:,.1f}"},
        "labels": {
            "area_name": "Area",
            "reason_group": "Reason for delay (PHS open data groups)",
            "bed_days": "Bed days (18+)",
            "bed_days_75plus": "Bed days (75+)",
            "share_of_bed_days": "% of bed days",
            "average_daily_beds": "Beds a day",
        },
        "note": f"Source: {published.release}. Code 9 AWI: adults with incapacity.",
    }


def show_published(published: Published | None, partnership: str, *, threshold: int) -> None:
    """The section of PHS's published figures (either path)."""
    if published is None:
        report.note(
            f"No PHS open data file was found ({opendata.DELAYED_DISCHARGE_SOURCE}), so this "
            "section is skipped. Run with --open-data FOLDER (or set open_data_file, or "
            "open_data.delayed_discharges in params/defaults.yaml) to the downloaded CSV."
        )
        return
    report.figure(charts.area_panels, **published_trend_args(published, partnership))
    report.note(published_year_sentence(published, partnership, threshold=threshold))
    report.table(**published_year_table_args(published, partnership))


@dataclass
class PublishedStory:
    """The report without delay records: PHS's published figures, and a note in each
    section that needs records."""

    area: str
    partnership: str
    threshold: int
    published: Published

    def _note(self) -> None:
        report.note(
            f"Not shown: the data have no delayed discharge records for {self.area}; see the "
            "published figures."
        )

    def key_messages(self) -> list[str]:
        return published_key_messages(
            self.published, self.area, self.partnership, threshold=self.threshold
        )

    show_trend = show_older_ages = show_season = show_census = _note
    show_who = show_where = show_pathway = show_admission_reason = _note


def story(
    rpt: report.Report,
    *,
    source: str,
    open_data_dir,
    open_data_file,
    top_n: int,
) -> tuple[RecordsStory | PublishedStory, Published | None]:
    """The report's path, and PHS's published figures for its partnership (if found).
    `source`: "records", "open_data" or "auto" (records when the area has any)."""
    if source not in ("records", "open_data", "auto"):
        raise ValueError(f"source={source!r}: expected 'records', 'open_data' or 'auto'")
    delays = rpt.in_area(rpt.data.delays())
    published = published_figures(open_data_file, rpt.partnership.code)
    if source == "records" or (source == "auto" and len(delays) > 0):
        folder = opendata.open_data_folder(open_data_dir)
        return compute_records(rpt, delays, folder, top_n), published
    if published is None:
        raise ValueError(
            f"No delayed discharge records for {rpt.area} and no PHS open data file "
            f"({opendata.DELAYED_DISCHARGE_SOURCE}): nothing to report. Set open_data_file."
        )
    return PublishedStory(rpt.area, rpt.partnership.name, rpt.threshold, published), published
