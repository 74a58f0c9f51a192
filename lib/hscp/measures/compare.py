"""Saying whether an area is higher or lower than a comparator, only when the numbers support it.

Two tests, each with its plain-English wording:

- Confidence interval (for rates with an interval: EASR with Dobson limits,
  crude rates with Byar's limits). The area is higher than the comparator when
  the comparator's rate is below the area's 95% confidence interval, lower when
  it is above it, and otherwise not clearly different. This is how ScotPHO's
  profiles tool marks an area as statistically significantly higher or lower
  than Scotland (the comparator's rate treated as fixed: it rests on far more
  events than a locality's).
- Funnel plot (funnel.funnel_position): a locality outside its partnership's
  99.8% limits is higher or lower beyond what chance would explain; outside the
  95% limits only, it is possibly higher or lower ("worth a look"); within them,
  not different from the partnership beyond chance (Spiegelhalter 2005).

A missing rate or limit (e.g. suppressed to protect confidentiality) is never
read as a difference: the wording then says it could not be compared.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from hscp.measures._months import check_columns
from hscp.measures.funnel import ABOVE_95, ABOVE_998, BELOW_95, BELOW_998, WITHIN
from hscp.text import number, possessive

HIGHER, LOWER, SIMILAR, UNKNOWN = "higher", "lower", "no clear difference", "not compared"


def _missing(*values) -> bool:
    return any(v is None or (isinstance(v, float) and math.isnan(v)) for v in values)


def ci_comparison(lower: float | None, upper: float | None, comparator: float | None) -> str:
    """HIGHER if the comparator's rate is below the interval, LOWER if above, else SIMILAR.

    A comparator exactly on a limit is inside the interval (no clear difference).
    Any missing value gives UNKNOWN.
    """
    if _missing(lower, upper, comparator):
        return UNKNOWN
    if lower > upper:
        raise ValueError(f"the lower limit ({lower}) is above the upper limit ({upper})")
    if comparator < lower:
        return HIGHER
    if comparator > upper:
        return LOWER
    return SIMILAR


def describe_ci_comparison(
    area: str,
    rate: float | None,
    lower: float | None,
    upper: float | None,
    comparator: str,
    comparator_rate: float | None,
    *,
    measure: str = "rate",
    unit: str = "",
    digits: int = 1,
) -> str:
    """One sentence saying how an area's rate compares with a comparator's, from the CI.

    `measure` names the rate ("age-sex standardised emergency admission rate").

    >>> describe_ci_comparison("Stirling", 120.0, 110.0, 131.0, "Scotland", 100.0, unit="per 1,000")
    "Stirling's rate (120.0 per 1,000; 95% CI 110.0 to 131.0) is higher than Scotland's (100.0 per 1,000), by more than chance would explain."
    """
    unit_text = "" if not unit else unit if unit.startswith("%") else f" {unit}"
    verdict = ci_comparison(lower, upper, comparator_rate)
    if verdict == UNKNOWN or _missing(rate):
        return (
            f"{possessive(area)} {measure} could not be compared with {possessive(comparator)} (a rate or its "
            "confidence interval is not available, e.g. too few events to publish)."
        )
    own = (
        f"{possessive(area)} {measure} ({number(rate, digits)}{unit_text}; 95% CI "
        f"{number(lower, digits)} to {number(upper, digits)})"
    )
    theirs = f"{possessive(comparator)} ({number(comparator_rate, digits)}{unit_text})"
    # One reading: the interval test in words a lead reads once.
    if verdict == HIGHER:
        return f"{own} is higher than {theirs}, by more than chance would explain."
    if verdict == LOWER:
        return f"{own} is lower than {theirs}, by more than chance would explain."
    return f"{own} is similar to {theirs}: the difference could be chance."


def describe_ci(
    area: str,
    rate: float | None,
    lower: float | None,
    upper: float | None,
    *,
    measure: str = "rate",
    unit: str = "",
    digits: int = 1,
    uncompared: str = "",
) -> str:
    """An area's rate with its interval, compared with nothing (no comparator the data
    cover), and why: `uncompared` ends the sentence.

    >>> describe_ci("Stirling", 120.0, 110.0, 131.0, unit="per 1,000", uncompared="why")
    "Stirling's rate (120.0 per 1,000; 95% CI 110.0 to 131.0) is shown without a comparator: why."
    """
    unit_text = "" if not unit else unit if unit.startswith("%") else f" {unit}"
    if _missing(rate):
        return f"{possessive(area)} {measure} is not available (too few events to publish)."
    why = f": {uncompared}" if uncompared else ""
    return (
        f"{possessive(area)} {measure} ({number(rate, digits)}{unit_text}; 95% CI "
        f"{number(lower, digits)} to {number(upper, digits)}) is shown without a comparator{why}."
    )


def funnel_comparison(position: str | None) -> str:
    """HIGHER or LOWER when outside the 99.8% limits; "possibly higher"/"possibly lower"
    outside the 95% limits only; SIMILAR within them; UNKNOWN when missing."""
    if position is None or (isinstance(position, float) and math.isnan(position)):
        return UNKNOWN
    verdicts = {
        ABOVE_998: HIGHER,
        ABOVE_95: "possibly higher",
        WITHIN: SIMILAR,
        BELOW_95: "possibly lower",
        BELOW_998: LOWER,
    }
    if position not in verdicts:
        raise ValueError(f"unknown funnel position {position!r}; expected one of {list(verdicts)}")
    return verdicts[position]


def describe_funnel_position(area: str, position: str | None, comparator: str) -> str:
    """One sentence reading a locality's place in the funnel around the comparator's rate.

    >>> describe_funnel_position("Stirling", "within the 95% limits", "the partnership")
    "Stirling's rate is within the 95% limits around the partnership's rate: no different from the partnership's beyond what chance would explain."
    """
    verdict = funnel_comparison(position)
    if verdict == UNKNOWN:
        return f"{possessive(area)} rate could not be placed in the funnel (not available)."
    reading = {
        HIGHER: f"higher than {possessive(comparator)} beyond what chance would explain",
        LOWER: f"lower than {possessive(comparator)} beyond what chance would explain",
        "possibly higher": (
            f"possibly higher than {possessive(comparator)} (outside the 95% but within the 99.8% "
            "limits: worth a closer look, not yet clear evidence)"
        ),
        "possibly lower": (
            f"possibly lower than {possessive(comparator)} (outside the 95% but within the 99.8% "
            "limits: worth a closer look, not yet clear evidence)"
        ),
        SIMILAR: f"no different from {possessive(comparator)} beyond what chance would explain",
    }[verdict]
    return f"{possessive(area)} rate is {position} around {possessive(comparator)} rate: {reading}."


def comparison_table(
    table: pd.DataFrame,
    area: str,
    comparators: Sequence[str],
    *,
    by: str = "measure",
    rate: str = "rate",
    lower: str = "lower",
    upper: str = "upper",
    count: str | None = None,
) -> pd.DataFrame:
    """The area against each comparator, one row per `by` value (e.g. per measure).

    `table` has columns by, area, rate, lower, upper (e.g. unscheduled_rates with
    rate="easr"). Columns: by, rate, lower, upper (the area's), then for each
    comparator its rate (named after it) and "vs <comparator>": HIGHER, LOWER,
    SIMILAR or UNKNOWN (ci_comparison: the comparator's rate outside or inside the
    area's interval). With `count` (the column of the area's count of events), it
    comes after `by`, so the table can be published with its disclosure control.
    """
    check_columns(
        table, [by, "area", rate, lower, upper, *([count] if count else [])], "comparison_table"
    )
    rows = []
    for key, group in table.groupby(by, sort=False, observed=True):
        group = group.set_index("area")
        if area not in group.index:
            continue
        mine = group.loc[area]
        row = {by: key, **({count: mine[count]} if count else {})}
        row.update({rate: mine[rate], lower: mine[lower], upper: mine[upper]})
        for other in comparators:
            theirs = group[rate].get(other)
            row[other] = theirs
            value = None if theirs is None or pd.isna(theirs) else float(theirs)
            row[f"vs {other}"] = ci_comparison(
                None if pd.isna(mine[lower]) else float(mine[lower]),
                None if pd.isna(mine[upper]) else float(mine[upper]),
                value,
            )
        rows.append(row)
    out = pd.DataFrame(rows)
    # A suppressed count or rate (pd.NA beside numbers) must not turn its column into
    # objects: the numbers stay numbers, the missing ones NaN.
    numbers = [c for c in (count, rate, lower, upper, *comparators) if c and c in out]
    out[numbers] = out[numbers].apply(pd.to_numeric, errors="coerce")
    return out
