"""A&E attendances: those that end in an emergency admission (linked to the stay),
independent attendances (frequent attenders among them) and deaths in A&E."""

from __future__ import annotations

import numpy as np

from hscp.extracts import (
    AE_ARRIVAL_MODES,
    AE_ATTENDANCE_CATEGORIES,
    AE_DEPARTMENT_TYPES,
    AE_DISCHARGE_DESTINATIONS,
    AE_REFERRAL_SOURCES,
)
from hscp.synthetic import _params as P
from hscp.synthetic._acute import EMPTY, Frame, concat, nrows, rate_table, sample_events, take
from hscp.synthetic._context import Context
from hscp.synthetic._core import (
    age_at,
    categorical,
    choice,
    daily_from_monthly,
    month_index,
    weekday,
)
from hscp.synthetic._register import NEVER, Register

DAY = 86_400
NULL = np.iinfo(np.int64).min
INDEPENDENT_SHARE = 0.8
ADMITTED_VIA_AE = 0.7  # emergency stays (with readmissions) arriving through A&E, about  # share of attendances not ending in admission (for planted rises)


def _index(values, options) -> np.ndarray:
    lookup = {v: i for i, v in enumerate(options)}
    return np.array([lookup[v] for v in values], dtype=np.int8)


def _pick(g, mix: dict, n: int, options) -> np.ndarray:
    """n draws from {label: weight}, as indexes into options."""
    labels = list(mix)
    idx = _index(labels, options)
    return idx[categorical(g, np.array(list(mix.values()), dtype=float), np.zeros(n, int))]


def _independent(g, ctx: Context, reg: Register, stays: Frame):
    window = np.arange(ctx.start, ctx.end + 1)
    wd = np.asarray(P.WEEKDAY_AE)[weekday(window)]
    season = (
        np.stack(
            [
                daily_from_monthly(window, P.SEASON_AE_YOUNG),
                daily_from_monthly(window, P.SEASON_AE_OLDER),
            ]
        )
        * wd
    )

    def factor(person, days, ages):
        f = season[(ages >= 65).astype(int), days - ctx.start]
        planted = ctx.planted_factor("ae_attendances", reg.loc[person], days)
        return f * (1 + (planted - 1) / INDEPENDENT_SHARE)

    top = float(season.max()) * (1 + (ctx.planted_max("ae_attendances") - 1) / INDEPENDENT_SHARE)
    # The attendances that end in admission come from the stays: take their expected
    # rate off the A&E rate.
    admitted = P.EMERGENCY_RATE * P.EMERGENCY_SCALE * ADMITTED_VIA_AE
    rates = rate_table(np.maximum(P.AE_RATE - admitted, 0.35 * P.AE_RATE)) * P.AE_SCALE
    propensity = reg.ae * ctx.localities.rate_factor[reg.loc] * ctx.ae_factor
    person, days, ages = sample_events(g, reg, rates, propensity, ctx.start, ctx.end, factor, top)
    # Not while the person is an inpatient.
    key = person.astype(np.int64) * 100_000 + (days - ctx.w0)
    skey = stays["person"].astype(np.int64) * 100_000 + (stays["adm"] - ctx.w0)
    order = np.argsort(skey, kind="stable")
    skey, sdis = skey[order], stays["dis"][order]
    i = np.searchsorted(skey, key, side="left") - 1
    ok = i >= 0
    inside = np.zeros(len(key), dtype=bool)
    same = ok & (skey[np.maximum(i, 0)] // 100_000 == person)
    inside[same] = days[same] < sdis[i[same]]
    keep = ~inside
    return person[keep], days[keep], ages[keep]


def attendances(
    g, ctx: Context, reg: Register, stays: Frame, deaths_in_hospital: np.ndarray
) -> Frame:
    sites = ctx.sites
    # 1. Attendances that end in admission: departure date = the stay's admission date.
    linked_rows = np.flatnonzero(stays["via_ae"] & (stays["adm"] >= ctx.start) & stays["emergency"])
    lp = stays["person"][linked_rows]
    linked = {
        "person": lp,
        "day": stays["adm"][linked_rows],
        "site": stays["location"][linked_rows],
        "admitted": np.ones(len(lp), dtype=bool),
        "died": np.zeros(len(lp), dtype=bool),
        "diagnosis": stays["main"][linked_rows],
    }
    # 2. Independent attendances.
    ip, idays, iages = _independent(g, ctx, reg, stays)
    n_i = len(ip)
    ag = P.age_group(iages)
    miu_p = np.clip(sites.miu_share * np.asarray(P.MIU_AGE)[ag], 0, 0.9) if len(sites.miu) else 0
    to_miu = g.random(n_i) < miu_p
    site = sites.ed[categorical(g, sites.ed_weight, np.zeros(n_i, int))].astype("<U5")
    if len(sites.miu):
        site[to_miu] = sites.miu[categorical(g, sites.miu_weight, np.zeros(int(to_miu.sum()), int))]
    if sites.child is not None:
        child = (iages < 16) & ~to_miu & (g.random(n_i) < P.CHILDREN_TO_CHILDRENS_SITE)
        site[child] = sites.child
    independent = {
        "person": ip, "day": idays, "site": site,
        "admitted": np.zeros(n_i, dtype=bool), "died": np.zeros(n_i, dtype=bool),
        "diagnosis": _diagnoses(g, ag, site, sites, reg.frequent[ip]),
    }  # fmt: skip
    # 3. Deaths in A&E: some people who die outside hospital die in A&E.
    dying = np.flatnonzero((reg.death >= ctx.start) & (reg.death <= ctx.end) & (reg.death != NEVER))
    dying = dying[~np.isin(dying, deaths_in_hospital)]
    dying = dying[g.random(len(dying)) < P.DIED_IN_AE]
    died = {
        "person": dying, "day": reg.death[dying],
        "site": sites.ed[categorical(g, sites.ed_weight, np.zeros(len(dying), int))].astype("<U5"),
        "admitted": np.zeros(len(dying), dtype=bool), "died": np.ones(len(dying), dtype=bool),
        "diagnosis": np.full(len(dying), "R99X", dtype="<U5"),
    }  # fmt: skip
    a = concat([linked, independent, died])
    return _details(g, ctx, reg, a)


def _diagnoses(g, ag, site, sites, frequent) -> np.ndarray:
    n = len(ag)
    miu = np.array([sites.department.get(s) != "Emergency Department" for s in np.unique(site)])
    is_miu = np.isin(site, np.unique(site)[miu]) & ~np.isin(site, [sites.child])
    injury_p = np.where(is_miu, P.AE_INJURY_SHARE_MIU, np.asarray(P.AE_INJURY_SHARE_ED)[ag])
    injury = g.random(n) < injury_p
    out = np.where(
        injury, choice(g, P.AE_INJURY_CODES, n), choice(g, P.AE_MEDICAL_CODES, n)
    ).astype("<U5")
    fa = frequent & (g.random(n) < 0.6)
    out[fa] = choice(g, P.AE_FREQUENT_CODES, int(fa.sum()))
    return out


def _hours(g, weights, n) -> np.ndarray:
    return categorical(g, np.asarray(weights, dtype=float), np.zeros(n, int))


def _details(g, ctx: Context, reg: Register, a: Frame) -> Frame:
    n = nrows(a)
    sites = ctx.sites
    person, admitted, died = a["person"], a["admitted"], a["died"]
    dept = np.array([sites.department[s] for s in np.unique(a["site"])])
    uniq = np.unique(a["site"])
    is_ed = np.isin(a["site"], uniq[dept == "Emergency Department"])
    dept_idx = np.where(is_ed, 0, 1).astype(np.int8)  # index into AE_DEPARTMENT_TYPES
    assert AE_DEPARTMENT_TYPES[0] == "Emergency Department"

    # Time in department (minutes), calibrated per site to its 4-hour target.
    ages_day = age_at(reg.dob[person], a["day"])
    ag = P.age_group(ages_day)
    month = month_index(a["day"])
    mult = np.asarray(P.TIME_AGE)[ag] * np.where(admitted, P.TIME_ADMITTED, 1.0)
    mult *= np.asarray(P.TIME_WINTER)[month]
    sigma = np.where(
        is_ed | np.isin(a["site"], list(P.CHILDRENS_SITES)), P.TIME_SIGMA_ED, P.TIME_SIGMA_MIU
    )
    x = mult * np.exp(sigma * g.standard_normal(n))
    minutes = np.empty(n)
    for s in uniq:
        rows = a["site"] == s
        median = 240 / np.quantile(x[rows], sites.target[s])
        minutes[rows] = np.maximum(5, median * x[rows])
    duration = np.rint(minutes).astype(np.int64) * 60

    # Arrival and departure times.
    hour = np.where(is_ed, _hours(g, P.HOUR_ED, n), _hours(g, P.HOUR_MIU, n))
    minute = g.integers(0, 60, n)
    arrival = a["day"] * DAY + hour * 3600 + minute * 60
    departure = arrival + duration
    dep_hour = _hours(g, P.HOUR_ADMITTED, n)
    adm_departure = a["day"] * DAY + dep_hour * 3600 + g.integers(0, 60, n) * 60
    arrival = np.where(admitted, adm_departure - duration, arrival)
    departure = np.where(admitted, adm_departure, departure)

    # Attendance category, arrival mode, referral source, destination.
    category = _pick(g, P.ATTENDANCE_CATEGORY, n, AE_ATTENDANCE_CATEGORIES)
    frequent = reg.frequent[person]
    category[frequent & (g.random(n) < 0.2)] = AE_ATTENDANCE_CATEGORIES.index("Unplanned return")
    category[admitted & (category == 2)] = 0  # no planned return ends in admission
    ambulance_p = np.asarray(P.AMBULANCE)[ag] + np.where(admitted, P.AMBULANCE_IF_ADMITTED, 0.0)
    ambulance_p = np.where(is_ed, ambulance_p, 0.01)
    ambulance = (g.random(n) < np.minimum(ambulance_p, 0.92)) | died
    mode = _pick(g, P.OTHER_ARRIVAL, n, AE_ARRIVAL_MODES)
    mode[ambulance] = AE_ARRIVAL_MODES.index("Ambulance")
    police = ~ambulance & (ages_day >= 16) & (ages_day < 45) & (g.random(n) < P.POLICE * 2)
    mode[police & (reg.sex[person] == 1)] = AE_ARRIVAL_MODES.index("Police")
    referral = np.where(
        ambulance,
        _pick(g, P.REFERRAL_AMBULANCE, n, AE_REFERRAL_SOURCES),
        _pick(g, P.REFERRAL_OTHER, n, AE_REFERRAL_SOURCES),
    ).astype(np.int8)
    destination = _pick(g, P.AE_DESTINATION, n, AE_DISCHARGE_DESTINATIONS)
    destination[admitted] = AE_DISCHARGE_DESTINATIONS.index("Admitted")
    destination[died] = AE_DISCHARGE_DESTINATIONS.index("Died")

    diagnosis = a["diagnosis"].copy()
    diagnosis[g.random(n) < np.where(admitted, 0.05, P.AE_NO_DIAGNOSIS)] = EMPTY
    # Departures after the extract was taken are not known yet.
    departure = np.where(departure >= (ctx.end + 1) * DAY, NULL, departure)
    age_arrival = age_at(reg.dob[person], arrival // DAY)

    out = {
        "person": person, "arrival": arrival, "departure": departure, "category": category,
        "mode": mode, "referral": referral, "destination": destination, "diagnosis": diagnosis,
        "age": age_arrival.astype(np.int16), "sex": reg.sex[person], "loc": reg.loc[person],
        "site": a["site"], "department": dept_idx,
    }  # fmt: skip
    # Inside the period, and one row per person, arrival minute and site.
    keep = (arrival >= ctx.start * DAY) & (arrival // DAY <= ctx.end) & (age_arrival >= 0)
    out = take(out, keep)
    order = np.lexsort((out["arrival"], out["person"]))
    out = take(out, order)
    dup = np.zeros(nrows(out), dtype=bool)
    dup[1:] = (out["person"][1:] == out["person"][:-1]) & (
        out["arrival"][1:] == out["arrival"][:-1]
    )
    return take(out, ~dup)
