"""The phase 2, 3 and 4 packs: the options evidence adds up, the plan's rules, the
evaluation finds the planted change and its planted unintended consequence, and the
four packs quote the same numbers (rendered on the tiny data)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from test_evidence_reports import AREAS, key_messages, published

from hscp import appraisal, evaluation, evidence, text
from hscp.workbooks import phase2_options, phase3_implementation, phase4_evaluation

PARTNERSHIP = "S37000005"


@pytest.fixture(scope="module")
def ev(tiny_store) -> evidence.Evidence:
    return evidence.load(tiny_store, PARTNERSHIP, threshold=10)


@pytest.fixture(scope="module")
def settings() -> appraisal.AppraisalSettings:
    return appraisal.load_options()


# --- the options evidence ------------------------------------------------------------------


@pytest.mark.parametrize("area", list(AREAS.values()))
def test_set_aside_bed_days_are_the_emergency_bed_days_split_by_specialty(ev, area):
    # Two routes to one total: episodes split by specialty and month (set-aside) and
    # continuous stays by month (the unscheduled care report's key message).
    view = ev.for_locality(area)
    assert view.figure("set_aside_bed_days").value == view.figure("emergency_bed_days").value


def test_set_aside_budget_is_bed_days_times_the_specialty_cost(ev, settings):
    budget = phase2_options.set_aside_table(ev)
    costs = {k: f.value for k, f in settings.specialty_costs.items()}
    general = budget.set_index("specialty").loc["A1"]
    assert general["cost_per_bed_day"] == costs["A1"] == 700
    # published in thousands of pounds (never an 8-digit sum of pounds)
    assert general["set_aside_thousands"] == pytest.approx(general["bed_days"] * 700 / 1000)
    total = budget["set_aside_thousands"].sum() * 1000
    assert ev.figure("set_aside_budget").value == pytest.approx(total)


def test_every_area_has_every_option_ranked(ev, settings):
    for area in AREAS.values():
        table = phase2_options.ranked(ev.for_locality(area))
        assert sorted(table["option"]) == sorted(o.name for o in settings.options)
        assert table["rank"].is_monotonic_increasing


def test_an_option_sentence_says_beds_cash_and_capacity():
    row = pd.Series(
        {
            "label": "Open 6 step-up beds",
            "beds_freed": 2.84,
            "beds_freed_low": 1.66,
            "beds_freed_high": 3.91,
            "wards_closed": 0,
            "recurrent_net_cash_release": -458_000,
            "capacity_value": 794_021,
        }  # fmt: skip
    )
    horizon = pd.Series(
        {
            "beds_freed_p50": 5.83,
            "beds_freed_p10": 2.1,
            "beds_freed_p90": 9.4,
            "financial_year": "2035/36",
        }  # fmt: skip
    )
    assert phase2_options.option_sentence(row, horizon) == (
        "Open 6 step-up beds frees 2.8 beds (1.7 to 3.9) now, 5.8 beds (2.1 to 9.4) by "
        "2035/36; it frees too few beds to close a ward, so it releases no ward costs: a net "
        "cost of £458,000 a year after paying for the community service, and £794,000 of "
        "capacity that is not cash."
    )


# --- the plan -------------------------------------------------------------------------------


def test_a_plan_that_closes_no_ward_has_no_double_running():
    # 2.8 beds freed, wards of 28: no ward closes, so the service replaces no beds.
    plan = evaluation.reprovision_plan(
        "2025-04", 24, months_to_full=9, profile="linear", community_capacity=1,
        community_cost_a_year=120_000, beds_freed=2.8, ward_size=28, bed_cost_a_year=173_740,
        beds_now=300,
    )  # fmt: skip
    assert plan["double_running"].sum() == 0
    assert (plan["beds_available"] == 300).all()
    # month 9 of a linear build-up is full: £10,000 a month from then
    assert plan["community_cost"].iloc[8:].round(2).eq(10_000).all()


def test_the_plan_starts_after_the_period_and_quotes_phase_2(ev, settings):
    option = phase3_implementation.chosen(ev, settings, None)
    assert option.name == phase2_options.top_option(ev)
    plan = phase3_implementation.plan(ev, option, settings)
    assert plan["month"].iloc[0] == pd.Timestamp("2025-04-01")
    assert len(plan) == max(24, option.months_to_full + 12)
    best = phase2_options.ranked(ev).iloc[0]
    assert plan["beds_freed"].iloc[-1] == pytest.approx(best["beds_freed"])


# --- the evaluation ---------------------------------------------------------------------------


def test_phase_4_recovers_the_planted_discharge_to_assess(ev):
    # hscp.synthetic.PLANTED_CHANGES: delayed bed days 35% lower in Clackmannanshire
    # from April 2024
    results = phase4_evaluation.evaluate(ev.for_locality("Clackmannanshire"))
    (d2a,) = [r for r in results if r.measure == "delayed_bed_days"]
    assert d2a.impact.verdict == "improvement"
    assert d2a.its.upper < 1  # the step is clearly a fall
    assert d2a.its.lower < 0.65 < d2a.its.upper  # and the planted size is within its interval
    assert d2a.did.upper < 0  # fell against Rural Stirling, which did not change


def test_phase_4_names_the_planted_unintended_consequence(ev, settings):
    # hscp.synthetic.PLANTED_CHANGES: delayed bed days 30% higher in Stirling City from
    # April 2024, the neighbouring locality of the discharge to assess change
    check = phase4_evaluation.balancing(ev.for_locality("Clackmannanshire"), settings)
    found = evaluation.pressures(check)
    city = found[found["area"].str.startswith("Stirling City")]
    assert (city["measure"] == "delayed_bed_days").any()
    assert (city["where"] == "neighbouring area").all()
    messages = phase4_evaluation.pressure_sentences(check)
    assert any("Pressure after Discharge to assess" in m and "Stirling City" in m for m in messages)
    assert any(m.startswith("Not checked, for want of data") for m in messages)


def test_an_area_without_a_change_says_so(tiny_store):
    orkney = evidence.load(tiny_store, "S37000022", threshold=10)
    results = phase4_evaluation.evaluate(orkney)
    assert results == []
    (message,) = phase4_evaluation.summary(results, pd.DataFrame(), orkney)
    assert message.startswith("No test of change is recorded for Orkney Islands")


# --- the four packs agree ---------------------------------------------------------------------


def _number(pattern: str, text_: str) -> float:
    found = re.search(pattern, text_)
    assert found, f"{pattern!r} not in {text_!r}"
    return float(found.group(1).replace(",", ""))


@pytest.mark.parametrize("area", list(AREAS))
def test_the_four_packs_quote_the_same_numbers(notebooks_rendered, ev, area):
    view = ev.for_locality(AREAS[area])
    phase2 = key_messages(notebooks_rendered, area, "phase2_options")
    phase3 = key_messages(notebooks_rendered, area, "phase3_implementation")
    # the best option's beds: phase 2's consultation table, phase 2's and phase 3's messages
    consult = published(notebooks_rendered, area, "phase2_options", "table", 10)
    beds = _number(r"^([\d.]+) \(", consult["beds_freed"].iloc[0])
    best = consult["option"].iloc[0]
    assert f"{best} frees {beds:.1f} beds" in phase2
    assert _number(r"It frees about ([\d.]+) beds", phase3) == beds
    assert text.lower_first(best) in phase3
    # the set-aside budget in phase 2 is the register's
    assert f"about {text.money(view.figure('set_aside_budget').value)} a year" in phase2
    # the emergency bed days of phase 1's key indicators are phase 2's set-aside bed days
    indicators = published(notebooks_rendered, area, "phase1_evidence", "table", 1)
    bed_days = indicators[indicators["indicator"].str.startswith("Emergency bed days")]
    assert float(bed_days["latest"].iloc[0]) == view.figure("set_aside_bed_days").value


def test_phase_4_charts_the_phase_1_numbers(notebooks_rendered):
    # Clackmannanshire's delayed bed days a day: phase 1's control chart (figure 4) and
    # phase 4's rebased chart of discharge to assess (figure 1), month by month
    phase1 = published(notebooks_rendered, "clackmannanshire", "phase1_evidence", "figure", 4)
    phase4 = published(notebooks_rendered, "clackmannanshire", "phase4_evaluation", "figure", 1)
    both = phase1.merge(phase4, on="month", suffixes=("_1", "_4"))
    assert len(both) == len(phase4) > 20
    assert (both["value_1"] == both["value_4"]).all()
    assert "Pressure after Discharge to assess" in key_messages(
        notebooks_rendered, "clackmannanshire", "phase4_evaluation"
    )
