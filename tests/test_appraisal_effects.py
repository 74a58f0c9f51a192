"""Options through the models: the system dynamics levers and effects (hscp.flow), the
projection scenarios and their paired Monte Carlo runs (hscp.projection), and the
appraisal table built on them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hscp import appraisal as ap
from hscp.flow import older_people as op
from hscp.flow import scenarios as flow_scenarios
from hscp.projection import Scenario, monte_carlo

YEAR = (pd.Timestamp("2024-04-01"), pd.Timestamp("2025-03-31"))
CAPACITIES = {
    "care_home_places": 900,
    "care_at_home_hours_per_week": 12500,
    "intermediate_care_beds": 20,
}


def observed() -> op.Observed:
    """A made-up area with every delay group and a winter (as tests/test_flow_model's)."""
    population = pd.DataFrame(
        [
            {"year": y, "band": b, "population": p}
            for y in (2023, 2024, 2025, 2026)
            for b, p in (("65_74", 10_000), ("75_84", 6_000), ("85_plus", 2_000))
        ]
    )
    return op.Observed(
        area="Made-up",
        start=YEAR[0],
        end=YEAR[1],
        admissions=16.0,
        admissions_by_band={"65_74": 5.0, "75_84": 6.0, "85_plus": 5.0},
        population=population,
        occupied_beds=190.0,
        deaths_in_hospital=1.2,
        readmission_share=0.12,
        ppa_share=0.22,
        los_ppa=6.0,
        seasonality={m: 1 + 0.1 * np.cos(2 * np.pi * (m - 1) / 12) for m in range(1, 13)},
        delayed_beds={
            "assessment": 8.0,
            "care_home": 14.0,
            "care_at_home": 10.0,
            "intermediate_care": 3.0,
            "other": 6.0,
        },
        delays_started={
            "assessment": 0.4,
            "care_home": 0.3,
            "care_at_home": 0.45,
            "intermediate_care": 0.15,
            "other": 0.12,
        },
        delay_destinations={
            "assessment": {
                "home": 0.4,
                "care_at_home": 0.35,
                "care_home": 0.15,
                "died": 0.05,
                "treatment": 0.05,
            },
            "care_home": {"care_home": 0.85, "died": 0.1, "treatment": 0.05},
            "care_at_home": {"care_at_home": 0.85, "home": 0.08, "died": 0.03, "treatment": 0.04},
            "intermediate_care": {"intermediate_care": 0.85, "home": 0.1, "died": 0.05},
            "other": {"home": 0.5, "care_home": 0.3, "died": 0.1, "treatment": 0.1},
        },
        capacity_share={"care_home": 0.7, "care_at_home": 0.6},
        growth=pd.DataFrame(
            [
                {"year": 2035, "band": "65_74", "growth": 1.2},
                {"year": 2035, "band": "75_84", "growth": 1.2},
                {"year": 2035, "band": "85_plus", "growth": 1.5},
            ]
        ),
    )


@pytest.fixture(scope="module")
def settings() -> ap.AppraisalSettings:
    return ap.load_options()


@pytest.fixture(scope="module")
def calibration() -> op.Calibration:
    return op.calibrate(observed(), op.load_settings(), CAPACITIES)


@pytest.fixture(scope="module")
def effects(calibration, settings) -> pd.DataFrame:
    return ap.flow_effects(
        calibration, settings.options, population_years=(None, 2035), uncertainty=True
    )


def option(kind: str, size: float, low=None, high=None, months=12, profile="linear"):
    return ap.Option(
        kind,
        kind,
        kind,
        size,
        size if low is None else low,
        size if high is None else high,
        months_to_full=months,
        profile=profile,
    )


# --- levers -----------------------------------------------------------------------------------


def test_hours_and_beds_are_added_to_the_areas_capacity(calibration):
    # 2,000 hours on the area's 12,500 = +16%; 6 beds on its 20 = +30%
    assert ap.option_levers(option("care_at_home", 2000), calibration) == {
        "care_at_home_increase": pytest.approx(0.16)
    }
    assert ap.option_levers(option("step_up_beds", 6), calibration) == {
        "intermediate_care_increase": pytest.approx(0.3)
    }
    assert ap.option_levers(option("fewer_ppa", 0.1), calibration) == {"ppa_avoided": 0.1}
    assert ap.option_levers(option("discharge_to_assess", 0.5), calibration) == {
        "discharge_to_assess_share": 0.5
    }


# --- effects in the system dynamics model ---------------------------------------------------------


def test_an_options_effect_is_the_system_dynamics_reports_number(calibration, effects):
    # The same levers run by the system dynamics report's own ranking give the same beds:
    # one number for one change in every report.
    levers = {"care_at_home_increase": 2000 / 12500}
    vfm = flow_scenarios.rank_options(
        calibration, [flow_scenarios.LeverSet("cah", "cah", levers)]
    ).iloc[0]
    row = effects[(effects["option"] == "more_care_at_home") & effects["population_year"].isna()]
    assert row["occupied_beds_freed"].iloc[0] == pytest.approx(vfm["occupied_beds_freed"], rel=1e-9)
    assert row["delayed_bed_days_avoided"].iloc[0] == pytest.approx(
        vfm["delayed_bed_days_avoided"], rel=1e-9
    )
    assert row["community_cost"].iloc[0] == pytest.approx(vfm["cost"], rel=1e-9)


def test_bed_days_are_beds_times_the_days_of_the_year(effects):
    # the observed year April 2024 - March 2025 has 365 days
    now = effects[effects["population_year"].isna()]
    assert (now["bed_days_avoided"] / now["occupied_beds_freed"]).to_numpy() == pytest.approx(365)


def test_every_effect_has_a_range_around_it(effects):
    assert (effects["bed_days_avoided_low"] <= effects["bed_days_avoided"] + 1e-9).all()
    assert (effects["bed_days_avoided"] <= effects["bed_days_avoided_high"] + 1e-9).all()
    assert (effects["bed_days_avoided_high"] > effects["bed_days_avoided_low"]).all()


def test_more_care_at_home_matters_more_when_the_population_has_grown(effects):
    # with 2035's older population and today's services, waits for care at home are longer,
    # so the same hours avoid more bed days than now
    cah = effects[effects["option"] == "more_care_at_home"]
    now = cah[cah["population_year"].isna()]["bed_days_avoided"].iloc[0]
    in_2035 = cah[cah["population_year"] == 2035]["bed_days_avoided"].iloc[0]
    assert in_2035 > now


# --- projections ----------------------------------------------------------------------------------


def demography() -> pd.DataFrame:
    years = np.arange(2024, 2031)
    return pd.DataFrame(
        {
            "year": years,
            "population": 50_000.0,
            "admissions": 10_000.0,
            "bed_days": 100_000.0,
            "ppa_admissions": 2_000.0,
            "ppa_bed_days": 20_000.0,
        }
    )


def test_an_option_becomes_a_shorter_stays_scenario_of_its_share_of_bed_days():
    # 1,500 bed days (1,000 to 2,000) of the base year's 100,000: stays 1.5% shorter, 80%
    # interval 2% to 1%; built up over 24 months: from 2025 to 2025 + 2 - 1 = 2026
    sc = ap.projection_scenario(
        option("care_at_home", 2000, months=24), 1500, 1000, 2000, demography(), 2024
    )
    assert (sc.name, sc.low, sc.high) == (
        "length_of_stay",
        pytest.approx(-0.02),
        pytest.approx(-0.01),
    )
    assert (sc.start, sc.end) == (2025, 2026)


def test_fewer_ppas_become_a_share_of_ppa_bed_days():
    # 1,000 to 2,000 of 20,000 PPA bed days: 5% to 10% of PPAs avoided
    sc = ap.projection_scenario(option("fewer_ppa", 0.1), 1500, 1000, 2000, demography(), 2024)
    assert (sc.name, sc.low, sc.high) == ("ppa_avoidance", pytest.approx(0.05), pytest.approx(0.1))


def test_the_projection_centres_on_the_models_number_even_when_the_range_is_lopsided():
    # 1,200 bed days, range 1,000 to 2,000 (width 1,000): 80% interval 1,200 -/+ 500 =
    # 700 to 1,700 of 100,000: stays 1.7% to 0.7% shorter, mean 1.2%
    sc = ap.projection_scenario(option("care_at_home", 2000), 1200, 1000, 2000, demography(), 2024)
    assert (sc.low, sc.high, sc.mean) == (
        pytest.approx(-0.017),
        pytest.approx(-0.007),
        pytest.approx(-0.012),
    )


def test_projected_bed_days_avoided_follow_the_build_up():
    # stays 2% shorter from 2025 (a step): 2% of 100,000 = 2,000 bed days a year from
    # 2025/26, none in the base year; 2025/26 has 365 days, 2027/28 366 (29 Feb 2028)
    sc = Scenario("length_of_stay", "x", -0.02, -0.02, profile="step", start=2025, end=2025)
    table = ap.projection_effects(demography(), [], {"x": sc}, 2024, 2030, runs=50, seed=1)
    by_year = table.set_index("year")
    assert by_year.loc[2024, "bed_days_avoided_p50"] == pytest.approx(0)
    assert by_year.loc[2026, "bed_days_avoided_p50"] == pytest.approx(2000)
    assert by_year.loc[2025, "occupied_beds_freed_p50"] == pytest.approx(2000 / 365)
    assert by_year.loc[2027, "occupied_beds_freed_p50"] == pytest.approx(2000 / 366)


def test_projection_runs_are_paired_with_the_counterfactual():
    # The counterfactual's admission rate trend is drawn the same in both runs, so with a
    # fixed 2% shorter stay the bed days avoided are exactly 2% of each run's counterfactual:
    # their 10th percentile is 2% of the counterfactual's 10th percentile.
    trend = Scenario("admission_rates", "trend", -0.01, 0.02, per="year")
    sc = Scenario("length_of_stay", "x", -0.02, -0.02, profile="step", start=2025, end=2025)
    table = ap.projection_effects(demography(), [trend], {"x": sc}, 2024, 2030, runs=400, seed=7)
    alone = monte_carlo(demography(), [trend], 2024, 2030, runs=400, seed=7)
    p10 = np.percentile(alone.bed_days, 10, axis=0)
    assert table["bed_days_avoided_p10"].to_numpy()[1:] == pytest.approx(0.02 * p10[1:])


def test_an_option_cannot_change_what_the_counterfactual_already_changes():
    los = Scenario("length_of_stay", "x", -0.02, -0.01)
    with pytest.raises(ap.AppraisalError, match="counterfactual"):
        ap.projection_effects(demography(), [los], {"x": los}, 2024, 2030, runs=10, seed=1)


# --- the appraisal table -----------------------------------------------------------------------------


def test_appraisal_values_each_options_bed_days_and_ranks_them(effects, settings):
    table = ap.appraise(effects, settings.options, settings)
    requirements = ap.community_requirements(effects, settings.options, settings)
    consult = ap.options_table(table, requirements, settings.options, settings)
    assert sorted(consult["rank"]) == [1, 2, 3, 4]
    row = table.set_index("option").loc["more_care_at_home"]
    # beds freed = bed days / 365 / 0.85; community reinvestment = the model's cost of
    # 2,000 hours a week: 2,000 x 365 / 7 x £30 = £3,128,571
    assert row["beds_freed"] == pytest.approx(row["bed_days_avoided"] / 365 / 0.85)
    assert row["community_reinvestment"] == pytest.approx(2000 * 365 / 7 * 30)
    assert row["npv_low"] <= row["npv"] <= row["npv_high"]
    # 2,000 hours a week / 22.5 hours of care per WTE = 88.9 WTE
    staff = requirements.set_index("option").loc["more_care_at_home", "wte_care_at_home"]
    assert staff == pytest.approx(2000 / 22.5)
