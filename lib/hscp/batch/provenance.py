"""What made a report (inputs, parameters, packages, code), the key that says whether
it is up to date, and the redaction of record-level values from what leaves the batch."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import sys
from pathlib import Path

from hscp import geography, store
from hscp.batch._common import WORK, notebooks_dir
from hscp.batch.jobs import Job

# --- provenance: what made a report ---------------------------------------------------------


def _hash_files(files) -> str:
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def code_files() -> list[Path]:
    """The files whose change makes every report out of date: the whole hscp package (its
    modules, templates and data files) and the params files."""
    package = Path(__file__).resolve().parents[1]  # lib/hscp, not this batch package
    files = [
        p
        for p in package.rglob("*")
        if p.is_file() and p.suffix in (".py", ".j2", ".css", ".json", ".csv")
    ]
    files = [p for p in files if "__pycache__" not in p.parts]
    return sorted(files) + sorted(geography.params_dir().rglob("*.yaml"))


def code_hash() -> str:
    """A hash of the library, its templates and the partnerships' params: a report made
    by other code is out of date even where the commit is the same (uncommitted edits)."""
    return _hash_files(code_files())[:16]


PACKAGES = (
    "hscp",
    "pandas",
    "numpy",
    "scipy",
    "matplotlib",
    "seaborn",
    "statsmodels",
    "pyarrow",
    "nbclient",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "jupyter_client",
    "papermill",
    "distributed",
)


def package_versions() -> dict[str, str]:
    from importlib import metadata

    versions = {"python": sys.version.split()[0]}
    for name in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[name] = metadata.version(name)
    return versions


def data_inputs(data: store.Store) -> dict:
    """Each input table's file name, hash and rows (names only: no machine's paths)."""
    tables = data.manifest.get("tables", {})
    return {
        t: {"file": Path(i.get("input", "")).name, "sha256": i.get("sha256"), "rows": i.get("rows")}
        for t, i in sorted(tables.items())
    }


def report_key(job: Job, params: dict, data_key: str, code: str) -> str:
    """What decides a report: its notebook, parameters, data and code."""
    source = (notebooks_dir() / f"{job.notebook}.ipynb").read_bytes()
    h = hashlib.sha256(source)
    h.update(json.dumps([job.key(), params, data_key, code], sort_keys=True, default=str).encode())
    return h.hexdigest()


def _key_file(out_dir: Path, job: Job) -> Path:
    return out_dir / job.folder / WORK / f"{job.name}.key"


def up_to_date(out_dir: Path, job: Job, key: str) -> bool:
    path = _key_file(out_dir, job)
    return (out_dir / job.html).exists() and path.exists() and path.read_text().strip() == key


# --- sanitising what leaves the batch -------------------------------------------------------

_EXAMPLES = re.compile(r"\s*\(e\.g\. .*\)\s*$", re.M)
_DATETIME = re.compile(r"\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\b")
_LONG_NUMBER = re.compile(r"(?<![\w.])\d{6,}(?![\w])")
_ABS_PATH = re.compile(r"(?<![\w.:/-])(?:/[\w.@+-]+)+/([\w.@+-]+)")


def redact(text: str) -> str:
    """A message fit for the summary and index: no example values from records (link_no,
    dates and times of care), no paths of this machine (file names stay)."""
    text = _EXAMPLES.sub("", text or "")
    text = _DATETIME.sub("<date-time>", text)
    text = _LONG_NUMBER.sub("<number>", text)
    return _ABS_PATH.sub(lambda m: m.group(1), text)
