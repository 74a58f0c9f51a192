"""The overview: one page for a lead, every number the register's, two printed A4 pages.

The reports come from the session's rendering of every default notebook on the tiny
data (fixture notebooks_rendered: Clackmannanshire & Stirling, the whole partnership
and two localities).
"""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from hscp import batch, evidence, geography
from hscp.evidence import signals
from hscp.workbooks import overview

PARTNERSHIP = "S37000005"
P = geography.partnership(PARTNERSHIP)
AREAS = {"whole-partnership": None, "clackmannanshire": "Clackmannanshire",
         "rural-stirling": "Rural Stirling"}  # fmt: skip


@pytest.fixture(scope="module")
def ev(tiny_store) -> evidence.Evidence:
    return evidence.load(tiny_store, PARTNERSHIP, threshold=10)


def page(rendered, area: str, notebook: str = "overview") -> str:
    return (rendered.folder / area / f"{notebook}.html").read_text()


def key_messages(rendered, area: str, notebook: str = "overview") -> list[str]:
    section = re.search(
        r'<section class="hscp-key-messages">(.*?)</section>', page(rendered, area, notebook), re.S
    )
    items = re.findall(r"<li>(.*?)</li>", section.group(1), re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", i)) for i in items]


def csv(rendered, area: str, number: int) -> pd.DataFrame:
    (path,) = (rendered.folder / area / "tables" / "overview").glob(f"table-{number:02d}-*.csv")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_the_overview_renders_for_the_partnership_and_each_locality(notebooks_rendered):
    reports = [r for r in notebooks_rendered.reports if r["notebook"] == "overview"]
    assert len(reports) == 3 and {r["status"] for r in reports} == {"ok"}, reports


@pytest.mark.parametrize("area", list(AREAS))
def test_the_headline_figures_are_the_registers(notebooks_rendered, ev, area):
    view = ev.for_locality(AREAS[area])
    table = csv(notebooks_rendered, area, 1).set_index("Measure")
    for key, (name, change_key) in overview.HEADLINES.items():
        f = view.figure(key)
        assert table.loc[name, "Latest 12 months"] == f.number(), key
        change = view.figure(change_key).change if change_key else f.change
        if not pd.isna(change):
            arrow = "▲" if change > 0 else "▼"
            assert table.loc[name, "Change"] == f"{arrow} {abs(change):.1%}", key


def test_the_headline_comparisons_are_the_registers(notebooks_rendered, ev):
    table = csv(notebooks_rendered, "clackmannanshire", 1).set_index("Measure")
    view = ev.for_locality("Clackmannanshire")
    words = {"higher": "higher", "lower": "lower", "no clear difference": "similar", None: "-"}
    for key, (name, _) in overview.HEADLINES.items():
        f = view.figure(key)
        assert table.loc[name, "vs partnership"] == words[f.vs_partnership], key
    # the tiny data hold two partnerships: not Scotland, nor the whole of NHS Forth Valley
    assert "vs Scotland" not in table.columns


def test_the_locality_grid_is_each_localitys_change(notebooks_rendered, ev):
    grid = csv(notebooks_rendered, "whole-partnership", 2).set_index("Area")
    assert list(grid.index) == [*P.localities, P.name]
    for area in grid.index:
        f = ev.figure("delayed_bed_days", area)
        arrow = "▲" if f.change > 0 else "▼"
        assert grid.loc[area, "Delayed bed days"] == f"{arrow} {abs(f.change):.1%}"
    found = signals.from_evidence(ev)
    for area in grid.index:
        assert int(grid.loc[area, "Concerns"]) == sum(
            s.concern is True for s in found if s.area == area
        )


def test_every_concern_in_the_partnership_is_in_the_overviews_messages(notebooks_rendered, ev):
    text = " ".join(key_messages(notebooks_rendered, "whole-partnership"))
    found = signals.from_evidence(ev)
    for s in found:
        if s.concern and s.rule != signals.TEST_OF_CHANGE:
            told = s.detail in text or (s.topic or "") in text or s.label in text
            assert s.area in text and told, s
    for locality in signals.priority_localities(found, P):
        assert locality in text


def test_the_overview_quotes_the_same_numbers_as_the_detailed_reports(notebooks_rendered, ev):
    """A shared figure is the same number in the overview, the unscheduled care report,
    the delayed discharges report and the case for change."""
    for area, locality in AREAS.items():
        view = ev.for_locality(locality)
        mine = " ".join(key_messages(notebooks_rendered, area))
        unscheduled = " ".join(key_messages(notebooks_rendered, area, "unscheduled_care"))
        case = " ".join(key_messages(notebooks_rendered, area, "phase1_evidence"))
        admissions = f"{view.figure('emergency_admissions').value:,.0f} emergency admissions"
        assert admissions in mine and admissions in unscheduled and admissions in case
        ae = f"{view.figure('ae_attendances').value:,.0f} A&E attendances"
        assert ae in mine and ae in unscheduled and ae in case
        delayed = f"spent {view.figure('delayed_bed_days').value:,.0f} days there waiting"
        assert delayed in mine and delayed in case


def test_the_beds_are_told_apart(notebooks_rendered, ev):
    text = " ".join(key_messages(notebooks_rendered, "whole-partnership"))
    assert ev.distinguish("emergency_beds", "sd_emergency_beds_65plus") in text
    assert (
        f"need {ev.figure('projected_extra_beds_demography').number()} more beds for all ages"
        in text
    )
    assert (
        f"needs {ev.figure('sd_extra_beds_65plus_future').number()} more for people aged 65+"
        in text
    )


def test_the_overview_links_each_detailed_report_beside_it(notebooks_rendered):
    markup = page(notebooks_rendered, "whole-partnership")
    links = re.findall(r'<ul class="hscp-links">(.*?)</ul>', markup, re.S)[0]
    hrefs = [h for h in re.findall(r'href="([^"]+)"', links) if not h.startswith("#glossary")]
    assert len(hrefs) == len(overview.REPORTS)
    for href in hrefs:
        assert (notebooks_rendered.folder / "whole-partnership" / href).exists(), href


def test_the_index_puts_the_overview_first_and_says_what_each_report_answers(notebooks_rendered):
    index = (notebooks_rendered.folder.parent / "index.html").read_text()
    rows = re.findall(
        r'<a href="clackmannanshire-and-stirling/whole-partnership/(\w+)\.html"', index
    )
    assert rows[0] == "overview"
    answers = index.split('id="what-each-report-answers"')[1].split("</dl>")[0]
    assert answers.index("Overview") < answers.index("Unscheduled care")
    assert "What a lead needs in three minutes" in answers
    assert answers.count("<dt>") == len(rows)  # one sentence for each report on the page


def test_the_default_run_and_the_notebook_list_start_with_the_overview():
    assert batch.available_notebooks()[0] == "overview"
    assert batch.resolve_notebook("overview") == "overview"


@pytest.mark.parametrize("area", ["whole-partnership", "rural-stirling"])
def test_the_overview_prints_on_two_a4_pages(notebooks_rendered, tmp_path, area):
    from pypdf import PdfReader

    from hscp.batch import formats

    if formats.chromium() is None:
        pytest.skip("Chromium not installed")

    pdf = tmp_path / "overview.pdf"
    formats.to_pdf(notebooks_rendered.folder / area / "overview.html", pdf)
    reader = PdfReader(str(pdf))
    assert len(reader.pages) <= 2
    assert "About this report" in reader.pages[-1].extract_text()


def test_the_overview_shows_the_partnerships_inequality_gaps(notebooks_rendered, ev):
    for area in AREAS:
        table = csv(notebooks_rendered, area, 4).set_index("Measure")
        gaps = ev.table("inequality_gaps")
        gaps = gaps[gaps["basis"] == "Scotland's quintiles"].set_index("key")
        row = table.loc["Emergency admissions, per 1,000 residents"]
        assert float(row["Times as high"]) == pytest.approx(
            gaps.loc["emergency_admissions", "relative_gap"]
        )
        assert float(row["Slope index"]) == pytest.approx(gaps.loc["emergency_admissions", "sii"])


def test_every_shared_figure_is_the_same_number_in_every_report(notebooks_rendered, tiny_store):
    """hscp.consistency over all the reports of the partnership: each shared figure, in
    every report that quotes it, is the register's number."""
    from hscp import consistency

    compared, found = consistency.check(notebooks_rendered.folder.parent, tiny_store)
    assert not found, [str(d) for d in found]
    # 3 areas: the overview and phase 1 quote 5 figures, unscheduled care 4, delays 1
    assert compared >= 3 * (5 + 5 + 4 + 1)


def test_a_report_that_disagrees_is_found(notebooks_rendered, tiny_store, tmp_path):
    import shutil

    from hscp import consistency

    out = tmp_path / "out"
    area = out / "clackmannanshire-and-stirling" / "whole-partnership"
    area.mkdir(parents=True)
    page = page_text = (
        notebooks_rendered.folder / "whole-partnership" / "overview.html"
    ).read_text()
    ev = evidence.load(tiny_store, PARTNERSHIP, threshold=10)
    right = f"residents had {ev.figure('emergency_admissions').value:,.0f} "
    assert right in page_text
    page = page_text.replace(right, "residents had 1,234 ", 1)
    (area / "overview.html").write_text(page)
    shutil.copy(notebooks_rendered.folder.parent / "run-summary.json", out / "run-summary.json")
    compared, found = consistency.check(out, tiny_store)
    assert [(d.key, d.report_says) for d in found] == [("emergency_admissions", "1,234")]
