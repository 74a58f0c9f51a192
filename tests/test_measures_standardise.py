"""European age-standardised rates (ESP2013) with Dobson intervals: worked examples.

The method is ScotPHO's (Public-Health-Scotland/scotpho-indicator-production,
functions/helper functions/calculate_easr.R): EASR = sum(O_i w_i / n_i) / W,
var = sum(O_i w_i^2 / n_i^2) / W^2, limits EASR + sqrt(var / O) (O_L - O) and
EASR + sqrt(var / O) (O_U - O) with Byar's O_L, O_U (z = 1.96). Every expected
number is worked out by hand in the comment beside it; one test checks Dobson's
interval against its definition with exact (chi-square) Poisson limits instead
of Byar's approximation.
"""

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2

from hscp.measures.standardise import (
    ESP2013,
    ESP2013_BANDS,
    byars_limits,
    crude_rate_ci,
    easr,
    esp2013_band,
    proportion_ci,
)


def test_esp2013_has_19_bands_summing_to_100000():
    # Eurostat 2013: 0-4 ... 85-89, 90+; weights per 100,000
    assert len(ESP2013_BANDS) == 19
    assert sum(ESP2013.values()) == 100_000
    assert ESP2013["0-4"] == 5000 and ESP2013["90+"] == 1000 and ESP2013["40-44"] == 7000


def test_esp2013_band_edges():
    # 4 is in 0-4, 5 in 5-9, 89 in 85-89, 90 and over in 90+ (ScotPHO's create_agegroups.R)
    bands = esp2013_band(pd.Series([0, 4, 5, 64, 65, 89, 90, 104, None]))
    assert bands.astype(object).tolist()[:8] == [
        "0-4",
        "0-4",
        "5-9",
        "60-64",
        "65-69",
        "85-89",
        "90+",
        "90+",
    ]
    assert pd.isna(bands.iloc[8])


def test_byars_limits_of_50_events():
    # O = 50: lower = 50 (1 - 1/450 - 1.96/(3 sqrt 50))^3 = 50 x 0.905382^3 = 37.1079;
    # upper = 51 (1 - 1/459 + 1.96/(3 sqrt 51))^3 = 51 x 1.089306^3 = 65.9205
    lower, upper = byars_limits([50])
    assert lower[0] == pytest.approx(37.1079, abs=1e-4)
    assert upper[0] == pytest.approx(65.9205, abs=1e-4)


def test_byars_lower_limit_of_no_events_is_zero():
    # O = 0: lower undefined by the formula, its limit 0;
    # upper = 1 x (1 - 1/9 + 1.96/3)^3 = 1.542222^3 = 3.6681
    lower, upper = byars_limits([0])
    assert lower[0] == 0
    assert upper[0] == pytest.approx((1 - 1 / 9 + 1.96 / 3) ** 3)
    assert upper[0] == pytest.approx(3.6681, abs=1e-4)


def test_crude_rate_with_byars_interval():
    # 50 events in 10,000 people: 5 per 1,000; limits 37.1079 / 10 = 3.7108 and 65.9205 / 10 = 6.5920
    out = crude_rate_ci(pd.Series([50]), pd.Series([10_000]), per=1000)
    assert out.loc[0, "rate"] == pytest.approx(5.0)
    assert out.loc[0, "lower"] == pytest.approx(3.7108, abs=1e-4)
    assert out.loc[0, "upper"] == pytest.approx(6.5920, abs=1e-4)


def two_bands(**groups):
    """Rows area, age_band, events, people for a 65-74 standardisation."""
    rows = []
    for area, ((o1, n1), (o2, n2)) in groups.items():
        rows += [(area, "65-69", o1, n1), (area, "70-74", o2, n2)]
    return pd.DataFrame(rows, columns=["area", "age_band", "events", "people"])


def test_easr_worked_by_hand_over_two_bands():
    # 65-69 (weight 5500): 20 events in 2,000 people; 70-74 (weight 5000): 30 in 1,500.
    # W = 5500 + 5000 = 10,500.
    # EASR = (20 x 5500 / 2000 + 30 x 5000 / 1500) / 10500 = (55 + 100) / 10500
    #      = 0.0147619 -> 1,476.19 per 100,000.
    # var = (20 x 5500^2 / 2000^2 + 30 x 5000^2 / 1500^2) / 10500^2
    #     = (151.25 + 333.333) / 110,250,000 = 4.39531e-6
    # O = 50, O_L = 37.1079, O_U = 65.9205 (Byar's, above); sqrt(var / 50) = 2.96490e-4
    # lower = 0.0147619 + 2.96490e-4 x (37.1079 - 50) = 0.0109395 -> 1,093.95
    # upper = 0.0147619 + 2.96490e-4 x (65.9205 - 50) = 0.0194822 -> 1,948.22
    out = easr(two_bands(A=((20, 2000), (30, 1500))), "events", "people", "age_band")
    row = out.iloc[0]
    assert row["area"] == "A"
    assert row["events"] == 50 and row["people"] == 3500
    assert row["rate"] == pytest.approx(1476.19, abs=0.01)
    assert row["lower"] == pytest.approx(1093.95, abs=0.01)
    assert row["upper"] == pytest.approx(1948.22, abs=0.01)


def test_easr_of_a_population_shaped_like_the_standard_is_the_crude_rate():
    # People in each band = weight / 10 (10,000 in all, the ESP's shape) and 2% have the
    # event in every band: O_i = 0.02 x w_i / 10, O = 200. Then EASR = O / 10,000 = 2,000
    # per 100,000, and sqrt(var / O) = 1 / 10,000, so the Dobson limits are Byar's limits
    # of 200 over 10,000: 173.2392 / 10,000 -> 1,732.39 and 229.7234 / 10,000 -> 2,297.23.
    data = pd.DataFrame(
        {
            "age_band": list(ESP2013),
            "people": [w // 10 for w in ESP2013.values()],
            "events": [w // 500 for w in ESP2013.values()],
        }
    )
    assert data["events"].sum() == 200
    row = easr(data, "events", "people", "age_band").iloc[0]
    assert row["rate"] == pytest.approx(2000.0)
    assert row["lower"] == pytest.approx(1732.39, abs=0.01)
    assert row["upper"] == pytest.approx(2297.23, abs=0.01)


def test_dobson_interval_matches_its_definition_with_exact_poisson_limits():
    # Dobson et al. (1991) define the limits with the exact Poisson limits of O:
    # O_L = chi2(0.025, 2 O) / 2, O_U = chi2(0.975, 2 O + 2) / 2. Byar's approximation
    # (ScotPHO's) is within 0.1% of them for O = 1,000, so the EASR limits agree closely.
    rng = np.random.default_rng(4)
    people = rng.integers(2_000, 20_000, size=19)
    events = np.round(people * np.linspace(0.001, 0.2, 19)).astype(int)
    data = pd.DataFrame({"age_band": list(ESP2013), "people": people, "events": events})
    row = easr(data, "events", "people", "age_band").iloc[0]
    weights = np.array(list(ESP2013.values()), dtype=float)
    dsr = (events * weights / people).sum() / 100_000
    var = (events * weights**2 / people**2).sum() / 100_000**2
    total = events.sum()
    exact_low = chi2.ppf(0.025, 2 * total) / 2
    exact_high = chi2.ppf(0.975, 2 * total + 2) / 2
    assert row["rate"] == pytest.approx(dsr * 1e5)
    assert row["lower"] == pytest.approx(
        (dsr + math.sqrt(var / total) * (exact_low - total)) * 1e5, rel=1e-3
    )
    assert row["upper"] == pytest.approx(
        (dsr + math.sqrt(var / total) * (exact_high - total)) * 1e5, rel=1e-3
    )


def test_easr_per_group_uses_the_same_standard():
    # B has twice A's people with the same events in each band: half A's rate, 738.10
    out = easr(
        two_bands(A=((20, 2000), (30, 1500)), B=((20, 4000), (30, 3000))),
        "events",
        "people",
        "age_band",
    ).set_index("area")
    assert out.loc["A", "rate"] == pytest.approx(1476.19, abs=0.01)
    assert out.loc["B", "rate"] == pytest.approx(738.10, abs=0.01)


def test_easr_by_age_and_sex_is_the_mean_of_the_two_sexes():
    # ScotPHO standardises by age band x sex, each sex weighted by the ESP (W = 2 x 10,500).
    # Men: 1% in both bands -> 1,000 per 100,000; women: 3% -> 3,000. Persons: (1,000 + 3,000) / 2.
    data = pd.DataFrame(
        {
            "age_band": ["65-69", "70-74", "65-69", "70-74"],
            "sex": [1, 1, 2, 2],
            "people": [1000, 2000, 1000, 4000],
            "events": [10, 20, 30, 120],
        }
    )
    row = easr(data, "events", "people", "age_band", sex="sex").iloc[0]
    assert row["rate"] == pytest.approx(2000.0)


def test_rows_of_the_same_stratum_are_added_up():
    # two rows for 65-69 (10 + 10 events, 1,000 + 1,000 people) are one stratum
    data = pd.DataFrame(
        {
            "age_band": ["65-69", "65-69", "70-74"],
            "events": [10, 10, 30],
            "people": [1000, 1000, 1500],
        }
    )
    row = easr(data, "events", "people", "age_band").iloc[0]
    assert row["rate"] == pytest.approx(1476.19, abs=0.01)


def test_a_negative_lower_limit_is_set_to_zero():
    # 1 event in 10 people in a heavy band (weight 7,000), 9 in 100,000 in another (5,000):
    # EASR = (700 + 0.45) / 12,000 = 0.058371; sqrt(var / O) = sqrt(490,000.02 / 12,000^2 / 10)
    # = 0.018447; O_L(10) = 4.7874: lower = 0.058371 - 0.018447 x 5.2126 < 0 -> 0
    data = pd.DataFrame({"age_band": ["40-44", "70-74"], "events": [1, 9], "people": [10, 100_000]})
    row = easr(data, "events", "people", "age_band").iloc[0]
    assert row["rate"] == pytest.approx(700.45 / 12_000 * 1e5)
    assert row["lower"] == 0


def test_no_events_gives_a_zero_rate_and_no_upper_limit():
    # Dobson's interval needs var / O: 0 / 0 with no events (ScotPHO writes 0s)
    row = easr(two_bands(A=((0, 2000), (0, 1500))), "events", "people", "age_band").iloc[0]
    assert row["rate"] == 0 and row["lower"] == 0
    assert np.isnan(row["upper"])


def test_unknown_age_band_is_an_error():
    data = pd.DataFrame({"age_band": ["65-69", "70-79"], "events": [1, 2], "people": [10, 20]})
    with pytest.raises(ValueError, match=r"not ESP2013 bands \('70-79'\)"):
        easr(data, "events", "people", "age_band")


def test_a_group_missing_a_band_is_an_error():
    data = two_bands(A=((20, 2000), (30, 1500)), B=((20, 4000), (30, 3000)))
    with pytest.raises(ValueError, match="lack strata.*70-74"):
        easr(data.iloc[:3], "events", "people", "age_band")


def test_events_without_population_is_an_error():
    with pytest.raises(ValueError, match="events with no population"):
        easr(two_bands(A=((20, 0), (30, 1500))), "events", "people", "age_band")


def test_missing_count_is_an_error():
    data = two_bands(A=((20, 2000), (30, 1500)))
    data["events"] = data["events"].astype(float)
    data.loc[0, "events"] = np.nan
    with pytest.raises(ValueError, match="'events'.*1 missing"):
        easr(data, "events", "people", "age_band")


def test_wilson_interval_of_1_in_10():
    # p = 0.1, n = 10, z = 1.96: centre 2 x 10 x 0.1 + 3.8416 = 5.8416;
    # spread 1.96 sqrt(3.8416 + 4 x 10 x 0.1 x 0.9) = 5.3467; divide by 2 (10 + 3.8416) = 27.6832:
    # 0.0179 to 0.4042
    out = proportion_ci(pd.Series([1]), pd.Series([10]), per=1).iloc[0]
    assert out["rate"] == pytest.approx(0.1)
    assert out["lower"] == pytest.approx(0.0179, abs=1e-4)
    assert out["upper"] == pytest.approx(0.4042, abs=1e-4)


def test_crude_rate_ci_takes_plain_numbers():
    # 24 falls among 1,200 people aged 65+ (docs/methods.md): 24 / 1,200 x 1,000 = 20.0;
    # Byar's O_L = 24 (1 - 1/216 - 1.96/(3 sqrt 24))^3 = 24 x 0.862001^3 = 15.3726 -> 12.81,
    # O_U = 25 (1 - 1/225 + 1.96/(3 sqrt 25))^3 = 25 x 1.126222^3 = 35.7118 -> 29.76
    out = crude_rate_ci(24, 1200)
    assert len(out) == 1
    assert out.loc[0, "rate"] == pytest.approx(20.0)
    assert out.loc[0, "lower"] == pytest.approx(12.81, abs=0.01)
    assert out.loc[0, "upper"] == pytest.approx(29.76, abs=0.01)


def test_crude_rate_ci_takes_lists_and_one_population_for_all():
    # [24, 0] among 1,200 each: 20.0 and 0 per 1,000; 0's upper limit 3.6681 / 1,200 x 1,000
    out = crude_rate_ci([24, 0], 1200)
    assert out["rate"].tolist() == pytest.approx([20.0, 0.0])
    assert out.loc[1, "upper"] == pytest.approx(3.6681 / 1.2, abs=1e-3)
    with pytest.raises(ValueError, match="2 counts but 3 denominators"):
        crude_rate_ci([1, 2], [10, 20, 30])


def test_proportion_ci_takes_plain_numbers():
    # Wilson, 1 of 10: p = 0.1, limits (2 + 3.8416 -/+ 1.96 sqrt(3.8416 + 3.6)) / (2 x 13.8416)
    # = (5.8416 -/+ 5.3465) / 27.6832 = 0.01788 and 0.40416
    out = proportion_ci(1, 10, per=1)
    assert out.loc[0, "lower"] == pytest.approx(0.01788, abs=1e-4)
    assert out.loc[0, "upper"] == pytest.approx(0.40416, abs=1e-4)
