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

from hscp.batch._common import (
    STAGING,
    TEMPLATES,
    WHOLE_PARTNERSHIP,
    WORK,
    BatchError,
    UnsafePathError,
    notebooks_dir,
)
from hscp.batch.cli import default_jobs, main, parse_args
from hscp.batch.index_page import write_index
from hscp.batch.jobs import (
    Job,
    Result,
    available_notebooks,
    check_period,
    confined,
    notebook_tables,
    notebook_title,
    plan,
    resolve_notebook,
)
from hscp.batch.provenance import (
    code_hash,
    data_inputs,
    package_versions,
    redact,
    report_key,
    up_to_date,
)
from hscp.batch.rendering import (
    add_table_of_contents,
    cell_seconds,
    export_html,
    render,
)
from hscp.batch.runner import (
    RunLock,
    Stopped,
    Summary,
    read_summary,
    retry_jobs,
    run,
    write_summary,
)
from hscp.conventions.months import parse_month

__all__ = [
    "STAGING",
    "TEMPLATES",
    "WHOLE_PARTNERSHIP",
    "WORK",
    "BatchError",
    "Job",
    "Result",
    "RunLock",
    "Stopped",
    "Summary",
    "UnsafePathError",
    "add_table_of_contents",
    "available_notebooks",
    "cell_seconds",
    "check_period",
    "code_hash",
    "confined",
    "data_inputs",
    "default_jobs",
    "export_html",
    "main",
    "notebook_tables",
    "notebook_title",
    "notebooks_dir",
    "package_versions",
    "parse_args",
    "parse_month",
    "plan",
    "read_summary",
    "redact",
    "render",
    "report_key",
    "resolve_notebook",
    "retry_jobs",
    "run",
    "up_to_date",
    "write_index",
    "write_summary",
]
