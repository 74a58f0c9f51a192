"""European age-standardised rates (ESP2013) and their confidence intervals, as ScotPHO computes them.

Source: ScotPHO's indicator production code, GitHub
Public-Health-Scotland/scotpho-indicator-production,
`functions/helper functions/calculate_easr.R` (the EASR and its Dobson
interval), `calculate_crude_rate.R` (a crude rate and its Byar's interval) and
`create_agegroups.R` (the 19 age bands). The method: Dobson AJ, Kuulasmaa K,
Eberle E, Scherer J. Confidence intervals for weighted sums of Poisson
parameters. Stat Med 1991;10:457-62; Byar's approximation to the exact Poisson
interval: Breslow NE, Day NE, Statistical methods in cancer research vol. II
(IARC, 1987); the standard: Eurostat, Revision of the European Standard
Population (2013), 19 bands 0-4 ... 85-89, 90+ (weights per 100,000).
docs/methods.md has the rules in words and a worked example.

For each group (e.g. an area and a year), with O_i events and n_i people in
stratum i (an age band, or an age band x sex) and w_i the ESP2013 weight of its
age band, W the total standard population of the strata:

    EASR = sum(O_i w_i / n_i) / W
    var  = sum(O_i w_i^2 / n_i^2) / W^2
    O = sum(O_i);  O_L, O_U = Byar's 95% limits for O
    lower = EASR + sqrt(var / O) (O_L - O),  upper = EASR + sqrt(var / O) (O_U - O)

all times 100,000; a negative lower limit is set to 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hscp.measures._months import as_columns, check_columns

#: The 2013 European Standard Population, 19 age bands (Eurostat 2013; 0 and 1-4
#: joined into 0-4, 90-94 and 95+ into 90+, as ScotPHO and PHE use it). Sums to 100,000.
ESP2013: dict[str, int] = {
    "0-4": 5000,
    "5-9": 5500,
    "10-14": 5500,
    "15-19": 5500,
    "20-24": 6000,
    "25-29": 6000,
    "30-34": 6500,
    "35-39": 7000,
    "40-44": 7000,
    "45-49": 7000,
    "50-54": 7000,
    "55-59": 6500,
    "60-64": 6000,
    "65-69": 5500,
    "70-74": 5000,
    "75-79": 4000,
    "80-84": 2500,
    "85-89": 1500,
    "90+": 1000,
}
#: The band labels, youngest first.
ESP2013_BANDS = tuple(ESP2013)

# ScotPHO's code uses z = 1.96 for its 95% intervals.
_Z_95 = 1.96


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95), not {confidence!r}")
    if confidence == 0.95:
        return _Z_95
    from scipy.stats import norm  # imported when needed: scipy.stats takes seconds to import

    return float(norm.ppf(1 - (1 - confidence) / 2))


def esp2013_band(age) -> pd.Series:
    """The ESP2013 age band of each age in whole years: 0-4, 5-9, ..., 85-89, 90+.

    As ScotPHO's create_agegroups.R. A missing age has a missing band; a negative
    age is an error.
    """
    ages = pd.Series(age) if not isinstance(age, pd.Series) else age
    values = pd.to_numeric(ages, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if (values < 0).any():
        raise ValueError(f"esp2013_band: negative age ({np.nanmin(values):g})")
    codes = np.where(np.isnan(values), -1, np.minimum(values // 5, 18)).astype(int)
    bands = pd.Categorical.from_codes(codes, categories=list(ESP2013_BANDS), ordered=True)
    return pd.Series(bands, index=ages.index, name="age_band")


def byars_limits(count, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Byar's approximate confidence limits for a Poisson count O.

    lower = O (1 - 1/(9 O) - z/(3 sqrt O))^3; upper = (O + 1)(1 - 1/(9 (O + 1)) +
    z/(3 sqrt(O + 1)))^3, z = 1.96 for 95% (ScotPHO's calculate_easr.R and
    calculate_crude_rate.R). For O = 0 the lower formula is undefined; its limit,
    and the exact lower limit, is 0.
    """
    z = _z(confidence)
    observed = np.asarray(count, dtype=float)
    if (observed < 0).any():
        raise ValueError("byars_limits: a count is negative")
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = observed * (1 - 1 / (9 * observed) - z / (3 * np.sqrt(observed))) ** 3
    lower = np.where(observed == 0, 0.0, lower)
    upper = (observed + 1) * (1 - 1 / (9 * (observed + 1)) + z / (3 * np.sqrt(observed + 1))) ** 3
    return lower, upper


def _counts(count, size, what: str) -> tuple[np.ndarray, np.ndarray]:
    """Counts and their denominators as 1-d float arrays of one length (plain numbers
    become one element), so the interval functions take numbers, arrays and Series."""
    counts = np.atleast_1d(np.asarray(count, dtype=float))
    sizes = np.atleast_1d(np.asarray(size, dtype=float))
    if counts.ndim > 1 or sizes.ndim > 1:
        raise ValueError(f"{what}: counts and denominators must be numbers or 1-d, not tables")
    if len(sizes) == 1 and len(counts) > 1:
        sizes = np.repeat(sizes, len(counts))
    if len(counts) != len(sizes):
        raise ValueError(f"{what}: {len(counts)} counts but {len(sizes)} denominators")
    return counts, sizes


def crude_rate_ci(count, population, per: float = 1000, confidence: float = 0.95) -> pd.DataFrame:
    """A crude rate with its confidence interval: columns rate, lower, upper.

    rate = count / population x per; the limits are Byar's limits of the count
    divided by the population, x per (ScotPHO's calculate_crude_rate.R), a
    negative lower limit set to 0. A zero or missing population gives missing
    values. Numbers, arrays or Series: plain numbers give a one-row frame
    (crude_rate_ci(24, 1200) is 20.0 per 1,000, 12.8 to 29.8).
    """
    counts, pop = _counts(count, population, "crude_rate_ci")
    pop = np.where(pop > 0, pop, np.nan)
    lower, upper = byars_limits(counts, confidence)
    out = pd.DataFrame(
        {
            "rate": counts / pop * per,
            "lower": np.maximum(lower, 0) / pop * per,
            "upper": upper / pop * per,
        }
    )
    if isinstance(count, pd.Series):
        out.index = count.index
    return out


def proportion_ci(
    numerator, denominator, per: float = 100, confidence: float = 0.95
) -> pd.DataFrame:
    """A proportion with its Wilson score interval: columns rate, lower, upper (x `per`).

    p = numerator / denominator; limits (2 n p + z^2 -/+ z sqrt(z^2 + 4 n p (1 - p))) /
    (2 (n + z^2)), z = 1.96 for 95% (Wilson 1927, as PHE/OHID's Technical Guide:
    Confidence Intervals recommends for proportions). A zero or missing denominator
    gives missing values. Numbers, arrays or Series (plain numbers: a one-row frame).
    """
    z = _z(confidence)
    events, n = _counts(numerator, denominator, "proportion_ci")
    n = np.where(n > 0, n, np.nan)
    p = events / n
    centre = 2 * n * p + z**2
    spread = z * np.sqrt(z**2 + 4 * n * p * (1 - p))
    out = pd.DataFrame(
        {
            "rate": p * per,
            "lower": (centre - spread) / (2 * (n + z**2)) * per,
            "upper": (centre + spread) / (2 * (n + z**2)) * per,
        }
    )
    if isinstance(numerator, pd.Series):
        out.index = numerator.index
    return out


def easr(
    data: pd.DataFrame,
    count: str,
    population: str,
    age_band: str,
    *,
    sex: str | None = None,
    by: str | Sequence[str] | None = None,
    per: float = 100_000,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """European age-standardised rates (ESP2013) with Dobson confidence intervals, per group.

    `data` has one row per group and stratum: the `count` of events, the
    `population` (person-years) and the ESP2013 `age_band` ("0-4" ... "90+",
    esp2013_band); with `sex` named, a stratum is an age band x sex and the rate
    is age-sex standardised (each sex weighted by the ESP, as ScotPHO does:
    100,000 per sex). Rows of the same group and stratum are added up. Groups
    are the `by` columns; by default every other column. Each group must have
    the same strata, and the total standard population W is the sum of their
    ESP2013 weights: all 19 bands give 100,000; the bands 65-69 ... 90+ alone
    give 14,500 (an EASR for people aged 65+).

    Returns *by, count, population (the group's totals, under their own names),
    rate, lower, upper (per `per`, 100,000 by default), following ScotPHO's
    calculate_easr.R (module docstring): a stratum with no population and no
    events adds nothing; the lower limit is not below 0. With no events the
    Dobson interval is undefined (0/0): rate and lower are 0 and upper is missing
    (ScotPHO's code writes 0 for all three).
    Source: Public-Health-Scotland/scotpho-indicator-production,
    functions/helper functions/calculate_easr.R; Dobson et al. (1991).
    """
    strata = [age_band] if sex is None else [age_band, sex]
    check_columns(data, [count, population, *strata], "easr")
    if by is None:
        groups = [c for c in data.columns if c not in (count, population, *strata)]
    else:
        groups = as_columns(by)
        check_columns(data, groups, "easr")
    _check_easr_input(data, count, population, age_band)

    table = data[[*groups, *strata, count, population]].copy()
    table[age_band] = table[age_band].astype(str)
    keys = [*groups, *strata]
    table = table.groupby(keys, dropna=False, sort=False, observed=True)[[count, population]].sum()
    table = table.reset_index()
    _check_same_strata(table, groups, strata)

    observed = table[count].to_numpy(dtype=float)
    people = table[population].to_numpy(dtype=float)
    if ((people == 0) & (observed > 0)).any():
        bad = table.loc[(people == 0) & (observed > 0), keys].head(3).to_dict("records")
        raise ValueError(f"easr: events with no population in {bad}")
    weight = table[age_band].map(ESP2013).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["_weighted"] = np.where(people > 0, observed * weight / people, 0.0)
        table["_variance"] = np.where(people > 0, observed * weight**2 / people**2, 0.0)
    standard = table.drop_duplicates(strata)[age_band].map(ESP2013).sum()

    if groups:
        summed = table.groupby(groups, dropna=False, sort=False, observed=True)[
            [count, population, "_weighted", "_variance"]
        ].sum()
        out = summed.reset_index()
    else:
        out = table[[count, population, "_weighted", "_variance"]].sum().to_frame().T
    total = out[count].to_numpy(dtype=float)
    rate = out["_weighted"].to_numpy(dtype=float) / standard
    variance = out["_variance"].to_numpy(dtype=float) / standard**2
    low_count, high_count = byars_limits(total, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.sqrt(variance / total)
        lower = np.where(total > 0, rate + scale * (low_count - total), 0.0)
        upper = np.where(total > 0, rate + scale * (high_count - total), np.nan)
    out["rate"] = rate * per
    out["lower"] = np.maximum(lower, 0) * per
    out["upper"] = upper * per
    for column in (count, population):
        if pd.api.types.is_integer_dtype(data[column]):
            out[column] = out[column].astype(np.int64)
    return out.drop(columns=["_weighted", "_variance"])


def _check_easr_input(data: pd.DataFrame, count: str, population: str, age_band: str) -> None:
    bands = data[age_band].astype("string")
    unknown = sorted(set(bands.dropna()) - set(ESP2013_BANDS))
    if unknown or bands.isna().any():
        shown = ", ".join(map(repr, unknown[:5])) or "missing values"
        raise ValueError(
            f"easr: column {age_band!r} has values that are not ESP2013 bands ({shown}); "
            f"expected {', '.join(ESP2013_BANDS)} (see esp2013_band)"
        )
    for column in (count, population):
        values = pd.to_numeric(data[column], errors="coerce")
        if values.isna().any() or (values < 0).any():
            raise ValueError(
                f"easr: column {column!r} must be a count of 0 or more in every row "
                f"({int(values.isna().sum())} missing, {int((values < 0).sum())} negative)"
            )


def _check_same_strata(table: pd.DataFrame, groups: list[str], strata: list[str]) -> None:
    """Every group must have every stratum, or their EASRs would use different standards."""
    if not groups:
        return
    all_strata = table[strata].drop_duplicates()
    n_strata = len(all_strata)
    per_group = table.groupby(groups, dropna=False, observed=True).size()
    short = per_group[per_group < n_strata]
    if len(short):
        example = short.index[0]
        have = table
        values = example if isinstance(example, tuple) else (example,)
        for column, value in zip(groups, values, strict=True):
            have = have[have[column] == value]
        missing = all_strata.merge(have[strata], how="left", indicator=True)
        missing = missing[missing["_merge"] == "left_only"][strata]
        raise ValueError(
            f"easr: {len(short)} group(s) lack strata that others have, e.g. {example!r} has no "
            f"row for {missing.head(3).to_dict('records')}; add those rows with a count of 0 "
            "and their population"
        )
