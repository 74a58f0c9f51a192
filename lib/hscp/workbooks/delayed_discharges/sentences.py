"""The records path in words: key messages and sentences, each quoting only published numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from hscp import measures, text
from hscp.workbooks.delayed_discharges._shared import (
    BREAKDOWNS,
    as_published,
    column_of,
    rate_against_scotland,
    share_of,
)

if TYPE_CHECKING:
    from hscp.workbooks.delayed_discharges.records import RecordsStory


# --- sentences of the records path ----------------------------------------------------------


def share_in(story: RecordsStory, name: str, *names, value: str = "bed_days", of=None) -> str:
    table = story.breakdowns[name]
    column = column_of(name)
    whole = story.year.latest if of is None else of
    return share_of(table, column, names, whole, threshold=story.threshold, value=value)


def ended_delays(story: RecordsStory) -> float:
    """Delays of the latest 12 months that ended (not still delayed), as published."""
    outcomes = as_published(story.breakdowns["outcomes"], story.threshold)
    return measures.total_of(outcomes, "outcome", "All", "delays") - measures.total_of(
        outcomes, "outcome", measures.STILL_DELAYED, "delays"
    )


def largest_of(story: RecordsStory, name: str, exclude=()):
    column = BREAKDOWNS[name][0]
    return measures.largest(
        as_published(story.breakdowns[name], story.threshold), column, exclude=exclude
    )


def peak_month(story: RecordsStory):
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
        f"Delays of people aged 75+ accounted for {share_in(story, 'ages', '75-84', '85+')} of these bed "
        f"days, and of people aged 65+ for {share_in(story, 'ages', '65-74', '75-84', '85+')}.",
        f"Health and social care reasons accounted for "
        f"{share_in(story, 'reasons', 'Health and Social Care Reasons')} of the bed days, and code 9 "
        f"(adults with incapacity and other complex reasons) for {share_in(story, 'reasons', 'Code 9')}.",
        f"Emergency admissions led to {share_in(story, 'routes', 'Emergency')} of the delayed bed days, "
        f"and admissions through A&E to {share_in(story, 'ae_routes', 'Through A&E')}.",
    ]
    top = largest_of(story, "conditions", exclude=["Other conditions", measures.NO_STAY])
    if top is not None:
        messages.append(
            f"The commonest reason for admission in the first place was {top['condition_group'].lower()} "
            f"({share_in(story, 'conditions', top['condition_group'])} of delayed bed days); "
            f"{share_in(story, 'preventable', 'Potentially preventable')} followed a potentially "
            "preventable admission."
        )
    ended = ended_delays(story)
    if ended > 0:
        messages.append(
            f"Of the {text.count(ended, threshold=t)} delays that ended, "
            f"{share_in(story, 'outcomes', 'Placement', value='delays', of=ended)} ended in a care home "
            f"placement and {share_in(story, 'outcomes', 'Home', 'Home with home care', value='delays', of=ended)} "
            "at home."
        )
    messages.append(
        f"At the {text.month(census['month'])} census, {text.count(census['delays_over_3_days'], threshold=t)} "
        f"people from {area} had been delayed more than 3 days"
        + median_clause(story.median_delay)
        + "."
    )
    messages.append(f"That is {rate_against_scotland(story.areas, area)}.")
    peak = peak_month(story)
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
