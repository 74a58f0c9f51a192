"""The unscheduled care report's figures: the keyword arguments of each report.figure
call (data, what is a count, title that states the finding, alt text, chart options)."""

from __future__ import annotations

import pandas as pd

from hscp import measures, text
from hscp.workbooks.unscheduled_care.results import (
    RATE_COLUMNS,
    UnscheduledCare,
    beside_scotland,
    indicator_of,
    rate_of,
)
from hscp.workbooks.unscheduled_care.tables import AE_COUNTS

#: The rolling 12-month rates charted against the comparators: value -> (y label, title).
ROLLING = {
    "admissions": (
        "Emergency admissions per 1,000 (12 months)",
        "Emergency admissions per 1,000 people in the 12 months to each month",
        "emergency admission rate per 1,000 people",
    ),
    "bed_days": (
        "Emergency bed days per 1,000 (12 months)",
        "Emergency bed days per 1,000 people in the 12 months to each month",
        "emergency bed day rate per 1,000 people",
    ),
    "ni16_falls": (
        "Falls per 1,000 aged 65+ (12 months)",
        "Emergency admissions after a fall per 1,000 people aged 65+ in the 12 months to each month",
        "falls admission rate per 1,000 people aged 65 and over",
    ),
}
#: The bed day drivers charted (the ICD-10 chapters are a table only): group -> words.
DRIVER_FIGURES = {
    "age_group": "age",
    "condition_group": "condition group",
    "los_band": "length of stay",
}
#: The profiles of frequent attenders: column -> words.
PROFILES = {"age_group": "age group", "diagnosis_group": "diagnosis (ICD-10 chapter)"}


def flows_figure_args(uc: UnscheduledCare) -> dict:
    """Emergency admissions by month of admission and stays by month of discharge."""
    flows = uc.monthly.melt(
        id_vars="month",
        value_vars=["admissions", "discharges"],
        var_name="measure",
        value_name="stays",
    ).replace({"measure": {"admissions": "Admitted", "discharges": "Discharged"}})
    return {
        "data": flows,
        "y": "stays",
        "hue": "measure",
        "ylabel": "Emergency stays",
        "counts": ["stays"],
        "dims": ["month", "measure"],
        "title": f"Emergency admissions of {text.possessive(uc.area)} residents each month: "
        f"{text.count(uc.admissions.latest, threshold=uc.threshold)} from {uc.year_label}, which "
        f"{text.change(uc.admissions.change)} on the 12 months before",
        "alt": "Line chart of emergency admissions by month of admission and emergency stays by "
        f"month of discharge, {uc.period_text}.",
    }


def rolling_figure_args(uc: UnscheduledCare, trend: pd.DataFrame, value: str) -> dict:
    """A rolling 12-month rate (`ROLLING`) of the area and its comparators."""
    ylabel, title, words = ROLLING[value]
    if value != "ni16_falls":
        title = f"{title}: {uc.area} and its comparators"
    args = {
        "data": trend,
        "y": "rate",
        "hue": "area",
        "highlight": uc.area,
        "hue_order": uc.compared,
        "ylabel": ylabel,
        "counts": [f"{value}_12m"],
        "derived": {"rate": [f"{value}_12m"]},
        "title": title,
        "alt": f"Line chart of the rolling 12-month {words} for " + ", ".join(uc.compared) + ".",
    }
    if value == "admissions":
        args["note"] = (
            "Crude rates (not age-standardised): each point is the 12 months to that month."
        )
    return args


def locality_trend_figure_args(uc: UnscheduledCare, trend: pd.DataFrame) -> dict:
    """The rolling 12-month emergency admission rate of each locality."""
    p = uc.partnership.name
    return {
        "data": trend,
        "y": "rate",
        "hue": "area",
        "highlight": uc.locality,
        "markers": False,
        "ylabel": ROLLING["admissions"][0],
        "counts": ["admissions_12m"],
        "derived": {"rate": ["admissions_12m"]},
        "title": f"{ROLLING['admissions'][1]}, the localities of {p}",
        "alt": f"Line chart of the rolling 12-month emergency admission rate of each locality of {p}.",
    }


def _others(uc: UnscheduledCare) -> str:
    """The comparators for an alt text (the partnership when the area is compared with
    nothing)."""
    return ", ".join(uc.compared[1:] or [uc.partnership.name])


def easr_ladder_figure_args(uc: UnscheduledCare) -> dict:
    """Each locality's and comparator's standardised emergency admission rate."""
    rates = uc.rates
    ladder = rates[
        (rates["measure"] == "Emergency admissions")
        & ((rates["area_type"] == "Locality") | rates["area"].isin(uc.compared))
    ]
    scotland = "Scotland" in uc.compared
    return {
        "data": ladder,
        "rate": "easr",
        "lower": "easr_lower",
        "upper": "easr_upper",
        "highlight": uc.area,
        "reference": rate_of(rates, "Emergency admissions", "Scotland")["easr"]
        if scotland
        else None,
        "reference_label": "Scotland",
        "xlabel": "Emergency admissions per 1,000, age-sex standardised (95% CI)",
        "counts": ["count"],
        "derived": {c: ["count"] for c in RATE_COLUMNS},
        "title": f"Age-sex standardised emergency admission rates, {uc.year_label}: each locality "
        f"of {uc.partnership.name}, the partnership and its comparators",
        "alt": "Dot and interval chart of the European age-sex standardised emergency admission "
        f"rate with its 95% confidence interval for each locality and for {_others(uc)}.",
    }


def funnel_figure_args(uc: UnscheduledCare, localities: pd.DataFrame, target: float) -> dict:
    """Each locality's crude emergency admission rate against the partnership's funnel."""
    p = uc.partnership.name
    return {
        "data": localities,
        "target": target,
        "highlight": uc.locality,
        "xlabel": "Population (residents of all ages)",
        "ylabel": "Emergency admissions per 1,000 (12 months)",
        "counts": ["count"],
        "derived": {c: ["count"] for c in ("rate", "easr", "easr_lower", "easr_upper")},
        "safe": [
            "lower",
            "upper",
        ],  # the funnel's limits: of the partnership's rate and a population
        "title": f"Emergency admission rates of {text.possessive(p)} localities against the "
        f"partnership's funnel, {uc.year_label}",
        "alt": "Funnel plot of the crude emergency admission rate per 1,000 people of each "
        f"locality of {p} against its population, with 95% and 99.8% control limits around the "
        "partnership's rate.",
    }


def ppa_conditions_figure_args(uc: UnscheduledCare, conditions: pd.DataFrame) -> dict:
    """The share of potentially preventable admissions by condition (beside Scotland's
    when the data cover it), titled with the commonest."""
    beside = beside_scotland(uc)
    mine = conditions[conditions["area"] == uc.area]
    commonest = mine.iloc[0]
    name = commonest["ppa_condition"]
    scotland = " beside Scotland's" if len(beside) > 1 else ""
    return {
        "data": conditions,
        "category": "ppa_condition",
        "share": "share",
        "group": "area",
        "group_order": beside,
        "xlabel": "Share of potentially preventable admissions (%)",
        "counts": ["admissions"],
        "derived": {"share": ["admissions"]},
        "dims": ["area", "ppa_condition"],
        "title": f"{name[:1].upper()}{name[1:]} was the commonest potentially preventable "
        f"admission of {text.possessive(uc.area)} residents "
        f"({text.share(commonest['admissions'], mine['admissions'].sum(), threshold=uc.threshold)}), "
        f"{uc.year_label}: shares by condition{scotland}",
        "alt": "Bar chart of the share of potentially preventable admissions for each condition, "
        f"{uc.area}" + (" beside Scotland." if len(beside) > 1 else "."),
    }


def ppa_monthly_figure_args(uc: UnscheduledCare) -> dict:
    return {
        "data": uc.ppa_monthly,
        "y": "ppa_admissions",
        "ylabel": "Potentially preventable admissions",
        "counts": ["ppa_admissions"],
        "title": f"Potentially preventable admissions of {text.possessive(uc.area)} residents each month",
        "alt": f"Line chart of potentially preventable emergency admissions each month, {uc.period_text}.",
    }


def driver_figure_args(uc: UnscheduledCare, group: str, finding: str) -> dict:
    """A bed day driver's share of admissions and of bed days, titled with its finding
    (`sentences.driver_findings`)."""
    table = uc.drivers[group]
    table = table[table["admissions"] + table["bed_days"] > 0]
    long = table.melt(
        id_vars=group,
        value_vars=["admissions_share", "bed_days_share"],
        var_name="measure",
        value_name="share",
    )
    long["count"] = table.melt(id_vars=group, value_vars=["admissions", "bed_days"])[
        "value"
    ].to_numpy()
    long["measure"] = long["measure"].map(
        {"admissions_share": "Admissions", "bed_days_share": "Bed days"}
    )
    long[group] = long[group].astype(str)
    return {
        "data": long,
        "category": group,
        "share": "share",
        "group": "measure",
        "xlabel": "Share of the area's emergency admissions and bed days (%)",
        "counts": ["count"],
        "derived": {"share": ["count"]},
        "title": f"{finding}, {uc.area}, {uc.year_label}",
        "alt": "Bar chart of the share of emergency admissions and of emergency bed days by "
        f"{DRIVER_FIGURES[group]}.",
    }


def ae_monthly_figure_args(uc: UnscheduledCare, y: str = "attendances") -> dict:
    """A&E attendances each month (`y="attendances"`) or the share within 4 hours
    (`y="percent_within_4_hours"`)."""
    common = {
        "data": uc.ae_monthly,
        "y": y,
        "counts": AE_COUNTS,
        "derived": {"percent_within_4_hours": ["within_4_hours", "attendances"]},
    }
    if y == "attendances":
        return {
            **common,
            "ylabel": "A&E attendances",
            "title": f"A&E attendances of {text.possessive(uc.area)} residents each month",
            "alt": f"Line chart of A&E attendances each month, {uc.period_text}.",
        }
    return {
        **common,
        "ylabel": "Within 4 hours (%)",
        "title": f"A&E attendances completed within 4 hours each month, {uc.area} (standard: 95%)",
        "alt": "Line chart of the percentage of A&E attendances completed within 4 hours each month.",
    }


def ae_week_figure_args(uc: UnscheduledCare) -> dict:
    """The latest 12 months' A&E attendances by day of the week and hour of arrival."""
    return {
        "data": measures.ae_profile(uc.latest_ae, ["arrival_weekday", "arrival_hour"]),
        "row": "arrival_weekday",
        "column": "arrival_hour",
        "value": "attendances",
        "row_order": measures.WEEKDAYS,
        "xlabel": "Hour of arrival",
        "ylabel": "",
        "colorbar_label": "Attendances",
        "counts": ["attendances", "within_4_hours"],
        "derived": {"percent_within_4_hours": ["attendances", "within_4_hours"]},
        "dims": ["arrival_weekday", "arrival_hour"],
        "safe": ["arrival_hour"],
        "title": f"A&E attendances by day of the week and hour of arrival, {uc.area}, {uc.year_label}",
        "alt": "Heat map of A&E attendances by day of the week (rows, Monday to Sunday) and hour "
        "of arrival (columns, 0 to 23); darker cells have more attendances.",
    }


def band_shares(bands: pd.DataFrame) -> pd.DataFrame:
    """The attender bands long: the share of people, of attendances and of admissions
    in each band, with the count each share comes from."""
    shares = bands.melt(
        id_vars="band",
        value_vars=["people_share", "attendances_share", "admissions_share"],
        var_name="measure",
        value_name="share",
    )
    shares["count"] = bands.melt(
        id_vars="band", value_vars=["people", "attendances", "admissions"]
    )["value"].to_numpy()
    shares["measure"] = shares["measure"].map(
        {
            "people_share": "People",
            "attendances_share": "Attendances",
            "admissions_share": "Admissions that followed",
        }
    )
    shares["band"] = (
        shares["band"].astype(str).map(lambda b: f"{b} attendance{'' if b == '1' else 's'}")
    )
    return shares


def band_shares_figure_args(uc: UnscheduledCare, bands: pd.DataFrame) -> dict:
    """The share of people, attendances and admissions by attendances a person made,
    titled with the frequent attenders' shares."""
    per_person, frequent = uc.per_person, uc.frequent
    t = uc.threshold
    return {
        "data": band_shares(bands),
        "category": "band",
        "share": "share",
        "group": "measure",
        "xlabel": "Share (%)",
        "counts": ["count"],
        "derived": {"share": ["count"]},
        "title": f"People with {uc.frequent_threshold}+ attendances were "
        f"{text.share(len(frequent), len(per_person), threshold=t)} of attenders but made "
        f"{text.share(frequent['attendances'].sum(), per_person['attendances'].sum(), threshold=t)} "
        f"of attendances, {uc.area}, {uc.year_label}",
        "alt": "Bar chart of the share of people, of attendances and of admissions that followed, "
        "by the number of attendances a person made in 12 months (1, 2 to 4, 5 to 9, 10 or more).",
    }


def frequent_over_time_figure_args(uc: UnscheduledCare, over_time: pd.DataFrame) -> dict:
    n = uc.frequent_threshold
    return {
        "data": over_time,
        "y": "frequent_people",
        "ylabel": f"People with {n}+ attendances",
        "counts": [
            "frequent_people",
            "people",
            "attendances",
            "frequent_attendances",
            "admissions",
            "frequent_admissions",
        ],
        "title": f"Frequent A&E attenders ({n}+ attendances) in the 12 months to each month, {uc.area}",
        "alt": "Line chart of the number of people with at least the threshold number of A&E "
        "attendances in the 12 months to each month.",
    }


def frequent_profile_figure_args(uc: UnscheduledCare, profile: pd.DataFrame, column: str) -> dict:
    """The attendances of frequent and other attenders by `column` (`PROFILES`)."""
    words = PROFILES[column]
    return {
        "data": profile,
        "category": column,
        "share": "share",
        "group": "group",
        "group_order": ["Frequent attenders", "Other attenders"],
        "xlabel": "Share of the group's attendances (%)",
        "counts": ["attendances"],
        "derived": {"share": ["attendances"]},
        "dims": [column, "group"],
        "title": f"A&E attendances of frequent and other attenders by {words}, {uc.area}, "
        f"{uc.year_label}",
        "alt": f"Bar chart comparing the {words} of attendances by frequent attenders and by "
        "other attenders.",
    }


def falls_ladder_figure_args(uc: UnscheduledCare) -> dict:
    """Each locality's and comparator's falls admission rate (NI16)."""
    indicators = uc.indicators
    ladder = indicators[
        (indicators["indicator"] == "NI16")
        & ((indicators["area_type"] == "Locality") | indicators["area"].isin(uc.compared))
    ]
    scotland = "Scotland" in uc.compared
    return {
        "data": ladder,
        "rate": "rate",
        "lower": "lower",
        "upper": "upper",
        "highlight": uc.area,
        "reference": indicator_of(indicators, "NI16", "Scotland")["rate"] if scotland else None,
        "reference_label": "Scotland",
        "xlabel": "Falls admissions per 1,000 people aged 65+ (95% CI)",
        "counts": ["numerator"],
        "derived": {c: ["numerator"] for c in ("rate", "lower", "upper")},
        "safe": ["denominator"],  # the population aged 65+
        "title": f"Emergency admissions after a fall per 1,000 people aged 65+, {uc.year_label}",
        "alt": "Dot and interval chart of the falls admission rate per 1,000 people aged 65 and "
        f"over with its 95% confidence interval for each locality and for {_others(uc)}.",
    }


def readmissions_figure_args(uc: UnscheduledCare) -> dict:
    """Emergency readmissions within 28 days per 1,000 discharges each month."""
    return {
        "data": measures.readmission_rate(uc.stays, uc.start, uc.end),
        "y": "rate_per_1000",
        "ylabel": "Readmissions per 1,000 discharges",
        "counts": ["discharges", "readmissions"],
        "derived": {"rate_per_1000": ["readmissions", "discharges"]},
        "title": f"Emergency readmissions within 28 days per 1,000 discharges each month, {uc.area}",
        "alt": "Line chart of emergency readmissions within 28 days per 1,000 discharges each month.",
    }
