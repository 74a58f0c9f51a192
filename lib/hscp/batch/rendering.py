"""Rendering one report (in a worker process): execute the notebook in a warm kernel,
export self-contained HTML, check it is publishable and move it into place."""

from __future__ import annotations

import errno
import html
import json
import os
import re
import shutil
import sys
import time
import traceback
import uuid
from datetime import UTC, datetime
from pathlib import Path

from hscp import config, store
from hscp.batch._common import STAGING, TEMPLATES, WORK, UnsafePathError, notebooks_dir
from hscp.batch.jobs import Job, Result, confined, notebook_tables, notebook_title
from hscp.batch.provenance import redact
from hscp.errors import HscpError

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
    return add_table_of_contents(add_glossary(keep_headings_with_content(one_title(body))))


_CELL_START = re.compile(r'<div (?:id="[^"]*" )?class="jp-Cell ')


def keep_headings_with_content(page: str) -> str:
    """Wrap a markdown cell that has a heading together with the next figure or table
    (the following cells up to it) in <div class="hscp-keep">, which prints on one page,
    so a printed heading is never left at the foot of a page away from its chart.
    Cells are siblings in the page, each from its own start to the next one's."""
    starts = [m.start() for m in _CELL_START.finditer(page)]
    if len(starts) < 3:
        return page
    cells = [page[a:b] for a, b in zip(starts, starts[1:], strict=False)]
    wrapped, i = [], 0
    while i < len(cells):
        cell = cells[i]
        heading = "jp-MarkdownCell" in cell[:200] and re.search(r"<h[234][ >]", cell)
        nxt = i + 1
        while nxt < len(cells) and "jp-mod-noOutputs" in cells[nxt][:300]:
            nxt += 1  # cells that show nothing (the explorer in a report) do not count
        if (
            heading
            and nxt < len(cells)
            and re.search(r'class="hscp-(?:table-)?figure"', cells[nxt])
        ):
            wrapped.append('<div class="hscp-keep">' + "".join(cells[i : nxt + 1]) + "</div>")
            i = nxt + 1
        else:
            wrapped.append(cell)
            i += 1
    return page[: starts[0]] + "".join(wrapped) + page[starts[-1] :]


_MARKDOWN_H1 = re.compile(r"<h1(?![^>]*hscp-banner-title)[^>]*>.*?</h1>\s*", re.S)


def one_title(page: str) -> str:
    """The page's one level-1 heading is the banner's title: the notebook's own
    '# Title' (which the banner repeats) is left out of the page."""
    return _MARKDOWN_H1.sub("", page)


#: Where a glossary term is not linked: links, headings, captions, table headers, code.
_NO_LINK = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "th", "script", "style",
            "nav", "code", "pre", "title", "button", "select", "option", "label"}  # fmt: skip
_TAG = re.compile(r"(<[^>]+>)")
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z0-9]+)")


def add_glossary(page: str) -> str:
    """The glossary (hscp.glossary) at the end of the report, before the footer: the terms
    the report uses, each linked where it first appears in the text."""
    from hscp import glossary

    start, footer = page.find("<main"), page.find('<footer class="hscp-footer"')
    if start < 0 or footer < 0:
        return page
    parts = _TAG.split(page[start:footer])
    waiting = {t.term: (t, t.regex()) for t in glossary.TERMS}
    used: list = []
    depth = 0
    for i, part in enumerate(parts):
        if part.startswith("<"):
            tag = _TAG_NAME.match(part)
            if tag and tag.group(2).lower() in _NO_LINK and not part.endswith("/>"):
                depth += -1 if tag.group(1) else 1
            continue
        if depth > 0 or not part.strip() or not waiting:
            continue
        found = []
        for name, (term, regex) in list(waiting.items()):
            m = regex.search(part)
            if m and not any(m.start() < b and a < m.end() for a, b, _ in found):
                found.append((m.start(), m.end(), term))
                used.append(term)
                del waiting[name]
        for a, b, term in sorted(found, key=lambda f: f[0], reverse=True):
            part = f'{part[:a]}<a class="hscp-term" href="#{term.anchor}">{part[a:b]}</a>{part[b:]}'
        parts[i] = part
    if not used:
        return page
    terms = [
        f'<p class="hscp-glossary-term" id="{t.anchor}"><strong>{html.escape(t.term)}</strong>: '
        f"{html.escape(t.meaning)}</p>"
        for t in sorted(used, key=lambda t: t.term.lower())
    ]
    # The heading prints on the same page as the first terms (kept together as one block).
    section = (
        '<section class="hscp-glossary"><div class="hscp-keep"><h2 id="glossary">Glossary</h2>'
        f"{''.join(terms[:2])}</div>{''.join(terms[2:])}</section>"
    )
    return page[:start] + "".join(parts) + section + page[footer:]


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

    from hscp import _kernels

    source = notebooks_dir() / f"{job.notebook}.ipynb"
    nb = nbformat.read(source, as_version=4)
    injected = inject_parameters(nb, parameters)
    pool = kernels or _kernels.pool()
    waited = time.perf_counter()
    running = {"index": None}
    for attempt in range(KERNEL_ATTEMPTS):
        km = pool.take(str(source.parent))
        client = _kernels.notebook_client_class()(
            nb,
            km=km,
            timeout=timeout,
            startup_timeout=KERNEL_STARTUP_SECONDS,
            kernel_name=_kernels.KERNEL,
            record_timing=True,
            resources={"metadata": {"path": str(source.parent)}},
            on_cell_start=lambda cell, cell_index: running.update(index=cell_index),
        )
        try:
            nb, injected, ready = _run(client, nb, injected, running, timeout, waited, pool, km)
        except KernelStartError:
            # A kernel that never answered (two kernels starting at once can take the same
            # port): nothing ran, so a fresh kernel runs the report from the start.
            if attempt + 1 == KERNEL_ATTEMPTS:
                raise
            continue
        return nb, injected, ready
    raise AssertionError("unreachable")


#: How long a kernel may take to answer once started, and how many kernels a report tries.
KERNEL_STARTUP_SECONDS = 60
KERNEL_ATTEMPTS = 2


class KernelStartError(RuntimeError):
    """The kernel did not answer before any cell ran."""


def _run(client, nb, injected, running, timeout, waited, pool, km) -> tuple:
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

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
    except RuntimeError as err:
        if running["index"] is None and "kernel" in str(err):
            raise KernelStartError(str(err)) from err
        raise
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
        if options.get("audience", "analyst") != "analyst":
            parameters["audience"] = options["audience"]
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
        write_formats(staging, job.name, page, options.get("formats") or ("html",))
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


def write_formats(folder: Path, name: str, page: str, formats) -> None:
    """The Word and PDF versions of a report, beside its HTML in `folder`."""
    from hscp.batch import formats as made

    if "docx" in formats:
        made.to_docx(page, folder / f"{name}.docx")
    if "pdf" in formats:
        made.to_pdf(folder / f"{name}.html", folder / f"{name}.pdf")


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
    for other in ("docx", "pdf"):
        if (staging / f"{name}.{other}").exists():
            os.replace(staging / f"{name}.{other}", final / f"{name}.{other}")
    if (staging / f"{name}.key").exists():
        key.parent.mkdir(exist_ok=True)
        os.replace(staging / f"{name}.key", key)
