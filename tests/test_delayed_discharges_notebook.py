"""The delayed discharges notebook rendered on the tiny synthetic data: every section,
for the whole partnership and its localities, disclosure-controlled, and the open data
mode for a partnership without records."""

import re
from pathlib import Path

import nbformat
import pandas as pd
import papermill as pm
import pytest

from hscp import batch

pytestmark = pytest.mark.notebook

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "analysis" / "delayed_discharges.ipynb"

#: Every section the issue asks for (h2/h3 headings of the report).
SECTIONS = (
    "Key messages",
    "How delays have changed",
    "People aged 65+ and 75+",
    "The time of year",
    "Published figures for the partnership and Scotland",
    "Who is delayed",
    "Where they are from, and where they wait",
    "The pathway into hospital",
    "Why they were admitted in the first place",
    "Definitions",
    "About this report",
)
#: Published columns that are counts of people, delays or bed days.
COUNT_COLUMNS = re.compile(r"^(delays|people|bed_days.*|delays_over_3_days)$")


def render(store, out: Path, **parameters) -> str:
    """Execute the notebook as the batch does, with extra parameters; return the HTML."""
    out.mkdir(parents=True, exist_ok=True)
    executed = out / "delayed_discharges.ipynb"
    pm.execute_notebook(
        str(NOTEBOOK),
        str(executed),
        parameters={
            "partnership": "Clackmannanshire & Stirling",
            "data_dir": str(store.path),
            "output_dir": str(out),
            **parameters,
        },
        kernel_name="python3",
        cwd=str(NOTEBOOK.parent),
        progress_bar=False,
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    nb = nbformat.read(executed, as_version=4)
    return batch.export_html(
        nb, {"css": "", "kicker": "", "title": "Delayed discharges", "area": "", "period": ""}
    )


def text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).replace("&amp;", "&")


def headings(page: str) -> list[str]:
    found = re.findall(r"<h[23][^>]*>(.*?)</h[23]>", page, re.S)
    return [text(h).replace("¶", "").strip() for h in found]


def assert_small_counts_hidden(tables: Path) -> None:
    """No published count from 1 to 9 (the tiny data's threshold is 10)."""
    files = list(tables.glob("*.csv"))
    assert files
    for path in files:
        frame = pd.read_csv(path, dtype=str)
        for column in frame.columns:
            if COUNT_COLUMNS.match(column):
                values = pd.to_numeric(frame[column].replace("c", None), errors="coerce")
                small = values[(values > 0) & (values < 10)]
                assert small.empty, f"{path.name}: {column} publishes {small.tolist()}"
        assert "link_no" not in frame.columns, f"{path.name} has record-level identifiers"


@pytest.fixture(scope="module")
def reports(notebooks_rendered):
    out = notebooks_rendered.out
    summary = notebooks_rendered.run("delayed_discharges", "whole-partnership", "clackmannanshire")
    assert all(r["status"] == "ok" for r in summary.reports), summary.failed
    folder = out / "clackmannanshire-and-stirling"
    return {
        "whole": folder / "whole-partnership",
        "locality": folder / "clackmannanshire",
    }


@pytest.mark.parametrize("which", ["whole", "locality"])
def test_report_has_every_section(reports, which):
    page = (reports[which] / "delayed_discharges.html").read_text()
    found = headings(page)
    for section in SECTIONS:
        assert section in found, f"{section!r} missing from the {which} report: {found}"


@pytest.mark.parametrize("which", ["whole", "locality"])
def test_key_messages_are_sentences_with_numbers(reports, which):
    page = (reports[which] / "delayed_discharges.html").read_text()
    start = page.index('class="hscp-key-messages"')
    messages = text(page[start : page.index("</section>", start)])
    assert re.search(
        r"Delays of people aged 75\+ accounted for \d+\.\d% of these bed days", messages
    )
    assert re.search(r"and of people aged 65\+ for \d+\.\d%", messages)
    # a locality's share may be hidden: the few delays still going on whose stay has no
    # finished SMR01 episode yet ("No linked stay") are a small count beside it
    assert re.search(
        r"Emergency admissions led to ([\d.]+%|a share not shown \(small numbers\)) of the "
        r"delayed bed days",
        messages,
    )
    assert re.search(r"The commonest reason for admission in the first place was [a-z]", messages)
    assert re.search(r"per 1,000 people aged 75\+ \(national indicator 19\)", messages)


def test_report_shows_the_pathway_reasons_and_no_scotland_shares_of_part_of_scotland(reports):
    page = text((reports["whole"] / "delayed_discharges.html").read_text())
    for phrase in (
        "No Scotland beside these shares",  # the tiny data hold two partnerships
        "Through A&E",
        "Specialty pathway",
        "Falls and fractures",
        "I Certain infectious and parasitic diseases",  # an ICD-10 chapter row
        "Potentially preventable",
        "Per 1,000 aged 65+",
        "Where people went when their delay ended",
        "delays were linked to their hospital stay",
    ):
        assert phrase in page, phrase


@pytest.mark.parametrize("which", ["whole", "locality"])
def test_published_numbers_are_disclosure_controlled(reports, which):
    assert_small_counts_hidden(reports[which] / "tables" / "delayed_discharges")


def test_another_locality_renders_and_skips_a_missing_open_data_file(tiny_store, tmp_path):
    out = tmp_path / "rural-stirling"
    page = render(
        tiny_store, out, locality="Rural Stirling", open_data_file=str(tmp_path / "none.csv")
    )
    for section in SECTIONS:
        assert section in headings(page), section
    words = text(page)
    assert "published figures" in words and "this section is skipped" in words
    assert "params/defaults.yaml" not in words  # what to set is for the analyst, in JupyterLab
    assert_small_counts_hidden(out / "tables" / "delayed_discharges")


def test_open_data_mode_for_a_partnership_without_records(tiny_store, reference, tmp_path):
    # The tiny data have no records for Fife: the report's key messages and trend come
    # from PHS's published file, with Scotland alongside; the record sections say why
    # they are empty instead of failing.
    page = render(
        tiny_store,
        tmp_path / "fife",
        partnership="Fife",
        open_data_file=str(reference / "delayed_discharge_beddays_ca.csv"),
    )
    words = text(page)
    assert "these messages are from PHS's published figures for Fife" in words
    assert re.search(r"people from Fife spent [\d,]+ days in hospital", words)
    assert re.search(r"Published delayed bed days of Fife residents (rose|fell) by", words)
    assert "Fife and Scotland" in words  # the published table's title
    assert words.count("the data have no delayed discharge records for Fife") >= 5
