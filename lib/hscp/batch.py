"""Render every notebook for every partnership and locality into offline HTML.

The data are validated and prepared once (hscp.store); each report is then
executed with papermill (kernel python3) and exported with nbconvert's
HTMLExporter and the project's template, both in-process. Reports run in
parallel (--jobs); a failing report is recorded (its cell and error) and the
batch carries on, then exits non-zero with a summary. Each report is written
to a staging folder and moved into place only when complete, so a failure
never leaves a half-written report. outputs/index.html links every report and
outputs/run-summary.json records what ran, how long it took and what failed.
"""

from __future__ import annotations

import argparse
import html
import json
import multiprocessing
import os
import re
import shutil
import sys
import time
import traceback
import uuid
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from hscp import config, geography, store
from hscp.geography import UnknownNameError

TEMPLATES = Path(__file__).parent / "templates"
WHOLE_PARTNERSHIP = "whole-partnership"


def notebooks_dir() -> Path:
    return config.project_root() / "notebooks"


# --- planning -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    partnership: str  # S37 code
    partnership_name: str
    partnership_slug: str
    locality: str | None
    notebook: str  # e.g. "analysis/delayed_discharges"

    @property
    def area_slug(self) -> str:
        return geography.slugify(self.locality) if self.locality else WHOLE_PARTNERSHIP

    @property
    def name(self) -> str:
        return Path(self.notebook).name

    @property
    def folder(self) -> Path:
        """The report's folder, relative to the output folder."""
        return Path(self.partnership_slug) / self.area_slug

    @property
    def html(self) -> Path:
        return self.folder / f"{self.name}.html"

    def label(self) -> str:
        return f"{self.partnership_name} / {self.locality or 'whole partnership'} / {self.notebook}"


@dataclass
class Result:
    job: Job
    status: str  # "ok" or "failed"
    seconds: float
    error: dict | None = None
    html: str | None = None


def available_notebooks() -> list[str]:
    root = notebooks_dir()
    return sorted(
        str(p.relative_to(root).with_suffix(""))
        for p in root.glob("*/*.ipynb")
        if ".ipynb_checkpoints" not in p.parts
    )


def resolve_notebook(name: str) -> str:
    names = available_notebooks()
    name = name.removesuffix(".ipynb").removeprefix("notebooks/")
    if name in names:
        return name
    short = {Path(n).name: n for n in names}
    if name in short:
        return short[name]
    raise UnknownNameError("notebook", name, names)


def notebook_tables(notebook: str) -> list[str]:
    """The data tables a notebook needs (its metadata hscp.tables)."""
    meta = json.loads((notebooks_dir() / f"{notebook}.ipynb").read_text())["metadata"]
    return list(meta.get("hscp", {}).get("tables", []))


def notebook_title(notebook: str) -> str:
    meta = json.loads((notebooks_dir() / f"{notebook}.ipynb").read_text())["metadata"]
    return meta.get("hscp", {}).get("title") or Path(notebook).name.replace("_", " ").capitalize()


def plan(
    partnerships: list[str],
    localities: list[str] | None,
    notebooks: list[str],
    *,
    whole: bool = True,
) -> list[Job]:
    """Every (partnership or locality) x notebook to render. Unknown names raise
    UnknownNameError before anything runs."""
    chosen = (
        list(geography.partnerships())
        if partnerships in (["all"], ["ALL"])
        else [geography.partnership(p) for p in partnerships]
    )
    nbs = [resolve_notebook(n) for n in notebooks]
    if localities and len(chosen) != 1:
        raise ValueError("--locality needs exactly one --partnership")
    jobs = []
    for p in chosen:
        areas: list[str | None] = [None] if whole else []
        if localities is None or localities == ["all"]:
            areas += list(p.localities)
        elif localities != ["none"]:
            areas = [p.locality(loc) for loc in localities]
        for area in areas:
            for nb in nbs:
                jobs.append(Job(p.code, p.name, p.slug, area, nb))
    return jobs


# --- rendering one report (runs in a worker process) ---------------------------------------


def _report_css() -> str:
    return (TEMPLATES / "hscp" / "report.css").read_text()


def export_html(nb, resources: dict) -> str:
    """Executed notebook -> self-contained HTML, without code or prompts."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="hscp",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"hscp": resources})
    return add_table_of_contents(body)


_HEADING = re.compile(r"<h([23])([^>]*)\bid=\"([^\"]+)\"([^>]*)>(.*?)</h\1>", re.S)


def add_table_of_contents(page: str) -> str:
    """A contents list built from the page's h2/h3 headings, placed after the banner."""
    items = []
    for level, _, anchor, _, inner in _HEADING.findall(page):
        text = html.unescape(re.sub(r"<[^>]+>", "", inner)).replace("¶", "").strip()
        if text:
            items.append(
                f'<li class="level-{level}"><a href="#{anchor}">{html.escape(text)}</a></li>'
            )
    nav = (
        f'<nav class="hscp-toc" aria-label="Contents"><h2>Contents</h2><ol>{"".join(items)}</ol></nav>'
        if items
        else ""
    )
    return page.replace("<!--HSCP-TOC-->", nav, 1)


def render(job: Job, store_path: str, out_dir: str, options: dict) -> Result:
    """Execute one notebook and publish its HTML and tables atomically."""
    import nbformat
    import papermill as pm

    started = time.perf_counter()
    out = Path(out_dir)
    staging = out / ".staging" / uuid.uuid4().hex
    staging.mkdir(parents=True)
    try:
        data = store.open_data(store_path)
        data.check(notebook_tables(job.notebook))
        source = notebooks_dir() / f"{job.notebook}.ipynb"
        executed = staging / f"{job.name}.ipynb"
        pm.execute_notebook(
            str(source),
            str(executed),
            parameters={
                "partnership": job.partnership_name,
                "locality": job.locality,
                "data_dir": str(store_path),
                "period_start": options.get("period_start"),
                "period_end": options.get("period_end"),
                "output_dir": str(staging),
                "disclosure_threshold": options.get("threshold"),
            },
            kernel_name="python3",
            cwd=str(source.parent),
            progress_bar=False,
            execution_timeout=options.get("timeout", 600),
            log_output=False,
            # The kernel warns at every start that it listens on local TCP; that is
            # expected for a kernel started by this process, so keep its log to errors.
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
        nb = nbformat.read(executed, as_version=4)
        title = notebook_title(job.notebook)
        nb.metadata["title"] = f"{title}: {job.locality or job.partnership_name}"
        src = data.manifest["source"]
        page = export_html(
            nb,
            {
                "css": _report_css(),
                "kicker": f"{job.partnership_name} Health and Social Care Partnership",
                "title": title,
                "area": f"{job.locality} locality" if job.locality else "Whole partnership",
                "period": options.get("period_text") or _period_text(data),
                "generated": datetime.now().strftime("%d %B %Y"),
                "synthetic": src.get("source") == "synthetic",
            },
        )
        (staging / f"{job.name}.html").write_text(page, encoding="utf-8")
        _publish(staging, out / job.folder, job.name)
        return Result(job, "ok", time.perf_counter() - started, html=str(job.html))
    except Exception as err:  # noqa: BLE001 - any failure is recorded; the batch carries on
        return Result(job, "failed", time.perf_counter() - started, error=_describe(err))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _period_text(data: store.Store) -> str:
    start, end = data.period
    return f"{start:%B %Y} to {end:%B %Y}"


def _describe(err: Exception) -> dict:
    """The failing cell and error, as a reader of the summary needs them."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(err, PapermillExecutionError):
        return {
            "kind": "cell",
            # papermill runs its injected-parameters cell as an extra cell, so the
            # notebook's own code cell number is one less than the execution count
            "cell": err.exec_count - 1 if err.exec_count else None,
            "cell_index": err.cell_index,
            "source": err.source.strip().splitlines()[0][:200] if err.source.strip() else "",
            "error": err.ename,
            "message": _ansi(err.evalue)[:4000],
        }
    if isinstance(err, store.DataError):
        return {"kind": "data", "error": "DataError", "message": str(err)[:4000]}
    return {
        "kind": "batch",
        "error": type(err).__name__,
        "message": str(err)[:4000],
        "traceback": "".join(traceback.format_exception(err))[-3000:],
    }


def _ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text or "")


def _publish(staging: Path, final: Path, name: str) -> None:
    """Move a finished report into place: tables first, then the HTML (one rename each)."""
    final.mkdir(parents=True, exist_ok=True)
    new_tables = staging / "tables" / name
    old_tables = final / "tables" / name
    if old_tables.exists():
        trash = final / "tables" / f".old-{name}-{uuid.uuid4().hex[:8]}"
        old_tables.rename(trash)
        shutil.rmtree(trash, ignore_errors=True)
    if new_tables.exists():
        old_tables.parent.mkdir(parents=True, exist_ok=True)
        new_tables.rename(old_tables)
    os.replace(staging / f"{name}.ipynb", final / f"{name}.ipynb")
    os.replace(staging / f"{name}.html", final / f"{name}.html")


# --- the batch --------------------------------------------------------------------------------


@dataclass
class Summary:
    started: str
    finished: str = ""
    seconds: float = 0.0
    data: dict = field(default_factory=dict)
    code_version: str = ""
    reports: list[dict] = field(default_factory=list)

    @property
    def failed(self) -> list[dict]:
        return [r for r in self.reports if r["status"] != "ok"]


def run(
    jobs: list[Job],
    data: store.Store,
    out_dir: Path,
    *,
    workers: int = 2,
    options: dict | None = None,
    progress: bool = True,
) -> Summary:
    """Render the jobs, in parallel, carrying on past failures."""
    from tqdm import tqdm

    from hscp import report

    options = options or {}
    out_dir.mkdir(parents=True, exist_ok=True)
    os.environ["HSCP_CODE_VERSION"] = report.code_version()  # one version for every report
    summary = Summary(started=datetime.now().isoformat(timespec="seconds"))
    summary.code_version = os.environ["HSCP_CODE_VERSION"]
    summary.data = {"store": str(data.path), **data.provenance()}
    clock = time.perf_counter()
    results: list[Result] = []
    bar = tqdm(
        total=len(jobs), desc="Reports", unit="report", disable=not progress, file=sys.stderr
    )
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            results.append(render(job, str(data.path), str(out_dir), options))
            _tick(bar, results[-1])
    else:
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            futures = [
                pool.submit(render, job, str(data.path), str(out_dir), options) for job in jobs
            ]
            for future in as_completed(futures):
                results.append(future.result())
                _tick(bar, results[-1])
    bar.close()
    shutil.rmtree(out_dir / ".staging", ignore_errors=True)
    order = {job: i for i, job in enumerate(jobs)}
    results.sort(key=lambda r: order[r.job])
    summary.reports = [
        {
            **asdict(r.job),
            "status": r.status,
            "seconds": round(r.seconds, 1),
            "html": r.html,
            "error": r.error,
        }
        for r in results
    ]
    summary.finished = datetime.now().isoformat(timespec="seconds")
    summary.seconds = round(time.perf_counter() - clock, 1)
    write_summary(summary, out_dir)
    write_index(summary, out_dir)
    return summary


def _tick(bar, result: Result) -> None:
    bar.update(1)
    if result.status != "ok":
        bar.write(
            f"FAILED {result.job.label()}: {result.error.get('error')}: "
            f"{result.error.get('message', '').splitlines()[0][:160] if result.error.get('message') else ''}"
        )


def write_summary(summary: Summary, out_dir: Path) -> Path:
    path = out_dir / "run-summary.json"
    payload = asdict(summary) | {
        "ok": sum(r["status"] == "ok" for r in summary.reports),
        "failed": len(summary.failed),
    }
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, indent=2, default=str))
    os.replace(tmp, path)
    return path


def write_index(summary: Summary, out_dir: Path) -> Path:
    """outputs/index.html: every report on disk, grouped by partnership, with this run's failures."""
    this_run = {r["html"]: r for r in summary.reports if r["html"]}
    on_disk = sorted(p.relative_to(out_dir) for p in out_dir.glob("*/*/*.html"))
    by_partnership: dict[str, list[Path]] = {}
    for rel in on_disk:
        by_partnership.setdefault(rel.parts[0], []).append(rel)
    names = {p.slug: p.name for p in geography.partnerships()}
    sections = []
    for slug, pages in sorted(by_partnership.items()):
        rows = []
        for rel in sorted(
            pages, key=lambda r: (r.parts[1] != WHOLE_PARTNERSHIP, r.parts[1], r.name)
        ):
            area = (
                "Whole partnership"
                if rel.parts[1] == WHOLE_PARTNERSHIP
                else _area_name(slug, rel.parts[1])
            )
            fresh = "this run" if str(rel) in this_run else "earlier run"
            rows.append(
                f'<tr><td>{html.escape(area)}</td><td><a href="{html.escape(rel.as_posix())}">'
                f"{html.escape(rel.stem.replace('_', ' ').capitalize())}</a></td><td>{fresh}</td></tr>"
            )
        sections.append(
            f"<h2>{html.escape(names.get(slug, slug))}</h2>"
            '<table class="hscp-table"><thead><tr><th>Area</th><th>Report</th><th>Rendered</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    failures = "".join(
        f"<li><strong>{html.escape(r['partnership_name'])} / {html.escape(r['locality'] or 'whole partnership')}"
        f" / {html.escape(r['notebook'])}</strong>: {html.escape(str(r['error'].get('error')))}"
        f"{' in cell ' + str(r['error'].get('cell')) if r['error'].get('cell') else ''}: "
        f"<pre>{html.escape(r['error'].get('message', ''))}</pre></li>"
        for r in summary.failed
    )
    failed_block = (
        f'<h2 id="failed">Failed in this run</h2><ul class="hscp-failures">{failures}</ul>'
        if failures
        else ""
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>HSCP evidence workbooks: reports</title>
<style>{(TEMPLATES / "hscp" / "report.css").read_text()}
body {{ font-family: Arial, "Liberation Sans", sans-serif; }}</style></head>
<body class="hscp-report">
<header class="hscp-banner"><p class="hscp-banner-kicker">HSCP evidence workbooks</p>
<h1 class="hscp-banner-title">Reports</h1>
<p class="hscp-banner-meta">Run {html.escape(summary.started.replace("T", " "))}: {sum(r["status"] == "ok" for r in summary.reports)} rendered,
{len(summary.failed)} failed, {summary.seconds:,.0f} seconds. {html.escape(summary.code_version)}</p></header>
<main>{failed_block}{"".join(sections) or "<p>No reports yet.</p>"}
<p class="hscp-source">Run details: <a href="run-summary.json">run-summary.json</a></p></main></body></html>"""
    path = out_dir / "index.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, path)
    return path


def _area_name(partnership_slug: str, area_slug: str) -> str:
    for p in geography.partnerships():
        if p.slug == partnership_slug:
            for loc in p.localities:
                if geography.slugify(loc) == area_slug:
                    return loc
    return area_slug


# --- command line ------------------------------------------------------------------------------


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
        "'none' renders the whole partnership only",
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
    parser.add_argument("--jobs", type=int, default=defaults.jobs, help="reports rendered at once")
    parser.add_argument(
        "--period-start", default=defaults.period_start, help="first month, e.g. 2023-04"
    )
    parser.add_argument(
        "--period-end", default=defaults.period_end, help="last month, e.g. 2025-03"
    )
    parser.add_argument(
        "--timeout", type=int, default=defaults.cell_timeout, help="seconds a cell may run"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the batch; 0 when every report rendered, 1 when any failed, 2 for bad arguments."""
    args = parse_args(argv)
    defaults = config.load_defaults()
    try:
        jobs = plan(
            args.partnership or list(defaults.partnerships),
            args.locality,
            args.notebook or list(defaults.notebooks),
        )
    except (UnknownNameError, ValueError) as err:
        print(f"run_all.py: {err}", file=sys.stderr)
        return 2
    out_dir = Path(args.out or config.project_root() / defaults.output).resolve()
    try:
        data = store.open_data(args.data, seed=args.seed)
    except (store.DataError, FileNotFoundError) as err:
        print(f"run_all.py: {err}", file=sys.stderr)
        return 1
    for table, problem in data.problems.items():
        print(
            f"Data problem ({table}); reports that need it will fail:\n{problem}", file=sys.stderr
        )
    options = {
        "period_start": args.period_start,
        "period_end": args.period_end,
        "threshold": defaults.disclosure_threshold,
        "timeout": args.timeout,
    }
    print(f"Rendering {len(jobs)} report(s) with {args.jobs} at a time into {out_dir}")
    summary = run(
        jobs, data, out_dir, workers=args.jobs, options=options, progress=not args.no_progress
    )
    ok = len(summary.reports) - len(summary.failed)
    print(
        f"\n{ok} of {len(summary.reports)} reports rendered in {summary.seconds:,.0f} s. "
        f"Open {out_dir / 'index.html'}"
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
        return 1
    return 0
