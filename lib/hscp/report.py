"""What a notebook calls to publish: start(), key messages, table(), figure(), footer().

Every published table and chart goes through `table` or `figure`, which
apply disclosure control (hscp.disclosure) before anything is shown, number
and caption the item, give a chart its alt text, and write the data behind it
as CSV beside the HTML report. Record-level data never reach the report.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
import re
import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from numbers import Integral, Real
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd

import hscp
from hscp import charts, config, disclosure, geography, store, text
from hscp.geography import Partnership

SUPPRESSED = "c"  # the PHS open data marker for a value suppressed for confidentiality


@dataclass
class Report:
    """One rendered report: a partnership (or one of its localities), a period, its data."""

    title: str
    notebook: str
    partnership: Partnership
    locality: str | None
    data: store.Slice
    start: pd.Timestamp
    end: pd.Timestamp
    threshold: int
    output_dir: Path | None
    parameters: dict = field(default_factory=dict)
    #: The first month whose hospital records are incomplete (None: none in the period).
    provisional_from: pd.Timestamp | None = None
    #: "analyst" (the full report) or "lead" (key messages and charts; tables that repeat
    #: a chart go to the data downloads)
    audience: str = "analyst"
    figures: int = 0
    tables: int = 0

    @property
    def area(self) -> str:
        """The area reported on, as a reader would name it."""
        return self.locality or self.partnership.name

    @property
    def area_long(self) -> str:
        if self.locality:
            return f"{self.locality} locality ({self.partnership.name} HSCP)"
        return f"{self.partnership.name} HSCP"

    @property
    def period_text(self) -> str:
        return f"{self.start:%B %Y} to {self.end:%B %Y}"

    @property
    def complete_end(self) -> pd.Timestamp:
        """The last day before the provisional months (the period's end when none): what a
        projection's base year or a judgement on hospital records may use."""
        if self.provisional_from is None:
            return self.end
        return self.provisional_from - pd.Timedelta(days=1)

    @property
    def source_text(self) -> str:
        """The source line inside each chart image: the data, the area and the period."""
        if self.data is None:  # a report without data (a test's): the area alone
            return f"Source: HSCP evidence workbooks. {self.area_long}, {self.period_text}."
        src = self.data.store.provenance()["source"]
        if src.get("source") == "synthetic":
            data = "synthetic data (not real patients)"
        else:
            data = str(src.get("name") or "the partnership's extracts")
            if src.get("extract_date"):
                data += f", extract of {src['extract_date']}"
        return f"Source: {data}. {self.area_long}, {self.period_text}. HSCP evidence workbooks."

    @property
    def months(self) -> pd.DatetimeIndex:
        return pd.date_range(self.start, self.end, freq="MS")

    def in_area(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Rows of a partnership's frame that belong to the reported area."""
        if self.locality is None:
            return frame
        return frame[frame["locality"] == self.locality]

    def data_dir(self, kind: str = "tables") -> Path | None:
        if self.output_dir is None:
            return None
        folder = self.output_dir / kind / self.notebook
        folder.mkdir(parents=True, exist_ok=True)
        return folder


_current: Report | None = None


@dataclass(frozen=True)
class Published:
    """What report.table or report.figure published: its number, title and the
    disclosure-controlled data as shown (so a sentence can quote the same numbers)."""

    kind: str
    number: int
    title: str
    protected: disclosure.Protected

    @property
    def data(self) -> pd.DataFrame:
        return self.protected.data

    def _ipython_display_(self) -> None:
        """Already displayed by table()/figure(): show nothing more as a cell's result."""


#: Who a rendered report is for: the analyst's full report, or a lead's shorter one.
AUDIENCES = ("analyst", "lead")


def current() -> Report:
    if _current is None:
        raise RuntimeError("Call hscp.report.start(...) in the notebook's second cell first")
    return _current


def start(
    *,
    title: str,
    notebook: str,
    partnership: str,
    locality: str | None = None,
    data_dir: str | None = None,
    period_start: str | None = None,
    period_end: str | None = None,
    output_dir: str | None = None,
    disclosure_threshold: int | None = None,
    audience: str = "analyst",
    **parameters,
) -> Report:
    """Check the notebook's parameters, open its partnership's data and set the look.

    An unknown partnership or locality raises an error listing the valid names.
    """
    global _current
    if audience not in AUDIENCES:
        raise ValueError(f"audience={audience!r}: expected one of {', '.join(AUDIENCES)}")
    p, loc = config.resolve_area(partnership, locality)
    defaults = config.load_defaults()
    # In JupyterLab, a first run says what it is doing (generating, preparing) as it goes.
    log = print if in_jupyter_server() else (lambda *_: None)
    data = store.open_data(data_dir, log=log).partnership(p.code)
    check_tables(data.store, notebook, title)
    data_start, data_end = data.store.period
    period_notes: list[str] = []
    first, last = config.resolve_period(
        period_start, period_end, data_start, data_end, notes=period_notes
    )
    threshold = int(disclosure_threshold or defaults.disclosure_threshold)
    provisional = data.store.provisional_from(defaults.provisional_months)
    charts.set_style()
    pd.set_option("display.max_columns", 30)
    _current = Report(
        title=title,
        notebook=notebook,
        partnership=p,
        locality=loc,
        data=data,
        start=first,
        end=last,
        threshold=threshold,
        output_dir=Path(output_dir) if output_dir else None,
        parameters={
            "partnership": p.name,
            "locality": loc or "(whole partnership)",
            "period": f"{first:%b %Y} to {last:%b %Y}",
            "disclosure threshold": threshold,
            **{k: _shown(k, v) for k, v in parameters.items()},
        },
        provisional_from=provisional if provisional <= last else None,
        audience=audience,
    )
    if audience != "analyst":
        _current.parameters["audience"] = audience
    for sentence in period_notes:
        note(sentence)
    if _current.provisional_from is not None:
        note(provisional_note(_current.provisional_from, last), kind="provisional")
    return _current


def in_jupyter_server() -> bool:
    """True in a kernel started by a Jupyter server (JupyterLab), where widgets work;
    False when papermill or nbclient runs the notebook for a rendered report."""
    return bool(os.environ.get("JPY_SESSION_NAME"))


def exploring(explore: bool | None) -> bool:
    """A notebook's `explore` parameter: True shows its explorer, False never, None (the
    default) only when the notebook is open in JupyterLab."""
    return in_jupyter_server() if explore is None else bool(explore)


def explorer(explore: bool | None, series: Callable[..., object], *args) -> None:
    """Show the notebook's explorer when `explore` says so (`series(*args)`, the table
    behind it, is only computed then). Never in a report the batch renders, whatever
    `explore` says: its values are not disclosure-controlled (it is for the analyst),
    and a rendered report has the static charts."""
    if not exploring(explore) or (_current is not None and _current.output_dir is not None):
        return
    from IPython.display import display

    from hscp import widgets

    display(widgets.explorer(series(*args)))


def check_tables(data: store.Store, notebook: str, title: str) -> None:
    """Before any work: the notebook's extracts are all there and passed the contract,
    else one DataError that names every one missing and why."""
    from hscp import paths

    needed = paths.notebook_tables(notebook)
    try:
        data.check(needed)
    except store.DataError as err:
        raise store.DataError(
            f"The {title} report needs these extracts: {', '.join(needed)}.\n{err}\n"
            "File names and columns: docs/data-contract.md; which report needs which: "
            "docs/analysts/own-data.md."
        ) from None


def provisional_note(first: pd.Timestamp, last: pd.Timestamp) -> str:
    """The sentence every report with provisional months carries under its title."""
    months = f"{first:%B %Y}" if first == last else f"{first:%B %Y} to {last:%B %Y}"
    return (
        f"Provisional: {months}. Hospital records arrive when a person is discharged, so "
        "stays still going on are missing from these months; their admissions, bed days and "
        "lengths of stay will rise as records arrive. Charts mark them and control chart "
        "limits and judgements leave them out."
    )


def _shown(name: str, value):
    """A parameter as the footer shows it: a folder or file by its name only (a path of
    the machine that made the report is not for its readers)."""
    if name.endswith(("_dir", "_file")) and isinstance(value, str | Path) and str(value):
        return Path(value).name
    return value


# --- numbers in sentences (hscp.text, with this report's disclosure threshold) ----------


def _threshold() -> int:
    return _current.threshold if _current else disclosure.DEFAULT_THRESHOLD


def fmt_count(n: float | int | None) -> str:
    """A count for a sentence: 1234 -> '1,234'. A count from 1 to threshold - 1 (or a
    suppressed, missing value) reads 'fewer than 10', so a sentence discloses no more
    than a table would."""
    return text.count(n, threshold=_threshold())


def fmt_share(part: float | None, whole: float | None, digits: int = 1) -> str:
    """part / whole as a percentage, unless the part is a small count."""
    return text.share(part, whole, threshold=_threshold(), digits=digits)


def fmt_number(x: float | None, digits: int = 1) -> str:
    return text.number(x, digits)


def fmt_pct(x: float | None, digits: int = 1) -> str:
    """0.1234 -> '12.3%'."""
    return text.percent(x, digits)


def fmt_change(x: float | None, digits: int = 1) -> str:
    """Relative change as words: -0.12 -> 'fell by 12.0%'."""
    return text.change(x, digits)


def fmt_month(ts: pd.Timestamp) -> str:
    return text.month(ts)


# --- displaying -----------------------------------------------------------------------------


def _display_html(markup: str) -> None:
    from IPython.display import HTML, display

    display(HTML(markup))


def _slug(text: str) -> str:
    return geography.slugify(text)[:60] or "item"


def key_messages(messages: Iterable[str], heading: str = "Key messages") -> None:
    """The report's key messages, first: sentences built from computed numbers."""
    items = "".join(f"<li>{html.escape(m)}</li>" for m in messages)
    _display_html(
        f'<section class="hscp-key-messages"><h2 id="{_slug(heading)}">{html.escape(heading)}</h2>'
        f"<ul>{items}</ul></section>"
    )


def note(text: str, kind: str | None = None) -> None:
    """A short explanatory paragraph (for text built from numbers; plain text goes in markdown).
    `kind` adds a class (hscp-note-KIND), e.g. "provisional"."""
    extra = f" hscp-note-{kind}" if kind else ""
    _display_html(f'<p class="hscp-note{extra}">{html.escape(text)}</p>')


def analyst_note(text: str) -> None:
    """A note for the analyst running the notebook (which parameter or file to set):
    shown in JupyterLab only, never in a report a partnership lead reads."""
    if in_jupyter_server():
        _display_html(
            f'<p class="hscp-note"><strong>For the analyst:</strong> {html.escape(text)}</p>'
        )


def compact_print() -> None:
    """Print this report compactly (smaller type, a small footer): for the overview, which
    must fit on two A4 pages."""
    _display_html('<div class="hscp-compact" hidden></div>')


def links(items: Iterable[tuple[str, str, str]]) -> None:
    """A list of links with a sentence each: (title, href, what it answers)."""
    rows = "".join(
        f'<li><a href="{html.escape(href)}">{html.escape(title)}</a>'
        f'<span class="hscp-answers">: {html.escape(answers)}</span></li>'
        for title, href, answers in items
    )
    _display_html(f'<ul class="hscp-links">{rows}</ul>')


def protect(
    data: pd.DataFrame,
    *,
    counts: Sequence[str],
    dims: Sequence[str] | None = None,
    across: bool = False,
    derived: Mapping[str, Sequence[str]] | None = None,
    safe: Sequence[str] = (),
    what: str = "table",
) -> disclosure.Protected:
    """The disclosure control table() and figure() apply, without publishing: for a
    sentence that must quote a table exactly as it will be (or was) published.

    Every numeric column must be declared: a count (`counts`), derived from counts
    (`derived`) or `safe` (not a count of people); an undeclared one is an error."""
    rpt = current()
    kinds = disclosure.column_kinds(data, list(counts), derived, list(safe), what=what)
    if not counts:
        # A table of no counts of people or events (assumptions, parameters, rates
        # from published sources): nothing to suppress, but the author said so.
        if derived:
            raise ValueError("derived columns need the counts they come from")
        frame = data.reset_index(drop=True)
        return disclosure.Protected(frame, pd.DataFrame(index=frame.index), 0, 0, kinds)
    protected = disclosure.protect(
        data.reset_index(drop=True),
        list(counts),
        threshold=rpt.threshold,
        dims=list(dims) if dims else None,
        across=across,
        derived={k: list(v) for k, v in (derived or {}).items()},
    )
    protected.kinds.update(kinds)
    return protected


def _write_csv(protected: disclosure.Protected, kind: str, number: int, title: str) -> str:
    """The data behind an item, as published (suppressed cells marked 'c'): a download
    link that carries the CSV inside the page (so it still works when only the HTML
    is emailed), and the same file beside the HTML when the batch renders the report."""
    rpt = current()
    name = f"{kind}-{number:02d}-{_slug(title)}.csv"
    out = protected.data.copy()
    for col in protected.suppressed.columns:
        mask = protected.suppressed[col]
        if mask.any():
            out[col] = out[col].astype(object).where(~mask, SUPPRESSED)
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    csv = out.to_csv(index=False).encode("utf-8")
    folder = rpt.data_dir("tables")
    if folder is not None:
        (folder / name).write_bytes(csv)
        # what each column is, for the independent audit (docs/disclosure-audit.md)
        kinds = {str(c): protected.kinds.get(c, "label") for c in out.columns}
        (folder / name.replace(".csv", ".columns.json")).write_text(json.dumps(kinds, indent=1))
    href = "data:text/csv;charset=utf-8;base64," + base64.b64encode(csv).decode("ascii")
    return (
        f' <a class="hscp-download" href="{href}" download="{html.escape(name)}">'
        "Download the data (CSV)</a>"
    )


def _format_cell(value, column: str, formats: Mapping[str, str]) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return f"{value:%b %Y}" if value.day == 1 else f"{value:%d %b %Y}"
    if column in formats:
        if formats[column] == text.POUNDS:
            return text.pounds(value)
        if formats[column] == text.THOUSANDS:
            return text.pounds_thousands(value)
        return formats[column].format(value)
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, Integral):
        return f"{value:,}"
    if isinstance(value, Real):
        return f"{value:,.1f}"
    return str(value)


def _html_table(
    protected: disclosure.Protected, formats: Mapping[str, str], labels: Mapping[str, str]
) -> str:
    data, mask = protected.data, protected.suppressed
    numeric = {c for c in data.columns if pd.api.types.is_numeric_dtype(data[c])}
    head = "".join(
        f'<th scope="col" class="{"num" if c in numeric else ""}" '
        f'data-hscp-kind="{protected.kinds.get(c, "label")}">'
        f"{html.escape(labels.get(c, _label(c)))}</th>"
        for c in data.columns
    )
    rows = []
    for i in range(len(data)):
        cells = []
        for c in data.columns:
            hidden = c in mask.columns and bool(mask[c].iat[i])
            text = SUPPRESSED if hidden else html.escape(_format_cell(data[c].iat[i], c, formats))
            cls = "num" if c in numeric else ""
            if hidden:
                cls += " suppressed"
            cells.append(f'<td class="{cls.strip()}">{text}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="hscp-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _label(column: str) -> str:
    text = column.replace("_", " ")
    return text[:1].upper() + text[1:]


def _suppression_note(protected: disclosure.Protected) -> str:
    if not protected.suppressed.to_numpy().any():
        return ""
    return (
        f"{SUPPRESSED}: not shown to protect confidentiality (a count from 1 to "
        f"{current().threshold - 1}, or a value from which one could be worked out)."
    )


def table(
    data: pd.DataFrame,
    *,
    title: str,
    counts: Sequence[str],
    dims: Sequence[str] | None = None,
    across: bool = False,
    derived: Mapping[str, Sequence[str]] | None = None,
    formats: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    note: str | None = None,
    max_rows: int = 60,
    safe: Sequence[str] = (),
    lead: bool = False,
) -> Published:
    """Publish a table: disclosure control, numbering, caption, CSV of the data.

    In a report for a lead (audience "lead") a table is shown only when `lead` says it
    carries a message no chart does; the others are named, with their CSV, in one line.

    `counts` (required) are the columns of counts of people or events (suppressed
    when small); `counts=[]` says the table holds none (e.g. assumptions). `derived`
    maps rates or percentages to the counts they come from.
    Returns what was published (`.data` is the protected table), so a sentence can
    quote the same numbers.
    """
    rpt = current()
    protected = protect(
        data, counts=counts, dims=dims, across=across, derived=derived, safe=safe,
        what=f"table {title!r}",
    )  # fmt: skip
    rpt.tables += 1
    download = _write_csv(protected, "table", rpt.tables, title)
    if rpt.audience == "lead" and not lead:
        _display_html(
            f'<p class="hscp-source hscp-table-in-data" id="table-{rpt.tables}"><strong>Table '
            f"{rpt.tables}</strong> (in the data): {html.escape(title)}{download}</p>"
        )
        return Published("table", rpt.tables, title, protected)
    shown = protected
    extra = ""
    if len(protected.data) > max_rows:
        shown = disclosure.Protected(
            protected.data.head(max_rows),
            protected.suppressed.head(max_rows),
            protected.n_primary,
            protected.n_secondary,
            protected.kinds,
        )
        extra = (
            f"The first {max_rows} of {len(protected.data):,} rows are shown; the CSV has them all."
        )
    notes = " ".join(x for x in (note, _suppression_note(protected), extra) if x)
    _display_html(
        f'<figure class="hscp-table-figure" id="table-{rpt.tables}">'
        f"<figcaption><strong>Table {rpt.tables}:</strong> {html.escape(title)}</figcaption>"
        f'<div class="hscp-table-scroll">{_html_table(shown, formats or {}, labels or {})}</div>'
        f'<p class="hscp-source">{html.escape(notes)}{download}</p></figure>'
    )
    return Published("table", rpt.tables, title, protected)


def figure(
    chart: Callable[..., object],
    data: pd.DataFrame,
    *,
    title: str,
    alt: str,
    counts: Sequence[str],
    dims: Sequence[str] | None = None,
    derived: Mapping[str, Sequence[str]] | None = None,
    note: str | None = None,
    safe: Sequence[str] = (),
    **chart_options,
) -> Published:
    """Publish a chart drawn from disclosure-controlled data.

    The chart function (usually from hscp.charts) is given the protected data,
    so a suppressed value is never drawn. `alt` describes the chart for screen
    readers; `title` is the numbered caption and should say the finding.
    """
    import matplotlib.pyplot as plt

    if not alt or not alt.strip():
        raise ValueError(f"Figure {title!r} needs alt text describing what it shows")
    rpt = current()
    protected = protect(
        data, counts=counts, dims=dims, derived=derived, safe=safe, what=f"figure {title!r}"
    )
    fig = chart(protected.data, **chart_options)
    charts.stamp(fig, title, rpt.source_text)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    rpt.figures += 1
    download = _write_csv(protected, "figure", rpt.figures, title)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    notes = " ".join(x for x in (note, _suppression_note(protected)) if x)
    _display_html(
        f'<figure class="hscp-figure" id="figure-{rpt.figures}">'
        f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(alt)}"/>'
        f"<figcaption><strong>Figure {rpt.figures}:</strong> {html.escape(title)}</figcaption>"
        f'<p class="hscp-source">{html.escape(notes)}{download}</p></figure>'
    )
    return Published("figure", rpt.figures, title, protected)


# --- footer -------------------------------------------------------------------------------


def code_version() -> str:
    """Package version and git commit, so a reader can find the code that made a report."""
    if os.environ.get("HSCP_CODE_VERSION"):
        return os.environ["HSCP_CODE_VERSION"]
    try:
        commit = subprocess.run(
            ["git", "-C", str(config.project_root()), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = "unknown commit"
    return f"hscp {hscp.__version__} ({commit})"


@cache
def _templates() -> jinja2.Environment:
    """The report's Jinja templates (lib/hscp/templates/hscp), escaping every value."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("hscp", "templates/hscp"),
        autoescape=True,
        keep_trailing_newline=False,
    )


def footer_html(rpt: Report) -> str:
    """The footer's markup: which data (files, extract date, row counts), parameters and
    code made the report."""
    prov = rpt.data.store.provenance()
    src = prov["source"]
    described = src.get("name", "")
    if src.get("source") == "synthetic":
        described = f"synthetic Scotland ({src.get('scale')} scale, seed {src.get('seed')}): not real patients"
    return (
        _templates()
        .get_template("footer.html.j2")
        .render(
            described=described,
            extract_date=str(src.get("extract_date") or "not recorded"),
            period_start=prov["period"]["start"],
            period_end=prov["period"]["end"],
            prepared=prov["prepared"][:16].replace("T", " "),
            tables=[
                {
                    "table": name,
                    "file": Path(info["input"]).name,
                    "rows": info["rows"],
                    "modified": str(info["modified"])[:10],
                    "sha256": str(info.get("sha256") or "")[:12],
                }
                for name, info in prov["tables"].items()
            ],
            parameters=[(str(k), str(v)) for k, v in rpt.parameters.items()],
            code=code_version(),
            versions=package_versions(),
            generated=f"{datetime.now():%d %B %Y %H:%M}",
            threshold=rpt.threshold,
            suppressed=SUPPRESSED,
        )
    )


#: The packages whose versions can change a number or a chart, named in every footer.
VERSIONED = ("pandas", "numpy", "scipy", "statsmodels", "matplotlib", "seaborn")


@cache
def package_versions() -> str:
    """Python's and the numerical packages' versions: 'Python 3.11.2, pandas 2.2.3, ...'."""
    import platform
    from importlib import metadata

    found = []
    for name in VERSIONED:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return ", ".join([f"Python {platform.python_version()}", *found])


def footer() -> None:
    """Which data (files, extract date, row counts), parameters and code made the report."""
    _display_html(footer_html(current()))


def strip_tags(markup: str) -> str:
    return re.sub(r"<[^>]+>", "", markup)
