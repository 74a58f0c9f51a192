"""Time and memory of building the unscheduled care comparator tables at prepare time.

    .venv/bin/python benchmarks/unscheduled_comparators.py [synthetic:default | folder]

Reads the extracts once, then builds each comparator (emergency_admissions,
ppa_conditions, national_indicators, ae_monthly, ae_attender_bands) as
hscp.store does, and prints seconds (untraced), peak memory (a second, traced run) and rows for each. The
continuous stays they share are built once (by the first) and counted apart.
"""

from __future__ import annotations

import sys
import time
import tracemalloc

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
    started = time.perf_counter()
    store._stays(tables["acute_episodes"])
    print(f"{'continuous stays (shared)':28} {time.perf_counter() - started:7.1f} s")
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


if __name__ == "__main__":
    pd.set_option("display.width", 120)
    main(*sys.argv[1:])
