"""The projections notebook, rendered on the tiny synthetic data like a batch run does:
the whole partnership and one locality, plus the notebook's own knobs."""

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "analysis" / "projections.ipynb"
pytestmark = pytest.mark.notebook

SECTIONS = (
    "Key messages",
    "Assumptions in plain words",
    "Population change",
    "Emergency admissions",
    "Emergency bed days",
    "Beds required",
    "How sure are we?",
    "Localities",
    "Delayed discharges of people aged 65+, by month",
    "Base-year rates",
)


@pytest.fixture(scope="module")
def projections_rendered(notebooks_rendered):
    summary = notebooks_rendered.run("projections", "whole-partnership", "rural-stirling")
    return notebooks_rendered.out, summary


def page(out: Path, area: str) -> str:
    return (out / "clackmannanshire-and-stirling" / area / "projections.html").read_text()


def text(html: str) -> str:
    """The page's words: a link inside a sentence (the glossary's) leaves no space."""
    html = re.sub(r"</?a\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_notebook_follows_the_conventions():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert set(nb.metadata["hscp"]["tables"]) >= {"acute_episodes", "population_projections"}
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    standard = (
        "partnership",
        "locality",
        "data_dir",
        "period_start",
        "period_end",
        "output_dir",
        "disclosure_threshold",
    )
    for name in (*standard, "horizon", "variant", "target_occupancy", "forecast_years"):
        assert re.search(rf"^{name} = .+  # ", tagged[0].source, re.M), name
    assert "report.start(" in nb.cells[2].source
    assert nb.cells[-1].source.strip() == "report.footer()"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None


def test_reports_render_for_the_partnership_and_a_locality(projections_rendered):
    out, summary = projections_rendered
    assert [r["status"] for r in summary.reports] == ["ok", "ok"], summary.failed
    for area in ("whole-partnership", "rural-stirling"):
        html = page(out, area)
        for heading in SECTIONS:
            assert f">{heading}<" in html.replace("&#39;", "'"), (area, heading)
        words = text(html)
        # the base year is the latest complete financial year of the tiny data before its
        # provisional months (January to March 2025)
        assert "Base year 2023/24" in words and "2035/36" in words
        assert "Population change alone would take emergency admissions" in words
        assert "NRS principal projection" in words
        assert "Delayed discharge bed days of people aged 65+ are forecast" in words
        assert "Total 2025/26" in words  # the planner's table of months
        assert len(re.findall(r"<strong>Figure \d+:</strong>", html)) >= 10


def test_partnership_report_compares_its_localities(projections_rendered):
    out, _ = projections_rendered
    words = text(page(out, "whole-partnership"))
    assert "Among the localities, population change adds most to bed days in" in words
    for locality in ("Clackmannanshire", "Rural Stirling", "Stirling City with the Eastern"):
        assert locality in words


def test_locality_report_is_about_the_locality(projections_rendered):
    out, _ = projections_rendered
    words = text(page(out, "rural-stirling"))
    assert "emergency admissions of Rural Stirling residents" in words
    assert "needed in 2023/24" in words  # a locality has no current beds of its own


def test_published_tables_hold_no_small_counts(projections_rendered):
    out, _ = projections_rendered
    folder = out / "clackmannanshire-and-stirling" / "rural-stirling" / "tables" / "projections"
    files = list(folder.glob("*.csv"))
    assert len(files) >= 15
    counts = ("admissions", "bed_days", "ppa_admissions", "base", "horizon", "population")
    for path in files:
        frame = pd.read_csv(path, dtype=str)
        for col in frame.columns:
            if col in counts:
                values = pd.to_numeric(frame[col].replace("c", None), errors="coerce").dropna()
                assert not ((values > 0) & (values < 10)).any(), f"{path.name}:{col}"


def test_the_notebook_knobs_change_the_projection(tiny_store, tmp_path):
    import papermill as pm

    executed = tmp_path / "projections.ipynb"
    pm.execute_notebook(
        str(NOTEBOOK),
        str(executed),
        parameters={
            "partnership": "S37000005",
            "data_dir": str(tiny_store.path),
            "horizon": 2030,
            "monte_carlo_runs": 300,
            "target_occupancy": 0.9,
            "forecast_years": ["2025/26", "2026/27"],
            "forecast_method": "sarimax",
        },
        kernel_name="python3",
        cwd=str(NOTEBOOK.parent),
        progress_bar=False,
    )
    nb = nbformat.read(executed, as_version=4)
    shown = " ".join(
        str(o.get("data", {}).get("text/html", ""))
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    words = text(shown)
    assert "2030/31" in words and "2035/36" not in words
    assert "90% occupancy" in words and "in 80% of 300 simulations" in words
    assert "Total 2025/26" in words and "Total 2026/27" in words
    assert "SARIMAX(1,0,0)(0,1,1)12" in words


@pytest.mark.browser
def test_report_reads_in_a_browser(projections_rendered, open_page, tmp_path):
    out, _ = projections_rendered
    html = out / "clackmannanshire-and-stirling" / "whole-partnership" / "projections.html"
    page, requests = open_page(html)
    assert [u for u in requests if not u.startswith(("file://", "data:"))] == []
    assert page.locator("header.hscp-banner h1").inner_text() == "Projections"
    assert page.locator("nav.hscp-toc a").count() >= len(SECTIONS)
    images = page.locator("figure.hscp-figure img").all()
    assert len(images) >= 10
    for img in images:
        assert img.get_attribute("alt")
        assert img.evaluate("i => i.naturalWidth") > 300
    page.screenshot(path=str(tmp_path / "projections.png"), full_page=True)
