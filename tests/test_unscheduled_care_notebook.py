"""The unscheduled care notebook, rendered on the tiny synthetic data: the whole partnership and
one locality, with the sections the issue asks for, disclosure-controlled."""

import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "analysis" / "unscheduled_care.ipynb"
pytestmark = pytest.mark.notebook

SECTIONS = (
    "Key messages",
    "Emergency admissions and bed days over time",
    "Rates compared with the partnership, NHS board and Scotland",
    "The localities side by side",
    "Potentially preventable admissions",
    "What drives emergency bed days",
    "A&amp;E attendances",
    "Repeat attenders",
    "Falls",
    "Emergency readmissions within 28 days",
    "Emergency admission and bed day rates, readmissions and falls",
)


@pytest.fixture(scope="module")
def unscheduled(notebooks_rendered):
    summary = notebooks_rendered.run("unscheduled_care", "whole-partnership", "rural-stirling")
    return notebooks_rendered.folder, summary


def page(folder: Path, area: str) -> str:
    return (folder / area / "unscheduled_care.html").read_text()


def test_notebook_follows_the_conventions():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.metadata["hscp"]["title"] == "Unscheduled care"
    assert set(nb.metadata["hscp"]["tables"]) == {"acute_episodes", "ae_attendances", "population"}
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and nb.cells.index(tagged[0]) == 1
    for name in ("partnership", "locality", "data_dir", "period_start", "period_end",
                 "output_dir", "disclosure_threshold", "frequent_threshold"):  # fmt: skip
        assert re.search(rf"^{name} = .+  # ", tagged[0].source, re.M), name
    assert "report.start(" in nb.cells[2].source
    assert nb.cells[-1].source.strip() == "report.footer()"
    assert all(not c.outputs for c in nb.cells if c.cell_type == "code")


def test_both_reports_render(unscheduled):
    folder, summary = unscheduled
    assert [r["status"] for r in summary.reports] == ["ok", "ok"], summary.failed
    assert (folder / "whole-partnership" / "unscheduled_care.html").exists()
    assert (folder / "rural-stirling" / "unscheduled_care.html").exists()


@pytest.mark.parametrize("area", ["whole-partnership", "rural-stirling"])
def test_report_has_every_section_key_messages_first(unscheduled, area):
    html = page(unscheduled[0], area)
    positions = [html.find(f">{title}<") for title in SECTIONS]
    assert all(p > 0 for p in positions), [
        t for t, p in zip(SECTIONS, positions, strict=True) if p < 0
    ]
    assert positions == sorted(positions)  # key messages first, then the story in order


def test_locality_report_compares_only_with_the_areas_the_data_cover(unscheduled):
    # the tiny data hold two partnerships (not Falkirk): their total is neither NHS Forth
    # Valley nor Scotland, so the locality is compared with its partnership only, and
    # the report says why
    html = page(unscheduled[0], "rural-stirling")
    assert "Rural Stirling locality" in html
    assert "Against Clackmannanshire &amp; Stirling" in html
    for comparator in ("NHS Forth Valley", "Scotland"):
        assert f"Against {comparator}" not in html, comparator
    assert "The data cover 2 of Scotland&#x27;s 31 partnerships" in html or (
        "The data cover 2 of Scotland's 31 partnerships" in html
    )
    # the funnel and its reading for every locality of the partnership
    assert "funnel" in html and "Stirling City with the Eastern Villages" in html
    assert "beyond what chance would explain" in html or "within the 95% limits" in html


def test_differences_are_claimed_only_with_their_interval(unscheduled):
    html = page(unscheduled[0], "rural-stirling")
    text = re.sub(r"<[^>]+>", " ", html)
    claims = [m.start() for m in re.finditer(r"\bis (?:higher|lower) than\b", text)]
    assert claims  # the synthetic Rural Stirling has fewer emergency admissions than Scotland
    for at in claims:
        # every "is higher/lower than" sentence quotes the interval it rests on
        assert "95% CI" in text[max(at - 250, 0) : at], text[max(at - 250, 0) : at + 80]


def test_published_counts_are_disclosure_controlled(unscheduled):
    folder = unscheduled[0] / "rural-stirling" / "tables" / "unscheduled_care"
    paths = list(folder.glob("*.csv"))
    assert len(paths) > 20
    count_like = re.compile(
        r"^(count|admissions|discharges|bed_days|attendances|people|stays|ppa|numerator|"
        r"admitted|within_4_hours|ambulance|readmissions|emergency_admissions|ppa_admissions|"
        r"frequent_people|frequent_attendances|frequent_admissions)$"
    )
    for path in paths:
        frame = pd.read_csv(path, dtype=str)
        for column in frame.columns:
            if count_like.match(column):
                values = pd.to_numeric(frame[column].replace("c", None), errors="coerce").dropna()
                assert not ((values > 0) & (values < 10)).any(), f"{path.name}: {column}"


def test_run_summary_records_the_reports(unscheduled, notebooks_rendered):
    summary = json.loads((unscheduled[0].parent / "run-summary.json").read_text())
    # the shared run renders every default notebook: all of them, these two included
    assert summary["ok"] == len(notebooks_rendered.reports) and summary["failed"] == 0
    recorded = {r["html"] for r in summary["reports"]}
    for area in ("whole-partnership", "rural-stirling"):
        assert f"clackmannanshire-and-stirling/{area}/unscheduled_care.html" in recorded
