"""What the unscheduled care report says: its key messages and the sentences of its
notes and titles, as plain functions of computed results (numbers through hscp.text,
with the disclosure threshold, so a sentence quotes a count only as a table shows it)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from hscp import measures, text
from hscp.workbooks.unscheduled_care.results import UnscheduledCare, indicator_of, rate_of

#: The age groups of "people aged 75 and over".
AGED_75_PLUS = ["75-84", "85+"]
#: The length of stay band of long stays.
LONG_STAY = "21+ days"
#: Why an area is compared with nothing: the data do not cover a wider area whole.
UNCOMPARED = "the data do not cover Scotland (see below)"
EMERGENCY_RATE = "age-sex standardised emergency admission rate"
FALLS_RATE = "rate of emergency admissions after a fall"
FALLS_UNIT = "per 1,000 aged 65+"


# --- the key messages, one function each ---------------------------------------------------


def admissions_message(
    area: str,
    admissions: measures.PeriodComparison,
    bed_days: measures.PeriodComparison,
    *,
    threshold: int,
    provisional_from=None,
) -> str:
    """Emergency admissions in the latest 12 months, their change on the 12 before, and
    the bed days they used (as average beds occupied a day); the provisional months
    named."""
    late = text.provisional(provisional_from, admissions.latest_end)
    return (
        f"From {admissions.label}{late}, {text.possessive(area)} residents had "
        f"{text.count(admissions.latest, threshold=threshold)} emergency admissions to hospital, "
        f"which {text.change(admissions.change)} on the 12 months before. They spent "
        f"{text.count(bed_days.latest, threshold=threshold)} days in hospital after an emergency "
        f"admission: {text.number(bed_days.latest / bed_days.days, 0)} beds occupied on an "
        "average day."
    )


def rate_comparison(
    area: str,
    row: pd.Series,
    comparator: str | None,
    comparator_rate: float | None,
    *,
    measure: str,
    unit: str,
    columns: tuple[str, str, str] = ("rate", "lower", "upper"),
) -> str:
    """An area's rate (its `columns`: rate, lower and upper 95% limits) against the
    comparator's, or alone when there is no comparator the data cover."""
    rate, lower, upper = (row[c] for c in columns)
    if comparator is None:
        return measures.describe_ci(
            area, rate, lower, upper, measure=measure, unit=unit, uncompared=UNCOMPARED
        )
    return measures.describe_ci_comparison(
        area, rate, lower, upper, comparator, comparator_rate, measure=measure, unit=unit
    )


def ppa_message(
    ppa: int, admissions: float, commonest: Mapping[str, int], *, threshold: int
) -> str:
    """The potentially preventable share of the latest 12 months' emergency admissions,
    and the commonest conditions (condition -> admissions, commonest first)."""
    listed = ", ".join(f"{c} ({text.count(n, threshold=threshold)})" for c, n in commonest.items())
    return (
        f"Of these admissions, {text.count(ppa, threshold=threshold)} "
        f"({text.share(ppa, admissions, threshold=threshold)}) were potentially preventable: for "
        "conditions where timely primary and community care can often prevent an admission. The "
        f"commonest were {listed}."
    )


def long_stays_message(los: pd.DataFrame, ages: pd.DataFrame, *, threshold: int) -> str:
    """Long stays' share of admissions and of bed days, and the share of bed days of
    people aged 75+. `los` and `ages` are bed day drivers (admissions and bed_days by
    los_band / age_group)."""
    los = los.set_index("los_band")
    ages = ages.set_index("age_group")
    return (
        "Stays of 21 days or more were "
        f"{text.share(los.loc[LONG_STAY, 'admissions'], los['admissions'].sum(), threshold=threshold)}"
        " of emergency admissions but used "
        f"{text.share(los.loc[LONG_STAY, 'bed_days'], los['bed_days'].sum(), threshold=threshold)}"
        " of emergency bed days; people aged 75 and over used "
        f"{text.share(ages.loc[AGED_75_PLUS, 'bed_days'].sum(), ages['bed_days'].sum(), threshold=threshold)}."
    )


def ae_message(
    attendances: float, within_4_hours: float, admitted: float, *, threshold: int
) -> str:
    """A&E attendances in the latest 12 months, the share within 4 hours and admitted."""
    return (
        f"There were {text.count(attendances, threshold=threshold)} A&E attendances: "
        f"{text.share(within_4_hours, attendances, threshold=threshold)} were completed within "
        "4 hours (the standard is 95%) and "
        f"{text.share(admitted, attendances, threshold=threshold)} were admitted."
    )


def frequent_message(per_person: pd.DataFrame, frequent_threshold: int, *, threshold: int) -> str:
    """How many people were frequent attenders (a row a person, with `frequent`,
    `attendances` and `admissions`), and their share of attenders, of attendances and
    of the admissions that followed."""
    frequent = per_person[per_person["frequent"]]
    people = len(frequent)
    return (
        f"In the same 12 months, {text.count(people, threshold=threshold)} people came to A&E "
        f"{frequent_threshold} or more times "
        f"({text.share(people, len(per_person), threshold=threshold)} of attenders); they made "
        f"{text.share(frequent['attendances'].sum(), per_person['attendances'].sum(), threshold=threshold)}"
        " of attendances and "
        f"{text.share(frequent['admissions'].sum(), per_person['admissions'].sum(), threshold=threshold)}"
        " of the admissions that followed one."
    )


def key_messages(uc: UnscheduledCare) -> list[str]:
    """The report's key messages, in the order of its sections."""
    t = uc.threshold
    widest = uc.widest
    here = rate_of(uc.rates, "Emergency admissions", uc.area)
    falls = indicator_of(uc.indicators, "NI16", uc.area)
    ae = uc.ae_year[["attendances", "admitted", "within_4_hours"]].sum()
    return [
        admissions_message(
            uc.area, uc.admissions, uc.bed_days, threshold=t, provisional_from=uc.provisional_from
        ),
        rate_comparison(
            uc.area,
            here,
            widest,
            rate_of(uc.rates, "Emergency admissions", widest)["easr"] if widest else None,
            measure=EMERGENCY_RATE,
            unit="per 1,000",
            columns=("easr", "easr_lower", "easr_upper"),
        ),
        ppa_message(
            len(uc.ppa_year),
            uc.admissions.latest,
            uc.ppa_year["ppa_condition"].value_counts().head(3).to_dict(),
            threshold=t,
        ),
        long_stays_message(uc.drivers["los_band"], uc.drivers["age_group"], threshold=t),
        ae_message(ae["attendances"], ae["within_4_hours"], ae["admitted"], threshold=t),
        frequent_message(uc.per_person, uc.frequent_threshold, threshold=t),
        rate_comparison(
            uc.area,
            falls,
            widest,
            indicator_of(uc.indicators, "NI16", widest)["rate"] if widest else None,
            measure=FALLS_RATE,
            unit=FALLS_UNIT,
        ),
    ]


# --- notes -----------------------------------------------------------------------------------


def indicator_notes(uc: UnscheduledCare, code: str, *, measure: str, unit: str) -> list[str]:
    """One sentence per comparator on a national indicator's rate (e.g. NI16 falls)."""
    here = indicator_of(uc.indicators, code, uc.area)
    return [
        rate_comparison(
            uc.area,
            here,
            other,
            indicator_of(uc.indicators, code, other)["rate"],
            measure=measure,
            unit=unit,
        )
        for other in uc.compared[1:]
    ]


def ppa_share_notes(uc: UnscheduledCare, published: pd.DataFrame) -> list[str]:
    """One sentence per comparator on the potentially preventable share, from the table
    as published (`ppa_share_table_args`, after disclosure control)."""
    shares = published.set_index("area")
    return [
        rate_comparison(
            uc.area,
            shares.loc[uc.area],
            other,
            shares.loc[other, "rate"],
            measure="share of emergency admissions that were potentially preventable",
            unit="%",
        )
        for other in uc.compared[1:]
    ]


def funnel_notes(localities: pd.DataFrame) -> list[str]:
    """Where each locality sits in the partnership's funnel, a sentence each."""
    return [
        measures.describe_funnel_position(row["area"], row["funnel_position"], "the partnership")
        for _, row in localities.iterrows()
    ]


# --- findings for titles ---------------------------------------------------------------------


def share_of(
    table: pd.DataFrame, group: str, values: Iterable[str], column: str, *, threshold: int
) -> str:
    """The named groups' share of a column of a table, as a sentence reads it (a small
    part reads 'a small share (fewer than N)')."""
    part = table.loc[table[group].astype(str).isin(list(values)), column].sum()
    return text.share(part, table[column].sum(), threshold=threshold)


def driver_findings(drivers: Mapping[str, pd.DataFrame], *, threshold: int) -> dict[str, str]:
    """What each bed day driver shows, for its chart's title: the share of admissions and
    of bed days of people aged 75+ and of long stays, and the clinical condition group
    with the most bed days. The ICD-10 chapters have a table only."""
    ages, los = drivers["age_group"], drivers["los_band"]
    named = drivers["condition_group"]
    named = named[named["condition_group"].astype(str) != "Other conditions"]
    top = str(named.sort_values("bed_days", ascending=False).iloc[0]["condition_group"])
    return {
        "age_group": f"People aged 75+ had "
        f"{share_of(ages, 'age_group', AGED_75_PLUS, 'admissions', threshold=threshold)} "
        "of emergency admissions but used "
        f"{share_of(ages, 'age_group', AGED_75_PLUS, 'bed_days', threshold=threshold)} "
        "of emergency bed days",
        "condition_group": f"Of the clinical condition groups, {top.lower()} used the most "
        "emergency bed days "
        f"({share_of(drivers['condition_group'], 'condition_group', [top], 'bed_days', threshold=threshold)})",
        "los_band": "Stays of 21+ days were "
        f"{share_of(los, 'los_band', [LONG_STAY], 'admissions', threshold=threshold)} "
        "of emergency admissions but used "
        f"{share_of(los, 'los_band', [LONG_STAY], 'bed_days', threshold=threshold)} "
        "of emergency bed days",
    }


def frequent_note(frequent_threshold: int) -> str:
    """Why the frequent attender comparators are missing."""
    return (
        f"Comparators are available for a frequent attender threshold of 2, 5 or 10 "
        f"attendances, not {frequent_threshold}."
    )


OVER_TIME_NOTE = "A period of 12 months or more is needed to follow frequent attenders over time."
PERSISTENCE_NOTE = "Two years of data are needed to see whether frequent attenders keep attending."
