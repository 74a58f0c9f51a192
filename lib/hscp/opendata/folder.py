"""The open data folder: the files an analyst downloaded, found by their columns."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

# =============================================================================================
# The open data folder: the files an analyst downloaded, found by their columns
# =============================================================================================

#: The files the reports use, by kind: (what it is, the columns that identify it).
OPEN_DATA_FILES = {
    "delayed_bed_days_ca": (
        "PHS open data, Delayed Discharges in NHSScotland: delayed discharge bed days by council area",
        {"MonthOfDelay", "CA", "NumberOfDelayedBedDays"},
    ),
    "delayed_bed_days_hb": (
        "PHS open data, Delayed Discharges in NHSScotland: delayed discharge bed days by health board",
        {"MonthOfDelay", "HBT", "NumberOfDelayedBedDays"},
    ),
    "census_ca": (
        "PHS open data, Delayed Discharges in NHSScotland: census delays by council area",
        {"MonthOfDelay", "CA", "NumberOfCensusDelays"},
    ),
    "census_hb": (
        "PHS open data, Delayed Discharges in NHSScotland: census delays by health board",
        {"MonthOfDelay", "HBT", "NumberOfCensusDelays"},
    ),
    "ae_activity": (
        "PHS open data, A&E Activity and Waiting Times: monthly, by treatment location",
        {"Month", "HBT", "TreatmentLocation", "NumberOfAttendancesAll"},
    ),
    "population_estimates": (
        "NRS mid-year population estimates by HSCP (open data layout)",
        {"Year", "HSCP", "Sex", "AllAges", "Age90plus"},
    ),
}


@dataclass(frozen=True)
class OpenDataFolder:
    """The PHS and NRS open data files found in a folder, by kind (OPEN_DATA_FILES)."""

    folder: Path | None
    files: dict[str, Path] = field(default_factory=dict)

    def path(self, kind: str) -> Path | None:
        return self.files.get(kind)

    def __contains__(self, kind: str) -> bool:
        return kind in self.files

    def describe(self, kind: str, months: pd.Series | None = None) -> str:
        """Which file and release a report read (file_release)."""
        return file_release(self.files[kind], kind, months)


def file_release(path: str | Path, kind: str, months: pd.Series | None = None) -> str:
    """Which file and release a report read: '<name>: <what>, <first> to <last> (the
    release with figures to <last>); file dated <date>'. A PHS open data file is known
    by its latest month: each release adds a month (and may revise earlier ones)."""
    path = Path(path)
    span = ""
    if months is not None and len(months):
        first, last = pd.Timestamp(months.min()), pd.Timestamp(months.max())
        span = f", {first:%B %Y} to {last:%B %Y} (the release with figures to {last:%B %Y})"
    dated = pd.Timestamp(path.stat().st_mtime, unit="s")
    return f"{path.name}: {OPEN_DATA_FILES[kind][0]}{span}; file dated {dated:%d %B %Y}"


def _kind_of(path: Path) -> str | None:
    """The kind of an open data CSV, from its header (and, for population files, its
    name: projections have the estimates' layout)."""
    try:
        with path.open(encoding="utf-8-sig") as handle:
            header = handle.readline()
    except (OSError, UnicodeDecodeError):
        return None
    columns = {c.strip().strip('"') for c in header.split(",")}
    for kind, (_, needed) in OPEN_DATA_FILES.items():
        if needed <= columns:
            if kind == "population_estimates" and "projection" in path.name.lower():
                return None
            return kind
    return None


def find_open_data(folder: str | Path | None) -> OpenDataFolder:
    """The open data files in `folder` (its .csv files, not its subfolders), each
    recognised by its columns whatever its name. No folder, or a folder that is not
    there: none. Two files of one kind are an error naming both (keep one release)."""
    if folder in (None, ""):
        return OpenDataFolder(None)
    folder = Path(folder)
    if not folder.is_dir():
        return OpenDataFolder(folder)
    found: dict[str, Path] = {}
    for path in sorted(folder.glob("*.csv")):
        kind = _kind_of(path)
        if kind is None:
            continue
        if kind in found:
            raise ValueError(
                f"{folder}: two files look like {OPEN_DATA_FILES[kind][0]}: "
                f"{found[kind].name} and {path.name}; keep one release in the folder"
            )
        found[kind] = path
    return OpenDataFolder(folder, found)


def open_data_folder(path: str | Path | None = None) -> OpenDataFolder:
    """The open data folder a report uses: `path` (a notebook's open_data_dir parameter)
    when given, else the HSCP_OPEN_DATA environment variable (run_all.py --open-data
    sets it, so the evidence register reads the folder its reports read), else
    params/defaults.yaml's open_data.folder, else the folder of its
    open_data.delayed_discharges file (relative paths are relative to the project)."""
    from hscp import config

    if path in (None, ""):
        path = os.environ.get("HSCP_OPEN_DATA") or None
    if path is None:
        configured = config.load_defaults().open_data
        folder = configured.path("folder")
        if not folder and configured.path("delayed_discharges"):
            folder = str(Path(configured.path("delayed_discharges")).parent)
        if not folder:
            return OpenDataFolder(None)
        path = Path(folder)
        if not path.is_absolute():
            path = config.project_root() / path
    return find_open_data(path)
