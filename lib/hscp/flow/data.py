"""What the older people's pathway model needs from an area's own data.

`observe` measures, with the project's PHS measures, an area's latest year of
emergency stays and delayed discharges of people aged 65+ (hscp.measures:
continuous_stays, bed_days_by_month, admissions_by_month, flag_ppa,
readmissions, eligible_delays, delayed_bed_days, population_total) and returns
the `Observed` year the calibration reproduces. docs/methods.md ("System
dynamics model: calibration") lists every input and where it comes from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hscp import measures
from hscp.conventions.months import complete_months
from hscp.errors import HscpError
from hscp.flow._common import CalibrationError
from hscp.flow.observed import Observed
from hscp.flow.pathway import AGE_BANDS, DELAY_GROUPS

#: The model is of people aged 65 and over.
MIN_AGE = 65
#: Age bands with their own admission rates: (band, youngest, oldest or None for and over).
BANDS = (("65_74", 65, 74), ("75_84", 75, 84), ("85_plus", 85, None))

#: What a delay waits for, by reason code (reason_code: the 9X code for code 9).
#: Care home: place availability in care homes (24A-24F), arrangements for a care home
#: placement (25A), funding for a care home place (23C), code 9 specialist places
#: (24DX, 24EX) and a care home closed (26X). Care at home: social support at home not
#: available (25D), equipment and adaptations (25E), funding for a care package (23D),
#: complex care arrangements at home (code 9 25X). Assessment: 11A, 11B. Intermediate
#: care: 27A. Everything else (legal, financial, family, choice, AWI, housing 25F,
#: transport 44, ward closed 46X) waits for other reasons. Code 100 is not counted.
DELAY_GROUP_OF_CODE = {
    **dict.fromkeys(("24A", "24B", "24C", "24D", "24E", "24F", "25A", "23C"), "care_home"),
    **dict.fromkeys(("24DX", "24EX", "26X"), "care_home"),
    **dict.fromkeys(("25D", "25E", "23D", "25X"), "care_at_home"),
    **dict.fromkeys(("11A", "11B"), "assessment"),
    "27A": "intermediate_care",
}
#: Codes meaning the wait is for lack of a place (or of the money to buy one); the other
#: codes of the care home and care at home groups are for arranging it.
CAPACITY_CODES = frozenset(
    {"24A", "24B", "24C", "24D", "24E", "24F", "23C", "24DX", "24EX", "26X", "25D", "23D"}
)

#: Where a delay ended (discharge_to: 1 placement, 2 home with home care, 3 home, 4 death,
#: 5 not fit for discharge), by what it waited for. Waiting for intermediate care, a
#: placement or home with care is taken as intermediate care (a facility, or reablement
#: at home).
DESTINATION_OF_DISCHARGE_TO = {
    "intermediate_care": {
        1: "intermediate_care",
        2: "intermediate_care",
        3: "home",
        4: "died",
        5: "treatment",
    },
    "other": {1: "care_home", 2: "care_at_home", 3: "home", 4: "died", 5: "treatment"},
}


def delay_group(reason_code: pd.Series) -> pd.Series:
    """The model's delay group (what the delay waits for) of each reason code."""
    return reason_code.map(DELAY_GROUP_OF_CODE).fillna("other").astype(str)


def calibration_window(end: pd.Timestamp, months: int = 12) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The latest `months` complete months up to `end`: (first day, last day)."""
    return complete_months(end, months)


def band_populations(population: pd.DataFrame) -> pd.DataFrame:
    """Population by year and model age band: columns year, band, population."""
    frames = []
    for band, low, high in BANDS:
        total = measures.population_total(
            population, sorted(population["year"].unique()), min_age=low, max_age=high
        )
        frames.append(total.assign(band=band))
    return pd.concat(frames, ignore_index=True)[["year", "band", "population"]]


def projection_growth(projections: pd.DataFrame, partnership: str, base_year: int) -> pd.DataFrame:
    """Growth of each age band from `base_year` in the NRS projections of a partnership:
    columns year, band, growth (1.0 in the base year)."""
    rows = projections[(projections["HSCP"] == partnership) & (projections["Sex"] == "All")]
    if "Variant" in rows.columns and rows["Variant"].notna().any():
        principal = rows["Variant"].astype(str).str.lower().str.contains("principal")
        rows = rows[principal] if principal.any() else rows
    if rows.empty:
        return pd.DataFrame(columns=["year", "band", "growth"])
    ages = {
        band: [f"Age{a}" for a in range(low, (high or 89) + 1)] + ([] if high else ["Age90plus"])
        for band, low, high in BANDS
    }
    out = []
    by_year = rows.set_index("Year")
    base = min(max(base_year, int(by_year.index.min())), int(by_year.index.max()))
    for band, columns in ages.items():
        totals = by_year[columns].sum(axis=1).astype(float)
        for year, value in totals.items():
            start = totals.loc[base]
            out.append(
                {"year": int(year), "band": band, "growth": value / start if start > 0 else 1.0}
            )
    return pd.DataFrame(out)


def observe(
    stays: pd.DataFrame,
    delays: pd.DataFrame,
    population: pd.DataFrame,
    *,
    area: str,
    start: pd.Timestamp,
    end: pd.Timestamp,
    locality: str | None = None,
    projections: pd.DataFrame | None = None,
    partnership: str | None = None,
) -> Observed:
    """An area's observed year (start to end, whole months) for the model, people 65+.

    `stays`: continuous_stays of the partnership (with `ppa` from flag_ppa, or it is
    added); `delays`: the delayed discharge records; `population`: the population
    table (locality rows); `projections`: NRS projections (optional: without them
    the population_year lever is not available). With `locality`, only its
    residents (stays and delays by the locality of residence, its population).
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    days = (end - start).days + 1
    if locality is not None:
        stays = stays[stays["locality"] == locality]
        delays = delays[delays["locality"] == locality]
        population = population[population["locality"] == locality]
    elif partnership is not None:
        population = population[population["hscp2019"] == partnership]
    if "ppa" not in stays.columns:
        stays = measures.flag_ppa(stays)
    older = stays[stays["emergency"].to_numpy(bool) & (pd.to_numeric(stays["age"]) >= MIN_AGE)]
    months = (start, end)

    admitted = older[(older["admission_date"] >= start) & (older["admission_date"] <= end)]
    if len(admitted) == 0:
        raise CalibrationError(
            f"{area}: no emergency admissions of people 65+ from {start:%b %Y} to {end:%b %Y}"
        )
    band = pd.cut(
        pd.to_numeric(admitted["age"]), [64, 74, 84, 200], labels=[b for b, _, _ in BANDS]
    )
    by_band = band.value_counts().reindex(AGE_BANDS, fill_value=0)

    bed_days = measures.bed_days_by_month(older, *months)
    admissions = measures.admissions_by_month(older, *months)
    discharged = older[(older["discharge_date"] >= start) & (older["discharge_date"] <= end)]

    monthly = admissions.merge(bed_days, on="month")
    monthly["days"] = monthly["month"].dt.days_in_month
    per_day = monthly["admissions"] / monthly["days"]
    seasonality = dict.fromkeys(range(1, 13), 1.0)
    mean = monthly["admissions"].sum() / monthly["days"].sum()
    for month, value in zip(monthly["month"], per_day, strict=True):
        seasonality[month.month] = float(value / mean) if mean > 0 else 1.0

    ppa_stays = discharged[discharged["ppa"].to_numpy(bool)]
    los_all = pd.to_numeric(discharged["length_of_stay"]).mean()
    los_ppa = pd.to_numeric(ppa_stays["length_of_stay"]).mean() if len(ppa_stays) else los_all

    delays_info = _delays(delays, start, end)
    occupied = bed_days["bed_days"].sum() / days
    delayed_total = sum(delays_info["delayed_beds"].values())
    # PPA stays' treatment days: their length of stay scaled as all stays' is by delays.
    treatment_ratio = max(occupied - delayed_total, 0.0) / occupied if occupied > 0 else 1.0
    monthly = monthly.merge(delays_info["monthly"], on="month", how="left").fillna(0)

    years = band_populations(population)
    if years.empty:
        raise CalibrationError(f"{area}: no population aged 65+ in the population table")
    middle = start + (end - start) / 2
    growth = (
        projection_growth(projections, partnership, middle.year)
        if projections is not None and partnership is not None
        else pd.DataFrame(columns=["year", "band", "growth"])
    )
    return Observed(
        area=area,
        start=start,
        end=end,
        admissions=len(admitted) / days,
        admissions_by_band={b: float(by_band[b]) / days for b in AGE_BANDS},
        population=years,
        occupied_beds=float(occupied),
        deaths_in_hospital=float(discharged["died"].sum()) / days,
        readmission_share=_readmission_share(stays, older, start, end),
        ppa_share=float(admitted["ppa"].mean()),
        los_ppa=float(los_ppa * treatment_ratio) if np.isfinite(los_ppa) else 0.0,
        seasonality=seasonality,
        delayed_beds=delays_info["delayed_beds"],
        delays_started=delays_info["delays_started"],
        delay_destinations=delays_info["destinations"],
        capacity_share=delays_info["capacity_share"],
        growth=growth,
        monthly=monthly,
    )


def _readmission_share(stays, older, start, end) -> float:
    """Share of live discharges of emergency stays of people 65+ (start to 28 days before
    end, so every readmission is seen) followed by an emergency readmission within 28
    days (the NI14 rule, measures.readmissions)."""
    per_discharge = measures.readmissions(stays, min_age=MIN_AGE)
    keys = older[["link_no", "cis_marker"]].drop_duplicates()
    per_discharge = per_discharge.merge(keys, on=["link_no", "cis_marker"])
    last = end - pd.Timedelta(days=measures.READMISSION_DAYS)
    seen = per_discharge[
        (per_discharge["discharge_date"] >= start) & (per_discharge["discharge_date"] <= last)
    ]
    return float(seen["readmitted_28"].mean()) if len(seen) else 0.0


def _delays(delays: pd.DataFrame, start, end) -> dict:
    """Delayed beds, delays a day, destinations and capacity shares by delay group."""
    eligible = measures.eligible_delays(delays)
    eligible = eligible[
        (pd.to_numeric(eligible["age"]) >= MIN_AGE) & ~eligible["code_100"].to_numpy(bool)
    ].copy()
    eligible["delay_group"] = delay_group(eligible["reason_code"])
    eligible["capacity_code"] = eligible["reason_code"].isin(CAPACITY_CODES)
    days = (end - start).days + 1
    bed_days = measures.delayed_bed_days(eligible, start, end, by=["delay_group", "capacity_code"])
    by_group = bed_days.groupby("delay_group")["bed_days"].sum()
    delayed_beds = {g: float(by_group.get(g, 0.0)) / days for g in DELAY_GROUPS}

    ready = eligible["ready_for_discharge_date"]
    left = eligible["discharge_date"]
    starts = eligible[(ready >= start) & (ready <= end)].groupby("delay_group").size()
    ends = eligible[(left >= start) & (left <= end)]
    ended = ends.groupby("delay_group").size()
    delays_started = {}
    for g in DELAY_GROUPS:
        n = (starts.get(g, 0) + ended.get(g, 0)) / 2
        if n == 0 and delayed_beds[g] > 0:
            n = 1  # someone was delayed all year: at least one delay
        delays_started[g] = float(n) / days

    destinations = {}
    known = ends[ends["discharge_to"].notna()]
    for g in DELAY_GROUPS:
        rows = known[known["delay_group"] == g]
        mapping = DESTINATION_OF_DISCHARGE_TO.get(g, DESTINATION_OF_DISCHARGE_TO["other"])
        where = pd.to_numeric(rows["discharge_to"]).astype(int).map(mapping)
        destinations[g] = where.value_counts(normalize=True).to_dict() if len(rows) else {}

    capacity_share = {}
    for g in ("care_home", "care_at_home"):
        rows = bed_days[bed_days["delay_group"] == g]
        total = rows["bed_days"].sum()
        capacity_share[g] = (
            float(rows.loc[rows["capacity_code"].astype(bool), "bed_days"].sum() / total)
            if total > 0
            else None
        )

    monthly = bed_days.groupby(["month", "delay_group"])["bed_days"].sum().unstack(fill_value=0)
    monthly = monthly.reindex(columns=list(DELAY_GROUPS), fill_value=0)
    monthly.columns = [f"delayed_bed_days_{g}" for g in monthly.columns]
    monthly["delayed_bed_days"] = monthly.sum(axis=1)
    return {
        "delayed_beds": delayed_beds,
        "delays_started": delays_started,
        "destinations": destinations,
        "capacity_share": capacity_share,
        "monthly": monthly.reset_index(),
    }


#: A locality's own data calibrate its model when its year has at least this many
#: emergency admissions of people 65+ and delays; otherwise the partnership's rates do.
MIN_ADMISSIONS = 365
MIN_DELAYS = 20


def scale_observed(observed: Observed, area: str, population: pd.DataFrame) -> Observed:
    """The partnership's observed year scaled to an area with `population` (the area's
    band populations): every count and bed scales with the need its population brings
    (admissions by band x the area's / the partnership's population in that band);
    rates, shares, waits and seasonality stay the partnership's."""
    from dataclasses import replace

    area_obs = replace(observed, population=population)
    factors = {
        b: area_obs.band_population(b) / observed.band_population(b)
        if observed.band_population(b) > 0
        else 0.0
        for b in AGE_BANDS
    }
    total = sum(observed.admissions_by_band.values())
    factor = (
        sum(observed.admissions_by_band[b] * factors[b] for b in AGE_BANDS) / total
        if total
        else 0.0
    )
    return replace(
        area_obs,
        area=area,
        admissions=observed.admissions * factor,
        admissions_by_band={b: v * factors[b] for b, v in observed.admissions_by_band.items()},
        occupied_beds=observed.occupied_beds * factor,
        deaths_in_hospital=observed.deaths_in_hospital * factor,
        delayed_beds={g: v * factor for g, v in observed.delayed_beds.items()},
        delays_started={g: v * factor for g, v in observed.delays_started.items()},
        monthly=observed.monthly.assign(
            **{
                c: observed.monthly[c] * factor
                for c in observed.monthly.columns
                if c not in ("month", "days")
            }
        ),
    )


def area_calibration(
    data,
    partnership,
    locality: str | None,
    end: pd.Timestamp,
    settings=None,
):
    """The calibrated model of a partnership, or of one of its localities, for a report.

    `data` is the partnership's store.Slice, `partnership` its geography.Partnership.
    The observed year is the latest `calibration_months` whole months to `end`. A
    locality with too few admissions or delays in the year (MIN_ADMISSIONS,
    MIN_DELAYS) gets the partnership's rates scaled to its population (noted).
    Capacities: the partnership's params `capacities:` block (a locality its share by
    population 65+), else the settings' rates per 1,000 people 65+.
    """
    from hscp.flow.calibration import area_capacities, calibrate
    from hscp.flow.settings import load_settings

    settings = settings or load_settings()
    start, end = calibration_window(end, int(settings.run["calibration_months"]))
    stays = measures.continuous_stays(data.episodes())
    delays = data.delays()
    population = data.population()
    population = population[population["hscp2019"] == partnership.code]
    try:
        projections = data.projections()
    except HscpError:  # the data have no projections table (store.DataError)
        projections = None
    common = dict(start=start, end=end, projections=projections, partnership=partnership.code)
    whole = observe(stays, delays, population, area=partnership.name, **common)
    observed, notes = whole, []
    if locality is not None:
        local = observe(stays, delays, population, area=locality, locality=locality, **common)
        admissions = local.admissions * local.days
        eligible = measures.eligible_delays(delays[delays["locality"] == locality])
        ready = eligible["ready_for_discharge_date"]
        n_delays = int(
            ((ready >= start) & (ready <= end) & (pd.to_numeric(eligible["age"]) >= MIN_AGE)).sum()
        )
        if admissions >= MIN_ADMISSIONS and n_delays >= MIN_DELAYS:
            observed = local
        else:
            observed = scale_observed(whole, locality, local.population)
            notes.append(
                f"{locality} had too few emergency admissions of people 65+ or delays in the year "
                f"for a model of its own (at least {MIN_ADMISSIONS} and {MIN_DELAYS} are needed): "
                f"the partnership's rates, scaled to the locality's population, are used."
            )
    capacities = area_capacities(
        settings,
        observed.population_65plus(),
        partnership.capacities.model_dump() if partnership.capacities else None,
        whole.population_65plus() if locality is not None else None,
    )
    in_use, sources = capacities_in_use(data, locality, end)
    capacities.update(in_use)
    calibration = calibrate(observed, settings, capacities)
    calibration.notes[:0] = notes
    calibration.capacity_sources.update(sources)
    return calibration


def capacities_in_use(data, locality: str | None, census) -> tuple[dict, dict]:
    """Care home places and care at home hours a week for people aged 65+ in use on the
    census day, from the care home and home care extracts where the data have them
    (care homes run nearly full, so the places in use stand for the capacity); with
    each, the words saying so. Empty when the data do not have the tables."""
    from hscp.measures.integration import open_on

    out, sources = {}, {}
    day = f"{pd.Timestamp(census):%d %b %Y}"
    for table, start, end, key in (
        ("care_home_episodes", "admission_date", "discharge_date", "care_home_places"),
        ("home_care", "start_date", "end_date", "care_at_home_hours_per_week"),
    ):
        try:
            frame = data.read(table)
        except HscpError:  # not in the data (store.DataError): the params' capacity stands
            continue
        if locality is not None:
            frame = frame[frame["locality"] == locality]
        frame = frame[open_on(frame, start, end, census) & (frame["age"] >= 65)]
        if frame.empty:
            continue
        if key == "care_home_places":
            out[key] = float(frame["link_no"].nunique())
            sources[key] = f"Residents aged 65+ on {day} (care home extract)"
        else:
            out[key] = float(frame["hours_per_week"].sum())
            sources[key] = f"Hours a week for people aged 65+ on {day} (home care extract)"
    return out, sources
