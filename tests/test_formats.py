"""The formats besides the HTML (run_all.py --formats html,docx,pdf): a Word document
whose headings, key messages and tables are editable text and real tables, and a PDF
printed by Chromium whose headings stay with their charts and whose pages are not
left half blank."""

from __future__ import annotations

import html
import re
import shutil

import pytest

from hscp import batch
from hscp.batch import formats

pytestmark = pytest.mark.notebook

AREA = "clackmannanshire-and-stirling/whole-partnership"


@pytest.fixture(scope="module")
def published(tiny_store, tmp_path_factory):
    if formats.chromium() is None:
        pytest.skip("Chromium not installed")
    out = tmp_path_factory.mktemp("formats")
    jobs = batch.plan(["S37000005"], ["none"], ["analysis/unscheduled_care"])
    options = {"threshold": 10, "formats": ("html", "docx", "pdf")}
    summary = batch.run(jobs, tiny_store, out, workers=1, options=options, progress=False)
    assert not summary.failed
    return out / AREA


def _headings(page: str) -> list[str]:
    found = re.findall(r"<h([23])[^>]*>(.*?)</h\1>", page, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>|¶", "", t)).split()) for _, t in found]


def test_the_word_version_has_every_table_and_chart_and_editable_text(published):
    import docx

    page = (published / "unscheduled_care.html").read_text()
    document = docx.Document(str(published / "unscheduled_care.docx"))
    assert len(document.tables) == page.count('class="hscp-table"')
    assert len(document.inline_shapes) == page.count('class="hscp-figure"')
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Key messages" in headings
    for heading in _headings(page):
        if heading != "Contents":
            assert heading in headings, heading
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    first_message = re.search(r'class="hscp-key-messages".*?<li>(.*?)</li>', page, re.S).group(1)
    assert bullets[0] == " ".join(html.unescape(first_message).split())
    # a table as a table: its header row and first row as the HTML has them
    html_table = re.search(r'<table class="hscp-table">(.*?)</table>', page, re.S).group(1)
    header = [" ".join(html.unescape(re.sub(r"<[^>]+>", "", h)).split())
              for h in re.findall(r"<th[^>]*>(.*?)</th>", html_table, re.S)]  # fmt: skip
    assert [c.text for c in document.tables[0].rows[0].cells] == header
    assert "Download the data" not in "\n".join(p.text for p in document.paragraphs)


def _lowest_text(pdf_page) -> float:
    """The height from the foot of the page of its lowest line of text."""
    ys: list[float] = []

    def seen(text, cm, tm, *_):
        if text.strip():  # the text's origin in the page's space (text matrix x current)
            ys.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    pdf_page.extract_text(visitor_text=seen)
    return min(ys) if ys else 0.0


def test_the_pdf_keeps_headings_with_their_charts_and_fills_its_pages(published):
    from pypdf import PdfReader

    page = (published / "unscheduled_care.html").read_text()
    headings = set(_headings(page))
    reader = PdfReader(str(published / "unscheduled_care.pdf"))
    assert len(reader.pages) > 5
    lowest = []
    for number, pdf_page in enumerate(reader.pages):
        lines = [x.strip() for x in pdf_page.extract_text().splitlines() if x.strip()]
        assert lines, f"page {number + 1} is blank"
        assert lines[-1] not in headings, f"page {number + 1} ends with a heading: {lines[-1]}"
        lowest.append(_lowest_text(pdf_page))
    height = float(reader.pages[0].mediabox.height)
    # text reaches at least 40% of the way down every page but the last (images aside: a
    # page whose chart fills it above its caption is full)
    half_blank = [
        i + 1 for i, y in enumerate(lowest[:-1]) if y > height * 0.6 and not reader.pages[i].images
    ]
    assert len(half_blank) <= 2, f"pages mostly blank: {half_blank}"


def test_the_index_links_the_other_formats(published):
    index = (published.parents[1] / "index.html").read_text()
    assert f'href="{AREA}/unscheduled_care.docx"' in index
    assert f'href="{AREA}/unscheduled_care.pdf"' in index


def test_formats_are_checked_before_anything_runs(monkeypatch):
    assert formats.parse_formats("html") == ("html",)
    assert formats.parse_formats("docx") == ("html", "docx")
    with pytest.raises(batch.BatchError, match="unknown odt"):
        formats.parse_formats("html,odt")
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("HSCP_CHROMIUM", raising=False)
    if shutil.which("chromium") is None:
        with pytest.raises(batch.BatchError, match="needs Chromium"):
            formats.parse_formats("pdf")


def test_the_html_has_one_title_and_no_trace_of_the_explorer(published):
    page = (published / "unscheduled_care.html").read_text()
    assert page.count("<h1") == 1 and 'class="hscp-banner-title"' in page
    assert "widget-view" not in page and "Explore:" not in page
    assert page.count('class="hscp-keep"') >= 5  # headings held with their charts in print
