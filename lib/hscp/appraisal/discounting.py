"""Discounting to present values: the HM Treasury Green Book's declining schedule.

Source: HM Treasury, *The Green Book: central government guidance on appraisal and
evaluation* (2022), section A6 and Table 8: the social time preference rate is
3.5% a year for years 0-30, 3.0% for years 31-75, 2.5% for 76-125, 2.0% for
126-200, 1.5% for 201-300 and 1.0% from 301. Each year is discounted at the rate of
the band it falls in, so year 35 = 30 years at 3.5% and 5 at 3.0%. The Green
Book's health discount rate (1.5% for years 0-30, then 1.29%, 1.07% ...) is the
same schedule scaled by 1.5 / 3.5; `rate` scales the schedule the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hscp.appraisal.settings import AppraisalError

#: The Green Book's standard rate for years 0-30.
GREEN_BOOK_RATE = 0.035
#: (last year of the band, its rate at the standard 3.5%); the last band is open.
GREEN_BOOK_SCHEDULE = (
    (30, 0.035),
    (75, 0.030),
    (125, 0.025),
    (200, 0.020),
    (300, 0.015),
    (np.inf, 0.010),
)


def discount_factors(years, rate: float = GREEN_BOOK_RATE) -> np.ndarray | float:
    """1 / (1 + r)^t for each year t (0 = now, undiscounted), with the Green Book's
    declining long-term rates.

    With the default rate: years 1-30 at 3.5% (year 10: 1 / 1.035^10 = 0.7089);
    a year beyond 30 is discounted at 3.5% for 30 years and 3.0% for the rest (year
    31: 1 / (1.035^30 x 1.03) = 0.3459; year 35: 1 / (1.035^30 x 1.03^5) = 0.3073);
    beyond 75 at 2.5%, and so on (module docstring). Another `rate` r scales every
    band by r / 3.5%. Years must be whole numbers, 0 or more. A scalar in gives a
    float out.
    """
    if not 0 <= rate < 1:
        raise AppraisalError(f"discount rate must be from 0 to 1, not {rate!r}")
    t = np.asarray(years, dtype=float)
    if np.isnan(t).any() or (t < 0).any() or (t != np.round(t)).any():
        raise AppraisalError(f"years must be whole numbers, 0 or more: {years!r}")
    scale = rate / GREEN_BOOK_RATE
    log_factor = np.zeros_like(t)
    start = 0.0
    for last, band_rate in GREEN_BOOK_SCHEDULE:
        years_in_band = np.clip(t, start, last) - start
        log_factor -= years_in_band * np.log1p(band_rate * scale)
        start = last
    out = np.exp(log_factor)
    return float(out) if out.ndim == 0 else out


def npv(
    cash_flows: Sequence[float] | pd.Series, rate: float = GREEN_BOOK_RATE, years=None
) -> float:
    """Net present value: sum of cash flow_t x discount_factors(t).

    `cash_flows` in year order from year 0, or a Series indexed by year (then its
    index gives the years), or with `years` given alongside. Costs negative,
    savings positive.
    """
    if isinstance(cash_flows, pd.Series) and years is None:
        years = cash_flows.index.to_numpy()
    values = np.asarray(cash_flows, dtype=float)
    years = np.arange(len(values)) if years is None else np.asarray(years)
    if len(years) != len(values):
        raise AppraisalError(f"{len(values)} cash flows but {len(years)} years")
    if np.isnan(values).any():
        raise AppraisalError("a cash flow is missing (NaN)")
    return float(np.sum(values * discount_factors(years, rate)))
