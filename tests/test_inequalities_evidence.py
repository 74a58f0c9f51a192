"""Inequalities in the synthetic Scotland and the evidence register.

The synthetic SIMD lookup keeps the data contract; its deprivation gradient in emergency
admissions is about 1.5 to 2 times from the least to the most deprived (worked out here
from the raw extracts with pandas, not with the register's code); the register's rates
are those numbers.
"""

from __future__ import annotations

import pandas as pd
import pytest

from hscp import evidence, extracts

PARTNERSHIP = "S37000005"


@pytest.fixture(scope="module")
def ev(tiny_store) -> evidence.Evidence:
    return evidence.load(tiny_store, PARTNERSHIP, threshold=10)


def by_hand(tiny_data) -> pd.DataFrame:
    """Emergency admissions (first episode of a stay, type 20-22 or 30-39) of the 12
    months to March 2025 per 1,000 residents of 2024, by Scotland's SIMD quintile, for
    the partnership's datazones: straight from the extract files."""
    episodes = pd.read_parquet(tiny_data / "acute_episodes.parquet")
    lookup = pd.read_parquet(tiny_data / "simd_lookup.parquet")
    population = pd.read_parquet(tiny_data / "datazone_population.parquet")
    first = episodes.sort_values("admission_date").drop_duplicates(["link_no", "cis_marker"])
    kind = first["admission_type"].astype(int)
    admitted = pd.to_datetime(first["admission_date"])
    emergency = first[
        (kind.between(20, 22) | kind.between(30, 39))
        & (admitted >= "2024-04-01") & (admitted <= "2025-03-31")
    ]  # fmt: skip
    mine = lookup[lookup["hscp2019"] == PARTNERSHIP].set_index("datazone2011")
    counts = emergency["datazone2011"].map(mine["simd2020v2_sc_quintile"]).value_counts()
    pop = population[(population["year"] == 2024) & population["datazone2011"].isin(mine.index)]
    people = pop.groupby(pop["datazone2011"].map(mine["simd2020v2_sc_quintile"]))[
        "population"
    ].sum()
    return pd.DataFrame({"count": counts, "population": people}).sort_index()


def test_the_synthetic_lookup_keeps_the_contract(tiny_store):
    assert "simd_lookup" in tiny_store.manifest["tables"]
    assert "datazone_population" in tiny_store.manifest["tables"]
    assert not (tiny_store.manifest.get("problems") or {})
    lookup = tiny_store.read("simd_lookup")
    assert set(lookup.columns) >= set(extracts.SIMD_LOOKUP.names)
    assert lookup["simd2020v2_sc_quintile"].between(1, 5).all()


def test_the_deprivation_gradient_is_realistic(tiny_data):
    table = by_hand(tiny_data)
    rate = table["count"] / table["population"] * 1000
    assert 1.5 <= rate.loc[1] / rate.loc[5] <= 2.0
    assert rate.is_monotonic_decreasing or rate.loc[1] > rate.loc[3] > rate.loc[5]


def test_the_registers_rates_by_quintile_are_the_hand_counts(tiny_data, ev):
    table = by_hand(tiny_data)
    rates = ev.table("inequalities")
    mine = rates[
        (rates["key"] == "emergency_admissions") & (rates["basis"] == "Scotland's quintiles")
    ]
    assert mine["count"].tolist() == table["count"].tolist()
    assert mine["population"].tolist() == table["population"].astype(float).tolist()
    gaps = ev.table("inequality_gaps").set_index(["key", "basis"])
    expected = (table["count"].iloc[0] / table["population"].iloc[0]) / (
        table["count"].iloc[-1] / table["population"].iloc[-1]
    )
    assert gaps.loc[("emergency_admissions", "Scotland's quintiles"), "relative_gap"] == (
        pytest.approx(expected)
    )


def test_every_delay_is_placed_in_a_datazone_or_counted_as_unmatched(ev):
    gaps = ev.table("inequality_gaps").set_index(["key", "basis"])
    delays = gaps.loc[("delayed_bed_days", "Scotland's quintiles")]
    rates = ev.table("inequalities")
    shown = rates[(rates["key"] == "delayed_bed_days") & (rates["basis"] == "Scotland's quintiles")]
    assert shown["count"].sum() == delays["count"]
    total = ev.figure("delayed_bed_days").value  # all the partnership's delayed bed days
    assert delays["count"] <= total


def test_a_report_that_needs_one_section_gets_the_same_numbers(tiny_store, ev):
    """evidence.load(only=...) computes just that section when nothing is cached yet: the
    same table as the whole register's."""
    from hscp.evidence import register

    built = register._in_memory(
        register._build(tiny_store.partnership(PARTNERSHIP), ev.partnership, ev.start, ev.end,
                        ["inequalities"]),
        partnership=ev.partnership, start=ev.start, end=ev.end, threshold=10, key="test",
    )  # fmt: skip
    assert built.table_names == ["inequalities", "inequality_gaps"]
    pd.testing.assert_frame_equal(built.table("inequalities"), ev.table("inequalities"))
    again = evidence.load(tiny_store, PARTNERSHIP, threshold=10, only=["inequalities"])
    pd.testing.assert_frame_equal(again.table("inequalities"), ev.table("inequalities"))


class _Tables:
    def __init__(self, **tables):
        self.tables = tables

    def table(self, name):
        return self.tables[name].copy()


def test_an_island_without_a_most_deprived_fifth_says_so_and_shows_no_gap():
    """An area with no datazone in Scotland's most deprived fifth (as Orkney's) has no rate
    there: the gap is not measured, the table leaves it blank and says why."""
    from hscp.workbooks import inequalities as w

    rates = pd.DataFrame(
        {
            "key": "emergency_admissions",
            "basis": w.SCOTLAND_BASIS,
            "measure": "Emergency admissions",
            "quintile": ["1 (most deprived)", "2", "3", "4", "5 (least deprived)"],
            "count": [0, 120, 300, 250, 180],
            "population": [0.0, 1000.0, 3000.0, 3000.0, 2500.0],
            "rate": [float("nan"), 120.0, 100.0, 83.3, 72.0],
        }
    )
    gaps = pd.DataFrame([{"key": "emergency_admissions", "basis": w.SCOTLAND_BASIS,
                          "ages": "all ages", "relative_gap": float("nan"), "sii": 55.8}])  # fmt: skip
    ev = _Tables(inequalities=rates, inequality_gaps=gaps)
    (sentence,) = w.gap_sentences(ev, ["emergency_admissions"], 10)
    assert sentence.startswith("No residents live in the most or the least deprived fifth")
    row = w.gaps_table(ev, ["emergency_admissions"], 10).iloc[0]
    assert row[["Most deprived fifth", "Times as high", "Slope index"]].isna().all()
    # a small count in a quintile: too few to compare
    small = rates.assign(count=[5, 120, 300, 250, 180], population=[400.0, 1000, 3000, 3000, 2500])
    (said,) = w.gap_sentences(_Tables(inequalities=small, inequality_gaps=gaps),
                              ["emergency_admissions"], 10)  # fmt: skip
    assert said.startswith("There are too few emergency admissions")
