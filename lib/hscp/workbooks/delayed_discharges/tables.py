"""The records path's tables and figures: the arguments of each report.table and report.figure."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from hscp import measures, text
from hscp.workbooks.delayed_discharges._shared import (
    RATE_COLUMNS,
    RATE_COUNTS,
    RATE_DERIVED,
    SCOTLAND_SHARE,
    SHARE_FORMATS,
    SHARE_LABELS,
    SHARES,
    column_of,
    rate_against_scotland,
    scotland_share,
)
from hscp.workbooks.delayed_discharges.sentences import (
    ended_delays,
    largest_of,
    peak_month,
    share_in,
)

if TYPE_CHECKING:
    from hscp.workbooks.delayed_discharges.records import RecordsStory


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
        "title": f"People aged 75+ account for {share_in(story, 'ages', '75-84', '85+')} of delayed bed "
        f"days and people aged 65+ for {share_in(story, 'ages', '65-74', '75-84', '85+')} "
        f"({story.year.label}): each month, {story.area}",
        "alt": "Line chart of delayed bed days each month: one line for people aged 65 and over, "
        "one for people aged 75 and over.",
    }


def season_figure_args(story: RecordsStory) -> dict | None:
    peak = peak_month(story)
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
    column = column_of(name)
    return {
        "data": story.breakdowns[name],
        "title": SHARE_TITLES[name](story),
        "labels": {**SHARE_LABELS, column: label},
        "note": note,
        **SHARES,
        "safe": SCOTLAND_SHARE,
        "formats": SHARE_FORMATS,
    }


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
            f"{share_in(story, 'ages', '75-84', '85+').capitalize()} of delayed bed days were of people "
            f"aged 75+{scotland_share(story.breakdowns['ages'], 'age_band', ['75-84', '85+'])}, "
            f"{label}",
            "Bar chart of the share of delayed bed days in each age band, with Scotland's share marked.",
        )
    if name == "subgroups":
        top = largest_of(story, "subgroups")
        alt = (
            "Bar chart of the share of delayed bed days for each reason subgroup (assessment, care "
            "arrangements, funding, place availability, transport, patient and family reasons, "
            "code 9), with Scotland's share marked."
        )
        if top is None:
            return f"Delayed bed days by reason for delay, {label}", alt
        name_ = top["reason_subgroup"]
        return (
            f"{name_} is the commonest reason for delay: {share_in(story, 'subgroups', name_)} of "
            f"delayed bed days"
            f"{scotland_share(story.breakdowns['subgroups'], 'reason_subgroup', [name_])}, {label}",
            alt,
        )
    if name == "outcomes":
        ended = ended_delays(story)
        finding = (
            f": {share_in(story, 'outcomes', 'Placement', value='delays', of=ended)} of the delays that "
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
            f"{share_in(story, 'routes', 'Emergency').capitalize()} of delayed bed days followed an "
            f"emergency admission"
            f"{scotland_share(story.breakdowns['routes'], 'admission_route', ['Emergency'])}, {label}",
            "Bar chart of the share of delayed bed days following an emergency, planned or other "
            "admission, with Scotland's share marked.",
        )
    if name == "ae_routes":
        return (
            f"{share_in(story, 'ae_routes', 'Through A&E').capitalize()} of delayed bed days followed an "
            f"admission through A&E"
            f"{scotland_share(story.breakdowns['ae_routes'], 'ae_route', ['Through A&E'])}, {label}",
            "Bar chart of the share of delayed bed days whose hospital stay began through A&E or "
            "not, with Scotland's share marked.",
        )
    if name == "before":
        return (
            f"{share_in(story, 'before', '0-6 days').capitalize()} of delayed bed days were of people "
            f"ready to leave within a week of admission"
            f"{scotland_share(story.breakdowns['before'], 'days_before_ready_band', ['0-6 days'])}",
            "Bar chart of the share of delayed bed days by how long the person had been in hospital "
            "before they were ready for discharge, with Scotland's share marked.",
        )
    if name == "conditions":
        top = largest_of(story, "conditions", exclude=["Other conditions", measures.NO_STAY])
        alt = (
            "Bar chart of the share of delayed bed days by the condition the person was admitted "
            "with (falls and fractures, stroke, cardiac, dementia and delirium, respiratory, "
            "infections, frailty-related, other), with Scotland's share marked."
        )
        if top is None:
            return f"Delayed bed days by reason for admission, {label}", alt
        name_ = top["condition_group"]
        return (
            f"{name_} was the commonest reason for admission: {share_in(story, 'conditions', name_)} of "
            f"delayed bed days"
            f"{scotland_share(story.breakdowns['conditions'], 'condition_group', [name_])}, {label}",
            alt,
        )
    raise KeyError(f"no shares chart for {name!r}")


def shares_chart_args(story: RecordsStory, published: pd.DataFrame, name: str, **options) -> dict:
    share = options.pop("share", "share_of_bed_days")
    title, alt = share_chart_title(story, name)
    if "scotland_share_of_bed_days" not in published:
        alt = alt.replace(", with Scotland's share marked", "")
    return {
        "data": published,
        "category": column_of(name),
        "share": share,
        "title": title,
        "alt": alt,
        "comparator": (
            "scotland_share_of_bed_days" if "scotland_share_of_bed_days" in published else None
        ),
        "area_label": story.area,
        "counts": ["delays"],
        "derived": SHARES["derived"],
        "safe": SCOTLAND_SHARE,
        **options,
    }
