"""Populations: the NRS-anchored base, ageing by cohort, localities and projections."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from hscp import geography
from hscp.synthetic import _params as P
from hscp.synthetic import derive
from hscp.synthetic._core import rng

AGES = np.arange(91)
PROJECTION_END = 2043


@dataclass(frozen=True)
class Localities:
    names: tuple[str, ...]
    share: np.ndarray  # (n_loc,) before the age tilt
    tilt: np.ndarray  # (n_loc,)
    weight: np.ndarray  # (n_loc, 91): share of each age in each locality (columns sum to 1)
    rate_factor: np.ndarray  # (n_loc,): locality rate multiplier (deprivation, rurality)


def base_population() -> tuple[dict[str, np.ndarray], int]:
    """Partnership -> (2, 91) population by sex and single year of age in the latest
    NRS year: the partnership's five-year band totals spread over single years with
    Scotland's single-year shape."""
    bands = derive.read("population_bands")
    shape = derive.read("population_shape")
    year = int(bands["year"].iloc[0])
    scot = np.zeros((2, 91))
    scot[shape["sex"] - 1, shape["age"]] = shape["population"]
    band_of_age = np.minimum(AGES // 5, len(derive.BANDS) - 1)
    band_labels = [b[0] for b in derive.BANDS]
    scot_band = np.zeros((2, len(band_labels)))
    np.add.at(scot_band, (slice(None), band_of_age), scot)
    within = scot / scot_band[:, band_of_age]
    out: dict[str, np.ndarray] = {}
    index = {b: i for i, b in enumerate(band_labels)}
    for code, rows in bands.groupby("hscp2019"):
        totals = np.zeros((2, len(band_labels)))
        totals[rows["sex"].to_numpy() - 1, rows["band"].map(index).to_numpy()] = rows["population"]
        out[code] = totals[:, band_of_age] * within
    return out, year


def _survival(ages: np.ndarray) -> np.ndarray:
    """(2, len(ages)) one-year survival at each age, by sex."""
    return np.exp(-np.stack([P.hazard(ages + 0.5, 1), P.hazard(ages + 0.5, 2)]))


def age_population(base: np.ndarray, base_year: int, years: list[int]) -> dict[int, np.ndarray]:
    """The (2, 91) population in each year, by cohort: survival, net migration and
    births forward from the base year, and the same backwards before it."""
    surv = _survival(AGES.astype(float))
    surv_top = _survival(np.array([P.OPEN_AGE_HAZARD - 0.5]))[:, 0]
    mig = 1 + P.net_migration(AGES)
    births0 = base[:, 0] / (1 - P.INFANT_MORTALITY / 2)
    out = {base_year: base.copy()}
    pop = base.copy()
    for year in range(base_year + 1, max(years) + 1):
        new = np.empty_like(pop)
        new[:, 0] = births0 * P.BIRTH_TREND ** (year - base_year) * (1 - P.INFANT_MORTALITY / 2)
        new[:, 1:90] = pop[:, 0:89] * surv[:, 0:89] * mig[0:89]
        new[:, 90] = (pop[:, 89] * surv[:, 89] + pop[:, 90] * surv_top) * mig[90]
        out[year] = pop = new
    pop = base.copy()
    for year in range(base_year - 1, min(years) - 1, -1):
        old = np.empty_like(pop)
        old[:, 0:89] = pop[:, 1:90] / (surv[:, 0:89] * mig[0:89])
        old[:, 89] = old[:, 88] * pop[:, 89] / np.maximum(pop[:, 88], 1e-9)
        top = (pop[:, 90] / mig[90] - old[:, 89] * surv[:, 89]) / surv_top
        old[:, 90] = np.maximum(top, 0.85 * pop[:, 90])
        out[year] = pop = old
    return {y: out[y] for y in years}


def localities(
    partnership: geography.Partnership, index: int, seed: int, base: np.ndarray | None = None
) -> Localities:
    """Seeded locality shares (none under ~8% of the partnership), an age tilt (some
    localities older) and a rate factor (mean 1 over the partnership). `base` is the
    partnership's (2, 91) population, used to keep the tilted shares above the floor."""
    g = rng(seed, "geography", index)
    n = len(partnership.localities)
    floor = min(P.LOCALITY_MIN_SHARE, 0.85 / n)
    share = floor + (1 - floor * n) * g.dirichlet(np.full(n, P.LOCALITY_CONCENTRATION))
    tilt = g.normal(0, P.LOCALITY_TILT_SD, n)
    by_age = np.ones(91) if base is None else base.sum(axis=0)
    for _ in range(10):  # soften the tilt until no locality is below 8%
        weight = share[:, None] * np.exp(tilt[:, None] * (AGES[None, :] - 40) / 40)
        weight /= weight.sum(axis=0, keepdims=True)
        total = weight @ by_age / by_age.sum()
        if total.min() >= 0.08 or n * 0.08 > 1:
            break
        tilt *= 0.7
    factor = np.clip(np.exp(g.normal(0, P.LOCALITY_RATE_SD, n)), 0.8, 1.25)
    factor /= factor @ total
    return Localities(tuple(partnership.localities), share, tilt, weight, factor)


def population_frame(
    populations: dict[str, dict[int, np.ndarray]], locs: dict[str, Localities]
) -> pd.DataFrame:
    """The contract's population table: year, hscp2019, locality, sex, age, population."""
    frames = []
    for code, by_year in populations.items():
        loc = locs[code]
        for year, pop in by_year.items():
            counts = np.rint(loc.weight[:, None, :] * pop[None, :, :]).astype(np.int64)
            n_loc = len(loc.names)
            frames.append(
                pd.DataFrame(
                    {
                        "year": year,
                        "hscp2019": code,
                        "locality": np.repeat(np.array(loc.names, dtype=object), 2 * 91),
                        "sex": np.tile(np.repeat([1, 2], 91), n_loc),
                        "age": np.tile(AGES, 2 * n_loc),
                        "population": counts.reshape(-1),
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def locality_counts(
    frame: pd.DataFrame, code: str, year: int, names: tuple[str, ...]
) -> np.ndarray:
    """(n_loc, 2, 91) integer population of one partnership in one year."""
    rows = frame[(frame["hscp2019"] == code) & (frame["year"] == year)]
    out = np.zeros((len(names), 2, 91), dtype=np.int64)
    loc_index = {name: i for i, name in enumerate(names)}
    out[
        rows["locality"].map(loc_index).to_numpy(),
        rows["sex"].to_numpy() - 1,
        rows["age"].to_numpy(),
    ] = rows["population"].to_numpy()
    return out


def _growth_by_age(growth: pd.DataFrame, years: np.ndarray, from_year: int) -> dict:
    """(hscp, sex) -> (len(years), 91) growth factors relative to from_year: the 2018-based
    NRS band ratios, log-linear between knot years and smooth across single ages."""
    knots = np.array([2018, 2023, 2028, 2033, 2038, 2043])
    ratio_cols = ["ratio_2018", None, "ratio_2028", "ratio_2033", "ratio_2038", "ratio_2043"]
    band_index = {b[0]: i for i, b in enumerate(derive.BANDS)}
    mids = np.array([(b[1] + b[2]) / 2 for b in derive.BANDS])
    mids[-1] = 92.0
    out = {}
    for (code, sex), rows in growth.groupby(["hscp2019", "sex"]):
        rows = rows.assign(b=rows["band"].map(band_index)).sort_values("b")
        logs = np.stack(
            [np.zeros(len(rows)) if c is None else np.log(rows[c].to_numpy()) for c in ratio_cols]
        )  # (knots, bands)
        at = np.stack([np.interp(years, knots, logs[:, b]) for b in range(logs.shape[1])], axis=1)
        at0 = np.array([np.interp(from_year, knots, logs[:, b]) for b in range(logs.shape[1])])
        rel = at - at0[None, :]  # (years, bands), log ratio to from_year
        by_age = np.stack([np.interp(AGES, mids, r) for r in rel])
        out[(code, int(sex))] = np.exp(by_age)
    return out


def projections_frame(population: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """The NRS projection layout (Year, HSCP, Sex, AllAges, Age0..Age89, Age90plus) from
    base_year to 2043 for the 31 partnerships and Scotland."""
    growth = derive.read("projection_growth")
    years = np.arange(base_year, PROJECTION_END + 1)
    factors = _growth_by_age(growth, years, base_year)
    base = (
        population[population["year"] == base_year]
        .groupby(["hscp2019", "sex", "age"])["population"]
        .sum()
    )
    age_cols = [f"Age{a}" for a in range(90)] + ["Age90plus"]
    blocks = []
    scotland = np.zeros((len(years), 2, 91))
    for p in geography.partnerships():
        both = np.zeros((len(years), 2, 91))
        for sex in (1, 2):
            b = base.loc[(p.code, sex)].reindex(AGES, fill_value=0).to_numpy(dtype=float)
            both[:, sex - 1, :] = np.rint(b[None, :] * factors[(p.code, sex)])
        scotland += both
        blocks.append((p.code, both))
    blocks.append((geography.SCOTLAND_CODE, scotland))
    rows = []
    for code, both in blocks:
        for label, values in (
            ("All", both.sum(axis=1)),
            ("Male", both[:, 0]),
            ("Female", both[:, 1]),
        ):
            frame = pd.DataFrame(values.astype(np.int64), columns=age_cols)
            frame.insert(0, "AllAges", frame.sum(axis=1))
            frame.insert(0, "Sex", label)
            frame.insert(0, "HSCP", code)
            frame.insert(0, "Year", years)
            rows.append(frame)
    out = pd.concat(rows, ignore_index=True)
    return out.sort_values(["Year", "HSCP", "Sex"], kind="stable").reset_index(drop=True)
