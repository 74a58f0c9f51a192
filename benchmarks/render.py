"""Rendering speed: the hand loop against run_all.py, overhead per report, scaling, profile.

    python benchmarks/render.py compare --data synthetic:tiny --partnership "Clackmannanshire & Stirling"
    python benchmarks/render.py scaling --data synthetic:default --reports 10 50 200 all --jobs 1 2 4
    python benchmarks/render.py scaling --data synthetic:tiny --partnership S37000005 \
        --partnership S37000022 --reports 10 all --jobs 1 2 4   # the tiny data's two partnerships
    python benchmarks/render.py profile --data synthetic:tiny

compare: the baseline an analyst would script, one report at a time
(`papermill NOTEBOOK OUT.ipynb -k python3 -p partnership P -p locality L` then
`jupyter nbconvert --to html --no-input OUT.ipynb`; data_dir is passed too, so both
read the same prepared data), then run_all.py on the same reports (--force, so none
is skipped), in the same run. scaling: wall time of batch.run against the number
of reports and --jobs. profile: per notebook, a cold kernel's start, the imports,
and each cell's time. Results go to benchmarks/results/render-<what>-<date>.json,
with the machine's load average at the start and end (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from hscp import batch, config, store

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _save(what: str, payload: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"render-{what}-{date.today():%Y%m%d}.json"
    path.write_text(json.dumps(payload, indent=2, default=str))
    print(f"wrote {path.relative_to(ROOT)}")
    return path


def hand_loop(jobs: list[batch.Job], data: store.Store, out: Path) -> float:
    """papermill then nbconvert, one report after the other, as an analyst would script it."""
    bin_dir = Path(sys.executable).parent
    started = time.perf_counter()
    for job in jobs:
        nb = ROOT / "notebooks" / f"{job.notebook}.ipynb"
        target = out / job.folder / f"{job.name}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        args = [
            str(bin_dir / "papermill"),
            str(nb),
            str(target),
            "-k",
            "python3",
            "-p",
            "partnership",
            job.partnership_name,
            "-p",
            "data_dir",
            str(data.path),
            "--log-level",
            "ERROR",
        ]
        if job.locality:
            args += ["-p", "locality", job.locality]
        subprocess.run(args, check=True, capture_output=True, cwd=nb.parent)
        subprocess.run(
            [str(bin_dir / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(target)],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - started


def batch_run(jobs: list[batch.Job], data: store.Store, out: Path, workers: int) -> dict:
    started = time.perf_counter()
    summary = batch.run(
        jobs,
        data,
        out,
        workers=workers,
        progress=False,
        force=True,
        audit=False,
        options={"threshold": config.load_defaults().disclosure_threshold},
    )
    wall = time.perf_counter() - started
    ok = [r for r in summary.reports if r["status"] == "ok"]
    timings = [r["timing"] for r in ok if r.get("timing")]
    mean = lambda key: round(sum(t[key] for t in timings) / len(timings), 3) if timings else None  # noqa: E731
    return {
        "wall_seconds": round(wall, 1),
        "reports": len(jobs),
        "ok": len(ok),
        "failed": [
            f"{r['partnership_name']}/{r['locality']}/{r['notebook']}: {r['error'].get('error')}"
            for r in summary.reports
            if r["status"] == "failed"
        ],
        "jobs": workers,
        "mean_cells_seconds": mean("cells"),
        "mean_overhead_seconds": mean("overhead"),
        "mean_kernel_wait_seconds": mean("kernel_wait"),
        "mean_export_publish_seconds": mean("export_publish"),
    }


def _peak_rss_mb() -> float:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, kids) / 1024, 1)


def compare(args, data: store.Store) -> None:
    jobs = batch.plan(
        args.partnership, args.locality, args.notebook or list(config.load_defaults().notebooks)
    )
    with tempfile.TemporaryDirectory() as tmp:
        load0 = _load()
        baseline = hand_loop(jobs, data, Path(tmp) / "hand")
        ours = batch_run(jobs, data, Path(tmp) / "batch", args.jobs[0])
        payload = {
            "what": "hand loop (papermill + nbconvert, one at a time) vs run_all.py",
            "data": args.data,
            "reports": len(jobs),
            "load_before": load0,
            "load_after": _load(),
            "cores": os.cpu_count(),
            "hand_loop_seconds": round(baseline, 1),
            "hand_loop_per_report": round(baseline / len(jobs), 2),
            "run_all": ours,
            "speedup": round(baseline / ours["wall_seconds"], 2),
        }
    print(json.dumps(payload, indent=2))
    _save("compare", payload)


def scaling(args, data: store.Store) -> None:
    every = batch.plan(
        args.scope or ["all"], None, args.notebook or list(config.load_defaults().notebooks)
    )
    rows = []
    for n in args.reports:
        jobs = every if n == "all" else every[: int(n)]
        for workers in args.jobs:
            with tempfile.TemporaryDirectory() as tmp:
                load0 = _load()
                row = batch_run(jobs, data, Path(tmp), workers) | {
                    "load_before": load0,
                    "load_after": _load(),
                }
                print(json.dumps(row))
                rows.append(row)
    _save(
        "scaling",
        {"data": args.data, "cores": os.cpu_count(), "peak_rss_mb": _peak_rss_mb(), "runs": rows},
    )


def profile(args, data: store.Store) -> None:
    """Where a report's time goes: kernel start (cold and warm), imports, each cell."""
    from jupyter_client.manager import KernelManager

    from hscp import _kernels

    out: dict = {"load_before": _load()}
    for warm in ((), _kernels.WARM_MODULES):
        started = time.perf_counter()
        km = KernelManager(kernel_name="python3")
        km.start_kernel(extra_arguments=_kernels.kernel_arguments(warm))
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=120)
        out["kernel_ready_seconds_" + ("warm_imports" if warm else "cold")] = round(
            time.perf_counter() - started, 2
        )
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    notebooks = args.notebook or list(config.load_defaults().notebooks)
    jobs = batch.plan(args.partnership, ["none"], notebooks)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HSCP_KERNEL_AHEAD"] = "0"  # each report waits for its own cold-ish kernel
        for job in jobs:
            result = batch.render(job, str(data.path), tmp, {"threshold": 10, "run_id": "profile"})
            executed = Path(tmp) / job.folder / f"{job.name}.ipynb"
            import nbformat

            nb = nbformat.read(executed, as_version=4)
            cells = [
                {
                    "cell": i,
                    "seconds": round(s, 3),
                    "first_line": batch.rendering._first_line(c.source)[:70],
                    "kind": _kind(c.source),
                }
                for i, (c, s) in enumerate(
                    zip(
                        [
                            c
                            for c in nb.cells
                            if c.cell_type == "code" and c.get("metadata", {}).get("execution")
                        ],
                        batch.cell_seconds(nb),
                        strict=False,
                    ),
                    start=1,
                )
            ]
            by_kind: dict[str, float] = {}
            for c in cells:
                by_kind[c["kind"]] = round(by_kind.get(c["kind"], 0) + c["seconds"], 3)
            out[job.notebook] = {
                "seconds_by_kind": by_kind,
                "total_seconds": round(result.seconds, 2),
                "timing": result.timing,
                "slowest_cells": sorted(cells, key=lambda c: -c["seconds"])[:8],
                "cells": cells,
            }
            print(job.notebook, result.status, result.timing)
    out["load_after"] = _load()
    _save("profile", out)


def _kind(source: str) -> str:
    """What a cell mostly does: draw a figure, publish a table, start the report, or compute."""
    if "report.figure(" in source:
        return "figure"
    if "report.table(" in source:
        return "table"
    if "report.start(" in source:
        return "start (imports, parameters, data)"
    if "report.key_messages(" in source or "report.footer(" in source:
        return "messages and footer"
    return "compute"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["compare", "scaling", "profile"])
    parser.add_argument("--data", default="synthetic:tiny")
    parser.add_argument("--partnership", action="append", default=None)
    parser.add_argument("--locality", action="append", default=None)
    parser.add_argument("--notebook", action="append", default=None)
    parser.add_argument("--reports", nargs="+", default=["10", "50", "200", "all"])
    parser.add_argument("--jobs", nargs="+", type=int, default=[2])
    args = parser.parse_args()
    args.scope = args.partnership  # scaling: these partnerships (default all)
    args.partnership = args.partnership or ["Clackmannanshire & Stirling"]
    data = store.open_data(args.data)
    {"compare": compare, "scaling": scaling, "profile": profile}[args.what](args, data)


if __name__ == "__main__":
    main()
