"""Interrupted time series: segmented Poisson regression of monthly counts.

The model (Lopez Bernal, Cummins and Gasparrini, *Interrupted time series regression
for the evaluation of public health interventions: a tutorial*, Int J Epidemiol 2017;
46(1): 348-355, and its R code):

    log E[count_t] = log(offset_t) + b0 + b1 time + b2 change_t + b3 months_since_t
                     + sum_k (c_k sin(2 pi k time / 12) + d_k cos(2 pi k time / 12))

change_t is the 0/1 intervention column; months_since_t = time - (the last time
before the change) once the change has begun, 0 before (the first month of the
change counts 1, as the tutorial's I(time - 36):smokban). exp(b2) is the level
change (rate ratio), exp(b3) the change in the monthly trend. Overdispersion:
quasi-Poisson, the coefficients' variance scaled by the Pearson chi-squared / residual
degrees of freedom (R's family = quasipoisson). Confidence intervals are Wald
intervals on the log scale with the normal quantile, exp(b -/+ 1.96 se), as the
tutorial's ci.exp (Epi package).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from hscp.errors import HscpError

#: Months in the seasonal period of the Fourier terms.
PERIOD = 12
#: The most sine and cosine pairs: with 6, sin(pi t) is 0 at every whole month.
MAX_HARMONICS = 5


class EvaluationError(HscpError, ValueError):
    """Data an evaluation cannot use: names the column and the problem."""


@dataclass(frozen=True)
class ItsResult:
    """An interrupted time series fit: the level change (rate_ratio, lower, upper), the
    slope change (slope_ratio, per month), the fitted and counterfactual series."""

    rate_ratio: float
    lower: float
    upper: float
    p_value: float
    slope_ratio: float  # change in the trend, a ratio per month (NaN without a slope term)
    slope_lower: float
    slope_upper: float
    slope_p_value: float
    trend_ratio: float  # the trend before the change, a ratio per month
    dispersion: float  # the scale: Pearson chi-squared / df (1 without overdispersion)
    n_before: int
    n_after: int
    coefficients: pd.DataFrame  # term, estimate, se, rate_ratio, lower, upper, p_value
    series: pd.DataFrame  # time, observed, fitted, counterfactual (expected counts)
    model: object = field(repr=False, compare=False)

    @property
    def level_change(self) -> float:
        """The level change as a share: rate ratio - 1 (e.g. -0.115 = 11.5% lower)."""
        return self.rate_ratio - 1


def harmonic_terms(time, harmonics: int, period: int = PERIOD) -> pd.DataFrame:
    """Fourier terms sin(2 pi k t / period), cos(2 pi k t / period), k = 1..harmonics
    (R tsModel::harmonic). Months counted from 1 give the same terms as calendar months
    when time 1 is a January, and a shifted but equivalent set otherwise."""
    t = np.asarray(time, dtype=float)
    cols = {}
    for k in range(1, harmonics + 1):
        cols[f"sin{k}"] = np.sin(2 * np.pi * k * t / period)
        cols[f"cos{k}"] = np.cos(2 * np.pi * k * t / period)
    return pd.DataFrame(cols)


def _check(data, outcome, time, intervention, offset, harmonics) -> pd.DataFrame:
    needed = [c for c in (outcome, time, intervention, offset) if c is not None]
    missing = [c for c in needed if c not in data.columns]
    if missing:
        raise EvaluationError(f"its: no column {', '.join(map(repr, missing))} in the data")
    frame = data[needed].copy()
    for column in needed:
        values = pd.to_numeric(frame[column], errors="coerce")
        if values.isna().any():
            raise EvaluationError(
                f"its: column {column!r} has {int(values.isna().sum())} missing or non-numeric values"
            )
        frame[column] = values.astype(float)
    if (frame[outcome] < 0).any():
        raise EvaluationError(f"its: column {outcome!r} (counts) has negative values")
    if offset is not None and (frame[offset] <= 0).any():
        raise EvaluationError(f"its: column {offset!r} (the offset's population) must be above 0")
    if not frame[intervention].isin([0, 1]).all():
        raise EvaluationError(
            f"its: column {intervention!r} must be 0 before the change and 1 from it"
        )
    if frame[time].duplicated().any():
        raise EvaluationError(f"its: column {time!r} has repeated months")
    frame = frame.sort_values(time).reset_index(drop=True)
    flag = frame[intervention].to_numpy()
    if flag[0] == 1 or flag[-1] == 0 or (np.diff(flag) < 0).any():
        raise EvaluationError(
            f"its: column {intervention!r} must switch from 0 to 1 once, with months on both sides"
        )
    if not 0 <= harmonics <= MAX_HARMONICS or int(harmonics) != harmonics:
        raise EvaluationError(f"its: harmonics must be a whole number from 0 to {MAX_HARMONICS}")
    return frame


def _design(frame, time, intervention, harmonics, slope_change, last_before):
    x = pd.DataFrame({"const": 1.0, "time": frame[time], "level": frame[intervention]})
    if slope_change:
        x["slope"] = (frame[time] - last_before) * frame[intervention]
    for name, values in harmonic_terms(frame[time], harmonics).items():
        x[name] = values.to_numpy()
    return x


def its(
    data: pd.DataFrame,
    outcome: str,
    time: str,
    intervention: str,
    *,
    offset: str | None = None,
    harmonics: int = 0,
    overdispersion: bool = True,
    slope_change: bool = True,
) -> ItsResult:
    """Segmented Poisson regression of monthly counts around a change (module docstring).

    `data`: one row per month; `outcome` the count column; `time` months counted from
    1 (also the Fourier terms' clock, 12-month period); `intervention` 0 before the
    change and 1 from it; `offset` a population column (its log is the offset);
    `harmonics` sine and cosine pairs; `overdispersion` quasi-Poisson when true;
    `slope_change` false fits the step change alone (the tutorial's main model).
    """
    frame = _check(data, outcome, time, intervention, offset, harmonics)
    first_after = frame.loc[frame[intervention] == 1, time].iloc[0]
    last_before = frame.loc[frame[time] < first_after, time].iloc[-1]
    x = _design(frame, time, intervention, harmonics, slope_change, last_before)
    log_offset = np.log(frame[offset].to_numpy()) if offset else None
    model = sm.GLM(frame[outcome], x, family=sm.families.Poisson(), offset=log_offset)
    fit = model.fit(scale="X2" if overdispersion else None)
    z = stats.norm.ppf(0.975)
    coef = pd.DataFrame(
        {
            "term": fit.params.index,
            "estimate": fit.params.to_numpy(),
            "se": fit.bse.to_numpy(),
            "p_value": fit.pvalues.to_numpy(),
        }
    )
    coef["rate_ratio"] = np.exp(coef["estimate"])
    coef["lower"] = np.exp(coef["estimate"] - z * coef["se"])
    coef["upper"] = np.exp(coef["estimate"] + z * coef["se"])
    row = coef.set_index("term")
    counterfactual_x = x.assign(level=0.0, **({"slope": 0.0} if slope_change else {}))
    series = pd.DataFrame(
        {
            "time": frame[time].to_numpy(),
            "observed": frame[outcome].to_numpy(),
            "fitted": fit.predict(x, offset=log_offset).to_numpy(),
            "counterfactual": fit.predict(counterfactual_x, offset=log_offset).to_numpy(),
        }
    )
    slope = row.loc["slope"] if slope_change else pd.Series(np.nan, index=row.columns)
    return ItsResult(
        rate_ratio=float(row.loc["level", "rate_ratio"]),
        lower=float(row.loc["level", "lower"]),
        upper=float(row.loc["level", "upper"]),
        p_value=float(row.loc["level", "p_value"]),
        slope_ratio=float(slope["rate_ratio"]),
        slope_lower=float(slope["lower"]),
        slope_upper=float(slope["upper"]),
        slope_p_value=float(slope["p_value"]),
        trend_ratio=float(row.loc["time", "rate_ratio"]),
        dispersion=float(fit.scale),
        n_before=int((frame[intervention] == 0).sum()),
        n_after=int((frame[intervention] == 1).sum()),
        coefficients=coef[["term", "estimate", "se", "rate_ratio", "lower", "upper", "p_value"]],
        series=series,
        model=fit,
    )
