"""hscp.performance: the baseline measures by area, tests of change from params,
charts rebased at the right changes, and each change's impact. Expected numbers
are worked out by hand in the comments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hscp import geography, params, performance
from hscp.params import ParamsError
from hscp.performance import MEASURES, TestOfChange
from hscp.workbooks import performance as workbook

CLACKS = "Clackmannanshire"
RURAL = "Rural Stirling"
CITY = "Stirling City with the Eastern Villages Bridge of Allan & Dunblane"


@pytest.fixture(scope="module")
def partnership():
    return geography.partnership("S37000005")


SOURCE = "params/partnerships/clackmannanshire-and-stirling.yaml"


def with_tests(partnership, entries):
    """The partnership as its params file would make it with these tests of change."""
    raw = params.read_yaml(geography.params_dir() / "partnerships" / f"{partnership.slug}.yaml")
    raw["tests_of_change"] = entries
    return geography.from_file(params.validate(params.PartnershipFile, raw, SOURCE), SOURCE)


# --- tests of change from params -----------------------------------------------------------


def test_tests_of_change_are_read_and_validated(partnership):
    p = with_tests(
        partnership,
        [
            {
                "date": "2024-04",
                "locality": "clackmannanshire",
                "description": "Discharge to assess",
                "measures": ["delayed_bed_days"],
            },
            {"date": "2024-01-15", "description": "Frailty", "measures": "emergency_admissions"},
        ],
    )
    tests = performance.tests_of_change(p)
    assert [t.start for t in tests] == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-04-01")]
    assert tests[0].locality is None and tests[0].measures == ("emergency_admissions",)
    assert tests[1].locality == CLACKS  # matched without regard to case
    assert tests[1].label == "Discharge to assess (Clackmannanshire), from Apr 2024"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"date": "April", "description": "x", "measures": ["ae_attendances"]}, "date must be"),
        ({"description": "x", "measures": ["ae_attendances"]}, "missing date"),
        (
            {
                "date": "2024-04",
                "locality": "Nowhere",
                "description": "x",
                "measures": ["ae_attendances"],
            },
            "unknown locality 'Nowhere'",
        ),
        ({"date": "2024-04", "description": "x", "measures": ["beds"]}, "unknown measure"),
        ({"date": "2024-04", "description": "x", "measures": []}, "measures must list"),
        ({"date": "2024-04", "measures": ["ae_attendances"]}, "missing description"),
        (
            {"date": "2024-04", "description": "x", "measures": ["ae_attendances"], "when": 1},
            "unknown key",
        ),
    ],
)
def test_bad_test_of_change_names_file_entry_and_key(partnership, entry, message):
    # the params layer checks an entry as the file is read; the report checks the measures
    with pytest.raises(ParamsError, match=message) as err:
        performance.tests_of_change(with_tests(partnership, [entry]))
    assert "clackmannanshire-and-stirling.yaml: tests_of_change entry 1" in str(err.value)


def test_the_partnership_params_tests_of_change_are_valid(partnership):
    tests = performance.tests_of_change(partnership)
    assert {t.locality for t in tests} >= {CLACKS, RURAL, CITY}


# --- the monthly measures ---------------------------------------------------------------


def stays_data():
    rows = [
        # link, cis, admitted, discharged, type, age, locality
        (1, 1, "2024-01-10", "2024-01-15", 21, 80, CLACKS),
        (1, 2, "2024-01-30", "2024-02-02", 35, 80, CLACKS),
        (2, 1, "2024-01-05", "2024-01-06", 10, 50, RURAL),
        (3, 1, "2024-02-01", "2024-02-03", 30, 60, RURAL),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "link_no",
            "cis_marker",
            "admission_date",
            "discharge_date",
            "admission_type",
            "age",
            "locality",
        ],
    )
    frame["admission_date"] = pd.to_datetime(frame["admission_date"])
    frame["discharge_date"] = pd.to_datetime(frame["discharge_date"])
    frame["discharge_type"] = 12
    frame["hscp2019"] = "S37000005"
    return frame


def ae_data():
    return pd.DataFrame(
        {
            "arrival_datetime": pd.to_datetime(
                ["2024-01-03 10:00", "2024-01-04 10:00", "2024-01-05 10:00"]
            ),
            "departure_datetime": pd.to_datetime(
                ["2024-01-03 13:00", "2024-01-04 15:00", "2024-01-05 11:00"]
            ),
            "attendance_category": ["New", "Unplanned return", "Planned return"],
            "discharge_destination": ["Home", "Admitted", "Home"],
            "locality": [CITY, CITY, CITY],
            "hscp2019": "S37000005",
        }
    )


def delays_data():
    return pd.DataFrame(
        {
            "link_no": [9],
            "age": [80],
            "locality": [CLACKS],
            "hscp2019": ["S37000005"],
            "ready_for_discharge_date": pd.to_datetime(["2024-01-20"]),
            "discharge_date": pd.to_datetime(["2024-02-05"]),
            "reason_for_delay": ["11A"],
            "reason_for_delay_secondary": pd.Series([None], dtype="str"),
        }
    )


def population_data():
    rows = [
        (2023, "S37000005", CLACKS, 1, 40, 1000),
        (2023, "S37000005", RURAL, 1, 40, 500),
        (2023, "S37000005", CITY, 2, 80, 2500),
        (2023, "S37000015", "Elsewhere", 1, 40, 99999),  # another partnership: left out
    ]
    return pd.DataFrame(rows, columns=["year", "hscp2019", "locality", "sex", "age", "population"])


@pytest.fixture(scope="module")
def monthly(partnership):
    return performance.monthly_measures(
        stays_data(),
        ae_data(),
        delays_data(),
        population_data(),
        partnership,
        "2024-01-01",
        "2024-03-31",
        data_end="2024-03-31",
    )


def value(monthly, measure, area, month):
    row = monthly[
        (monthly["measure"] == measure)
        & (monthly["area"] == area)
        & (monthly["month"] == pd.Timestamp(month))
    ]
    assert len(row) == 1, (measure, area, month)
    return row["value"].iloc[0]


def test_every_area_and_measure_has_every_month(monthly, partnership):
    areas = {partnership.name, CLACKS, RURAL, CITY}
    for measure in MEASURES:
        rows = monthly[monthly["measure"] == measure]
        months = 2 if measure == "readmission_rate" else 3  # March not yet followed up
        assert set(rows["area"]) == areas
        assert len(rows) == months * 4, measure


def numerator(monthly, measure, area, month):
    row = monthly[
        (monthly["measure"] == measure)
        & (monthly["area"] == area)
        & (monthly["month"] == pd.Timestamp(month))
    ]
    return row["numerator"].iloc[0]


def test_emergency_admissions_count_stays_not_episodes_charted_per_day(monthly, partnership):
    # Jan: Clackmannanshire's two emergency stays (types 21 and 35); the elective
    # (type 10) in Rural Stirling is not one. Feb: Rural Stirling's type 30.
    # Charted per day: 2 / 31 days of January; 1 / 29 days of February 2024.
    assert numerator(monthly, "emergency_admissions", CLACKS, "2024-01") == 2
    assert value(monthly, "emergency_admissions", CLACKS, "2024-01") == pytest.approx(2 / 31)
    assert value(monthly, "emergency_admissions", RURAL, "2024-01") == 0
    assert value(monthly, "emergency_admissions", partnership.name, "2024-02") == (
        pytest.approx(1 / 29)
    )
    assert value(monthly, "emergency_admissions", CITY, "2024-03") == 0  # zero-filled
    # both of Clackmannanshire's are aged 80: 75+
    assert value(monthly, "emergency_admissions_75plus", CLACKS, "2024-01") == (
        pytest.approx(2 / 31)
    )
    assert value(monthly, "emergency_admissions_75plus", RURAL, "2024-02") == 0


def test_emergency_admission_rate_a_day_uses_the_financial_years_population(monthly, partnership):
    # January 2024 is in 2023/24: 2023's estimate (PHS's pop_year). Clackmannanshire
    # 2 admissions / 31 days / 1,000 residents x 100,000 = 6.452 a day; the partnership
    # 2 / 31 / (1,000 + 500 + 2,500) x 100,000 = 1.613 (the other partnership's 99,999
    # are not counted).
    assert value(monthly, "emergency_admission_rate", CLACKS, "2024-01") == pytest.approx(
        6.452, abs=1e-3
    )
    assert value(monthly, "emergency_admission_rate", partnership.name, "2024-01") == (
        pytest.approx(1.613, abs=1e-3)
    )


@pytest.mark.parametrize(
    ("month", "years", "expected"),
    [
        ("2024-01", [2023, 2024], 2023),  # January 2024 is in 2023/24
        ("2024-03", [2023, 2024], 2023),
        ("2024-04", [2023, 2024], 2024),  # 2024/25 starts in April
        ("2024-04", [2022, 2023], 2023),  # 2024 not out yet: the latest earlier
        ("2021-06", [2022, 2023], 2022),  # before the table: its earliest
    ],
)
def test_a_months_population_year_is_its_financial_years_first_year(month, years, expected):
    assert performance.month_population_year(pd.Timestamp(month), years) == expected


def test_unscheduled_bed_days_split_by_midnights_charted_per_day(monthly, partnership):
    # 10-15 Jan: 5 in Jan; 30 Jan - 2 Feb: 1 in Jan (31st), 2 in Feb; Rural Stirling's
    # 1-3 Feb: 2 in Feb. The elective stay's day is not unscheduled. Per day: 6 / 31,
    # 2 / 29, 4 / 29 (average beds occupied).
    assert numerator(monthly, "unscheduled_bed_days", CLACKS, "2024-01") == 6
    assert value(monthly, "unscheduled_bed_days", CLACKS, "2024-01") == pytest.approx(6 / 31)
    assert value(monthly, "unscheduled_bed_days", CLACKS, "2024-02") == pytest.approx(2 / 29)
    assert value(monthly, "unscheduled_bed_days", partnership.name, "2024-02") == (
        pytest.approx(4 / 29)
    )


def test_emergency_length_of_stay_by_month_of_discharge(monthly, partnership):
    # Clackmannanshire: 10-15 Jan (5 days) discharged in Jan; 30 Jan - 2 Feb (3 days) in
    # Feb. Feb for the partnership: that 3 and Rural Stirling's 1-3 Feb (2): 5 / 2 = 2.5.
    # Rural Stirling in Jan: only an elective stay - no emergency discharges, no average.
    assert value(monthly, "emergency_length_of_stay", CLACKS, "2024-01") == 5
    assert value(monthly, "emergency_length_of_stay", CLACKS, "2024-02") == 3
    assert value(monthly, "emergency_length_of_stay", partnership.name, "2024-02") == 2.5
    assert np.isnan(value(monthly, "emergency_length_of_stay", RURAL, "2024-01"))


def test_ae_attendances_and_four_hours(monthly):
    # New (3 h) and unplanned return (5 h) count; the planned return does not:
    # 2 attendances, 1 within 4 hours = 50%. Attendances a day: 2 / 31.
    assert numerator(monthly, "ae_attendances", CITY, "2024-01") == 2
    assert value(monthly, "ae_attendances", CITY, "2024-01") == pytest.approx(2 / 31)
    assert value(monthly, "ae_4_hour_percent", CITY, "2024-01") == pytest.approx(50)
    assert np.isnan(value(monthly, "ae_4_hour_percent", CITY, "2024-02"))  # none: no %


def test_delayed_bed_days_charted_as_average_daily_beds(monthly):
    # ready 20 Jan, discharged 5 Feb: 31 - 20 = 11 in Jan, 5 in Feb; average daily
    # delayed beds 11 / 31 and 5 / 29
    assert numerator(monthly, "delayed_bed_days", CLACKS, "2024-01") == 11
    assert numerator(monthly, "delayed_bed_days", CLACKS, "2024-02") == 5
    assert value(monthly, "delayed_bed_days", CLACKS, "2024-01") == pytest.approx(11 / 31)
    assert value(monthly, "delayed_bed_days", CLACKS, "2024-02") == pytest.approx(5 / 29)


def whole_month_delays(people_by_month: dict[str, int]) -> pd.DataFrame:
    """People delayed every day of a month: ready on the last day of the month before
    and discharged on the month's last day, so each has the month's days as bed days."""
    rows = []
    for month, people in people_by_month.items():
        start = pd.Timestamp(month)
        for _ in range(people):
            rows.append((start - pd.Timedelta(days=1), start + pd.offsets.MonthEnd(0)))
    frame = pd.DataFrame(rows, columns=["ready_for_discharge_date", "discharge_date"])
    frame["link_no"] = range(1, len(frame) + 1)
    frame["age"] = 80
    frame["locality"] = CLACKS
    frame["hscp2019"] = "S37000005"
    frame["reason_for_delay"] = "11A"
    frame["reason_for_delay_secondary"] = pd.Series([None] * len(frame), dtype="str")
    return frame


def test_a_february_and_a_march_of_the_same_daily_rate_chart_the_same(partnership):
    # 2 people delayed every day of February 2024 (29 days: 58 bed days) and of March
    # (31 days: 62 bed days): 2 delayed beds a day in both. Other months 1 to 4 a day.
    # Charted per day, February and March are both 2.0, with the same limits (one
    # phase); charted as totals they would be 58 and 62, February low for being short.
    people = {
        "2024-01": 1,
        "2024-02": 2,
        "2024-03": 2,
        "2024-04": 4,
        "2024-05": 1,
        "2024-06": 3,
        "2024-07": 2,
        "2024-08": 1,
        "2024-09": 3,
        "2024-10": 2,
        "2024-11": 4,
        "2024-12": 1,
    }
    monthly = performance.monthly_measures(
        stays_data(),
        ae_data(),
        whole_month_delays(people),
        population_data(),
        partnership,
        "2024-01-01",
        "2024-12-31",
    )
    charts = performance.control_charts(monthly[monthly["measure"] == "delayed_bed_days"])
    clacks = charts[charts["area"] == CLACKS].set_index("month")
    february, march = clacks.loc["2024-02-01"], clacks.loc["2024-03-01"]
    assert (february["numerator"], march["numerator"]) == (58, 62)
    assert february["value"] == march["value"] == pytest.approx(2.0)
    for column in ("mean", "lpl", "upl"):
        assert february[column] == march[column]
    # mean of the daily rates: (1 + 2 + 2 + 4 + 1 + 3 + 2 + 1 + 3 + 2 + 4 + 1) / 12 = 2.1667
    assert february["mean"] == pytest.approx(26 / 12)
    assert february["point_type"] == march["point_type"] == "common_cause"


def test_readmissions_and_their_follow_up(monthly, partnership):
    # Jan discharges: Clackmannanshire's (15 Jan, readmitted as an emergency on 30
    # Jan: 15 days) and Rural Stirling's elective (6 Jan, no later stay): partnership
    # 1 / 2 x 1,000 = 500; Clackmannanshire 1,000. March is dropped: its 28 days of
    # follow-up end after the extract (31 Mar).
    assert value(monthly, "readmission_rate", partnership.name, "2024-01") == 500
    assert value(monthly, "readmission_rate", CLACKS, "2024-01") == 1000
    months = monthly.loc[monthly["measure"] == "readmission_rate", "month"]
    assert months.max() == pd.Timestamp("2024-02-01")


# --- charts, summary, impact ---------------------------------------------------------------


def synthetic_monthly(partnership):
    """24 months of emergency admissions: Clackmannanshire falls from 100/104 to
    70/72 in Jan 2024; the others stay level."""
    months = pd.date_range("2023-01-01", periods=24, freq="MS")
    frames = []
    for area, area_type, values in [
        (partnership.name, "partnership", [300, 310] * 6 + [270, 282] * 6),
        (CLACKS, "locality", [100, 104] * 6 + [70, 72] * 6),
        (RURAL, "locality", [100, 104] * 12),
    ]:
        frames.append(
            pd.DataFrame(
                {
                    "area_type": area_type,
                    "area": area,
                    "measure": "emergency_admissions",
                    "month": months,
                    "numerator": values,
                    "denominator": np.nan,
                    "value": np.array(values, dtype=float),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def test_a_locality_test_rebases_only_that_localitys_charts(partnership):
    monthly = synthetic_monthly(partnership)
    tests = [TestOfChange(pd.Timestamp("2024-01-01"), CLACKS, "Frailty", ("emergency_admissions",))]
    charts = performance.control_charts(monthly, tests)
    phases = charts.groupby("area")["phase"].max()
    assert phases[CLACKS] == 1 and phases[RURAL] == 0 and phases[partnership.name] == 0
    # Clackmannanshire's second phase has its own mean: (70 + 72) / 2 = 71
    clacks = charts[(charts["area"] == CLACKS) & (charts["phase"] == 1)]
    assert clacks["mean"].eq(71).all()
    # the partnership chart is not rebased: its fall shows as special cause (a run of 12
    # below the mean), an improvement for admissions
    whole = charts[charts["area"] == partnership.name].set_index("month")
    assert (whole.loc["2024-01":, "point_type"] == "special_cause_improvement").all()
    # a test of change for another measure does not rebase this one
    other = [TestOfChange(pd.Timestamp("2024-01-01"), CLACKS, "x", ("ae_attendances",))]
    assert performance.control_charts(monthly, other)["phase"].max() == 0


def test_summary_and_impact(partnership):
    monthly = synthetic_monthly(partnership)
    tests = [TestOfChange(pd.Timestamp("2024-01-01"), CLACKS, "Frailty", ("emergency_admissions",))]
    summary = performance.summaries(performance.control_charts(monthly, tests)).set_index("area")
    assert summary.loc[CLACKS, "variation"] == "common_cause"  # stable at its new level
    assert summary.loc[partnership.name, "variation_icon"] == "improvement_low"
    assert summary.loc[CLACKS, "phase_start"] == pd.Timestamp("2024-01-01")
    result = performance.impacts(monthly, tests, partnership).iloc[0]
    # before: 100/104, mean 102, limits 102 -/+ 10.64; after: 70/72 all below the
    # lower limit: improvement in all 12 months; change 71 / 102 - 1 = -30.4%
    assert result["verdict"] == "improvement"
    assert result["improvement_months"] == 12
    assert result["change"] == pytest.approx(71 / 102 - 1)
    assert result["first_signal"] == pd.Timestamp("2024-01-01")
    sentence = workbook.describe(summary.reset_index().iloc[1])
    assert sentence.startswith("Emergency admissions, Clackmannanshire: common cause")
    assert "mean 71.0 a day since Jan 2024" in sentence


def test_provisional_months_are_drawn_but_not_judged(partnership):
    monthly = synthetic_monthly(partnership)
    last3 = monthly["month"] >= pd.Timestamp("2024-10-01")
    # the last three months fall (records still arriving): 40 a day in Clackmannanshire
    monthly.loc[last3 & (monthly["area"] == CLACKS), "value"] = 40.0
    monthly["provisional"] = last3
    tests = [TestOfChange(pd.Timestamp("2024-01-01"), CLACKS, "Frailty", ("emergency_admissions",))]
    charts = performance.control_charts(monthly, tests)
    clacks = charts[charts["area"] == CLACKS].set_index("month")
    assert (clacks.loc["2024-10":, "point_type"] == "provisional").all()
    # the phase's mean, of January to September 2024 only (70, 72, ... 70), carried on
    mean = (5 * 70 + 4 * 72) / 9
    assert clacks.loc["2024-10":, "mean"].eq(clacks.loc["2024-09-01", "mean"]).all()
    assert clacks.loc["2024-09-01", "mean"] == pytest.approx(mean)
    summary = performance.summaries(charts).set_index("area")
    assert summary.loc[CLACKS, "latest_month"] == pd.Timestamp("2024-09-01")
    assert summary.loc[CLACKS, "variation"] == "common_cause"  # the fall is not judged
    # the impact is judged on the complete months only: 9 after the change
    result = performance.impacts(monthly, tests, partnership).iloc[0]
    assert result["months_after"] == 9 and result["change"] == pytest.approx(mean / 102 - 1)


def test_key_messages_say_what_the_latest_month_and_the_changes_show(partnership):
    monthly = synthetic_monthly(partnership)
    tests = [TestOfChange(pd.Timestamp("2024-01-01"), CLACKS, "Frailty", ("emergency_admissions",))]
    summary = performance.summaries(performance.control_charts(monthly, tests))
    impact = performance.impacts(monthly, tests, partnership)
    whole = workbook.key_messages(summary, impact, partnership.name, partnership)
    # the partnership's admissions fell (a run below the mean): improvement, latest Dec 2024
    assert whole[0] == (
        "In December 2024, of the 1 measures for Clackmannanshire & Stirling, 1 showed "
        "special cause improvement (Emergency admissions)."
    )
    # before 102, after 71 a day (the synthetic table's values): -30.4%
    assert whole[1] == (
        "Frailty (Clackmannanshire, from January 2024): emergency admissions went from 102.0 "
        "to 71.0 a day (−30.4%): special cause improvement."
    )
    rural = workbook.key_messages(summary, impact, RURAL, partnership)
    assert len(rural) == 1 and "common cause variation only" in rural[0]


def test_per_day_levels_from_small_counts_are_not_given(partnership):
    # 4.5 admissions a day over months with 140 admissions: shown; from 5: hidden
    measure = MEASURES["emergency_admissions_75plus"]
    assert workbook._fmt_level(4.5, measure, 10, count=140) == "4.50"
    assert workbook._fmt_level(0.16, measure, 10, count=5) == ("a level not shown (small numbers)")
    assert workbook._fmt_level(0, measure, 10, count=0) == "0.00"


def test_every_chart_says_how_it_is_charted(partnership):
    # per day for the totals whose size depends on the month's length; not for ratios
    assert MEASURES["delayed_bed_days"].per_day and "average daily delayed beds" in (
        MEASURES["delayed_bed_days"].charted
    )
    assert not MEASURES["emergency_length_of_stay"].per_day
    assert "month's length does not change" in MEASURES["readmission_rate"].charted


def test_figure_args_mark_the_changes_and_protect_the_counts(partnership):
    monthly = synthetic_monthly(partnership)
    tests = [TestOfChange(pd.Timestamp("2024-01-01"), CLACKS, "Frailty", ("emergency_admissions",))]
    charts = performance.control_charts(monthly, tests)
    summary = performance.summaries(charts)
    args = workbook.figure_args(
        charts, summary, tests, partnership, partnership.name, "emergency_admissions"
    )
    assert args["annotations"] == [(pd.Timestamp("2024-01-01"), "Frailty (Clackmannanshire)")]
    assert args["counts"] == ["numerator"] and args["derived"] == {"value": ["numerator"]}
    assert args["icons"] == ("improvement_low", None)
    assert len(args["data"]) == 24
    local = workbook.figure_args(
        charts, summary, tests, partnership, CLACKS, "emergency_admissions"
    )
    assert local["annotations"] == [(pd.Timestamp("2024-01-01"), "Frailty")]
    assert local["title"].startswith("Emergency admissions, Clackmannanshire: common cause")


def test_impact_table_without_tests_of_change_keeps_its_columns():
    table = workbook.impact_table(pd.DataFrame())
    assert table.empty and {"Count before", "Count after", "Verdict"} <= set(table.columns)
