"""The performance notebook rendered on the tiny synthetic Scotland: the whole
partnership and one locality, with the sections the issue asks for, the icons
embedded, and the planted changes found as special cause."""

from __future__ import annotations

import re

import pandas as pd
import pytest

pytestmark = pytest.mark.notebook

NOTEBOOK = "analysis/performance"
SECTIONS = (
    "Key messages",
    "How to read these charts",
    "Summary: every measure in every area",
    "Impact of the tests of change",
    "The localities compared at a glance",
    "Control charts for this area",
    "Emergency admissions",
    "A&amp;E seen within 4 hours",
    "Delayed discharge bed days",
    "Emergency readmissions within 28 days",
    "About this report",
)


@pytest.fixture(scope="module")
def reports(notebooks_rendered):
    out = notebooks_rendered.out
    summary = notebooks_rendered.run("performance", "whole-partnership", "rural-stirling")
    assert [r["status"] for r in summary.reports] == ["ok", "ok"], summary.failed
    folder = out / "clackmannanshire-and-stirling"
    return {
        "folder": folder,
        "whole": (folder / "whole-partnership" / "performance.html").read_text(),
        "rural": (folder / "rural-stirling" / "performance.html").read_text(),
        "tables": folder / "whole-partnership" / "tables" / "performance",
    }


@pytest.mark.parametrize("report", ["whole", "rural"])
def test_report_has_every_section_and_is_offline(reports, report):
    page = reports[report]
    for heading in SECTIONS:
        assert re.search(rf"<h[23][^>]*>{re.escape(heading)}", page), heading
    # the icon summary, the localities' grid and 9 control charts, all embedded images:
    # nothing is fetched from the internet
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', page)) == 11
    assert not re.search(r'(src|href)="https?://', page)
    assert "Traceback" not in page


def test_planted_changes_are_special_cause(reports):
    # The synthetic Scotland plants: delayed bed days -35% in Clackmannanshire from Apr
    # 2024; emergency admissions of people 75+ -20% in Rural Stirling from Jan 2024;
    # A&E attendances +15% in Stirling City from Jul 2024 (hscp.synthetic.PLANTED_CHANGES).
    impact = next(reports["tables"].glob("table-02-*.csv"))
    table = pd.read_csv(impact).set_index(["Area", "Measure"])
    assert table.loc[("Clackmannanshire", "Delayed discharge bed days"), "Verdict"] == (
        "special cause improvement"
    )
    assert table.loc[("Rural Stirling", "Emergency admissions, aged 75+"), "Verdict"] == (
        "special cause improvement"
    )
    city = "Stirling City with the Eastern Villages Bridge of Allan & Dunblane"
    assert table.loc[(city, "A&E attendances"), "Verdict"] == "special cause concern"
    page = reports["whole"]
    assert (
        "Discharge to assess (Clackmannanshire, from April 2024): delayed discharge bed days"
        in page
    )


def test_locality_report_is_about_its_locality(reports):
    page = reports["rural"]
    assert "Rural Stirling: the latest month of each measure" in page
    assert "Emergency admissions, aged 75+, Rural Stirling" in page
    # its key messages speak of its own test of change, not the other localities'
    messages = page.split('id="key-messages"')[1].split('id="How-to-read')[0]
    assert "Frailty practitioner (Rural Stirling" in messages
    assert "Discharge to assess" not in messages


@pytest.mark.browser
def test_report_reads_in_a_browser(reports, open_page):
    page, requests = open_page(reports["folder"] / "rural-stirling" / "performance.html", 1600)
    assert [u for u in requests if not u.startswith(("file://", "data:"))] == []
    images = page.locator("figure.hscp-figure img").all()
    assert len(images) == 11
    for img in images:
        assert img.get_attribute("alt")
        assert img.evaluate("i => i.naturalWidth") > 600  # decoded, full width
    # nothing sticks out sideways (wide tables scroll inside their own box)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
