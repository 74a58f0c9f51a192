"""Options appraisal (hscp.appraisal): discounting, cash release, the set-aside budget,
scoring and its sensitivity, and the options parameters file.

Every expected number is worked by hand in the comment beside it.
"""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from hscp import appraisal as ap
from hscp import paths
from hscp.flow import load_settings
from hscp.params import ParamsError

PARAMS = paths.params_dir()


# --- discounting (HM Treasury Green Book 2022, Table 8) --------------------------------------


def test_year_0_is_not_discounted_and_year_10_is_ten_years_at_3_5_percent():
    # 1 / 1.035^10 = 1 / 1.410599 = 0.708919
    assert ap.discount_factors(0) == 1.0
    assert ap.discount_factors(10) == pytest.approx(0.708919, abs=1e-6)


def test_a_year_beyond_30_is_30_years_at_3_5_percent_then_3_percent():
    # 1.035^30 = 2.806794; year 31: 1 / (2.806794 x 1.03) = 0.345901;
    # year 35: 1 / (2.806794 x 1.03^5 = 1.159274) = 0.307329
    factors = ap.discount_factors([30, 31, 35])
    assert factors[0] == pytest.approx(1 / 2.806794, abs=1e-6)
    assert factors[1] == pytest.approx(0.345901, abs=1e-6)
    assert factors[2] == pytest.approx(0.307329, abs=1e-6)


def test_beyond_75_years_the_rate_falls_to_2_5_percent():
    # year 76: 1 / (1.035^30 x 1.03^45 x 1.025) = 1 / (2.806794 x 3.781596 x 1.025) = 0.091916
    assert ap.discount_factors(76) == pytest.approx(0.091916, abs=1e-6)


def test_the_health_rate_scales_the_whole_schedule():
    # Green Book health rate 1.5%, then 1.5 x 3.0 / 3.5 = 1.2857% from year 31:
    # 1 / (1.015^30 = 1.563080 x 1.012857) = 0.631641
    assert ap.discount_factors(31, rate=0.015) == pytest.approx(0.631641, abs=1e-6)


@pytest.mark.parametrize("years", [-1, 2.5, [1, np.nan]])
def test_years_must_be_whole_and_not_negative(years):
    with pytest.raises(ap.AppraisalError, match="whole numbers"):
        ap.discount_factors(years)


def test_npv_of_a_cost_now_and_three_savings():
    # -100 + 50 / 1.035 + 50 / 1.035^2 + 50 / 1.035^3
    # = -100 + 48.309179 + 46.675535 + 45.097136 = 40.081850
    assert ap.npv([-100, 50, 50, 50]) == pytest.approx(40.081850, abs=1e-6)


def test_npv_reads_the_years_from_a_series_index():
    # 50 in year 31 only: 50 x 0.345901 = 17.29507
    assert ap.npv(pd.Series([50.0], index=[31])) == pytest.approx(17.29507, abs=1e-4)


# --- beds freed and wards closed --------------------------------------------------------------


def test_beds_freed_is_bed_days_over_365_over_occupancy():
    # 9,431.6 / 365 / 0.85 = 30.4
    assert ap.beds_freed(9431.6, 0.85) == pytest.approx(30.4)


@pytest.mark.parametrize(
    ("beds", "wards"), [(27.99, 0), (28.0, 1), (30.4, 1), (55.9, 1), (56.0, 2)]
)
def test_only_whole_wards_close(beds, wards):
    assert ap.wards_closed(beds, 28) == wards


def test_cash_release_of_30_4_beds_with_28_bed_wards_closes_one_ward():
    # bed days 30.4 x 365 x 0.85 = 9,431.6; average £700, marginal 20% = £140, fixed £560.
    # A staffed bed a year: 365 x 0.85 x 560 = £173,740. One ward: 28 x 173,740 = £4,864,720.
    # Variable cost avoided: 9,431.6 x 140 = £1,320,424.
    # Net: 4,864,720 + 1,320,424 - 3,000,000 (community) - 1,500,000 (double running)
    # = £1,685,144; recurrent (no double running) £3,185,144.
    # Capacity value (not cash): (30.4 - 28) x 173,740 = £416,976.
    r = ap.cash_release(
        9431.6,
        average_cost=700,
        marginal_share=0.2,
        community_cost=3_000_000,
        double_running=1_500_000,
        ward_size=28,
        target_occupancy=0.85,
    )
    assert r.beds_freed == pytest.approx(30.4)
    assert (r.wards_closed, r.beds_closed) == (1, 28)
    assert r.staffed_bed_cost == pytest.approx(173_740)
    assert r.ward_costs_released == pytest.approx(4_864_720)
    assert r.variable_cost_avoided == pytest.approx(1_320_424)
    assert r.net_cash_release == pytest.approx(1_685_144)
    assert r.recurrent_net_cash_release == pytest.approx(3_185_144)
    assert r.capacity_value == pytest.approx(416_976)
    # valued at the average cost the same bed days look like £6,602,120, none of it cash
    assert r.value_at_average_cost == pytest.approx(6_602_120)


def test_fewer_beds_than_a_ward_release_only_the_variable_cost():
    # 20 beds: 20 x 365 x 0.85 = 6,205 bed days; no ward; 6,205 x 140 = £868,700
    r = ap.cash_release(6205, average_cost=700, marginal_share=0.2, community_cost=0)
    assert r.wards_closed == 0
    assert r.net_cash_release == pytest.approx(868_700)
    assert r.capacity_value == pytest.approx(20 * 173_740)


def test_double_running_is_the_community_cost_of_the_months_before_closure():
    # £3m a year for 6 months = £1.5m
    assert ap.double_running_cost(3_000_000, 6) == pytest.approx(1_500_000)


def test_linear_build_up_over_a_year_is_half_done_on_average_in_year_0():
    # months 1..12 at 1/12 .. 12/12: mean 78 / 12 / 12 = 0.541667; year 1 all of it
    assert ap.phase_by_year(12, "linear", 2) == pytest.approx([0.541667, 1.0], abs=1e-6)


def test_cash_flows_close_the_ward_only_when_the_build_up_frees_a_whole_ward():
    # 30.4 beds freed in full; phase 0.5, 1, 1. Year 0: 15.2 beds, no ward; variable
    # 0.5 x 1,320,424 = 660,212; community 1,500,000; double running 1,500,000:
    # net -2,339,788. Years 1 and 2: one ward, net 3,185,144.
    # NPV: -2,339,788 + 3,185,144 / 1.035 + 3,185,144 / 1.035^2
    # = -2,339,788 + 3,077,433.82 + 2,973,366.01 = 3,711,011.83
    r = ap.cash_release(
        9431.6,
        average_cost=700,
        marginal_share=0.2,
        community_cost=3_000_000,
        double_running=1_500_000,
    )
    flows = ap.cash_flows(r, 3, phase=[0.5, 1, 1])
    assert list(flows["wards_closed"]) == [0, 1, 1]
    assert flows["net"].tolist() == pytest.approx([-2_339_788, 3_185_144, 3_185_144])
    assert flows["present_value"].sum() == pytest.approx(3_711_011.83, abs=0.01)


# --- the set-aside budget ----------------------------------------------------------------------


def set_aside():
    bed_days = pd.DataFrame({"specialty": ["A1", "AB", "Z9"], "bed_days": [1000, 2000, 100]})
    return ap.set_aside_budget(bed_days, {"A1": 700, "AB": 600}, other=750)


def test_set_aside_is_bed_days_times_the_specialty_cost():
    # A1 1,000 x 700 = 700,000; AB 2,000 x 600 = 1,200,000; Z9 (not listed) 100 x 750 = 75,000
    # total 1,975,000; AB's share 1,200,000 / 1,975,000 = 0.607595
    budget = set_aside().set_index("specialty")
    assert budget["set_aside"].to_dict() == {"AB": 1_200_000, "A1": 700_000, "Z9": 75_000}
    assert budget.loc["AB", "share"] == pytest.approx(0.607595, abs=1e-6)


def test_set_aside_shift_values_bed_days_at_the_mix_or_the_chosen_specialties():
    # the mix: 1,975,000 / 3,100 = £637.097 a bed day; 500 x that = £318,548.39, share
    # 318,548.39 / 1,975,000 = 0.161290. Geriatric medicine alone: 500 x 600 = £300,000.
    mix = ap.set_aside_shift(set_aside(), {"d2a": 500}).iloc[0]
    assert mix["shift"] == pytest.approx(318_548.39, abs=0.01)
    assert mix["share_of_set_aside"] == pytest.approx(0.161290, abs=1e-6)
    geriatric = ap.set_aside_shift(set_aside(), {"d2a": 500}, specialties=["AB"]).iloc[0]
    assert geriatric["shift"] == pytest.approx(300_000)


# --- scoring and its sensitivity -----------------------------------------------------------------

SCORES = pd.DataFrame(
    {"x": [5, 2, 3], "y": [1, 5, 3]}, index=pd.Index(["A", "B", "C"], name="option")
)
WEIGHTS = {"x": 0.6, "y": 0.4}


def test_weighted_score_is_the_weighted_mean_and_ranks_best_first():
    # A: 0.6 x 5 + 0.4 x 1 = 3.4; B: 1.2 + 2.0 = 3.2; C: 1.8 + 1.2 = 3.0
    table = ap.weighted_scores(SCORES, WEIGHTS)
    assert table["option"].tolist() == ["A", "B", "C"]
    assert table["weighted_score"].tolist() == pytest.approx([3.4, 3.2, 3.0])
    assert table["rank"].tolist() == [1, 2, 3]


def test_weights_need_not_add_up_to_one():
    assert ap.weighted_scores(SCORES, {"x": 6, "y": 4})["weighted_score"].tolist() == pytest.approx(
        [3.4, 3.2, 3.0]
    )


def test_moving_each_weight_by_a_fifth_shows_which_moves_flip_the_top_option():
    # x down to 0.48: A (2.4 + 0.4) / 0.88 = 3.18, B (0.96 + 2.0) / 0.88 = 3.36: B top.
    # y up to 0.48: A (3.0 + 0.48) / 1.08 = 3.22, B (1.2 + 2.4) / 1.08 = 3.33: B top.
    # x up (A 3.57, B 3.07) and y down (A 3.61, B 3.04) keep A.
    table = ap.weight_sensitivity(SCORES, WEIGHTS, 0.2).set_index(["criterion", "direction"])
    assert table.loc[("x", "down"), "top_option"] == "B"
    assert table.loc[("y", "up"), "top_option"] == "B"
    assert not table.loc[("x", "up"), "top_changes"]
    assert not table.loc[("y", "down"), "top_changes"]
    assert table.loc[("x", "down"), "weight_share"] == pytest.approx(0.48 / 0.88)


def test_the_weight_at_which_another_option_takes_the_top_place():
    # x (y held at 0.4): totals A 0.4 + 5x, B 2.0 + 2x, C 1.2 + 3x. A = B at x = 1.6 / 3 =
    # 0.5333 (share 0.5333 / 0.9333 = 0.5714); A = C at 0.4, further from 0.6. Raising x
    # never changes the top. y (x held at 0.6): A 3.0 + y, B 1.2 + 5y: tie at 1.8 / 4 = 0.45
    # (share 0.45 / 1.05 = 0.428571); A = C at 0.6, further.
    table = ap.weight_to_flip(SCORES, WEIGHTS).set_index("criterion")
    assert table.loc["x", "down_to_weight"] == pytest.approx(1.6 / 3)
    assert table.loc["x", "down_to_share"] == pytest.approx(0.571429, abs=1e-6)
    assert table.loc["x", "new_top_down"] == "B"
    assert np.isnan(table.loc["x", "up_to_weight"])
    assert table.loc["y", "up_to_weight"] == pytest.approx(0.45)
    assert table.loc["y", "up_to_share"] == pytest.approx(0.428571, abs=1e-6)
    assert table.loc["y", "new_top_up"] == "B"


def test_an_option_without_a_score_is_named():
    scores = SCORES.astype(float).copy()
    scores.loc["B", "y"] = np.nan
    with pytest.raises(ap.AppraisalError, match="B on y"):
        ap.weighted_scores(scores, WEIGHTS)


# --- the parameters file -------------------------------------------------------------------------


def test_the_options_file_loads_with_its_sources():
    settings = ap.load_options()
    assert {o.kind for o in settings.options} == {
        "care_at_home",
        "step_up_beds",
        "fewer_ppa",
        "discharge_to_assess",
    }
    assert settings.average_bed_day.year and "Scottish Health Service Costs" in (
        settings.average_bed_day.source
    )
    sources = settings.sources_table()
    assert sources["source"].str.len().gt(0).all()
    assert settings.scores().notna().all().all()


def test_the_bed_day_cost_is_the_system_dynamics_models_cost():
    # one figure for the acute bed day across the reports: the two files must agree
    assert ap.load_options().average_bed_day.value == load_settings().unit_costs["acute_bed_day"]


def test_pdsa_cycles_are_found_by_partnership_name():
    cycles = ap.load_options().cycles_for("clackmannanshire-and-stirling")
    assert cycles and cycles[0].start == pd.Timestamp("2024-04-01")
    assert ap.load_options().cycles_for("Orkney Islands") == ()


def test_an_option_on_the_table_in_some_areas_only():
    option = ap.Option("x", "X", "fewer_ppa", 0.1, 0.1, 0.1, areas=("Rural Stirling",))
    assert option.on_the_table("rural stirling")
    assert not option.on_the_table("Clackmannanshire")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    kind: step_up_beds\n", "    kind: more_beds\n", "options.step_up_beds.kind"),
        ("    size: 0.10\n", "    size: 0.20\n", "size 0.2 must lie from low 0.05 to high 0.15"),
        (
            "bed_days: 3, people: 3,",
            "bed_days: 3, wellbeing: 3,",
            "unknown criteria ['wellbeing']",
        ),
        ("  ward_size: 28\n", "  ward_size: 0\n", "appraisal.ward_size must be 1 or more beds"),
        ("      start: 2024-07\n", "      start: July\n", "start must be a month like 2024-04"),
    ],
)
def test_a_bad_options_file_names_the_file_and_key(tmp_path, old, new, message):
    path = tmp_path / "options.yaml"
    shutil.copy(PARAMS / "scenarios" / "options.yaml", path)
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ParamsError, match="options.yaml") as err:
        ap.load_options(path)
    assert message in str(err.value)


def test_set_aside_bed_days_count_each_episode_of_an_emergency_stay_in_its_specialty():
    # Stay 1 (emergency, type 21): General Medicine 1 to 5 January (4 bed days), then
    # Geriatric Medicine 5 to 15 January (10). Stay 2 (elective, type 10): left out.
    def episode(link, admitted, discharged, specialty, admission_type):
        return {
            "link_no": link,
            "cis_marker": 1,
            "admission_date": pd.Timestamp(admitted),
            "discharge_date": pd.Timestamp(discharged),
            "admission_type": admission_type,
            "discharge_type": 12,
            "specialty": specialty,
        }

    episodes = pd.DataFrame(
        [
            episode(1, "2024-01-01", "2024-01-05", "A1", 21),
            episode(1, "2024-01-05", "2024-01-15", "AB", 21),
            episode(2, "2024-01-03", "2024-01-06", "C1", 10),
        ]
    )
    table = ap.set_aside_bed_days(episodes, "2024-01", "2024-01").set_index("specialty")
    assert table["bed_days"].to_dict() == {"A1": 4, "AB": 10}
