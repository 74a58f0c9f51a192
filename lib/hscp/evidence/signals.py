"""Signals: the findings a partnership lead must not miss, found by rules over the
computed results, so a sentence about the partnership never hides a signal in one of
its localities.

Each rule is a small function over a table the reports already compute (the
performance summary and impact of the tests of change, the register's figures and
comparisons, the delay rates) and returns `Signal`s; `find` runs them all and
`messages` turns them into key messages for a report's area. The rules:

- special_causes: a measure's latest month is special cause (Making Data Count) in any
  area, the partnership or a locality;
- worse_than_scotland: a rate whose 95% interval lies on the worse side of Scotland's;
- delays_above_scotland: delayed bed days per 1,000 adults more than a tenth above
  Scotland's (bed days are not independent events, so no interval is claimed);
- test_of_change_results: what each test of change did to the measures it was meant
  to move (the performance report's impact table);
- coinciding_changes: a headline figure of an area that changed by 15% or more over
  the latest 12 months while a test of change on it was running there;
- diverging_localities: a locality whose headline count rose by 5% or more while the
  partnership's fell.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from hscp import text
from hscp.geography import Partnership

SPECIAL_CAUSE = "special cause"
WORSE_THAN_SCOTLAND = "worse than Scotland"
TEST_OF_CHANGE = "test of change"
COINCIDING = "change during a test of change"
DIVERGING = "locality against the partnership"

#: Rates compared with Scotland by their interval, with the side that is worse.
COMPARED = {
    "emergency_admission_easr": ("emergency admissions (age-sex standardised)", "higher"),
    "ppa_easr": ("potentially preventable admissions (age-sex standardised)", "higher"),
    "ae_attendance_easr": ("A&E attendances (age-sex standardised)", "higher"),
    "ae_4_hour_percent": ("A&E attendances seen within 4 hours", "lower"),
    "ni14_readmission_rate": ("readmissions within 28 days", "higher"),
    "ni16_falls_rate": ("emergency admissions after a fall, aged 65+", "higher"),
}

#: Headline counts whose 12-month change is read for every area (lower is better).
COUNTS = {
    "emergency_admissions": "emergency admissions",
    "emergency_bed_days": "emergency bed days",
    "ae_attendances": "A&E attendances",
    "delayed_bed_days": "delayed discharge bed days",
}

#: The performance measure a test of change names, as the register's key.
MEASURE_KEYS = {
    "emergency_admissions": "emergency_admissions",
    "unscheduled_bed_days": "emergency_bed_days",
    "ae_attendances": "ae_attendances",
    "delayed_bed_days": "delayed_bed_days",
}

#: A finding in this many areas or more is told once, naming the areas.
MANY_AREAS = 3
DELAY_MARGIN = 0.10
COINCIDING_CHANGE = 0.15
DIVERGING_CHANGE = 0.05


@dataclass(frozen=True)
class Signal:
    """One finding: which rule found it, where, on which measure, and whether it is a
    concern (True), good news (False) or neither (None)."""

    rule: str
    area: str
    area_type: str  # "partnership" or "locality"
    measure: str  # a register key or a performance measure name
    label: str  # the measure in words, lower case
    concern: bool | None
    detail: str  # the finding in a clause, without the area
    test: str | None = None  # the test of change it is about
    since: pd.Timestamp | None = None  # when that test began
    #: The same finding in many areas reads as one sentence: what is found (topic) and
    #: each area's number (value), e.g. ("delayed ... above Scotland's 149", "384").
    topic: str | None = None
    value: str = ""

    def sentence(self) -> str:
        return f"{self.area}: {self.detail}."


# --- the rules --------------------------------------------------------------------------------


def special_causes(summary: pd.DataFrame) -> list[Signal]:
    """Every area's measures whose latest month is special cause (the performance
    summary: area, area_type, measure, label, latest_month, variation)."""
    out = []
    rows = summary[summary["variation"].astype(str).str.startswith("special_cause")]
    for r in rows.itertuples(index=False):
        kind = str(r.variation).removeprefix("special_cause_")
        concern = {"concern": True, "improvement": False}.get(kind)
        what = {"concern": "concern", "improvement": "improvement"}.get(
            kind, "neither better nor worse"
        )
        out.append(
            Signal(
                SPECIAL_CAUSE, r.area, r.area_type, r.measure, text.lower_first(r.label), concern,
                f"special cause {what} in {text.lower_first(r.label)} "
                f"({pd.Timestamp(r.latest_month):%B %Y})",
                topic=f"special cause {what} in {text.lower_first(r.label)} "
                f"({pd.Timestamp(r.latest_month):%B %Y})",
            )
        )  # fmt: skip
    return out


def worse_than_scotland(register: pd.DataFrame) -> list[Signal]:
    """Rates of the partnership or a locality whose 95% interval is on the worse side of
    Scotland's rate (register column vs_scotland)."""
    out = []
    mine = register[register["area_type"].isin(["partnership", "locality"])]
    scotland = register[register["area"] == "Scotland"].set_index("key")["value"]
    for key, (label, worse) in COMPARED.items():
        rows = mine[(mine["key"] == key) & (mine["vs_scotland"] == worse)]
        for r in rows.itertuples(index=False):
            unit = "%" if key == "ae_4_hour_percent" else " per 1,000"
            theirs = scotland.get(key, math.nan)
            out.append(
                Signal(
                    WORSE_THAN_SCOTLAND, r.area, r.area_type, key, label, True,
                    f"{label} {_value(r.value, unit)}, {worse} than Scotland's "
                    f"{_value(theirs, unit)} (beyond the 95% confidence interval)",
                    topic=f"{label} {worse} than Scotland's {_value(theirs, unit)} (beyond the "
                    "95% confidence interval)",
                    value=_value(r.value, unit),
                )
            )  # fmt: skip
    return out


def delays_above_scotland(
    delay_rates: pd.DataFrame, margin: float = DELAY_MARGIN, threshold: int = 10
) -> list[Signal]:
    """Areas whose delayed bed days per 1,000 adults are more than `margin` above
    Scotland's (delay_rates: area, level, rate_18plus, bed_days_18plus). An area whose bed
    days are a count disclosure control suppresses (1 to threshold - 1) is not quoted."""
    scot = delay_rates.loc[delay_rates["level"] == "Scotland", "rate_18plus"]
    if scot.empty or not scot.iloc[0] > 0:
        return []
    scotland = float(scot.iloc[0])
    out = []
    areas = delay_rates[delay_rates["level"].isin(["Partnership", "Locality"])]
    if "bed_days_18plus" in areas:
        areas = areas[~areas["bed_days_18plus"].between(1, threshold - 1)]
    for r in areas.itertuples():
        if r.rate_18plus > scotland * (1 + margin):
            out.append(
                Signal(
                    WORSE_THAN_SCOTLAND, r.area, str(r.level).lower(), "delay_rate_18plus",
                    "delayed discharge bed days per 1,000 adults", True,
                    f"delayed discharge bed days per 1,000 adults "
                    f"{text.percent(r.rate_18plus / scotland - 1, 0)} above Scotland's "
                    f"({text.number(r.rate_18plus, 0)} against {text.number(scotland, 0)})",
                    topic="delayed discharge bed days per 1,000 adults more than a tenth above "
                    f"Scotland's {text.number(scotland, 0)}",
                    value=text.number(r.rate_18plus, 0),
                )
            )  # fmt: skip
    return out


def test_of_change_results(impact: pd.DataFrame | None) -> list[Signal]:
    """What each test of change did (performance.impacts: test, start, area, measure,
    label, change, verdict): a signal for each measure it moved beyond the old limits."""
    if impact is None or impact.empty:
        return []
    out = []
    moved = impact[~impact["verdict"].isin(["no signal", "too few months to judge"])]
    for r in moved.itertuples(index=False):
        concern = {"improvement": False, "concern": True}.get(r.verdict)
        out.append(
            Signal(
                TEST_OF_CHANGE, r.area, "", r.measure, text.lower_first(r.label), concern,
                f"{text.lower_first(r.label)} {text.signed_percent(r.change)}",
                test=r.test, since=pd.Timestamp(r.start),
            )
        )  # fmt: skip
    return out


def coinciding_changes(
    register: pd.DataFrame,
    tests: Sequence,
    partnership: Partnership,
    min_change: float = COINCIDING_CHANGE,
) -> list[Signal]:
    """A headline count of an area that changed by `min_change` or more over the latest
    12 months while a test of change on that measure was running in that area (it began
    within the 24 months the comparison covers)."""
    out = []
    for test in tests:
        area = test.area(partnership)
        for measure in test.measures:
            key = MEASURE_KEYS.get(measure)
            row = register[(register["key"] == key) & (register["area"] == area)]
            if key is None or row.empty:
                continue
            r = row.iloc[0]
            began_in_window = (
                r["period_end"] - pd.DateOffset(months=24) < test.start <= r["period_end"]
            )
            if not began_in_window or text.missing(r["change"]) or abs(r["change"]) < min_change:
                continue
            moved = "fell" if r["change"] < 0 else "rose"
            out.append(
                Signal(
                    COINCIDING, area, "partnership" if test.locality is None else "locality", key,
                    COUNTS[key], bool(r["change"] > 0),
                    f"{COUNTS[key]} {moved} {text.percent(abs(r['change']), 1)} in the 12 months "
                    f"to {r['period_end']:%B %Y}, while {test.description} ran there (from "
                    f"{test.start:%B %Y})",
                    test=test.description, since=test.start,
                )
            )  # fmt: skip
    return out


def diverging_localities(
    register: pd.DataFrame, partnership: Partnership, min_change: float = DIVERGING_CHANGE
) -> list[Signal]:
    """Localities whose headline count rose by `min_change` or more over the latest 12
    months while the partnership's fell (a partnership figure that hides them)."""
    out = []
    for key, label in COUNTS.items():
        rows = register[register["key"] == key].set_index("area")
        if partnership.name not in rows.index:
            continue
        whole = rows.loc[partnership.name, "change"]
        if text.missing(whole) or whole >= 0:
            continue
        for loc in partnership.localities:
            if loc not in rows.index:
                continue
            change = rows.loc[loc, "change"]
            if not text.missing(change) and change >= min_change:
                out.append(
                    Signal(
                        DIVERGING, loc, "locality", key, label, True,
                        f"{label} up {text.percent(change, 1)} in the 12 months to "
                        f"{rows.loc[loc, 'period_end']:%B %Y} while the partnership's fell "
                        f"{text.percent(-whole, 1)}",
                        topic=f"{label} up in the 12 months to "
                        f"{rows.loc[loc, 'period_end']:%B %Y} while the partnership's fell "
                        f"{text.percent(-whole, 1)}",
                        value=f"+{text.percent(change, 1)}",
                    )
                )  # fmt: skip
    return out


def find(
    *,
    partnership: Partnership,
    register: pd.DataFrame | None = None,
    summary: pd.DataFrame | None = None,
    impact: pd.DataFrame | None = None,
    delay_rates: pd.DataFrame | None = None,
    tests: Sequence = (),
    threshold: int = 10,
) -> list[Signal]:
    """Every rule over the results given (a rule whose table is None is skipped)."""
    found: list[Signal] = []
    if summary is not None:
        found += special_causes(summary)
    if register is not None:
        found += worse_than_scotland(register)
        found += coinciding_changes(register, tests, partnership)
        found += diverging_localities(register, partnership)
    if delay_rates is not None:
        found += delays_above_scotland(delay_rates, threshold=threshold)
    judged = test_of_change_results(impact)
    seen = {(s.area, MEASURE_KEYS.get(s.measure, s.measure), s.test) for s in judged}
    found = [s for s in found if (s.area, s.measure, s.test) not in seen or s.rule != COINCIDING]
    return found + judged


def from_evidence(ev, impact: pd.DataFrame | None = None) -> list[Signal]:
    """Every signal in a partnership's evidence register (hscp.evidence.Evidence);
    `impact` (performance.impacts) is computed from the register when not given."""
    from hscp import performance

    tests = performance.tests_of_change(ev.partnership)
    names = set(ev.table_names)
    summary = ev.table("performance_summary") if "performance_summary" in names else None
    if impact is None and "performance_monthly" in names:
        impact = performance.impacts(ev.table("performance_monthly"), tests, ev.partnership)
    return find(
        partnership=ev.partnership,
        register=ev.register(),
        summary=summary,
        impact=impact,
        delay_rates=ev.table("delay_rates") if "delay_rates" in names else None,
        tests=tests,
        threshold=ev.threshold,
    )


# --- reading them -----------------------------------------------------------------------------


def in_areas(signals: Iterable[Signal], areas: Iterable[str]) -> list[Signal]:
    wanted = set(areas)
    return [s for s in signals if s.area in wanted]


def about(signals: Iterable[Signal], measures: Iterable[str]) -> list[Signal]:
    """Signals on these measures (register keys or performance measure names)."""
    wanted = set(measures)
    return [s for s in signals if s.measure in wanted]


def priority_localities(signals: Iterable[Signal], partnership: Partnership) -> list[str]:
    """The localities with the most concerns (at least one), most first."""
    counts: dict[str, int] = {}
    for s in signals:
        if s.concern and s.area in partnership.localities:
            counts[s.area] = counts.get(s.area, 0) + 1
    if not counts:
        return []
    top = max(counts.values())
    return [loc for loc in partnership.localities if counts.get(loc) == top]


def messages(
    signals: Sequence[Signal],
    partnership: Partnership,
    area: str | None = None,
    *,
    tests: bool = True,
) -> list[str]:
    """Key messages that carry the signals: one sentence per area with its concerns
    (for the whole partnership, the partnership's then each locality's), one for the
    tests of change and what they did, one for special cause improvement. For a
    locality report, its own and the partnership-wide ones. Nothing when there are none.
    `tests=False` leaves out what the tests of change did (for a report that tables it)."""
    if area in (None, partnership.name):
        areas = [partnership.name, *partnership.localities]
    else:
        areas = [area, partnership.name]
    mine = [s for s in signals if s.area in areas]
    out = []
    # A finding in many areas is one sentence naming them; the rest, one sentence an area.
    topics: dict[str, list[Signal]] = {}
    for s in mine:
        if s.concern and s.topic and s.rule != TEST_OF_CHANGE:
            topics.setdefault(s.topic, []).append(s)
    wide = [t for t, found in topics.items() if len({s.area for s in found}) >= MANY_AREAS]
    for topic in wide:
        named = [f"{s.area} ({s.value})" if s.value else s.area for s in topics[topic]]
        out.append(f"{topic[0].upper()}{topic[1:]}: {text.join(_unique(named))}.")
    for where in areas:
        rest = [s for s in mine if s.area == where and s.rule != TEST_OF_CHANGE]
        concerns = _concerns([s for s in rest if s.topic not in wide])
        if concerns:
            out.append(f"Concern in {where}: {'; '.join(concerns)}.")
    judged = _tests([s for s in mine if s.rule == TEST_OF_CHANGE]) if tests else []
    if judged:
        out.append(f"Tests of change: {'; '.join(judged)}.")
    better: dict[str, list[str]] = {}
    for s in mine:
        if s.rule == SPECIAL_CAUSE and s.concern is False:
            better.setdefault(f"{s.label} ({s.detail.rsplit('(', 1)[1]}", []).append(s.area)
    if better:
        out.append(
            "Special cause improvement: "
            + "; ".join(f"{what} in {text.join(_unique(where))}" for what, where in better.items())
            + "."
        )
    return out


def _concerns(signals: list[Signal]) -> list[str]:
    """An area's concerns as phrases, the special causes of its measures in one."""
    special = [s for s in signals if s.rule == SPECIAL_CAUSE and s.concern]
    phrases = []
    if special:
        by_month: dict[str, list[str]] = {}
        for s in special:
            by_month.setdefault(s.detail.rsplit("(", 1)[1].rstrip(")"), []).append(s.label)
        phrases.append(
            "special cause concern in "
            + "; ".join(f"{text.join(labels)} ({month})" for month, labels in by_month.items())
        )
    phrases += [s.detail for s in signals if s.concern and s.rule != SPECIAL_CAUSE]
    return _unique(phrases)


def _tests(signals: list[Signal]) -> list[str]:
    """Each test of change with what it moved: 'Frailty practitioner in Rural Stirling
    (from January 2024): emergency admissions -6.6% (improvement)'."""
    out = []
    by_test: dict[tuple, list[Signal]] = {}
    for s in signals:
        by_test.setdefault((s.test, s.area, s.since), []).append(s)
    for (test, where, since), group in by_test.items():
        moved = text.join(
            f"{s.detail} ({'a concern' if s.concern else 'an improvement' if s.concern is False else 'a change'})"
            for s in group
        )
        out.append(
            f"{test} in {where} (from {since:%B %Y}) moved {moved}, beyond the limits before it"
        )
    return out


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _value(value: float, unit: str) -> str:
    if text.missing(value):
        return text.NOT_AVAILABLE
    if unit == "%":
        return f"{text.number(value, 1)}%"
    return f"{text.number(value, 1)}{unit}"
