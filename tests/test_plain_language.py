"""Plain language for the rendered reports: a glossary linked where a term first appears,
each chart's title and source inside its image, and the shorter report for a lead."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from hscp import batch, charts, glossary  # noqa: E402
from hscp.batch import rendering  # noqa: E402

PAGE = """<html><body><main>
<h2 id="x">Special cause and SMR01</h2>
<p>Emergency admissions from SMR01 showed special cause variation; SMR01 again.</p>
<p><a href="y.html">code 9 in a link</a> and then code 9 in the text.</p>
<figure><img src="data:image/png;base64,AAAA"/><figcaption>Trial limits</figcaption></figure>
</main><footer class="hscp-footer"><p>SMR01 in the footer</p></footer></body></html>"""


def test_the_first_use_of_a_term_in_the_text_is_linked_to_the_glossary():
    page = rendering.add_glossary(PAGE)
    links = re.findall(r'<a class="hscp-term" href="#([^"]+)">([^<]+)</a>', page)
    assert ("glossary-smr01", "SMR01") in links
    assert ("glossary-special-cause-variation", "special cause variation") in links
    assert ("glossary-code-9", "code 9") in links
    assert sum(1 for anchor, _ in links if anchor == "glossary-smr01") == 1  # the first only
    assert '<h2 id="x">Special cause and SMR01</h2>' in page  # never in a heading
    assert '<a href="y.html">code 9 in a link</a> and then <a class="hscp-term"' in page
    assert "Trial limits</figcaption>" in page  # nor in a caption: not used, not listed
    glossary_part = page.split('<section class="hscp-glossary">')[1].split("</section>")[0]
    terms = re.findall(r'<p class="hscp-glossary-term" id="([^"]+)">', glossary_part)
    assert {"glossary-smr01", "glossary-code-9", "glossary-emergency-admission"} <= set(terms)
    assert "glossary-trial-limits" not in terms
    assert page.index('class="hscp-glossary"') < page.index('<footer class="hscp-footer">')
    assert "SMR01 in the footer" in page


def test_every_term_has_a_meaning_and_a_unique_anchor():
    anchors = [t.anchor for t in glossary.TERMS]
    assert len(anchors) == len(set(anchors))
    for t in glossary.TERMS:
        assert t.meaning.endswith(".") and len(t.meaning) > 30, t.term
        assert t.regex().search(t.term.split(" (")[0]) or t.patterns, t.term


def test_the_rendered_reports_explain_their_terms(notebooks_rendered):
    for notebook, term in [("delayed_discharges", "code-9"), ("unscheduled_care", "easr"),
                           ("performance", "special-cause"), ("projections", "ets")]:  # fmt: skip
        page = (notebooks_rendered.folder / "whole-partnership" / f"{notebook}.html").read_text()
        assert '<h2 id="glossary">Glossary</h2>' in page, notebook
        assert re.search(rf'<a class="hscp-term" href="#glossary-{term}', page), (notebook, term)
        assert 'href="#glossary">Glossary</a>' in page  # in the contents


def test_a_chart_carries_its_title_and_source_inside_the_image():
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot([1, 2, 3], [3, 1, 2])
    ax.legend(["a line"], loc="upper center", bbox_to_anchor=(0.5, -0.2))
    charts.stamp(fig, "Admissions fell in 2024", "Source: synthetic data. Somewhere, 2024.")
    title, source = fig.texts[-2], fig.texts[-1]
    assert title.get_text() == "Admissions fell in 2024"
    assert source.get_text().startswith("Source: synthetic data")
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    assert source.get_window_extent(renderer).y1 <= legend.y0  # below the legend
    assert title.get_window_extent(renderer).y0 >= ax.get_window_extent(renderer).y1
    plt.close(fig)


@pytest.fixture(scope="module")
def lead_and_analyst(tiny_store, tmp_path_factory):
    jobs = batch.plan(["S37000005"], ["none"], ["analysis/unscheduled_care", "overview"])
    out = {}
    for audience in ("analyst", "lead"):
        folder = tmp_path_factory.mktemp(audience)
        summary = batch.run(jobs, tiny_store, folder, workers=2, progress=False,
                            options={"threshold": 10, "audience": audience})  # fmt: skip
        assert not summary.failed, summary.failed
        out[audience] = folder / "clackmannanshire-and-stirling" / "whole-partnership"
    return out


def test_a_leads_report_keeps_the_messages_and_charts_and_moves_tables_to_the_data(
    lead_and_analyst,
):
    full = (lead_and_analyst["analyst"] / "unscheduled_care.html").read_text()
    short = (lead_and_analyst["lead"] / "unscheduled_care.html").read_text()
    messages = re.search(r'<section class="hscp-key-messages">.*?</section>', full, re.S).group(0)
    assert messages in short
    assert short.count('class="hscp-figure"') == full.count('class="hscp-figure"')
    assert short.count('class="hscp-table-figure"') == 0 < full.count('class="hscp-table-figure"')
    assert short.count("(in the data)") == full.count('class="hscp-table-figure"')
    assert len(short) < len(full)
    csvs = {p.name for p in (lead_and_analyst["lead"] / "tables").rglob("*.csv")}
    assert csvs == {p.name for p in (lead_and_analyst["analyst"] / "tables").rglob("*.csv")}
    # the overview's tables carry its messages: a lead sees them
    overview = (lead_and_analyst["lead"] / "overview.html").read_text()
    assert overview.count('class="hscp-table-figure"') >= 3
    assert "(in the data)" not in overview
