"""The system dynamics report's sentences, on hand-made results (no model run)."""

from __future__ import annotations

import types

import pandas as pd

from hscp.workbooks import system_dynamics as workbook


def results(**summary_rows) -> workbook.Results:
    observed = types.SimpleNamespace(
        start=pd.Timestamp("2024-04-01"), end=pd.Timestamp("2025-03-31"), days=365
    )
    rows = [{"scenario": "baseline", "occupied_beds": 200.0, "delayed_bed_days": 15_000.0}]
    rows += [{"scenario": k, **v} for k, v in summary_rows.items()]
    check = pd.DataFrame(
        {
            "observed": [73_000.0, 14_600.0],
            "modelled": [73_100.0, 14_590.0],
            "difference": [0.00137, -0.00068],
        }  # fmt: skip
    )
    settings = types.SimpleNamespace(tolerance={"occupied_beds": 0.02, "delayed_bed_days": 0.05})
    return workbook.Results(
        area="Rural Stirling", model=types.SimpleNamespace(observed=observed), settings=settings,
        changes=[], summary=pd.DataFrame(rows), check=check, comparison=pd.DataFrame(),
        options=[], ranked=pd.DataFrame(), tornado=pd.DataFrame(), curves=pd.DataFrame(),
    )  # fmt: skip


def test_today_in_words():
    # 73,000 bed days / 365 = 200 beds; 14,600 delayed bed days / 365 = 40 beds
    assert workbook.today_sentence(results(), threshold=10) == (
        "From April 2024 to March 2025, emergency admissions of people aged 65+ from Rural "
        "Stirling occupied 200 acute beds on an average day. 40 of them were taken by people "
        "ready to leave but waiting: 14,600 delayed bed days in the year."
    )


def test_a_small_delayed_count_is_not_quoted():
    r = results()
    r.check.loc[1, "observed"] = 7.0
    assert "fewer than 10 delayed bed days in the year" in workbook.today_sentence(r, threshold=10)


def test_the_fit_quotes_the_largest_difference_and_the_tolerances():
    assert workbook.fit_sentence(results()).endswith(
        "to within 0.14% (the tolerances are 2% and 5%)."
    )


def test_the_2035_sentence_needs_both_population_runs():
    assert workbook.future_sentences(results()) == []
    r = results(
        population_2035={"occupied_beds": 230.0, "delayed_bed_days": 19_000.0},
        population_2035_grown={"occupied_beds": 221.0, "delayed_bed_days": 15_500.0},
    )
    # 230 / 200 - 1 = +15%
    assert workbook.future_sentences(r) == [
        "With the population of 2035 and today's services, the model expects 230 occupied "
        "beds (rose by 15.0%) and 19,000 delayed bed days a year; growing services in line "
        "with need would hold delayed bed days to 15,500."
    ]


def test_a_recommendation_says_where_the_change_already_runs():
    from hscp import geography
    from hscp.workbooks import system_dynamics as sd

    p = geography.partnership("Clackmannanshire & Stirling")  # discharge to assess: Clacks, 2024
    said = "Discharge to assess for half of those waiting for an assessment gives the largest fall"
    (sentence,) = sd.running_tests(said, sd.tests_in(p, None))
    assert sentence.startswith("Clackmannanshire has run Discharge to assess since April 2024")
    assert sd.running_tests(said, sd.tests_in(p, "Rural Stirling")) == []  # not that locality's
    assert sd.running_tests("More home care hours", sd.tests_in(p, None)) == []
