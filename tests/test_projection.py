"""Projections of emergency admissions, bed days and beds: worked examples.

Every expected number is worked out by hand (or from a published table) in the
comment beside it. The real NRS 2018-based projections are read from
../shared/reference/ (never copied into the project).
"""

import math
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hscp import geography, params, text
from hscp import projection as pj
from hscp.params import ParamsError

ROOT = Path(__file__).resolve().parents[1]
# ../shared/reference beside the project (or $HSCP_REFERENCE); a git worktree one level
# deeper (worktrees/<name>) finds it one level further up
FOLDERS = [
    *([Path(os.environ["HSCP_REFERENCE"])] if os.environ.get("HSCP_REFERENCE") else []),
    ROOT.parent / "shared" / "reference",
    ROOT.parent.parent / "shared" / "reference",
]
REAL_FILE = next(
    (f / "population_projections_hscp_2018based.csv" for f in FOLDERS if f.exists()),
    FOLDERS[0] / "population_projections_hscp_2018based.csv",
)
needs_real = pytest.mark.skipif(not REAL_FILE.exists(), reason="real NRS projections not present")


@pytest.fixture(scope="module")
def real():
    return pj.read_projections(REAL_FILE)


# --- financial years -----------------------------------------------------------------------


def test_financial_year_label_days_and_dates():
    fy = pj.financial_year("2023/24")
    # April 2023 to March 2024 holds 29 February 2024: 366 days
    assert (fy.year, fy.label, fy.days) == (2023, "2023/24", 366)
    assert fy.start == pd.Timestamp("2023-04-01") and fy.end == pd.Timestamp("2024-03-31")
    # 31 March 2024 is in 2023/24, 1 April 2024 in 2024/25
    assert pj.financial_year(pd.Timestamp("2024-03-31")).year == 2023
    assert pj.financial_year(pd.Timestamp("2024-04-01")).year == 2024
    assert list(pj.days_in_financial_year([2023, 2024, 2027])) == [366, 365, 366]


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        ("2024-03-31", 2023),  # the data end on the last day of 2023/24: it is complete
        ("2024-03-30", 2022),  # one day short: 2023/24 is not complete
        ("2024-11-15", 2023),
    ],
)
def test_latest_complete_financial_year(end, expected):
    assert pj.latest_complete_financial_year("2019-04-01", end).year == expected


def test_no_complete_financial_year_is_an_error():
    with pytest.raises(pj.ProjectionError, match="no complete financial year"):
        pj.latest_complete_financial_year("2023-06-01", "2024-05-31")


# --- reading projections -------------------------------------------------------------------------


def published(rows):
    """A projections table in the NRS layout from (year, code, sex, {age: people})."""
    records = []
    for year, code, sex, people in rows:
        record = {"Year": year, "HSCP": code, "Sex": sex}
        ages = {c: 0 for c in pj.PUBLISHED_AGE_COLUMNS}
        for age, n in people.items():
            ages["Age90plus" if age == 90 else f"Age{age}"] = n
        record["AllAges"] = sum(ages.values())
        records.append(record | ages)
    return pd.DataFrame(records)


def test_published_layout_becomes_tidy():
    frame = published(
        [
            (2023, "S37000005", "Male", {70: 100, 90: 7}),
            (2023, "S37000005", "Female", {70: 120}),
            (2023, "S37000005", "All", {70: 220, 90: 7}),
        ]
    )
    tidy = pj.tidy_projections(frame)
    # 2 sexes x 91 ages; the All rows are dropped once checked
    assert len(tidy) == 2 * 91
    assert set(tidy["variant"]) == {"principal"}
    men = tidy[(tidy.sex == 1)].set_index("age")["population"]
    assert men[70] == 100 and men[90] == 7 and men[0] == 0


def test_all_rows_must_be_male_plus_female():
    frame = published(
        [
            (2023, "S37000005", "Male", {70: 100}),
            (2023, "S37000005", "Female", {70: 120}),
            (2023, "S37000005", "All", {70: 221}),  # 100 + 120 = 220, not 221
        ]
    )
    with pytest.raises(pj.ProjectionError, match="not Male \\+ Female"):
        pj.tidy_projections(frame, source="proj.csv")


def test_allages_must_be_the_sum_of_the_ages():
    frame = published([(2023, "S37000005", "Male", {70: 100}), (2023, "S37000005", "Female", {})])
    frame.loc[0, "AllAges"] = 99
    with pytest.raises(pj.ProjectionError, match=r"(?s)proj.csv: .*column 'AllAges'"):
        pj.tidy_projections(frame, source="proj.csv")


def test_missing_age_column_names_the_file_and_column():
    frame = published([(2023, "S37000005", "Male", {}), (2023, "S37000005", "Female", {})])
    with pytest.raises(pj.ProjectionError, match="(?s)proj.csv.*Age45.*missing column"):
        pj.tidy_projections(frame.drop(columns="Age45"), source="proj.csv")


def test_tidy_input_with_variants_and_choosing_one():
    rows = []
    for variant, people in (("principal", 100), ("high migration", 110)):
        for sex in (1, 2):
            for age in range(91):
                rows.append((variant, 2023, "S37000005", sex, age, people))
    tidy = pj.tidy_projections(pd.DataFrame(rows, columns=pj.TIDY_COLUMNS))
    assert pj.projection_variants(tidy) == ["principal", "high migration"]
    chosen, name = pj.choose_variant(tidy, "High Migration")  # case does not matter
    assert name == "high migration" and set(chosen["population"]) == {110}
    assert pj.choose_variant(tidy)[1] == "principal"
    with pytest.raises(pj.ProjectionError, match="hold: principal, high migration"):
        pj.choose_variant(tidy, "low fertility")


def test_tidy_input_missing_ages_is_an_error():
    rows = [("principal", 2023, "S37000005", sex, age, 5) for sex in (1, 2) for age in range(90)]
    with pytest.raises(pj.ProjectionError, match="all 91 ages"):
        pj.tidy_projections(pd.DataFrame(rows, columns=pj.TIDY_COLUMNS))


@needs_real
def test_real_file_reads_with_every_partnership_2018_to_2043(real):
    assert pj.projection_years(real) == (2018, 2043)
    codes = set(real["hscp2019"]) - {geography.SCOTLAND_CODE}
    # the file's 31 S37 codes are the 31 partnerships of params/
    assert codes == {p.code for p in geography.partnerships()} and len(codes) == 31


@needs_real
def test_demographic_factor_from_the_real_file(real):
    # Clackmannanshire & Stirling (S37000005), aged 75+, 2018 -> 2035, from the file's rows
    # (Age75 ... Age89, Age90plus):
    #   2018 female 702+618+570+536+555+481+506+452+403+313+285+317+210+226+206+743 = 7,123
    #   2018 male   567+516+470+444+423+384+384+300+330+238+227+212+152+126+99+310  = 5,182
    #   2035 female 852+782+767+704+649+631+628+546+496+527+468+432+433+444+282+1089 = 9,730
    #   2035 male   825+750+671+689+574+560+514+519+464+410+401+375+340+324+220+769  = 8,405
    # factor = (9,730 + 8,405) / (7,123 + 5,182) = 18,135 / 12,305 = 1.47379
    factor = pj.demographic_factor(real, "S37000005", 2018, 2035, min_age=75)
    assert factor == pytest.approx(18135 / 12305, rel=1e-12)
    # one sex only: women 9,730 / 7,123
    women = pj.demographic_factor(real, "S37000005", 2018, 2035, min_age=75, sex=2)
    assert women == pytest.approx(9730 / 7123, rel=1e-12)


# --- population growth and projecting a small population ---------------------------------------------


def small_projections(values):
    """Tidy projections for S37000005 with {(year, sex, age): people}; other cells 10."""
    rows = []
    for year in sorted({y for y, _, _ in values}):
        for sex in (1, 2):
            for age in range(91):
                rows.append(
                    ("principal", year, "S37000005", sex, age, values.get((year, sex, age), 10))
                )
    return pj.tidy_projections(pd.DataFrame(rows, columns=pj.TIDY_COLUMNS))


def test_population_growth_is_projected_over_base():
    proj = small_projections({(2023, 1, 70): 200, (2030, 1, 70): 260})
    growth = pj.population_growth(proj, "S37000005", 2023, [2023, 2030]).set_index(
        ["year", "sex", "age"]
    )["growth"]
    assert growth[(2030, 1, 70)] == pytest.approx(260 / 200)  # 1.3
    assert growth[(2030, 2, 70)] == pytest.approx(1.0)  # 10 -> 10
    assert growth[(2023, 1, 70)] == pytest.approx(1.0)


def test_growth_from_an_empty_base_cell_takes_its_five_year_group():
    # men aged 72 number 0 in 2023 and 5 in 2030; ages 70-74 hold 10+10+0+10+10 = 40 in 2023
    # and 10+10+5+10+10 = 45 in 2030, so age 72 grows by 45 / 40 = 1.125
    proj = small_projections({(2023, 1, 72): 0, (2030, 1, 72): 5, (2030, 1, 0): 10})
    growth = pj.population_growth(proj, "S37000005", 2023, [2030]).set_index(["sex", "age"])
    assert growth.loc[(1, 72), "growth"] == pytest.approx(1.125)


def test_projection_of_a_small_population_by_hand():
    # Bands 0-64 and 65+. Base population (2023): men 1,000 aged 30 and 200 aged 70; women
    # 1,000 aged 30 and 300 aged 70. Emergency admissions in the base year: men 50 (0-64)
    # and 60 (65+), women 40 and 90. Rates per 1,000: 50, 300, 40, 300.
    # Growth to 2030: aged 30 men 0.9, women 0.95; aged 70 men 1.5, women 4/3.
    # Projected population 2030: men 900 and 300, women 950 and 400.
    # Projected admissions = 0.05*900 + 0.3*300 + 0.04*950 + 0.3*400 = 45 + 90 + 38 + 120 = 293
    # (base 240, demographic factor 293 / 240 = 1.2208).
    bands = [0, 65]
    base = pd.DataFrame(
        {"sex": [1, 1, 2, 2], "age": [30, 70, 30, 70], "population": [1000, 200, 1000, 300]}
    )
    growth = pd.DataFrame(
        {
            "year": [2023] * 4 + [2030] * 4,
            "sex": [1, 1, 2, 2] * 2,
            "age": [30, 70, 30, 70] * 2,
            "growth": [1, 1, 1, 1, 0.9, 1.5, 0.95, 4 / 3],
        }
    )
    projected = pj.project_population(base, growth)
    activity = pd.DataFrame(
        {
            "age_band": pd.Categorical(["0-64", "65+", "0-64", "65+"]),
            "sex": [1, 1, 2, 2],
            "admissions": [50, 60, 40, 90],
            "bed_days": [100, 600, 80, 900],
            "ppa_admissions": [5, 10, 4, 10],
            "ppa_bed_days": [10, 60, 8, 90],
        }
    )
    rates = pj.base_rates(activity, projected[projected.year == 2023], bands)
    assert list(rates["admissions_rate"]) == pytest.approx([50, 300, 40, 300])
    result = pj.project_activity(rates, projected, bands).set_index("year")
    assert result.loc[2023, "admissions"] == pytest.approx(240)
    assert result.loc[2030, "admissions"] == pytest.approx(293)
    # bed days: rates 100, 3000, 80, 3000 per 1,000 -> 90 + 900 + 76 + 1,200 = 2,266
    assert result.loc[2030, "bed_days"] == pytest.approx(2266)
    assert result.loc[2030, "population"] == pytest.approx(900 + 300 + 950 + 400)


def test_activity_without_population_is_an_error():
    activity = pd.DataFrame(
        {
            "age_band": pd.Categorical(["0-64", "65+"]),
            "sex": [1, 1],
            **{m: [0, 3] for m in pj.ACTIVITY},
        }
    )
    population = pd.DataFrame({"sex": [1], "age": [30], "population": [100]})
    with pytest.raises(pj.ProjectionError, match="no population in 65\\+ sex 1"):
        pj.base_rates(activity, population, [0, 65])


@needs_real
@pytest.mark.parametrize("code", sorted(p.code for p in geography.partnerships()))
def test_projection_runs_on_the_real_file_for_every_partnership(real, code):
    # Base population = the file's 2018 population; rates rise with age (1 per 1,000 a year of
    # age, bed days 8 per admission). Projecting to every year 2018-2043 must give, each
    # year, exactly sum(rate x the file's own projected population) computed here directly.
    bands = [0, 18, 45, 65, 75, 85]
    years = list(range(2018, 2044))
    area = real[real.hscp2019 == code]
    base = area[area.year == 2018][["sex", "age", "population"]]
    projected = pj.project_population(base, pj.population_growth(real, code, 2018, years))
    band_pop = (
        base.assign(age_band=pj.age_band(base["age"], bands))
        .groupby(["age_band", "sex"], observed=False)["population"]
        .sum()
    )
    rate = {label: 10 * (i + 1) for i, label in enumerate(pj.age_band_labels(bands))}
    activity = band_pop.reset_index()
    activity["admissions"] = (
        activity["age_band"].map(rate).astype(float) * activity["population"] / 1000
    )
    activity["bed_days"] = 8 * activity["admissions"]
    activity["ppa_admissions"] = activity["ppa_bed_days"] = 0.0
    rates = pj.base_rates(activity.drop(columns="population"), base, bands)
    result = pj.project_activity(rates, projected, bands).set_index("year")
    direct = (
        area.assign(rate=pj.age_band(area["age"], bands).map(rate).astype(float))
        .assign(adm=lambda f: f["rate"] * f["population"] / 1000)
        .groupby("year")["adm"]
        .sum()
    )
    assert list(result.index) == years
    np.testing.assert_allclose(result["admissions"], direct.loc[years], rtol=1e-10)
    np.testing.assert_allclose(result["bed_days"], 8 * direct.loc[years], rtol=1e-10)
    assert np.isfinite(result.to_numpy()).all()


# --- base-year activity from stays ------------------------------------------------------------


def stay(admitted, discharged, age=80, sex=2, ppa=False, emergency=True):
    return {
        "admission_date": pd.Timestamp(admitted),
        "discharge_date": pd.Timestamp(discharged) if discharged else pd.NaT,
        "age": age,
        "sex": sex,
        "ppa": ppa,
        "emergency": emergency,
    }


def test_base_activity_counts_emergency_stays_admitted_in_the_year():
    stays = pd.DataFrame(
        [
            stay("2023-03-31", "2023-04-04"),  # admitted in 2022/23: not counted
            stay("2023-04-01", "2023-04-05"),  # 4 bed days
            stay("2024-03-31", "2024-04-02", ppa=True),  # 2 bed days, a PPA
            stay("2024-01-10", None),  # open: to the data end 31 May 2024 = 142 bed days
            stay("2023-06-01", "2023-06-03", emergency=False),  # elective: not counted
            stay("2023-06-01", "2023-06-01", age=40, sex=1),  # same day: 0 bed days
        ]
    )
    out = pj.base_activity(
        stays, pj.financial_year("2023/24"), [0, 65], open_until="2024-05-31"
    ).set_index(["age_band", "sex"])
    # 10 Jan to 31 May 2024: 21 (Jan) + 29 + 31 + 30 + 31 = 142 days
    assert out.loc[("65+", 2), "admissions"] == 3
    assert out.loc[("65+", 2), "bed_days"] == 4 + 2 + 142
    assert out.loc[("65+", 2), "ppa_admissions"] == 1
    assert out.loc[("65+", 2), "ppa_bed_days"] == 2
    assert out.loc[("0-64", 1), "admissions"] == 1 and out.loc[("0-64", 1), "bed_days"] == 0
    assert out.loc[("0-64", 2), "admissions"] == 0  # every band and sex is listed


def test_age_bands():
    assert pj.age_band_labels([0, 18, 65, 85]) == ["0-17", "18-64", "65-84", "85+"]
    assert list(pj.age_band([0, 17, 18, 84, 85, 90], [0, 18, 65, 85])) == [
        "0-17",
        "0-17",
        "18-64",
        "65-84",
        "85+",
        "85+",
    ]
    with pytest.raises(ValueError, match="start at 0"):
        pj.age_band_labels([5, 65])


# --- time profiles and scenarios -------------------------------------------------------------------


def test_time_profiles_by_hand():
    # change from 2024 (first year) to 2033 (complete): s = (year - 2024 + 1) / 10
    years = [2023, 2024, 2028, 2033, 2035]
    # s: 2023 -> 0; 2024 -> 0.1; 2028 -> 0.5; 2033 -> 1; 2035 -> 1 (clipped)
    assert list(pj.time_profile(years, "linear", 2024, 2033)) == pytest.approx([0, 0.1, 0.5, 1, 1])
    # front-loaded 1 - (1 - s)^2: 0, 0.19, 0.75, 1, 1
    assert list(pj.time_profile(years, "front-loaded", 2024, 2033)) == pytest.approx(
        [0, 0.19, 0.75, 1, 1]
    )
    # back-loaded s^2: 0, 0.01, 0.25, 1, 1
    assert list(pj.time_profile(years, "back-loaded", 2024, 2033)) == pytest.approx(
        [0, 0.01, 0.25, 1, 1]
    )
    # step: all of it from 2024
    assert list(pj.time_profile(years, "step", 2024, 2033)) == [0, 1, 1, 1, 1]
    with pytest.raises(ValueError, match="unknown time profile"):
        pj.time_profile(years, "sudden", 2024, 2033)


def scenario(name, low, high, **other):
    return pj.Scenario(name=name, label=name, low=low, high=high, **other)


def test_a_yearly_change_compounds_exactly_on_a_linear_profile():
    # +1% a year from 2024 to 2030 (base 2023): 2030 is 7 years on, 1.01^7 = 1.0721353
    sc = scenario("admission_rates", 0.01, 0.01, per="year")
    f = pj.scenario_factors([sc], [2023, 2024, 2030], 2023, 2030)["admission_rates"]
    assert list(f) == pytest.approx([1, 1.01, 1.01**7])


def demography_table():
    # base 2023: 900 admissions (PPA 90), 7,200 bed days (PPA 450); 2030: 1,000 admissions
    # (PPA 100), 8,000 bed days (PPA 500)
    return pd.DataFrame(
        {
            "year": [2023, 2030],
            "population": [10000, 11000],
            "admissions": [900.0, 1000.0],
            "bed_days": [7200.0, 8000.0],
            "ppa_admissions": [90.0, 100.0],
            "ppa_bed_days": [450.0, 500.0],
        }
    )


SCENARIOS = [
    scenario("admission_rates", 0.10, 0.10, profile="step"),  # +10% in admission rates
    scenario("length_of_stay", -0.10, -0.10, profile="step"),  # stays 10% shorter
    scenario("ppa_avoidance", 0.20, 0.20, profile="step"),  # 20% of PPAs avoided
]


def test_scenarios_on_top_of_demography_by_hand():
    out = pj.apply_scenarios(demography_table(), SCENARIOS, 2023, 2030).set_index("year")
    # 2030: admissions = 1.1 x (1,000 - 0.2 x 100) = 1.1 x 980 = 1,078
    assert out.loc[2030, "admissions"] == pytest.approx(1078)
    # bed days = 1.1 x 0.9 x (8,000 - 0.2 x 500) = 0.99 x 7,900 = 7,821
    assert out.loc[2030, "bed_days"] == pytest.approx(7821)
    # the base year is unchanged: the step comes in 2024
    assert out.loc[2023, "admissions"] == pytest.approx(900)
    assert out.loc[2030, "demography_admissions"] == pytest.approx(1000)


def test_waterfall_by_hand_and_it_adds_up_exactly():
    wf = pj.waterfall_table(demography_table(), SCENARIOS, 2023, 2030, "admissions")
    steps = dict(zip(wf["step"], wf["change"], strict=True))
    # base 900; demography 1,000 - 900 = +100; rates alone 0.1 x 1,000 = +100; length of stay
    # does not change admissions (no step); PPAs alone -0.2 x 100 = -20; interaction
    # 1,078 - (900 + 100 + 100 + 0 - 20) = -2 (= 0.1 x -20, the rate rise on avoided PPAs)
    assert steps["Base year 2023/24"] == pytest.approx(900)
    assert steps["Demography"] == pytest.approx(100)
    assert steps["admission_rates"] == pytest.approx(100)
    assert "length_of_stay" not in steps
    assert steps["ppa_avoidance"] == pytest.approx(-20)
    assert steps["Interaction"] == pytest.approx(-2)
    assert wf["change"].iloc[:-1].sum() == pytest.approx(wf["change"].iloc[-1], abs=1e-9)
    assert wf["total"].iloc[-2] == pytest.approx(1078)


def test_waterfall_of_bed_days_adds_up_for_any_scenario_values():
    scs = [
        scenario("admission_rates", -0.004, 0.013, per="year"),
        scenario("length_of_stay", -0.12, 0.01, profile="front-loaded"),
        scenario("ppa_avoidance", 0.03, 0.25, profile="back-loaded"),
    ]
    wf = pj.waterfall_table(demography_table(), scs, 2023, 2030, "bed_days")
    total = pj.apply_scenarios(demography_table(), scs, 2023, 2030)["bed_days"].iloc[-1]
    assert wf["change"].iloc[:-1].sum() == pytest.approx(total, rel=1e-12)
    assert wf["change"].iloc[-1] == pytest.approx(total, rel=1e-12)


# --- Monte Carlo -------------------------------------------------------------------------------


MC_SCENARIOS = [
    scenario("admission_rates", -0.005, 0.015, per="year"),
    scenario("length_of_stay", -0.10, 0.0),
    scenario("ppa_avoidance", 0.05, 0.20),
]


def test_monte_carlo_is_reproducible_for_a_seed():
    a = pj.monte_carlo(demography_table(), MC_SCENARIOS, 2023, 2030, runs=2000, seed=7)
    b = pj.monte_carlo(demography_table(), MC_SCENARIOS, 2023, 2030, runs=2000, seed=7)
    c = pj.monte_carlo(demography_table(), MC_SCENARIOS, 2023, 2030, runs=2000, seed=8)
    np.testing.assert_array_equal(a.bed_days, b.bed_days)
    np.testing.assert_array_equal(a.draws.to_numpy(), b.draws.to_numpy())
    assert not np.array_equal(a.bed_days, c.bed_days)
    assert a.bed_days.shape == (2000, 2)


def test_monte_carlo_draws_match_the_80_percent_intervals():
    # normal, mean (lo + hi) / 2, sd (hi - lo) / 2.563: 80% of draws fall between lo and hi
    # (2.563 = 2 x 1.2816, the 90th percentile of the standard normal)
    mc = pj.monte_carlo(demography_table(), MC_SCENARIOS, 2023, 2030, runs=200_000, seed=1)
    los = mc.draws["length_of_stay"]
    assert los.mean() == pytest.approx(-0.05, abs=0.001)
    assert los.std() == pytest.approx(0.10 / 2.563, rel=0.01)
    assert los.between(-0.10, 0.0).mean() == pytest.approx(0.80, abs=0.005)
    # each run is the deterministic projection for its draws: check run 0 by apply_scenarios
    first = {name: float(mc.draws[name].iloc[0]) for name in mc.draws}
    one = pj.apply_scenarios(demography_table(), MC_SCENARIOS, 2023, 2030, first)
    assert mc.bed_days[0, -1] == pytest.approx(one["bed_days"].iloc[-1])


def test_s_curve_is_the_sorted_results_with_their_cumulative_probability():
    curve = pj.s_curve_table(np.array([30.0, 10.0, 20.0, 40.0]))
    assert list(curve["value"]) == [10, 20, 30, 40]
    assert list(curve["probability"]) == [0.25, 0.5, 0.75, 1.0]


# --- beds -------------------------------------------------------------------------------------


def erlang_b_closed_form(n, a):
    """B = (A^N / N!) / sum_{k=0..N} A^k / k!, straight from the definition."""
    return (a**n / math.factorial(n)) / sum(a**k / math.factorial(k) for k in range(n + 1))


def test_erlang_b_known_values():
    # one bed, load 1: B = 1 / (1 + 1) = 0.5; two beds, load 2: (4/2) / (1 + 2 + 2) = 0.4
    assert pj.erlang_b(1, 1.0) == pytest.approx(0.5)
    assert pj.erlang_b(2, 2.0) == pytest.approx(0.4)
    # 15 beds, load 10 Erlangs: 0.0365 (standard Erlang B tables)
    assert pj.erlang_b(15, 10.0) == pytest.approx(0.0365, abs=5e-5)
    assert pj.erlang_b(0, 3.0) == 1.0


@pytest.mark.parametrize(("beds", "load"), [(5, 3.0), (10, 7.5), (15, 10.0), (25, 20.0), (3, 0.4)])
def test_erlang_b_matches_the_closed_form(beds, load):
    assert pj.erlang_b(beds, load) == pytest.approx(erlang_b_closed_form(beds, load), rel=1e-12)


@pytest.mark.parametrize(
    ("beds", "load"),
    # the 1% grade of service column of published Erlang B tables (traffic in Erlangs that
    # N servers carry at 1% blocking): N=10 4.461, N=20 12.031, N=50 37.901, N=100 84.064
    [(10, 4.461), (20, 12.031), (50, 37.901), (100, 84.064)],
)
def test_erlang_b_against_the_published_1_percent_table(beds, load):
    assert pj.erlang_b(beds, load) == pytest.approx(0.01, abs=2e-5)


def test_beds_for_blocking_is_the_smallest_enough():
    # the table says 10 beds carry 4.461 Erlangs at 1%, and 9 beds carry 3.783: a load of
    # 4.4 needs 10 beds
    assert pj.beds_for_blocking(4.4, 0.01) == 10
    assert pj.erlang_b(10, 4.4) <= 0.01 < pj.erlang_b(9, 4.4)
    # 100 beds carry 84.064 Erlangs at 1%, so 84 Erlangs needs 100 (and 85 needs more)
    assert pj.beds_for_blocking(84.0, 0.01) == 100
    assert pj.beds_for_blocking(0.0, 0.01) == 0
    assert list(pj.beds_for_blocking(np.array([4.4, 84.0]), 0.01)) == [10, 100]


def test_beds_at_a_target_occupancy():
    # 85 occupied beds at 85% need 85 / 0.85 = 100 beds exactly (not 101 from rounding error)
    assert pj.beds_at_occupancy(85.0, 0.85) == 100
    assert pj.beds_at_occupancy(85.1, 0.85) == 101  # 100.1 -> 101
    assert list(pj.beds_at_occupancy(np.array([17.0, 0.0]), 0.85)) == [20, 0]
    with pytest.raises(ValueError, match="target occupancy"):
        pj.beds_at_occupancy(10, 1.5)


def test_beds_required_by_hand():
    # 2030/31 (365 days): 310,250 bed days = 850 average occupied beds; winter peak index 1.1
    # -> 935 occupied at the peak; at 85%: 935 / 0.85 = 1,100 beds. Erlang-B at 1% needs
    # fewer for so large a load (about 968), so 1,100 are required; 1,000 now -> 100 new.
    # 2031/32 holds 29 Feb 2032 (366 days): 3,660 bed days = 10 occupied; peak 11;
    # 11 / 0.85 = 12.9 -> 13 beds; Erlang-B needs 19 (B(18, 11) > 1%, B(19, 11) < 1%).
    projection = pd.DataFrame({"year": [2030, 2031], "bed_days": [310250.0, 3660.0]})
    beds = pj.beds_required(projection, peak_index=1.1, current_beds=1000).set_index("year")
    assert beds.loc[2030, "average_occupied_beds"] == pytest.approx(850)
    assert beds.loc[2030, "peak_occupied_beds"] == pytest.approx(935)
    assert beds.loc[2030, "beds_at_occupancy"] == 1100
    assert beds.loc[2030, "beds_erlang"] < 1000
    assert beds.loc[2030, "beds_required"] == 1100 and beds.loc[2030, "new_beds"] == 100
    assert beds.loc[2031, "beds_at_occupancy"] == 13
    assert pj.erlang_b(18, 11.0) > 0.01 > pj.erlang_b(19, 11.0)
    assert beds.loc[2031, "beds_erlang"] == 19 and beds.loc[2031, "beds_required"] == 19


def test_without_current_beds_the_base_year_need_stands_for_them():
    projection = pd.DataFrame({"year": [2023, 2030], "bed_days": [31110.0, 34310.0]})
    beds = pj.beds_required(projection, target_blocking=0.5)
    # 2023/24: 31,110 / 366 = 85 -> 100 beds; 2030/31: 34,310 / 365 = 94 -> 94 / 0.85 = 110.6
    # -> 111 beds; 111 - 100 = 11 new beds
    assert list(beds["beds_required"]) == [100, 111]
    assert list(beds["new_beds"]) == [0, 11]


def test_seasonal_index_by_hand():
    # 2023/24: every month 10 bed days a day, January 12 a day. The year's mean is
    # (10 x 366 + 2 x 31) / 366 = 3,722 / 366 = 10.1694 a day, so January's index is
    # 12 / 10.1694 = 1.18001 and every other month's 10 / 10.1694 = 0.98334.
    months = pd.date_range("2023-04-01", "2024-03-01", freq="MS")
    daily = np.where(months.month == 1, 12, 10)
    monthly = pd.DataFrame({"month": months, "bed_days": daily * months.days_in_month})
    index = pj.seasonal_index(monthly).set_index("month_name")["index"]
    assert index["Jan"] == pytest.approx(12 / (3722 / 366))
    assert index["Jul"] == pytest.approx(10 / (3722 / 366))
    assert list(index.index[:2]) == ["Apr", "May"]  # financial year order


# --- parameters ----------------------------------------------------------------------------------


def test_the_projection_parameters_file_is_valid():
    params = pj.load_params()
    assert params.horizon == 2035 and params.target_occupancy == 0.85
    assert [s.name for s in params.scenarios] == list(pj.SCENARIO_KINDS)
    assert params.with_overrides(horizon=2040, variant=None).horizon == 2040


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("horizon: soon\n", "horizon must be a whole number"),
        ("beds: {target_occupancy: 1.2}\n", "beds.target_occupancy must be above 0 and at most 1"),
        ("scenarios: {weather: {low: 0, high: 1}}\n", "unknown scenario 'weather'"),
        ("scenarios: {length_of_stay: {low: 0.1, high: -0.1}}\n", "high .* is below low"),
        ("scenarios: {length_of_stay: {high: 0.1}}\n", "missing low"),
        ("scenarios: {length_of_stay: {low: 0, high: 0, profile: jumpy}}\n", "profile must be"),
        ("scenarios: {ppa_avoidance: {low: 0.1, high: 1.5}}\n", "between 0 and 1"),
        ("monte_carlo: {runs: 0}\n", "runs must be 1 or more"),
        ("colour: red\n", "unknown keys colour"),
    ],
)
def test_bad_parameters_name_the_file_and_key(tmp_path, text, message):
    path = tmp_path / "projections.yaml"
    path.write_text(text)
    with pytest.raises(ParamsError, match=message) as err:
        pj.load_params(path)
    assert str(path) in str(err.value) or "notebook" in str(err.value)


# --- one area from stays to beds -----------------------------------------------------------------


def area_inputs():
    """A partnership of two localities, A and B, with a year of emergency stays (2023/24).

    A: 10 stays of men aged 70 (5 bed days each) and 4 of women aged 30 (2 days each).
    B: 6 stays of women aged 80 (10 days each). Populations in 2023: A 500 men aged 70 and
    400 women aged 30; B 300 women aged 80. The projections grow everyone aged 65+ by 20%
    by 2030 and leave younger people unchanged.
    """
    rows = []
    day = pd.Timestamp("2023-04-03")
    for locality, n, age, sex, los in (
        ("A", 10, 70, 1, 5),
        ("A", 4, 30, 2, 2),
        ("B", 6, 80, 2, 10),
    ):
        for i in range(n):
            admitted = day + pd.Timedelta(days=17 * i)
            rows.append(
                stay(admitted, admitted + pd.Timedelta(days=los), age=age, sex=sex)
                | {"locality": locality}
            )
    stays = pd.DataFrame(rows)
    population = pd.DataFrame(
        {
            "year": 2023,
            "hscp2019": "S37000005",
            "locality": ["A", "A", "B"],
            "sex": [1, 2, 2],
            "age": [70, 30, 80],
            "population": [500, 400, 300],
        }
    )
    proj = small_projections(
        {
            (year, sex, age): (12 if year == 2030 and age >= 65 else 10)
            for year in range(2023, 2031)
            for sex in (1, 2)
            for age in range(91)
        }
    )
    return stays, population, proj


def test_project_area_for_a_partnership_and_its_localities():
    stays, population, proj = area_inputs()
    params = pj.ProjectionParams(horizon=2030, age_bands=(0, 65), runs=200, seed=1)
    common = {
        "params": params,
        "base_year": pj.financial_year("2023/24"),
        "period": (pd.Timestamp("2023-04-01"), pd.Timestamp("2024-03-31")),
    }
    whole = pj.project_area(stays, population, proj, code="S37000005", **common)
    a = pj.project_area(stays, population, proj, code="S37000005", locality="A", **common)
    b = pj.project_area(stays, population, proj, code="S37000005", locality="B", **common)
    last = whole.demography.set_index("year").loc[2030]
    # base: 20 admissions; 2030: the 16 aged 65+ grow by 1.2 -> 19.2, the 4 younger stay 4
    assert whole.demography["admissions"].iloc[0] == pytest.approx(20)
    assert last["admissions"] == pytest.approx(19.2 + 4)
    # bed days: 10 x 5 + 6 x 10 = 110 aged 65+ -> 132; 4 x 2 = 8 younger -> 140
    assert last["bed_days"] == pytest.approx(140)
    # locality A: 10 men aged 70 -> 12, plus 4 women aged 30 = 16; locality B: 6 -> 7.2
    assert a.demography["admissions"].iloc[-1] == pytest.approx(16)
    assert b.demography["admissions"].iloc[-1] == pytest.approx(7.2)
    # no scenarios: the central projection is demography, every Monte Carlo run too
    assert whole.projection["admissions"].iloc[-1] == pytest.approx(23.2)
    assert whole.fan("bed_days")["p50"].iloc[-1] == pytest.approx(140)
    assert whole.variant == "principal" and whole.population_year == 2023
    # beds: 2030/31 has 365 days; 140 / 365 = 0.38 average occupied beds
    assert whole.beds["average_occupied_beds"].iloc[-1] == pytest.approx(140 / 365)
    summary = pj.summary_table([whole, a, b]).set_index("area")
    assert summary.loc["S37000005", "demography_admissions_growth"] == pytest.approx(0.16)


def test_a_horizon_beyond_the_projections_is_an_error():
    stays, population, proj = area_inputs()
    with pytest.raises(pj.ProjectionError, match="no later than the projections' last year"):
        pj.project_area(
            stays,
            population,
            proj,
            code="S37000005",
            params=pj.ProjectionParams(horizon=2040),
            base_year=pj.financial_year("2023/24"),
            period=(pd.Timestamp("2023-04-01"), pd.Timestamp("2024-03-31")),
        )


def test_beds_percentiles_are_the_beds_of_the_bed_day_percentiles():
    # beds rise with bed days, so the 10th percentile of every run's beds at the horizon is
    # the beds of the 10th percentile of bed days (sample quantiles, no interpolation)
    stays, population, proj = area_inputs()
    stays = pd.concat([stays] * 40, ignore_index=True)  # enough bed days for several beds
    params = pj.load_params().with_overrides(horizon=2030, age_bands=(0, 65), runs=999)
    area = pj.project_area(
        stays,
        population,
        proj,
        code="S37000005",
        params=params,
        base_year=pj.financial_year("2023/24"),
        period=(pd.Timestamp("2023-04-01"), pd.Timestamp("2024-03-31")),
    )
    fan = area.fan("beds").iloc[-1]
    runs = area.horizon_runs("beds")
    for q in (10, 50, 90):
        assert fan[f"p{q}"] == np.percentile(runs, q, method="inverted_cdf")
    assert fan["p10"] <= fan["p50"] <= fan["p90"]


def test_current_beds_from_the_partnership_params(tmp_path):
    # every partnership file has the key; empty means "use the base year's need"
    for path in (geography.params_dir() / "partnerships").glob("*.yaml"):
        assert "current_beds" in params.read_yaml(path)
    for p in geography.partnerships():
        assert pj.current_beds(p) is None
    p = geography.partnership("S37000005")
    assert pj.current_beds(replace(p, current_beds=250.0)) == 250.0
    path = tmp_path / "clackmannanshire-and-stirling.yaml"
    source = geography.params_dir() / "partnerships" / path.name
    path.write_text(source.read_text().replace("current_beds:", "current_beds: lots"))
    with pytest.raises(ParamsError, match="clackmannanshire-and-stirling.yaml: current_beds"):
        geography.read_partnership(path)


def test_drivers_table_adds_up_for_each_area():
    stays, population, proj = area_inputs()
    params = pj.load_params().with_overrides(horizon=2030, age_bands=(0, 65), runs=500)
    common = {
        "params": params,
        "base_year": pj.financial_year("2023/24"),
        "period": (pd.Timestamp("2023-04-01"), pd.Timestamp("2024-03-31")),
    }
    areas = [
        pj.project_area(stays, population, proj, code="S37000005", area="All", **common),
        pj.project_area(stays, population, proj, code="S37000005", locality="B", **common),
    ]
    table = pj.drivers_table(areas, "bed_days").set_index("area")
    steps = ["Demography", *(s.label for s in params.scenarios), "Interaction"]
    for area in ("All", "B"):
        row = table.loc[area]
        assert row["base"] + row[steps].sum() == pytest.approx(row["horizon"], rel=1e-12)
        assert row["p10"] <= row["p90"]
    # B: 6 stays of 10 days aged 80, grown by 1.2: demography adds 60 x 0.2 = 12 bed days
    assert table.loc["B", "Demography"] == pytest.approx(12)


def test_scenarios_in_plain_sentences():
    params = pj.load_params()
    lines = pj.scenario_sentences(params, 2024)
    # base year 2024/25: the change starts in 2025/26 and is complete in 2035/36
    assert lines[0] == (
        "Trend in emergency admission rates: emergency admission rates of each age band and "
        "sex change by \u22120.5% to +1.5% a year, to 2035/36 (80% range), phased in evenly from "
        "2025/26."
    )
    assert lines[2].startswith(
        "Preventable admissions avoided: 5% to 20% of potentially preventable admissions"
    )


def test_population_by_band_with_all_ages():
    # 2024: 100 aged 10 and 50 aged 80; 2035: 90 and 75 -> 0-64 -10%, 65+ +50%, all +10%
    population = pd.DataFrame(
        {
            "year": [2024, 2024, 2035, 2035],
            "sex": [1, 1, 1, 1],
            "age": [10, 80, 10, 80],
            "population": [100.0, 50.0, 90.0, 75.0],
        }
    )
    table = pj.population_by_band(population, [0, 65], 2024, 2035).set_index("age_band")
    assert table.loc["0-64", "change"] == pytest.approx(-0.1)
    assert table.loc["65+", "change"] == pytest.approx(0.5)
    assert table.loc["All ages", "base"] == 150 and table.loc[
        "All ages", "change"
    ] == pytest.approx(0.1)


def test_growth_in_words():
    assert text.growth(0.0951) == "a rise of 9.5%"
    assert text.growth(-0.024) == "a fall of 2.4%"
    assert text.growth(0.0001) == "no change"


@needs_real
@pytest.mark.parametrize("code", ["S37000005", "S37000022"])
def test_synthetic_activity_projected_with_the_real_projections(tiny_store, real, code):
    # the tiny synthetic partnerships' stays and populations, grown with the real NRS
    # 2018-based projection: in the base year the projection gives back the observed counts,
    # and with no scenarios the growth to the horizon is the rate-weighted population growth
    data = tiny_store.partnership(code)
    start, end = tiny_store.period
    base_year = pj.latest_complete_financial_year(start, end)
    stays = pj.emergency_stays(data.episodes())
    params = pj.ProjectionParams(horizon=2043, runs=100)
    area = pj.project_area(
        stays, data.population(), real, code=code, params=params, base_year=base_year,
        period=(start, end),
    )  # fmt: skip
    observed = stays[stays.admission_date.between(base_year.start, base_year.end)]
    assert area.demography["admissions"].iloc[0] == pytest.approx(len(observed))
    assert area.demography["year"].iloc[-1] == 2043
    rates = area.activity.set_index(["age_band", "sex"])["admissions_rate"]
    horizon = area.population[area.population.year == 2043]
    banded = (
        horizon.assign(age_band=pj.age_band(horizon.age, params.age_bands))
        .groupby(["age_band", "sex"], observed=False)["population"]
        .sum()
    )
    expected = (rates * banded / 1000).sum()
    assert area.demography["admissions"].iloc[-1] == pytest.approx(expected)
