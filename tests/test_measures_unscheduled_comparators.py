"""The unscheduled care comparator tables (hscp.store): aggregates worked out by hand.

Each comparator is built from whole tables at prepare time; a notebook then sums
it into areas. Here a handful of records across two partnerships.
"""

import pandas as pd
import pytest

from hscp import store

CS, FIFE = "S37000005", "S37000032"


def episode(link_no, cis_marker, admitted, discharged, **other):
    row = {
        "link_no": link_no,
        "cis_marker": cis_marker,
        "admission_date": pd.Timestamp(admitted),
        "discharge_date": pd.Timestamp(discharged) if discharged else pd.NaT,
        "admission_type": 30,
        "discharge_type": 10,
        "specialty": "A1",
        "location": "G107H",
        "main_condition": "R074",
        **{f"other_condition_{i}": None for i in range(1, 6)},
        "main_operation": None,
        "age": 70,
        "sex": 2,
        "datazone2011": "S01000001",
        "gp_practice": None,
        "hscp2019": CS,
        "locality": "Clackmannanshire",
    }
    return {**row, **other}


@pytest.fixture
def episodes():
    rows = [
        # C&S, Clackmannanshire: an asthma PPA (admitted 3 Jan, out 5 Jan), readmitted as an
        # emergency 20 Jan (out 22 Jan)
        episode(1, 1, "2024-01-03", "2024-01-05", main_condition="J459", age=40),
        episode(1, 2, "2024-01-20", "2024-01-22", age=40),
        # C&S: a fall aged 80, type 33, W01 (admitted 30 Jan, out 2 Feb)
        episode(2, 1, "2024-01-30", "2024-02-02", admission_type=33, main_condition="W010", age=80),
        # C&S: an elective stay, not an emergency
        episode(3, 1, "2024-01-10", "2024-01-11", admission_type=10),
        # Fife, Kirkcaldy: a 17-year-old's emergency admission (not in NI12)
        episode(4, 1, "2024-02-10", "2024-02-12", age=17, hscp2019=FIFE, locality="Kirkcaldy"),
    ]
    frame = pd.DataFrame(rows)
    for col in ("admission_type", "discharge_type", "age", "sex"):
        frame[col] = frame[col].astype("Int64")
    return frame


def build(name, **tables):
    return store.COMPARATORS[name].build(**tables, start="2024-01-01", end="2024-02-29")


def test_emergency_admissions_comparator(episodes):
    out = build("emergency_admissions", acute_episodes=episodes)
    jan = out[out["month"] == "2024-01-01"]
    # January: C&S emergency admissions 3 (persons 1 twice, 2); the elective one is not counted;
    # PPAs 1 (asthma, aged 40: band 40-44)
    assert jan["admissions"].sum() == 3
    assert jan["ppa_admissions"].sum() == 1
    assert jan.loc[jan["ppa_admissions"] > 0, "age_band"].tolist() == ["40-44"]
    # bed days in January: 2 (3-5 Jan) + 2 (20-22 Jan) + 1 (midnight starting 31 Jan) = 5
    assert jan["bed_days"].sum() == 5
    feb = out[out["month"] == "2024-02-01"]
    # February: the fall's 2 midnights (1, 2 Feb) and Fife's 2 (11, 12 Feb)
    assert feb["bed_days"].sum() == 4
    assert set(out.columns) >= {"hscp2019", "locality", "age_band", "sex", "discharges"}


def test_national_indicators_comparator(episodes):
    out = build("national_indicators", acute_episodes=episodes).set_index(
        ["month", "hscp2019", "locality"]
    )
    jan_cs = out.loc[(pd.Timestamp("2024-01-01"), CS, "Clackmannanshire")]
    # NI12: 3 adult emergency admissions in January; NI14: January discharges of adults 18+:
    # stay 1/1 (5 Jan, readmitted 20 Jan: 15 days), 1/2 (22 Jan), 3/1 (11 Jan, elective) = 3,
    # 1 readmission
    assert jan_cs["ni12_admissions"] == 3
    assert jan_cs[["ni14_discharges", "ni14_readmissions"]].tolist() == [3, 1]
    feb_cs = out.loc[(pd.Timestamp("2024-02-01"), CS, "Clackmannanshire")]
    assert feb_cs["ni16_falls"] == 1  # discharged 2 February
    feb_fife = out.loc[(pd.Timestamp("2024-02-01"), FIFE, "Kirkcaldy")]
    assert feb_fife["ni12_admissions"] == 0  # aged 17


def test_ppa_conditions_comparator(episodes):
    out = build("ppa_conditions", acute_episodes=episodes)
    assert out.groupby("ppa_condition")["admissions"].sum().to_dict() == {"asthma": 1}


def attendance(person, arrival, **other):
    arrived = pd.Timestamp(arrival)
    row = {
        "link_no": person,
        "arrival_datetime": arrived,
        "departure_datetime": arrived + pd.Timedelta(minutes=other.pop("minutes", 120)),
        "attendance_category": "New",
        "arrival_mode": "Own transport",
        "referral_source": "Self",
        "discharge_destination": "Home",
        "diagnosis": "R074",
        "age": 30,
        "sex": 1,
        "hscp2019": CS,
        "locality": "Clackmannanshire",
        "treatment_location": "V217H",
        "department_type": "Emergency Department",
    }
    return {**row, **other}


def test_ae_comparators():
    rows = [attendance(1, f"2024-01-{d:02d} 10:00") for d in range(1, 6)]  # 5 in January
    rows += [attendance(2, "2024-02-01 10:00", minutes=300, discharge_destination="Admitted")]
    ae = pd.DataFrame(rows)
    monthly = store.COMPARATORS["ae_monthly"].build(
        ae_attendances=ae, start="2024-01-01", end="2024-02-29"
    )
    totals = monthly.groupby("month")[["attendances", "within_4_hours", "admitted"]].sum()
    assert totals.loc["2024-01-01"].tolist() == [5, 5, 0]
    assert totals.loc["2024-02-01"].tolist() == [1, 0, 1]
    # under 12 months of data: no repeat attender windows, an empty table with its columns
    bands = store.COMPARATORS["ae_attender_bands"].build(
        ae_attendances=ae, start="2024-01-01", end="2024-02-29"
    )
    assert bands.empty and "band" in bands.columns
    # over 12 months: the window ending Dec 2024 has person 1 in band 5-9 and person 2 in 1
    bands = store.COMPARATORS["ae_attender_bands"].build(
        ae_attendances=ae, start="2024-01-01", end="2024-12-31"
    )
    dec = bands[bands["month"] == "2024-12-01"].groupby("band")["people"].sum()
    assert dec.to_dict() == {"1": 1, "10+": 0, "2-4": 0, "5-9": 1}
