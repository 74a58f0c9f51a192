"""The projections report's key messages, on hand-made results (no projection run)."""

from __future__ import annotations

import types

import pandas as pd

from hscp.conventions.financial_years import FinancialYear
from hscp.workbooks import projections as workbook


def results(current_beds=None, localities=False) -> workbook.Results:
    row = {
        "area": "Isles", "base_admissions": 1_000, "demography_admissions": 1_100,
        "demography_admissions_growth": 0.1, "base_bed_days": 8_000, "demography_bed_days": 9_000,
        "demography_bed_days_growth": 0.125, "scenario_admissions": 1_050,
        "scenario_bed_days": 8_500, "p10_bed_days": 8_100, "p90_bed_days": 8_900,
        "scenario_beds": 31, "p10_beds": 29, "p90_beds": 34, "current_beds": current_beds,
        "base_beds": 28, "new_beds": 3, "demography_new_beds": 5,
    }  # fmt: skip
    rows = [row]
    if localities:
        rows += [dict(row, area="East", demography_bed_days_growth=0.20),
                 dict(row, area="West", demography_bed_days_growth=0.05)]  # fmt: skip
    steps = pd.DataFrame(
        {
            "kind": ["start", "change", "change", "change", "change", "end"],
            "step": [
                "2024/25",
                "Demography",
                "Shorter stays",
                "PPAs avoided",
                "Interaction",
                "2035/36",
            ],
            "change": [None, 1_000.0, -300.0, -150.0, -50.0, None],
        }  # fmt: skip
    )
    area = types.SimpleNamespace(
        area="Isles", current_beds=current_beds, peak_month="January", peak_index=1.12,
        variant="principal", population_year=2022, waterfall_table=lambda _: steps,
    )  # fmt: skip
    plan = pd.DataFrame({"month": ["Apr 2025", "Total 2025/26"], "financial_year": ["2025/26"] * 2,
                         "forecast": [50.0, 700.0], "forecast_daily_beds": [1.6, 1.9],
                         "baseline": [48.0, 650.0]})  # fmt: skip
    outlook = types.SimpleNamespace(plan=plan, latest_year=lambda: 640.0)
    ages = pd.DataFrame({"factor": [1.30, 1.02]}, index=pd.Index(["75+", "All ages"]))
    settings = types.SimpleNamespace(horizon=2035, runs=5000, target_occupancy=0.85)
    return workbook.Results(
        area_name="Isles", partnership_name="Orkney Islands", settings=settings,
        base_year=FinancialYear(2024), area=area, areas=[], summary=pd.DataFrame(rows),
        outlook=outlook, variants=None, ages=ages, whole_report=localities,
    )  # fmt: skip


def test_population_change_alone_in_words():
    first = workbook.key_messages(results(), threshold=10)[0]
    assert first == (
        "Population change alone would take emergency admissions of Isles residents from 1,000 "
        "in 2024/25 to 1,100 in 2035/36 (a rise of 10.0%), and their bed days from 8,000 to "
        "9,000 (a rise of 12.5%). Behind this, the partnership's population aged 75+ sees a "
        "rise of 30.0%, all ages a rise of 2.0%."
    )


def test_what_drives_bed_days_adds_up_the_waterfall_steps():
    third = workbook.key_messages(results(), threshold=10)[2]
    assert third == (
        "Between 2024/25 and 2035/36, population change adds 1,000 bed days; of the scenarios, "
        "shorter stays: -300; PPAs avoided: -150; their interaction: -50."
    )


def test_beds_are_set_against_current_beds_when_the_params_give_them():
    without = workbook.key_messages(results(), threshold=10)[3]
    assert "against 28 needed in 2024/25: +3 beds, or +5 from population change alone." in without
    assert "12.0% above the year's average) and 85% occupancy" in without
    with_beds = workbook.key_messages(results(current_beds=30), threshold=10)[3]
    assert "against 30 now" in with_beds


def test_the_whole_partnership_names_its_fastest_and_slowest_localities():
    messages = workbook.key_messages(results(localities=True), threshold=10)
    assert messages[3] == (
        "Among the localities, population change adds most to bed days in East (a rise of "
        "20.0%) and least in West (a rise of 5.0%)."
    )


def test_the_delays_outlook_quotes_the_years_total():
    delays = workbook.key_messages(results(), threshold=10)[4]
    assert delays.startswith("Delayed discharge bed days of people aged 65+ are forecast at 700 "
                             "in 2025/26 (about 2 beds a day), against 640")  # fmt: skip
