"""The same batch on a Dask distributed cluster renders the same reports as on this machine."""

from __future__ import annotations

import hashlib

import pytest

from hscp import batch

pytestmark = pytest.mark.notebook
distributed = pytest.importorskip("dask.distributed")


def _published(out) -> dict[str, str]:
    """Every published file but the HTML pages and notebooks (they carry the date and the
    run's timings), by relative path, with the hash of its bytes."""
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*.csv"))
        if ".hscp" not in p.parts
    }


def test_the_dask_path_renders_the_same_reports_as_the_local_path(tiny_store, tmp_path):
    jobs = batch.plan(["S37000005"], ["Clackmannanshire"], ["analysis/delayed_discharges"])
    jobs = batch.plan(["S37000005"], ["none"], ["analysis/delayed_discharges"]) + jobs
    local = tmp_path / "local"
    here = batch.run(jobs, tiny_store, local, workers=1, progress=False, audit=False)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        remote = tmp_path / "dask"
        there = batch.run(
            jobs,
            tiny_store,
            remote,
            progress=False,
            audit=False,
            scheduler=cluster.scheduler_address,
        )
    assert (
        [r["status"] for r in here.reports] == [r["status"] for r in there.reports] == ["ok", "ok"]
    )
    assert sorted(p.relative_to(local).as_posix() for p in local.glob("*/*/*.html")) == sorted(
        p.relative_to(remote).as_posix() for p in remote.glob("*/*/*.html")
    )
    # byte-identical data behind every table and chart: same inputs, same numbers
    assert _published(local) and _published(local) == _published(remote)
