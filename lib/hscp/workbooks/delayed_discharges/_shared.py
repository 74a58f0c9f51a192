"""What both paths and every section share: the breakdowns, and numbers as published."""

from __future__ import annotations

import pandas as pd

from hscp import disclosure, measures, text

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
    """' (Scotland: 12.3%)': Scotland's share of bed days in the named rows of a breakdown,
    for a title; nothing when the breakdown has no Scotland (the data are not all of it)."""
    if "scotland_share_of_bed_days" not in table.columns:
        return ""
    share = measures.total_of(table, column, names, "scotland_share_of_bed_days")
    return f" (Scotland: {text.percent(share)})"


def rate_against_scotland(areas: pd.DataFrame, area: str) -> str:
    """'N delayed bed days ... per 1,000 aged 75+ ..., against M for Scotland', naming
    Scotland only when the table has a Scotland row (a real one: see
    opendata.delay_rate_comparators)."""
    rate = areas.drop_duplicates("area").set_index("area")["rate_75plus"]
    mine = f"{text.number(rate.get(area), 0)} delayed bed days a year per 1,000 people aged 75+"
    if "Scotland" in rate.index and not pd.isna(rate["Scotland"]):
        return f"{mine} (national indicator 19), against {text.number(rate['Scotland'], 0)} for Scotland"
    return f"{mine} (national indicator 19); Scotland's rate is not shown (see the rates table)"


def column_of(name: str) -> str:
    """The column a breakdown is by."""
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
