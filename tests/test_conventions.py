"""hscp.conventions: financial years, months, age bands and sex codes, each with a
table of edge cases worked out from the calendar and the published coding."""

import numpy as np
import pandas as pd
import pytest

from hscp.conventions import age_bands, financial_years, months, sex
from hscp.conventions.financial_years import FinancialYear, financial_year, parse_financial_year

# --- financial years ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2024/25", 2024),
        ("2024-25", 2024),
        ("2024/2025", 2024),
        (" 2024 - 2025 ", 2024),
        ("1999/00", 1999),  # the century turns
        ("2099/00", 2099),
    ],
)
def test_financial_year_labels_parse(text, year):
    assert parse_financial_year(text) == FinancialYear(year)


@pytest.mark.parametrize("text", ["2024/26", "2024", "24/25", "2024/2026", "April 2024"])
def test_not_financial_year_labels(text):
    with pytest.raises(ValueError, match="not a financial year"):
        parse_financial_year(text)


@pytest.mark.parametrize(
    ("value", "year"),
    [
        ("2024-03-31", 2023),  # the last day of 2023/24
        ("2024-04-01", 2024),  # the first day of 2024/25
        (pd.Timestamp("2025-01-15"), 2024),
        (2024, 2024),
        (np.int64(2024), 2024),
        ("2023/24", 2023),
        (FinancialYear(2020), 2020),
    ],
)
def test_financial_year_of_a_date_year_or_label(value, year):
    assert financial_year(value).year == year


@pytest.mark.parametrize(
    ("year", "label", "days", "start", "end"),
    [
        (2023, "2023/24", 366, "2023-04-01", "2024-03-31"),  # holds 29 February 2024
        (2024, "2024/25", 365, "2024-04-01", "2025-03-31"),
        (1999, "1999/00", 366, "1999-04-01", "2000-03-31"),  # 2000 is a leap year
        (2099, "2099/00", 365, "2099-04-01", "2100-03-31"),  # 2100 is not
    ],
)
def test_financial_year_label_days_and_bounds(year, label, days, start, end):
    fy = FinancialYear(year)
    assert (fy.label, str(fy), fy.days) == (label, label, days)
    assert (fy.start, fy.end) == (pd.Timestamp(start), pd.Timestamp(end))
    assert financial_years.days_in_financial_year([year])[0] == days
    assert financial_years.financial_year_label(year) == label


def test_population_year_is_the_first_calendar_year():
    # 2024/25 holds the mid-year of 30 June 2024
    assert FinancialYear(2024).population_year == 2024


@pytest.mark.parametrize(
    ("start", "end", "year"),
    [
        ("2019-04-01", "2024-03-31", 2023),
        ("2019-04-01", "2024-03-30", 2022),  # one day short of 2023/24
        ("2023-04-01", "2024-03-31", 2023),  # exactly one year
        ("2023-04-02", "2024-03-31", None),  # starts a day late: none complete
    ],
)
def test_latest_complete_financial_year(start, end, year):
    found = financial_years.latest_complete(start, end)
    assert (found.year if found else None) == year


# --- months -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2024-02-15", "2024-02-01", "2024-02-29"),  # a leap February
        ("2023-02", "2023-02-01", "2023-02-28"),
        ("2024-12-31", "2024-12-01", "2024-12-31"),
        (pd.Period("2024-04", "M"), "2024-04-01", "2024-04-30"),
        (pd.Timestamp("2024-01-01 13:00"), "2024-01-01", "2024-01-31"),
    ],
)
def test_month_start_and_end(value, first, last):
    assert months.month_start(value) == pd.Timestamp(first)
    assert months.month_end(value) == pd.Timestamp(last)


def test_a_missing_month_is_an_error():
    with pytest.raises(ValueError, match="not a month"):
        months.month_start(pd.NaT)


@pytest.mark.parametrize(
    ("end", "first", "last"),
    [
        ("2024-03-31", "2023-04-01", "2024-03-31"),  # the data end on a month's last day
        ("2024-03-30", "2023-03-01", "2024-02-29"),  # March is not complete
        ("2024-12-31", "2024-01-01", "2024-12-31"),
    ],
)
def test_complete_months(end, first, last):
    assert months.complete_months(end, 12) == (pd.Timestamp(first), pd.Timestamp(last))


def test_months_between_is_inclusive():
    found = months.months_between("2024-11-20", "2025-02-03")
    assert list(found.strftime("%Y-%m")) == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert months.months_between("2025-02-01", "2024-11-01").empty


# --- age bands ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bounds", "labels"),
    [
        ([0, 65, 75], ["0-64", "65-74", "75+"]),
        ([0], ["0+"]),
        ([0, 18, 45, 65, 75, 85], ["0-17", "18-44", "45-64", "65-74", "75-84", "85+"]),
        ([0, 1], ["0-0", "1+"]),
    ],
)
def test_band_labels(bounds, labels):
    assert age_bands.band_labels(bounds) == labels


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, "0-64"),
        (64, "0-64"),
        (64.9, "0-64"),
        (65, "65-74"),
        (74, "65-74"),
        (75, "75+"),
        (110, "75+"),
    ],
)
def test_band_of_an_age_at_the_edges(age, band):
    assert age_bands.band_of([age], [0, 65, 75])[0] == band


@pytest.mark.parametrize(
    ("bounds", "message"),
    [
        ([18, 65], "must start at 0"),
        ([], "must start at 0"),
        ([0, 65, 65], "must increase"),
        ([0, 75, 65], "must increase"),
    ],
)
def test_bad_bands(bounds, message):
    with pytest.raises(ValueError, match=message):
        age_bands.band_labels(bounds)


def test_bands_stop_at_the_oldest_age():
    assert age_bands.check_bands([0, 90], oldest=90) == [0, 90]
    with pytest.raises(ValueError, match="90 or younger"):
        age_bands.check_bands([0, 95], oldest=90)


@pytest.mark.parametrize(
    ("youngest", "oldest", "label"),
    [(18, None, "18+"), (65, None, "65+"), (75, None, "75+"), (18, 74, "18-74")],
)
def test_group_labels(youngest, oldest, label):
    assert age_bands.group_label(youngest, oldest) == label


# --- sex ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "name"),
    [(1, "Male"), (2, "Female"), ("1", "Male"), (9, None), (None, None)],
)
def test_sex_name(code, name):
    got = sex.sex_name(pd.Series([code])).iloc[0]
    assert (None if pd.isna(got) else got) == name


@pytest.mark.parametrize(
    ("name", "code"),
    [("Male", 1), ("Female", 2), (" female ", 2), ("MALE", 1), ("All", None)],
)
def test_sex_code(name, code):
    got = sex.sex_code(pd.Series([name])).iloc[0]
    assert (None if pd.isna(got) else got) == code


def test_the_one_map_goes_both_ways():
    assert sex.SEX_NAMES == {1: "Male", 2: "Female"}
    assert sex.SEX_CODES == {"Male": 1, "Female": 2}


@pytest.mark.parametrize(
    ("extract_date", "n", "first"),
    [
        ("2025-03-31", 3, "2025-01-01"),  # the last day of a month: the 3 months up to it
        ("2025-03-15", 3, "2024-12-01"),  # mid-month: December is still short of records
        ("2025-03-31", 0, "2025-04-01"),  # none: the month after the extract
        ("2024-02-29", 1, "2024-01-01"),  # 29 Jan is not January's last day: January too
        ("2024-03-31", 1, "2024-03-01"),
        ("2025-01-31", 12, "2024-02-01"),
    ],
)
def test_provisional_from(extract_date, n, first):
    assert months.provisional_from(extract_date, n) == pd.Timestamp(first)
