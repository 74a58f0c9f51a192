"""Prepare-once and read-one-slice, measured.

Measures, for a synthetic scale: generating the extracts, validating and
partitioning them (hscp.store.prepare), and what a notebook then pays to read
one partnership's acute episodes from the store, against the baseline of
reading the whole validated extract and filtering it (what a notebook would do
without the store). Peak memory is the process's maximum resident set size.

    .venv/bin/python benchmarks/store_prepare.py --scale default
    .venv/bin/python benchmarks/store_prepare.py --scale scotland   # national volumes, 5 years

Writes benchmarks/results/store_prepare-<scale>.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from hscp import extracts, store, synthetic


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="default", choices=sorted(synthetic.SCALES))
    parser.add_argument("--partnership", default="S37000005")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "extracts"
        _, generate_s = timed(lambda: synthetic.generate(data, scale=args.scale))
        prepared, prepare_s = timed(
            lambda: store.prepare(data, Path(tmp) / "store", log=lambda *_: None)
        )
        _, again_s = timed(lambda: store.prepare(data, Path(tmp) / "store", log=lambda *_: None))
        slice_rows, slice_s = timed(lambda: len(prepared.partnership(args.partnership).episodes()))

        def whole_then_filter():
            frame = extracts.read_extract(extracts.find_extract(data, "acute_episodes"))
            return len(frame[frame["hscp2019"] == args.partnership])

        baseline_rows, baseline_s = timed(whole_then_filter)
        assert slice_rows == baseline_rows
        result = {
            "scale": args.scale,
            "rows": {t: i["rows"] for t, i in prepared.manifest["tables"].items()},
            "generate_seconds": round(generate_s, 1),
            "prepare_seconds": round(prepare_s, 1),
            "prepare_again_seconds (cached)": round(again_s, 2),
            "notebook_read_slice_seconds": round(slice_s, 3),
            "baseline_read_whole_and_filter_seconds": round(baseline_s, 2),
            "slice_speedup": round(baseline_s / slice_s, 1),
            "peak_memory_mb": round(peak_mb()),
        }
    out = Path(__file__).parent / "results" / f"store_prepare-{args.scale}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
