"""Time and memory of building the unscheduled care comparator tables at prepare time.

    .venv/bin/python benchmarks/unscheduled_comparators.py [synthetic:default | folder]

Reads the extracts once, then builds each comparator (emergency_admissions,
ppa_conditions, national_indicators, ae_monthly, ae_attender_bands) as
hscp.store does, and prints seconds (untraced), peak memory (a second, traced run) and rows for each.
Writes benchmarks/results/unscheduled_comparators-<data folder name>.json. The
continuous stays they share are built once (by the first) and counted apart.
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc
from pathlib import Path

import pandas as pd

from hscp import extracts, store

NAMES = ("emergency_admissions", "ppa_conditions", "national_indicators", "ae_monthly",
         "ae_attender_bands")  # fmt: skip


def main(spec: str = "synthetic:default") -> None:
    folder = store.resolve_data(spec)
    tables = {
        t: extracts.read_extract(extracts.find_extract(folder, t), t)
        for t in ("acute_episodes", "ae_attendances")
    }
    info = store._extract_info(folder)
    start, end = store._period(tables, info)
    print(f"{folder}: {len(tables['acute_episodes']):,} episodes, "
          f"{len(tables['ae_attendances']):,} A&E attendances, {start:%b %Y} to {end:%b %Y}")  # fmt: skip
    results = {"data": folder.name, "episodes": len(tables["acute_episodes"]),
               "ae_attendances": len(tables["ae_attendances"]), "comparators": {}}  # fmt: skip
    started = time.perf_counter()
    store._stays(tables["acute_episodes"])
    results["continuous_stays_seconds"] = round(time.perf_counter() - started, 2)
    print(f"{'continuous stays (shared)':28} {results['continuous_stays_seconds']:7.1f} s")
    for name in NAMES:
        comp = store.COMPARATORS[name]
        given = {t: tables[t] for t in comp.tables}
        started = time.perf_counter()
        out = comp.build(**given, start=start, end=end)
        seconds = time.perf_counter() - started
        # memory in a second run: tracing allocations slows the code down several times
        tracemalloc.start()
        comp.build(**given, start=start, end=end)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"{name:28} {seconds:7.1f} s {peak / 2**20:8.0f} MB peak {len(out):>10,} rows")
        results["comparators"][name] = {
            "seconds": round(seconds, 2), "peak_mb": round(peak / 2**20), "rows": len(out)
        }  # fmt: skip
    target = Path(__file__).parent / "results" / f"unscheduled_comparators-{folder.name}.json"
    target.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written {target}")


if __name__ == "__main__":
    pd.set_option("display.width", 120)
    main(*sys.argv[1:])
