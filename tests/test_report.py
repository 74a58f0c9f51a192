"""hscp.report without papermill: what table() and figure() publish, at the threshold's
edges; the CSV beside the report; alt text; the footer's template; fmt_* at the threshold."""

from __future__ import annotations

import json
import types

import pandas as pd
import pytest

from hscp import charts, geography, report


@pytest.fixture
def shown(monkeypatch):
    """The markup report would display, instead of displaying it."""
    markup: list[str] = []
    monkeypatch.setattr(report, "_display_html", markup.append)
    return markup


@pytest.fixture
def rpt(tmp_path, monkeypatch, shown):
    """A current report on Clackmannanshire & Stirling, threshold 10, writing to tmp_path."""
    current = report.Report(
        title="Test report",
        notebook="test",
        partnership=geography.partnership("S37000005"),
        locality=None,
        data=None,
        start=pd.Timestamp("2024-01-01"),
        end=pd.Timestamp("2024-12-31"),
        threshold=10,
        output_dir=tmp_path,
        parameters={"partnership": "Clackmannanshire & Stirling", "note": "<b>bold</b>"},
    )
    monkeypatch.setattr(report, "_current", current)
    return current


def counts_table() -> pd.DataFrame:
    # two counts under 10, so neither can be worked out from the column's total: the
    # suppression is primary only (one alone would take the next smallest with it)
    return pd.DataFrame({"area": ["A", "B", "C", "D"], "people": [9, 1, 10, 25]})


def test_a_count_below_the_threshold_is_suppressed_and_the_threshold_is_shown(rpt, shown):
    published = report.table(counts_table(), title="People by area", counts=["people"])
    # 9 and 1 are below 10 and suppressed; 10 (the threshold itself) and 25 are published
    people = published.data["people"]
    assert people.isna().tolist() == [True, True, False, False]
    assert people.iloc[2:].tolist() == [10, 25]
    cells = shown[-1]
    assert '<td class="num suppressed">c</td>' in cells
    assert ">10</td>" in cells and ">25</td>" in cells and ">9</td>" not in cells
    assert "a count from 1 to 9" in cells  # the note says what "c" means


def test_the_csv_marks_a_suppressed_cell_c(rpt, tmp_path):
    report.table(counts_table(), title="People by area", counts=["people"])
    csv = tmp_path / "tables" / "test" / "table-01-people-by-area.csv"
    assert csv.read_text().splitlines() == ["area,people", "A,c", "B,c", "C,10", "D,25"]


def test_the_threshold_is_the_reports(rpt):
    rpt.threshold = 5
    published = report.table(counts_table(), title="People", counts=["people"])
    # at threshold 5, 9 is published and 1 alone is suppressed, so the next smallest (9)
    # goes with it: the total of the column would give it away
    assert published.data["people"].isna().tolist() == [True, True, False, False]
    rpt.threshold = 2
    published = report.table(counts_table().iloc[[0, 2, 3]], title="People", counts=["people"])
    assert published.data["people"].tolist() == [9, 10, 25]


def test_a_derived_rate_goes_with_its_count(rpt, tmp_path):
    data = counts_table().assign(population=1000)
    data["rate"] = data["people"] / data["population"] * 1000
    published = report.table(
        data,
        title="Rates",
        counts=["people"],
        derived={"rate": ["people"]},
    )
    assert published.data["rate"].isna().tolist() == [True, True, False, False]
    csv = (tmp_path / "tables" / "test" / "table-01-rates.csv").read_text().splitlines()
    assert csv[1] == "A,c,1000,c"


def test_a_table_with_no_counts_publishes_every_value(rpt, tmp_path):
    # counts=[] says the table holds no counts of people or events (assumptions, say)
    data = pd.DataFrame({"assumption": ["Average stay (days)"], "value": [3]})
    published = report.table(data, title="Assumptions", counts=[])
    assert published.data["value"].tolist() == [3]
    assert "c" not in (tmp_path / "tables" / "test" / "table-01-assumptions.csv").read_text()
    with pytest.raises(ValueError, match="derived columns need the counts"):
        report.table(data, title="x", counts=[], derived={"value": ["people"]})


def test_tables_and_figures_are_numbered_in_order(rpt, shown):
    report.table(counts_table(), title="First", counts=["people"])
    report.table(counts_table(), title="Second", counts=["people"])
    assert "<strong>Table 2:</strong> Second" in shown[-1]
    assert rpt.tables == 2


def test_a_long_table_shows_its_first_rows_and_the_csv_has_them_all(rpt, shown, tmp_path):
    data = pd.DataFrame({"n": range(100, 170)})
    report.table(data, title="Long", counts=["n"], max_rows=60)
    assert "The first 60 of 70 rows are shown" in shown[-1]
    assert len((tmp_path / "tables" / "test" / "table-01-long.csv").read_text().splitlines()) == 71


@pytest.mark.parametrize("alt", ["", "   ", None])
def test_a_figure_without_alt_text_is_refused(rpt, alt):
    data = pd.DataFrame({"month": pd.date_range("2024-01-01", periods=3, freq="MS"), "n": 50})
    with pytest.raises(ValueError, match="needs alt text"):
        report.figure(charts.monthly_lines, data, title="Trend", alt=alt, counts=["n"], y="n")


def test_a_figure_draws_only_the_protected_data(rpt, shown, tmp_path):
    months = pd.date_range("2024-01-01", periods=4, freq="MS")
    data = pd.DataFrame({"month": months, "n": [50, 4, 3, 60]})
    drawn = []

    def chart(frame, **options):
        drawn.append(frame)
        return charts.monthly_lines(frame, **options)

    published = report.figure(chart, data, title="Trend", alt="A line", counts=["n"], y="n")
    assert drawn[0]["n"].isna().tolist() == [False, True, True, False]
    assert published.kind == "figure" and published.number == 1
    assert 'alt="A line"' in shown[-1] and "data:image/png;base64," in shown[-1]
    lines = (tmp_path / "tables" / "test" / "figure-01-trend.csv").read_text().splitlines()
    assert lines == ["month,n", "2024-01-01,50", "2024-02-01,c", "2024-03-01,c", "2024-04-01,60"]


@pytest.mark.parametrize(
    ("n", "expected"), [(9, "fewer than 10"), (10, "10"), (0, "0"), (None, "fewer than 10")]
)
def test_counts_in_sentences_use_the_reports_threshold(rpt, n, expected):
    assert report.fmt_count(n) == expected


def test_without_a_report_sentences_use_the_default_threshold(monkeypatch):
    monkeypatch.setattr(report, "_current", None)
    assert report.fmt_count(9) == "fewer than 10"
    with pytest.raises(RuntimeError, match="report.start"):
        report.current()


def test_the_footer_comes_from_its_template_and_escapes_values(rpt, monkeypatch):
    provenance = {
        "source": {"source": "synthetic", "scale": "tiny", "seed": 1, "extract_date": None},
        "period": {"start": "2023-01-01", "end": "2024-12-31"},
        "prepared": "2026-01-02T03:04:05",
        "tables": {
            "acute_episodes": {
                "input": "/x/acute_episodes.parquet",
                "rows": 12345,
                "modified": "2026-01-01T00:00",
                "sha256": "0123456789abcdef" * 4,
            }
        },
    }
    rpt.data = types.SimpleNamespace(store=types.SimpleNamespace(provenance=lambda: provenance))
    monkeypatch.setenv("HSCP_CODE_VERSION", "hscp test")
    page = report.footer_html(rpt)
    assert "synthetic Scotland (tiny scale, seed 1): not real patients" in page
    assert "extract date not recorded" in page
    assert '<td class="num">12,345</td>' in page and "<td>acute_episodes.parquet</td>" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page  # a parameter's value is escaped
    assert "counts from 1 to 9" in page and "'c'" in page
    assert "hscp test" in page
    # traceable: the input's hash and the numerical packages' versions
    assert "<code>0123456789ab</code>" in page
    import pandas

    assert f"pandas {pandas.__version__}" in page and "Python 3." in page


# --- declared columns: every number published is a count, derived, safe or a label ------


def test_an_undeclared_numeric_column_is_an_error_not_a_leak(rpt, tmp_path):
    # "admitted" beside the declared count: 3 and 8 would be published as they are
    data = counts_table().assign(admitted=[3, 0, 8, 12])
    with pytest.raises(report.disclosure.UndeclaredColumnError, match=r"\['admitted'\]"):
        report.table(data, title="Admitted", counts=["people"])
    assert not (tmp_path / "tables" / "test").exists() or not list(
        (tmp_path / "tables" / "test").glob("*.csv")
    )
    with pytest.raises(report.disclosure.UndeclaredColumnError, match="figure 'A chart'"):
        report.figure(
            charts.bars, data, x="people", y="area", title="A chart", alt="x", counts=["people"]
        )


def test_each_column_s_kind_is_written_beside_the_csv_and_on_the_table(rpt, tmp_path, shown):
    data = counts_table().assign(
        population=1000,  # a population: safe by its name
        month=pd.Timestamp("2024-03-01"),  # a date: safe
        hour=[0, 1, 2, 3],  # declared safe
    )
    data["rate"] = data["people"] / data["population"] * 1000
    report.table(
        data, title="Kinds", counts=["people"], derived={"rate": ["people"]}, safe=["hour"]
    )
    sidecar = tmp_path / "tables" / "test" / "table-01-kinds.columns.json"
    assert json.loads(sidecar.read_text()) == {
        "area": "label",
        "people": "count",
        "population": "safe",
        "month": "safe",
        "hour": "safe",
        "rate": "derived",
    }
    assert '<th scope="col" class="num" data-hscp-kind="count">People</th>' in shown[-1]


@pytest.mark.parametrize(
    ("column", "values", "kind"),
    [
        ("area", ["A", "B"], "label"),  # text
        ("flag", [True, False], "label"),  # booleans
        ("year", [2023, 2024], "safe"),  # SAFE_NAMES
        ("population_75plus", [5, 6], "safe"),  # a population
        ("when", pd.to_datetime(["2024-01-01", "2024-02-01"]), "safe"),  # dates
    ],
)
def test_kinds_that_need_no_declaration(column, values, kind):
    table = pd.DataFrame({column: values, "people": [10, 20]})
    assert report.disclosure.column_kinds(table, ["people"])[column] == kind


def test_a_table_declared_to_hold_no_counts_is_all_safe():
    table = pd.DataFrame({"label": ["a"], "beds": [3.5]})
    assert report.disclosure.column_kinds(table, [])["beds"] == "safe"
