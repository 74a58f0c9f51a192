"""What one partnership's generation needs to know: period, sites, factors, planted changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from hscp import geography
from hscp.synthetic import _params as P
from hscp.synthetic import derive
from hscp.synthetic._core import day
from hscp.synthetic._population import Localities

WARMUP_DAYS = 365  # stays start up to a year before the period (long stays and delays)


@dataclass(frozen=True)
class Sites:
    """A partnership's hospitals: real A&E site codes of its health board."""

    ed: np.ndarray  # adult Emergency Department sites (also the acute hospitals)
    ed_weight: np.ndarray
    miu: np.ndarray  # Minor Injury Units and other sites (also community hospitals)
    miu_weight: np.ndarray
    child: str | None  # the board's children's hospital, if any
    miu_share: float  # the board's share of attendances at MIUs
    department: dict[str, str]  # site -> department type
    target: dict[str, float]  # site -> 4-hour target share for the synthetic data


@cache
def _site_table() -> pd.DataFrame:
    return derive.read("sites")


@cache
def _factor_table() -> pd.DataFrame:
    return derive.read("partnership_factors").set_index("hscp2019")


def sites_for(partnership: geography.Partnership) -> Sites:
    table = _site_table()
    rows = table[table["health_board"] == partnership.health_board_code]
    affinity = P.SITE_AFFINITY.get(partnership.code, {})
    weight = rows["attendances"].to_numpy(float) * np.array(
        [affinity.get(s, 1.0) for s in rows["location"]]
    )
    is_child = rows["location"].isin(P.CHILDRENS_SITES).to_numpy()
    is_ed = (rows["department_type"] == "Emergency Department").to_numpy()
    child = rows.loc[is_child, "location"]
    department = dict(zip(rows["location"], rows["department_type"], strict=True))
    target = {}
    for site, dept, pct in zip(
        rows["location"], rows["department_type"], rows["pct_within_4h"], strict=True
    ):
        if dept == "Emergency Department" or site in P.CHILDRENS_SITES:
            target[site] = (1 - P.TIME_PULL) * pct + P.TIME_PULL * 0.72
        else:
            target[site] = min(0.995, 0.5 * pct + 0.5 * 0.98)
    ed, miu = is_ed & ~is_child, ~is_ed & ~is_child
    total = rows["attendances"].sum()
    return Sites(
        ed=rows.loc[ed, "location"].to_numpy(str),
        ed_weight=weight[ed] / weight[ed].sum(),
        miu=rows.loc[miu, "location"].to_numpy(str),
        miu_weight=weight[miu] / weight[miu].sum() if miu.any() else np.zeros(0),
        child=child.iloc[0] if len(child) else None,
        miu_share=float(rows.loc[miu, "attendances"].sum() / total),
        department=department,
        target=target,
    )


@dataclass
class Context:
    index: int
    partnership: geography.Partnership
    seed: int
    start: int  # first day of the period (day number)
    end: int  # last day (extract date)
    localities: Localities
    planted: tuple = ()  # PlantedChange objects
    sites: Sites = field(init=False)
    delay_factor: float = field(init=False)
    ae_factor: float = field(init=False)

    def __post_init__(self) -> None:
        self.sites = sites_for(self.partnership)
        factors = _factor_table().loc[self.partnership.code]
        self.delay_factor = float(factors["delay_factor"])
        self.ae_factor = float(factors["ae_factor"])

    @property
    def w0(self) -> int:
        """First day on which stays may start (a warm-up year before the period)."""
        return self.start - WARMUP_DAYS

    def planted_factor(self, measure: str, loc: np.ndarray, days: np.ndarray) -> np.ndarray:
        """1 + effect for records of a planted change's locality from its start, else 1."""
        out = np.ones(len(loc))
        for change in self.planted:
            if change.measure != measure or change.partnership != self.partnership.code:
                continue
            i = self.localities.names.index(change.locality)
            out[(loc == i) & (days >= day(change.start))] *= 1 + change.effect
        return out

    def planted_list(self, measure: str) -> list[tuple[int, int, float]]:
        """(locality index, start day, 1 + effect) of this partnership's changes to a measure."""
        return [
            (self.localities.names.index(c.locality), day(c.start), 1 + c.effect)
            for c in self.planted
            if c.measure == measure and c.partnership == self.partnership.code
        ]

    def planted_max(self, measure: str) -> float:
        effects = [
            1 + c.effect
            for c in self.planted
            if c.measure == measure and c.partnership == self.partnership.code
        ]
        return max([1.0, *effects])
