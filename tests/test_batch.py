"""The batch: every report rendered offline, failures recorded, nothing half-written."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from hscp import batch

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.notebook


def test_unknown_partnership_exits_2_listing_valid_names():
    run = subprocess.run(
        [sys.executable, str(ROOT / "run_all.py"), "--partnership", "Narnia"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert "Unknown partnership 'Narnia'" in run.stderr
    assert "Clackmannanshire & Stirling" in run.stderr and "Western Isles" in run.stderr


def test_unknown_locality_exits_2_suggesting_the_closest():
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "run_all.py"),
            "--partnership",
            "S37000005",
            "--locality",
            "Clackmanan",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert "Did you mean 'Clackmannanshire'?" in run.stderr


def test_plan_covers_the_whole_partnership_and_every_locality():
    jobs = batch.plan(["Clackmannanshire & Stirling"], None, ["delayed_discharges"])
    assert [j.locality for j in jobs] == [
        None,
        "Clackmannanshire",
        "Rural Stirling",
        "Stirling City with the Eastern Villages Bridge of Allan & Dunblane",
    ]
    assert jobs[0].html == Path(
        "clackmannanshire-and-stirling/whole-partnership/delayed_discharges.html"
    )


def test_notebooks_are_stored_without_outputs():
    folder = ROOT / "notebooks"
    paths = [*folder.glob("*.ipynb"), *folder.glob("*/*.ipynb")]
    assert folder / "overview.ipynb" in paths
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata["kernelspec"]["name"] == "python3"
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, path
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, f"{path}: one parameters cell"


def test_every_report_rendered_and_indexed(rendered):
    out, summary = rendered
    assert [r["status"] for r in summary.reports] == ["ok", "ok"], summary.failed
    whole = out / "clackmannanshire-and-stirling" / "whole-partnership" / "delayed_discharges.html"
    local = out / "clackmannanshire-and-stirling" / "clackmannanshire" / "delayed_discharges.html"
    assert whole.exists() and local.exists()
    index = (out / "index.html").read_text()
    assert 'href="clackmannanshire-and-stirling/clackmannanshire/delayed_discharges.html"' in index
    saved = json.loads((out / "run-summary.json").read_text())
    assert saved["ok"] == 2 and saved["failed"] == 0
    assert all(r["seconds"] > 0 for r in saved["reports"])


def test_html_has_no_code_no_prompts_and_nothing_from_the_internet(rendered):
    out, _ = rendered
    page = (
        out / "clackmannanshire-and-stirling" / "clackmannanshire" / "delayed_discharges.html"
    ).read_text()
    assert not re.search(r'class="[^"]*(jp-CodeMirrorEditor|jp-InputPrompt|highlight)', page)
    assert "In&nbsp;[" not in page and "report.start(" not in page
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']https?:""", page)
    assert "require.min.js" not in page and "mathjax" not in page.lower()
    assert 'class="hscp-banner"' in page and 'nav class="hscp-toc"' in page
    assert "Key messages" in page and "Figure 1:" in page and "Table 1:" in page


def test_the_data_behind_tables_and_charts_is_written_as_csv(rendered):
    out, _ = rendered
    tables = (
        out / "clackmannanshire-and-stirling" / "clackmannanshire" / "tables" / "delayed_discharges"
    )
    names = sorted(p.name for p in tables.glob("*.csv"))
    assert any(n.startswith("figure-01-") for n in names) and any(
        n.startswith("table-01-") for n in names
    )
    page = (tables.parents[1] / "delayed_discharges.html").read_text()
    import base64
    import re

    # Each download carries its CSV inside the page (it travels with the HTML alone),
    # the same bytes as the file beside it.
    for name in names:
        found = re.search(
            rf'href="data:text/csv;charset=utf-8;base64,([^"]+)" download="{name}"', page
        )
        assert found, name
        assert base64.b64decode(found.group(1)) == (tables / name).read_bytes()


def test_published_tables_hold_no_small_counts(rendered):
    out, _ = rendered
    folder = (
        out / "clackmannanshire-and-stirling" / "clackmannanshire" / "tables" / "delayed_discharges"
    )
    for path in folder.glob("*.csv"):
        frame = pd.read_csv(path, dtype=str)
        for col in frame.columns:
            if col in ("bed_days", "people", "delays") or col.startswith("bed_days"):
                values = pd.to_numeric(frame[col].replace("c", None), errors="coerce").dropna()
                assert not ((values > 0) & (values < 10)).any(), f"{path.name}:{col}"


def test_a_corrupted_extract_fails_its_reports_with_a_clear_error(tiny_data, tmp_path):
    copy = tmp_path / "extracts"
    shutil.copytree(tiny_data, copy)
    delays = pd.read_parquet(copy / "delayed_discharges.parquet").astype(str)
    delays.loc[5, "discharge_to"] = "7"
    (copy / "delayed_discharges.parquet").unlink()
    delays.replace({"None": "", "NaT": "", "nan": "", "<NA>": ""}).to_csv(
        copy / "delayed_discharges.csv", index=False
    )
    out = tmp_path / "out"
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "run_all.py"),
            "--data",
            str(copy),
            "--out",
            str(out),
            "--partnership",
            "S37000005",
            "--locality",
            "none",
            "--notebook",
            "analysis/delayed_discharges",  # one report, whatever the default notebooks are
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 1
    assert (
        "delayed_discharges.csv" in run.stderr
        and "discharge_to" in run.stderr
        and "unknown code" in run.stderr
    )
    assert not list(out.glob("*/*/*.html"))  # nothing half-written
    summary = json.loads((out / "run-summary.json").read_text())
    assert summary["failed"] == 1 and summary["reports"][0]["error"]["kind"] == "data"


def test_a_failing_cell_is_recorded_and_the_batch_carries_on(tiny_store, tmp_path, monkeypatch):
    books = tmp_path / "notebooks" / "analysis"
    books.mkdir(parents=True)
    good = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "partnership = None\nlocality = None", metadata={"tags": ["parameters"]}
            ),
            nbformat.v4.new_markdown_cell("## Fine"),
            nbformat.v4.new_code_cell("print('fine')"),
        ]
    )
    bad = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "partnership = None\nlocality = None", metadata={"tags": ["parameters"]}
            ),
            nbformat.v4.new_code_cell("1 / 0"),
        ]
    )
    for nb in (good, bad):
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
    nbformat.write(good, books / "good.ipynb")
    nbformat.write(bad, books / "bad.ipynb")
    monkeypatch.setenv("HSCP_NOTEBOOKS", str(tmp_path / "notebooks"))
    out = tmp_path / "out"
    jobs = batch.plan(["S37000005"], ["none"], ["analysis/bad", "analysis/good"])
    summary = batch.run(jobs, tiny_store, out, workers=1, progress=False)
    status = {r["notebook"]: r for r in summary.reports}
    assert status["analysis/good"]["status"] == "ok"
    assert status["analysis/bad"]["status"] == "failed"
    assert status["analysis/bad"]["error"]["error"] == "ZeroDivisionError"
    assert status["analysis/bad"]["error"]["cell"] == 2
    assert not (out / "clackmannanshire-and-stirling" / "whole-partnership" / "bad.html").exists()
    assert "ZeroDivisionError" in (out / "index.html").read_text()


def test_open_data_folder_that_is_not_there_exits_2():
    run = subprocess.run(
        [sys.executable, str(ROOT / "run_all.py"), "--open-data", "/no/such/folder"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert "--open-data /no/such/folder: no such folder" in run.stderr


def test_every_module_of_the_library_makes_a_report_out_of_date():
    # the batch is a package: its code hash must cover the whole of hscp, not only hscp.batch
    from hscp.batch import provenance

    files = [p.as_posix() for p in provenance.code_files()]
    assert any(f.endswith("lib/hscp/report.py") for f in files)
    assert any(f.endswith("lib/hscp/workbooks/phase2_options.py") for f in files)
    assert any(f.endswith("templates/hscp/footer.html.j2") for f in files)
    assert any(f.endswith("params/scenarios/options.yaml") for f in files)
