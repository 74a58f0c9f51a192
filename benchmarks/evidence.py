"""A partnership's evidence register: built once, then read from the cache.

For each scale and partnership: the build (every section computed and written beside
the store: a cache miss), the cached load (a hit: the register read and checked), and
reading the largest shared table (the partnership's continuous stays) from the cache.
The store is prepared first (not timed); the partnership's existing evidence entries
are removed so the first load builds. Peak memory is the process's maximum resident
set size.

    .venv/bin/python benchmarks/evidence.py                      # tiny and default scale
    .venv/bin/python benchmarks/evidence.py --scales tiny --partnerships "Glasgow City"

Writes benchmarks/results/evidence-<date>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import time
from datetime import date
from pathlib import Path

from hscp import evidence, geography, store


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def measure(prepared: store.Store, name: str) -> dict:
    p = geography.partnership(name)
    root = prepared.path / "evidence"
    for old in root.glob(f"{p.slug}-*") if root.exists() else []:
        shutil.rmtree(old)
    built, build_s = timed(lambda: evidence.load(prepared, p.code))
    hits = [timed(lambda: evidence.load(prepared, p.code))[1] for _ in range(5)]
    cached = evidence.load(prepared, p.code)
    _, figure_s = timed(lambda: cached.figure("emergency_beds"))
    stays, stays_s = timed(lambda: cached.table("stays"))
    local, local_s = timed(lambda: evidence.load_locality(prepared, p.code, p.localities[0]))
    meta = json.loads((built.path / "meta.json").read_text())
    return {
        "partnership": p.name,
        "localities": len(p.localities),
        "register_rows": len(cached.register()),
        "stays_rows": len(stays),
        "problems": built.problems,
        "build_seconds (miss: compute and write)": round(build_s, 2),
        "sections_seconds": meta["timings"],
        "cached_load_seconds (hit, median of 5)": round(sorted(hits)[2], 3),
        "figure_seconds": round(figure_s, 4),
        "read_stays_table_seconds": round(stays_s, 3),
        "locality_view_seconds (hit)": round(local_s, 3),
        "cache_entry_mb": round(folder_mb(built.path), 1),
        "emergency_beds": round(local.figure("emergency_beds", p.name).value, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="+", default=["tiny", "default"])
    parser.add_argument(
        "--partnerships", nargs="+", default=["Clackmannanshire & Stirling", "Glasgow City"]
    )
    args = parser.parse_args()
    result = {"date": str(date.today()), "load_average_before": os.getloadavg(), "runs": []}
    for scale in args.scales:
        prepared = store.open_data(f"synthetic:{scale}", log=lambda *_: None)
        for name in args.partnerships:
            run = {"scale": scale, **measure(prepared, name)}
            print(json.dumps(run, indent=2), flush=True)
            result["runs"].append(run)
    result["load_average_after"] = os.getloadavg()
    result["peak_memory_mb"] = round(peak_mb())
    out = Path(__file__).parent / "results" / f"evidence-{date.today():%Y%m%d}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"peak memory {result['peak_memory_mb']} MB; written to {out}")


if __name__ == "__main__":
    main()
