"""The unscheduled care report's key messages, sentences and table arguments, on small
hand-made results (every expected number worked out by hand in a comment)."""

import pandas as pd

from hscp import geography
from hscp.measures import PeriodComparison
from hscp.workbooks import unscheduled_care as wb

MINUS = "\u2212"


def year(latest: float, previous: float | None) -> PeriodComparison:
    """The 12 months April 2024 to March 2025 (365 days) against the 12 before."""
    return PeriodComparison(
        latest, previous, pd.Timestamp("2024-04-01"), pd.Timestamp("2025-03-01"), 12
    )


# --- key messages, one at a time ------------------------------------------------------------


def test_admissions_message():
    # 1,200 against 1,000 admissions: 1200 / 1000 - 1 = +20%; 7,300 bed days over the 365
    # days of Apr 2024 to Mar 2025: 7300 / 365 = 20 beds a day
    said = wb.admissions_message("Stirling", year(1200, 1000), year(7300, 7000), threshold=10)
    assert said == (
        "From Apr 2024 to Mar 2025, Stirling's residents had 1,200 emergency admissions to "
        "hospital, which rose by 20.0% on the 12 months before. They spent 7,300 days in "
        "hospital after an emergency admission: 20 beds occupied on an average day."
    )


def test_admissions_message_with_a_small_count_and_no_year_before():
    # 7 admissions (1 to 9 are suppressed at threshold 10); no previous 12 months;
    # 73 bed days / 365 days = 0.2, shown as 0 beds
    said = wb.admissions_message("Orkney Islands", year(7, None), year(73, None), threshold=10)
    assert "Orkney Islands' residents had fewer than 10 emergency admissions" in said
    assert "which could not be compared on the 12 months before" in said
    assert "They spent 73 days" in said and "0 beds occupied" in said
    assert "7 emergency" not in said


def test_ppa_message_hides_a_small_condition():
    # 150 of 1,200 admissions: 12.5%; asthma's 4 admissions are fewer than 10
    said = wb.ppa_message(150, 1200, {"COPD": 40, "heart failure": 25, "asthma": 4}, threshold=10)
    assert said == (
        "Of these admissions, 150 (12.5%) were potentially preventable: for conditions where "
        "timely primary and community care can often prevent an admission. The commonest were "
        "COPD (40), heart failure (25), asthma (fewer than 10)."
    )


def test_ppa_message_with_few_ppas():
    # 6 PPAs: the count and its share are both hidden
    said = wb.ppa_message(6, 1200, {"COPD": 6}, threshold=10)
    assert said.startswith(
        "Of these admissions, fewer than 10 (a small share (fewer than 10)) were potentially"
    )
    assert "COPD (fewer than 10)" in said


def drivers(long_stays: int = 20) -> dict[str, pd.DataFrame]:
    """Bed day drivers of 200 admissions and 1,000 bed days."""
    los = pd.DataFrame(
        {
            "los_band": ["0-20 days", "21+ days"],
            "admissions": [200 - long_stays, long_stays],
            "bed_days": [600, 400],
        }
    )
    ages = pd.DataFrame(
        {
            "age_group": ["0-64", "65-74", "75-84", "85+"],
            "admissions": [80, 40, 50, 30],
            "bed_days": [300, 200, 250, 250],
        }
    )
    conditions = pd.DataFrame(
        {
            "condition_group": ["Falls and fractures", "Dementia and delirium", "Other conditions"],
            "admissions": [30, 20, 150],
            "bed_days": [300, 100, 600],
        }
    )
    return {"los_band": los, "age_group": ages, "condition_group": conditions}


def test_long_stays_message():
    # 21+ days: 20 of 200 admissions = 10.0%, 400 of 1,000 bed days = 40.0%;
    # aged 75+: 250 + 250 of 1,000 bed days = 50.0%
    d = drivers()
    assert wb.long_stays_message(d["los_band"], d["age_group"], threshold=10) == (
        "Stays of 21 days or more were 10.0% of emergency admissions but used 40.0% of "
        "emergency bed days; people aged 75 and over used 50.0%."
    )


def test_long_stays_message_with_few_long_stays():
    # 5 long stays: their share of admissions is not given
    d = drivers(long_stays=5)
    said = wb.long_stays_message(d["los_band"], d["age_group"], threshold=10)
    assert said.startswith("Stays of 21 days or more were a small share (fewer than 10) of")


def test_ae_message():
    # 1,800 of 2,000 within 4 hours = 90.0%; 500 of 2,000 admitted = 25.0%
    assert wb.ae_message(2000, 1800, 500, threshold=10) == (
        "There were 2,000 A&E attendances: 90.0% were completed within 4 hours (the standard "
        "is 95%) and 25.0% were admitted."
    )


def attenders() -> pd.DataFrame:
    """20 people: 4 frequent, with 6 attendances and 3 admissions each (24 and 12); 16
    others, with 1 attendance each and 18 admissions between them (16 and 18)."""
    frequent = pd.DataFrame({"frequent": True, "attendances": [6] * 4, "admissions": [3] * 4})
    others = pd.DataFrame(
        {"frequent": False, "attendances": [1] * 16, "admissions": [2] * 2 + [1] * 14}
    )
    return pd.concat([frequent, others], ignore_index=True)


def test_frequent_message_hides_fewer_than_the_threshold():
    # 4 frequent attenders: fewer than 10, and a share of them not given; their
    # attendances 24 of 40 = 60.0%, admissions 12 of 30 = 40.0%
    said = wb.frequent_message(attenders(), 5, threshold=10)
    assert said == (
        "In the same 12 months, fewer than 10 people came to A&E 5 or more times (a small "
        "share (fewer than 10) of attenders); they made 60.0% of attendances and 40.0% of the "
        "admissions that followed one."
    )


def test_frequent_message_at_a_lower_threshold():
    # threshold 3: 4 people are shown, 4 of 20 = 20.0%
    said = wb.frequent_message(attenders(), 5, threshold=3)
    assert said.startswith("In the same 12 months, 4 people came to A&E 5 or more times (20.0%")


def test_rate_comparison_with_and_without_a_comparator():
    row = pd.Series({"easr": 120.0, "easr_lower": 110.0, "easr_upper": 131.0})
    cols = ("easr", "easr_lower", "easr_upper")
    # Scotland's 100 is below the interval 110 to 131: higher
    said = wb.rate_comparison(
        "Stirling", row, "Scotland", 100.0, measure="rate", unit="per 1,000", columns=cols
    )
    assert said == (
        "Stirling's rate (120.0 per 1,000; 95% CI 110.0 to 131.0) is higher than Scotland's "
        "(100.0 per 1,000), by more than chance would explain."
    )
    alone = wb.rate_comparison("Stirling", row, None, None, measure="rate", unit="per 1,000", columns=cols)  # fmt: skip
    assert alone == (
        "Stirling's rate (120.0 per 1,000; 95% CI 110.0 to 131.0) is shown without a "
        "comparator: the data do not cover Scotland (see below)."
    )


def test_driver_findings():
    # aged 75+: 50 + 30 of 200 admissions = 40.0%, 500 of 1,000 bed days = 50.0%;
    # falls and fractures used the most bed days of the named groups: 300 of 1,000 = 30.0%
    # ("Other conditions" has more, 600, but is not a clinical group)
    said = wb.driver_findings(drivers(), threshold=10)
    assert said["age_group"] == (
        "People aged 75+ had 40.0% of emergency admissions but used 50.0% of emergency bed days"
    )
    assert said["condition_group"] == (
        "Of the clinical condition groups, falls and fractures used the most emergency bed "
        "days (30.0%)"
    )
    assert said["los_band"] == (
        "Stays of 21+ days were 10.0% of emergency admissions but used 40.0% of emergency bed days"
    )
    assert wb.driver_findings(drivers(long_stays=3), threshold=10)["los_band"].startswith(
        "Stays of 21+ days were a small share (fewer than 10) of emergency admissions"
    )


# --- key messages of a whole (hand-made) result -------------------------------------------------

P = geography.partnerships()[0]


def rates(area: str, easr: tuple[float, float, float], scotland_easr: float) -> pd.DataFrame:
    rows = [
        (area, "Locality", "Emergency admissions", 1200, *easr),
        ("Scotland", "Scotland", "Emergency admissions", 500_000, scotland_easr, 99.0, 101.0),
    ]
    columns = ["area", "area_type", "measure", "count", "easr", "easr_lower", "easr_upper"]
    return pd.DataFrame(rows, columns=columns)


def indicators(area: str) -> pd.DataFrame:
    rows = [
        (area, "NI16", 60, 20.0, 15.0, 25.0),
        ("Scotland", "NI16", 30_000, 22.0, 21.8, 22.2),
    ]
    return pd.DataFrame(rows, columns=["area", "indicator", "numerator", "rate", "lower", "upper"])


def result(compared: list[str]) -> wb.UnscheduledCare:
    """A result for 'Stirling': 1,200 admissions (1,000 the year before), 7,300 bed days,
    150 PPAs (90 COPD, 60 asthma), 2,000 A&E attendances."""
    area = "Stirling"
    ppa_year = pd.DataFrame({"ppa_condition": ["COPD"] * 90 + ["asthma"] * 60})
    arrived = pd.Timestamp("2024-06-01 10:00")
    latest_ae = pd.DataFrame(
        {
            # 2,000 new attendances and 50 planned returns (not counted)
            "attendance_category": ["New"] * 2000 + ["Planned return"] * 50,
            "arrival_datetime": arrived,
            # 1,800 seen within 4 hours (3 hours), 200 in 5 hours; the returns in 1 hour
            "departure_datetime": [arrived + pd.Timedelta(hours=3)] * 1800
            + [arrived + pd.Timedelta(hours=5)] * 200
            + [arrived + pd.Timedelta(hours=1)] * 50,
            "discharge_destination": ["Admitted"] * 500 + ["Home"] * 1550,
        }
    )
    d = drivers()
    frame = pd.DataFrame()
    return wb.UnscheduledCare(
        area=area, locality=area, partnership=P, period_text="", threshold=10,
        frequent_threshold=5, start=pd.Timestamp("2023-04-01"), end=pd.Timestamp("2025-03-31"),
        stays=frame, attendances=frame, monthly=frame, ppa_monthly=frame, ae_monthly=frame,
        admissions=year(1200, 1000), bed_days=year(7300, 7000), drivers=d, latest_ae=latest_ae,
        per_person=attenders(), ppa_year=ppa_year, board=True, covered=compared[1:],
        compared=compared, emergency_table=frame, indicator_table=frame, population=frame,
        rates=rates(area, (120.0, 110.0, 131.0), 100.0), indicators=indicators(area),
    )  # fmt: skip


def test_key_messages_against_the_widest_comparator():
    messages = wb.key_messages(result(["Stirling", "Scotland"]))
    assert len(messages) == 7
    assert messages[0].startswith("From Apr 2024 to Mar 2025, Stirling's residents had 1,200")
    # EASR 120 (110 to 131) against Scotland's 100: higher
    assert "is higher than Scotland's (100.0 per 1,000)" in messages[1]
    # 150 of 1,200 = 12.5%; COPD 90, asthma 60
    assert "150 (12.5%)" in messages[2] and "COPD (90), asthma (60)." in messages[2]
    assert messages[3].startswith("Stays of 21 days or more were 10.0%")
    # 2,000 counted attendances (planned returns left out): 1,800 within 4 hours = 90.0%,
    # 500 admitted = 25.0%
    assert messages[4] == wb.ae_message(2000, 1800, 500, threshold=10)
    assert messages[4].startswith("There were 2,000 A&E attendances: 90.0%")
    assert messages[5].startswith("In the same 12 months, fewer than 10 people")
    # falls: 20.0 (15.0 to 25.0) against Scotland's 22.0: inside the interval
    assert messages[6] == (
        "Stirling's rate of emergency admissions after a fall (20.0 per 1,000 aged 65+; 95% CI "
        "15.0 to 25.0) is similar to Scotland's (22.0 per 1,000 aged 65+): the difference "
        "could be chance."
    )


def test_key_messages_with_no_comparator_the_data_cover():
    messages = wb.key_messages(result(["Stirling"]))
    assert messages[1].endswith("is shown without a comparator: the data do not cover Scotland (see below).")  # fmt: skip
    assert "shown without a comparator" in messages[6]


# --- tables and figures --------------------------------------------------------------------


def test_band_shares_are_long_with_their_counts():
    bands = pd.DataFrame(
        {
            "band": ["1", "2-4"],
            "people": [30, 10],
            "attendances": [30, 25],
            "admissions": [5, 5],
            "people_share": [0.75, 0.25],
            "attendances_share": [30 / 55, 25 / 55],
            "admissions_share": [0.5, 0.5],
        }
    )
    long = wb.band_shares(bands)
    assert list(long["band"][:2]) == ["1 attendance", "2-4 attendances"]
    people = long[long["measure"] == "People"]
    assert people["count"].tolist() == [30, 10] and people["share"].tolist() == [0.75, 0.25]
    assert set(long["measure"]) == {"People", "Attendances", "Admissions that followed"}


def test_ppa_conditions_table_is_in_the_areas_order():
    conditions = pd.DataFrame(
        {
            "ppa_condition": ["COPD", "COPD", "asthma", "asthma"],
            "area": ["Stirling", "Scotland", "Stirling", "Scotland"],
            "admissions": [90, 9000, 60, 12000],
            "share": [0.6, 9000 / 21000, 0.4, 12000 / 21000],
        }
    )
    uc = result(["Stirling", "Scotland"])
    args = wb.ppa_conditions_table_args(uc, conditions)
    assert args["data"]["ppa_condition"].tolist() == ["COPD", "asthma"]
    assert list(args["data"].columns) == [
        "ppa_condition",
        "Stirling admissions",
        "Stirling share",
        "Scotland share",
    ]
    assert args["counts"] == ["Stirling admissions"] and args["safe"] == ["Scotland share"]


def test_frequent_note_names_the_thresholds():
    assert wb.frequent_note(3) == (
        "Comparators are available for a frequent attender threshold of 2, 5 or 10 "
        "attendances, not 3."
    )
