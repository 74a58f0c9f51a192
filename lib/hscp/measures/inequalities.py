"""Inequalities by deprivation: rates by SIMD quintile and the gap between them.

The Scottish Index of Multiple Deprivation (SIMD) ranks the 6,976 datazones of
2011; quintile 1 is the most deprived fifth and quintile 5 the least deprived.
A record's quintile comes from its datazone (`datazone2011`) through the lookup
PHS publishes (`simd_quintiles`); Scotland-level quintiles rank every datazone in
Scotland, within-partnership quintiles rank only the partnership's own.

The measures are those of the Scottish Government's long-term monitoring of health
inequalities, after ScotPHO's practical guide (Measuring socio-economic
inequalities in health, 2008):

- absolute gap: rate in the most deprived quintile - rate in the least deprived;
- relative gap: rate in the most deprived / rate in the least deprived;
- slope index of inequality (SII): the slope of the population-weighted least
  squares line of each quintile's rate on its relative rank (the midpoint of its
  share of the population, ranked from least deprived, 0, to most deprived, 1), so
  a positive SII is the difference in rate from the least to the most deprived end
  of the whole population;
- relative index of inequality (RII) = SII / the population mean rate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hscp.measures._months import check_columns
from hscp.measures.standardise import crude_rate_ci

#: SIMD quintiles, most deprived first (the Scottish convention).
QUINTILES = (1, 2, 3, 4, 5)
QUINTILE_LABELS = {
    1: "1 (most deprived)",
    2: "2",
    3: "3",
    4: "4",
    5: "5 (least deprived)",
}


def simd_quintiles(
    records: pd.DataFrame, lookup: pd.DataFrame, *, column: str = "simd_quintile"
) -> pd.Series:
    """Each record's SIMD quintile from its datazone (missing where the datazone is
    not in the lookup). `lookup` has datazone2011 and the quintile `column` (for
    example the Scotland-level or the within-partnership quintile)."""
    check_columns(records, ["datazone2011"], "simd_quintiles (records)")
    check_columns(lookup, ["datazone2011", column], "simd_quintiles (lookup)")
    quintile = lookup.drop_duplicates("datazone2011").set_index("datazone2011")[column]
    return records["datazone2011"].map(quintile).astype("Int64").rename("simd_quintile")


def rates_by_quintile(
    events: pd.DataFrame,
    population: pd.DataFrame,
    *,
    per: float = 1000,
    count: str = "count",
) -> pd.DataFrame:
    """Crude rates by SIMD quintile with 95% confidence intervals.

    `events` has simd_quintile and `count`; `population` has simd_quintile and
    population (both summed over any other columns). Returns one row per quintile,
    most deprived first: simd_quintile, quintile (label), count, population, rate,
    lower, upper, population_share. A quintile with no events has a count of 0.
    """
    check_columns(events, ["simd_quintile", count], "rates_by_quintile (events)")
    check_columns(population, ["simd_quintile", "population"], "rates_by_quintile (population)")
    counts = events.groupby("simd_quintile")[count].sum()
    people = population.groupby("simd_quintile")["population"].sum()
    out = pd.DataFrame({"simd_quintile": list(QUINTILES)})
    out["quintile"] = out["simd_quintile"].map(QUINTILE_LABELS)
    out["count"] = out["simd_quintile"].map(counts).fillna(0)
    out["population"] = out["simd_quintile"].map(people).fillna(0.0).astype(float)
    out = pd.concat([out, crude_rate_ci(out["count"], out["population"], per=per)], axis=1)
    total = out["population"].sum()
    out["population_share"] = out["population"] / total if total > 0 else np.nan
    return out


def relative_ranks(population: pd.Series) -> pd.Series:
    """Each group's relative rank (ridit): the midpoint of its share of the population,
    counted from the least deprived (the last quintile) to the most deprived (the first).

    Quintiles of equal size have ranks 0.9, 0.7, 0.5, 0.3, 0.1 (quintile 1 to 5).
    """
    share = population.to_numpy(float) / population.sum()
    from_least = share[::-1]
    midpoints = np.cumsum(from_least) - from_least / 2
    return pd.Series(midpoints[::-1], index=population.index, name="relative_rank")


def inequality_gaps(rates: pd.DataFrame) -> dict[str, float]:
    """The gap between the most and least deprived for rates by quintile (as
    `rates_by_quintile` returns): absolute_gap, relative_gap, sii, rii and mean_rate
    (the population mean rate). Quintiles without population are left out of the
    slope; gaps need both extreme quintiles.
    """
    check_columns(rates, ["simd_quintile", "population", "rate"], "inequality_gaps")
    rows = rates[rates["population"] > 0].sort_values("simd_quintile")
    by_q = rows.set_index("simd_quintile")["rate"]
    most, least = by_q.get(1, np.nan), by_q.get(5, np.nan)
    weights = rows["population"] / rows["population"].sum()
    x = relative_ranks(rows["population"]).to_numpy(float)
    y = rows["rate"].to_numpy(float)
    w = weights.to_numpy(float)
    mean_rate = float(np.sum(w * y)) if len(rows) else np.nan
    if len(rows) >= 2:
        x_bar = float(np.sum(w * x))
        sxx = float(np.sum(w * (x - x_bar) ** 2))
        sii = float(np.sum(w * (x - x_bar) * (y - mean_rate)) / sxx) if sxx > 0 else np.nan
    else:
        sii = np.nan
    return {
        "absolute_gap": float(most - least),
        "relative_gap": float(most / least) if least and least > 0 else np.nan,
        "sii": sii,
        "rii": sii / mean_rate if mean_rate and mean_rate > 0 else np.nan,
        "mean_rate": mean_rate,
    }


#: The datazone population's age groups in each population the measures use.
AGE_GROUPS = {
    "all ages": ("0-17", "18-64", "65-74", "75+"),
    "18+": ("18-64", "65-74", "75+"),
    "65+": ("65-74", "75+"),
    "75+": ("75+",),
}
#: The lookup's quintile columns: Scotland's, and within the council area.
SCOTLAND_QUINTILE = "simd2020v2_sc_quintile"
LOCAL_QUINTILE = "simd2020v2_ca2019_quintile"


def partnership_rates_by_quintile(
    events: pd.DataFrame,
    lookup: pd.DataFrame,
    population: pd.DataFrame,
    *,
    partnership: str,
    year: int,
    column: str = SCOTLAND_QUINTILE,
    ages: str = "all ages",
    count: str | None = None,
    per: float = 1000,
) -> pd.DataFrame:
    """Rates by SIMD quintile for a partnership's residents: `events` (one row each, or
    a `count` column) by the quintile of their datazone, over the population of the
    partnership's datazones in `year` of the `ages` (AGE_GROUPS). Events whose datazone is
    not one of the partnership's are left out (they are counted in `unmatched` of the
    returned frame's attrs)."""
    check_columns(lookup, ["datazone2011", "hscp2019", column], "partnership_rates_by_quintile")
    check_columns(population, ["year", "datazone2011", "age_group", "population"],
                  "partnership_rates_by_quintile (population)")  # fmt: skip
    mine = lookup[lookup["hscp2019"] == partnership]
    quintile = mine.drop_duplicates("datazone2011").set_index("datazone2011")[column]
    q = events["datazone2011"].map(quintile)
    counted = events.assign(simd_quintile=q, count=events[count] if count else 1)
    pop = population[
        (population["year"] == year)
        & population["datazone2011"].isin(quintile.index)
        & population["age_group"].isin(AGE_GROUPS[ages])
    ]
    pop = pop.assign(simd_quintile=pop["datazone2011"].map(quintile))
    rates = rates_by_quintile(counted.dropna(subset=["simd_quintile"]), pop, per=per)
    rates.attrs["unmatched"] = int(q.isna().sum())
    return rates
