"""Prepare once: validated extracts to parquet, partitioned by partnership.

A batch calls `open_data(...)` once. It validates every extract against the
data contract (hscp.extracts), writes each record-level table as one parquet
file per partnership, computes the aggregate comparator tables (Scotland and
every partnership, never record level) and records a manifest. The result is
cached under a key made of the input files' content hashes, the partnership
geography and the code that prepares them: rerunning with the same inputs
reuses it, any change prepares again.

A notebook then reads only its own partnership's slice (`Store.partnership`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import yaml

from hscp import extracts, geography, paths
from hscp.errors import HscpError

STORE_VERSION = 1
PARTITIONED = ("acute_episodes", "ae_attendances", "delayed_discharges", *extracts.WHOLE_SYSTEM)
WHOLE = ("population", "population_projections", *extracts.DEPRIVATION)  # kept whole
TABLES = PARTITIONED + WHOLE
#: Tables a data folder may leave out (the notebooks that need them then say so).
OPTIONAL = ("population_projections", *extracts.WHOLE_SYSTEM, *extracts.DEPRIVATION)


class DataError(HscpError, RuntimeError):
    """Data that cannot be used for a report: the message names file, column and rule."""


# --- comparators: aggregate tables over all partnerships, made at prepare time -------


@dataclass(frozen=True)
class Comparator:
    name: str
    tables: tuple[str, ...]
    build: Callable[..., pd.DataFrame]
    description: str


COMPARATORS: dict[str, Comparator] = {}


def comparator(name: str, *tables: str, description: str = ""):
    """Register a function that builds an aggregate table from whole tables.

    The function receives the named tables as keyword arguments plus `start`
    and `end` (the data period) and returns an aggregate DataFrame. Used for
    Scotland and other-partnership comparators, which a notebook must not
    compute from other partnerships' record-level data.
    """

    def register(fn):
        COMPARATORS[name] = Comparator(name, tables, fn, description or (fn.__doc__ or "").strip())
        return fn

    return register


# --- the prepared store ----------------------------------------------------------------


@dataclass
class Store:
    path: Path
    manifest: dict
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def problems(self) -> dict[str, str]:
        """Table -> the validation error, for tables that broke the contract."""
        return self.manifest.get("problems", {})

    @property
    def period(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        p = self.manifest["period"]
        return pd.Timestamp(p["start"]), pd.Timestamp(p["end"])

    @property
    def extract_date(self) -> pd.Timestamp:
        """The extract date: extract.yaml's, else the end of the data's period."""
        given = self.manifest.get("source", {}).get("extract_date")
        return pd.Timestamp(given) if given else self.period[1]

    def provisional_from(self, months: int) -> pd.Timestamp:
        """The first month whose hospital records are still incomplete (`months` before
        the extract date: hscp.conventions.months.provisional_from)."""
        from hscp.conventions.months import provisional_from

        return provisional_from(self.extract_date, months)

    def check(self, tables: tuple[str, ...] | list[str]) -> None:
        """Raise DataError if any of these tables is missing or broke the contract."""
        errors = [self.problems[t] for t in tables if t in self.problems]
        missing = [t for t in tables if t not in self.manifest["tables"] and t not in self.problems]
        if missing:
            errors.append(f"{self.manifest['source']['folder']}: no {', '.join(missing)} extract")
        if errors:
            raise DataError("\n".join(errors))

    def read(self, table: str, partnership: str | None = None) -> pd.DataFrame:
        """One table: a partnership's slice of a record-level table, or a whole aggregate one."""
        self.check([table])
        key = (table, partnership)
        if key not in self._cache:
            info = self.manifest["tables"][table]
            if table in PARTITIONED:
                if partnership is None:
                    raise ValueError(f"{table} is record level: read it one partnership at a time")
                part = self.path / table / f"hscp2019={partnership}.parquet"
                frame = pd.read_parquet(part) if part.exists() else _empty(table)
            else:
                frame = pd.read_parquet(self.path / info["file"])
            self._cache[key] = frame
        return self._cache[key].copy()

    def comparator(self, name: str) -> pd.DataFrame:
        """An aggregate comparator table (all partnerships and Scotland)."""
        if name not in self.manifest.get("comparators", {}):
            raise DataError(f"No comparator {name!r} in the prepared data (needs: {_needs(name)})")
        return pd.read_parquet(self.path / "comparators" / f"{name}.parquet")

    def partnership(self, code: str) -> Slice:
        return Slice(self, geography.partnership(code).code)

    def provenance(self) -> dict:
        """What a report footer says about its data."""
        m = self.manifest
        return {
            "source": m["source"],
            "period": m["period"],
            "prepared": m["created"],
            "tables": {
                t: {k: v for k, v in i.items() if k != "file"} for t, i in m["tables"].items()
            },
        }


@dataclass
class Slice:
    """One partnership's data: what a notebook may read."""

    store: Store
    code: str

    def read(self, table: str) -> pd.DataFrame:
        return self.store.read(table, self.code if table in PARTITIONED else None)

    def episodes(self) -> pd.DataFrame:
        return self.read("acute_episodes")

    def ae_attendances(self) -> pd.DataFrame:
        return self.read("ae_attendances")

    def delays(self) -> pd.DataFrame:
        return self.read("delayed_discharges")

    def population(self) -> pd.DataFrame:
        """Population of every partnership and locality (aggregate, so whole)."""
        return self.read("population")

    def projections(self) -> pd.DataFrame:
        return self.read("population_projections")

    def simd_lookup(self) -> pd.DataFrame:
        """SIMD quintiles and deciles of every datazone (aggregate, so whole)."""
        return self.read("simd_lookup")

    def datazone_population(self) -> pd.DataFrame:
        return self.read("datazone_population")

    def comparator(self, name: str) -> pd.DataFrame:
        return self.store.comparator(name)


def _needs(name: str) -> str:
    c = COMPARATORS.get(name)
    return ", ".join(c.tables) if c else "unknown comparator"


def _empty(table: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in extracts.SCHEMAS[table].names})


# --- preparing -------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


def _code_fingerprint() -> str:
    """Hash of the code and geography that shape a prepared store."""
    here = Path(__file__).parent
    files = [here / "store.py", here / "extracts.py"]
    files += sorted((here / "measures").glob("*.py"))
    files += sorted((geography.params_dir() / "partnerships").glob("*.yaml"))
    files.append(geography.params_dir() / "locations.csv")
    h = hashlib.sha256(str(STORE_VERSION).encode())
    for f in files:
        if f.exists():
            h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()


def limits() -> extracts.Limits:
    """The plausibility limits of params/defaults.yaml (`validation:`), else the contract's."""
    from hscp import config

    if not (geography.params_dir() / "defaults.yaml").exists():
        return extracts.Limits()
    return extracts.Limits.from_params(config.load_defaults().validation)


#: Where prepared stores go unless the analyst names a folder in this variable.
STORE_DIR_VARIABLE = "HSCP_STORE_DIR"


def store_root_for(data_dir: Path) -> Path:
    """Where the prepared store of an extracts folder is kept: never inside the extracts
    folder (it may be read-only, shared or backed up), but in the project's
    data/prepared/ or the folder named by $HSCP_STORE_DIR, one subfolder per extracts
    folder (its name and a hash of its full path)."""
    base = os.environ.get(STORE_DIR_VARIABLE)
    root = Path(base).expanduser() if base else paths.project_root() / "data" / "prepared"
    path = str(Path(data_dir).resolve())
    return root / f"{Path(path).name}-{hashlib.sha256(path.encode()).hexdigest()[:8]}"


def prepare(data_dir: Path | str, store_root: Path | str | None = None, *, log=print) -> Store:
    """Validate the extracts in data_dir once and write the partitioned store.

    Reuses an existing store when the inputs and code are unchanged. Tables that
    break the contract are recorded in the manifest's `problems` (and reported
    by `Store.check`), so reports that do not need them can still run.
    """
    data_dir = Path(data_dir).resolve()
    if not data_dir.is_dir():
        raise DataError(
            f"{data_dir}: data folder not found (a relative path is looked for from the "
            f"working directory, {Path.cwd()}, then from the project, {paths.project_root()})"
        )
    inputs = {}
    for table in TABLES:
        try:
            path = extracts.find_extract(data_dir, table)
        except FileNotFoundError:
            continue
        inputs[table] = {"path": path, "sha256": _sha256(path)}
    if not inputs:
        raise DataError(
            f"{data_dir}: no extracts found (expected files named {', '.join(TABLES)} "
            "with .parquet or .csv; see docs/data-contract.md)"
        )
    plausible = limits()
    key = hashlib.sha256(
        json.dumps({t: i["sha256"] for t, i in inputs.items()}, sort_keys=True).encode()
        + _code_fingerprint().encode()
        + repr(plausible).encode()
    ).hexdigest()[:16]
    root = Path(store_root) if store_root else store_root_for(data_dir)
    target = root / key
    if (target / "manifest.json").exists():
        return Store(target, json.loads((target / "manifest.json").read_text()))
    log(f"Preparing the data in {data_dir} (validating and partitioning by partnership)...")
    root.mkdir(parents=True, exist_ok=True)
    staging = root / f".tmp-{key}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        manifest = _build(data_dir, inputs, staging, log, plausible)
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str))
        _replace_dir(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    # Keep the store small on disk: older preparations of the same folder go.
    for old in root.iterdir():
        if old.name != key and not old.name.startswith(".tmp-"):
            shutil.rmtree(old, ignore_errors=True)
    return Store(target, manifest)


def _build(data_dir: Path, inputs: dict, staging: Path, log, plausible: extracts.Limits) -> dict:
    extract_info = _extract_info(data_dir)
    tables: dict[str, pd.DataFrame] = {}
    problems: dict[str, str] = {}
    manifest_tables: dict[str, dict] = {}
    from tqdm.auto import tqdm

    bar = tqdm(inputs.items(), desc="Validating extracts", unit=" table", disable=log is not print)
    for table, info in bar:
        started = time.perf_counter()
        try:
            frame = extracts.read_extract(
                info["path"], table, extract_date=extract_info.get("extract_date"),
                limits=plausible,
            )  # fmt: skip
        except (extracts.ExtractError, FileNotFoundError) as err:
            problems[table] = str(err)
            log(f"  {table}: REJECTED\n{err}")
            continue
        tables[table] = frame
        renamed = frame.attrs.get("renamed") or {}
        if renamed:
            log(f"  {table}: columns matched ignoring case: {extracts.renaming_note(renamed)}")
        manifest_tables[table] = {
            "renamed": renamed,
            "file": _write_table(frame, table, staging),
            "input": str(info["path"]),
            "sha256": info["sha256"],
            "rows": len(frame),
            "modified": datetime.fromtimestamp(info["path"].stat().st_mtime, UTC).isoformat(
                timespec="seconds"
            ),
        }
        log(f"  {table}: {len(frame):,} rows valid ({time.perf_counter() - started:.1f} s)")
    for table in TABLES:
        if table not in inputs and table not in OPTIONAL:
            problems[table] = f"{data_dir}: no {table}.parquet or {table}.csv extract"
    period = _period(tables, extract_info)
    comparators = _build_comparators(tables, period, staging, log)
    return {
        "store_version": STORE_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": {"folder": str(data_dir), **extract_info},
        "period": {"start": str(period[0].date()), "end": str(period[1].date())},
        "tables": manifest_tables,
        "problems": problems,
        "comparators": comparators,
    }


def _write_table(frame: pd.DataFrame, table: str, staging: Path) -> str:
    if table in WHOLE:
        frame.to_parquet(staging / f"{table}.parquet", index=False)
        return f"{table}.parquet"
    folder = staging / table
    folder.mkdir()
    for code, part in frame.groupby("hscp2019", sort=True, observed=True):
        part.to_parquet(folder / f"hscp2019={code}.parquet", index=False)
    return table


def _extract_info(data_dir: Path) -> dict:
    meta = data_dir / "extract.yaml"
    if not meta.exists():
        return {"name": data_dir.name, "extract_date": None}
    raw = yaml.safe_load(meta.read_text(encoding="utf-8")) or {}
    return {
        k: raw[k]
        for k in ("name", "source", "scale", "seed", "extract_date", "period", "generator")
        if k in raw
    } | {"name": raw.get("name", data_dir.name)}


def _period(tables: dict[str, pd.DataFrame], info: dict) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The period the data cover: extract.yaml's, else inferred from the dates seen."""
    period = info.get("period") or {}
    if period.get("start") and period.get("end"):
        return pd.Timestamp(period["start"]), pd.Timestamp(period["end"])
    starts, ends = [], []
    for table, cols in {
        "acute_episodes": ("discharge_date",),
        "ae_attendances": ("arrival_datetime",),
        "delayed_discharges": ("ready_for_discharge_date", "discharge_date"),
    }.items():
        if table in tables:
            for col in cols:
                dates = tables[table][col].dropna()
                if len(dates):
                    starts.append(dates.min())
                    ends.append(dates.max())
    if not starts:
        raise DataError("Cannot tell the period the data cover: no dates in the extracts")
    end = pd.Timestamp(info.get("extract_date") or max(ends)).normalize()
    # Start at the first whole month, so the first month is not a part month.
    start = pd.Timestamp(min(starts)).normalize()
    if start.day != 1:
        start = (start + pd.offsets.MonthBegin(1)).normalize()
    return start, end


def _build_comparators(tables, period, staging: Path, log) -> dict:
    out = {}
    (staging / "comparators").mkdir()
    for name, comp in COMPARATORS.items():
        if not all(t in tables for t in comp.tables):
            continue
        frame = comp.build(**{t: tables[t] for t in comp.tables}, start=period[0], end=period[1])
        frame.to_parquet(staging / "comparators" / f"{name}.parquet", index=False)
        out[name] = {"rows": len(frame), "description": comp.description}
    _STAYS_MEMO.clear()  # the whole episodes table need not outlive the preparation
    if out:
        log(f"  comparators: {', '.join(out)}")
    return out


def _replace_dir(new: Path, target: Path) -> None:
    """Move a finished folder into place; never leave a half-written one."""
    if target.exists():
        old = target.with_name(target.name + f".old-{os.getpid()}")
        target.rename(old)
        new.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        new.rename(target)


# --- the entry point for notebooks and batch -------------------------------------------


def resolve_data(spec: str | Path | None, seed: int | None = None) -> Path:
    """The data folder for a spec: a folder, or synthetic:<scale> (generated if needed)."""
    from hscp import config

    defaults = config.load_defaults()
    spec = str(spec or defaults.data)
    if spec.startswith("synthetic:"):
        from hscp import synthetic

        scale = spec.split(":", 1)[1] or "default"
        seed = defaults.synthetic_seed if seed is None else seed
        folder = config.project_root() / "data" / f"synthetic-{scale}-{seed}"
        meta = folder / "extract.yaml"
        made_by = (yaml.safe_load(meta.read_text()) or {}) if meta.exists() else {}
        if made_by.get("generator_version") != synthetic.GENERATOR_VERSION:
            takes = synthetic.SCALES[scale].takes if scale in synthetic.SCALES else "a while"
            print(
                f"First run: generating the synthetic Scotland ({scale} scale, seed {seed}) in "
                f"{paths.shown_path(folder)}, then preparing it: {takes}, once. "
                + ("" if scale == "tiny" else "For a first look in seconds, use the tiny data "
                   '(two partnerships): --data synthetic:tiny, or data_dir = "synthetic:tiny" '
                   "in a notebook."),
                flush=True,
            )  # fmt: skip
            staging = folder.with_name(folder.name + f".tmp-{os.getpid()}")
            shutil.rmtree(staging, ignore_errors=True)
            synthetic.generate(staging, scale=scale, seed=seed, progress=True)
            _replace_dir(staging, folder)
        return folder
    return paths.user_path(spec)


def open_data(spec: str | Path | None = None, seed: int | None = None, *, log=print) -> Store:
    """Open prepared data: a prepared store folder, a folder of extracts, or synthetic:<scale>."""
    if spec and (paths.user_path(spec) / "manifest.json").exists():
        path = paths.user_path(spec)
        return Store(path, json.loads((path / "manifest.json").read_text()))
    return prepare(resolve_data(spec, seed), log=log)


# --- the comparators ----------------------------------------------------------------------


@comparator(
    "delayed_bed_days",
    "delayed_discharges",
    description=(
        "Delayed bed days per month by partnership, locality, age group, age band and "
        "reason group (PHS rules; code 100 excluded), for Scotland and other-area comparisons."
    ),
)
def _delayed_bed_days(delayed_discharges: pd.DataFrame, start, end) -> pd.DataFrame:
    from hscp import measures

    return measures.delayed_bed_days(
        delayed_discharges,
        start,
        end,
        by=["hscp2019", "locality", "age_group", "age_band", "reason_group"],
    )


@comparator(
    "delay_census",
    "delayed_discharges",
    description=(
        "People delayed at each month's census (and over 3 days) by partnership and locality."
    ),
)
def _delay_census(delayed_discharges: pd.DataFrame, start, end) -> pd.DataFrame:
    from hscp import measures

    return measures.census_counts(delayed_discharges, start, end, by=["hscp2019", "locality"])


# --- unscheduled care comparators (notebooks/analysis/unscheduled_care) -------------------

_STAYS_MEMO: dict[int, tuple[pd.DataFrame, pd.DataFrame]] = {}


def _stays(acute_episodes: pd.DataFrame) -> pd.DataFrame:
    """Continuous stays of the whole episodes table, built once per preparation."""
    from hscp import measures

    key = id(acute_episodes)
    if key not in _STAYS_MEMO or _STAYS_MEMO[key][0] is not acute_episodes:
        _STAYS_MEMO.clear()
        stays = measures.flag_ppa(measures.continuous_stays(acute_episodes))
        # only what the comparators use, areas as categories: filtering millions of rows of
        # text columns is most of the time otherwise
        stays = stays[[c for c in _STAY_COLUMNS if c in stays.columns]].copy()
        for column in ("hscp2019", "locality", "location", "ppa_condition"):
            if column in stays.columns:
                stays[column] = stays[column].astype("category")
        _STAYS_MEMO[key] = (acute_episodes, stays)
    return _STAYS_MEMO[key][1]


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Category columns back to text, so a comparator reads the same whatever built it."""
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype(str)
    return frame


_STAY_COLUMNS = (
    "link_no",
    "cis_marker",
    "admission_date",
    "discharge_date",
    "length_of_stay",
    "emergency",
    "admission_type",
    "discharge_type",
    "age",
    "sex",
    "hscp2019",
    "locality",
    "location",
    "ppa",
    "ppa_condition",
)


@comparator(
    "emergency_admissions",
    "acute_episodes",
    description=(
        "Emergency admissions (by month of admission), discharges (by month of discharge), "
        "bed days (by midnights) and potentially preventable admissions, by partnership, "
        "locality, ESP2013 age band and sex: trends, crude and age-sex standardised rates."
    ),
)
def _emergency_admissions(acute_episodes: pd.DataFrame, start, end) -> pd.DataFrame:
    from hscp import measures

    stays = _stays(acute_episodes)
    stays = stays.assign(age_band=measures.esp2013_band(stays["age"]).astype(str))
    by = ["hscp2019", "locality", "age_band", "sex"]
    monthly = measures.emergency_monthly(stays, start, end, by)
    ppa = measures.admissions_by_month(
        stays[stays["ppa"].to_numpy(bool)], start, end, by, name="ppa_admissions"
    )
    out = monthly[["month", *by, "admissions", "discharges", "bed_days"]].merge(
        ppa, on=["month", *by], how="left"
    )
    out["ppa_admissions"] = out["ppa_admissions"].fillna(0).astype("int64")
    return _plain(out)


@comparator(
    "ppa_conditions",
    "acute_episodes",
    description=(
        "Potentially preventable emergency admissions by month of admission, partnership, "
        "locality and condition (the 19 ISD/PHS conditions)."
    ),
)
def _ppa_conditions(acute_episodes: pd.DataFrame, start, end) -> pd.DataFrame:
    from hscp import measures

    stays = _stays(acute_episodes)
    ppa = stays[stays["ppa"].to_numpy(bool)]
    by = ["hscp2019", "locality", "ppa_condition"]
    return _plain(measures.admissions_by_month(ppa, start, end, by))


@comparator(
    "national_indicators",
    "acute_episodes",
    description=(
        "Numerators of national indicators NI12 (emergency admissions, 18+), NI13 (emergency "
        "bed days, 18+), NI14 (discharges and 28-day emergency readmissions) and NI16 (falls, "
        "65+) by month, partnership and locality."
    ),
)
def _national_indicators(acute_episodes: pd.DataFrame, start, end) -> pd.DataFrame:
    from hscp import measures

    stays = _stays(acute_episodes)
    by = ["hscp2019", "locality"]
    adults = measures.adult_emergency_monthly(stays, start, end, by)
    adults = adults[["month", *by, "admissions", "bed_days"]].rename(
        columns={"admissions": "ni12_admissions", "bed_days": "ni13_bed_days"}
    )
    ni14 = measures.readmission_rate(stays, start, end, by).rename(
        columns={"discharges": "ni14_discharges", "readmissions": "ni14_readmissions"}
    )
    falls = measures.falls_monthly(acute_episodes, start, end, by)
    out = adults.merge(ni14.drop(columns="rate_per_1000"), on=["month", *by], how="outer")
    out = out.merge(
        falls[["month", *by, "falls"]].rename(columns={"falls": "ni16_falls"}),
        on=["month", *by],
        how="outer",
    )
    counts = [c for c in out.columns if c not in ("month", *by)]
    out[counts] = out[counts].fillna(0).astype("int64")
    return _plain(out.sort_values(["month", *by], ignore_index=True))


@comparator(
    "ae_monthly",
    "ae_attendances",
    description=(
        "A&E attendances (new and unplanned return) by month of arrival, partnership, locality, "
        "ESP2013 age band and sex, with those within 4 hours, admitted and arriving by ambulance."
    ),
)
def _ae_monthly(ae_attendances: pd.DataFrame, start, end) -> pd.DataFrame:
    from hscp import measures

    needed = ["arrival_datetime", "departure_datetime", "attendance_category", "arrival_mode",
              "discharge_destination", "hscp2019", "locality", "sex"]  # fmt: skip
    ae = ae_attendances[needed].assign(
        age_band=measures.esp2013_band(ae_attendances["age"]).astype("category").to_numpy()
    )
    return measures.ae_monthly_summary(ae, start, end, ["hscp2019", "locality", "age_band", "sex"])


@comparator(
    "ae_attender_bands",
    "ae_attendances",
    description=(
        "People by number of A&E attendances in the 12 months ending each month (1, 2-4, 5-9, "
        "10+), with their attendances and admissions, by partnership and locality of their "
        "latest attendance."
    ),
)
def _ae_attender_bands(ae_attendances: pd.DataFrame, start, end) -> pd.DataFrame:
    from hscp import measures

    first = pd.Timestamp(start).to_period("M")
    last = pd.Timestamp(end).to_period("M")
    if (last - first).n + 1 < 12:
        return pd.DataFrame(
            columns=["month", "hscp2019", "locality", "band", "people", "attendances", "admissions"]
        )
    bands = measures.attender_bands_over_time(
        ae_attendances, start, end, by=["hscp2019", "locality"]
    )
    bands["band"] = bands["band"].astype(str)
    return bands


@comparator(
    "delay_pathway_bed_days",
    "delayed_discharges",
    "acute_episodes",
    "ae_attendances",
    description=(
        "Delayed bed days per month by partnership for each category of who is delayed, "
        "their pathway into hospital and reason for admission (measures.PATHWAY_DIMENSIONS), "
        "for Scotland's shares beside a partnership's."
    ),
)
def _delay_pathway_bed_days(
    delayed_discharges: pd.DataFrame,
    acute_episodes: pd.DataFrame,
    ae_attendances: pd.DataFrame,
    start,
    end,
) -> pd.DataFrame:
    from hscp import measures

    pathways = measures.delay_pathways(delayed_discharges, acute_episodes, ae_attendances)
    return measures.bed_days_by_dimension(pathways, start, end)


# --- integration indicators (notebooks/analysis/integration_indicators) -------------------

_INPATIENT = ("acute_episodes", "long_stay_episodes", "mental_health_episodes")
_AREA = ["hscp2019", "locality"]


@comparator(
    "msg_activity",
    *_INPATIENT,
    description=(
        "MSG 1 emergency admissions and MSG 2a, 2b, 2c unscheduled bed days, and the NI12 and "
        "NI13 numerators (adults' unscheduled stays in SMR01, SMR01E and SMR04 and their bed "
        "days), by month, partnership and locality."
    ),
)
def _msg_activity(acute_episodes, long_stay_episodes, mental_health_episodes, start, end):
    from hscp import measures

    stays = _stays(acute_episodes)  # made once per preparation, with the other comparators'
    parts = [
        measures.msg_admissions(acute_episodes, start, end, _AREA, stays=stays).rename(
            columns={"admissions": "msg1_admissions"}
        ),
        *(
            measures.msg_bed_days(
                frame, source, start, end, _AREA, stays=stays if source == "acute" else None
            ).rename(
                columns={"bed_days": f"msg{key}_bed_days"}
            )
            for key, source, frame in (
                ("2a", "acute", acute_episodes),
                ("2b", "long_stay", long_stay_episodes),
                ("2c", "mental_health", mental_health_episodes),
            )
        ),
        measures.adult_emergency_stays(
            {"acute": acute_episodes, "long_stay": long_stay_episodes,
             "mental_health": mental_health_episodes}, start, end, _AREA,
        ).rename(columns={"admissions": "ni12_admissions", "bed_days": "ni13_bed_days"}),
    ]  # fmt: skip
    return _plain(_outer(parts, ["month", *_AREA]))


def _outer(parts: list[pd.DataFrame], key: list[str]) -> pd.DataFrame:
    out = parts[0]
    for part in parts[1:]:
        out = out.merge(part, on=key, how="outer")
    counts = [c for c in out.columns if c not in key]
    out[counts] = out[counts].fillna(0).astype("int64")
    return out.sort_values(key, ignore_index=True)


def _located(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Inpatient stays of every source with their MSG location type."""
    from hscp import params

    types = params.location_types()
    columns = ["link_no", "admission_date", "discharge_date", "location", "age"]
    stays = pd.concat([f[columns] for f in frames], ignore_index=True)
    stays["location_type"] = stays["location"].map(types).fillna("Large Hospital")
    return stays


@comparator(
    "end_of_life",
    "deaths",
    *_INPATIENT,
    description=(
        "MSG 5 / NI15 by month of death, partnership and locality: deaths counted and their "
        "hospital days in the last six months of life (large hospital, community hospital, "
        "hospice); and deaths under 75 by ESP2013 age band and sex (NI11)."
    ),
)
def _end_of_life(deaths, acute_episodes, long_stay_episodes, mental_health_episodes, start, end):
    from hscp import measures

    stays = _located([acute_episodes, long_stay_episodes, mental_health_episodes])
    in_period = deaths[(deaths["date_of_death"] >= start) & (deaths["date_of_death"] <= end)]
    people = in_period.set_index("link_no")[[*_AREA, "age", "sex"]]
    result = measures.last_six_months(in_period, stays)
    for kind, label in (("large", "Large Hospital"), ("community", "Community Hospital"),
                        ("hospice", "Hospice / Palliative Care Unit")):  # fmt: skip
        part = measures.last_six_months(in_period, stays[stays["location_type"] == label])
        result[f"{kind}_hospital_days"] = part["hospital_days"].to_numpy()
    result = result.join(people, on="link_no")
    result["month"] = pd.to_datetime(result["date_of_death"]).dt.to_period("M").dt.to_timestamp()
    days = [c for c in result.columns if c.endswith("hospital_days")]
    eol = result.groupby(["month", *_AREA], observed=True).agg(
        deaths=("link_no", "size"), **{c: (c, "sum") for c in days}
    ).reset_index()  # fmt: skip
    under75 = in_period[in_period["age"] < 75].assign(
        month=lambda d: pd.to_datetime(d["date_of_death"]).dt.to_period("M").dt.to_timestamp(),
        age_band=lambda d: measures.esp2013_band(d["age"]).astype(str),
    )
    premature = under75.groupby(["month", *_AREA, "age_band", "sex"], observed=True).size()
    premature = premature.rename("deaths_under_75").reset_index()
    eol["age_band"], eol["sex"] = "All", 0
    return _plain(pd.concat([eol, premature], ignore_index=True).fillna(0))


@comparator(
    "care_census",
    "care_home_episodes",
    "home_care",
    "ae_attendances",
    *_INPATIENT,
    description=(
        "At each 31 March: NI18's counts (adults with 10+ hours of home care, local authority "
        "funded care home residents, long stay hospital patients) and MSG 6's settings for "
        "people 65+ and 75+ (average in hospital over the financial year, in a care home, at "
        "home with home care); and the financial year's costed activity (bed days, A&E "
        "attendances, care home days, home care hours), by partnership and locality."
    ),
)
def _care_census(care_home_episodes, home_care, ae_attendances, acute_episodes,
                 long_stay_episodes, mental_health_episodes, start, end):  # fmt: skip
    from hscp import measures

    inpatient = pd.concat(
        [f[["link_no", "admission_date", "discharge_date", "age", *_AREA]]
         for f in (acute_episodes, long_stay_episodes, mental_health_episodes)],
        ignore_index=True,
    )  # fmt: skip
    long_stay = pd.concat([long_stay_episodes, mental_health_episodes], ignore_index=True)
    rows = []
    first = pd.Timestamp(start).year - (1 if pd.Timestamp(start).month < 4 else 0)
    for year in range(first, pd.Timestamp(end).year + 1):
        census = pd.Timestamp(year + 1, 3, 31)
        if census > pd.Timestamp(end) or pd.Timestamp(year, 4, 1) < pd.Timestamp(start):
            continue
        label = f"{year}/{(year + 1) % 100:02d}"
        counts = measures.ni18_counts(home_care, care_home_episodes, long_stay, census, _AREA)
        parts = [counts.rename(columns=lambda c: c if c in _AREA else f"ni18_{c}")]
        for ages in (65, 75):
            boc = measures.balance_of_care(
                inpatient, care_home_episodes, home_care, f"{year}-04-01", _AREA, ages
            )
            parts.append(boc.rename(columns=lambda c, a=ages: c if c in _AREA else f"msg6_{a}_{c}"))
        sources = {"acute_episodes": acute_episodes, "long_stay_episodes": long_stay_episodes,
                   "mental_health_episodes": mental_health_episodes,
                   "ae_attendances": ae_attendances, "care_home_episodes": care_home_episodes,
                   "home_care": home_care}  # fmt: skip
        costed = measures.costed_activity(sources, f"{year}-04-01", _AREA)
        parts.append(costed.rename(columns=lambda c: c if c in _AREA else f"cost_{c}"))
        out = parts[0]
        for part in parts[1:]:
            out = out.merge(part, on=_AREA, how="outer")
        rows.append(out.fillna(0).assign(financial_year=label))
    if not rows:
        return pd.DataFrame(columns=["financial_year", *_AREA])
    table = pd.concat(rows, ignore_index=True)
    return _plain(table[["financial_year", *[c for c in table.columns if c != "financial_year"]]])
