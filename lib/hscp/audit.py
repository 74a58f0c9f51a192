"""An independent check of a rendered batch: nothing disclosive, nothing record level.

`python -m hscp.audit OUTPUT_DIR [--extracts PATH] [--threshold 10]` reads every
CSV, every HTML page (its tables and its sentences), every executed notebook and
the run summary in a rendered batch, and fails (exit 1), naming the report, the
table, the row and the column, on:

- small-count: a count from 1 to threshold - 1 in a column declared a count, or
  in a column holding the suppression marker 'c' (so treated as one);
- undeclared-count: a whole number from 1 to threshold - 1 in a numeric column
  that no declaration says is safe. Until the publishing code declares its
  columns, every numeric column is suspect: a count nobody declared is exactly
  the leak this check exists for;
- small-count-in-text: a sentence such as "3 people" or "7 admissions";
- record-id: a value that is a record identifier (link_no) in the extracts or
  prepared store given with --extracts, or a column named link_no;
- absolute-path, traceback, stderr: a path of the machine that made the
  report, a Python stack trace, or warnings written to stderr.

It is written apart from the code it checks: it imports nothing from hscp and
reads the files as a reader would. How a column is declared (the contract the
publishing code writes to, see docs/disclosure-audit.md):

- CSV `NAME.csv`: a sidecar `NAME.columns.json`, {"column": "count" | "derived"
  | "safe" | "label", ...}. A declared "count" is checked like a count; "derived"
  and "safe" (rates, populations, dates, parameters) and "label" are not.
- HTML: `<th data-hscp-kind="count|derived|safe|label">` on a table's header cells;
  a table (such as the footer's parameters) may carry `data-hscp-kind="safe"` on
  the `<table>` itself.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from pathlib import Path

DEFAULT_THRESHOLD = 10
SUPPRESSED = "c"
#: Identifier values shorter than this are not looked for: short numbers collide with
#: ordinary counts and years, and no linkage scheme in use issues them.
MIN_ID_DIGITS = 6
ID_COLUMNS = ("link_no",)
KINDS = ("count", "derived", "safe", "label")

# Roots of absolute paths on the machines that render reports (POSIX and Windows).
_PATH = re.compile(
    r"(?<![\w.:/-])(?:/(?:home|tmp|work|root|Users|var|opt|mnt|srv|data|usr|etc|private|"
    r"scratch|media|nfs|gpfs|lustre|shared|run|proc)(?:/[\w.@+-]+)+|[A-Za-z]:\\[\w .\\-]+)"
)
_TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+")
_NUMBER = re.compile(
    r"(?<![\w.,])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w,.]\d)|(?<![\w.,])-?\d+(?:\.\d+)?"
)
_SEED = re.compile(r"seed\W{0,3}$", re.I)  # "seed 20261126", '"seed": 20261126'
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+")
# "3 people", "7 emergency admissions": a small number followed by what it counts.
_COUNTED = (
    r"(?:people|persons?|patients?|residents?|admissions?|attendances?|attenders?|delays?|"
    r"stays?|deaths?|discharges?|episodes?|bed days|beds? days|readmissions?|falls?|"
    r"men|women|children|individuals?|cases?|records?|visits?)"
)
_SMALL_IN_TEXT = re.compile(  # not "code 9 delays": a reason code, not a count
    rf"(?<![\w.,£$%-])(?<!code )([1-9])\s+(?:(?:more|fewer|emergency|new|delayed|older|frequent|"
    rf"repeat|unscheduled|preventable|potentially preventable|A&E)\s+)*{_COUNTED}\b"
    r"(?!\s+(?:in|per|out of|of every)\s+[\d,]+)",  # "1 admission in 100" is a rate
    re.I,
)


@dataclass(frozen=True)
class Finding:
    """One thing a reader must not see, and where it is."""

    rule: str
    report: str  # the report (or file) relative to the output folder
    item: str  # the table, figure, cell or part of the page
    row: int | None
    column: str | None
    detail: str

    def __str__(self) -> str:
        where = self.item
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        return f"{self.rule}: {self.report}: {where}: {self.detail}"


# --- values --------------------------------------------------------------------------------


def _number(text: str) -> float | None:
    """A published number as a reader sees it: '1,234', '5', '5.0', '12.3%' (None if not one)."""
    text = text.strip()
    if not text or text.endswith("%"):
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _is_small_count(value: float | None, threshold: int) -> bool:
    return value is not None and value == int(value) and 1 <= value < threshold


# --- record identifiers --------------------------------------------------------------------


class Identifiers:
    """Record identifiers, held compactly (national extracts have millions)."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        import numpy as np

        numeric: list[str] = []
        other: set[str] = set()
        for v in values:
            if v.isdigit() and len(v) < 19:
                numeric.append(v)
            else:
                other.add(v)
        self._numbers = np.unique(np.array([int(v) for v in numeric], dtype=np.int64))
        self._other = other

    def __len__(self) -> int:
        return len(self._numbers) + len(self._other)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __contains__(self, value: str) -> bool:
        import numpy as np

        if value.isdigit() and len(value) < 19:
            i = np.searchsorted(self._numbers, int(value))
            return bool(i < len(self._numbers) and self._numbers[i] == int(value))
        return value in self._other


def load_identifiers(path: Path | str) -> Identifiers:
    """Every record identifier (link_no) in the extracts or prepared store under path."""
    import pandas as pd  # only here: the rest of the auditor needs nothing but the stdlib

    root = Path(path)
    files = [root] if root.is_file() else sorted(root.rglob("*"))
    found: set[str] = set()
    for file in files:
        if file.suffix == ".parquet":
            import pyarrow.parquet as pq

            names = pq.read_schema(file).names
            cols = [c for c in ID_COLUMNS if c in names]
            if cols:
                frame = pd.read_parquet(file, columns=cols)
                for c in cols:
                    found.update(_id_text(v) for v in frame[c].dropna())
        elif file.suffix == ".csv":
            with open(file, newline="", encoding="utf-8", errors="replace") as f:
                header = next(csv.reader(f), [])
            cols = [c for c in ID_COLUMNS if c in header]
            if cols:
                frame = pd.read_csv(file, usecols=cols, dtype=str)
                for c in cols:
                    found.update(_id_text(v) for v in frame[c].dropna())
    return Identifiers(v for v in found if len(v) >= MIN_ID_DIGITS)


def _id_text(value) -> str:
    text = str(value).strip()
    return text[:-2] if text.endswith(".0") else text


def _ids_in(text: str, identifiers) -> list[str]:
    if not identifiers:
        return []
    hits = []
    for match in _NUMBER.finditer(text):
        if _SEED.search(text[max(match.start() - 8, 0) : match.start()]):
            continue  # the synthetic data's seed (footer, run summary), not a person
        if text[match.end() : match.end() + 1].isalpha():
            continue  # part of a run id or time stamp (20261205T0740), not a number
        plain = _id_text(match.group().replace(",", "").lstrip("-"))
        if len(plain) >= MIN_ID_DIGITS and plain in identifiers:
            hits.append(plain)
    return hits


# --- text: paths, stack traces, identifiers, counts in sentences ---------------------------


def _text_findings(
    text: str,
    report: str,
    item: str,
    identifiers: Identifiers,
    *,
    sentences: bool = False,
    threshold: int = DEFAULT_THRESHOLD,
) -> Iterator[Finding]:
    text = _DATA_URI.sub("data:", text)
    for match in dict.fromkeys(_PATH.findall(text)):
        yield Finding("absolute-path", report, item, None, None, match[:120])
    if _TRACEBACK.search(text):
        line = _TRACEBACK.search(text).group(0)
        yield Finding("traceback", report, item, None, None, line[:120])
    for _ident in dict.fromkeys(_ids_in(text, identifiers)):
        yield Finding("record-id", report, item, None, None, "a link_no of the extracts")
    if sentences and threshold > 1:
        for m in _SMALL_IN_TEXT.finditer(text):
            if int(m.group(1)) < threshold:
                yield Finding("small-count-in-text", report, item, None, None, _around(text, m))


def _around(text: str, match: re.Match) -> str:
    start, end = max(0, match.start() - 40), min(len(text), match.end() + 20)
    return " ".join(text[start:end].split())


# --- tables --------------------------------------------------------------------------------


@dataclass
class Table:
    """A published table: a header, rows and what each column was declared to be."""

    name: str
    header: list[str]
    rows: list[list[str]]
    kinds: dict[str, str]  # column -> declared kind
    whole_kind: str | None = None  # a declaration for the whole table


def _table_findings(
    table: Table, report: str, threshold: int, identifiers: Identifiers
) -> Iterator[Finding]:
    for j, column in enumerate(table.header):
        if column.lower() in ID_COLUMNS:
            yield Finding(
                "record-id", report, table.name, None, column, "a record identifier column"
            )
        values = [row[j] if j < len(row) else "" for row in table.rows]
        kind = table.kinds.get(column) or table.whole_kind
        marked = any(v.strip() == SUPPRESSED for v in values)
        numbers = [_number(v) for v in values]
        numeric = any(n is not None for n in numbers) and all(
            n is not None or not v.strip() or v.strip() == SUPPRESSED
            for n, v in zip(numbers, values, strict=True)
        )
        if kind in ("derived", "safe", "label"):
            rule = None
        elif kind == "count" or marked:
            rule = "small-count"
        elif numeric:
            rule = "undeclared-count"
        else:
            rule = None
        for i, (value, number) in enumerate(zip(values, numbers, strict=True), start=1):
            if rule and _is_small_count(number, threshold):
                why = (
                    "declared a count"
                    if kind == "count"
                    else (
                        "a count column (it holds suppressed cells)"
                        if marked
                        else "an undeclared numeric column"
                    )
                )
                yield Finding(rule, report, table.name, i, column, f"{value.strip()} in {why}")
            for _ident in _ids_in(value, identifiers):
                yield Finding(
                    "record-id", report, table.name, i, column, "a link_no of the extracts"
                )
            for path in _PATH.findall(value):
                yield Finding("absolute-path", report, table.name, i, column, path[:120])


def read_csv_table(path: Path) -> Table:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = (rows[0], rows[1:]) if rows else ([], [])
    kinds: dict[str, str] = {}
    sidecar = path.with_name(path.name.removesuffix(".csv") + ".columns.json")
    if sidecar.exists():
        declared = json.loads(sidecar.read_text(encoding="utf-8"))
        kinds = {str(k): str(v) for k, v in declared.items() if str(v) in KINDS}
    return Table(path.name, header, body, kinds)


class _PageParser(HTMLParser):
    """Tables (with their captions and declarations) and the text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self.text: list[str] = []
        self._stack: list[dict] = []  # open tables
        self._cell: list[str] | None = None
        self._cell_is_header = False
        self._cell_kind: str | None = None
        self._row: list[str] | None = None
        self._skip = 0  # inside <style> or <script>
        self._caption: list[str] | None = None
        self._last_caption = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("style", "script"):
            self._skip += 1
        elif tag == "figcaption":
            self._caption = []
        elif tag == "table":
            self._stack.append(
                {"header": [], "rows": [], "kinds": {}, "whole": a.get("data-hscp-kind")}
            )
        elif self._stack and tag == "tr":
            self._row = []
        elif self._stack and tag in ("td", "th"):
            self._cell = []
            self._cell_is_header = tag == "th"
            self._cell_kind = a.get("data-hscp-kind")

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip = max(0, self._skip - 1)
        elif tag == "figcaption" and self._caption is not None:
            self._last_caption = " ".join("".join(self._caption).split())
            self._caption = None
        elif self._stack and tag in ("td", "th") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            if self._row is not None:
                self._row.append(text)
                if self._cell_is_header:
                    self._stack[-1].setdefault("header_kinds", []).append(self._cell_kind)
            self._cell = None
        elif self._stack and tag == "tr" and self._row is not None:
            t = self._stack[-1]
            kinds = t.pop("header_kinds", [])
            if not t["header"] and not t["rows"] and kinds and len(kinds) == len(self._row):
                t["header"] = self._row
                t["kinds"] = {h: k for h, k in zip(self._row, kinds, strict=True) if k}
            else:
                t["rows"].append(self._row)
            self._row = None
        elif tag == "table" and self._stack:
            t = self._stack.pop()
            name = self._last_caption.split(":")[0] if self._last_caption else ""
            name = name or f"HTML table {len(self.tables) + 1}"
            header = t["header"] or [
                f"column {j + 1}" for j in range(max(map(len, t["rows"]), default=0))
            ]
            self.tables.append(Table(name, header, t["rows"], t["kinds"], t["whole"]))
            self._last_caption = ""

    def handle_data(self, data):
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
            return
        if self._caption is not None:
            self._caption.append(data)
        self.text.append(data)


def _page_findings(
    markup: str, report: str, where: str, threshold: int, identifiers: Identifiers
) -> Iterator[Finding]:
    parser = _PageParser()
    parser.feed(_DATA_URI.sub("data:", markup))
    parser.close()
    for table in parser.tables:
        table.name = f"{where}{table.name}"
        yield from _table_findings(table, report, threshold, identifiers)
    text = " ".join(" ".join(parser.text).split())
    yield from _text_findings(
        text, report, f"{where}text", identifiers, sentences=True, threshold=threshold
    )
    # Paths and stack traces hide in attributes and comments too.
    raw = _DATA_URI.sub("data:", markup)
    for match in dict.fromkeys(_PATH.findall(raw)):
        if match not in text:
            yield Finding("absolute-path", report, f"{where}markup", None, None, match[:120])


# --- executed notebooks --------------------------------------------------------------------


def _notebook_findings(
    path: Path, report: str, threshold: int, identifiers: Identifiers
) -> Iterator[Finding]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    yield from _text_findings(
        json.dumps(nb.get("metadata", {})), report, "notebook metadata", identifiers
    )
    for k, cell in enumerate(nb.get("cells", []), start=1):
        item = f"notebook cell {k}"
        source = "".join(cell.get("source", ""))
        yield from _text_findings(source, report, f"{item} source", identifiers)
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "error":
                yield Finding(
                    "traceback",
                    report,
                    item,
                    None,
                    None,
                    f"{output.get('ename')}: {str(output.get('evalue'))[:100]}",
                )
            elif kind == "stream":
                text = "".join(output.get("text", ""))
                if output.get("name") == "stderr" and text.strip():
                    yield Finding(
                        "stderr", report, item, None, None, text.strip().splitlines()[0][:120]
                    )
                yield from _text_findings(
                    text, report, item, identifiers, sentences=True, threshold=threshold
                )
            else:
                data = output.get("data", {})
                if "text/html" in data:
                    yield from _page_findings(
                        "".join(data["text/html"]), report, f"{item}: ", threshold, identifiers
                    )
                elif "text/plain" in data:
                    yield from _text_findings(
                        "".join(data["text/plain"]), report, item, identifiers
                    )


# --- the whole batch -----------------------------------------------------------------------


def _report_of(rel: Path) -> str:
    """partnership/area/tables/notebook/x.csv -> partnership/area/notebook."""
    parts = rel.parts
    if len(parts) >= 5 and parts[2] == "tables":
        return "/".join((*parts[:2], parts[3]))
    if rel.suffix in (".html", ".ipynb") and len(parts) == 3:
        return "/".join((*parts[:2], rel.stem))
    return rel.as_posix()


def published_files(out_dir: Path) -> Iterator[Path]:
    """Every file a reader could be sent: hidden (working) folders are not published."""
    for path in sorted(out_dir.rglob("*")):
        rel = path.relative_to(out_dir)
        if path.is_file() and not any(p.startswith(".") for p in rel.parts):
            yield path


def audit(
    out_dir: Path | str,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    identifiers: Iterable[str] | None = None,
    reports: set[str] | None = None,
) -> list[Finding]:
    """Every finding in a rendered batch (an empty list: nothing to fix). `reports`
    ('partnership/area/notebook') limits the check to those reports and the files
    at the top of the folder (index and summary)."""
    out = Path(out_dir)
    ids = (
        identifiers
        if isinstance(identifiers, Identifiers)
        else Identifiers(str(i) for i in (identifiers or ()))
    )
    findings: list[Finding] = []
    for path in published_files(out):
        rel = path.relative_to(out)
        report = _report_of(rel)
        if reports is not None and len(rel.parts) > 1 and report not in reports:
            continue
        try:
            if path.suffix == ".csv":
                table = read_csv_table(path)
                if len(rel.parts) >= 5:
                    table.name = rel.name
                findings += _table_findings(table, report, threshold, ids)
            elif path.suffix == ".html":
                findings += _page_findings(
                    path.read_text(encoding="utf-8"), report, "", threshold, ids
                )
            elif path.suffix == ".ipynb":
                findings += _notebook_findings(path, report, threshold, ids)
            elif path.suffix in (".json", ".txt", ".md", ".log"):
                findings += _text_findings(path.read_text(encoding="utf-8"), report, rel.name, ids)
        except (UnicodeDecodeError, json.JSONDecodeError, csv.Error) as err:
            findings.append(Finding("unreadable", report, rel.name, None, None, str(err)[:120]))
    return findings


_SAFE_DETAIL = ("undeclared-count", "small-count", "stderr", "unreadable")


def verdict(findings: list[Finding]) -> dict:
    """A summary for run-summary.json and the index: passed, counts by rule, failing reports."""
    rules: dict[str, int] = {}
    reports: dict[str, int] = {}
    for f in findings:
        rules[f.rule] = rules.get(f.rule, 0) + 1
        reports[f.report] = reports.get(f.report, 0) + 1
    return {
        "passed": not findings,
        "findings": len(findings),
        "by_rule": dict(sorted(rules.items())),
        "reports": dict(sorted(reports.items())),
        # Where to look, not what was found: a record's value or a path must not be
        # copied into the summary the batch publishes.
        "first": [
            asdict(f) | {"detail": f.detail if f.rule in _SAFE_DETAIL else ""}
            for f in findings[:50]
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m hscp.audit",
        description="Check a rendered batch for small counts, record identifiers, "
        "absolute paths and stack traces. Exit 0: nothing found; 1: findings; 2: bad arguments.",
    )
    parser.add_argument("output_dir", help="the batch's output folder (run_all.py --out)")
    parser.add_argument(
        "--extracts",
        help="extracts folder or prepared store whose link_no values must not appear "
        "(without it, record identifiers are not checked)",
    )
    parser.add_argument(
        "--threshold",
        type=int,
        default=None,
        help=f"smallest count that may be published (default: the run summary's, else {DEFAULT_THRESHOLD})",
    )
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    args = parser.parse_args(argv)
    out = Path(args.output_dir)
    if not out.is_dir():
        print(f"hscp.audit: {out}: no such folder", file=sys.stderr)
        return 2
    threshold = args.threshold or _summary_threshold(out) or DEFAULT_THRESHOLD
    ids = Identifiers()
    if args.extracts:
        if not Path(args.extracts).exists():
            print(f"hscp.audit: {args.extracts}: no such file or folder", file=sys.stderr)
            return 2
        ids = load_identifiers(args.extracts)
    else:
        print("hscp.audit: record identifiers not checked (give --extracts)", file=sys.stderr)
    findings = audit(out, threshold=threshold, identifiers=ids)
    if args.json:
        print(json.dumps([asdict(f) for f in findings], indent=1))
    else:
        for f in findings:
            print(f)
        reports = sorted({f.report for f in findings})
        print(
            f"{len(findings)} finding(s) in {len(reports)} report(s) "
            f"(threshold {threshold}, {len(ids):,} record identifiers checked)"
            if findings
            else f"No findings (threshold {threshold}, {len(ids):,} record identifiers checked)."
        )
    return 1 if findings else 0


def _summary_threshold(out: Path) -> int | None:
    try:
        summary = json.loads((out / "run-summary.json").read_text(encoding="utf-8"))
        value = summary.get("parameters", {}).get("threshold")
        return int(value) if value else None
    except (OSError, ValueError, AttributeError):
        return None


if __name__ == "__main__":
    sys.exit(main())
