"""The system beyond the acute hospital, for the same people as the acute tables:
deaths, geriatric long stay (SMR01E) and mental health (SMR04) stays, care home stays
and home care periods.

Each table draws on its own random stream, so adding them leaves the acute, A&E and
delay tables exactly as they were. People move between the settings as they do in
life: a delay that ends in a placement starts a care home stay, a delay that ends at
home with home care starts a home care package (often after reablement), a care home
admission ends home care, and every stay and package ends at death. docs/synthetic-data.md
gives each rate below against the published Scotland figure it is tuned to.
"""

from __future__ import annotations

import numpy as np

from hscp.synthetic import _acute
from hscp.synthetic._context import Context
from hscp.synthetic._core import age_at, categorical, choice, rng
from hscp.synthetic._register import Register

EMPTY = _acute.EMPTY
NULL_DAY = np.iinfo(np.int64).min
YEAR = 365.25

# --- rates by age (a dict's keys are the lower bounds of its age bands) -----------------

#: Share of people living in a care home at the start, admissions from home a year, and
#: the average stay before a resident moves on if they do not die first.
CARE_HOME_RESIDENT = {18: 0.0009, 65: 0.005, 75: 0.027, 85: 0.135}
CARE_HOME_ENTRY = {18: 0.0001, 65: 0.0035, 75: 0.023, 85: 0.11}
CARE_HOME_STAY_YEARS = 2.2
CARE_HOME_RETURNS = 0.9  # discharges to a care home that are residents going back
CARE_HOME_NURSING = 0.6
CARE_HOME_SELF_FUNDED = 0.36
RESIDENTS_PER_HOME = 40
#: Share of people receiving home care at the start, and new packages a year.
HOME_CARE_CLIENT = {18: 0.0062, 65: 0.029, 75: 0.092, 85: 0.30}
HOME_CARE_ENTRY = {18: 0.0016, 65: 0.0093, 75: 0.031, 85: 0.093}
HOME_CARE_MEAN_YEARS = 3.0  # a package ends (needs met, moved, family care) after this, on average
HOME_CARE_HOURS_MEDIAN = 14.5  # hours a week (lognormal)
HOME_CARE_HOURS_SIGMA = 0.6
HOME_CARE_AFTER_DISCHARGE = 0.06  # emergency discharges of people 65+ home that start a package
REABLEMENT_SHARE = 0.35  # new packages that start with six weeks of reablement
REABLEMENT_DAYS = 42
REABLEMENT_CONTINUES = 0.55  # then need a longer-term package
IN_HOUSE = 0.4
#: Geriatric long stay admissions a year, their length, and long stays at the end of life.
LONG_STAY_ENTRY = {65: 0.0006, 75: 0.0025, 85: 0.007}
LONG_STAY_DAYS_MEDIAN, LONG_STAY_SIGMA = 45.0, 0.9
LONG_STAY_AT_END_OF_LIFE = 0.32  # deaths of people 75+ outside care homes
LONG_STAY_TYPES = {18: 0.45, 39: 0.25, 22: 0.10, 10: 0.20}
LONG_STAY_CONDITIONS = {
    "F03X": 0.3,
    "I64X": 0.2,
    "R54X": 0.2,
    "M819": 0.1,
    "G309": 0.1,
    "S720": 0.1,
}
#: Mental health admissions a year (per person), length, and long-stay patients.
MENTAL_HEALTH_ENTRY = {18: 0.0028, 65: 0.0035}
MENTAL_HEALTH_DAYS_MEDIAN, MENTAL_HEALTH_SIGMA = 22.0, 1.1
MENTAL_HEALTH_LONG_STAY = 0.00005  # adults in hospital since before the extract
MENTAL_HEALTH_TYPES = {20: 0.15, 22: 0.05, 30: 0.45, 38: 0.1, 10: 0.15, 18: 0.1}
MANAGEMENT = {1: 0.7, 2: 0.2, 3: 0.02, 4: 0.04, 5: 0.03, 7: 0.01}
MENTAL_HEALTH_CONDITIONS = {
    "younger": {"F200": 0.22, "F329": 0.18, "F319": 0.14, "F102": 0.14, "F609": 0.12,
                "F431": 0.1, "F250": 0.1},
    "older": {"F03X": 0.35, "F019": 0.1, "G309": 0.1, "F329": 0.2, "F059": 0.15, "F200": 0.1},
}  # fmt: skip
#: Underlying causes of death by age (ICD-10, no dot; V-Y are external causes).
CAUSES_OF_DEATH = {
    0: {"C349": 0.10, "C189": 0.05, "C509": 0.05, "C259": 0.03, "I219": 0.08, "I251": 0.07,
        "K703": 0.06, "X42X": 0.07, "X70X": 0.03, "V892": 0.02, "W19X": 0.01, "J449": 0.05,
        "G409": 0.02, "E149": 0.02, "F102": 0.03, "I64X": 0.03, "C719": 0.03, "I500": 0.05,
        "C159": 0.03, "C169": 0.02, "N189": 0.01, "J189": 0.05},
    65: {"C349": 0.09, "C189": 0.04, "C509": 0.03, "C259": 0.03, "C61": 0.03, "I219": 0.07,
         "I251": 0.09, "I64X": 0.05, "J449": 0.08, "J189": 0.04, "F03X": 0.06, "G309": 0.04,
         "E149": 0.02, "N189": 0.02, "K703": 0.02, "W19X": 0.015, "X59X": 0.005, "I500": 0.04,
         "C169": 0.02, "C679": 0.02, "C159": 0.03, "G20": 0.02, "I710": 0.02, "A419": 0.02,
         "C900": 0.02, "C859": 0.02, "R54X": 0.01, "K922": 0.02, "E86X": 0.01, "N390": 0.04},
    85: {"F03X": 0.14, "G309": 0.07, "I251": 0.09, "I64X": 0.07, "J189": 0.07, "J449": 0.05,
         "I500": 0.06, "C349": 0.04, "C61": 0.03, "C189": 0.03, "W19X": 0.02, "R54X": 0.05,
         "N189": 0.03, "I219": 0.05, "A419": 0.03, "N390": 0.04, "I48X": 0.03, "E86X": 0.02,
         "C259": 0.02, "G20": 0.02, "K922": 0.02, "I710": 0.02},
}  # fmt: skip
CONTRIBUTING_CAUSES = {"I10X": 0.2, "E119": 0.15, "J449": 0.1, "F03X": 0.1, "N189": 0.1,
                       "I48X": 0.15, "R54X": 0.1, "I251": 0.1}  # fmt: skip
INJURY_NATURE = {"W19X": "S720", "V892": "T068", "X42X": "T401", "X59X": "T149", "X70X": "T71"}
EXTERNAL_CONTRIBUTING = 0.005  # deaths with an external cause among the contributing causes
HOSPICE_SHARE_OF_CANCER = 0.25  # cancer deaths outside hospital and care homes in a hospice


def _by_age(rates: dict[int, float], ages: np.ndarray) -> np.ndarray:
    bounds = np.array(list(rates))
    values = np.array([0.0, *rates.values()])
    return values[np.searchsorted(bounds, ages, side="right")]


def _weights(
    reg: Register, people: np.ndarray, near_death: int, day0: int, factor: float = 2.5
) -> np.ndarray:
    """Frailer people, and people who will die within `near_death` days, are likelier to
    need care (mean 1 over the people given)."""
    w = reg.frailty[people] * np.where(reg.death[people] <= day0 + near_death, factor, 1.0)
    return w / w.mean() if len(w) else w


def _alive(reg: Register, day0: int) -> np.ndarray:
    return np.flatnonzero((reg.entry <= day0) & (reg.death > day0))


def _first_event(people: np.ndarray, days: np.ndarray, rate: np.ndarray, g, start, end):
    """Each person's first event of a yearly `rate` after `start` (exponential waiting
    time), where it falls before `end`."""
    wait = g.exponential(1.0, len(people)) / np.maximum(rate, 1e-12) * YEAR
    when = (start + np.floor(wait)).astype(np.int64)
    keep = when <= np.minimum(end, days)
    return people[keep], when[keep]


def _adults(reg: Register, day0: int) -> tuple[np.ndarray, np.ndarray]:
    """The adults living in the partnership on day0, and their ages."""
    alive = _alive(reg, day0)
    ages = age_at(reg.dob[alive], np.full(len(alive), day0))
    return alive[ages >= 18], ages[ages >= 18]


def _stock(g, reg: Register, adults, ages, shares, near_death: int, w0: int, mean_days: float):
    """The people already receiving a service on day w0 (a share by age, likelier for
    the frail and the dying), and since when: a random time before, not before they
    lived here or turned 18."""
    p = _by_age(shares, ages) * _weights(reg, adults, near_death, w0)
    people = adults[g.random(len(adults)) < np.minimum(p, 0.9)]
    since = w0 - np.floor(g.exponential(mean_days, len(people))).astype(np.int64)
    return people, np.maximum(since, np.maximum(reg.entry[people], reg.dob[people] + 18 * 366))


def _from_home(g, reg: Register, others, rates, near_death: int, w0: int, end: int):
    """Each of `others`' first start of a service from home, at a yearly rate by age
    (likelier for the frail and the dying), before they die and by the extract date."""
    rate = _by_age(rates, age_at(reg.dob[others], np.full(len(others), w0)))
    rate = rate * _weights(reg, others, near_death, w0)
    return _first_event(others, reg.death[others] - 1, rate, g, w0, end)


def _earliest(person: np.ndarray, day: np.ndarray):
    """Each person's earliest day (sorted by person), when they have several."""
    order = np.lexsort((day, person))
    person, day = person[order], day[order]
    first = np.ones(len(person), dtype=bool)
    first[1:] = person[1:] != person[:-1]
    return person[first], day[first]


def tables(g_seed: int, ctx: Context, reg: Register, stays: dict, eps: dict) -> dict[str, dict]:
    """The five whole-system tables of one partnership, as numpy columns (days as day
    numbers, NULL_DAY where empty)."""
    i = ctx.index
    care_home = _care_homes(rng(g_seed, "care_homes", i), ctx, reg, stays)
    home_care = _home_care(rng(g_seed, "home_care", i), ctx, reg, stays, care_home)
    long_stay = _long_stays(rng(g_seed, "long_stay", i), ctx, reg, care_home, stays)
    mental = _mental_health(rng(g_seed, "mental_health", i), ctx, reg)
    deaths = _deaths(rng(g_seed, "deaths", i), ctx, reg, eps, care_home, long_stay, mental)
    return {
        "care_home_episodes": care_home,
        "home_care": home_care,
        "long_stay_episodes": long_stay,
        "mental_health_episodes": mental,
        "deaths": deaths,
    }


# --- care homes ---------------------------------------------------------------------------


def _care_homes(g, ctx: Context, reg: Register, stays: dict) -> dict:
    """Care home stays: the residents at the start (older and frailer people), then
    admissions: placements at the end of a delay (and some other discharges to a care
    home) and admissions from home. A stay ends at death or, for a share, when the
    person moves on (CARE_HOME_STAY_YEARS on average, memoryless), which keeps the
    number of residents steady: the register's deaths do not know who is in a care home.
    """
    w0, end = ctx.w0, ctx.end
    adults, ages = _adults(reg, w0)
    resident, since = _stock(g, reg, adults, ages, CARE_HOME_RESIDENT, 2 * 365, w0,
                             CARE_HOME_STAY_YEARS * YEAR)  # fmt: skip
    placed = (
        (stays["dis"] >= w0) & (stays["dis"] <= end) & ~stays["died"]
        & ((stays["delay_to"] == 1)
           | ((stays["dis_type"] == 12) & (g.random(len(stays["dis"])) > CARE_HOME_RETURNS)))
    )  # fmt: skip
    others = np.setdiff1d(adults, resident, assume_unique=True)
    people, days = _from_home(g, reg, others, CARE_HOME_ENTRY, 2 * 365, w0, end)
    person, adm = _earliest(np.concatenate([stays["person"][placed], people]),
                            np.concatenate([stays["dis"][placed], days]))  # fmt: skip
    keep = ~np.isin(person, resident) & (adm < reg.death[person])
    person = np.concatenate([resident, person[keep]])
    start = np.concatenate([np.full(len(resident), w0), adm[keep]])  # memoryless from here
    adm = np.concatenate([since, adm[keep]])

    death = reg.death[person]
    moves_on = start + np.floor(g.exponential(CARE_HOME_STAY_YEARS * YEAR, len(person)))
    dis = np.minimum(death, moves_on.astype(np.int64))
    open_ = dis > end
    n_homes = np.maximum(1, np.bincount(reg.loc[person], minlength=len(ctx.localities.names))
                         // RESIDENTS_PER_HOME)  # fmt: skip
    home = np.floor(g.random(len(person)) * n_homes[reg.loc[person]]).astype(int)
    code = np.char.add(
        f"CS{i_code(ctx)}",
        np.char.add(
            np.char.zfill(reg.loc[person].astype(str), 2), np.char.zfill(home.astype(str), 6)
        ),
    )
    return {
        "person": person,
        "admission_date": adm,
        "discharge_date": np.where(open_, NULL_DAY, dis),
        "care_home_code": code,
        "nursing_care": np.where(g.random(len(person)) < CARE_HOME_NURSING, 0, 1),
        "funding": np.where(g.random(len(person)) < CARE_HOME_SELF_FUNDED, 1, 0),
        "age": age_at(reg.dob[person], adm),
        "dis": dis,
    }


def i_code(ctx: Context) -> str:
    return f"{ctx.index + 1:02d}"


# --- home care ----------------------------------------------------------------------------


def _home_care(g, ctx: Context, reg: Register, stays: dict, care_home: dict) -> dict:
    w0, end = ctx.w0, ctx.end
    moves_in = np.full(len(reg), np.iinfo(np.int64).max)
    moves_in[care_home["person"]] = care_home["admission_date"]
    adults, ages = _adults(reg, w0)
    at_home = moves_in[adults] > w0
    adults, ages = adults[at_home], ages[at_home]
    client, since = _stock(g, reg, adults, ages, HOME_CARE_CLIENT, 3 * 365, w0, 500)

    # New packages: at the end of a delay for care at home, after some emergency stays of
    # older people discharged home, and from the community.
    home = (stays["dis"] >= w0) & (stays["dis"] <= end) & ~stays["died"]
    after_delay = home & (stays["delay_to"] == 2)
    after_stay = (
        home & stays["emergency"] & (stays["age"] >= 65) & (stays["dis_type"] == 10)
        & (stays["delay_code"] == EMPTY) & (g.random(len(home)) < HOME_CARE_AFTER_DISCHARGE)
    )  # fmt: skip
    flow = after_delay | after_stay
    others = np.setdiff1d(adults, client, assume_unique=True)
    people, days = _from_home(g, reg, others, HOME_CARE_ENTRY, 3 * 365, w0, end)
    person, start = _earliest(np.concatenate([stays["person"][flow], people]),
                              np.concatenate([stays["dis"][flow], days]))  # fmt: skip
    keep = ~np.isin(person, client) & (start < reg.death[person]) & (start < moves_in[person])
    person, start = person[keep], start[keep]

    reable = g.random(len(person)) < REABLEMENT_SHARE
    continues = ~reable | (g.random(len(person)) < REABLEMENT_CONTINUES)
    rows = {  # (person, start, planned end, reablement)
        "stock": (client, since, np.zeros(len(client), bool)),
        "reablement": (person[reable], start[reable], np.ones(reable.sum(), bool)),
        "package": (
            person[continues],
            start[continues] + np.where(reable[continues], REABLEMENT_DAYS, 0),
            np.zeros(continues.sum(), bool),
        ),
    }
    p_all = np.concatenate([r[0] for r in rows.values()])
    s_all = np.concatenate([r[1] for r in rows.values()])
    r_all = np.concatenate([r[2] for r in rows.values()])
    planned = s_all + np.where(
        r_all, REABLEMENT_DAYS, np.floor(g.exponential(HOME_CARE_MEAN_YEARS * YEAR, len(p_all)))
    ).astype(np.int64)
    stop = np.minimum(np.minimum(planned, reg.death[p_all]), moves_in[p_all])
    keep = (stop > s_all) & (s_all <= end) & (stop >= w0)
    p_all, s_all, r_all, stop = p_all[keep], s_all[keep], r_all[keep], stop[keep]
    hours = HOME_CARE_HOURS_MEDIAN * np.exp(HOME_CARE_HOURS_SIGMA * g.standard_normal(len(p_all)))
    hours = np.clip(np.round(hours * 4) / 4, 0.5, 84.0)
    in_house = r_all | (g.random(len(p_all)) < IN_HOUSE)
    return {
        "person": p_all,
        "start_date": s_all,
        "end_date": np.where(stop > end, NULL_DAY, stop),
        "hours_per_week": hours,
        "reablement": np.where(r_all, 0, 1),
        "provider": np.where(in_house, 0, 1),
        "age": age_at(reg.dob[p_all], s_all),
    }


# --- geriatric long stay and mental health ------------------------------------------------


def _long_stays(g, ctx: Context, reg: Register, care_home: dict, stays: dict) -> dict:
    w0, end = ctx.w0, ctx.end
    alive = _alive(reg, w0)
    ages = age_at(reg.dob[alive], np.full(len(alive), w0))
    rate = _by_age(LONG_STAY_ENTRY, ages) * _weights(reg, alive, 2 * 365, w0)
    person, adm = _first_event(alive, reg.death[alive] - 1, rate, g, w0, end)
    length = np.ceil(
        LONG_STAY_DAYS_MEDIAN * np.exp(LONG_STAY_SIGMA * g.standard_normal(len(person)))
    ).astype(np.int64)
    # Some people 75+ who die outside a care home spend their last weeks in long stay.
    dying = np.flatnonzero(
        (reg.death >= ctx.start) & (reg.death <= end) & (reg.entry < reg.death - 200)
        & (age_at(reg.dob, np.minimum(reg.death, end)) >= 75)
    )  # fmt: skip
    resident = np.zeros(len(reg), dtype=bool)
    resident[care_home["person"]] = True
    # nor for those who die in an acute bed
    resident[stays["person"][stays["died"] & (stays["dis"] <= end)]] = True
    dying = dying[~resident[dying] & (g.random(len(dying)) < LONG_STAY_AT_END_OF_LIFE)]
    eol_length = g.integers(14, 181, len(dying))
    person = np.concatenate([person, dying])
    adm = np.concatenate([adm, reg.death[dying] - eol_length])
    dis = np.minimum(
        np.concatenate([adm[: len(length)] + length, reg.death[dying]]), reg.death[person]
    )
    keep = dis <= end  # SMR01E records are submitted on discharge
    person, adm, dis = person[keep], adm[keep], dis[keep]
    died = dis == reg.death[person]
    sites = ctx.sites.miu if len(ctx.sites.miu) else ctx.sites.ed
    weights = ctx.sites.miu_weight if len(ctx.sites.miu) else ctx.sites.ed_weight
    return _inpatient(
        g,
        reg,
        person,
        adm,
        dis,
        sites[categorical(g, weights, np.zeros(len(person), int))],
        spec=np.full(len(person), "AB"),
        adm_type=choice(g, LONG_STAY_TYPES, len(person)),
        main=choice(g, LONG_STAY_CONDITIONS, len(person)),
        dis_type=np.where(died, 41, np.where(g.random(len(person)) < 0.3, 12, 10)),
    )


def _mental_health(g, ctx: Context, reg: Register) -> dict:
    w0, end = ctx.w0, ctx.end
    alive = _alive(reg, w0)
    ages = age_at(reg.dob[alive], np.full(len(alive), w0))
    person, adm = _first_event(alive, reg.death[alive] - 1, _by_age(MENTAL_HEALTH_ENTRY, ages),
                               g, w0, end)  # fmt: skip
    length = np.ceil(
        MENTAL_HEALTH_DAYS_MEDIAN * np.exp(MENTAL_HEALTH_SIGMA * g.standard_normal(len(person)))
    ).astype(np.int64)
    adults = alive[ages >= 18]
    long_stay = adults[g.random(len(adults)) < MENTAL_HEALTH_LONG_STAY]
    since = w0 - 365 - np.floor(g.exponential(2000, len(long_stay))).astype(np.int64)
    since = np.maximum(since, reg.entry[long_stay])
    person = np.concatenate([person, long_stay])
    adm = np.concatenate([adm, since])
    dis = np.concatenate([adm[: len(length)] + length, np.full(len(long_stay), end + 1)])
    dis = np.minimum(dis, reg.death[person])
    ages = age_at(reg.dob[person], adm)
    older = ages >= 65
    main = np.where(
        older,
        choice(g, MENTAL_HEALTH_CONDITIONS["older"], len(person)),
        choice(g, MENTAL_HEALTH_CONDITIONS["younger"], len(person)),
    )
    sites = ctx.sites.ed[categorical(g, ctx.sites.ed_weight, np.zeros(len(person), int))]
    frame = _inpatient(
        g, reg, person, adm, dis, sites,
        spec=np.where(older, "G4", "G1"),
        adm_type=choice(g, MENTAL_HEALTH_TYPES, len(person)),
        main=main,
        dis_type=np.where(dis == reg.death[person], 41, 10),
    )  # fmt: skip
    frame["management"] = choice(g, MANAGEMENT, len(person))
    return frame


def _inpatient(g, reg, person, adm, dis, location, *, spec, adm_type, main, dis_type) -> dict:
    order = np.lexsort((adm, person))
    cols = {
        "person": person, "adm": adm, "dis": dis, "location": location.astype("<U5"),
        "spec": spec.astype("<U3"), "adm_type": adm_type, "main": main.astype("<U5"),
        "dis_type": dis_type,
    }  # fmt: skip
    cols = {k: np.asarray(v)[order] for k, v in cols.items()}
    first = np.ones(len(order), dtype=bool)
    first[1:] = cols["person"][1:] != cols["person"][:-1]
    starts = np.flatnonzero(first)
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.append(starts, len(order))))
    cols["cis"] = (rank + 1).astype(np.int64)
    cols["age"] = age_at(reg.dob[cols["person"]], cols["adm"])
    return cols


# --- deaths -------------------------------------------------------------------------------


def _deaths(g, ctx, reg, eps, care_home, long_stay, mental) -> dict:
    person = np.flatnonzero(
        (reg.death >= ctx.start) & (reg.death <= ctx.end) & (reg.death >= reg.entry)
    )
    died = reg.death[person]
    ages = age_at(reg.dob[person], died)
    underlying = np.empty(len(person), dtype="<U5")
    band = np.searchsorted(np.array(list(CAUSES_OF_DEATH)), ages, side="right") - 1
    for b, causes in enumerate(CAUSES_OF_DEATH.values()):
        rows = np.flatnonzero(band == b)
        underlying[rows] = choice(g, causes, len(rows))
    causes = [underlying.copy()]
    nature = np.array([INJURY_NATURE.get(c, EMPTY) for c in underlying])
    causes.append(nature)
    extra = g.integers(0, 4, len(person))
    for k in range(1, 4):
        code = choice(g, CONTRIBUTING_CAUSES, len(person))
        code[(extra < k) | (code == underlying)] = EMPTY
        causes.append(code)
    external = g.random(len(person)) < EXTERNAL_CONTRIBUTING
    causes[-1][external] = "X59X"
    # Place: the hospital, long stay or mental health ward, the care home, a hospice.
    place = np.full(len(person), EMPTY, dtype="<U12")
    resident_home = dict(
        zip(care_home["person"][care_home["dis"] == reg.death[care_home["person"]]],
            care_home["care_home_code"][care_home["dis"] == reg.death[care_home["person"]]],
            strict=True)
    )  # fmt: skip
    at = np.array([resident_home.get(p, EMPTY) for p in person], dtype="<U12")
    place = np.where(at != EMPTY, at, place)
    hospice = (np.char.startswith(underlying, "C") & (place == EMPTY)
               & (g.random(len(person)) < HOSPICE_SHARE_OF_CANCER))  # fmt: skip
    place[hospice] = hospice_code(ctx)
    for frame in (eps, long_stay, mental):
        in_ward = (frame["dis"] == reg.death[frame["person"]]) & (frame["dis"] <= ctx.end)
        ward = dict(zip(frame["person"][in_ward], frame["location"][in_ward], strict=False))
        found = np.array([ward.get(p, EMPTY) for p in person], dtype="<U12")
        place = np.where(found != EMPTY, found, place)
    out = {
        "person": person,
        "date_of_death": died,
        "underlying_cause_of_death": underlying,
        "place_of_death": place,
        "age": ages,
    }
    for k in range(10):
        out[f"cause_of_death_code_{k}"] = (
            causes[k] if k < len(causes) else np.full(len(person), EMPTY)
        )
    return out


def hospice_code(ctx: Context) -> str:
    """The partnership's health board's (synthetic) hospice: the board's letter + 901V."""
    return hospice_for_letter(ctx.sites.ed[0][0])


def hospice_for_letter(letter: str) -> str:
    return f"{letter}901V"
