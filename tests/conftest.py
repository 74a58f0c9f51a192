"""Shared fixtures: the real reference data, and tiny synthetic data prepared once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(os.environ.get("HSCP_REFERENCE", ROOT.parent / "shared" / "reference"))


@pytest.fixture(scope="session")
def reference() -> Path:
    """../shared/reference: real PHS and NRS open data (never copied into the project)."""
    if not REFERENCE.exists():
        pytest.skip(f"reference data not found at {REFERENCE}")
    return REFERENCE


@pytest.fixture(scope="session")
def tiny_data(tmp_path_factory) -> Path:
    """The tiny synthetic Scotland, generated once per test session."""
    from hscp import synthetic

    folder = tmp_path_factory.mktemp("tiny") / "extracts"
    synthetic.generate(folder, scale="tiny", seed=20261126)
    return folder


@pytest.fixture(scope="session")
def tiny_store(tiny_data, tmp_path_factory):
    """The tiny data, validated and prepared (partitioned by partnership)."""
    from hscp import store

    return store.prepare(tiny_data, tmp_path_factory.mktemp("store"), log=lambda *_: None)


@pytest.fixture(scope="session")
def rendered(tiny_store, tmp_path_factory):
    """One batch run on the tiny data: the whole partnership and one locality."""
    from hscp import batch

    out = tmp_path_factory.mktemp("outputs")
    jobs = batch.plan(["S37000005"], ["Clackmannanshire"], ["analysis/delayed_discharges"])
    jobs = batch.plan(["S37000005"], ["none"], ["analysis/delayed_discharges"]) + jobs
    summary = batch.run(jobs, tiny_store, out, workers=2, options={"threshold": 10}, progress=False)
    return out, summary
