"""The report without delay records: PHS's published figures for the partnership and Scotland."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hscp import charts, measures, opendata, report, text

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
            f"PHS's published figures ({opendata.DELAYED_DISCHARGE_SOURCE}) were not available "
            "for this report, so this section is skipped."
        )
        report.analyst_note(
            "No PHS open data file was found. Run with --open-data FOLDER (or set "
            "open_data_file, or open_data.delayed_discharges in params/defaults.yaml) to the "
            "downloaded CSV."
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
