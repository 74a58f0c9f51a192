"""The independent auditor: planted leaks are found, and the rendered collection is checked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from hscp import audit, batch, config

ROOT = Path(__file__).resolve().parents[1]
REPORT = "orkney-islands/isles/unscheduled_care"


def _write_csv(out: Path, name: str, text: str, declared: dict | None = None) -> Path:
    folder = out / "orkney-islands" / "isles" / "tables" / "unscheduled_care"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    if declared is not None:
        (folder / name.replace(".csv", ".columns.json")).write_text(json.dumps(declared))
    return path


def _rules(findings) -> set[str]:
    return {f.rule for f in findings}


# --- planted leaks ------------------------------------------------------------------------


def test_a_small_count_in_a_declared_count_column_is_named(tmp_path):
    # row 2 of 'admissions' is 3: a count from 1 to 9 (threshold 10)
    _write_csv(
        tmp_path,
        "table-01-x.csv",
        "month,admissions,rate\n2024-04,25,1.5\n2024-05,3,2.0\n",
        declared={"month": "label", "admissions": "count", "rate": "derived"},
    )
    [finding] = audit.audit(tmp_path)
    assert (finding.rule, finding.report, finding.item, finding.row, finding.column) == (
        "small-count",
        REPORT,
        "table-01-x.csv",
        2,
        "admissions",
    )


def test_a_column_holding_suppressed_cells_is_a_count(tmp_path):
    _write_csv(tmp_path, "figure-16-x.csv", "area,people\nA,c\nB,4\nC,12\n")
    [finding] = audit.audit(tmp_path)
    assert (finding.rule, finding.row, finding.column) == ("small-count", 2, "people")


def test_an_undeclared_numeric_column_is_suspect_and_a_declared_safe_one_is_not(tmp_path):
    _write_csv(tmp_path, "figure-12-x.csv", "month,admitted\n2024-04,8\n2024-05,14\n")
    _write_csv(
        tmp_path,
        "figure-13-x.csv",
        "month,population\n2024-04,8\n",
        declared={"population": "safe"},
    )
    [finding] = audit.audit(tmp_path)
    assert (finding.rule, finding.item, finding.row, finding.column) == (
        "undeclared-count",
        "figure-12-x.csv",
        1,
        "admitted",
    )


def test_zero_large_counts_rates_and_the_threshold_pass(tmp_path):
    _write_csv(
        tmp_path,
        "table-02-x.csv",
        "a,b,c\n0,10,1.5\n12,1234,\nc,c,3.25\n",
        declared={"a": "count", "b": "count", "c": "count"},
    )
    assert audit.audit(tmp_path) == []


def test_a_record_identifier_in_an_html_table_is_found(tmp_path):
    extracts = tmp_path / "extracts"
    extracts.mkdir()
    pd.DataFrame({"link_no": [50000012, 50000013], "age": [80, 81]}).to_parquet(
        extracts / "acute_episodes.parquet"
    )
    out = tmp_path / "out"
    page = out / "orkney-islands" / "isles" / "unscheduled_care.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        "<html><body><figure><figcaption><strong>Table 4:</strong> Stays</figcaption>"
        "<table><thead><tr><th>Person</th><th>Bed days</th></tr></thead><tbody>"
        "<tr><td>50,000,013</td><td>40</td></tr></tbody></table></figure></body></html>"
    )
    findings = audit.audit(out, identifiers=audit.load_identifiers(extracts))
    ids = [f for f in findings if f.rule == "record-id"]
    assert [(f.report, f.item, f.row, f.column) for f in ids] == [(REPORT, "Table 4", 1, "Person")]
    assert "50000013" not in str(ids[0])  # the finding does not repeat the identifier


def test_an_absolute_path_a_traceback_and_stderr_in_an_executed_notebook_are_found(tmp_path):
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "data_dir = '/home/analyst/extracts'",
                outputs=[
                    nbformat.v4.new_output("stream", name="stderr", text="FutureWarning: x\n"),
                    nbformat.v4.new_output(
                        "error", ename="KeyError", evalue="'x'", traceback=["Traceback"]
                    ),
                ],
            )
        ]
    )
    path = tmp_path / "orkney-islands" / "isles" / "unscheduled_care.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(nb, path)
    findings = audit.audit(tmp_path)
    assert _rules(findings) == {"absolute-path", "stderr", "traceback"}
    assert {f.report for f in findings} == {REPORT}
    assert all(f.item.startswith("notebook cell 1") for f in findings)


def test_small_counts_in_sentences_are_found_but_rates_and_fewer_than_are_not(tmp_path):
    page = tmp_path / "orkney-islands" / "isles" / "unscheduled_care.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        "<section><p>At the March 2025 census, 3 people were delayed.</p>"
        "<p>Fewer than 10 people attended 5 times or more; no more than 1 admission in 100 "
        "finds no bed; 12 people were readmitted; standard and code 9 delays at the census "
        "(code 9: a reason for delay, not a count).</p></section>"
    )
    [finding] = audit.audit(tmp_path)
    assert finding.rule == "small-count-in-text" and "3 people" in finding.detail


def test_stack_traces_in_a_page_are_found(tmp_path):
    page = tmp_path / "index.html"
    page.write_text('<pre>Traceback (most recent call last):\n  File "x.py", line 3</pre>')
    assert _rules(audit.audit(tmp_path)) == {"traceback"}


def test_the_command_line_names_each_finding_and_fails(tmp_path):
    _write_csv(tmp_path, "table-01-x.csv", "area,people\nA,c\nB,4\n")
    run = subprocess.run(
        [sys.executable, "-m", "hscp.audit", str(tmp_path)], capture_output=True, text=True
    )
    assert run.returncode == 1
    assert f"small-count: {REPORT}: table-01-x.csv, row 2, column 'people'" in run.stdout
    clean = tmp_path / "clean"
    clean.mkdir()
    ok = subprocess.run([sys.executable, "-m", "hscp.audit", str(clean)], capture_output=True)
    assert ok.returncode == 0


def test_the_verdict_does_not_copy_identifiers_or_paths(tmp_path):
    findings = [
        audit.Finding("absolute-path", "r", "text", None, None, "/home/analyst/x"),
        audit.Finding("small-count", "r", "t.csv", 2, "people", "4 in a count column"),
    ]
    v = audit.verdict(findings)
    assert v["passed"] is False and v["reports"] == {"r": 2}
    assert "/home/analyst" not in json.dumps(v) and "4 in a count column" in json.dumps(v)


# --- the whole collection for the smallest partnership, as CI renders it ------------------

NOTEBOOKS = list(config.load_defaults().notebooks)
ORKNEY = batch.plan(["Orkney Islands"], None, NOTEBOOKS)


@pytest.fixture(scope="module")
def orkney(tiny_store, tmp_path_factory):
    """Every notebook for Orkney Islands and its localities, rendered once on the tiny data."""
    out = tmp_path_factory.mktemp("orkney")
    summary = batch.run(
        ORKNEY, tiny_store, out, workers=2, options={"threshold": 10}, progress=False, audit=True
    )
    findings = audit.audit(out, identifiers=audit.load_identifiers(tiny_store.path))
    return out, summary, findings


@pytest.mark.notebook
def test_the_collection_carries_no_identifiers_paths_or_traces(orkney):
    out, summary, findings = orkney
    bad = [
        str(f) for f in findings if f.rule in ("record-id", "absolute-path", "traceback", "stderr")
    ]
    assert not bad, "\n".join(bad[:20])
    assert "audit" in json.loads((out / "run-summary.json").read_text())
    assert "Disclosure audit" in (out / "index.html").read_text()


@pytest.mark.notebook
@pytest.mark.parametrize("job", ORKNEY, ids=lambda j: f"{j.area_slug}/{j.name}")
def test_every_report_renders_and_passes_the_audit(orkney, job):
    out, summary, findings = orkney
    [entry] = [
        r
        for r in summary.reports
        if r["notebook"] == job.notebook and r["locality"] == job.locality
    ]
    assert entry["status"] == "ok", entry["error"]
    mine = [str(f) for f in findings if f.report == f"{job.folder.as_posix()}/{job.name}"]
    assert not mine, "\n".join(mine[:20])


def test_the_synthetic_data_s_seed_is_not_taken_for_a_record_identifier(tmp_path):
    # the footer names the synthetic data's seed, which the generator's link numbers can
    # happen to include; any other mention of the number is still found
    extracts = tmp_path / "extracts"
    extracts.mkdir()
    pd.DataFrame({"link_no": [20261126, 50000013]}).to_parquet(extracts / "acute_episodes.parquet")
    out = tmp_path / "out"
    page = out / "orkney-islands" / "isles" / "unscheduled_care.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        "<html><body><p>Data: synthetic Scotland (default scale, seed 20261126): not real "
        "patients.</p><p>Person 20261126 stayed 40 days.</p></body></html>"
    )
    findings = audit.audit(out, identifiers=audit.load_identifiers(extracts))
    assert len([f for f in findings if f.rule == "record-id"]) == 1
