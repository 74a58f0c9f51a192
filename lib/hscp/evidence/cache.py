"""The evidence cache on disk, beside the prepared store.

`<store>/evidence/<partnership slug>-<first month>-<last month>-<key>/` holds the
register (register.parquet), the shared tables (tables/<name>.parquet) and
meta.json (the key's inputs, the problems, each file's SHA-256). The key hashes the
partnership's slice inputs (the store manifest's input hashes and period), the report
period, the params files the evidence reads (the partnership's and its board's
partnership files, the projections and system dynamics scenario files) and the code
(every .py file of hscp it may run): any change gives a new key, so a stale entry is never read.

Two processes building the same entry at once: each writes to its own temporary
folder and renames it into place (atomic); a lock file makes the second wait for the
first and then read its result. An entry that fails its checks (a file missing or
changed, meta.json unreadable) is removed and rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path

import pandas as pd

from hscp import geography, measures, opendata, paths
from hscp.evidence.build import Built
from hscp.geography import Partnership

#: Bump when the layout of a cache entry changes.
CACHE_VERSION = 1
REGISTER = "register.parquet"
META = "meta.json"


#: Parts of hscp the evidence never runs (tests/test_evidence.py checks it): a change to
#: them leaves the cache valid. The synthetic generator's changes reach it through the
#: data's hashes.
NOT_USED = ("batch", "report.py", "audit.py", "widgets.py", "_kernels.py",
            "forecast.py", "charts", "synthetic", "workbooks")  # fmt: skip


@cache
def code_version() -> str:
    """A hash of the library's source (every .py of hscp but NOT_USED): new code, new
    evidence."""
    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(str(CACHE_VERSION).encode())
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if relative.parts[0] in NOT_USED:
            continue
        h.update(str(relative).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def params_files(partnership: Partnership) -> list[Path]:
    """The params files the evidence reads: the partnership's and its board's partnership
    files (localities, board, tests of change, current beds, capacities) and the
    projections and system dynamics scenario files."""
    folder = geography.params_dir()
    own = [
        folder / "partnerships" / f"{p.slug}.yaml" for p in measures.board_partnerships(partnership)
    ]
    scenarios = [
        folder / "scenarios" / "projections.yaml",
        folder / "scenarios" / "system_dynamics.yaml",
        folder / "scenarios" / "options.yaml",
    ]
    return sorted({*own, *scenarios})


def inputs(data, partnership: Partnership, start: pd.Timestamp, end: pd.Timestamp) -> dict:
    """What the key is made of, readable (it is written to meta.json)."""
    manifest = data.store.manifest
    return {
        "cache_version": CACHE_VERSION,
        "partnership": partnership.code,
        "period": [str(pd.Timestamp(start).date()), str(pd.Timestamp(end).date())],
        "data": {t: i.get("sha256") for t, i in sorted(manifest.get("tables", {}).items())},
        "data_period": manifest.get("period"),
        "store_version": manifest.get("store_version"),
        "params": {paths.shown_path(f): _file_hash(f) for f in params_files(partnership)},
        "code": code_version(),
        "open_data": open_data_files(),
        "provisional_months": _provisional_months(),
    }


def _provisional_months() -> int:
    from hscp import config

    return config.load_defaults().provisional_months


def open_data_files() -> dict:
    """The open data files the comparators read (the folder of open_data_folder), by
    kind, with their hashes: a new release, a new key."""
    folder = opendata.open_data_folder()
    return {kind: _file_hash(path) for kind, path in sorted(folder.files.items())}


def _file_hash(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def key_of(described: dict) -> str:
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()[:16]


def entry_prefix(partnership: Partnership, start: pd.Timestamp, end: pd.Timestamp) -> str:
    return f"{partnership.slug}-{pd.Timestamp(start):%Y%m%d}-{pd.Timestamp(end):%Y%m%d}"


# --- reading ----------------------------------------------------------------------------------


class Entry:
    """A cache entry on disk: the register now, the tables when first asked for."""

    def __init__(self, folder: Path, meta: dict):
        self.folder, self.meta = folder, meta

    @property
    def problems(self) -> dict[str, str]:
        return self.meta["problems"]

    @property
    def table_names(self) -> list[str]:
        return list(self.meta["tables"])

    def register(self) -> pd.DataFrame:
        return pd.read_parquet(self.folder / REGISTER)

    def table(self, name: str) -> pd.DataFrame:
        return pd.read_parquet(self.folder / "tables" / f"{name}.parquet")


def read(folder: Path, key: str) -> Entry | None:
    """The entry in `folder` if it is whole and for `key`; None otherwise (missing,
    half-written or corrupt: the caller rebuilds it)."""
    try:
        meta = json.loads((folder / META).read_text())
        if meta.get("key") != key:
            return None
        for name, expected in meta["files"].items():
            path = folder / name
            if path.stat().st_size != expected["bytes"] or _file_hash(path) != expected["sha256"]:
                return None
        entry = Entry(folder, meta)
        entry.register()  # a parquet file that does not open is corrupt
        return entry
    except (OSError, ValueError, KeyError, TypeError):
        return None


# --- writing ----------------------------------------------------------------------------------


def write(root: Path, name: str, key: str, described: dict, built: Built) -> Path:
    """Write an entry to a temporary folder under `root`, then rename it into place.

    When another process has put the same entry in place meanwhile, its copy is kept
    (the same key means the same inputs) and ours is dropped.
    """
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".tmp-{name}-", dir=root))
    try:
        (staging / "tables").mkdir()
        files = {REGISTER: built.register}
        files |= {f"tables/{t}.parquet": frame for t, frame in built.tables.items()}
        for relative, frame in files.items():
            _plain_columns(frame).to_parquet(staging / relative, index=False)
        meta = {
            "key": key,
            "inputs": described,
            "problems": built.problems,
            "timings": built.timings,
            "tables": sorted(built.tables),
            "files": {
                f: {"bytes": (staging / f).stat().st_size, "sha256": _file_hash(staging / f)}
                for f in files
            },
        }
        (staging / META).write_text(json.dumps(meta, indent=2, default=str))
        target = root / name
        if (target / META).exists() and read(target, key) is not None:
            return target  # another process finished first
        if target.exists():
            shutil.rmtree(target, ignore_errors=True)  # a corrupt or half-removed entry
        try:
            os.rename(staging, target)
        except OSError:
            if read(target, key) is None:  # lost a race to a broken entry: try once more
                shutil.rmtree(target, ignore_errors=True)
                os.rename(staging, target)
        return target
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _plain_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns of mixed types (text and missing numbers) as text, so parquet
    stores them; everything else as it is."""
    out = frame.copy()
    out.columns = [str(c) for c in out.columns]
    for column in out.columns:
        if out[column].dtype == object:
            kinds = {type(v) for v in out[column].dropna()}
            if len(kinds) > 1 and str in kinds:
                out[column] = out[column].astype("string")
    return out


def remove_others(root: Path, prefix: str, keep: str) -> None:
    """Older entries of the same partnership and period go: they can never be read again."""
    for old in root.glob(f"{prefix}-*"):
        if old.name != keep and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def building(root: Path, name: str):
    """Hold the entry's lock file while building it, so that a second process waits and
    then reads the first one's result instead of building it again."""
    root.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # no POSIX locks: the atomic rename still keeps entries whole
        yield
        return
    with open(root / f".{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
