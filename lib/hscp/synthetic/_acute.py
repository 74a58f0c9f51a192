"""Inpatient stays (SMR01): emergency and elective stays, readmissions, delays at the
end of stays, deaths, and their split into episodes."""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

from hscp.synthetic import _params as P
from hscp.synthetic._context import Context
from hscp.synthetic._core import (
    age_at,
    categorical,
    choice,
    cummax_within,
    daily_from_monthly,
    group_starts,
    month_index,
    rank_within,
    spread_uniforms,
    systematic,
    weekday,
)
from hscp.synthetic._register import Register

Frame = dict[str, np.ndarray]
EMPTY = ""  # a missing code in the string arrays (becomes null in the output)


def take(frame: Frame, rows) -> Frame:
    return {k: v[rows] for k, v in frame.items()}


def concat(frames: list[Frame]) -> Frame:
    frames = [f for f in frames if f]
    keys = frames[0].keys()
    return {k: np.concatenate([f[k] for f in frames]) for k in keys}


def nrows(frame: Frame) -> int:
    return len(next(iter(frame.values()))) if frame else 0


# --- sampling events in time ------------------------------------------------------------


def rate_table(curve: np.ndarray, male: np.ndarray | None = None) -> np.ndarray:
    """(2, 111) rate per person-year by sex and age."""
    male = np.ones_like(curve) if male is None else male
    return np.stack([curve * male, curve / male]) / 1000


def sample_events(
    g: np.random.Generator,
    reg: Register,
    rates: np.ndarray,
    propensity: np.ndarray,
    first: int,
    last: int,
    day_factor,
    top: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Event days of a Poisson process per person with intensity
    rate(sex, age on the day) * propensity * day_factor(person, day, age), by thinning:
    candidates at the person's highest rate in the window times `top` (>= day_factor),
    each kept with the ratio of the true intensity to that bound.
    Returns (person index, day, age) sorted by person and day."""
    n_days = last - first + 1
    a0 = np.clip(age_at(reg.dob, np.full(len(reg), first)), 0, 110)
    a1 = np.clip(age_at(reg.dob, np.full(len(reg), last)), 0, 110)
    sex = reg.sex - 1
    peak = rates[sex, a0]
    for k in range(1, int((a1 - a0).max(initial=0)) + 1):
        peak = np.maximum(peak, rates[sex, np.minimum(a0 + k, a1)])
    lam = propensity * peak * n_days / 365.25 * top
    counts = g.poisson(lam)
    person = np.repeat(np.arange(len(reg)), counts)
    days = first + np.floor(g.random(len(person)) * n_days).astype(np.int64)
    ages = np.clip(age_at(reg.dob[person], days), 0, 110)
    alive = (days >= reg.entry[person]) & (days < reg.death[person])
    ratio = rates[sex[person], ages] / peak[person] * day_factor(person, days, ages) / top
    keep = alive & (g.random(len(person)) < ratio)
    person, days, ages = person[keep], days[keep], ages[keep]
    order = np.lexsort((days, person))
    return person[order], days[order], ages[order]


def emergency_events(g, ctx: Context, reg: Register, rates, day_factor, top):
    """Emergency admissions a year at a time. Each year some people's frailty is drawn
    afresh (people become frail; the frailest die), so admissions of older people keep
    pace with an ageing population instead of fading as the frail die first."""
    frailty = reg.frailty.copy()
    local = ctx.localities.rate_factor[reg.loc]
    parts = []
    for first in range(ctx.w0, ctx.end + 1, 365):
        if first > ctx.w0:
            renew = g.random(len(reg)) < P.FRAILTY_RENEWAL
            fresh = g.gamma(P.FRAILTY_SHAPE, 1 / P.FRAILTY_SHAPE, len(reg))
            frailty = np.where(renew, fresh, frailty)
        last = min(first + 364, ctx.end)
        parts.append(sample_events(g, reg, rates, frailty * local, first, last, day_factor, top))
    person, days, ages = (np.concatenate(x) for x in zip(*parts, strict=True))
    order = np.lexsort((days, person))
    return person[order], days[order], ages[order]


def _season_groups(days: np.ndarray, ages: np.ndarray) -> np.ndarray:
    return np.where(ages < 15, 0, np.where(ages < 65, 1, 2))


def emergency_day_factor(ctx: Context, reg: Register):
    window = np.arange(ctx.w0, ctx.end + 1)
    season = (
        np.stack(
            [
                daily_from_monthly(window, s)
                for s in (P.SEASON_CHILD, P.SEASON_ADULT, P.SEASON_OLDER)
            ]
        )
        * np.asarray(P.WEEKDAY_EMERGENCY)[weekday(window)]
    )

    def factor(person, days, ages):
        f = season[_season_groups(days, ages), days - ctx.w0]
        loc = reg.loc[person]
        older = ages >= 75
        f[older] *= ctx.planted_factor("emergency_admissions_75plus", loc[older], days[older])
        return f

    return factor, float(season.max()) * ctx.planted_max("emergency_admissions_75plus")


def elective_day_factor(ctx: Context):
    window = np.arange(ctx.w0, ctx.end + 1)
    f = (
        daily_from_monthly(window, P.SEASON_ELECTIVE)
        * np.asarray(P.WEEKDAY_ELECTIVE)[weekday(window)]
    )
    return (lambda person, days, ages: f[days - ctx.w0]), float(f.max())


# --- clinical detail ---------------------------------------------------------------------


def _tables(categories: dict) -> dict:
    names = list(categories)
    w = np.array([c["w"] for c in categories.values()], dtype=float)  # (cat, ag)
    amp = np.array([c.get("amp", 0.0) for c in categories.values()])
    sex_ok = np.ones((len(names), 2))
    for i, c in enumerate(categories.values()):
        if c.get("sex"):
            sex_ok[i, 2 - c["sex"]] = 0.0
        sex_ok[i, 1] *= c.get("female", 1.0)
        sex_ok[i, 0] *= c.get("male", 1.0)
    months = np.arange(12)
    season = 1 + amp[:, None] * np.cos(2 * np.pi * (months[None, :] + 0.5) / 12)  # (cat, 12)
    probs = w[:, :, None, None] * sex_ok[:, None, :, None] * season[:, None, None, :]
    probs = probs.reshape(len(names), -1).T  # (ag*2*12, cat)
    return {"names": names, "probs": probs, "cats": list(categories.values())}


_EMERGENCY = _tables(P.EMERGENCY_CATEGORIES)
_ELECTIVE = _tables(P.ELECTIVE_CATEGORIES)
_COMORBID_CODES = np.array(list(P.COMORBIDITIES))
_COMORBID_W = np.array(list(P.COMORBIDITIES.values()), dtype=float).T  # (ag, code)


def _pick_codes(g, cat_info: dict, cat: int, sex: np.ndarray) -> np.ndarray:
    codes = cat_info["codes"]
    out = np.empty(len(sex), dtype="<U5")
    for s in (1, 2):
        rows = np.flatnonzero(sex == s)
        if not len(rows):
            continue
        options = [c for c in codes if len(c) < 3 or c[2] == s]
        w = np.array([c[1] for c in options], dtype=float)
        out[rows] = np.array([c[0] for c in options])[categorical(g, w, np.zeros(len(rows), int))]
    return out


def _pick_specialty(g, cat_info: dict, n: int) -> np.ndarray:
    spec = {k: v for k, v in cat_info["spec"].items() if v > 0}
    return choice(g, spec, n).astype("<U3")


def _pick_operation(g, cat_info: dict, main: np.ndarray, emergency: bool) -> np.ndarray:
    out = np.full(len(main), EMPTY, dtype="<U4")
    ops = cat_info.get("ops", {})
    for code, options in ops.items():
        rows = np.arange(len(main)) if code == "*" else np.flatnonzero(main == code)
        if not len(rows):
            continue
        p = np.array([o[1] for o in options])
        cum = np.cumsum(p)
        u = g.random(len(rows))
        pick = np.searchsorted(cum, u, side="right")
        has = pick < len(options)
        out[rows[has]] = np.array([o[0] for o in options])[pick[has]]
    if emergency and not ops and cat_info["spec"].get("A1", 0) > 0:
        rows = np.flatnonzero(g.random(len(main)) < P.MEDICAL_OPERATION_SHARE)
        out[rows] = choice(g, P.MEDICAL_OPERATIONS, len(rows))
    return out


def _comorbidities(g, ag: np.ndarray, main: np.ndarray, cause: np.ndarray) -> list[np.ndarray]:
    """Up to five other conditions: the external cause first (if any), then distinct
    comorbidities, more for older people."""
    n = len(ag)
    slots = 5 - (cause != EMPTY)
    count = np.minimum(g.poisson(np.asarray(P.COMORBIDITY_MEAN)[ag]), slots)
    with np.errstate(divide="ignore"):
        keys = np.log(_COMORBID_W[ag]) + g.gumbel(size=(n, len(_COMORBID_CODES)))
    keys[main[:, None] == _COMORBID_CODES[None, :]] = -np.inf
    order = np.argsort(-keys, axis=1)[:, :5]
    picked = _COMORBID_CODES[order]
    valid = np.take_along_axis(keys, order, axis=1) > -np.inf
    picked = np.where(valid & (np.arange(5)[None, :] < count[:, None]), picked, EMPTY)
    has_cause = cause != EMPTY
    out = np.full((n, 5), EMPTY, dtype="<U5")
    out[~has_cause] = picked[~has_cause]
    out[has_cause, 0] = cause[has_cause]
    out[has_cause, 1:] = picked[has_cause, :4]
    # Push empty slots to the end so other_condition_1.. fill in order.
    filled = out != EMPTY
    order = np.argsort(~filled, axis=1, kind="stable")
    out = np.take_along_axis(out, order, axis=1)
    return [out[:, i] for i in range(5)]


def _first_location(g, ctx: Context, ages: np.ndarray, elective: bool) -> np.ndarray:
    sites = ctx.sites
    out = sites.ed[categorical(g, sites.ed_weight, np.zeros(len(ages), int))].astype("<U5")
    if sites.child is not None:
        child = (ages < 16) & (g.random(len(ages)) < P.CHILDREN_TO_CHILDRENS_SITE)
        out[child] = sites.child
    tertiary = P.TERTIARY.get(ctx.partnership.health_board_code)
    if elective and tertiary:
        out[g.random(len(ages)) < tertiary[1]] = tertiary[0]
    return out


# --- stays -----------------------------------------------------------------------------


def stay_attributes(
    g: np.random.Generator,
    ctx: Context,
    reg: Register,
    person: np.ndarray,
    adm: np.ndarray,
    ages: np.ndarray,
    elective: bool,
    forced_category: np.ndarray | None = None,
) -> Frame:
    """Everything about a stay but its episodes: condition, type, specialty, hospital,
    length of stay, a delay at its end, death."""
    n = len(person)
    tables = _ELECTIVE if elective else _EMERGENCY
    ag = P.age_group(ages)
    sex = reg.sex[person]
    loc = reg.loc[person]
    month = month_index(adm)
    key = (ag.astype(int) * 2 + (sex - 1)) * 12 + month
    cat = categorical(g, tables["probs"], key)
    if forced_category is not None:
        cat = np.where(forced_category >= 0, forced_category, cat)
    main = np.empty(n, dtype="<U5")
    spec = np.empty(n, dtype="<U3")
    op = np.full(n, EMPTY, dtype="<U4")
    adm_type = np.zeros(n, dtype=np.int16)
    los_factor = np.ones(n)
    death_factor = np.ones(n)
    delay_factor = np.ones(n)
    fall = np.zeros(n)
    for c, info in enumerate(tables["cats"]):
        rows = np.flatnonzero(cat == c)
        if not len(rows):
            continue
        main[rows] = _pick_codes(g, info, c, sex[rows])
        spec[rows] = _pick_specialty(g, info, len(rows))
        op[rows] = _pick_operation(g, info, main[rows], emergency=not elective)
        mix = P.ELECTIVE_TYPES if elective else P.ADMISSION_TYPE_MIX[info.get("adm", "medical")]
        adm_type[rows] = choice(g, mix, len(rows))
        los_factor[rows] = info.get("los", 1.0)
        death_factor[rows] = info.get("death", 1.0)
        delay_factor[rows] = info.get("delay", 1.0)
        fall[rows] = float(info.get("fall", 0.0))
    # Children are under Paediatrics unless surgical; Gynaecology is for women.
    child_medical = (ages < 16) & np.char.startswith(spec, "A")
    spec[child_medical] = "AF"
    spec[(spec == "F2") & (sex == 1)] = "C1"
    spec[(spec == "AF") & (ages >= 16)] = "A1"
    spec[(spec == "AB") & (ages < 65)] = "A1"

    # External causes: falls (W00-W19), other injuries, self-harm.
    cause = np.full(n, EMPTY, dtype="<U5")
    is_fall = g.random(n) < fall
    cause[is_fall] = choice(g, P.FALL_CODES, int(is_fall.sum()))
    if not elective:
        falls_type = is_fall & (fall == 1.0) & (ages < 65)
        # Falls of younger people are mostly "other injury" or home accidents too.
        adm_type[falls_type & (adm_type == 30)] = 35
        for t, code in P.INJURY_CAUSE.items():
            cause[(cause == EMPTY) & (adm_type == t)] = code
        for code, ext in P.SELF_HARM_CAUSE.items():
            cause[(main == code) & (adm_type == 36)] = ext
    others = _comorbidities(g, ag, main, cause)

    location = _first_location(g, ctx, ages, elective)
    if elective:
        via_ae = np.zeros(n, dtype=bool)
    else:
        p_via = np.minimum(0.95, np.asarray(P.VIA_AE)[ag] / 0.88)
        via_ae = (g.random(n) < p_via) & ~np.isin(adm_type, P.NOT_VIA_AE)

    # Length of stay up to the end of treatment (ready for discharge).
    los_change = (
        np.ones(n) if elective else ctx.planted_factor("emergency_length_of_stay", loc, adm)
    )
    if elective:
        p0 = np.full(n, P.ELECTIVE_SAME_DAY) / np.maximum(los_factor, 0.2) ** 0.5
        median = np.asarray(P.ELECTIVE_LOS_MEDIAN)[ag] * los_factor
        sigma = np.full(n, P.ELECTIVE_SIGMA)
    else:
        p0 = np.asarray(P.LOS_SAME_DAY)[ag] * (1 / los_factor) ** 0.7
        median = np.asarray(P.LOS_MEDIAN)[ag] * los_factor
        sigma = np.asarray(P.LOS_SIGMA)[ag]
    same_day = g.random(n) < np.clip(p0, 0.01, 0.85)
    cont = median * np.exp(sigma * g.standard_normal(n)) * los_change
    clinical = np.where(same_day, 0, np.clip(np.ceil(cont), 1, P.LOS_MAX)).astype(np.int64)

    risk = np.asarray(P.DEATH_RISK)[ag] * death_factor * (0.1 if elective else 1.0)
    died = g.random(n) < risk
    ready = adm + clinical

    frame = {
        "person": person, "adm": adm.astype(np.int64), "age": ages.astype(np.int16), "ag": ag,
        "sex": sex, "loc": loc, "cat": cat.astype(np.int16), "main": main, "spec": spec,
        "op": op, "adm_type": adm_type, "location": location, "via_ae": via_ae,
        "clinical": clinical, "ready": ready, "died": died,
        "emergency": np.full(n, not elective), "fall": is_fall,
        **{f"other{i + 1}": others[i] for i in range(5)},
    }  # fmt: skip
    _add_delays(g, ctx, reg, frame, delay_factor, los_change, elective)
    _discharge(g, frame)
    return frame


def _add_delays(g, ctx: Context, reg: Register, f: Frame, cat_factor, los_change, elective):
    n = nrows(f)
    code = np.full(n, EMPTY, dtype="<U4")
    length = np.zeros(n, dtype=np.int64)
    if not elective:
        ages, ready, loc = f["age"], f["ready"], f["loc"]
        planted = ctx.planted_factor("delayed_bed_days", loc, ready)
        power = P.DELAY_FACTOR_POWER
        winter = daily_from_monthly(ready, P.DELAY_WINTER)
        p = (
            P.DELAY_RISK[np.minimum(ages, 110)] * (ages >= 16) * cat_factor * P.DELAY_SCALE
            * ctx.delay_factor**power * winter * np.sqrt(planted)
        )  # fmt: skip
        p = np.where(f["clinical"] == 0, 0.2 * p, p)  # few are ready on the day they come in
        # Balanced sampling along time within each locality: delays are rare and long, so
        # independent draws would make small areas' bed days jump about far more than
        # the rates imply (and hide the planted changes in noise).
        delayed = systematic(g, np.where(f["died"], 0.0, p), ready, loc)
        rows = np.flatnonzero(delayed)
        code[rows], median, sigma = _delay_codes(
            g, ages[rows], f["cat"][rows], ready[rows], loc[rows]
        )
        group = np.searchsorted(_GROUP_OF_CODE[0], code[rows])
        u = spread_uniforms(g, ready[rows], _GROUP_OF_CODE[1][group] * 64 + loc[rows])
        days = median * np.exp(sigma * ndtri(np.clip(u, 1e-9, 1 - 1e-9)))
        days *= ctx.delay_factor**power * winter[rows] * np.sqrt(planted[rows]) * los_change[rows]
        days = np.clip(np.ceil(days), 1, P.DELAY_MAX).astype(np.int64)
        days[g.random(len(rows)) < P.DELAY_SAME_DAY] = 0
        # A planted fall in delayed bed days also shortens the delays already running.
        for li, start, factor in ctx.planted_list("delayed_bed_days"):
            r = ready[rows]
            running = (loc[rows] == li) & (r < start) & (r + days > start)
            left = r[running] + days[running] - start
            days[running] = start - r[running] + np.ceil(left * factor).astype(np.int64)
        length[rows] = days
    f["delay_code"] = code
    f["delay_len"] = length


_HSC = P.DELAY_CODES_HSC
_FAMILY = P.DELAY_CODES_FAMILY
_CODE9 = P.DELAY_CODES_CODE9
_DEMENTIA = list(P.EMERGENCY_CATEGORIES).index("delirium_dementia")


def _group_of_code() -> tuple[np.ndarray, np.ndarray]:
    """Sorted reason codes and the index of each one's reason group."""
    groups = {
        **dict.fromkeys(_HSC, 0), **dict.fromkeys(_FAMILY, 1), **dict.fromkeys(_CODE9, 2),
        P.DELAY_AWI[0]: 3, P.DELAY_100[0]: 4,
    }  # fmt: skip
    codes = np.array(sorted(groups))
    return codes, np.array([groups[c] for c in codes])


_GROUP_OF_CODE = _group_of_code()


def _delay_codes(g, ages: np.ndarray, cat: np.ndarray, ready: np.ndarray, loc: np.ndarray):
    """Reason code, median length and sigma for each delay."""
    n = len(ages)
    groups = list(P.DELAY_GROUPS)
    base = np.array(list(P.DELAY_GROUPS.values()))
    probs = np.tile(base, (n, 1))
    probs[:, groups.index("awi")] *= np.where(cat == _DEMENTIA, 3.0, 1.0)
    probs[:, groups.index("code9")] *= np.where(ages < 65, 2.0, 1.0)
    cum = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    u = spread_uniforms(g, ready, loc)
    grp = np.minimum((u[:, None] > cum).sum(axis=1), len(groups) - 1)
    code = np.empty(n, dtype="<U4")
    median = np.zeros(n)
    sigma = np.full(n, P.DELAY_SIGMA)
    young = ages < 65
    for gi, name in enumerate(groups):
        rows = np.flatnonzero(grp == gi)
        if not len(rows):
            continue
        if name in ("awi", "100"):
            c, m = P.DELAY_AWI if name == "awi" else P.DELAY_100
            code[rows], median[rows], sigma[rows] = c, m, P.DELAY_SIGMA_LONG
            continue
        table = {"hsc": _HSC, "family": _FAMILY, "code9": _CODE9}[name]
        for is_young in (True, False):
            sub = rows[young[rows] == is_young]
            if not len(sub):
                continue
            allowed = {
                c: v for c, v in table.items()
                if not (c in ("24D", "24DX") and not is_young) and not (c in ("24E", "24EX") and is_young)
            }  # fmt: skip
            names = np.array(list(allowed))
            w = np.array([v[0] for v in allowed.values()])
            cw = np.cumsum(w / w.sum())
            pick = np.minimum(
                np.searchsorted(cw, spread_uniforms(g, ready[sub]), side="right"), len(w) - 1
            )
            code[sub] = names[pick]
            median[sub] = np.array([v[1] for v in allowed.values()])[pick]
            if name == "code9":
                sigma[sub] = P.DELAY_SIGMA_LONG
    return code, median, sigma


def _discharge(g, f: Frame) -> None:
    """Discharge day, discharge type and (for delays) where the person went."""
    n = nrows(f)
    ag = f["ag"]
    delayed = f["delay_code"] != EMPTY
    to = np.zeros(n, dtype=np.int8)
    rows = np.flatnonzero(delayed)
    kinds = np.array([P.DELAY_CODE_DESTINATION.get(c, "other") for c in f["delay_code"][rows]])
    for kind, mix in P.DELAY_DISCHARGE_TO.items():
        sub = rows[kinds == kind]
        to[sub] = choice(g, mix, len(sub))
    age_band = np.searchsorted([65, 85], f["age"][rows], side="right")
    died_delayed = g.random(len(rows)) < np.asarray(P.DELAY_DEATH)[age_band]
    to[rows[died_delayed]] = 4
    f["delay_to"] = to
    f["dis"] = f["ready"] + f["delay_len"]

    dtype = np.full(n, 10, dtype=np.int16)
    u = g.random(n)
    care = np.asarray(P.CARE_HOME_DISCHARGE)[ag]
    self_ = np.asarray(P.SELF_DISCHARGE)[ag]
    other = np.asarray(P.OTHER_HOSPITAL_DISCHARGE)[ag]
    dtype[u < care] = 12
    dtype[(u >= care) & (u < care + self_)] = 20
    dtype[(u >= care + self_) & (u < care + self_ + other)] = 11
    dtype[delayed] = np.where(
        to[delayed] == 1, 12, np.where(dtype[delayed] == 20, 10, dtype[delayed])
    )
    dead = f["died"] | (to == 4)
    dtype[dead] = choice(g, P.DEATH_TYPES, int(dead.sum()))
    f["died"] = dead
    f["dis_type"] = dtype


def readmissions(g, ctx: Context, reg: Register, stays: Frame) -> Frame:
    """Emergency readmissions after live discharges (one generation)."""
    alive = ~stays["died"] & (stays["dis"] <= ctx.end) & stays["emergency"]
    risk = np.asarray(P.READMIT_RISK)[stays["ag"]] * np.sqrt(reg.frailty[stays["person"]])
    rows = np.flatnonzero(alive & (g.random(nrows(stays)) < np.minimum(risk, 0.6)))
    gap = 1 + np.floor(g.exponential(P.READMIT_GAP, len(rows))).astype(np.int64)
    person = stays["person"][rows]
    adm = stays["dis"][rows] + gap
    ok = (adm <= ctx.end) & (adm < reg.death[person])
    rows, person, adm = rows[ok], person[ok], adm[ok]
    ages = age_at(reg.dob[person], adm)
    keep = g.random(len(rows)) < ctx.planted_factor(
        "emergency_admissions_75plus", reg.loc[person], adm
    ) ** (ages >= 75)
    rows, person, adm, ages = rows[keep], person[keep], adm[keep], ages[keep]
    same = g.random(len(rows)) < P.READMIT_SAME_CONDITION
    forced = np.where(same, stays["cat"][rows], -1)
    return stay_attributes(g, ctx, reg, person, adm, ages, elective=False, forced_category=forced)


def force_edge_delays(g, ctx: Context, reg: Register, s: Frame) -> None:
    """Make sure the rare delays the PHS rules must handle exist in every partnership:
    delays of 16-17 year olds, and code 9 delays with secondary codes 26X and 46X.
    Runs on resolved stays and only uses a person's last stay, ending well before the
    extract date and their death, so nothing else moves."""
    n = nrows(s)
    last = np.ones(n, dtype=bool)
    last[:-1] = s["person"][1:] != s["person"][:-1]
    ok = (
        last & s["emergency"] & ~s["died"] & (s["adm"] >= ctx.start) & (s["delay_code"] == EMPTY)
        & (s["ready"] <= ctx.end - 90) & (reg.death[s["person"]] > s["ready"] + 120)
    )  # fmt: skip
    ready_age = age_at(reg.dob[s["person"]], s["ready"])

    def add(rows, code, median):
        length = np.clip(np.ceil(median * np.exp(0.4 * g.standard_normal(len(rows)))), 1, 60)
        home = code == "11B"
        s["delay_code"][rows] = code
        s["delay_len"][rows] = length
        s["delay_to"][rows] = 2 if home else 1
        s["dis_type"][rows] = 10 if home else 12
        s["dis"][rows] = s["ready"][rows] + length.astype(np.int64)
        ok[rows] = False

    delayed = s["delay_code"] != EMPTY
    teen = (ready_age >= 16) & (ready_age <= 17)
    if not (teen & delayed).any() and (ok & teen).any():
        candidates = np.flatnonzero(ok & teen)
        add(g.choice(candidates, min(2, len(candidates)), replace=False), "11B", 12)
    older = ready_age >= 65
    for code, median in (("26X", 18), ("46X", 9)):
        if not (s["delay_code"] == code).any() and (ok & older).any():
            add(g.choice(np.flatnonzero(ok & older), 1), code, median)


def resolve(ctx: Context, reg: Register, stays: Frame) -> Frame:
    """Stays in order per person: no overlaps, nothing after death (in hospital or not),
    cis_marker numbered, and only stays that reach into the period."""
    order = np.lexsort((~stays["emergency"], stays["adm"], stays["person"]))
    s = take(stays, order)
    person = s["person"]
    prev = np.roll(cummax_within(person, s["dis"]), 1)
    first = group_starts(person)
    keep = first | (s["adm"] > prev)
    s = take(s, keep)
    person = s["person"]
    # A natural death during a stay ends it (a delay then ends in death too).
    natural = reg.death[person]
    dies_in = (natural >= s["adm"]) & (natural < s["dis"]) & (natural <= ctx.end)
    if dies_in.any():
        rows = np.flatnonzero(dies_in)
        s["dis"][rows] = natural[rows]
        s["died"][rows] = True
        s["dis_type"][rows] = 41
        in_delay = rows[(s["delay_code"][rows] != EMPTY) & (s["ready"][rows] <= natural[rows])]
        s["delay_len"][in_delay] = natural[in_delay] - s["ready"][in_delay]
        s["delay_to"][in_delay] = 4
        before = rows[(s["delay_code"][rows] != EMPTY) & (s["ready"][rows] > natural[rows])]
        s["delay_code"][before] = EMPTY
        s["ready"][rows] = np.minimum(s["ready"][rows], s["dis"][rows])
    # Death in hospital: nothing for that person afterwards.
    dead = s["died"] & (s["dis"] <= ctx.end)
    dead_person, first = np.unique(person[dead], return_index=True)  # rows are in date order
    reg.death[dead_person] = np.minimum(reg.death[dead_person], s["dis"][dead][first])
    s = take(s, s["adm"] <= reg.death[person])
    person = s["person"]
    s["cis"] = (reg.cis_offset[person] + rank_within(person) + 1).astype(np.int64)
    return take(s, s["dis"] >= ctx.start)


# --- episodes -----------------------------------------------------------------------------


def episodes(g, ctx: Context, reg: Register, s: Frame) -> Frame:
    """Split stays into episodes (transfers to Geriatric Medicine, rehabilitation or a
    community hospital); later episodes are admission type 18, same cis_marker."""
    n = nrows(s)
    length = s["dis"] - s["adm"]
    ag = s["ag"]
    delayed = s["delay_code"] != EMPTY
    p2 = np.where(
        delayed & (ag >= 4), P.SECOND_EPISODE_IF_DELAYED, np.asarray(P.SECOND_EPISODE)[ag]
    )
    second = s["emergency"] & (length >= 3) & (g.random(n) < p2)
    t1 = s["adm"] + np.maximum(1, np.floor(length * g.uniform(0.15, 0.55, n))).astype(np.int64)
    t1 = np.where(second, np.minimum(t1, s["dis"] - 1), s["dis"])
    left = s["dis"] - t1
    third = second & (left >= 4) & (g.random(n) < P.THIRD_EPISODE)
    t2 = t1 + np.maximum(1, np.floor(left * g.uniform(0.3, 0.7, n))).astype(np.int64)
    t2 = np.where(third, np.minimum(t2, s["dis"] - 1), s["dis"])

    sites = ctx.sites
    community = sites.miu

    def later(spec_mix, rows, prev_location):
        spec = choice(g, spec_mix, len(rows)).astype("<U3")
        loc = prev_location.copy()
        move = (spec == "E12") | (g.random(len(rows)) > P.SECOND_SAME_HOSPITAL)
        if len(community):
            loc[move] = community[categorical(g, sites.miu_weight, np.zeros(move.sum(), int))]
        else:
            spec[spec == "E12"] = "AB"
        return spec, loc

    r2 = np.flatnonzero(second)
    spec2, loc2 = later(P.SECOND_SPECIALTY, r2, s["location"][r2])
    r3 = np.flatnonzero(third)
    pos3 = np.searchsorted(r2, r3)
    spec3, loc3 = later(P.THIRD_SPECIALTY, r3, loc2[pos3])

    def rows_for(idx, adm, dis, spec, location, adm_type, dis_type, main, op):
        out = {k: s[k][idx] for k in ("person", "cis", "sex", "loc", "emergency",
                                      *[f"other{i}" for i in range(1, 6)])}  # fmt: skip
        out.update(adm=adm, dis=dis, spec=spec, location=location, adm_type=adm_type,
                   dis_type=dis_type, main=main, op=op)  # fmt: skip
        return out

    last_type = s["dis_type"]
    moved1 = np.zeros(n, dtype=bool)
    moved1[r2] = loc2 != s["location"][r2]
    first_type = np.where(second, np.where(moved1, 11, 10), last_type)
    e1 = rows_for(np.arange(n), s["adm"], t1, s["spec"], s["location"], s["adm_type"],
                  first_type, s["main"], s["op"])  # fmt: skip

    def later_main(idx):
        main = s["main"][idx].copy()
        other = g.random(len(idx)) > P.LATER_EPISODE_SAME_CONDITION
        main[other] = choice(g, P.LATER_EPISODE_CODES, int(other.sum()))
        return main

    moved2 = np.zeros(len(r2), dtype=bool)
    moved2[pos3] = loc3 != loc2[pos3]
    type2 = np.where(third[r2], np.where(moved2, 11, 10), last_type[r2])
    no_op = np.full(len(r2), EMPTY, dtype="<U4")
    e2 = rows_for(r2, t1[r2], t2[r2], spec2, loc2, np.full(len(r2), 18, np.int16), type2,
                  later_main(r2), no_op)  # fmt: skip
    e3 = rows_for(r3, t2[r3], s["dis"][r3], spec3, loc3, np.full(len(r3), 18, np.int16),
                  last_type[r3], later_main(r3), np.full(len(r3), EMPTY, dtype="<U4"))  # fmt: skip
    eps = concat([e1, e2, e3])
    eps = take(eps, eps["adm"] <= ctx.end)
    # The last episode of each stay in the extract carries the delay's location.
    eps["age"] = age_at(reg.dob[eps["person"]], eps["adm"])
    return eps


def last_episode(eps: Frame) -> Frame:
    """The last episode of each stay (person, cis)."""
    order = np.lexsort((eps["adm"], eps["cis"], eps["person"]))
    e = take(eps, order)
    key = e["person"].astype(np.int64) * 100_000 + e["cis"]
    last = np.ones(len(key), dtype=bool)
    last[:-1] = key[1:] != key[:-1]
    return take(e, last)
