"""A deterministic synthetic Scotland: the embedded default data set.

`generate(out_dir, scale, seed)` writes the five tables of the data contract
(hscp.extracts) for a synthetic population of Scotland's 31 partnerships and their
real localities: populations anchored on the NRS mid-year estimates, a person
register (link_no) shared by every table, SMR01-style acute episodes, A&E
attendances, delayed discharges and NRS-layout population projections, with
realistic rates, seasons, codes and a few planted tests of change
(PLANTED_CHANGES) for control charts and evaluations to find.

The same seed gives the same data. docs/synthetic-data.md describes every table,
the rates and shares used and their sources.

    python -m hscp.synthetic --scale tiny --out data/tiny [--seed N] [--format csv]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import yaml

from hscp import __version__, extracts, geography
from hscp.synthetic import _acute, _ae, _output, _population, _whole_system
from hscp.synthetic import _params as P
from hscp.synthetic._context import Context
from hscp.synthetic._core import age_at, day, rng
from hscp.synthetic._register import build as build_register

__all__ = ["GENERATOR_VERSION", "PLANTED_CHANGES", "SCALES", "PlantedChange", "Scale", "generate"]

#: Bumped whenever the same seed would give different data.
GENERATOR_VERSION = "1.8"

TABLES = tuple(extracts.SCHEMAS)


@dataclass(frozen=True)
class Scale:
    name: str
    partnerships: tuple[str, ...] | None  # S37 codes with record-level activity; None = all 31
    start: dt.date  # first day of the activity period
    end: (
        dt.date
    )  # last day of the period = extract date; stays/delays still open have no discharge date
    #: About how long generating and preparing take on a 2-core laptop (said before starting).
    takes: str = "a few minutes"


SCALES: dict[str, Scale] = {
    "tiny": Scale(
        "tiny",
        ("S37000005", "S37000022"),
        dt.date(2023, 1, 1),
        dt.date(2025, 3, 31),
        "about 15 seconds",
    ),
    "default": Scale("default", None, dt.date(2022, 4, 1), dt.date(2025, 3, 31), "about 2 minutes"),
    "scotland": Scale(
        "scotland", None, dt.date(2020, 4, 1), dt.date(2025, 3, 31), "about 5 minutes"
    ),
}


@dataclass(frozen=True)
class PlantedChange:
    partnership: str  # S37 code
    locality: str
    measure: str  # "delayed_bed_days", "emergency_admissions_75plus", "ae_attendances", "emergency_length_of_stay"
    start: dt.date  # first month affected
    effect: float  # relative change, e.g. -0.35
    description: str  # plain words, as a test of change would be described


PLANTED_CHANGES: tuple[PlantedChange, ...] = (
    PlantedChange(
        "S37000005",
        "Clackmannanshire",
        "delayed_bed_days",
        dt.date(2024, 4, 1),
        -0.35,
        "Discharge to assess: from April 2024 people in Clackmannanshire who are ready to leave "
        "hospital go home and have their care needs assessed there, so fewer of them are delayed "
        "and delays are shorter (delayed bed days about 35% lower).",
    ),
    PlantedChange(
        "S37000005",
        "Stirling City with the Eastern Villages Bridge of Allan & Dunblane",
        "delayed_bed_days",
        dt.date(2024, 4, 1),
        0.30,
        "An unintended consequence of discharge to assess in Clackmannanshire: from April "
        "2024 the reablement staff it needs are drawn from the Stirling team, so people from "
        "Stirling City and the eastern villages wait longer for care at home and their "
        "delayed bed days rise (about 30% higher).",
    ),
    PlantedChange(
        "S37000005",
        "Rural Stirling",
        "emergency_admissions_75plus",
        dt.date(2024, 1, 1),
        -0.20,
        "A frailty practitioner in the community: from January 2024 an advanced practitioner "
        "sees frail older people in rural Stirling at home when they become unwell, and "
        "emergency admissions of people aged 75 and over fall by about 20%.",
    ),
    PlantedChange(
        "S37000005",
        "Stirling City with the Eastern Villages Bridge of Allan & Dunblane",
        "ae_attendances",
        dt.date(2024, 7, 1),
        0.15,
        "A rise in A&E attendances: from July 2024 a GP out-of-hours base in Stirling closes "
        "and more people from Stirling City and the eastern villages go to A&E instead "
        "(attendances about 15% higher).",
    ),
    PlantedChange(
        "S37000034",
        "Glasgow North East",
        "emergency_length_of_stay",
        dt.date(2024, 4, 1),
        -0.15,
        "Criteria-led discharge and a daily senior review on the medical wards that take "
        "emergency admissions from Glasgow North East: from April 2024 the average length "
        "of emergency stays falls by about 15%.",
    ),
)


def _scale(scale: str | Scale) -> Scale:
    if isinstance(scale, Scale):
        return scale
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    return SCALES[scale]


def _mid_years(scale: Scale) -> list[int]:
    years = [y for y in range(scale.start.year, scale.end.year + 1)
             if scale.start <= dt.date(y, 6, 30) <= scale.end]  # fmt: skip
    return years or [scale.start.year]


def generate(
    out_dir: str | Path,
    scale: str = "default",
    seed: int = 20261126,
    fmt: str = "parquet",
    *,
    progress: bool = False,
) -> dict[str, Path]:
    """Write the five tables of the data contract (acute_episodes, ae_attendances,
    delayed_discharges, population, population_projections) into out_dir as
    <table>.parquet (or .csv when fmt="csv"), plus extract.yaml (source: synthetic,
    scale, seed, generator version, extract date, period, row counts, the planted
    changes). Returns table -> path."""
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"unknown format {fmt!r}; use 'parquet' or 'csv'")
    sc = _scale(scale)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    everyone = geography.partnerships()
    active = [p for p in everyone if sc.partnerships is None or p.code in sc.partnerships]
    if sc.partnerships is not None:
        unknown = set(sc.partnerships) - {p.code for p in everyone}
        if unknown:
            raise ValueError(f"scale {sc.name}: unknown partnership codes {sorted(unknown)}")

    # Populations for every partnership (cheap), so rates and comparisons work anywhere.
    base, base_year = _population.base_population()
    years = _mid_years(sc)
    aged = {p.code: _population.age_population(base[p.code], base_year, years) for p in everyone}
    locs = {
        p.code: _population.localities(p, i, seed, base[p.code]) for i, p in enumerate(everyone)
    }
    population = _population.population_frame(aged, locs)
    # From the first population year, as the NRS projections start before the data do:
    # a base year before the provisional months still has its projection.
    projections = _population.projections_frame(population, min(years))

    parts: dict[str, list[dict]] = {name: [] for name in _KIND}
    deprived: list[tuple] = []
    start, end = day(sc.start), day(sc.end)
    from tqdm.auto import tqdm

    for i, p in enumerate(tqdm(everyone, desc="Partnerships", unit="", disable=not progress)):
        if p not in active:
            continue
        ctx = Context(i, p, seed, start, end, locs[p.code], PLANTED_CHANGES)
        counts = {
            y: _population.locality_counts(population, p.code, y, locs[p.code].names) for y in years
        }
        reg = build_register(i, counts, end, seed)
        deprived.append(_datazones(p.code, reg, years))
        tables = _partnership(ctx, reg)
        for name, cols in tables.items():
            parts[name].append(cols)

    arrow = {name: _combine(name, cols) for name, cols in parts.items()}
    arrow["population"] = _output.from_pandas(population)
    arrow["population_projections"] = _output.from_pandas(projections)
    lookup, dz_population = _deprivation_frames(deprived)
    arrow["simd_lookup"] = _output.from_pandas(lookup)
    arrow["datazone_population"] = _output.from_pandas(dz_population)
    paths = {}
    suffix = ".parquet" if fmt == "parquet" else ".csv"
    for name in TABLES:
        paths[name] = _output.write(arrow[name], out / f"{name}{suffix}", fmt)
        # A table left in the other format would be read instead (parquet first).
        for stale in (".parquet", ".csv", ".csv.gz"):
            if stale != suffix:
                (out / f"{name}{stale}").unlink(missing_ok=True)
    meta = {
        "name": f"synthetic Scotland ({sc.name} scale, seed {seed})",
        "source": "synthetic",
        "generator": "hscp.synthetic",
        "generator_version": GENERATOR_VERSION,
        "package_version": __version__,
        "scale": sc.name,
        "seed": int(seed),
        "format": fmt,
        "extract_date": sc.end.isoformat(),
        "period": {"start": sc.start.isoformat(), "end": sc.end.isoformat()},
        "partnerships": [p.code for p in active],
        "population_years": years,
        "projection_years": [int(projections["Year"].min()), int(projections["Year"].max())],
        "rows": {name: int(arrow[name].num_rows) for name in TABLES},
        "files": {name: path.name for name, path in paths.items()},
        "planted_changes": [
            {
                "partnership": c.partnership,
                "locality": c.locality,
                "measure": c.measure,
                "start": c.start.isoformat(),
                "effect": c.effect,
                "description": c.description,
            }
            for c in PLANTED_CHANGES
            if c.partnership in {p.code for p in active}
        ],
        "notes": (
            "Synthetic data: no real person is in it. Populations are anchored on NRS "
            "mid-year estimates; datazone and GP practice codes are synthetic, not the "
            "real lookups. See docs/synthetic-data.md."
        ),
    }
    (out / "extract.yaml").write_text(
        yaml.safe_dump(meta, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    return paths


def _datazones(code: str, reg, years: list[int]) -> tuple:
    """A partnership's datazones: codes, deprivation scores, and residents at each mid-year
    by datazone, sex and age group (DATAZONE_AGE_GROUPS)."""
    n_dz = len(reg.datazones)
    rows = []
    for year in years:
        mid = day(dt.date(year, 6, 30))
        here = (reg.entry <= mid) & (reg.death > mid)
        age = age_at(reg.dob[here], np.full(int(here.sum()), mid))
        group = np.digitize(age, [18, 65, 75])
        cell = (reg.datazone[here] * 2 + (reg.sex[here] - 1)) * 4 + group
        counts = np.bincount(cell, minlength=n_dz * 8)
        rows.append((year, counts))
    return code, reg.datazones, reg.deprivation, rows


#: Datazones SIMD 2020 ranks (the lookup's ranks run 1 to this).
SIMD_DATAZONES = 6976


def _deprivation_frames(deprived: list[tuple]):
    """The SIMD lookup (ranks and quintiles of Scotland and within the partnership, which
    stands for the council area) and the datazone populations, as PHS and NRS publish them."""
    import pandas as pd

    codes = np.concatenate([d[1] for d in deprived]) if deprived else np.array([], int)
    score = np.concatenate([d[2] for d in deprived]) if deprived else np.array([])
    area = np.concatenate([[d[0]] * len(d[1]) for d in deprived]) if deprived else np.array([])
    n = len(codes)
    order = np.empty(n, dtype=int)
    order[np.argsort(-score, kind="stable")] = np.arange(1, n + 1)  # 1: the most deprived
    rank = order
    if n > SIMD_DATAZONES:  # more synthetic datazones than Scotland's: ranks on SIMD's scale
        rank = np.ceil(rank * SIMD_DATAZONES / n).astype(int)
    within = pd.Series(-score).groupby(area).rank(method="first").to_numpy(int)
    size = pd.Series(area).map(pd.Series(area).value_counts()).to_numpy()
    lookup = pd.DataFrame(
        {
            "datazone2011": [f"S01{c:06d}" for c in codes],
            "hscp2019": area.astype(str),
            "simd2020v2_rank": rank,
            "simd2020v2_sc_decile": np.ceil(order * 10 / max(n, 1)).astype(int),
            "simd2020v2_sc_quintile": np.ceil(order * 5 / max(n, 1)).astype(int),
            "simd2020v2_ca2019_decile": np.ceil(within * 10 / size).astype(int),
            "simd2020v2_ca2019_quintile": np.ceil(within * 5 / size).astype(int),
        }
    )
    frames = []
    for _, dz_codes, _, years in deprived:
        labels = np.array([f"S01{c:06d}" for c in dz_codes])
        for year, counts in years:
            cells = np.arange(len(counts))
            frames.append(
                pd.DataFrame(
                    {
                        "year": year,
                        "datazone2011": labels[cells // 8],
                        "sex": (cells // 4) % 2 + 1,
                        "age_group": np.array(extracts.DATAZONE_AGE_GROUPS)[cells % 4],
                        "population": counts,
                    }
                )
            )
    columns = ["year", "datazone2011", "sex", "age_group", "population"]
    population = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return lookup, population


def _partnership(ctx: Context, reg) -> dict[str, dict]:
    """All record-level tables of one partnership, as numpy columns."""
    i, seed = ctx.index, ctx.seed
    # Emergency stays (with readmissions) and elective stays.
    g = rng(seed, "emergency", i)
    factor, top = _acute.emergency_day_factor(ctx, reg)
    rates = _acute.rate_table(P.EMERGENCY_RATE, P.EMERGENCY_MALE)
    rates = rates * P.EMERGENCY_SCALE * P.EMERGENCY_CALIBRATION
    person, adm, ages = _acute.emergency_events(g, ctx, reg, rates, factor, top)
    g = rng(seed, "stays", i)
    emergency = _acute.stay_attributes(g, ctx, reg, person, adm, ages, elective=False)
    readmitted = _acute.readmissions(rng(seed, "readmission", i), ctx, reg, emergency)
    g = rng(seed, "elective", i)
    efactor, etop = _acute.elective_day_factor(ctx)
    rates = _acute.rate_table(P.ELECTIVE_RATE) * P.ELECTIVE_SCALE
    person, adm, ages = _acute.sample_events(
        g, reg, rates, np.ones(len(reg)), ctx.w0, ctx.end, efactor, etop
    )
    elective = _acute.stay_attributes(g, ctx, reg, person, adm, ages, elective=True)
    stays = _acute.concat([emergency, readmitted, elective])
    stays = _acute.resolve(ctx, reg, stays)
    _acute.force_edge_delays(rng(seed, "edge", i), ctx, reg, stays)
    eps = _acute.episodes(rng(seed, "episodes", i), ctx, reg, stays)
    died_in_hospital = np.unique(stays["person"][stays["died"] & (stays["dis"] <= ctx.end)])
    ae = _ae.attendances(rng(seed, "ae", i), ctx, reg, stays, died_in_hospital)
    whole = _whole_system.tables(seed, ctx, reg, stays, eps)
    return {
        "acute_episodes": _episode_columns(ctx, reg, eps),
        "ae_attendances": _ae_columns(ctx, reg, ae),
        "delayed_discharges": _delay_columns(ctx, reg, stays, eps),
        **{name: _WHOLE_SYSTEM_COLUMNS[name](ctx, reg, cols) for name, cols in whole.items()},
    }


# --- columns in the contract's layout ---------------------------------------------------


def _locality_vocab() -> tuple[list[str], dict[tuple[str, int], int]]:
    """All locality names (global codes) and (partnership, local index) -> global code."""
    names, index = [], {}
    for p in geography.partnerships():
        for j, loc in enumerate(p.localities):
            index[(p.code, j)] = len(names)
            names.append(loc)
    return names, index


def _geo(ctx: Context, loc: np.ndarray) -> dict:
    names, index = _locality_vocab()
    lookup = np.array([index[(ctx.partnership.code, j)] for j in range(len(ctx.localities.names))])
    return {"hscp2019": np.full(len(loc), ctx.index, dtype=np.int32), "locality": lookup[loc]}


def _episode_columns(ctx: Context, reg, e: dict) -> dict:
    # SMR01 records are submitted on discharge: an episode still going on at the
    # extract date is not in the extract (its stay's earlier episodes are).
    e = _acute.take(e, e["dis"] <= ctx.end)
    person = e["person"]
    open_ = e["dis"] > ctx.end
    cols = {
        "link_no": reg.link_no[person],
        "cis_marker": e["cis"],
        "admission_date": e["adm"],
        "discharge_date": np.where(open_, NULL_DAY, e["dis"]),
        "admission_type": e["adm_type"],
        "specialty": e["spec"],
        "location": e["location"],
        "main_condition": e["main"],
        **{f"other_condition_{k}": e[f"other{k}"] for k in range(1, 6)},
        "main_operation": e["op"],
        "age": e["age"],
        "sex": e["sex"],
        "datazone2011": reg.datazones[reg.datazone[person]],
        **_geo(ctx, e["loc"]),
        "gp_practice": np.where(
            reg.gp[person] >= 0, reg.practices[np.maximum(reg.gp[person], 0)], -1
        ),
        "discharge_type": np.where(open_, -1, e["dis_type"]),
    }
    order = np.lexsort((cols["admission_date"], cols["cis_marker"], cols["link_no"]))
    return {k: v[order] for k, v in cols.items()}


def _ae_columns(ctx: Context, reg, a: dict) -> dict:
    person = a["person"]
    return {
        "link_no": reg.link_no[person],
        "arrival_datetime": a["arrival"],
        "departure_datetime": a["departure"],
        "attendance_category": a["category"],
        "arrival_mode": a["mode"],
        "referral_source": a["referral"],
        "discharge_destination": a["destination"],
        "diagnosis": a["diagnosis"],
        "age": a["age"],
        "sex": a["sex"],
        **_geo(ctx, a["loc"]),
        "treatment_location": a["site"],
        "department_type": a["department"],
    }


_CODE9 = set(extracts.CODE_9_REASONS)


def _delay_columns(ctx: Context, reg, stays: dict, eps: dict) -> dict:
    last = _acute.last_episode(eps)
    assert (last["person"] == stays["person"]).all() and (last["cis"] == stays["cis"]).all()
    rows = np.flatnonzero((stays["delay_code"] != _acute.EMPTY) & (stays["ready"] <= ctx.end))
    s = _acute.take(stays, rows)
    person = s["person"]
    code = s["delay_code"]
    is9 = np.isin(code, list(_CODE9))
    open_ = s["dis"] > ctx.end
    return {
        "link_no": reg.link_no[person],
        "age": age_at(reg.dob[person], s["ready"]),
        "sex": s["sex"],
        **_geo(ctx, s["loc"]),
        "location": last["location"][rows],
        "specialty": last["spec"][rows],
        "admission_date": s["adm"],
        "ready_for_discharge_date": s["ready"],
        "discharge_date": np.where(open_, NULL_DAY, s["dis"]),
        "reason_for_delay": np.where(is9, "9", code).astype("<U4"),
        "reason_for_delay_secondary": np.where(is9, code, _acute.EMPTY).astype("<U4"),
        "discharge_to": np.where(open_, -1, s["delay_to"]),
    }


NULL_DAY = np.iinfo(np.int64).min


def _person_columns(ctx: Context, reg, person: np.ndarray, age: np.ndarray, dz: bool) -> dict:
    return {
        "link_no": reg.link_no[person],
        "age": age,
        "sex": reg.sex[person],
        **({"datazone2011": reg.datazones[reg.datazone[person]]} if dz else {}),
        **_geo(ctx, reg.loc[person]),
    }


def _inpatient_columns(ctx: Context, reg, e: dict) -> dict:
    empty = np.full(len(e["person"]), _acute.EMPTY, dtype="<U5")
    cols = {
        **_person_columns(ctx, reg, e["person"], e["age"], dz=True),
        "cis_marker": e["cis"],
        "admission_date": e["adm"],
        "discharge_date": np.where(e["dis"] > ctx.end, NULL_DAY, e["dis"]),
        "admission_type": e["adm_type"],
        "specialty": e["spec"],
        "location": e["location"],
        "main_condition": e["main"],
        **{f"other_condition_{k}": empty for k in range(1, 6)},
        "main_operation": np.full(len(e["person"]), _acute.EMPTY, dtype="<U4"),
        "gp_practice": np.where(
            reg.gp[e["person"]] >= 0, reg.practices[np.maximum(reg.gp[e["person"]], 0)], -1
        ),
        "discharge_type": e["dis_type"],
    }
    if "management" in e:
        cols["management_of_patient"] = e["management"]
    return cols


def _care_home_columns(ctx: Context, reg, c: dict) -> dict:
    return {
        **_person_columns(ctx, reg, c["person"], c["age"], dz=False),
        "admission_date": c["admission_date"],
        "discharge_date": c["discharge_date"],
        "care_home_code": c["care_home_code"],
        "nursing_care": c["nursing_care"],
        "funding": c["funding"],
    }


def _home_care_columns(ctx: Context, reg, h: dict) -> dict:
    return {
        **_person_columns(ctx, reg, h["person"], h["age"], dz=False),
        **{k: h[k] for k in ("start_date", "end_date", "hours_per_week", "reablement", "provider")},
    }


def _death_columns(ctx: Context, reg, d: dict) -> dict:
    return {
        **_person_columns(ctx, reg, d["person"], d["age"], dz=True),
        **{k: v for k, v in d.items() if k not in ("person", "age")},
    }


_WHOLE_SYSTEM_COLUMNS = {
    "long_stay_episodes": _inpatient_columns,
    "mental_health_episodes": _inpatient_columns,
    "deaths": _death_columns,
    "care_home_episodes": _care_home_columns,
    "home_care": _home_care_columns,
}

_KIND = {
    "acute_episodes": {
        "admission_date": "date", "discharge_date": "date", "datazone2011": "datazone",
        "gp_practice": "practice", "discharge_type": "int_null",
    },
    "ae_attendances": {
        "arrival_datetime": "datetime", "departure_datetime": "datetime",
        "attendance_category": ("enum", extracts.AE_ATTENDANCE_CATEGORIES),
        "arrival_mode": ("enum", extracts.AE_ARRIVAL_MODES),
        "referral_source": ("enum", extracts.AE_REFERRAL_SOURCES),
        "discharge_destination": ("enum", extracts.AE_DISCHARGE_DESTINATIONS),
        "department_type": ("enum", extracts.AE_DEPARTMENT_TYPES),
    },
    "delayed_discharges": {
        "admission_date": "date", "ready_for_discharge_date": "date", "discharge_date": "date",
        "discharge_to": "int_null",
    },
    "long_stay_episodes": {
        "admission_date": "date", "discharge_date": "date", "datazone2011": "datazone",
        "gp_practice": "practice",
    },
    "mental_health_episodes": {
        "admission_date": "date", "discharge_date": "date", "datazone2011": "datazone",
    },
    "deaths": {"date_of_death": "date", "datazone2011": "datazone"},
    "care_home_episodes": {
        "admission_date": "date", "discharge_date": "date",
        "nursing_care": ("enum", extracts.YES_NO),
        "funding": ("enum", extracts.CARE_HOME_FUNDING),
    },
    "home_care": {
        "start_date": "date", "end_date": "date", "hours_per_week": "float",
        "reablement": ("enum", extracts.YES_NO),
        "provider": ("enum", extracts.HOME_CARE_PROVIDERS),
    },
}  # fmt: skip


def _combine(table: str, parts: list[dict]) -> pa.Table:
    schema = extracts.SCHEMAS[table]
    kinds = _KIND[table]
    names, _ = _locality_vocab()
    codes = [p.code for p in geography.partnerships()]
    arrays = {}
    for col in schema.names:
        values = np.concatenate([p[col] for p in parts]) if parts else np.zeros(0)
        kind = kinds.get(col)
        if col == "hscp2019":
            arrays[col] = _output.labels(values, codes)
        elif col == "locality":
            arrays[col] = _output.labels(values, names)
        elif kind == "date":
            arrays[col] = _output.dates(np.where(values == NULL_DAY, 0, values), values == NULL_DAY)
        elif kind == "datetime":
            arrays[col] = _output.timestamps(values)
        elif kind == "datazone":
            arrays[col] = _output.formatted(values, "S01{:06d}")
        elif kind == "practice":
            arrays[col] = _output.formatted(values, "{:05d}", values < 0)
        elif kind == "float":
            arrays[col] = pa.array(values.astype(np.float64), type=pa.float64())
        elif kind == "int_null":
            arrays[col] = _output.ints(values, values < 0)
        elif isinstance(kind, tuple):
            arrays[col] = _output.labels(values, kind[1])
        elif values.dtype.kind == "U":
            arrays[col] = _output.strings(values)
        else:
            arrays[col] = _output.ints(values)
    return pa.table(arrays)
