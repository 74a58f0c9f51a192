"""hscp.text: every kind of number in a sentence, with its edge cases worked out by hand."""

import math

import numpy as np
import pandas as pd
import pytest

from hscp import text

NAN = float("nan")


@pytest.mark.parametrize(
    ("n", "threshold", "expected"),
    [
        (1234, 10, "1,234"),
        (0, 10, "0"),  # nothing is not a small count
        (1, 10, "fewer than 10"),
        (9, 10, "fewer than 10"),  # the largest suppressed count
        (10, 10, "10"),  # the threshold itself is published
        (9.6, 10, "fewer than 10"),  # below the threshold before rounding
        (10.4, 10, "10"),
        (4, 5, "fewer than 5"),
        (5, 5, "5"),
        (None, 10, "fewer than 10"),  # suppressed: as a table shows it
        (NAN, 10, "fewer than 10"),
        (pd.NA, 10, "fewer than 10"),
        (1234567, 10, "1,234,567"),
    ],
)
def test_count(n, threshold, expected):
    assert text.count(n, threshold=threshold) == expected


def test_count_needs_the_threshold():
    with pytest.raises(TypeError):
        text.count(5)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (25, 200, "12.5%"),
        (0, 200, "0.0%"),
        (9, 200, "a small share (fewer than 10)"),
        (10, 200, "5.0%"),
        (10, 0, "not available"),  # no whole
        (None, 200, "not available"),
        (10, NAN, "not available"),
    ],
)
def test_share(part, whole, expected):
    assert text.share(part, whole, threshold=10) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.1234, "12.3%"),
        (0.12345, "12.3%"),
        (1, "100.0%"),
        (-0.05, "-5.0%"),
        (0.0, "0.0%"),
        (None, "not available"),
    ],
)
def test_percent(value, expected):
    assert text.percent(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.05, "+5.0%"),
        (-0.05, "\u22125.0%"),  # a true minus sign
        (0.0, "+0.0%"),
        (-0.0, "+0.0%"),
        (NAN, "no comparison"),
    ],
)
def test_signed_percent(value, expected):
    assert text.signed_percent(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-0.12, "fell by 12.0%"),
        (0.2, "rose by 20.0%"),
        (0.0004, "was unchanged"),  # 0.04% shows as 0.0%
        (0.0005, "rose by 0.1%"),  # 0.05% rounds up to 0.1%
        (-0.0004, "was unchanged"),
        (None, "could not be compared"),
    ],
)
def test_change(value, expected):
    assert text.change(value) == expected


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (0.0951, 1, "a rise of 9.5%"),
        (-0.024, 1, "a fall of 2.4%"),
        (0.0001, 1, "no change"),
        (0.0001, 2, "a rise of 0.01%"),  # 0.01% shows with two decimals
        (NAN, 1, "no comparison"),
    ],
)
def test_growth(value, digits, expected):
    assert text.growth(value, digits) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1234.56, "1,234.6"),
        (0.04, "0.0"),
        (None, "not available"),
    ],
)
def test_number(value, expected):
    assert text.number(value) == expected


@pytest.mark.parametrize(
    ("pounds", "short", "expected"),
    [
        (1_940_000, False, "£1.9 million"),
        (60_000_000, True, "£60.0m"),
        (999_999, False, "£1,000,000"),  # under a million: rounded to the thousand
        (168_400, False, "£168,000"),
        (10_000, False, "£10,000"),
        (9_999, False, "£9,999"),
        (950, False, "£950"),
        (0, False, "£0"),
        (-2_000_000, False, "a saving of £2.0 million"),
        (NAN, False, "not available"),
    ],
)
def test_money(pounds, short, expected):
    assert text.money(pounds, short=short) == expected


@pytest.mark.parametrize(
    ("pounds", "expected"),
    [
        (120_000, "£120,000 released"),
        (-2_500_000, "a net cost of £2.5 million"),
        (0.4, "£0"),
        (-950, "a net cost of £950"),
        (float("nan"), text.NOT_AVAILABLE),
    ],
)
def test_net_money(pounds, expected):
    assert text.net_money(pounds) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(43489.2, "£43,489"), (-43489, "−£43,489"), (-0.2, "£0")]
)
def test_pounds_in_tables(value, expected):
    assert text.pounds(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1100, "1,100"),
        (100, "100"),
        (14, "14"),
        (2.5, "2.5"),
        (0, "0"),
        (0.15, "0.15"),
        (0.1, "0.1"),
        (0.001, "0.001"),  # not "0." nor "0": small values keep two significant figures
        (0.0049, "0.0049"),
        (-0.5, "-0.5"),
        (np.float64(0.03), "0.03"),
    ],
)
def test_short_number(value, expected):
    assert text.short_number(value) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (28, "days", "28 days"),
        (10, "hours", "10 hours"),
        (150, "£", "£150"),
        (0.15, "share", "0.15"),
        (0.15, "shift", "0.15 higher"),
        (-0.15, "shift", "0.15 lower"),
    ],
)
def test_with_unit(value, unit, expected):
    assert text.with_unit(value, unit) == expected


def test_rate_carries_its_unit():
    assert text.rate(12.345, "per 1,000 people aged 75+") == "12.3 per 1,000 people aged 75+"
    assert text.rate(None, "per 1,000") == "not available"


@pytest.mark.parametrize(
    ("items", "conjunction", "expected"),
    [
        ([], "and", ""),
        (["a"], "and", "a"),
        (["a", "b"], "and", "a and b"),
        (["a", "b", "c"], "and", "a, b and c"),
        (["a", "b", "c"], "or", "a, b or c"),
    ],
)
def test_join(items, conjunction, expected):
    assert text.join(items, conjunction) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Stirling", "Stirling's"),
        ("Orkney Islands", "Orkney Islands'"),
        ("Scotland", "Scotland's"),
        ("Western Isles", "Western Isles'"),
    ],
)
def test_possessive(name, expected):
    assert text.possessive(name) == expected


def test_months_and_words():
    assert text.month(pd.Timestamp("2024-03-01")) == "March 2024"
    assert text.month_short("2024-03-31") == "Mar 2024"
    assert text.lower_first("More care at home") == "more care at home"
    assert (text.plural(1, "month"), text.plural(3, "month")) == ("month", "months")
    assert text.missing(math.nan) and text.missing(None) and not text.missing(0)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Emergency admissions", "emergency admissions"),
        ("A&E attendances", "A&E attendances"),
        ("PPAs avoided", "PPAs avoided"),
        ("", ""),
    ],
)
def test_lower_first_keeps_abbreviations(label, expected):
    assert text.lower_first(label) == expected


@pytest.mark.parametrize(("x", "expected"), [(4.52, "+4.5"), (-0.84, "−0.8"), (-0.04, "+0.0")])
def test_signed_number(x, expected):
    assert text.signed_number(x) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(30085.4, "£30,085k"), (-458.2, "−£458k"), (0.3, "£0k")]
)
def test_thousands_of_pounds_in_tables(value, expected):
    assert text.pounds_thousands(value) == expected


@pytest.mark.parametrize(
    ("first", "last", "clause"),
    [
        (
            "2025-01-01",
            "2025-03-31",
            " (January to March 2025 provisional: records still arriving)",
        ),
        (
            "2024-12-01",
            "2025-03-31",
            " (December 2024 to March 2025 provisional: records still arriving)",
        ),
        ("2025-03-01", "2025-03-31", " (March 2025 provisional: records still arriving)"),
        ("2025-04-01", "2025-03-31", ""),  # after the period: nothing provisional in it
        (None, "2025-03-31", ""),
    ],
)
def test_provisional_names_the_months(first, last, clause):
    assert text.provisional(first, last) == clause
