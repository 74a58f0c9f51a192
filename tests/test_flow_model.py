"""The older people's pathway model (hscp.flow): calibration, the baseline, scenarios,
costs, the sensitivity of the answer and the measures it takes from the data.

Expected numbers are worked out by hand in the comments, from a small made-up
area (`simple`): 18,000 people aged 65+ (no growth), 10 emergency admissions a
day, 100 beds occupied of which 20 by people delayed waiting for a care home.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hscp import measures, store, text, widgets
from hscp.flow import FlowError, check_dt_independence
from hscp.flow import data as flow_data
from hscp.flow import older_people as op
from hscp.flow import scenarios as sc

YEAR = (pd.Timestamp("2024-04-01"), pd.Timestamp("2025-03-31"))
NO_SERVICES_AFTER_IC = {"home": 0.9, "died": 0.02, "acute": 0.08}


def population(growth: float = 0.0) -> pd.DataFrame:
    rows = []
    for i, year in enumerate((2023, 2024, 2025, 2026)):
        for band, people in (("65_74", 10_000), ("75_84", 6_000), ("85_plus", 2_000)):
            rows.append({"year": year, "band": band, "population": people * (1 + growth) ** i})
    return pd.DataFrame(rows)


def simple(**changes) -> op.Observed:
    values = dict(
        area="Simple",
        start=YEAR[0],
        end=YEAR[1],
        admissions=10.0,
        admissions_by_band={"65_74": 3.0, "75_84": 4.0, "85_plus": 3.0},
        population=population(),
        occupied_beds=100.0,
        deaths_in_hospital=0.5,
        readmission_share=0.1,
        ppa_share=0.2,
        los_ppa=5.0,
        seasonality=dict.fromkeys(range(1, 13), 1.0),
        delayed_beds={"care_home": 20.0},
        delays_started={"care_home": 0.5},
        delay_destinations={"care_home": {"care_home": 0.8, "died": 0.2}},
        capacity_share={"care_home": 0.75, "care_at_home": None},
        growth=pd.DataFrame(
            [
                {"year": 2035, "band": "65_74", "growth": 1.2},
                {"year": 2035, "band": "75_84", "growth": 1.2},
                {"year": 2035, "band": "85_plus", "growth": 1.5},
            ]
        ),
    )
    values.update(changes)
    return op.Observed(**values)


def full(**changes) -> op.Observed:
    """Every delay group, and winter: the shape of a real partnership's year."""
    return simple(
        admissions=16.0,
        admissions_by_band={"65_74": 5.0, "75_84": 6.0, "85_plus": 5.0},
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
        **changes,
    )


@pytest.fixture(scope="module")
def settings() -> op.Settings:
    return op.load_settings().with_assumptions(
        step_up_shares=NO_SERVICES_AFTER_IC, step_down_shares=NO_SERVICES_AFTER_IC
    )


CAPACITIES = {
    "care_home_places": 1000,
    "care_at_home_hours_per_week": 5000,
    "intermediate_care_beds": 10,
}
FULL_CAPACITIES = {
    "care_home_places": 900,
    "care_at_home_hours_per_week": 12500,
    "intermediate_care_beds": 20,
}


@pytest.fixture(scope="module")
def calibration(settings) -> op.Calibration:
    return op.steady_state(simple(), settings, CAPACITIES)


@pytest.fixture(scope="module")
def full_calibration() -> op.Calibration:
    return op.calibrate(full(), op.load_settings(), FULL_CAPACITIES)


# --- calibration by hand --------------------------------------------------------------------


def test_treatment_length_of_stay_is_treatment_beds_over_admissions(calibration):
    # 100 occupied - 20 delayed = 80 treatment beds; 10 admissions a day (no returns from
    # delay to treatment) -> Little's law: length of stay 80 / 10 = 8 days.
    assert calibration.params["los_treatment"] == pytest.approx(8.0)


def test_delay_hazards_are_observed_flows_over_the_delayed_beds(calibration):
    # 0.5 delays a day, 20 beds: a mean wait of 40 days. 80% end in a care home: 0.4 a day
    # from 20 people = 0.02 a day each; 75% of the wait is for lack of a place, so only
    # phi = 0.25 of the demand is met: demand hazard 0.02 / 0.25 = 0.08. Died: 0.1 a day
    # / 20 = 0.005 (not held up by capacity).
    p = calibration.params
    assert p["exit_care_home_care_home"] == pytest.approx(0.08)
    assert p["exit_care_home_died"] == pytest.approx(0.005)


def test_shares_of_treatment_ends(calibration):
    # 0.5 of 10 treated a day become delayed (5%); 0.5 die in hospital a day, 0.1 of them
    # while delayed, so 0.4 / 10 = 4% die in treatment; the other 91% go home.
    p = calibration.params
    assert p["share_care_home"] == pytest.approx(0.05)
    assert p["share_died"] == pytest.approx(0.04)
    assert p["share_home"] == pytest.approx(0.91)


def test_readmission_hazard_gives_the_observed_28_day_share(calibration):
    # P(readmitted before settling) = h / (h + 1/28) = 0.1 -> h = 0.1 / (28 x 0.9) = 0.003968.
    # 9.1 go home a day, so 9.1 / (0.003968 + 0.035714) = 229.32 are at home after discharge.
    assert calibration.params["readmission_hazard"] == pytest.approx(0.1 / 25.2)
    assert calibration.params["initial_home_after_discharge"] == pytest.approx(229.32)


def test_waiting_list_at_home_takes_what_hospital_leaves_of_a_full_service(calibration):
    # Care homes: 1,000 places, 800-day stays: 1.25 start a day. Hospital sends 0.4 a day,
    # intermediate care none (its people go home), so 0.85 a day come from home. They get
    # phi = 0.25 of their demand, which is the waiting list / 21 days: 0.85 = 0.25 x W / 21
    # -> W = 71.4 people waiting at home.
    assert calibration.params["initial_waiting_care_home"] == pytest.approx(71.4)
    # Care at home: 5,000 hours / 10 a package = 500 people, 600-day packages: 0.8333 a
    # day, all from home; no delays, so the default 60% capacity share: phi = 0.4, and
    # W = 0.8333 x 7 / 0.4 = 14.58.
    assert calibration.params["initial_waiting_care_at_home"] == pytest.approx(14.5833, rel=1e-4)
    assert any("No delays waiting for care at home" in n for n in calibration.notes)


def test_step_up_fills_the_intermediate_care_beds_that_step_down_leaves(calibration):
    # No step-down (no delays for intermediate care): the 10 beds hold step-up stays of
    # 14 days, all ending unhindered, so 10 / 14 = 0.714 start a day.
    assert calibration.params["initial_intermediate_care_step_up"] == pytest.approx(10.0)
    assert calibration.params["initial_intermediate_care_step_down"] == pytest.approx(0.0)


# --- the baseline reproduces the observed year -----------------------------------------------


def test_steady_state_run_reproduces_the_observed_year_exactly(calibration):
    run = calibration.run(record=sc.OUTPUTS)
    start, days = calibration.report_start, calibration.observed.days
    assert run.mean("occupied_beds", start)[0] == pytest.approx(100.0, rel=1e-9)
    assert run.mean("delayed_care_home", start)[0] == pytest.approx(20.0, rel=1e-9)
    assert run.total("emergency_stays", start)[0] == pytest.approx(10.0 * days, rel=1e-9)


def test_the_model_holds_the_whole_population(calibration):
    # Every stock together is the population aged 65+: 10,000 + 6,000 + 2,000 = 18,000.
    run = calibration.run()
    assert run.stocks_at[:, :, 0].sum(axis=1) == pytest.approx(18_000.0)


def test_the_model_conserves_people_and_never_goes_negative(full_calibration):
    run = full_calibration.run()  # every flow recorded: checked as it runs
    assert run.conservation_error()["relative"].max() < 1e-9
    assert run.minimum_stock.min() >= 0


def test_calibrated_baseline_reproduces_a_year_with_winter_within_tolerance(full_calibration):
    check = sc.baseline_check(full_calibration)
    assert check["within"].all(), check
    # the tolerances are those of the settings file
    assert set(check["tolerance"]) == {0.03, 0.05}


def test_winter_moves_the_model_month_by_month(full_calibration):
    # The calibration fits the year's averages; the months follow from the seasonality:
    # January's admissions are 10% above average, July's 10% below, so beds must differ.
    run = full_calibration.run(record=["occupied_beds"])
    monthly = run.values("occupied_beds").groupby(lambda d: d.month).mean()
    assert monthly[1] > monthly[7] * 1.05


def test_results_do_not_depend_on_dt(full_calibration):
    # dt 0.5 (the default) against dt 0.125: within 1% everywhere over the two years.
    model = op.build_model()
    table = check_dt_independence(
        model,
        full_calibration.params,
        length=730,
        dt=0.5,
        tolerance=0.01,
        variables=["occupied_beds", "delayed_beds", "waiting_care_home"],
        start=full_calibration.run_start(),
        inputs=full_calibration.inputs(),
    )
    assert table["relative"].max() < 0.01


# --- scenarios move the numbers as a planner would expect ---------------------------------------


def scenario(calibration, **levers) -> pd.DataFrame:
    runs = [sc.BASELINE, sc.LeverSet("change", "change", levers)]
    return sc.summarise(calibration, sc.run_scenarios(calibration, runs), runs).set_index(
        "scenario"
    )


def test_shorter_stays_cut_treatment_beds_by_the_same_share(calibration):
    # Little's law: 10 a day x 8 days x 0.9 = 72 treatment beds. Delays are unchanged in
    # the long run (the people who finish treatment a day are the same); the one-off
    # surge of discharges when stays shorten still shows a little a year later.
    result = scenario(calibration, los_reduction=0.1)
    assert result.loc["change", "treatment_beds"] == pytest.approx(72.0, rel=1e-3)
    assert result.loc["change", "delayed_bed_days"] == pytest.approx(
        result.loc["baseline", "delayed_bed_days"], rel=0.01
    )


def test_avoided_ppas_take_their_shorter_stays_out_of_the_mix(calibration):
    # 10% of PPAs (20% of admissions) avoided: 2% fewer first admissions. Their stays
    # were 5 days against 8: the rest stay (8 - 0.02 x 5) / 0.98 = 8.0612 days.
    runs = [sc.LeverSet("change", "change", {"ppa_avoided": 0.1})]
    run = sc.run_scenarios(calibration, runs)
    params = sc.scenario_params(calibration, {"ppa_avoided": 0.1})
    assert (params["los_treatment"] - 0.02 * params["los_ppa"]) / 0.98 == pytest.approx(
        8.0612, 1e-4
    )
    result = scenario(calibration, ppa_avoided=0.1)
    # about 2% of the 9.0 first admissions a day that are not step-up: 66 a year fewer stays
    fewer = (
        result.loc["baseline", "emergency_admissions"]
        - result.loc["change", "emergency_admissions"]
    )
    assert fewer == pytest.approx(66, rel=0.25)
    # First admission demand: 10 stays a day less 0.91 readmissions less 10 x 0.08 / 14 =
    # 0.057 from step-up, plus the 10 / 14 = 0.714 who go to step-up instead: 9.747 a day,
    # of which 2% are avoided: 0.02 x 9.747 x 365 = 71.2 a year.
    assert run.total("ppa_avoided_admissions", calibration.report_start)[0] == pytest.approx(
        71.2, rel=0.002
    )


def test_more_care_at_home_hours_shortens_waits_for_care_at_home(full_calibration):
    result = scenario(full_calibration, care_at_home_increase=0.1)
    base, change = result.loc["baseline"], result.loc["change"]
    assert change["delayed_bed_days_care_at_home"] < 0.7 * base["delayed_bed_days_care_at_home"]
    assert change["waiting_care_at_home"] < base["waiting_care_at_home"]
    assert change["delayed_bed_days"] < base["delayed_bed_days"]
    assert change["occupied_beds"] < base["occupied_beds"]
    # cost: 1,250 more hours a week (10% of 12,500) x 365/7 weeks x £30 = £1,955,357
    assert change["cost_care_at_home"] - base["cost_care_at_home"] == pytest.approx(
        1_955_357, rel=1e-6
    )


def test_more_intermediate_care_beds_take_step_ups_and_avoid_admissions(full_calibration):
    result = scenario(full_calibration, intermediate_care_increase=0.5)
    base, change = result.loc["baseline"], result.loc["change"]
    assert change["step_ups"] > base["step_ups"]
    assert change["emergency_admissions"] < base["emergency_admissions"]
    assert change["delayed_bed_days_intermediate_care"] < base["delayed_bed_days_intermediate_care"]
    assert change["occupied_beds"] < base["occupied_beds"]
    # cost: 10 more beds x 365 days x £300 = £1,095,000
    assert change["cost_intermediate_care"] - base["cost_intermediate_care"] == pytest.approx(
        1_095_000
    )


def test_discharge_to_assess_moves_assessment_waits_out_of_hospital(full_calibration):
    # Waits for an assessment are not held up by capacity: half of them assessed at home
    # halves the beds they take (the group is linear in its inflow).
    result = scenario(full_calibration, discharge_to_assess_share=0.5)
    base, change = result.loc["baseline"], result.loc["change"]
    assert change["delayed_bed_days_assessment"] / base[
        "delayed_bed_days_assessment"
    ] == pytest.approx(0.5, abs=0.02)
    assert change["Discharge to assess"] > 0
    assert change["cost_discharge_to_assess"] > 0


def test_population_growth_with_todays_services_makes_delays_grow_faster_than_admissions(
    calibration,
):
    # 2035: +20% aged 65-84, +50% aged 85+. First admissions, weighted by band (3, 4, 3 of
    # 10 a day): (3 x 1.2 + 4 x 1.2 + 3 x 1.5) / 10 = 1.29 -> about 29% more stays. With
    # the care homes full, the queue for them grows by more than that.
    result = scenario(calibration, population_year=2035)
    base, change = result.loc["baseline"], result.loc["change"]
    assert change["emergency_admissions"] / base["emergency_admissions"] == pytest.approx(
        1.29, abs=0.03
    )
    assert change["delayed_bed_days"] / base["delayed_bed_days"] > 1.29
    grown = scenario(calibration, population_year=2035, services_grow_with_need=True)
    assert grown.loc["change", "delayed_bed_days"] < change["delayed_bed_days"]


def test_unknown_or_impossible_levers_are_refused(calibration):
    with pytest.raises(op.CalibrationError, match="unknown levers"):
        sc.scenario_params(calibration, {"more_beds": 1})
    with pytest.raises(op.CalibrationError, match="ppa_avoided must be from 0 to 1"):
        sc.scenario_params(calibration, {"ppa_avoided": 1.5})
    with pytest.raises(op.CalibrationError, match="no projection for 2090"):
        sc.scenario_params(calibration, {"population_year": 2090})


# --- value for money, by hand ---------------------------------------------------------------------


def test_value_for_money_per_pound():
    # Baseline 10,000 delayed bed days, 100 beds, services £1m. A: 8,000 bed days, 96 beds,
    # services £1.2m: 2,000 bed days avoided for £200,000 = 10 per £1,000; 4 beds freed per
    # £0.2m = 20 per £1m. B: 9,500 bed days, 90 beds, £1.1m: 500 / 100 = 5 per £1,000;
    # 10 beds / £0.1m = 100 per £1m. A ranks first on bed days per £1,000.
    summary = pd.DataFrame(
        {
            "scenario": ["baseline", "A", "B"],
            "label": ["base", "A", "B"],
            "delayed_bed_days": [10_000, 8_000, 9_500],
            "occupied_beds": [100.0, 96.0, 90.0],
            "emergency_admissions": [5_000, 5_000, 4_900],
            "waiting_care_home": [10.0, 8.0, 10.0],
            "waiting_care_at_home": [5.0, 5.0, 4.0],
            "cost_services": [1_000_000, 1_200_000, 1_100_000],
            "cost_acute": [25_550_000, 24_528_000, 22_995_000],
        }
    )
    vfm = sc.value_for_money(summary).set_index("scenario")
    assert list(vfm.index) == ["A", "B"]
    assert vfm.loc["A", "bed_days_per_1000"] == pytest.approx(10.0)
    assert vfm.loc["A", "beds_per_million"] == pytest.approx(20.0)
    assert vfm.loc["B", "bed_days_per_1000"] == pytest.approx(5.0)
    assert vfm.loc["B", "beds_per_million"] == pytest.approx(100.0)
    assert vfm.loc["B", "admissions_avoided"] == 100
    assert vfm.loc["A", "waiting_at_home_change"] == -2.0


def test_options_are_each_change_every_pair_and_all_together(settings):
    singles = [s for s in sc.defined_scenarios(settings) if s.rank]
    options = sc.options(settings)
    n = len(singles)
    assert len(options) == n + n * (n - 1) // 2 + 1
    pair = next(o for o in options if o.name == f"{singles[0].name}+{singles[1].name}")
    assert pair.levers == {**singles[0].levers, **singles[1].levers}


# --- how sure is the answer -----------------------------------------------------------------------


def test_sensitivity_recalibrates_for_each_uncertain_value(settings):
    obs = full()
    changes = [s for s in sc.defined_scenarios(settings) if s.rank]
    table = sc.sensitivity(obs, settings, FULL_CAPACITIES, changes)
    # one base case plus a low and a high for every uncertain value, each ranking every change
    assert len(table) == (1 + 2 * len(settings.uncertain)) * len(changes)
    tornado = sc.tornado_table(table, "discharge_to_assess", settings)
    base = tornado["base"].iloc[0]
    row = tornado.set_index("parameter").loc["discharge_to_assess_day"]
    # Discharge to assess costs only its days: at £60 instead of £100 a day the same bed
    # days cost 60% as much, so 100/60 times as many are saved per £1,000; at £150, 100/150.
    assert row["at_low"] == pytest.approx(base * 100 / 60, rel=1e-6)
    assert row["at_high"] == pytest.approx(base * 100 / 150, rel=1e-6)
    # the swing is largest first
    assert tornado["swing"].is_monotonic_decreasing


# --- the slider callback ------------------------------------------------------------------------------


def test_explore_reruns_the_model_with_the_slider_values(full_calibration):
    daily, table = sc.explore(full_calibration, care_at_home_increase=0.2, ppa_avoided=0.0)
    assert set(daily["measure"]) == {
        "Acute beds occupied",
        "Beds occupied by delayed people",
        "People waiting at home for care",
    }
    assert daily["scenario"].nunique() == 2
    rows = table.set_index("measure")
    assert rows.loc["Delayed bed days in the year", "change"] < 0
    assert rows.loc["Cost of services in the year (£)", "change"] > 0


def test_slider_panel_moves_the_model(full_calibration, monkeypatch):
    calls = []
    real = sc.explore

    def spy(calibration, **levers):
        calls.append(levers)
        return real(calibration, **levers)

    monkeypatch.setattr(widgets, "explore", spy)
    panel = widgets.slider_panel(full_calibration)
    interactive = panel.children[1]
    slider = next(
        w
        for w in interactive.children
        if getattr(w, "description", "") == "More care at home hours"
    )
    slider.value = 0.3
    assert calls[-1]["care_at_home_increase"] == pytest.approx(0.3)


# --- errors that name what to change --------------------------------------------------------------


def test_too_few_care_home_places_for_the_hospital_discharges_are_derived_from_the_data(settings):
    # 0.5 care home delays end a day, 80% in a care home: 0.4 a day from hospital (none
    # from intermediate care here). With at least 25% of starts left for people at home
    # a care home must start 0.4 / 0.75 = 0.5333 a day; at 800 days a stay that needs
    # 0.5333 x 800 = 426.7 places. 100 places start only 100 / 800 = 0.125 a day.
    calibration = op.steady_state(simple(), settings, {**CAPACITIES, "care_home_places": 100})
    assert calibration.capacities["care_home_places"] == pytest.approx(0.4 / 0.75 * 800)
    assert calibration.params["care_home_capacity"] == pytest.approx(426.667, abs=0.001)
    assert any(
        "capacities.care_home_places" in n and "uses 427 places" in n for n in calibration.notes
    )
    # Enough places are kept as given, with no note.
    enough = op.steady_state(simple(), settings, CAPACITIES)
    assert enough.capacities["care_home_places"] == 1000
    assert not any("the fewest" in n for n in enough.notes)


def test_delays_that_fill_every_bed_are_an_error(settings):
    with pytest.raises(op.CalibrationError, match="delays and stays do not match"):
        op.steady_state(simple(occupied_beds=15.0), settings, CAPACITIES)


def test_capacities_default_to_rates_per_1000_aged_65_plus(settings):
    caps = op.area_capacities(settings, 18_000)
    # 28 care home places, 400 care at home hours a week and 0.6 intermediate care beds
    # per 1,000 aged 65+: 504, 7,200 and 10.8 for 18,000 people.
    assert caps == pytest.approx(
        {
            "care_home_places": 504,
            "care_at_home_hours_per_week": 7200,
            "intermediate_care_beds": 10.8,
        }
    )
    # A locality with a third of the partnership's 65+ gets a third of its capacities.
    given = {
        "care_home_places": 900,
        "care_at_home_hours_per_week": 12_000,
        "intermediate_care_beds": 18,
    }
    third = op.area_capacities(settings, 6_000, given, 18_000)
    assert third["care_home_places"] == pytest.approx(300)


def test_settings_file_is_complete_and_shares_add_up():
    settings = op.load_settings()
    assert settings.tolerance["occupied_beds"] > 0
    for name, spec in settings.uncertain.items():
        assert spec["low"] < spec["high"], name


# --- what the model takes from the data -------------------------------------------------------------


def test_delay_groups_follow_the_reason_codes():
    codes = pd.Series(
        [
            "24C",
            "25A",
            "23C",
            "24EX",
            "25D",
            "25E",
            "23D",
            "25X",
            "11A",
            "11B",
            "27A",
            "51X",
            "61",
            "44",
            "25F",
        ]
    )
    assert list(flow_data.delay_group(codes)) == [
        "care_home", "care_home", "care_home", "care_home",
        "care_at_home", "care_at_home", "care_at_home", "care_at_home",
        "assessment", "assessment", "intermediate_care",
        "other", "other", "other", "other",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("end", "first", "last"),
    [
        ("2025-03-31", "2024-04-01", "2025-03-31"),  # a whole month ends the data
        ("2025-03-15", "2024-03-01", "2025-02-28"),  # a part month is left out
    ],
)
def test_calibration_window_is_the_latest_twelve_whole_months(end, first, last):
    assert flow_data.calibration_window(pd.Timestamp(end)) == (
        pd.Timestamp(first),
        pd.Timestamp(last),
    )


def test_projection_growth_is_relative_to_the_base_year():
    # 65-74: 100 people at each of ages 65-74 in 2024 (1,000), 120 each in 2035 (1,200): 1.2.
    def row(year, per_age):
        values = {f"Age{a}": per_age if 65 <= a <= 74 else 0 for a in range(90)}
        return {
            "Year": year,
            "HSCP": "S37000005",
            "Sex": "All",
            "AllAges": 0,
            **values,
            "Age90plus": 0,
        }

    projections = pd.DataFrame([row(2024, 100), row(2035, 120)])
    growth = flow_data.projection_growth(projections, "S37000005", 2024)
    value = growth[(growth.year == 2035) & (growth.band == "65_74")]["growth"].item()
    assert value == pytest.approx(1.2)


def stay(link, admitted, discharged, age, *, emergency=True, died=False, ppa=False, cis=1):
    admitted = pd.Timestamp(admitted)
    discharged = pd.Timestamp(discharged) if discharged else pd.NaT
    return {
        "link_no": link,
        "cis_marker": cis,
        "admission_date": admitted,
        "discharge_date": discharged,
        "length_of_stay": (discharged - admitted).days if discharged is not pd.NaT else pd.NA,
        "emergency": emergency,
        "died": died,
        "admission_type": 30 if emergency else 10,
        "discharge_type": 40 if died else 10,
        "age": age,
        "locality": "Clackmannanshire",
        "ppa": ppa,
    }


def delay(link, ready, discharged, age, reason, to, secondary=None):
    return {
        "link_no": link,
        "age": age,
        "locality": "Clackmannanshire",
        "admission_date": pd.Timestamp(ready) - pd.Timedelta(days=5),
        "ready_for_discharge_date": pd.Timestamp(ready),
        "discharge_date": pd.Timestamp(discharged) if discharged else pd.NaT,
        "reason_for_delay": reason,
        "reason_for_delay_secondary": secondary,
        "discharge_to": to,
    }


@pytest.fixture(scope="module")
def observed_by_hand() -> op.Observed:
    """January and February 2024 (60 days) of a made-up locality."""
    stays = pd.DataFrame(
        [
            stay(1, "2024-01-01", "2024-01-11", 70, ppa=True),  # A: 10 bed days
            stay(2, "2023-12-30", "2024-01-05", 80),  # B: 5 bed days in the window
            stay(3, "2024-01-20", None, 90),  # C: open: 20 Jan to 29 Feb, 40 bed days
            stay(4, "2024-01-10", "2024-01-15", 60),  # D: under 65, not counted
            stay(5, "2024-01-10", "2024-01-12", 85, died=True),  # E: 2 bed days, died
            stay(6, "2024-01-10", "2024-01-13", 75, emergency=False),  # F: elective
            stay(1, "2024-01-25", "2024-01-28", 70, cis=2),  # G: A readmitted 14 days on
        ]
    )
    stays["length_of_stay"] = stays["length_of_stay"].astype("Int64")
    delays = pd.DataFrame(
        [
            delay(11, "2024-01-05", "2024-01-15", 80, "24C", 1),  # care home, a place: 10 days
            delay(12, "2024-01-10", "2024-01-14", 75, "25A", 4),  # care home, arranging: 4, died
            delay(13, "2024-01-20", None, 90, "11A", None),  # assessment: 20 Jan-29 Feb, 40 days
            delay(14, "2023-12-01", None, 66, "9", None, "51X"),  # AWI (other): all 60 days
            delay(15, "2024-01-05", "2024-01-20", 50, "25D", 2),  # under 65: not counted
            delay(16, "2024-01-05", "2024-01-20", 80, "100", 1),  # code 100: not counted
        ]
    )
    for col in ("discharge_to",):
        delays[col] = delays[col].astype("Int64")
    pop = pd.DataFrame(
        [
            {
                "year": 2024,
                "hscp2019": "S37000005",
                "locality": "Clackmannanshire",
                "sex": 1,
                "age": age,
                "population": 10,
            }
            for age in range(60, 91)
        ]
    )
    return flow_data.observe(
        stays,
        delays,
        pop,
        area="Made-up",
        start=pd.Timestamp("2024-01-01"),
        end=pd.Timestamp("2024-02-29"),
    )


def test_observed_admissions_and_beds_by_hand(observed_by_hand):
    obs = observed_by_hand
    assert obs.days == 60
    # Emergency admissions of people 65+ in the window: A, C, E, G = 4 in 60 days.
    assert obs.admissions == pytest.approx(4 / 60)
    # by band: A and G 65-74 (2), none 75-84, C and E 85+ (2)
    assert obs.admissions_by_band == pytest.approx(
        {"65_74": 2 / 60, "75_84": 0.0, "85_plus": 2 / 60}
    )
    # Bed days (midnights in the window): A 10, B 5, C 40, E 2, G 3 = 60: one bed a day.
    assert obs.occupied_beds == pytest.approx(60 / 60)
    # E died: 1 in 60 days.
    assert obs.deaths_in_hospital == pytest.approx(1 / 60)
    # PPA: A of the 4 admissions.
    assert obs.ppa_share == pytest.approx(0.25)
    # Live discharges from 1 Jan to 1 Feb (28 days before the end): A (readmitted as G,
    # 14 days on), B, G: 1 of 3.
    assert obs.readmission_share == pytest.approx(1 / 3)


def test_observed_delays_by_hand(observed_by_hand):
    obs = observed_by_hand
    # Care home: 10 + 4 = 14 bed days; assessment 40; other (AWI) 60: per day over 60 days.
    assert obs.delayed_beds["care_home"] == pytest.approx(14 / 60)
    assert obs.delayed_beds["assessment"] == pytest.approx(40 / 60)
    assert obs.delayed_beds["other"] == pytest.approx(1.0)
    assert obs.delayed_beds["care_at_home"] == 0
    # Delays a day: (started + ended) / 2: care home (2 + 2) / 2 = 2, assessment (1 + 0) / 2,
    # AWI neither started nor ended but was delayed throughout: counted as 1.
    assert obs.delays_started["care_home"] == pytest.approx(2 / 60)
    assert obs.delays_started["assessment"] == pytest.approx(0.5 / 60)
    assert obs.delays_started["other"] == pytest.approx(1 / 60)
    # How the care home delays ended: a placement (1) and a death (4).
    assert obs.delay_destinations["care_home"] == pytest.approx({"care_home": 0.5, "died": 0.5})
    # Of the 14 care home bed days, 10 were for lack of a place (24C), 4 arranging (25A).
    assert obs.capacity_share["care_home"] == pytest.approx(10 / 14)
    assert obs.capacity_share["care_at_home"] is None


def test_observed_population_by_band(observed_by_hand):
    # 10 people at each age 60-90 (90 = 90+): 65-74 is 100, 75-84 100, 85+ 60.
    pop = observed_by_hand.population.set_index("band")["population"]
    assert pop.to_dict() == {"65_74": 100, "75_84": 100, "85_plus": 60}


def test_fraction_of_model_is_declared_as_a_diagram():
    table = op.build_model().structure().set_index("flow")
    assert table.loc["delayed_care_home_to_care_home", "limited_by"] == "care_home_places"
    assert table.loc["delayed_assessment_to_care_home", "limited_by"] == ""
    assert table.loc["step_up", "to"] == "intermediate_care_step_up"
    with pytest.raises(FlowError):
        op.build_model().run({}, length=1, dt=1.0)


# --- sentences, tables and the diagram ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("pounds", "words"),
    [
        (1_940_000, "£1.9 million"),
        (168_400, "£168,000"),
        (950, "£950"),
        (-5_000, "a saving of £5,000"),
    ],
)
def test_money_in_words(pounds, words):
    assert text.money(pounds) == words


def test_recommendation_quotes_the_value_for_money_table():
    # From the hand-worked table of test_value_for_money_per_pound: A avoids 2,000 bed days
    # (20% of 10,000) for £200,000: 10.0 per £1,000; B frees the most beds per pound (100
    # per £1 million: 10 beds, 10% of 100, for £100,000).
    summary = pd.DataFrame(
        {
            "scenario": ["baseline", "A", "B"],
            "label": ["base", "Change A", "Change B"],
            "delayed_bed_days": [10_000, 8_000, 9_500],
            "occupied_beds": [100.0, 96.0, 90.0],
            "emergency_admissions": [5_000, 5_000, 4_900],
            "waiting_care_home": [10.0, 8.0, 10.0],
            "waiting_care_at_home": [5.0, 5.0, 4.0],
            "cost_services": [1_000_000, 1_200_000, 1_100_000],
            "cost_acute": [0, 0, 0],
        }
    )
    sentences = sc.recommendation(sc.value_for_money(summary))
    assert sentences[0] == (
        "Change A gives the largest fall in delayed bed days for the money: 2,000 fewer a year "
        "(20% fewer) for £200,000 a year, 10.0 delayed bed days per £1,000."
    )
    assert sentences[1].startswith(
        "For occupied beds, change B does most per pound: 10.0 fewer beds"
    )
    assert "100.0 beds per £1 million" in sentences[1]


def test_sensitivity_sentences_count_the_tests_the_answer_survives():
    # Two uncertain values, so four tests; A is overtaken once (by B, at the high cost).
    table = pd.DataFrame(
        {
            "parameter": ["cost", "days"],
            "label": ["Cost of a day", "Days at home"],
            "unit": ["£", "days"],
            "low_value": [60, 7],
            "high_value": [150, 28],
            "at_low": [14.3, 16.6],
            "at_high": [5.7, 4.6],
            "base": [8.6, 8.6],
            "best_at_low": ["A", "A"],
            "best_at_high": ["B", "A"],
            "swing": [8.6, 12.0],
        }
    )
    first, second = sc.sensitivity_sentences(table, "A", {"A": "Change A", "B": "Change B"})
    assert "depends most on cost of a day (£60 to £150: 14.3 to 5.7" in first
    assert second == (
        "It stays the best value for money in 3 of 4 tests that set one uncertain value at the "
        "low or the high end of its range. Change B would do better if cost of a day were £150."
    )


def test_scaling_an_observed_year_to_a_smaller_population(calibration):
    # Every band half the partnership's population: admissions, beds and delays halve;
    # rates, shares and waits stay.
    half = population().assign(population=lambda t: t["population"] / 2)
    scaled = flow_data.scale_observed(calibration.observed, "Half", half)
    assert scaled.admissions == pytest.approx(5.0)
    assert scaled.occupied_beds == pytest.approx(50.0)
    assert scaled.delayed_beds["care_home"] == pytest.approx(10.0)
    assert scaled.ppa_share == calibration.observed.ppa_share
    assert scaled.delay_destinations == calibration.observed.delay_destinations


def test_diagram_numbers_are_the_baseline_year(calibration):
    table = sc.diagram_table(calibration)
    stocks = table[table["kind"] == "stock"].set_index("name")
    flows = table[table["kind"] == "flow"].set_index(["source", "target"])
    # 80 in treatment; 10 admissions a day (9.0 first + 0.91 readmitted + ...), of which the
    # diagram draws emergency admissions and readmissions; 0.5 a day become delayed.
    assert stocks.loc["treatment", "text"] == "80 people"
    assert flows.loc[("treatment", "delayed"), "value"] == pytest.approx(0.5)
    assert flows.loc[("treatment", "delayed"), "in_year"] == round(0.5 * 365)


def test_tables_for_the_report(calibration):
    runs = [sc.BASELINE, sc.LeverSet("more", "More care at home", {"care_at_home_increase": 0.1})]
    summary = sc.summarise(calibration, sc.run_scenarios(calibration, runs), runs)
    table = sc.scenario_table(summary)
    assert str(table["Delayed bed days"].dtype) == "Int64"
    assert table.loc[0, "Delayed bed days"] == 7300  # 20 beds x 365 days
    waiting = sc.waiting_table(summary)
    assert waiting.loc[0, sc.WAITING_IN_HOSPITAL[1]] == 7300  # the care home group
    calibrated = sc.calibration_table(calibration).set_index("measure")
    assert calibrated.loc["Treatment length of stay", "value"] == "8.0"  # days
    assert calibrated.loc["Emergency admissions of people 65+", "in_the_year"] == 3650
    assumptions = sc.assumptions_table(calibration)
    assert {"Value", "Used", "Source"} <= set(assumptions.columns)
    assert (assumptions["Source"] != "").all()


def test_area_calibration_of_a_partnership_and_a_locality(tiny_store):
    from hscp import geography

    p = geography.partnership("S37000005")
    data = tiny_store.partnership(p.code)
    whole = flow_data.area_calibration(data, p, None, tiny_store.period[1])
    local = flow_data.area_calibration(data, p, "Rural Stirling", tiny_store.period[1])
    # Care home places and care at home hours come from the social care extracts: the
    # residents aged 65+ and their home care hours on the last day of the observed year.
    census = whole.observed.end
    homes = data.read("care_home_episodes")
    resident = measures.integration.open_on(homes, "admission_date", "discharge_date", census)
    residents = homes[resident & (homes["age"] >= 65)]
    assert whole.capacities["care_home_places"] == residents["link_no"].nunique()
    rural = residents[residents["locality"] == "Rural Stirling"]["link_no"].nunique()
    assert local.capacities["care_home_places"] == rural
    assert "care home extract" in whole.capacity_sources["care_home_places"]
    assert "home care extract" in whole.capacity_sources["care_at_home_hours_per_week"]
    # Intermediate care beds are not in the extracts: the params' 19, a locality its
    # share by population 65+.
    assert whole.capacities["intermediate_care_beds"] == pytest.approx(19)
    share = local.observed.population_65plus() / whole.observed.population_65plus()
    assert local.capacities["intermediate_care_beds"] == pytest.approx(19 * share)
    assert 0 < share < 1
    assert local.observed.area == "Rural Stirling"
    assert sc.baseline_check(local)["within"].all()


def test_capacities_from_the_params_where_the_data_have_no_social_care(tiny_store):
    from hscp import geography

    p = geography.partnership("S37000005")

    class NoSocialCare:  # the partnership's slice, without the care home and home care tables
        def __init__(self, data):
            self.data = data

        def read(self, table):
            if table in ("care_home_episodes", "home_care"):
                raise store.DataError(f"no {table} extract")
            return self.data.read(table)

        def __getattr__(self, name):
            return getattr(self.data, name)

    data = NoSocialCare(tiny_store.partnership(p.code))
    whole = flow_data.area_calibration(data, p, None, tiny_store.period[1])
    assert whole.capacities["care_home_places"] == pytest.approx(870)
    assert whole.capacity_sources == {}


def test_scenarios_on_the_synthetic_partnership_move_as_a_planner_expects(tiny_store):
    from hscp import geography

    p = geography.partnership("S37000005")
    model = flow_data.area_calibration(
        tiny_store.partnership(p.code), p, None, tiny_store.period[1]
    )
    runs = [sc.BASELINE, *sc.defined_scenarios(model.settings)]
    table = sc.summarise(model, sc.run_scenarios(model, runs), runs).set_index("scenario")
    base = table.loc["baseline"]
    # more care at home: fewer delays for care at home, fewer people waiting for it at home
    assert (
        table.loc["care_at_home", "delayed_bed_days_care_at_home"]
        < base["delayed_bed_days_care_at_home"]
    )
    assert table.loc["care_at_home", "waiting_care_at_home"] < base["waiting_care_at_home"]
    # more intermediate care beds: more step-ups, fewer admissions and occupied beds
    assert table.loc["intermediate_care", "emergency_admissions"] < base["emergency_admissions"]
    assert table.loc["intermediate_care", "occupied_beds"] < base["occupied_beds"]
    # discharge to assess for half: about half the assessment delays
    ratio = (
        table.loc["discharge_to_assess", "delayed_bed_days_assessment"]
        / base["delayed_bed_days_assessment"]
    )
    assert ratio == pytest.approx(0.5, abs=0.05)
    # fewer PPAs: fewer admissions and beds, by more than nothing and less than the PPA share
    fewer = 1 - table.loc["fewer_ppa", "emergency_admissions"] / base["emergency_admissions"]
    assert 0.01 < fewer < model.observed.ppa_share * 0.1 + 0.005
    # shorter stays: about 5% fewer treatment beds
    treatment = table.loc["shorter_stay", "treatment_beds"] / base["treatment_beds"]
    assert treatment == pytest.approx(0.95, abs=0.01)
    # 2035: more admissions and beds; with today's services, delays grow faster than admissions
    future = table.loc["population_2035"]
    growth = future["emergency_admissions"] / base["emergency_admissions"]
    assert growth > 1.1
    assert future["delayed_bed_days"] / base["delayed_bed_days"] > growth


def test_population_scenarios_are_left_out_without_projections(settings):
    # No projections (an optional table): the 2035 scenarios cannot run, so they are
    # left out with a note, and the other changes still are ranked.
    model = op.steady_state(simple(growth=pd.DataFrame()), settings, CAPACITIES)
    names = [s.name for s in sc.defined_scenarios(settings, model)]
    assert "population_2035" not in names and "care_at_home" in names
    assert any("population of 2035" in n and "left out" in n for n in model.notes)
    assert all("population_year" not in o.levers for o in sc.options(settings, model))


def test_sensitivity_sentences_name_the_widest_swings_and_a_close_runner_up():
    # Five values would each make B better (at their high end): the three with the widest
    # swings are named, "among 2 others". A and B are within 10% (6.1 and 6.0 per £1,000);
    # A + B, which contains A, is not the runner-up.
    table = pd.DataFrame(
        {
            "parameter": list("vwxyz"),
            "label": ["V", "W", "X", "Y", "Share of waits"],
            "unit": ["days", "days", "days", "days", "shift"],
            "low_value": [1, 2, 3, 4, -0.15],
            "high_value": [10, 20, 30, 40, 0.15],
            "at_low": [7.0] * 5,
            "at_high": [5.0] * 5,
            "base": [6.1] * 5,
            "best_at_low": ["A"] * 5,
            "best_at_high": ["B"] * 5,
            "swing": [5.0, 4.0, 3.0, 2.0, 1.0],
        }
    )
    ranked = pd.DataFrame(
        {
            "scenario": ["A", "A+B", "B"],
            "label": ["Change A", "Change A + Change B", "Change B"],
            "bed_days_per_1000": [6.1, 6.05, 6.0],
        }
    )
    sentences = sc.sensitivity_sentences(table, "A", {"A": "Change A", "B": "Change B"}, ranked)
    assert sentences[1].endswith(
        "Change B would do better if v were 10 days, w were 20 days or x were 30 days, among 2 others."
    )
    assert sentences[2] == (
        "Change A and change B are close (6.1 and 6.0 delayed bed days per £1,000): either is a "
        "good first step."
    )
    assert text.with_unit(-0.15, "shift") == "0.15 lower"
