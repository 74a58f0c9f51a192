"""Every published number, pinned: the CSVs of one partnership's reports on the tiny data.

The tiny synthetic Scotland is deterministic, so every CSV that the reports publish
(tables and the data behind charts, after disclosure control) is the same on every
run. This test takes every default notebook rendered for Clackmannanshire & Stirling
(the whole partnership and one locality; the `notebooks_rendered` fixture) and
compares each CSV with the copy under tests/snapshots/. A change to any published number shows as a diff there; when a
change is meant, accept it on purpose with

    HSCP_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_snapshot.py

and commit the new snapshot with the change that made it.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

from hscp import config

pytestmark = pytest.mark.notebook

SNAPSHOTS = Path(__file__).parent / "snapshots" / "tiny"
LOCALITY = "clackmannanshire"  # of Clackmannanshire & Stirling (tests/conftest.py)
UPDATE = os.environ.get("HSCP_UPDATE_SNAPSHOTS") == "1"


def _published(folder: Path) -> str:
    """Every CSV of one report, in a stable order, as one diffable text."""
    parts = []
    for csv in sorted(folder.glob("*.csv")):
        parts.append(f"### {csv.name}\n{csv.read_text(encoding='utf-8').rstrip()}\n")
    return "\n".join(parts)


def _same(expected: str, got: str) -> bool:
    """Equal text, or equal but for the last digits of a float (another CPU's rounding)."""
    if expected == got:
        return True
    old, new = expected.splitlines(), got.splitlines()
    if len(old) != len(new):
        return False
    for a, b in zip(old, new, strict=True):
        cells_a, cells_b = a.split(","), b.split(",")
        if len(cells_a) != len(cells_b):
            return False
        for x, y in zip(cells_a, cells_b, strict=True):
            if x != y and not _close(x, y):
                return False
    return True


def _close(x: str, y: str) -> bool:
    try:
        return math.isclose(float(x), float(y), rel_tol=1e-9, abs_tol=1e-12)
    except ValueError:
        return False


@pytest.fixture(scope="module")
def published(notebooks_rendered) -> dict[str, str]:
    notebooks = [Path(n).name for n in config.load_defaults().notebooks]
    areas = ("whole-partnership", LOCALITY)
    texts = {}
    for notebook in notebooks:
        run = notebooks_rendered.run(notebook, *areas)
        assert not run.failed, run.failed
        for area in areas:
            folder = notebooks_rendered.folder / area / "tables" / notebook
            texts[f"{area}/{notebook}"] = _published(folder)
    return texts


def test_every_published_csv_matches_the_snapshot(published):
    changed, missing = [], []
    for key, text in published.items():
        path = SNAPSHOTS / f"{key}.csvs"
        if UPDATE:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            continue
        if not path.exists():
            missing.append(key)
        elif not _same(path.read_text(encoding="utf-8"), text):
            changed.append(key)
    stale = sorted(
        str(p.relative_to(SNAPSHOTS).with_suffix(""))
        for p in SNAPSHOTS.glob("*/*.csvs")
        if str(p.relative_to(SNAPSHOTS).with_suffix("")) not in published
    )
    assert not missing, f"no snapshot for {missing}: run with HSCP_UPDATE_SNAPSHOTS=1"
    assert not stale or UPDATE, f"snapshots of reports no longer rendered: {stale}"
    assert not changed, (
        f"published numbers changed in {changed}: compare with git diff after "
        "HSCP_UPDATE_SNAPSHOTS=1, and commit the snapshot if the change is meant"
    )
