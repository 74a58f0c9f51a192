"""Render every notebook for every partnership and locality into offline HTML.

The data are validated and prepared once (hscp.store); each report is then
executed (nbclient) in a fresh kernel of its own, started and warmed ahead of
need (hscp._kernels), and exported with nbconvert's HTMLExporter and the
project's template, both in-process. Reports run in parallel (--jobs, one per
core by default) or, with --scheduler, as tasks on a Dask distributed cluster.

The batch owns its run: a lock on the output folder keeps a second batch out;
each report is written to this run's staging folder and moved into place only
when complete, so a failure or a stop (SIGTERM, Ctrl-C, a killed batch) never
leaves a half-written report and never touches the previous one. A failing
report is recorded (its cell and error) and the batch carries on.
outputs/index.html links every report, outputs/run-summary.json records what
ran with which inputs, parameters and code, and the independent disclosure
audit (hscp.audit) of what this run published.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import hashlib
import html
import json
import multiprocessing
import os
import re
import shutil
import signal
import sys
import time
import traceback
import uuid
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from hscp import config, geography, store
from hscp.errors import HscpError
from hscp.geography import UnknownNameError

TEMPLATES = Path(__file__).parent / "templates"
WHOLE_PARTNERSHIP = "whole-partnership"
WORK = ".hscp"  # the batch's own working folder inside --out (never published)
STAGING = ".staging"
_SAFE_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


class BatchError(HscpError, RuntimeError):
    """A batch that cannot start: the message says why and what to do."""


class UnsafePathError(BatchError):
    """A name from params that would put a report outside the output folder."""


def notebooks_dir() -> Path:
    """The notebooks to render (HSCP_NOTEBOOKS points elsewhere: another collection, or tests')."""
    if os.environ.get("HSCP_NOTEBOOKS"):
        return Path(os.environ["HSCP_NOTEBOOKS"])
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

    def key(self) -> tuple[str, str | None, str]:
        return (self.partnership, self.locality, self.notebook)


@dataclass
class Result:
    job: Job
    status: str  # "ok", "skipped" (up to date), "failed" or "interrupted"
    seconds: float
    error: dict | None = None
    html: str | None = None
    timing: dict = field(default_factory=dict)
    warnings: int = 0


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


def _metadata(notebook: str) -> dict:
    return json.loads((notebooks_dir() / f"{notebook}.ipynb").read_text())["metadata"]


def notebook_tables(notebook: str) -> list[str]:
    """The data tables a notebook needs (its metadata hscp.tables)."""
    return list(_metadata(notebook).get("hscp", {}).get("tables", []))


def notebook_title(notebook: str) -> str:
    meta = _metadata(notebook)
    return meta.get("hscp", {}).get("title") or Path(notebook).name.replace("_", " ").capitalize()


def plan(
    partnerships: list[str],
    localities: list[str] | None,
    notebooks: list[str],
    *,
    whole: bool = True,
) -> list[Job]:
    """Every (partnership or locality) x notebook to render. Unknown names raise
    UnknownNameError, and a slug that would leave the output folder raises
    UnsafePathError, before anything runs. 'all' and 'none' as localities work for
    any number of partnerships; named localities need exactly one."""
    chosen = (
        list(geography.partnerships())
        if [p.casefold() for p in partnerships] == ["all"]
        else [geography.partnership(p) for p in partnerships]
    )
    nbs = [resolve_notebook(n) for n in notebooks]
    named = localities not in (None, ["all"], ["none"])
    if named and len(chosen) != 1:
        raise ValueError(
            "--locality NAME needs exactly one --partnership ('--locality all' or "
            "'--locality none' work with any number)"
        )
    jobs = []
    for p in chosen:
        _check_slug(p.slug, f"the slug of {p.name} (params/partnerships)")
        areas: list[str | None] = [None] if whole else []
        if localities is None or localities == ["all"]:
            areas += list(p.localities)
        elif localities != ["none"]:
            areas = [p.locality(loc) for loc in localities]
        for area in areas:
            if area is not None:
                _check_slug(geography.slugify(area), f"the locality {area!r} of {p.name}")
            for nb in nbs:
                jobs.append(Job(p.code, p.name, p.slug, area, nb))
    return jobs


def _check_slug(slug: str, what: str) -> None:
    if not _SAFE_SLUG.match(slug or ""):
        raise UnsafePathError(
            f"{what} is {slug!r}: a folder name of lower-case letters, digits and hyphens "
            "is needed, so that every report stays inside the output folder"
        )


def confined(out_dir: Path, relative: Path) -> Path:
    """out_dir / relative, refusing anything that resolves outside out_dir."""
    root = out_dir.resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root) or target == root:
        raise UnsafePathError(f"{relative} would be written outside the output folder")
    return target


# --- periods ----------------------------------------------------------------------------------

# 2024/25, 2024/2025; with a hyphen only where it cannot be a month (2024-25, not 2024-11)
_FINANCIAL_YEAR = re.compile(r"^\s*(\d{4})\s*(?:/\s*(\d{2}|\d{4})|-(1[3-9]|[2-9]\d|\d{4}))\s*$")


def parse_month(text: str | None, *, end: bool = False) -> str | None:
    """A month for --period-start/--period-end: '2024-04', '2024-04-15', 'April 2024',
    or a financial year '2024/25' (April 2024 as a start, March 2025 as an end)."""
    import pandas as pd

    if text in (None, ""):
        return None
    fy = _FINANCIAL_YEAR.match(str(text))
    if fy:
        first = int(fy.group(1))
        second = int(fy.group(2) or fy.group(3)) % 100
        if second != (first + 1) % 100:
            raise ValueError(f"{text!r} is not a financial year (like 2024/25)")
        return f"{first + 1}-03" if end else f"{first}-04"
    try:
        stamp = pd.Timestamp(str(text).strip())
    except (ValueError, TypeError) as err:
        raise ValueError(
            f"{text!r} is not a month: use 2024-04, April 2024 or a financial year like 2024/25"
        ) from err
    if pd.isna(stamp):
        raise ValueError(f"{text!r} is not a month")
    return f"{stamp:%Y-%m}"


def check_period(
    start: str | None, end: str | None, data_period
) -> tuple[str | None, str | None, list[str]]:
    """The period to report, within the data: a start after the end, or a period
    wholly outside the data, is refused; an end past the data's end is trimmed to
    it (the reports would otherwise show months with no data as zeros), with a note."""
    import pandas as pd

    data_start, data_end = (pd.Timestamp(d) for d in data_period)
    notes: list[str] = []
    if start and end and start > end:
        raise ValueError(f"--period-start {start} is after --period-end {end}")
    if start and pd.Timestamp(start) > data_end:
        raise ValueError(f"--period-start {start} is after the end of the data ({data_end:%B %Y})")
    if end and pd.Timestamp(end) < data_start.to_period("M").start_time:
        raise ValueError(f"--period-end {end} is before the start of the data ({data_start:%B %Y})")
    if end and pd.Timestamp(end).to_period("M") > data_end.to_period("M"):
        notes.append(
            f"--period-end {end} is past the end of the data ({data_end:%d %B %Y}): "
            f"the reports end in {data_end:%B %Y}"
        )
        end = f"{data_end:%Y-%m}"
    return start, end, notes


# --- provenance: what made a report ---------------------------------------------------------


def _hash_files(files) -> str:
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def code_hash() -> str:
    """A hash of the library, its templates and the partnerships' params: a report made
    by other code is out of date even where the commit is the same (uncommitted edits)."""
    here = Path(__file__).parent
    files = [
        p
        for p in here.rglob("*")
        if p.is_file() and p.suffix in (".py", ".j2", ".css", ".json", ".csv")
    ]
    files = [p for p in files if "__pycache__" not in p.parts]
    params = geography.params_dir()
    files += sorted(params.rglob("*.yaml"))
    return _hash_files(files)[:16]


PACKAGES = (
    "hscp",
    "pandas",
    "numpy",
    "scipy",
    "matplotlib",
    "seaborn",
    "statsmodels",
    "pyarrow",
    "nbclient",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "jupyter_client",
    "papermill",
    "distributed",
)


def package_versions() -> dict[str, str]:
    from importlib import metadata

    versions = {"python": sys.version.split()[0]}
    for name in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[name] = metadata.version(name)
    return versions


def data_inputs(data: store.Store) -> dict:
    """Each input table's file name, hash and rows (names only: no machine's paths)."""
    tables = data.manifest.get("tables", {})
    return {
        t: {"file": Path(i.get("input", "")).name, "sha256": i.get("sha256"), "rows": i.get("rows")}
        for t, i in sorted(tables.items())
    }


def report_key(job: Job, params: dict, data_key: str, code: str) -> str:
    """What decides a report: its notebook, parameters, data and code."""
    source = (notebooks_dir() / f"{job.notebook}.ipynb").read_bytes()
    h = hashlib.sha256(source)
    h.update(json.dumps([job.key(), params, data_key, code], sort_keys=True, default=str).encode())
    return h.hexdigest()


def _key_file(out_dir: Path, job: Job) -> Path:
    return out_dir / job.folder / WORK / f"{job.name}.key"


def up_to_date(out_dir: Path, job: Job, key: str) -> bool:
    path = _key_file(out_dir, job)
    return (out_dir / job.html).exists() and path.exists() and path.read_text().strip() == key


# --- sanitising what leaves the batch -------------------------------------------------------

_EXAMPLES = re.compile(r"\s*\(e\.g\. .*\)\s*$", re.M)
_DATETIME = re.compile(r"\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\b")
_LONG_NUMBER = re.compile(r"(?<![\w.])\d{6,}(?![\w])")
_ABS_PATH = re.compile(r"(?<![\w.:/-])(?:/[\w.@+-]+)+/([\w.@+-]+)")


def redact(text: str) -> str:
    """A message fit for the summary and index: no example values from records (link_no,
    dates and times of care), no paths of this machine (file names stay)."""
    text = _EXAMPLES.sub("", text or "")
    text = _DATETIME.sub("<date-time>", text)
    text = _LONG_NUMBER.sub("<number>", text)
    return _ABS_PATH.sub(lambda m: m.group(1), text)


# --- rendering one report (runs in a worker process) ---------------------------------------

_EXPORTER = None
_STORES: dict[str, store.Store] = {}


def _report_css() -> str:
    return (TEMPLATES / "hscp" / "report.css").read_text()


_FOCUSABLE_DIV = re.compile(
    r'<div((?:\s[^>]*)?\sclass="[^"]*\bjp-(?:OutputArea-output|Cell-inputWrapper)\b[^"]*"[^>]*)>'
)
_IMG_WITHOUT_ALT = re.compile(r"<img(?![^>]*\salt=)")
_ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def _character(match: re.Match) -> str:
    """An HTML entity as its character, but for the ones markup needs (&amp; &lt; &gt; &quot;)."""
    text = html.unescape(match.group(0))
    return match.group(0) if text in ("&", "<", ">", '"') or text == match.group(0) else text


def _exporter():
    """One HTMLExporter per process: building it loads the templates (a few tenths of a second)."""
    global _EXPORTER
    if _EXPORTER is None:
        from nbconvert import HTMLExporter
        from nbconvert.exporters.templateexporter import TemplateExporter

        class Exporter(HTMLExporter):
            """HTMLExporter without its last step, which parses and rewrites the whole page
            with BeautifulSoup (a third of the export) to add two attributes: the same
            attributes are added here with two regular expressions."""

            def from_notebook_node(self, nb, resources=None, **kw):
                from nbconvert.filters.highlight import Highlight2HTML
                from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

                lang = nb.metadata.get("language_info", {})
                lexer = lang.get("pygments_lexer", lang.get("name"))
                resources = self._init_resources(resources)
                self.register_filter(
                    "highlight_code",
                    self.filters.get(
                        "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
                    ),
                )
                self.register_filter(
                    "filter_data_type",
                    WidgetsDataTypeFilter(
                        notebook_metadata=self._nb_metadata, parent=self, resources=resources
                    ),
                )
                page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
                page = _ENTITY.sub(_character, page)  # as BeautifulSoup writes them
                page = _FOCUSABLE_DIV.sub(lambda m: f'<div tabindex="0"{m.group(1)}>', page)
                page = _IMG_WITHOUT_ALT.sub(
                    '<img alt="No description has been provided for this image"', page
                )
                return page, resources

        _EXPORTER = Exporter(
            template_name="hscp",
            extra_template_basedirs=[str(TEMPLATES)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            embed_images=True,
        )
    return _EXPORTER


def export_html(nb, resources: dict) -> str:
    """Executed notebook -> self-contained HTML, without code or prompts."""
    body, _ = _exporter().from_notebook_node(nb, resources={"hscp": resources})
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


def _open_store(path: str) -> store.Store:
    if path not in _STORES:
        _STORES[path] = store.open_data(path, log=lambda *_: None)
    return _STORES[path]


def inject_parameters(nb, parameters: dict) -> int:
    """Add a cell after the one tagged 'parameters' that sets these values (as papermill
    does); returns its index."""
    import nbformat

    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    at = tagged[0] + 1 if tagged else 0
    lines = ["# Parameters"] + [f"{k} = {v!r}" for k, v in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": ["injected-parameters"]})
    cell.pop("id", None)
    cell["id"] = "injected-parameters"
    nb.cells.insert(at, cell)
    return at


def _code_cell_number(nb, index: int, injected: int) -> int:
    """The notebook's own number of a code cell (the injected cell not counted)."""
    return sum(
        1 for i, c in enumerate(nb.cells[: index + 1]) if c.cell_type == "code" and i != injected
    )


def execute(job: Job, parameters: dict, timeout: int, kernels=None) -> tuple:
    """Run the notebook in a fresh kernel: (executed notebook, index of the injected
    cell, seconds waiting for the kernel). Raises ReportError naming the cell."""
    import nbformat
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    from hscp import _kernels

    source = notebooks_dir() / f"{job.notebook}.ipynb"
    nb = nbformat.read(source, as_version=4)
    injected = inject_parameters(nb, parameters)
    pool = kernels or _kernels.pool()
    waited = time.perf_counter()
    km = pool.take(str(source.parent))
    running = {"index": None}
    client = _kernels.notebook_client_class()(
        nb,
        km=km,
        timeout=timeout,
        startup_timeout=180,
        kernel_name=_kernels.KERNEL,
        record_timing=True,
        resources={"metadata": {"path": str(source.parent)}},
        on_cell_start=lambda cell, cell_index: running.update(index=cell_index),
    )
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as err:
        index = running["index"]
        cell = nb.cells[index] if index is not None else None
        raise ReportError(
            {
                "kind": {CellTimeoutError: "timeout", DeadKernelError: "dead-kernel"}.get(
                    type(err), "cell"
                ),
                "cell": _code_cell_number(nb, index, injected) if index is not None else None,
                "cell_index": index,
                "source": _first_line(cell.source) if cell is not None else "",
                "error": getattr(err, "ename", None) or type(err).__name__,
                "message": _message(err, timeout),
            }
        ) from None
    finally:
        if client.kc is not None:
            client.kc.stop_channels()
        pool.discard(km)
    return nb, injected, _ready_seconds(nb, waited)


def _ready_seconds(nb, since: float) -> float:
    """Seconds from asking for a kernel to its first cell starting (0 when unknown)."""

    stamps = [
        c.metadata.get("execution", {}).get("iopub.execute_input")
        for c in nb.cells
        if c.cell_type == "code"
    ]
    stamps = [s for s in stamps if s]
    if not stamps:
        return 0.0
    first = datetime.fromisoformat(stamps[0].replace("Z", "+00:00"))
    now = datetime.now(UTC)
    return max(0.0, (time.perf_counter() - since) - (now - first).total_seconds())


def cell_seconds(nb) -> list[float]:
    """Each code cell's own run time, from the timings nbclient records."""
    out = []
    for c in nb.cells:
        ex = c.get("metadata", {}).get("execution", {}) if c.cell_type == "code" else {}
        if ex.get("iopub.execute_input") and ex.get("shell.execute_reply"):
            a = datetime.fromisoformat(ex["iopub.execute_input"].replace("Z", "+00:00"))
            b = datetime.fromisoformat(ex["shell.execute_reply"].replace("Z", "+00:00"))
            out.append(max(0.0, (b - a).total_seconds()))
    return out


def _first_line(source: str) -> str:
    lines = source.strip().splitlines()
    return lines[0][:200] if lines else ""


def _message(err: Exception, timeout: int) -> str:
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    if isinstance(err, CellTimeoutError):
        return f"the cell ran longer than {timeout} s (--timeout)"
    if isinstance(err, DeadKernelError):
        return "the kernel died while running the cell (out of memory?)"
    return redact(_ansi(str(getattr(err, "evalue", "") or err)))[:4000]


class ReportError(HscpError):
    """A report that failed, described as the summary records it."""

    def __init__(self, described: dict):
        super().__init__(described.get("message", ""))
        self.described = described


def publishable(nb, injected: int, parameters: dict, roots: list[str]) -> int:
    """Make the executed notebook fit to publish beside its report: the injected cell
    without this machine's paths, no stderr (warnings are for developers), and any
    remaining path of this machine replaced. Returns the number of warnings dropped."""
    local = ("data_dir", "output_dir", "open_data_dir")  # paths of this machine
    public = {k: (None if k in local else v) for k, v in parameters.items()}
    nb.cells[injected].source = "\n".join(
        ["# Parameters (data_dir, output_dir and open_data_dir were set by run_all.py)"]
        + [f"{k} = {v!r}" for k, v in public.items()]
    )
    dropped = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                dropped += 1
                continue
            kept.append(output)
        cell.outputs = kept
    nb.metadata.pop("papermill", None)
    text = json.dumps(nb)
    for root in sorted({r for r in roots if r and len(r) > 1}, key=len, reverse=True):
        text = text.replace(json.dumps(root)[1:-1], "<local>")
    import nbformat

    clean = nbformat.from_dict(json.loads(text))
    nb.clear()
    nb.update(clean)
    return dropped


def render(job: Job, store_path: str, out_dir: str, options: dict) -> Result:
    """Execute one notebook and publish its HTML, executed notebook and tables atomically."""
    import nbformat

    started = time.perf_counter()
    out = Path(out_dir)
    run_id = options.get("run_id", "single")
    staging = out / STAGING / run_id / uuid.uuid4().hex
    timing: dict = {}
    # The batch's code version, for the footer: a Dask worker does not inherit the
    # batch's environment, and kernels inherit the worker's when they start.
    os.environ.update(options.get("environment") or {})
    try:
        final = confined(out, job.folder)
        staging.mkdir(parents=True)
        data = _open_store(store_path)
        data.check(notebook_tables(job.notebook))
        parameters = {
            "partnership": job.partnership_name,
            "locality": job.locality,
            "data_dir": str(store_path),
            "period_start": options.get("period_start"),
            "period_end": options.get("period_end"),
            "output_dir": str(staging),
            "disclosure_threshold": options.get("threshold"),
        }
        if options.get("open_data_dir"):
            parameters["open_data_dir"] = options["open_data_dir"]
        nb, injected, timing["kernel_wait"] = execute(job, parameters, options.get("timeout", 600))
        cells = cell_seconds(nb)
        timing["cells"] = sum(cells)
        after = time.perf_counter()
        roots = [
            str(out.resolve()),
            str(Path(store_path).resolve()),
            str(config.project_root()),
            str(Path.home()),
            str(staging),
        ]
        warnings = publishable(nb, injected, parameters, roots)
        title = notebook_title(job.notebook)
        nb.metadata["title"] = f"{title}: {job.locality or job.partnership_name}"
        page = export_html(nb, _page_resources(job, title, data, options))
        nbformat.write(nb, staging / f"{job.name}.ipynb")
        (staging / f"{job.name}.html").write_text(page, encoding="utf-8")
        if options.get("key"):
            (staging / f"{job.name}.key").write_text(options["key"])
        _publish(staging, final, job.name)
        timing["export_publish"] = time.perf_counter() - after
        total = time.perf_counter() - started
        timing["overhead"] = max(0.0, total - timing["cells"])
        return Result(
            job,
            "ok",
            total,
            html=job.html.as_posix(),
            timing={k: round(v, 3) for k, v in timing.items()},
            warnings=warnings,
        )
    except Exception as err:  # noqa: BLE001 - any failure is recorded; the batch carries on
        return Result(job, "failed", time.perf_counter() - started, error=_describe(err))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def job_id(job: Job) -> str:
    return "|".join(str(x) for x in job.key())


def _page_resources(job: Job, title: str, data: store.Store, options: dict) -> dict:
    return {
        "css": _report_css(),
        "kicker": f"{job.partnership_name} Health and Social Care Partnership",
        "title": title,
        "area": f"{job.locality} locality" if job.locality else "Whole partnership",
        "period": options.get("period_text") or _period_text(data, options),
        "generated": datetime.now().strftime("%d %B %Y"),
        "synthetic": data.manifest["source"].get("source") == "synthetic",
    }


def _period_text(data: store.Store, options: dict | None = None) -> str:
    import pandas as pd

    start, end = data.period
    options = options or {}
    if options.get("period_start"):
        start = pd.Timestamp(options["period_start"])
    if options.get("period_end"):
        end = pd.Timestamp(options["period_end"])
    return f"{start:%B %Y} to {end:%B %Y}"


def _describe(err: Exception) -> dict:
    """The failing cell and error, as a reader of the summary needs them (no record
    values, no paths of this machine; the traceback goes to the batch's log)."""
    if isinstance(err, ReportError):
        return err.described
    if isinstance(err, store.DataError):
        return {"kind": "data", "error": "DataError", "message": redact(str(err))[:4000]}
    if isinstance(err, UnsafePathError):
        return {"kind": "path", "error": "UnsafePathError", "message": redact(str(err))}
    if isinstance(err, OSError) and err.errno in (errno.ENOSPC, errno.EDQUOT):
        return {
            "kind": "disk",
            "error": "OSError",
            "message": "no space left on the output folder's disk",
        }
    if isinstance(err, OSError) and err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return {
            "kind": "disk",
            "error": "OSError",
            "message": f"cannot write the report: {err.strerror}",
        }
    print("".join(traceback.format_exception(err)), file=sys.stderr)
    return {"kind": "batch", "error": type(err).__name__, "message": redact(str(err))[:4000]}


def _ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text or "")


def _publish(staging: Path, final: Path, name: str) -> None:
    """Move a finished report into place: tables first, then the notebook and the HTML
    (one rename each), then the key that says it is up to date."""
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
    key = final / WORK / f"{name}.key"
    key.unlink(missing_ok=True)
    os.replace(staging / f"{name}.ipynb", final / f"{name}.ipynb")
    os.replace(staging / f"{name}.html", final / f"{name}.html")
    if (staging / f"{name}.key").exists():
        key.parent.mkdir(exist_ok=True)
        os.replace(staging / f"{name}.key", key)


# --- owning the output folder ------------------------------------------------------------


class RunLock:
    """An exclusive lock on an output folder for one batch (released when the batch
    ends, however it ends: the operating system drops it with the process)."""

    def __init__(self, out_dir: Path, run_id: str):
        self.path = out_dir / WORK / "lock"
        self.run_id = run_id
        self._fd: int | None = None

    def acquire(self, wait: bool = False) -> None:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = os.read(fd, 4096).decode(errors="replace").strip()
            os.close(fd)
            who = json.loads(holder) if holder.startswith("{") else {}
            raise BatchError(
                f"{self.path.parents[1]} is in use by another batch (process "
                f"{who.get('pid', '?')}, started {who.get('started', '?')}): wait for it to "
                "finish (or run with --wait), or choose another --out"
            ) from None
        os.ftruncate(fd, 0)
        os.write(
            fd,
            json.dumps(
                {
                    "pid": os.getpid(),
                    "run_id": self.run_id,
                    "started": datetime.now().isoformat(timespec="seconds"),
                }
            ).encode(),
        )
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock
            self._fd = None


class Stopped(BaseException):
    """The batch was asked to stop (SIGTERM or SIGINT)."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_stop(signum, _frame):
    raise Stopped(signum)


# --- the batch --------------------------------------------------------------------------------


@dataclass
class Summary:
    started: str
    finished: str = ""
    seconds: float = 0.0
    run_id: str = ""
    status: str = "running"  # "complete" or "interrupted"
    data: dict = field(default_factory=dict)
    code_version: str = ""
    code_hash: str = ""
    packages: dict = field(default_factory=dict)
    parameters: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    audit: dict = field(default_factory=dict)
    reports: list[dict] = field(default_factory=list)

    @property
    def failed(self) -> list[dict]:
        return [r for r in self.reports if r["status"] not in ("ok", "skipped")]


def _entry(r: Result) -> dict:
    return {
        **asdict(r.job),
        "status": r.status,
        "seconds": round(r.seconds, 2),
        "html": r.html,
        "error": r.error,
        "timing": r.timing,
        "warnings": r.warnings,
    }


def run(
    jobs: list[Job],
    data: store.Store,
    out_dir: Path,
    *,
    workers: int = 2,
    options: dict | None = None,
    progress: bool = True,
    force: bool = True,
    scheduler: str | None = None,
    wait: bool = False,
    previous: list[dict] | None = None,
    audit: bool = True,
    notes: list[str] | None = None,
) -> Summary:
    """Render the jobs, in parallel, carrying on past failures; skip those up to date
    (unless force); stop cleanly on SIGTERM/SIGINT (Stopped is raised after the summary
    is written). `previous` are the reports of the summary a retry builds on."""
    from hscp import report

    options = dict(options or {})
    run_id = f"{datetime.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    options["run_id"] = run_id
    out_dir = Path(out_dir)
    _writable(out_dir)
    lock = RunLock(out_dir, run_id)
    lock.acquire(wait=wait)
    try:
        shutil.rmtree(out_dir / STAGING, ignore_errors=True)  # left by a batch that was killed
        os.environ["HSCP_CODE_VERSION"] = report.code_version()  # one version for every report
        summary = _new_summary(data, options, run_id, notes or [])
        os.environ["HSCP_CODE_HASH"] = summary.code_hash  # for the footer, beside the commit
        keys = {
            job_id(j): report_key(j, _key_params(options), data.path.name, summary.code_hash)
            for j in jobs
        }
        todo = [j for j in jobs if force or not up_to_date(out_dir, j, keys[job_id(j)])]
        skipped = [Result(j, "skipped", 0.0, html=j.html.as_posix()) for j in jobs if j not in todo]
        code = {"HSCP_CODE_VERSION": summary.code_version, "HSCP_CODE_HASH": summary.code_hash}
        tasks = [(j, {**options, "key": keys[job_id(j)], "environment": code}) for j in todo]
        results, stop = _render_all(tasks, data, out_dir, workers, progress, scheduler)
        done = {r.job for r in results}
        results += skipped + [Result(j, "interrupted", 0.0) for j in todo if j not in done]
        _finish(summary, jobs, results, previous, stop)
        if audit and stop is None:
            summary.audit = _audit(out_dir, data, options, [r.job for r in results])
        write_summary(summary, out_dir)
        write_index(summary, out_dir)
    finally:
        shutil.rmtree(out_dir / STAGING / run_id, ignore_errors=True)
        lock.release()
    if stop is not None:
        raise stop
    return summary


def _key_params(options: dict) -> dict:
    params = {k: options.get(k) for k in ("period_start", "period_end", "threshold", "period_text")}
    if options.get("open_data_dir"):  # a report made with other open data is out of date
        params["open_data_dir"] = options["open_data_dir"]
    return params


def _writable(out_dir: Path) -> None:
    try:
        (out_dir / WORK).mkdir(parents=True, exist_ok=True)
        probe = out_dir / WORK / f".probe-{os.getpid()}"
        probe.write_text("ok")
        probe.unlink()
    except OSError as err:
        raise BatchError(f"cannot write to the output folder {out_dir}: {err.strerror}") from None


def _new_summary(data: store.Store, options: dict, run_id: str, notes: list[str]) -> Summary:
    src = data.manifest.get("source", {})
    return Summary(
        started=datetime.now().isoformat(timespec="seconds"),
        run_id=run_id,
        code_version=os.environ["HSCP_CODE_VERSION"],
        code_hash=code_hash(),
        packages=package_versions(),
        data={
            "name": src.get("name"),
            "source": src.get("source"),
            "scale": src.get("scale"),
            "seed": src.get("seed"),
            "extract_date": str(src.get("extract_date") or ""),
            "period": data.manifest.get("period"),
            "store": data.path.name,
            "inputs": data_inputs(data),
            "problems": {t: redact(p) for t, p in data.problems.items()},
        },
        parameters={k: v for k, v in options.items() if k not in ("key", "run_id", "environment")},
        notes=notes,
    )


def _finish(summary: Summary, jobs: list[Job], results: list[Result], previous, stop) -> None:
    order = {job: i for i, job in enumerate(jobs)}
    results.sort(key=lambda r: order[r.job])
    entries = [_entry(r) for r in results]
    if previous:
        fresh = {(e["partnership"], e["locality"], e["notebook"]) for e in entries}
        entries = [
            e for e in previous if (e["partnership"], e["locality"], e["notebook"]) not in fresh
        ] + entries
    summary.reports = entries
    summary.status = "interrupted" if stop is not None else "complete"
    if stop is not None:
        summary.notes.append(
            f"Stopped by {stop}: reports not finished are marked interrupted; "
            "earlier versions of them are untouched."
        )
    summary.finished = datetime.now().isoformat(timespec="seconds")
    summary.seconds = round(
        (
            datetime.fromisoformat(summary.finished) - datetime.fromisoformat(summary.started)
        ).total_seconds(),
        1,
    )


def _audit(out_dir: Path, data: store.Store, options: dict, jobs: list[Job]) -> dict:
    """The independent audit of this run's reports and the index (hscp.audit)."""
    from hscp import audit

    try:
        ids = audit.load_identifiers(data.path)
        findings = audit.audit(
            out_dir,
            threshold=int(options.get("threshold") or audit.DEFAULT_THRESHOLD),
            identifiers=ids,
            reports={f"{j.folder.as_posix()}/{j.name}" for j in jobs},
        )
    except Exception as err:  # noqa: BLE001 - an audit that cannot run is a failed audit
        return {"passed": False, "error": f"{type(err).__name__}: {redact(str(err))}"}
    return audit.verdict(findings)


def _render_all(tasks, data, out_dir, workers, progress, scheduler):
    """Render (job, options) tasks; returns (results, the Stopped that ended the run early,
    or None)."""
    from tqdm import tqdm

    results: list[Result] = []
    bar = tqdm(
        total=len(tasks), desc="Reports", unit="report", disable=not progress, file=sys.stderr
    )
    handlers = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    stop = None
    try:
        for s in handlers:
            signal.signal(s, _raise_stop)
        if not tasks:
            pass
        elif scheduler:
            _run_dask(tasks, data, out_dir, scheduler, results, bar)
        elif workers <= 1 or len(tasks) == 1:
            _run_here(tasks, data, out_dir, results, bar)
        else:
            _run_pool(tasks, data, out_dir, workers, results, bar)
    except Stopped as err:
        stop = err
    finally:
        for s, h in handlers.items():
            signal.signal(s, h)
        bar.close()
    return results, stop


def _run_here(tasks, data, out_dir, results, bar) -> None:
    from hscp import _kernels

    _kernels.pool().prestart(str((notebooks_dir() / f"{tasks[0][0].notebook}.ipynb").parent))
    _warm_exporter()  # while the first kernel boots
    try:
        for job, options in tasks:
            results.append(render(job, str(data.path), str(out_dir), options))
            _tick(bar, results[-1])
    finally:
        _kernels.close_pool()


def _init_worker(parent_pid: int, cwd: str) -> None:
    """A worker: dies with the batch, has a kernel booting, and its HTML exporter built
    and warmed (the first export loads templates: half a second, once per worker)."""
    from hscp import _kernels

    _kernels.init_worker(parent_pid, cwd)
    _warm_exporter()


def _warm_exporter() -> None:
    import nbformat

    with contextlib.suppress(Exception):
        export_html(nbformat.v4.new_notebook(), {"css": "", "synthetic": False})


def _run_pool(tasks, data, out_dir, workers, results, bar) -> None:
    ctx = multiprocessing.get_context("spawn")
    first = str((notebooks_dir() / f"{tasks[0][0].notebook}.ipynb").parent)
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(tasks)),
        mp_context=ctx,
        initializer=_init_worker,
        initargs=(os.getpid(), first),
    )
    futures = {
        pool.submit(render, job, str(data.path), str(out_dir), options): job
        for job, options in tasks
    }
    try:
        for future in as_completed(futures):
            try:
                results.append(future.result())
            except BrokenProcessPool:
                results.append(
                    Result(
                        futures[future],
                        "failed",
                        0.0,
                        error={
                            "kind": "batch",
                            "error": "WorkerDied",
                            "message": "the worker process died (out of memory, or killed)",
                        },
                    )
                )
            _tick(bar, results[-1])
    except Stopped:
        _stop_pool(pool)
        raise
    pool.shutdown(wait=True)


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now: each shuts its kernels down on SIGTERM."""
    processes = list((pool._processes or {}).values())  # noqa: SLF001 - no public handle
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        if p.is_alive():
            p.terminate()
    for p in processes:
        p.join(timeout=15)
        if p.is_alive():
            p.kill()


def _run_dask(tasks, data, out_dir, address, results, bar) -> None:
    """One task per report on an existing Dask distributed cluster; the workers must see
    the prepared data and the output folder at the same paths (a shared file system)."""
    try:
        from dask.distributed import Client
        from dask.distributed import as_completed as dask_completed
    except ImportError as err:
        raise BatchError("--scheduler needs dask.distributed: pip install -e '.[cluster]'") from err
    with Client(address, timeout="30s") as client:
        futures = {
            client.submit(
                render,
                job,
                str(data.path),
                str(out_dir),
                options,
                pure=False,
                key=f"hscp-{options['run_id']}-{i}",
            ): job
            for i, (job, options) in enumerate(tasks)
        }
        try:
            for future in dask_completed(list(futures)):
                try:
                    results.append(future.result())
                except Exception as err:  # noqa: BLE001 - a lost worker fails its report
                    results.append(
                        Result(
                            futures[future],
                            "failed",
                            0.0,
                            error={
                                "kind": "batch",
                                "error": type(err).__name__,
                                "message": redact(str(err)),
                            },
                        )
                    )
                _tick(bar, results[-1])
        except Stopped:
            client.cancel(list(futures), force=True)
            raise


def _tick(bar, result: Result) -> None:
    bar.update(1)
    if result.status == "failed":
        message = (result.error or {}).get("message") or ""
        bar.write(
            f"FAILED {result.job.label()}: {(result.error or {}).get('error')}: "
            f"{message.splitlines()[0][:160] if message else ''}"
        )


def write_summary(summary: Summary, out_dir: Path) -> Path:
    """run-summary.json (and a copy kept in .hscp/runs, so no run's summary is lost)."""
    path = out_dir / "run-summary.json"
    payload = asdict(summary) | {
        "ok": sum(r["status"] in ("ok", "skipped") for r in summary.reports),
        "rendered": sum(r["status"] == "ok" for r in summary.reports),
        "skipped": sum(r["status"] == "skipped" for r in summary.reports),
        "failed": len(summary.failed),
    }
    text = json.dumps(payload, indent=2, default=str)
    history = out_dir / WORK / "runs"
    history.mkdir(parents=True, exist_ok=True)
    (history / f"{summary.run_id or 'run'}.json").write_text(text)
    tmp = path.with_suffix(f".json.tmp-{os.getpid()}")
    tmp.write_text(text)
    os.replace(tmp, path)
    return path


def read_summary(out_dir: Path) -> dict | None:
    path = Path(out_dir) / "run-summary.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())


def retry_jobs(summary: dict) -> list[Job]:
    """The reports that did not render in a run (failed or interrupted), to run again."""
    jobs = []
    for r in summary.get("reports", []):
        if r["status"] in ("ok", "skipped"):
            continue
        p = geography.partnership(r["partnership"])
        loc = p.locality(r["locality"]) if r.get("locality") else None
        jobs += [
            j
            for j in plan([p.code], [loc] if loc else ["none"], [r["notebook"]])
            if j.locality == loc
        ]
    return jobs


# --- the index page -------------------------------------------------------------------------


def write_index(summary: Summary, out_dir: Path) -> Path:
    """outputs/index.html: every report on disk, grouped by partnership, with this run's
    failures and the verdict of the disclosure audit."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    this_run = {r["html"]: r for r in summary.reports if r["html"]}
    names = {p.slug: p.name for p in geography.partnerships()}
    groups: dict[str, list[dict]] = {}
    for rel in sorted(p.relative_to(out_dir) for p in out_dir.glob("*/*/*.html")):
        slug, area = rel.parts[0], rel.parts[1]
        r = this_run.get(rel.as_posix())
        groups.setdefault(slug, []).append(
            {
                "area": "Whole partnership"
                if area == WHOLE_PARTNERSHIP
                else _area_name(slug, area),
                "whole": area == WHOLE_PARTNERSHIP,
                "href": rel.as_posix(),
                "title": rel.stem.replace("_", " ").capitalize(),
                "when": {"ok": "this run", "skipped": "up to date"}.get(r["status"], "earlier run")
                if r
                else "earlier run",
            }
        )
    sections = [
        {
            "name": names.get(slug, slug),
            "rows": sorted(rows, key=lambda x: (not x["whole"], x["area"], x["title"])),
        }
        for slug, rows in sorted(groups.items())
    ]
    env = Environment(loader=FileSystemLoader(TEMPLATES / "hscp"), autoescape=select_autoescape())
    page = env.get_template("batch_index.html.j2").render(
        css=_report_css(),
        summary=summary,
        rendered=sum(r["status"] == "ok" for r in summary.reports),
        skipped=sum(r["status"] == "skipped" for r in summary.reports),
        failed=summary.failed,
        sections=sections,
        audit=summary.audit,
    )
    path = out_dir / "index.html"
    tmp = path.with_suffix(f".html.tmp-{os.getpid()}")
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
    except (UnknownNameError, ValueError, UnsafePathError) as err:
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
    }
    if open_data_dir:
        options["open_data_dir"] = open_data_dir
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
