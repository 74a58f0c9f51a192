"""The command line (run_all.py): options, defaults from params/defaults.yaml, exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from hscp import config, store
from hscp.batch._common import BatchError, UnsafePathError
from hscp.batch.formats import parse_formats
from hscp.batch.jobs import check_period, plan
from hscp.batch.provenance import redact
from hscp.batch.runner import Stopped, Summary, read_summary, retry_jobs, run
from hscp.conventions.months import parse_month
from hscp.geography import UnknownNameError

# --- command line ------------------------------------------------------------------------------


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    defaults = config.load_defaults()
    parser = argparse.ArgumentParser(
        prog="run_all.py",
        description="Render the HSCP evidence workbooks for partnerships and their localities "
        "(defaults from params/defaults.yaml).",
    )
    parser.add_argument(
        "--partnership",
        action="append",
        metavar="NAME",
        help="partnership name, S37 code or slug (repeatable), or 'all' "
        f"(default: {', '.join(defaults.partnerships)})",
    )
    parser.add_argument(
        "--locality",
        action="append",
        metavar="NAME",
        help="only these localities (repeatable; needs one --partnership); "
        "'none' renders the whole partnership only, 'all' every locality too (the default)",
    )
    parser.add_argument(
        "--notebook",
        action="append",
        metavar="NAME",
        help=f"notebook(s) to render (default: {', '.join(defaults.notebooks)})",
    )
    parser.add_argument(
        "--data",
        default=None,
        help=f"folder of extracts, or synthetic:<tiny|default|scotland> (default: {defaults.data})",
    )
    parser.add_argument("--seed", type=int, default=None, help="seed of the synthetic data")
    parser.add_argument("--out", default=None, help=f"output folder (default: {defaults.output})")
    parser.add_argument(
        "--jobs",
        type=int,
        default=defaults.jobs or default_jobs(),
        help=f"reports rendered at once (default: {defaults.jobs or 'one per core'})",
    )
    parser.add_argument(
        "--period-start",
        default=defaults.period_start,
        help="first month: 2023-04, April 2023, or a financial year 2023/24",
    )
    parser.add_argument(
        "--period-end",
        default=defaults.period_end,
        help="last month: 2025-03, March 2025, or a financial year 2024/25",
    )
    parser.add_argument(
        "--timeout", type=int, default=defaults.cell_timeout, help="seconds a cell may run"
    )
    parser.add_argument(
        "--force", action="store_true", help="render every report, even those up to date"
    )
    parser.add_argument(
        "--retry-failed",
        action="store_true",
        help="render only the reports that failed (or were interrupted) in the last run in --out",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="send the reports to a Dask distributed cluster (e.g. tcp://host:8786); "
        "its workers must see the data and --out at the same paths",
    )
    parser.add_argument(
        "--wait", action="store_true", help="if another batch is writing to --out, wait for it"
    )
    parser.add_argument(
        "--open-data",
        metavar="FOLDER",
        help="folder of PHS/NRS open data files (delayed discharge bed days and census, A&E "
        "activity, population estimates) for Scotland, board and partnership comparators "
        "(default: params/defaults.yaml open_data)",
    )
    parser.add_argument(
        "--formats",
        default="html",
        metavar="LIST",
        help="formats besides the HTML, comma-separated: html,docx,pdf (Word for board "
        "papers; PDF needs Chromium). Default: html",
    )
    parser.add_argument(
        "--audience",
        choices=("analyst", "lead"),
        default="analyst",
        help="analyst: the full reports (the default); lead: shorter reports, the key "
        "messages and the charts that carry them, the tables that repeat a chart in the data "
        "downloads (use another --out, e.g. outputs/lead)",
    )
    parser.add_argument("--no-audit", action="store_true", help="skip the disclosure audit")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the batch; 0 when every report rendered and the audit passed, 1 when any
    report failed or the audit found anything, 2 for bad arguments, 3 when the output
    folder is busy, 130/143 when stopped by SIGINT/SIGTERM."""
    args = parse_args(argv)
    defaults = config.load_defaults()
    out_dir = Path(args.out or config.project_root() / defaults.output).resolve()
    open_data_dir = str(Path(args.open_data).resolve()) if args.open_data else None
    if open_data_dir and not Path(open_data_dir).is_dir():
        print(f"run_all.py: --open-data {args.open_data}: no such folder", file=sys.stderr)
        return 2
    try:
        formats = parse_formats(args.formats)
        start = parse_month(args.period_start)
        end = parse_month(args.period_end, end=True)
        previous = read_summary(out_dir) if args.retry_failed else None
        if args.retry_failed:
            if previous is None:
                raise ValueError(f"--retry-failed: no run-summary.json in {out_dir}")
            jobs = retry_jobs(previous)
        else:
            jobs = plan(
                args.partnership or list(defaults.partnerships),
                args.locality,
                args.notebook or list(defaults.notebooks),
            )
    except (UnknownNameError, ValueError, UnsafePathError, BatchError) as err:
        print(f"run_all.py: {err}", file=sys.stderr)
        return 2
    if args.retry_failed and not jobs:
        print(f"Nothing to retry: every report of the last run in {out_dir} rendered.")
        return 0
    try:
        data = store.open_data(args.data, seed=args.seed)
    except (store.DataError, FileNotFoundError) as err:
        print(f"run_all.py: {redact(str(err))}", file=sys.stderr)
        return 1
    try:
        start, end, notes = check_period(start, end, data.period)
    except ValueError as err:
        print(f"run_all.py: {err}", file=sys.stderr)
        return 2
    for note in notes:
        print(f"Note: {note}", file=sys.stderr)
    for table, problem in data.problems.items():
        print(
            f"Data problem ({table}); reports that need it will fail:\n{redact(problem)}",
            file=sys.stderr,
        )
    options = {
        "period_start": start,
        "period_end": end,
        "threshold": defaults.disclosure_threshold,
        "timeout": args.timeout,
        "data": _data_label(args.data or defaults.data),
        "jobs": args.jobs,
        "scheduler": args.scheduler,
        "formats": formats,
        "audience": args.audience,
    }
    if open_data_dir:
        options["open_data_dir"] = open_data_dir
        os.environ["HSCP_OPEN_DATA"] = open_data_dir  # the evidence register reads it too
    where = f"on {args.scheduler}" if args.scheduler else f"with {args.jobs} at a time"
    print(f"Rendering {len(jobs)} report(s) {where} into {out_dir}")
    try:
        summary = run(
            jobs,
            data,
            out_dir,
            workers=args.jobs,
            options=options,
            progress=not args.no_progress,
            force=args.force or args.retry_failed,
            scheduler=args.scheduler,
            wait=args.wait,
            previous=(previous or {}).get("reports") if args.retry_failed else None,
            audit=not args.no_audit,
            notes=notes,
        )
    except Stopped as stop:
        print(
            f"\nStopped ({stop}); finished reports are in place, the rest are marked "
            f"interrupted in {out_dir / 'run-summary.json'}",
            file=sys.stderr,
        )
        return 128 + stop.signum
    except BatchError as err:
        print(f"run_all.py: {err}", file=sys.stderr)
        return 3 if "in use by another batch" in str(err) else 1
    except OSError as err:
        print(f"run_all.py: cannot write to {out_dir}: {err.strerror}", file=sys.stderr)
        return 1
    return _report_outcome(summary, out_dir)


def _data_label(spec: str) -> str:
    """The data a run used, as the summary names it: synthetic:<scale>, or the folder's name."""
    return spec if spec.startswith("synthetic:") else Path(spec).name


def _report_outcome(summary: Summary, out_dir: Path) -> int:
    rendered = sum(r["status"] == "ok" for r in summary.reports)
    skipped = sum(r["status"] == "skipped" for r in summary.reports)
    print(
        f"\n{rendered} rendered, {skipped} up to date (skipped), {len(summary.failed)} failed, "
        f"of {len(summary.reports)} reports in {summary.seconds:,.0f} s. "
        f"Open {out_dir / 'index.html'}"
    )
    code = 0
    if summary.audit:
        if summary.audit.get("passed"):
            print("Disclosure audit: passed.")
        else:
            code = 1
            reports = summary.audit.get("reports", {})
            print(
                f"Disclosure audit: FAILED, {summary.audit.get('findings', '?')} finding(s) in "
                f"{len(reports)} report(s) ({', '.join(summary.audit.get('by_rule', {}))}); "
                f"details: python -m hscp.audit {out_dir}",
                file=sys.stderr,
            )
    if summary.failed:
        print(f"{len(summary.failed)} report(s) FAILED:", file=sys.stderr)
        for r in summary.failed:
            err = r["error"] or {}
            where = f" (cell {err['cell']}: {err.get('source', '')})" if err.get("cell") else ""
            first = (err.get("message") or "").strip().splitlines()
            print(
                f"  - {r['partnership_name']} / {r['locality'] or 'whole partnership'} / {r['notebook']}: "
                f"{err.get('error')}{where}: {first[0] if first else ''}",
                file=sys.stderr,
            )
        print(f"Details: {out_dir / 'run-summary.json'}", file=sys.stderr)
        code = 1
    return code
