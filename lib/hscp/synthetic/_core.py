"""Small vectorised helpers: random streams, days, ages, categorical sampling."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import cache

import numpy as np

EPOCH = np.datetime64("1970-01-01", "D")

# Stream numbers: each (seed, stream, partnership) has its own generator, so a
# partnership's data do not depend on which other partnerships are generated.
STREAMS = {
    "geography": 1,
    "register": 2,
    "emergency": 3,
    "elective": 4,
    "readmission": 5,
    "stays": 6,
    "episodes": 8,
    "ae": 9,
    "edge": 11,
    "care_homes": 12,
    "home_care": 13,
    "long_stay": 14,
    "mental_health": 15,
    "deaths": 16,
    "deprivation": 17,
}


def rng(seed: int, stream: str, index: int = 0) -> np.random.Generator:
    return np.random.default_rng([int(seed), STREAMS[stream], int(index)])


def day(date: dt.date) -> int:
    """Days since 1970-01-01."""
    return int((np.datetime64(date, "D") - EPOCH).astype(np.int64))


_TABLE_START = -40_000  # 1860-06-28; the lookup covers 1860 to 2133


@cache
def _calendar() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = EPOCH + np.arange(_TABLE_START, 60_000).astype("timedelta64[D]")
    years = d.astype("datetime64[Y]")
    months = d.astype("datetime64[M]")
    y = (years.astype(np.int64) + 1970).astype(np.int16)
    m = ((months - years).astype(np.int64) + 1).astype(np.int8)
    dd = ((d - months).astype(np.int64) + 1).astype(np.int8)
    return y, m, dd


def ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month (1-12) and day of month of day numbers (a table lookup)."""
    y, m, d = _calendar()
    i = np.asarray(days, dtype=np.int64) - _TABLE_START
    return y[i], m[i], d[i]


def month_index(days: np.ndarray) -> np.ndarray:
    """Month of the year, 0-11."""
    d = EPOCH + np.asarray(days, dtype=np.int64).astype("timedelta64[D]")
    return (d.astype("datetime64[M]").astype(np.int64) % 12).astype(np.int8)


def weekday(days: np.ndarray) -> np.ndarray:
    """0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday)."""
    return ((np.asarray(days, dtype=np.int64) + 3) % 7).astype(np.int8)


def age_at(dob: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Exact age in completed years on each day."""
    by, bm, bd = ymd(dob)
    y, m, d = ymd(days)
    before = (m.astype(np.int16) * 32 + d) < (bm.astype(np.int16) * 32 + bd)
    return (y - by - before).astype(np.int16)


def daily_from_monthly(days: np.ndarray, factors: Sequence[float]) -> np.ndarray:
    """A smooth daily factor from 12 monthly factors (mean 1 kept), by interpolating
    between mid-month points around the year."""
    f = np.asarray(factors, dtype=float)
    f = f / f.mean()
    y, m, d = ymd(days)
    pos = (m - 1) + (d - 1) / 30.5 - 0.5  # months since mid-January
    ext = np.concatenate([f[-1:], f, f[:1]])
    return np.interp(pos, np.arange(-1, 13), ext)


def categorical(
    rng: np.random.Generator, probs: np.ndarray, groups: np.ndarray | None = None
) -> np.ndarray:
    """One draw per row from a categorical distribution. probs is (k,) or, with groups,
    (n_groups, k) and each row uses the distribution of its group."""
    probs = np.asarray(probs, dtype=float)
    if probs.ndim == 1:
        cum = np.cumsum(probs / probs.sum())
        n = 1 if groups is None else len(groups)
        return np.minimum(np.searchsorted(cum, rng.random(n), side="right"), len(cum) - 1)
    cum = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(len(groups))
    out = np.zeros(len(groups), dtype=np.int64)
    for g in np.unique(groups):
        rows = np.flatnonzero(groups == g)
        out[rows] = np.searchsorted(cum[g], u[rows], side="right")
    return np.minimum(out, probs.shape[1] - 1)


def choice(rng: np.random.Generator, options: Mapping, n: int) -> np.ndarray:
    """n draws from {value: weight}."""
    values = np.array(list(options))
    return values[categorical(rng, np.array(list(options.values()), dtype=float), np.zeros(n, int))]


GOLDEN = 0.6180339887498949


def _order(key: np.ndarray, groups: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Row order by (group, key), and each sorted row's group."""
    groups = np.zeros(len(key), dtype=np.int64) if groups is None else np.asarray(groups)
    order = np.lexsort((key, groups))
    return order, groups[order]


def spread_uniforms(g: np.random.Generator, key: np.ndarray, groups=None) -> np.ndarray:
    """Uniform numbers spread evenly along `key` within each group: a Weyl sequence
    frac(u0 + k * golden ratio) in key order. Any run of consecutive records gets an
    even spread of values, so totals over time windows vary less than with independent
    draws (the distribution of each value is still uniform)."""
    order, sorted_groups = _order(key, groups)
    k = rank_within(sorted_groups)
    offsets = g.random(int(sorted_groups.max(initial=0)) + 1)[sorted_groups]
    out = np.empty(len(key))
    out[order] = (offsets + k * GOLDEN) % 1.0
    return out


def systematic(g: np.random.Generator, p: np.ndarray, key: np.ndarray, groups=None) -> np.ndarray:
    """Bernoulli(p) selection by systematic sampling in `key` order within each group:
    each record is selected with probability p, and the number selected in any run of
    records is within one of the sum of their p."""
    order, sorted_groups = _order(key, groups)
    ps = np.asarray(p, dtype=float)[order]
    first = group_starts(sorted_groups)
    offsets = g.random(len(first))
    cum = np.cumsum(ps)
    base = np.repeat(cum[first] - ps[first], np.diff(np.append(np.flatnonzero(first), len(ps))))
    start = np.repeat(offsets[: first.sum()], np.diff(np.append(np.flatnonzero(first), len(ps))))
    c = start + cum - base
    chosen = np.floor(c) > np.floor(c - ps)
    out = np.zeros(len(p), dtype=bool)
    out[order] = chosen
    return out


def group_starts(sorted_keys: np.ndarray) -> np.ndarray:
    """True at the first row of each run of equal keys."""
    first = np.ones(len(sorted_keys), dtype=bool)
    first[1:] = sorted_keys[1:] != sorted_keys[:-1]
    return first


def rank_within(sorted_keys: np.ndarray) -> np.ndarray:
    """0, 1, 2 ... within each run of equal keys (keys sorted)."""
    n = len(sorted_keys)
    idx = np.arange(n)
    starts = np.flatnonzero(group_starts(sorted_keys))
    run_start = np.repeat(starts, np.diff(np.append(starts, n)))
    return idx - run_start


def cummax_within(sorted_keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Running maximum of values within runs of equal keys (keys sorted)."""
    if len(values) == 0:
        return values.copy()
    # Offset each run so a plain running max cannot carry across runs.
    offset = np.cumsum(group_starts(sorted_keys)).astype(np.int64) * (1 << 32)
    return np.maximum.accumulate(values.astype(np.int64) + offset) - offset
