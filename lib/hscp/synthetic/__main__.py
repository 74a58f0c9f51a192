"""python -m hscp.synthetic --scale tiny --out data/x [--seed N] [--format csv]"""

from __future__ import annotations

import argparse
import sys
import time

from hscp.synthetic import SCALES, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m hscp.synthetic",
        description="Write the synthetic Scotland extracts (the data contract's five tables).",
    )
    parser.add_argument("--scale", default="default", choices=list(SCALES))
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--format", default="parquet", choices=["parquet", "csv"])
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = generate(args.out, scale=args.scale, seed=args.seed, fmt=args.format)
    for table, path in paths.items():
        print(f"{table}: {path}")
    print(f"{args.scale} scale written in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
