"""The person register: everyone resident in a partnership, with a link number, date of
birth, locality, datazone, GP practice, frailty and (if it happens) date of death."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from hscp.synthetic import _params as P
from hscp.synthetic._core import age_at, day, rng

NEVER = np.int32(2**31 - 1)  # "no death": a day far beyond any period
LINK_BLOCK = 10_000_000  # link_no = (partnership index + 1) * LINK_BLOCK + person number


@dataclass
class Register:
    link_no: np.ndarray  # int64
    loc: np.ndarray  # int16 locality index within the partnership
    sex: np.ndarray  # int8, 1 male, 2 female
    dob: np.ndarray  # int64 day number
    entry: np.ndarray  # int64 day from which the person lives here (birth, or moving in)
    death: np.ndarray  # int64 day number of death (NEVER if alive at the end)
    frailty: np.ndarray  # float64, gamma, mean 1: emergency admissions and readmissions
    ae: np.ndarray  # float64: A&E propensity (mean ~1; frequent attenders far higher)
    frequent: np.ndarray  # bool: a frequent attender
    datazone: np.ndarray  # int32 index into the partnership's datazone codes
    gp: np.ndarray  # int32 index into the partnership's practice codes, -1 none
    datazones: np.ndarray  # int: the six digits after S01
    practices: np.ndarray  # int: the five digits of the practice code
    cis_offset: np.ndarray  # int32: stays before the extract (cis_marker starts after them)
    #: float per datazone: how deprived it is (higher: more deprived), for the SIMD lookup
    deprivation: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.link_no)


def _mid_year(year: int) -> int:
    return day(dt.date(year, 6, 30))


def build(
    index: int,
    counts: dict[int, np.ndarray],
    end_day: int,
    seed: int,
) -> Register:
    """People from the population of the first mid-year (counts[year] is (n_loc, 2, 91)),
    plus the babies born and the people moving in each later year up to end_day."""
    g = rng(seed, "register", index)
    years = sorted(counts)
    y0 = years[0]
    first = counts[y0]
    n_loc = first.shape[0]

    # Residents at the first mid-year: one row per person, ordered by locality, sex, age.
    flat = first.reshape(-1)
    cell = np.repeat(np.arange(flat.size), flat)
    loc = (cell // (2 * 91)).astype(np.int16)
    sex = ((cell // 91) % 2 + 1).astype(np.int8)
    age = (cell % 91).astype(np.float64)
    open_top = age == 90
    age[open_top] += np.minimum(g.geometric(0.27, open_top.sum()) - 1, 15)
    mid0 = _mid_year(y0)
    dob = mid0 - np.floor((age + g.random(len(age))) * 365.25).astype(np.int64)

    # Babies born after the first mid-year: each later year's age-0 count, and a share
    # of the last one for the months between the last mid-year and the end.
    b_loc, b_sex, b_dob = [], [], []
    spans = [(_mid_year(y - 1), _mid_year(y), counts[y][:, :, 0]) for y in years[1:]]
    last_mid = _mid_year(years[-1])
    if end_day > last_mid:
        frac = (end_day - last_mid) / 365.25
        spans.append((last_mid, end_day, np.rint(counts[years[-1]][:, :, 0] * frac).astype(int)))
    for lo, hi, babies in spans:
        cell = np.repeat(np.arange(babies.size), babies.reshape(-1))
        b_loc.append((cell // 2).astype(np.int16))
        b_sex.append((cell % 2 + 1).astype(np.int8))
        b_dob.append(lo + 1 + g.integers(0, hi - lo, len(cell)))
    # People who move in (net migration, mostly young adults), from the day they arrive.
    m_loc, m_sex, m_dob, m_entry = [], [], [], []
    previous = [counts[y] for y in years[:-1]] + ([counts[years[-1]]] if end_day > last_mid else [])
    for (lo, hi, _), pop in zip(spans, previous, strict=True):
        share = (hi - lo) / 365.25
        movers = g.poisson(pop * P.net_migration(np.arange(91))[None, None, :] * share)
        cell = np.repeat(np.arange(movers.size), movers.reshape(-1))
        entry = lo + 1 + g.integers(0, hi - lo, len(cell))
        m_loc.append((cell // (2 * 91)).astype(np.int16))
        m_sex.append(((cell // 91) % 2 + 1).astype(np.int8))
        m_dob.append(entry - np.floor((cell % 91 + g.random(len(cell))) * 365.25).astype(np.int64))
        m_entry.append(entry)
    entry = np.concatenate([dob, *b_dob, *m_entry]).astype(np.int64)
    loc = np.concatenate([loc, *b_loc, *m_loc])
    sex = np.concatenate([sex, *b_sex, *m_sex])
    dob = np.concatenate([dob, *b_dob, *m_dob]).astype(np.int64)
    entry = np.maximum(entry, dob)
    n = len(dob)

    frailty = g.gamma(P.FRAILTY_SHAPE, 1 / P.FRAILTY_SHAPE, n)
    own = g.gamma(P.AE_OWN_SHAPE, 1 / P.AE_OWN_SHAPE, n)
    ae = P.AE_FRAILTY_MIX * frailty + (1 - P.AE_FRAILTY_MIX) * own
    start_age = age_at(dob, np.maximum(entry, mid0))
    frequent = (g.random(n) < P.FREQUENT_ATTENDER_SHARE) & (start_age >= 16)
    ae[frequent] *= g.uniform(*P.FREQUENT_ATTENDER_MULTIPLIER, frequent.sum())

    # Death outside hospital: Gompertz from the later of the first mid-year and birth
    # (hazard a bit below the life table: deaths in hospital are added by the stays).
    origin = np.maximum(entry, mid0)
    h0 = 0.8 * P.hazard(start_age + 0.5, sex)
    years_to_death = np.log1p(P.MORTALITY_B * g.exponential(1.0, n) / h0) / P.MORTALITY_B
    death = origin + np.floor(years_to_death * 365.25).astype(np.int64)
    death = np.where(death > end_day, NEVER, death)

    # Datazones and practices: a few per locality, people spread unevenly over them.
    pop_loc = np.bincount(loc, minlength=n_loc)
    n_dz = np.maximum(3, np.rint(pop_loc / P.PEOPLE_PER_DATAZONE)).astype(int)
    n_gp = np.maximum(2, np.rint(pop_loc / P.PEOPLE_PER_PRACTICE)).astype(int)
    dz_first = np.concatenate([[0], np.cumsum(n_dz)[:-1]])
    gp_first = np.concatenate([[0], np.cumsum(n_gp)[:-1]])
    datazone = np.zeros(n, dtype=np.int32)
    gp = np.zeros(n, dtype=np.int32)
    for i in range(n_loc):
        rows = np.flatnonzero(loc == i)
        dz_w = g.dirichlet(np.full(n_dz[i], 6.0))
        gp_w = g.dirichlet(np.full(n_gp[i], 3.0))
        datazone[rows] = dz_first[i] + g.choice(n_dz[i], len(rows), p=dz_w)
        gp[rows] = gp_first[i] + g.choice(n_gp[i], len(rows), p=gp_w)
    gp[g.random(n) < P.NO_GP_SHARE] = -1
    # Deprivation (its own stream, so nothing else changes): frailer people tend to live in
    # the more deprived datazones, as emergency admissions do in Scotland.
    deprivation = _deprivation(rng(seed, "deprivation", index), index, n_dz, dz_first)
    for i in range(n_loc):
        rows = np.flatnonzero(loc == i)
        datazone[rows] = _sorted_by_deprivation(
            rng(seed, "deprivation", 1000 + 100 * index + i), frailty[rows], datazone[rows],
            deprivation,
        )  # fmt: skip
    if n_dz.sum() > 999 or n_gp.sum() > 99:
        raise ValueError("too many synthetic datazones or practices for the code layout")
    # Codes as numbers: datazone S01 + 9PPKKK, practice 9PPKK (PP = partnership number).
    datazones = 900_000 + (index + 1) * 1000 + np.arange(n_dz.sum())
    practices = 90_000 + (index + 1) * 100 + np.arange(n_gp.sum())

    link_no = (index + 1) * LINK_BLOCK + 1 + g.permutation(n).astype(np.int64)
    # Earlier stays: older and frailer people have been in hospital before.
    cis_offset = g.poisson(frailty * np.clip(start_age, 0, 100) / 25).astype(np.int32)
    return Register(
        link_no, loc, sex, dob, entry, death, frailty, ae, frequent, datazone, gp, datazones,
        practices, cis_offset, deprivation,
    )  # fmt: skip


def _deprivation(g: np.random.Generator, index: int, n_dz: np.ndarray, dz_first) -> np.ndarray:
    """Each datazone's deprivation score: the partnership's level, its locality's, and the
    datazone's own (standard normal), so areas differ as well as datazones."""
    from hscp import geography

    level = P.DEPRIVATION_LEVEL.get(geography.partnerships()[index].name, 0.0)
    score = np.empty(int(n_dz.sum()))
    for first, n in zip(dz_first, n_dz, strict=True):
        score[first : first + n] = level + 0.4 * g.standard_normal() + g.standard_normal(n)
    return score


def _sorted_by_deprivation(
    g: np.random.Generator, frailty: np.ndarray, slots: np.ndarray, deprivation: np.ndarray
) -> np.ndarray:
    """The locality's datazone places given out again: the people ranked on their frailty
    (with noise: correlation P.DEPRIVATION_FRAILTY on the normal scale) take the places
    ranked on their datazone's deprivation. Every datazone keeps its number of people."""
    n = len(frailty)
    if n == 0:
        return slots
    from scipy.stats import norm

    ranks = np.argsort(np.argsort(frailty, kind="stable"), kind="stable")
    z = norm.ppf((ranks + 0.5) / n)
    rho = P.DEPRIVATION_FRAILTY
    latent = rho * z + np.sqrt(1 - rho**2) * g.standard_normal(n)
    places = slots[np.argsort(deprivation[slots], kind="stable")]  # least deprived first
    out = np.empty_like(slots)
    out[np.argsort(latent, kind="stable")] = places
    return out
