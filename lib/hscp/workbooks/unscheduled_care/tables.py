"""The unscheduled care report's tables: the keyword arguments of each report.table call
(data, which columns are counts and which derive from them, formats, labels, notes)."""

from __future__ import annotations

import pandas as pd

from hscp import measures
from hscp.workbooks.unscheduled_care.results import RATE_COLUMNS, UnscheduledCare

#: The counts of an A&E table, and the shares and percentages that derive from them.
AE_COUNTS = ["attendances", "within_4_hours", "admitted", "ambulance"]
AE_DERIVED = {
    "rate": ["attendances"],
    "easr": ["attendances"],
    "admitted_share": ["admitted"],
    "ambulance_share": ["ambulance"],
    "percent_within_4_hours": ["within_4_hours"],
}
#: The A&E breakdowns of the latest 12 months: column -> label.
AE_BREAKDOWNS = {
    "arrival_mode": "Arrival mode",
    "discharge_destination": "Discharge destination",
    "referral_source": "Referral source",
}
#: The bed day drivers: group -> (label, words).
DRIVERS = {
    "age_group": ("Age group", "age"),
    "condition_group": ("Condition group", "condition group"),
    "icd10_chapter": ("Main condition (ICD-10 chapter)", "main condition (ICD-10 chapter)"),
    "los_band": ("Length of stay", "length of stay"),
}
_CI = {"lower": "Lower 95% CI", "upper": "Upper 95% CI"}
_PERCENT = "{:.1%}"


def _against(uc: UnscheduledCare) -> dict[str, str]:
    return {f"vs {c}": f"Against {c}" for c in uc.compared[1:]}


def monthly_table_args(uc: UnscheduledCare) -> dict:
    """Emergency admissions, discharges and bed days by month, the latest 12 months."""
    return {
        "data": uc.monthly[uc.monthly["month"] >= uc.year_start],
        "title": f"Emergency admissions, discharges and bed days by month, {uc.area}, {uc.year_label}",
        "counts": [
            "admissions",
            "discharges",
            "bed_days",
            "admissions_12m",
            "discharges_12m",
            "bed_days_12m",
        ],
        "labels": {
            "admissions_12m": "Admissions (12 months)",
            "discharges_12m": "Discharges (12 months)",
            "bed_days_12m": "Bed days (12 months)",
        },
        "note": "The 12-month columns are the totals of the 12 months to each month.",
    }


def rates_table_args(uc: UnscheduledCare) -> dict:
    """The crude and standardised rates of the area and its comparators."""
    shown = uc.rates[uc.rates["area"].isin(uc.compared)].copy()
    shown["area_type"] = shown["area_type"].astype(str)
    year = int(uc.rates["population_year"].iloc[0])
    return {
        "data": shown.drop(columns=["population_year"]),
        "title": "Emergency admissions, bed days, potentially preventable admissions and A&E "
        f"attendances per 1,000 people, {uc.year_label}",
        "counts": ["count"],
        "derived": {c: ["count"] for c in RATE_COLUMNS},
        "formats": {"population": "{:,.0f}"},
        "labels": {
            "area_type": "Area type",
            "rate": "Crude rate",
            **_CI,
            "easr": "EASR",
            "easr_lower": "EASR lower 95% CI",
            "easr_upper": "EASR upper 95% CI",
        },
        "note": f"Per 1,000 people; population: mid-{year} estimates.",
    }


def rate_verdicts_table_args(uc: UnscheduledCare) -> dict:
    """How the area's standardised rates compare with each comparator's."""
    others = uc.compared[1:]
    verdicts = measures.comparison_table(
        uc.rates,
        uc.area,
        others,
        rate="easr",
        lower="easr_lower",
        upper="easr_upper",
        count="count",
    ).drop(columns=others)  # their rates are in the rates table
    return {
        "data": verdicts,
        "counts": ["count"],
        "derived": {c: ["count"] for c in ("easr", "easr_lower", "easr_upper")},
        "title": f"How {measures.possessive(uc.area)} age-sex standardised rates compare, {uc.year_label}",
        "labels": {
            "count": "Count",
            "easr": f"{uc.area} EASR per 1,000",
            "easr_lower": "Lower 95% CI",
            "easr_upper": "Upper 95% CI",
            **_against(uc),
        },
        "note": "Higher or lower: the comparator's rate is outside the area's 95% confidence "
        "interval; no clear difference: inside it. Bed days have no interval, so they are not "
        "compared.",
    }


def localities_table_args(uc: UnscheduledCare, localities: pd.DataFrame) -> dict:
    """Each locality's emergency admissions, crude rate, place in the funnel and EASR."""
    columns = ["area", "population", "count", "rate", "funnel_position", "easr", "easr_lower", "easr_upper"]  # fmt: skip
    return {
        "data": localities[columns],
        "title": f"Emergency admissions by locality, {uc.year_label}: crude rate, place in the "
        "funnel, and age-sex standardised rate",
        "counts": ["count"],
        "derived": {
            c: ["count"] for c in ("rate", "easr", "easr_lower", "easr_upper", "funnel_position")
        },
        "formats": {"population": "{:,.0f}"},
        "labels": {
            "area": "Locality",
            "count": "Emergency admissions",
            "rate": "Crude rate per 1,000",
            "funnel_position": "Against the partnership's funnel",
            "easr": "EASR per 1,000",
            "easr_lower": "Lower 95% CI",
            "easr_upper": "Upper 95% CI",
        },
    }


def ppa_share_table_args(uc: UnscheduledCare, shares: pd.DataFrame) -> dict:
    """Potentially preventable admissions as a share of emergency admissions."""
    return {
        "data": shares,
        "title": "Potentially preventable admissions as a share of emergency admissions, "
        f"{uc.year_label}",
        "counts": ["emergency_admissions", "ppa"],
        "derived": {c: ["ppa", "emergency_admissions"] for c in ("rate", "lower", "upper")},
        "formats": {"rate": "{:.1f}%", "lower": "{:.1f}%", "upper": "{:.1f}%"},
        "labels": {
            "emergency_admissions": "Emergency admissions",
            "ppa": "Potentially preventable",
            "rate": "Share",
            **_CI,
        },
    }


def ppa_conditions_table_args(uc: UnscheduledCare, conditions: pd.DataFrame) -> dict:
    """The area's potentially preventable admissions by condition, with Scotland's shares."""
    area = uc.area
    wide = conditions.pivot_table(
        index="ppa_condition", columns="area", values=["admissions", "share"], aggfunc="sum"
    )
    wide.columns = [f"{a} {v}" for v, a in wide.columns]
    order = conditions.loc[conditions["area"] == area, "ppa_condition"].tolist()
    wide = wide.reindex(order).reset_index()
    return {
        "data": wide.filter(
            ["ppa_condition", f"{area} admissions", f"{area} share", "Scotland share"]
        ),
        "title": f"Potentially preventable admissions by condition, {area}, {uc.year_label}",
        "counts": [f"{area} admissions"],
        "safe": ["Scotland share"],  # of Scotland's admissions
        "derived": {f"{area} share": [f"{area} admissions"]},
        "formats": {f"{area} share": _PERCENT, "Scotland share": _PERCENT},
        "labels": {
            "ppa_condition": "Condition",
            f"{area} admissions": "Admissions",
            f"{area} share": f"Share ({area})",
            "Scotland share": "Share (Scotland)",
        },
    }


def driver_table_args(uc: UnscheduledCare, group: str) -> dict:
    """Emergency admissions and bed days by a driver (`DRIVERS`); the ICD-10 chapters
    with the most bed days first."""
    label, words = DRIVERS[group]
    table = uc.drivers[group]
    table = table[table["admissions"] + table["bed_days"] > 0]
    if group == "icd10_chapter":
        table = table.sort_values("bed_days", ascending=False)
    return {
        "data": table,
        "title": f"Emergency admissions and bed days by {words}, {uc.area}, {uc.year_label}",
        "counts": ["admissions", "bed_days"],
        "derived": {"admissions_share": ["admissions"], "bed_days_share": ["bed_days"]},
        "formats": {"admissions_share": _PERCENT, "bed_days_share": _PERCENT},
        "labels": {
            group: label,
            "admissions_share": "Share of admissions",
            "bed_days_share": "Share of bed days",
        },
        "note": "Admissions admitted in the 12 months; bed days are the nights in hospital in "
        "the 12 months.",
    }


def ae_breakdown_table_args(uc: UnscheduledCare, column: str) -> dict:
    """The latest 12 months' A&E attendances by `column` (`AE_BREAKDOWNS`)."""
    label = AE_BREAKDOWNS[column]
    return {
        "data": measures.ae_breakdown(uc.latest_ae, column),
        "title": f"A&E attendances by {label.lower()}, {uc.area}, {uc.year_label}",
        "counts": ["attendances", "admitted", "within_4_hours"],
        "derived": {
            "share": ["attendances"],
            "admitted_share": ["admitted", "attendances"],
            "percent_within_4_hours": ["within_4_hours", "attendances"],
        },
        "formats": {
            "share": _PERCENT,
            "admitted_share": _PERCENT,
            "percent_within_4_hours": "{:.1f}%",
        },
        "labels": {
            column: label,
            "share": "Share",
            "admitted_share": "Share admitted",
            "within_4_hours": "Within 4 hours",
            "percent_within_4_hours": "% within 4 hours",
        },
    }


def ae_areas_table_args(uc: UnscheduledCare, areas: pd.DataFrame) -> dict:
    """A&E attendances, admissions and the 4-hour standard in the area and its comparators."""
    return {
        "data": areas.drop(columns=["area_type"]),
        "title": f"A&E attendances, admissions and the 4-hour standard: {uc.area} and its "
        f"comparators, {uc.year_label}",
        "counts": AE_COUNTS,
        "derived": AE_DERIVED,
        "formats": {
            "admitted_share": _PERCENT,
            "ambulance_share": _PERCENT,
            "percent_within_4_hours": "{:.1f}%",
        },
        "labels": {
            "rate": "Per 1,000",
            "easr": "EASR per 1,000",
            "admitted_share": "Share admitted",
            "ambulance": "By ambulance",
            "ambulance_share": "Share by ambulance",
            "within_4_hours": "Within 4 hours",
            "percent_within_4_hours": "% within 4 hours",
        },
    }


def attender_bands_table_args(uc: UnscheduledCare, bands: pd.DataFrame) -> dict:
    """People, attendances and admissions by the attendances a person made."""
    return {
        "data": bands,
        "title": f"People by number of A&E attendances in {uc.year_label}, {uc.area}",
        "counts": ["people", "attendances", "admissions"],
        "derived": {
            "people_share": ["people"],
            "attendances_share": ["attendances"],
            "admissions_share": ["admissions"],
        },
        "formats": {
            "people_share": _PERCENT,
            "attendances_share": _PERCENT,
            "admissions_share": _PERCENT,
        },
        "labels": {
            "band": "Attendances in 12 months",
            "admissions": "Admissions that followed",
            "people_share": "Share of people",
            "attendances_share": "Share of attendances",
            "admissions_share": "Share of admissions",
        },
    }


def frequent_areas_table_args(uc: UnscheduledCare, areas: pd.DataFrame) -> dict:
    """Frequent attenders in the area and its comparators (`compute.frequent_by_area`)."""
    shares = [
        "frequent_people_share",
        "frequent_attendances_share",
        "frequent_admissions_share",
    ]
    columns = [
        "area",
        "people",
        "frequent_people",
        "frequent_people_share",
        "frequent_attendances",
        "frequent_attendances_share",
        "frequent_admissions",
        "frequent_admissions_share",
    ]
    return {
        "data": areas[columns],
        "title": f"Frequent A&E attenders ({uc.frequent_threshold}+ attendances in 12 months): "
        f"{uc.area} and its comparators, {uc.year_label}",
        "counts": ["people", "frequent_people", "frequent_attendances", "frequent_admissions"],
        "derived": {s: [s.removesuffix("_share")] for s in shares},
        "formats": {s: _PERCENT for s in shares},
        "labels": {
            "people": "Attenders",
            "frequent_people": "Frequent attenders",
            "frequent_attendances": "Their attendances",
            "frequent_admissions": "Their admissions",
            "frequent_people_share": "Share of attenders",
            "frequent_attendances_share": "Share of attendances",
            "frequent_admissions_share": "Share of admissions",
        },
    }


def persistence_table_args(uc: UnscheduledCare, persistence: pd.DataFrame) -> dict:
    return {
        "data": persistence,
        "title": f"What became of the previous 12 months' frequent attenders in {uc.year_label}, "
        f"{uc.area}",
        "counts": ["people"],
        "derived": {"share": ["people"]},
        "formats": {"share": _PERCENT},
        "labels": {"outcome": "In the latest 12 months", "people": "People"},
        "note": "Frequent attendance is often short-lived: many frequent attenders of one year "
        "attend less the next, so a service for them should expect a changing group.",
    }


def indicators_table_args(uc: UnscheduledCare) -> dict:
    """Acute emergency admission and bed day rates, NI14 and NI16 of the area and its
    comparators."""
    summary = uc.indicators[uc.indicators["area"].isin(uc.compared)]
    return {
        "data": summary.drop(columns=["area_type"]),
        "title": f"Acute emergency admission and bed day rates, NI14 and NI16: {uc.area} and its comparators, "
        f"{uc.year_label}",
        "counts": ["numerator", "denominator"],  # NI14's denominator is discharges
        "derived": {c: ["numerator"] for c in ("rate", "lower", "upper")},
        "formats": {"denominator": "{:,.0f}"},
        "labels": {
            "indicator": "Indicator",
            "name": "Measure",
            "rate": "Rate",
            **_CI,
            "unit": "Unit",
        },
        "note": "No confidence interval for bed days: they come in stays, not one at a time. The "
        "acute rates count acute hospital (SMR01) stays only; the integration indicators "
        "report has NI12 and NI13 themselves.",
    }


def indicator_verdicts_table_args(uc: UnscheduledCare) -> dict:
    """How the area compares with each comparator on the national indicators."""
    others = uc.compared[1:]
    table = measures.comparison_table(
        uc.indicators, uc.area, others, by="name", count="numerator"
    ).drop(columns=others)
    return {
        "data": table,
        "counts": ["numerator"],
        "derived": {c: ["numerator"] for c in ("rate", "lower", "upper")},
        "title": f"How {uc.area} compares on the national indicators, {uc.year_label}",
        "labels": {
            "name": "Indicator",
            "numerator": "Count",
            "rate": uc.area,
            **_CI,
            **_against(uc),
        },
        "note": "Higher or lower: the comparator's rate is outside the area's 95% confidence "
        "interval.",
    }
