"""The integration indicators workbook on hand-made inputs, and the rendered report."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from hscp import geography
from hscp.workbooks import integration_indicators as w

CS = geography.partnership("S37000005")


def test_comparison_areas_holds_only_what_the_data_cover():
    only_cs = w.comparison_areas(CS, {"S37000005"})
    assert list(only_cs) == [CS.name, *CS.localities]  # no peers, board or Scotland
    everyone = {p.code for p in geography.partnerships()}
    areas = w.comparison_areas(CS, everyone)
    assert [a for a in areas if a not in (CS.name, *CS.localities)] == [
        "Falkirk", "West Lothian", "Angus", "East Lothian", "NHS Forth Valley", "Scotland"
    ]  # fmt: skip
    assert areas["NHS Forth Valley"][0] == {"S37000005", "S37000013"}  # with Falkirk


def test_the_latest_years_leave_out_the_provisional_months():
    # an extract dated 31 March 2025: January to March 2025 are provisional
    first = pd.Timestamp("2025-01-01")
    assert w.complete_until(first, "2025-03-01") == pd.Timestamp("2024-12-01")
    fy, calendar = w.latest_years("2025-03", first)
    assert (fy.label, calendar) == ("2023/24", 2024)
    fy, calendar = w.latest_years("2025-03", None)  # nothing provisional
    assert (fy.label, calendar) == ("2024/25", 2024)
    fy, calendar = w.latest_years("2024-08", None)  # a report that ends in August
    assert (fy.label, calendar) == ("2023/24", 2023)


def test_provisional_months_are_drawn_but_not_judged():
    months = pd.date_range("2023-01-01", "2025-03-01", freq="MS")
    counts = pd.DataFrame({"area": CS.name, "indicator": "msg1", "month": months,
                           "numerator": [310.0] * 24 + [100.0, 90.0, 80.0]})  # fmt: skip
    counts = pd.concat([counts, counts.assign(indicator="msg3")], ignore_index=True)
    charts = w.control_charts(counts, pd.Timestamp("2025-01-01"))
    msg1 = charts[charts["indicator"] == "msg1"]
    assert (msg1["point_type"] == "provisional").sum() == 3
    assert msg1["mean"].nunique() == 1  # the limits of the 24 complete months, carried on
    summary = w.chart_summaries(charts).set_index("indicator")
    assert summary.loc["msg1", "latest_month"] == pd.Timestamp("2024-12-01")
    assert summary.loc["msg1", "variation"] == "common_cause"  # the falls are not judged
    assert summary.loc["msg3", "variation"] != "common_cause"  # A&E is complete: judged


def _yearly(**overrides):
    row = {c: 10.0 for c, *_ in w.YEARLY} | {count: 100 for _, _, _, count, _ in w.YEARLY}
    rows = [dict(row, area="A"), dict(row, area="B")]
    rows[1].update(overrides)
    return pd.DataFrame(rows)


def test_yearly_table_hides_a_rate_whose_count_is_small():
    table = w.yearly_table(_yearly(msg2b_bed_days=3, msg2b_rate=1234.5), "B", threshold=10)
    assert list(table.columns[:4]) == ["Indicator", "Unit", "Better", "B"]  # the area first
    row = table.set_index("Indicator").loc["MSG2b Unscheduled bed days, geriatric long stay"]
    assert row["B"] == "c" and row["A"] == "10.0"
    ni12 = table.set_index("Indicator").loc["NI12 Emergency admissions, adults"]
    assert ni12["B"] == "10.0"
    zero = w.yearly_table(_yearly(msg2b_bed_days=0, msg2b_rate=0.0), "B", threshold=10)
    assert zero.set_index("Indicator").loc[row.name, "B"] == "0.0"  # none is not disclosive


def _counts(indicator, by_fy: dict[str, tuple[float, float]]):
    """Monthly rows whose financial-year totals are by_fy (numerator, denominator)."""
    rows = []
    for label, (num, den) in by_fy.items():
        start = int(label[:4])
        for m in pd.date_range(f"{start}-04-01", f"{start + 1}-03-01", freq="MS"):
            rows.append({"area": CS.name, "indicator": indicator, "month": m,
                         "numerator": num / 12, "denominator": den / 12})  # fmt: skip
    return pd.DataFrame(rows)


def test_objectives_against_their_trajectory():
    counts = pd.concat([
        _counts("msg1", {"2022/23": (10_000, 0), "2023/24": (9_900, 0)}),  # -1.0%
        _counts("msg2a", {"2022/23": (100_000, 0), "2023/24": (96_000, 0)}),  # -4.0%
        _counts("msg4", {"2023/24": (5_000, 0)}),  # no baseline year in the data
        _counts("msg5", {"2022/23": (900, 1000), "2023/24": (950, 1000)}),  # 95.0%
    ])  # fmt: skip
    table = w.objectives_table(counts, CS, pd.Timestamp("2025-01-01")).set_index("Indicator")
    # params: msg1 -1.5% by 2023/24, msg2a -3%, msg5 94.5%
    assert table.loc["MSG1", ["Actual", "Status"]].tolist() == ["\u22121.0%", "off trajectory"]
    assert table.loc["MSG2a", ["Actual", "Status"]].tolist() == ["\u22124.0%", "on trajectory"]
    assert table.loc["MSG5", ["Actual", "Status"]].tolist() == ["95.0%", "on trajectory"]
    assert "not measurable" in table.loc["MSG4", "Status"]
    assert (table["Latest complete year"].dropna() == "2023/24").all()


def test_key_messages_name_the_signals_and_the_objectives_off_trajectory():
    summary = pd.DataFrame([
        {"area": CS.name, "indicator": "msg4", "latest_month": pd.Timestamp("2024-12-01"),
         "variation": "special_cause_concern"},
        {"area": CS.name, "indicator": "msg1", "latest_month": pd.Timestamp("2024-12-01"),
         "variation": "common_cause"},
    ])  # fmt: skip
    objectives = pd.DataFrame([{"Indicator": "MSG1", "Status": "off trajectory"}])
    messages = w.key_messages(summary, _yearly(), objectives, CS.name, "2023/24", 2024,
                              pd.Timestamp("2025-01-01"))  # fmt: skip
    assert messages[0] == (
        "In December 2024, MSG4 Delayed discharge bed days moved the wrong way (special cause "
        "concern) in Clackmannanshire & Stirling."
    )
    assert "Months from January 2025 are provisional" in messages[1]
    assert "The data cover only part of Scotland" in messages[2]  # no Scotland in _yearly
    assert messages[-1] == "Off trajectory for the partnership's MSG objectives: MSG1."


# --- the rendered report -------------------------------------------------------------------


@pytest.fixture(scope="module")
def pages(notebooks_rendered):
    run = notebooks_rendered.run("integration_indicators", "whole-partnership", "rural-stirling")
    assert [r["status"] for r in run.reports] == ["ok", "ok"], run.failed
    folder = notebooks_rendered.folder
    return {
        "whole": (folder / "whole-partnership" / "integration_indicators.html").read_text(),
        "rural": (folder / "rural-stirling" / "integration_indicators.html").read_text(),
        "tables": folder / "whole-partnership" / "tables" / "integration_indicators",
        "folder": folder,
    }


@pytest.mark.notebook
@pytest.mark.parametrize("page", ["whole", "rural"])
def test_report_has_its_sections_and_seven_charts(pages, page):
    html = pages[page]
    for heading in ("Key messages", "The indicators this year, against the comparators",
                    "The partnership&#x27;s MSG objectives", "Month by month: control charts"):  # fmt: skip
        assert re.search(rf"<h2[^>]*>{re.escape(heading)}", html) or heading in html, heading
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', html)) == 7
    assert "provisional" in html and "Traceback" not in html


def _csv(folder, notebook: str, prefix: str) -> pd.DataFrame:
    (path,) = (folder / "whole-partnership" / "tables" / notebook).glob(f"{prefix}*.csv")
    return pd.read_csv(path, parse_dates=["month"])


@pytest.mark.notebook
def test_the_same_counts_as_the_delayed_discharges_and_unscheduled_care_reports(pages):
    folder = pages["folder"]
    msg3 = _csv(folder, "integration_indicators", "figure-05-msg3").set_index("month")
    msg4 = _csv(folder, "integration_indicators", "figure-06-msg4").set_index("month")
    delays = _csv(folder, "delayed_discharges", "table-01-delayed-bed-days-by-month")
    attendances = _csv(folder, "unscheduled_care", "figure-12-aande-attendances")
    both = delays[delays["month"].isin(msg4.index)]
    assert len(both) >= 6
    assert (msg4.loc[both["month"], "numerator"].to_numpy() == both["Total"].to_numpy()).all()
    both = attendances[attendances["month"].isin(msg3.index)]
    assert len(both) >= 12
    assert (msg3.loc[both["month"], "numerator"].to_numpy() == both["attendances"].to_numpy()).all()


def test_ni11_standardises_deaths_under_75_by_age_and_sex():
    # two ESP2013 bands (65-69: 5,500; 70-74: 5,000 per sex); 10 deaths of men aged 70-74
    # among 1,000 of them: 5,000 x 10 / 1,000 / (2 x 5,000 + 2 x 5,500) x 100,000 = 238.1
    population = pd.DataFrame([
        {"year": 2024, "hscp2019": CS.code, "locality": "Clackmannanshire", "sex": sex,
         "age": age, "population": 200}
        for sex in (1, 2) for age in range(65, 75)
    ])  # fmt: skip
    eol = pd.DataFrame([
        {"month": pd.Timestamp("2024-05-01"), "hscp2019": CS.code, "locality": "Clackmannanshire",
         "age_band": "70-74", "sex": 1, "deaths_under_75": 10},
        {"month": pd.Timestamp("2023-05-01"), "hscp2019": CS.code, "locality": "Clackmannanshire",
         "age_band": "70-74", "sex": 1, "deaths_under_75": 99},  # another year
    ])  # fmt: skip
    areas = {CS.name: ({CS.code}, None)}
    out = w._premature(eol, population, areas, 2024).iloc[0]
    assert out["ni11_deaths"] == 10
    assert out["ni11"] == pytest.approx(5000 * 10 / 1000 / 21000 * 100_000)


def test_without_a_peer_group_the_nearest_partnerships_in_size_and_age(tiny_data):
    population = pd.read_parquet(tiny_data / "population.parquet")
    orkney = geography.partnership("Orkney Islands")
    peers = [p.name for p in w.nearest_peers(orkney, population)]
    assert len(peers) == 4 and {"Shetland Islands", "Western Isles"} <= set(peers)
    glasgow = [p.name for p in w.nearest_peers(geography.partnership("Glasgow City"), population)]
    assert "Edinburgh" in glasgow and "Orkney Islands" not in glasgow
    everyone = {p.code for p in geography.partnerships()}
    areas = w.comparison_areas(orkney, everyone, population)
    assert set(peers) <= set(areas) and "Scotland" in areas
    # a peer group in params wins: Clackmannanshire & Stirling names its own
    named = w.comparison_areas(CS, everyone, population)
    assert {"Falkirk", "West Lothian", "Angus", "East Lothian"} <= set(named)
