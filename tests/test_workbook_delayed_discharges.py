"""The delayed discharges report's sentences and choices, on hand-made results."""

import pandas as pd
import pytest

from hscp.workbooks import delayed_discharges as wb

C_AND_S = "S37000005"  # Clackmannanshire & Stirling: council areas S12000005 and S12000030


def ages(delays_85: int = 12) -> pd.DataFrame:
    """An age breakdown of 100 delays and 1,000 bed days."""
    rows = [
        ("18-64", 40, 200),
        ("65-74", 20, 150),
        ("75-84", 100 - 60 - delays_85, 350),
        ("85+", delays_85, 300),
    ]
    table = pd.DataFrame(rows, columns=["age_band", "delays", "bed_days"])
    table = pd.concat([table, pd.DataFrame([("All", 100, 1000)], columns=table.columns)])
    table["share_of_delays"] = table["delays"] / 100
    table["share_of_bed_days"] = table["bed_days"] / 1000
    return table.reset_index(drop=True)


def test_a_share_of_published_rows():
    # 75-84 and 85+: 350 + 300 of 1,000 bed days
    assert wb.share_of(ages(), "age_band", ["75-84", "85+"], 1000, threshold=10) == "65.0%"


def test_a_share_from_a_suppressed_row_is_not_added_up():
    # 85+ has 3 delays (< 10): its bed days are suppressed with them, so the sentence
    # must not quote 75-84 + 85+
    said = wb.share_of(ages(delays_85=3), "age_band", ["75-84", "85+"], 1000, threshold=10)
    assert said == "a share not shown (small numbers)"
    # the 18-64 row alone is published: 200 of 1,000
    assert wb.share_of(ages(delays_85=3), "age_band", "18-64", 1000, threshold=10) == "20.0%"


def rates(with_scotland: bool = True) -> pd.DataFrame:
    rows = [
        ("Clackmannanshire", "Locality", 673.34),
        ("Clackmannanshire & Stirling", "Partnership", 814.45),
    ]
    if with_scotland:
        rows.append(("Scotland", "Scotland", 924.79))
    return pd.DataFrame(rows, columns=["area", "level", "rate_75plus"])


def test_the_rate_is_set_against_scotland_only_when_there_is_a_scotland_row():
    assert wb.rate_against_scotland(rates(), "Clackmannanshire") == (
        "673 delayed bed days a year per 1,000 people aged 75+ (national indicator 19), "
        "against 925 for Scotland"
    )
    said = wb.rate_against_scotland(rates(with_scotland=False), "Clackmannanshire & Stirling")
    assert said.startswith("814 delayed bed days")
    assert "Scotland's rate is not shown" in said and "against" not in said


def test_the_median_delay_at_the_latest_census():
    months = pd.to_datetime(["2025-02-01", "2025-03-01"])
    median = pd.DataFrame({"month": months, "delays": [4, 3], "median_delay": [12.0, 17.5]})
    assert wb.median_clause(median) == (
        "; the median delay of everyone delayed at that census was 17.5 days"
    )
    nobody = median.assign(delays=[4, 0], median_delay=[12.0, None])
    assert wb.median_clause(nobody) == ""


def test_an_unknown_source_is_refused():
    with pytest.raises(ValueError, match="source='files'"):
        wb.story(None, source="files", open_data_dir=None, open_data_file=None, top_n=10)


def test_published_key_messages_quote_the_open_data_file(reference):
    path = reference / "delayed_discharge_beddays_ca.csv"
    published = wb.published_figures(path, C_AND_S)
    messages = wb.published_key_messages(
        published, "Clackmannanshire & Stirling", "Clackmannanshire & Stirling", threshold=10
    )
    # Worked from the file directly: the two council areas' 18+ bed days, all reasons,
    # over the file's latest 12 months
    raw = pd.read_csv(path, dtype={"MonthOfDelay": str})
    last = sorted(raw["MonthOfDelay"].unique())[-12:]
    mine = raw[
        raw["CA"].isin(["S12000005", "S12000030"])
        & raw["MonthOfDelay"].isin(last)
        & (raw["ReasonForDelay"] == "All Delay Reasons")
    ]
    bed_days = mine.loc[mine["AgeGroup"] == "18plus", "NumberOfDelayedBedDays"].sum()
    older = mine.loc[mine["AgeGroup"] == "75plus", "NumberOfDelayedBedDays"].sum()
    assert f"spent {bed_days:,} days in hospital" in messages[1]
    assert f"accounted for {100 * older / bed_days:.1f}% of these bed days" in messages[2]
    assert "delayed_discharge_beddays_ca.csv" in messages[0] and "release" in messages[0]
