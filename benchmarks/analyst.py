"""The analyst's day in numbers: a first run, a rerun in a kernel, and the explorer.

- first run: generating and preparing a synthetic Scotland into a fresh folder (a seed
  of its own, so nothing is reused), and opening it again (prepared: reused);
- rerun: "Run All" of an analysis notebook in a Jupyter kernel, as JupyterLab runs it
  (the explorer included), on data already prepared;
- the explorer: building its table once, and each redraw (chart and table) for the
  partnership and each locality.

    .venv/bin/python benchmarks/analyst.py                         # tiny scale
    .venv/bin/python benchmarks/analyst.py --scale default --partnership "Glasgow City"

Writes benchmarks/results/analyst-<scale>-<date>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, round(time.perf_counter() - started, 2)


def first_run(scale: str) -> dict:
    from hscp import store

    seed = 424242
    folder = ROOT / "data" / f"synthetic-{scale}-{seed}"
    shutil.rmtree(folder, ignore_errors=True)
    with tempfile.TemporaryDirectory() as cache:
        os.environ["HSCP_STORE_DIR"] = cache
        _, first = timed(
            lambda: store.open_data(f"synthetic:{scale}", seed=seed, log=lambda *_: None)
        )
        _, again = timed(
            lambda: store.open_data(f"synthetic:{scale}", seed=seed, log=lambda *_: None)
        )
    os.environ.pop("HSCP_STORE_DIR")
    shutil.rmtree(folder, ignore_errors=True)
    return {"generate_and_prepare_s": first, "open_prepared_s": again}


def rerun(scale: str, partnership: str, notebooks: list[str]) -> dict:
    import nbformat
    from nbclient import NotebookClient

    from hscp import store

    data = store.open_data(f"synthetic:{scale}", log=lambda *_: None)
    os.environ["JPY_SESSION_NAME"] = "benchmark"  # as JupyterLab's kernels have it
    out = {}
    for name in notebooks:
        nb = nbformat.read(ROOT / "notebooks" / "analysis" / f"{name}.ipynb", as_version=4)
        params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        params.source += f"\npartnership = {partnership!r}\ndata_dir = {str(data.path)!r}"
        client = NotebookClient(nb, timeout=1200, kernel_name="python3",
                                resources={"metadata": {"path": str(ROOT / "notebooks" / "analysis")}})  # fmt: skip
        _, out[name] = timed(client.execute)
    os.environ.pop("JPY_SESSION_NAME")
    return out


def explorer(scale: str, partnership: str) -> dict:
    from hscp import report, widgets
    from hscp.workbooks import explorers

    rpt = report.start(title="benchmark", notebook="unscheduled_care", partnership=partnership,
                       data_dir=f"synthetic:{scale}")  # fmt: skip
    series, build = timed(lambda: explorers.unscheduled_care(rpt))
    t = series.table
    redraws = []
    for area in series.areas:

        def draw(area=area):
            figure, _ = widgets.explorer_view(series, area, t["measure"].iloc[0],
                                              t["period"].min(), t["period"].max())  # fmt: skip
            return widgets._png(figure)

        redraws.append(timed(draw)[1])
    return {"notebook": "unscheduled_care", "table_s": build, "redraw_s": redraws}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="tiny")
    parser.add_argument("--partnership", default="Clackmannanshire & Stirling")
    parser.add_argument("--notebooks", nargs="*",
                        default=["unscheduled_care", "delayed_discharges", "performance"])  # fmt: skip
    args = parser.parse_args()
    result = {
        "date": date.today().isoformat(),
        "scale": args.scale,
        "partnership": args.partnership,
        "load_before": os.getloadavg(),
        "first_run": first_run(args.scale),
        "rerun_s": rerun(args.scale, args.partnership, args.notebooks),
        "explorer": explorer(args.scale, args.partnership),
        "load_after": os.getloadavg(),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    out = ROOT / "benchmarks" / "results" / f"analyst-{args.scale}-{date.today():%Y%m%d}.json"
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
