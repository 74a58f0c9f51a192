"""Numbers in sentences: one way to write each kind of number, everywhere.

Counts, shares, changes, growth, money, rates with their units, lists, possessives,
months and the short numbers of chart labels. Every function that could quote a
count takes the disclosure threshold as an argument (no default), so a sentence
can only quote a count as a published table would show it: a count from 1 to
threshold - 1 reads "fewer than 10". `report.fmt_*` bind the report's threshold.

A missing value (None or NaN) never reads as a number: each function says what
it writes instead ("not available", "could not be compared").
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

#: The minus sign in signed changes (U+2212: the width of "+", unlike a hyphen).
MINUS = "\u2212"
NOT_AVAILABLE = "not available"


def missing(value) -> bool:
    """True for None, NaN and pandas' missing markers."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # an array or a list is not one missing value
        return False


def _rounds_to_zero(share: float, digits: int) -> bool:
    """True when a share shown as a percentage with `digits` decimals reads 0."""
    return abs(share) < 0.5 * 10 ** -(digits + 2)


# --- counts and shares (disclosure-aware) ----------------------------------------------


def count(n: float | None, *, threshold: int) -> str:
    """A count for a sentence: 1234 -> '1,234'. From 1 to threshold - 1, or missing
    (suppressed), it reads 'fewer than <threshold>', as a published table would."""
    if missing(n) or 0 < n < threshold:
        return f"fewer than {threshold}"
    return f"{round(n):,}"


def share(part: float | None, whole: float | None, *, threshold: int, digits: int = 1) -> str:
    """part / whole as a percentage ('12.3%'), unless the part is a small count
    ('a small share (fewer than 10)'); 'not available' without a part or a whole."""
    if missing(part) or missing(whole) or whole == 0:
        return NOT_AVAILABLE
    if 0 < part < threshold:
        return f"a small share (fewer than {threshold})"
    return percent(part / whole, digits)


# --- plain numbers --------------------------------------------------------------------


def number(x: float | None, digits: int = 1) -> str:
    """1234.56 -> '1,234.6' (digits after the point)."""
    if missing(x):
        return NOT_AVAILABLE
    return f"{x:,.{digits}f}"


def percent(x: float | None, digits: int = 1) -> str:
    """A share as a percentage: 0.1234 -> '12.3%'."""
    if missing(x):
        return NOT_AVAILABLE
    return f"{100 * x:.{digits}f}%"


def whole_percent(x: float | None) -> str:
    """The size of a share, whole and unsigned: -0.123 -> '12%' (for '12% fewer')."""
    if missing(x):
        return NOT_AVAILABLE
    return f"{100 * abs(x):.0f}%"


def signed_percent(x: float | None, digits: int = 1) -> str:
    """A relative change with its sign: 0.05 -> '+5.0%', -0.05 -> '−5.0%' (a true minus
    sign); zero reads '+0.0%'. Missing: 'no comparison'."""
    if missing(x):
        return "no comparison"
    return f"{'+' if x >= 0 else MINUS}{abs(x) * 100:.{digits}f}%"


def short_number(value: float) -> str:
    """A value for a chart label, as short as it reads exactly enough: 1,100 / 14 / 2.5 /
    0.15 / 0.001 (two significant figures below 1)."""
    value = float(value)
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1 or value == 0:
        return f"{value:g}"
    return np.format_float_positional(value, precision=2, unique=True, fractional=False, trim="-")


# --- changes ---------------------------------------------------------------------------


def change(x: float | None, digits: int = 1) -> str:
    """A relative change that happened: -0.12 -> 'fell by 12.0%', 0 -> 'was unchanged'."""
    if missing(x):
        return "could not be compared"
    if _rounds_to_zero(x, digits):
        return "was unchanged"
    return f"{'rose' if x > 0 else 'fell'} by {100 * abs(x):.{digits}f}%"


def growth(x: float | None, digits: int = 1) -> str:
    """A projected relative change, tense-neutral: 0.095 -> 'a rise of 9.5%', -0.024 ->
    'a fall of 2.4%', 0 -> 'no change'."""
    if missing(x):
        return "no comparison"
    if _rounds_to_zero(x, digits):
        return "no change"
    return f"a {'rise' if x > 0 else 'fall'} of {100 * abs(x):.{digits}f}%"


# --- money and quantities with units ------------------------------------------------------


def money(pounds: float, *, short: bool = False) -> str:
    """Pounds in sensible units: '£1.9 million', '£168,000' (rounded to the thousand from
    £10,000), '£950'; a negative amount is 'a saving of £...'. `short` writes millions as
    '£1.9m' (tables, chart labels)."""
    if missing(pounds):
        return NOT_AVAILABLE
    if pounds < 0:
        return f"a saving of {money(-pounds, short=short)}"
    if pounds >= 1e6:
        return f"£{pounds / 1e6:,.1f}{'m' if short else ' million'}"
    if pounds >= 1e4:
        return f"£{round(pounds, -3):,.0f}"
    return f"£{pounds:,.0f}"


#: The table format (report.table `formats`) for whole pounds with a true minus sign.
POUNDS = "pounds"


def pounds(value: float) -> str:
    """Whole pounds for a table: 43489.2 -> '£43,489', -43489 -> '−£43,489'."""
    if missing(value):
        return NOT_AVAILABLE
    return f"{MINUS if round(value) < 0 else ''}£{abs(value):,.0f}"


#: The table format for thousands of pounds ('£30,085k'): money in a published table is in
#: thousands, so a sum of pounds is never an 8-digit number that could be read as a record
#: identifier, and no table claims a precision to the pound that a model does not have.
THOUSANDS = "pounds_thousands"


def pounds_thousands(value: float) -> str:
    """Thousands of pounds for a table: 30085.4 -> '£30,085k', -458.2 -> '−£458k'."""
    if missing(value):
        return NOT_AVAILABLE
    return f"{MINUS if round(value) < 0 else ''}£{abs(value):,.0f}k"


def net_money(pounds: float, *, short: bool = False) -> str:
    """A net amount that can go either way: 120000 -> '£120,000 released', -2.5e6 ->
    'a net cost of £2.5 million', 0 -> '£0'."""
    if missing(pounds):
        return NOT_AVAILABLE
    if round(pounds) == 0:
        return "£0"
    if pounds < 0:
        return f"a net cost of {money(-pounds, short=short)}"
    return f"{money(pounds, short=short)} released"


def rate(value: float | None, per: str, digits: int = 1) -> str:
    """A rate with its unit: rate(12.34, 'per 1,000 people aged 75+') -> '12.3 per 1,000
    people aged 75+'."""
    if missing(value):
        return NOT_AVAILABLE
    return f"{number(value, digits)} {per}".rstrip()


def with_unit(value: float, unit: str) -> str:
    """A parameter value with its unit: '28 days', '10 hours', '£150', '0.15'; a 'shift'
    (a change to an estimated share) reads '0.15 higher' or '0.15 lower'."""
    text = short_number(value)
    if unit == "£":
        return f"£{text}"
    if unit in ("days", "hours"):
        return f"{text} {unit}"
    if unit == "shift":
        return f"{short_number(abs(float(value)))} {'higher' if float(value) > 0 else 'lower'}"
    return text


# --- words ------------------------------------------------------------------------------------


def join(items: Iterable[str], conjunction: str = "and") -> str:
    """A list as a sentence reads it: 'a', 'a and b', 'a, b and c' (or 'or')."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def possessive(name: str) -> str:
    """A name's possessive: "Stirling's", "Orkney Islands'" (a name ending in s)."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def upper_first(text: str) -> str:
    """The first letter in upper case, to begin a sentence with a label."""
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """The first letter in lower case, for a label inside a sentence; an abbreviation
    ('A&E attendances', 'PPAs') keeps its capitals."""
    if len(text) > 1 and not text[1].islower():
        return text
    return text[:1].lower() + text[1:]


def signed_number(x: float | None, digits: int = 1) -> str:
    """A difference with its sign: 4.52 -> '+4.5', -0.84 -> '−0.8' (a true minus sign)."""
    if missing(x):
        return NOT_AVAILABLE
    rounded = round(float(x), digits)
    return f"{'+' if rounded >= 0 else MINUS}{abs(rounded):,.{digits}f}"


def plural(n: float, singular: str, plural_form: str | None = None) -> str:
    """The noun for a number: plural(1, 'month') -> 'month', plural(3, 'month') -> 'months'."""
    return singular if n == 1 else (plural_form or f"{singular}s")


# --- months -----------------------------------------------------------------------------------


def month(ts) -> str:
    """A month in a sentence: 'March 2024'."""
    return f"{pd.Timestamp(ts):%B %Y}"


def month_short(ts) -> str:
    """A month in a chart or table: 'Mar 2024'."""
    return f"{pd.Timestamp(ts):%b %Y}"


__all__ = [
    "MINUS",
    "NOT_AVAILABLE",
    "change",
    "count",
    "growth",
    "join",
    "lower_first",
    "upper_first",
    "missing",
    "money",
    "month",
    "month_short",
    "number",
    "percent",
    "plural",
    "possessive",
    "rate",
    "share",
    "short_number",
    "signed_percent",
    "whole_percent",
    "with_unit",
]


def provisional(first, last) -> str:
    """The clause that names a period's provisional months, for a sentence that quotes
    them: ' (January to March 2025 provisional: records still arriving)'; '' when there
    are none (first None or after last)."""
    if first is None or pd.Timestamp(first) > pd.Timestamp(last):
        return ""
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    months = f"{first:%B %Y}" if first.to_period("M") == last.to_period("M") else (
        f"{first:%B} to {last:%B %Y}" if first.year == last.year else f"{first:%B %Y} to {last:%B %Y}"
    )  # fmt: skip
    return f" ({months} provisional: records still arriving)"
