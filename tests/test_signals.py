"""Signals by rule: a locality's signal always reaches the whole partnership's messages.

The tables are built by hand, with numbers worked out here: each test plants one
finding and checks the rule finds it and the partnership's key messages say it.
"""

from __future__ import annotations

import pandas as pd
import pytest

from hscp import geography
from hscp.evidence import signals
from hscp.params import TestOfChange
from hscp.workbooks import performance as performance_workbook

P = geography.partnership("Clackmannanshire & Stirling")
CITY = "Stirling City with the Eastern Villages Bridge of Allan & Dunblane"
END = pd.Timestamp("2025-03-31")


def summary_row(area: str, variation: str, measure: str = "emergency_admissions_75plus") -> dict:
    return {
        "area": area,
        "area_type": "partnership" if area == P.name else "locality",
        "measure": measure,
        "label": "Emergency admissions, aged 75+",
        "latest_month": pd.Timestamp("2025-03-01"),
        "variation": variation,
        "assurance": None,
        "warnings": "",
        "latest_value": 1.0,
        "mean": 1.0,
        "phases": 1,
        "phase_start": pd.Timestamp("2022-04-01"),
    }


def steady_summary_with(locality_variation: str, locality: str = CITY) -> pd.DataFrame:
    """The partnership and every locality common cause, but one locality `locality_variation`."""
    rows = [summary_row(P.name, "common_cause")]
    rows += [
        summary_row(loc, locality_variation if loc == locality else "common_cause")
        for loc in P.localities
    ]
    return pd.DataFrame(rows)


def register_rows(key: str, changes: dict[str, float], **extra) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"key": key, "area": area, "area_type": "partnership" if area == P.name else
             "locality", "value": 100.0, "change": change, "period_end": END,
             "vs_scotland": None, **extra}
            for area, change in changes.items()
        ]
    )  # fmt: skip


# --- a planted locality signal reaches the partnership -------------------------------------


def test_a_planted_locality_special_cause_reaches_the_partnership_messages():
    summary = steady_summary_with("special_cause_concern")
    found = signals.special_causes(summary)
    assert [(s.area, s.concern) for s in found] == [(CITY, True)]
    text = " ".join(signals.messages(found, P))
    assert f"Concern in {CITY}: special cause concern in emergency admissions, aged 75+" in text
    assert "(March 2025)" in text


def test_the_performance_lead_message_no_longer_hides_a_locality_signal():
    """The reviewer's case: 'all 9 measures ... common cause variation only' for the
    partnership while its own chart grid shows a locality's warning signal."""
    summary = steady_summary_with("special_cause_concern")
    messages = performance_workbook.key_messages(summary, None, P.name, P)
    assert (
        "as a whole showed common cause variation only, but not every locality's did"
        in (messages[0])
    )
    assert any(m.startswith(f"Concern in {CITY}: special cause concern") for m in messages)
    # a locality's own report is about the locality: no other locality's signal
    own = performance_workbook.key_messages(summary, None, "Rural Stirling", P)
    assert not any(CITY in m for m in own)


def test_no_signal_no_message():
    summary = steady_summary_with("common_cause")
    assert signals.special_causes(summary) == []
    assert signals.messages([], P) == []
    messages = performance_workbook.key_messages(summary, None, P.name, P)
    assert "all 4 measures" not in messages[0]  # one measure x 4 areas, the partnership's 1
    assert messages[0].endswith("no significant change in the latest month.")


def test_improvement_is_good_news_not_a_concern():
    found = signals.special_causes(
        steady_summary_with("special_cause_improvement", "Rural Stirling")
    )
    assert found[0].concern is False
    assert signals.messages(found, P) == [
        "Special cause improvement: emergency admissions, aged 75+ (March 2025) in Rural Stirling."
    ]


# --- the other rules, each with numbers worked by hand -------------------------------------


def test_a_locality_rising_while_the_partnership_falls():
    # partnership 1,000 -> 900 (-10%); the city 300 -> 318 (+6%), over the 5% rule
    register = register_rows(
        "delayed_bed_days", {P.name: -0.10, "Clackmannanshire": -0.20, "Rural Stirling": 0.04,
                             CITY: 0.06}
    )  # fmt: skip
    found = signals.diverging_localities(register, P)
    assert [s.area for s in found] == [CITY]  # Rural Stirling's +4% is under 5%
    assert found[0].detail == (
        "delayed discharge bed days up 6.0% in the 12 months to March 2025 while the "
        "partnership's fell 10.0%"
    )
    # when the partnership rises too, nothing is hidden: no signal
    assert signals.diverging_localities(register.assign(change=0.05), P) == []


def test_delays_more_than_a_tenth_above_scotland():
    rates = pd.DataFrame(
        {
            "area": [CITY, "Rural Stirling", P.name, "Scotland"],
            "level": ["Locality", "Locality", "Partnership", "Scotland"],
            # Scotland 150: 165 is exactly a tenth above (not more), 166 is
            "rate_18plus": [166.0, 165.0, 120.0, 150.0],
        }
    )
    found = signals.delays_above_scotland(rates)
    assert [s.area for s in found] == [CITY]
    assert found[0].detail == (
        "delayed discharge bed days per 1,000 adults 11% above Scotland's (166 against 150)"
    )


def test_a_delay_rate_resting_on_a_suppressed_count_is_not_quoted():
    rates = pd.DataFrame(
        {
            "area": ["Rural Stirling", CITY, "Scotland"],
            "level": ["Locality", "Locality", "Scotland"],
            "rate_18plus": [300.0, 300.0, 150.0],
            "bed_days_18plus": [9, 10, 670_711],  # 9 bed days: suppressed at threshold 10
        }
    )
    assert [s.area for s in signals.delays_above_scotland(rates, threshold=10)] == [CITY]


def test_worse_than_scotland_needs_the_interval_on_the_worse_side():
    register = pd.DataFrame(
        [
            {"key": "emergency_admission_easr", "area": CITY, "area_type": "locality",
             "value": 110.0, "vs_scotland": "higher"},
            {"key": "emergency_admission_easr", "area": "Rural Stirling", "area_type": "locality",
             "value": 80.0, "vs_scotland": "lower"},  # better than Scotland: no concern
            {"key": "ae_4_hour_percent", "area": "Rural Stirling", "area_type": "locality",
             "value": 60.0, "vs_scotland": "lower"},  # fewer seen in 4 hours: worse
            {"key": "emergency_admission_easr", "area": "Scotland", "area_type": "Scotland",
             "value": 95.0, "vs_scotland": None},
            {"key": "ae_4_hour_percent", "area": "Scotland", "area_type": "Scotland",
             "value": 70.0, "vs_scotland": None},
        ]
    )  # fmt: skip
    found = signals.worse_than_scotland(register)
    assert [(s.area, s.measure) for s in found] == [
        (CITY, "emergency_admission_easr"),
        ("Rural Stirling", "ae_4_hour_percent"),
    ]
    assert "higher than Scotland's 95.0 per 1,000" in found[0].detail
    assert "lower than Scotland's 70.0%" in found[1].detail


def test_a_change_while_a_test_of_change_ran_names_the_test():
    test = TestOfChange(
        start=pd.Timestamp("2024-04-01"), locality="Clackmannanshire",
        description="Discharge to assess", measures=("delayed_bed_days",), detail="", entry=1,
    )  # fmt: skip
    # 12 months to March 2025: 4,792 bed days against 7,597 before: -36.9%
    register = register_rows("delayed_bed_days", {"Clackmannanshire": 4792 / 7597 - 1})
    (found,) = signals.coinciding_changes(register, [test], P)
    assert found.concern is False and found.test == "Discharge to assess"
    assert found.detail == (
        "delayed discharge bed days fell 36.9% in the 12 months to March 2025, while "
        "Discharge to assess ran there (from April 2024)"
    )
    # a change under 15%, or a test that began more than 24 months before, says nothing
    assert signals.coinciding_changes(register.assign(change=-0.10), [test], P) == []
    old = TestOfChange(
        start=pd.Timestamp("2022-12-01"), locality="Clackmannanshire", description="Old",
        measures=("delayed_bed_days",), detail="", entry=2,
    )  # fmt: skip
    assert signals.coinciding_changes(register, [old], P) == []


def test_a_finding_in_many_areas_is_one_sentence():
    found = signals.special_causes(
        pd.DataFrame([summary_row(a, "special_cause_concern") for a in (P.name, *P.localities)])
    )
    messages = signals.messages(found, P)
    assert messages == [
        "Special cause concern in emergency admissions, aged 75+ (March 2025): "
        f"{P.name}, Clackmannanshire, Rural Stirling and {CITY}."
    ]


def test_priority_localities_have_the_most_concerns():
    found = [
        signals.Signal(signals.SPECIAL_CAUSE, CITY, "locality", "m", "m", True, "a"),
        signals.Signal(signals.WORSE_THAN_SCOTLAND, CITY, "locality", "n", "n", True, "b"),
        signals.Signal(signals.SPECIAL_CAUSE, "Rural Stirling", "locality", "m", "m", True, "c"),
        signals.Signal(signals.SPECIAL_CAUSE, "Clackmannanshire", "locality", "m", "m", False, "d"),
    ]
    assert signals.priority_localities(found, P) == [CITY]
    assert signals.priority_localities(found[3:], P) == []


@pytest.mark.parametrize("area", [None, "Rural Stirling"])
def test_the_register_signals_of_the_tiny_data_are_in_the_messages(tiny_store, area):
    """Every concern the rules find in a partnership's evidence is in its messages."""
    from hscp import evidence

    ev = evidence.load(tiny_store, "S37000005", threshold=10)
    found = signals.from_evidence(ev)
    text = " ".join(signals.messages(found, P, area))
    shown = [area, P.name] if area else [P.name, *P.localities]
    for s in found:
        if s.concern and s.area in shown and s.rule != signals.TEST_OF_CHANGE:
            told = s.detail in text or (s.topic in text and f"{s.area} ({s.value})" in text)
            assert s.area in text and (told or s.label in text), s
