"""Pathways into a delay, and reasons for admission: worked examples.

Linking delays to stays, admission route, A&E, specialty pathway, days before
the ready date and transfers follow the rules in hscp.measures.pathways and
docs/methods.md ("Pathways into a delay"); ICD-10 chapters follow WHO's chapter
ranges; the condition groups follow the code lists in docs/methods.md. Every
expected value is worked out by hand in the comment beside it.
"""

import pandas as pd
import pytest

from hscp.measures import (
    CONDITION_GROUP_NAMES,
    ICD10_CHAPTERS,
    NO_CHAPTER,
    NO_STAY,
    bed_days_by_dimension,
    breakdown_with_scotland,
    comparator_shares,
    condition_group,
    delay_breakdown,
    delay_pathways,
    delays_in_period,
    icd10_chapter,
    link_delays_to_stays,
    specialty_name,
)

# --- builders ---------------------------------------------------------------------------


def episodes(*rows):
    """SMR01 episodes in the contract's columns; each row a dict of what matters to the test."""
    records = []
    for row in rows:
        records.append(
            {
                "link_no": row.get("link_no", 1),
                "cis_marker": row.get("cis", 1),
                "admission_date": pd.Timestamp(row["admitted"]),
                "discharge_date": pd.Timestamp(row["discharged"])
                if row.get("discharged")
                else pd.NaT,
                "admission_type": row.get("type", 30),
                "specialty": row.get("specialty", "A1"),
                "location": row.get("location", "A101H"),
                "main_condition": row.get("main", "J189"),
                **{f"other_condition_{i}": row.get(f"other_{i}") for i in range(1, 6)},
                "main_operation": row.get("operation"),
                "age": 82,
                "sex": 2,
                "datazone2011": "S01000001",
                "hscp2019": "S37000005",
                "locality": "Clackmannanshire",
                "gp_practice": None,
                "discharge_type": 12 if row.get("discharged") else None,
            }
        )
    frame = pd.DataFrame(records)
    frame["discharge_date"] = pd.to_datetime(frame["discharge_date"])
    frame["discharge_type"] = frame["discharge_type"].astype("Int64")
    return frame


def delays(*rows):
    records = []
    for i, row in enumerate(rows):
        records.append(
            {
                "link_no": row.get("link_no", 1),
                "age": row.get("age", 82),
                "sex": row.get("sex", 2),
                "hscp2019": "S37000005",
                "locality": "Clackmannanshire",
                "location": row.get("location", "A101H"),
                "specialty": row.get("specialty", "AB"),
                "admission_date": pd.Timestamp(row["admitted"]),
                "ready_for_discharge_date": pd.Timestamp(row["ready"]),
                "discharge_date": pd.Timestamp(row["discharged"])
                if row.get("discharged")
                else pd.NaT,
                "reason_for_delay": row.get("reason", "25A"),
                "reason_for_delay_secondary": row.get("secondary"),
                "discharge_to": row.get("to", 1),
                "_id": i,
            }
        )
    frame = pd.DataFrame(records)
    frame["discharge_date"] = pd.to_datetime(frame["discharge_date"])
    frame["discharge_to"] = frame["discharge_to"].astype("Int64")
    return frame


NO_AE = pd.DataFrame(
    columns=["link_no", "arrival_datetime", "departure_datetime", "discharge_destination"]
)


def attendance(link_no, arrived, departed, destination="Admitted"):
    return {
        "link_no": link_no,
        "arrival_datetime": pd.Timestamp(arrived),
        "departure_datetime": pd.Timestamp(departed) if departed else pd.NaT,
        "discharge_destination": destination,
    }


# --- ICD-10 chapters ------------------------------------------------------------------------


def test_there_are_22_chapters_in_who_order():
    assert [c.number for c in ICD10_CHAPTERS][:3] == ["I", "II", "III"]
    assert len(ICD10_CHAPTERS) == 22
    assert ICD10_CHAPTERS[-1].first == "U00"  # XXII codes for special purposes, e.g. U07.1


@pytest.mark.parametrize(
    ("code", "chapter"),
    [
        # each chapter's first and last category (WHO ICD-10, 5th edition, chapter list)
        ("A00", "I"),
        ("B99", "I"),
        ("C00", "II"),
        ("D48.9", "II"),  # neoplasms end at D48 ...
        ("D50", "III"),  # ... and blood diseases start at D50
        ("D89", "III"),
        ("E00", "IV"),
        ("E90", "IV"),
        ("F00", "V"),
        ("F99", "V"),
        ("G00", "VI"),
        ("G99", "VI"),
        ("H00", "VII"),
        ("H59", "VII"),  # eye ends at H59 ...
        ("H60", "VIII"),  # ... ear starts at H60
        ("H95", "VIII"),
        ("I00", "IX"),
        ("I99", "IX"),
        ("J00", "X"),
        ("J99", "X"),
        ("K00", "XI"),
        ("K93", "XI"),
        ("L00", "XII"),
        ("L99", "XII"),
        ("M00", "XIII"),
        ("M99", "XIII"),
        ("N00", "XIV"),
        ("N99", "XIV"),
        ("O00", "XV"),
        ("O99", "XV"),
        ("P00", "XVI"),
        ("P96", "XVI"),
        ("Q00", "XVII"),
        ("Q99", "XVII"),
        ("R00", "XVIII"),
        ("R99", "XVIII"),
        ("S00", "XIX"),  # injury runs over two letters, S00 ...
        ("T98", "XIX"),  # ... to T98
        ("V01", "XX"),
        ("Y98", "XX"),
        ("Z00", "XXI"),
        ("Z99", "XXI"),
        ("U00", "XXII"),
        ("U07.1", "XXII"),  # COVID-19, virus identified
        ("U99", "XXII"),
        ("s72.0", "XIX"),  # dots and case do not matter
        ("S7200", "XIX"),  # 5-character codes use their first three
    ],
)
def test_icd10_chapter_range_edges(code, chapter):
    label = icd10_chapter([code]).iloc[0]
    assert label.startswith(chapter + " ")


@pytest.mark.parametrize("code", ["D49", "E91", "K95", "P97", "T99", "V00", "Y99", None, "", "9"])
def test_codes_outside_every_chapter_have_no_chapter(code):
    # D49, E91, K95, P97, T99, V00 and Y99 fall in the gaps between WHO's chapter ranges
    assert icd10_chapter([code]).iloc[0] == NO_CHAPTER


# --- condition groups -----------------------------------------------------------------------


def stays_with(main, *others):
    frame = pd.DataFrame({"main_condition": [main]})
    for i in range(1, 6):
        frame[f"other_condition_{i}"] = others[i - 1] if len(others) >= i else None
    return frame


@pytest.mark.parametrize(
    ("main", "others", "group"),
    [
        ("S720", (), "Falls and fractures"),  # fractured neck of femur
        ("S52.5", (), "Falls and fractures"),  # fracture of lower end of radius
        ("T142", (), "Falls and fractures"),  # fracture of unspecified body region
        ("M80.0", (), "Falls and fractures"),  # osteoporotic (fragility) fracture
        ("R296", (), "Falls and fractures"),  # tendency to fall
        ("S010", ("W01",), "Falls and fractures"),  # scalp wound from a fall on the level
        ("S010", ("X59",), "Other conditions"),  # the same wound, not from a fall
        ("S010", (None, None, None, None, "W19"), "Falls and fractures"),  # fall in position 5
        ("T15", ("W01",), "Other conditions"),  # a foreign body (T15) is not an S00-T14 injury
        ("I639", (), "Stroke"),  # cerebral infarction
        ("G459", (), "Stroke"),  # TIA
        ("I620", (), "Other conditions"),  # subdural haemorrhage: not a stroke here
        ("I500", (), "Cardiac"),  # heart failure
        ("I48", (), "Cardiac"),  # atrial fibrillation
        ("I10", (), "Other conditions"),  # essential hypertension is not a disease of the heart
        ("I110", (), "Cardiac"),  # hypertensive heart disease with heart failure
        ("F019", (), "Dementia and delirium"),  # vascular dementia
        ("F050", (), "Dementia and delirium"),  # delirium not superimposed on dementia
        ("G301", (), "Dementia and delirium"),  # Alzheimer's, late onset
        ("R410", (), "Dementia and delirium"),  # disorientation/confusion
        ("J440", (), "Respiratory"),  # COPD with lower respiratory infection
        ("J189", (), "Respiratory"),  # pneumonia is respiratory, not "infections"
        ("A419", (), "Infections"),  # sepsis
        ("N390", (), "Infections"),  # urinary tract infection
        ("L031", (), "Infections"),  # cellulitis
        ("U071", (), "Infections"),  # COVID-19
        ("N393", (), "Frailty-related"),  # stress incontinence
        ("R268", (), "Frailty-related"),  # other abnormalities of gait and mobility
        ("R54", (), "Frailty-related"),  # senility
        ("Z740", (), "Frailty-related"),  # reduced mobility / dependency
        ("L89", (), "Frailty-related"),  # pressure ulcer
        ("K922", (), "Other conditions"),  # GI haemorrhage
        (None, (), "Other conditions"),
    ],
)
def test_condition_groups(main, others, group):
    assert condition_group(stays_with(main, *others)).iloc[0] == group


def test_condition_groups_are_in_reporting_order_ending_with_other():
    assert CONDITION_GROUP_NAMES == (
        "Falls and fractures",
        "Stroke",
        "Cardiac",
        "Dementia and delirium",
        "Respiratory",
        "Infections",
        "Frailty-related",
        "Other conditions",
    )


# --- linking a delay to its stay -------------------------------------------------------------


def test_delay_links_to_the_stay_with_the_same_admission_date():
    # two stays of person 1; the delay was admitted 1 March, as stay 2 was
    eps = episodes(
        {"cis": 1, "admitted": "2024-01-05", "discharged": "2024-01-09"},
        {"cis": 2, "admitted": "2024-03-01", "discharged": "2024-04-10"},
    )
    linked = link_delays_to_stays(
        delays({"admitted": "2024-03-01", "ready": "2024-03-20", "discharged": "2024-04-10"}), eps
    )
    assert linked.loc[0, "stay_match"] == "admission date"
    assert linked.loc[0, "cis_marker"] == 2


def test_delay_admitted_by_transfer_links_to_the_stay_containing_its_ready_date():
    # the stay began 1 March in hospital A; the person moved to hospital B on 10 March,
    # which recorded the delay with its own admission date (10 March). No stay began on
    # 10 March, so the stay whose dates (1 March - 15 April) contain the ready date
    # (25 March) is the one.
    eps = episodes(
        {"cis": 4, "admitted": "2024-03-01", "discharged": "2024-03-10", "location": "A101H"},
        {"cis": 4, "admitted": "2024-03-10", "discharged": "2024-04-15", "location": "B202H"},
    )
    linked = link_delays_to_stays(
        delays({"admitted": "2024-03-10", "ready": "2024-03-25", "discharged": "2024-04-15"}), eps
    )
    assert linked.loc[0, "stay_match"] == "ready date in stay"
    assert linked.loc[0, "cis_marker"] == 4
    assert linked.loc[0, "stay_admission_date"] == pd.Timestamp("2024-03-01")


def test_open_stay_contains_every_later_ready_date():
    eps = episodes({"cis": 1, "admitted": "2024-03-01", "discharged": None})
    linked = link_delays_to_stays(delays({"admitted": "2024-02-20", "ready": "2024-03-25"}), eps)
    assert linked.loc[0, "stay_match"] == "ready date in stay"


def test_delay_with_no_matching_stay_is_kept_and_marked():
    # person 2 has no episodes; person 1's only stay ended before the ready date
    eps = episodes({"link_no": 1, "admitted": "2024-01-01", "discharged": "2024-01-05"})
    rows = delays(
        {"link_no": 1, "admitted": "2024-02-01", "ready": "2024-02-10"},
        {"link_no": 2, "admitted": "2024-02-01", "ready": "2024-02-10"},
    )
    linked = link_delays_to_stays(rows, eps)
    assert len(linked) == 2
    assert list(linked["stay_match"]) == ["no stay", "no stay"]
    assert linked["cis_marker"].isna().all()


def test_a_person_is_never_linked_to_another_persons_stay():
    eps = episodes({"link_no": 7, "admitted": "2024-02-01", "discharged": "2024-03-01"})
    linked = link_delays_to_stays(
        delays({"link_no": 8, "admitted": "2024-02-01", "ready": "2024-02-10"}), eps
    )
    assert linked.loc[0, "stay_match"] == "no stay"


def test_same_admission_date_beats_containing_the_ready_date():
    # stay 1 (1 Feb - open) contains the ready date; stay 2 began on the delay's admission
    # date (a data error SMR01 should not have, but the rule must still pick one): step 1 wins
    eps = episodes(
        {"cis": 1, "admitted": "2024-02-01", "discharged": None},
        {"cis": 2, "admitted": "2024-02-15", "discharged": "2024-02-16"},
    )
    linked = link_delays_to_stays(delays({"admitted": "2024-02-15", "ready": "2024-03-01"}), eps)
    assert linked.loc[0, "cis_marker"] == 2


def test_linking_keeps_the_delays_order():
    eps = episodes(
        {"link_no": 1, "admitted": "2024-01-01", "discharged": "2024-02-01"},
        {"link_no": 2, "admitted": "2024-01-03", "discharged": "2024-02-01"},
    )
    rows = delays(
        {"link_no": 2, "admitted": "2024-01-03", "ready": "2024-01-20"},
        {"link_no": 1, "admitted": "2024-01-01", "ready": "2024-01-20"},
    )
    linked = link_delays_to_stays(rows, eps)
    assert list(linked["link_no"]) == [2, 1]
    assert list(linked["stay_admission_date"].dt.day) == [3, 1]


# --- the pathway -------------------------------------------------------------------------------


def one_pathway(eps, delay, ae=None):
    return delay_pathways(delays(delay), eps, None if ae is None else pd.DataFrame(ae)).iloc[0]


@pytest.mark.parametrize(
    ("admission_type", "route"),
    [
        (30, "Emergency"),
        (21, "Emergency"),
        (39, "Emergency"),
        (10, "Planned"),
        (12, "Planned"),
        (19, "Planned"),
        (18, "Transfer or other"),
        (48, "Transfer or other"),
    ],
)
def test_admission_route_from_the_first_episodes_admission_type(admission_type, route):
    eps = episodes({"admitted": "2024-03-01", "discharged": "2024-04-01", "type": admission_type})
    path = one_pathway(eps, {"admitted": "2024-03-01", "ready": "2024-03-10"})
    assert path["admission_route"] == route


def test_admitted_through_ae_when_an_admitted_attendance_ended_that_day_or_the_day_before():
    eps = episodes({"admitted": "2024-03-02", "discharged": "2024-04-01"})
    delay = {"admitted": "2024-03-02", "ready": "2024-03-10"}
    # attended 1 March 22:00, left 2 March 01:30 (departure on the admission date)
    same_day = [attendance(1, "2024-03-01 22:00", "2024-03-02 01:30")]
    assert one_pathway(eps, delay, same_day)["ae_route"] == "Through A&E"
    # attended and left 1 March (the day before the admission date)
    day_before = [attendance(1, "2024-03-01 10:00", "2024-03-01 14:00")]
    assert one_pathway(eps, delay, day_before)["ae_route"] == "Through A&E"
    # left 28 February: two days before, not this admission
    too_early = [attendance(1, "2024-02-28 10:00", "2024-02-28 14:00")]
    assert one_pathway(eps, delay, too_early)["ae_route"] == "Not through A&E"
    # same day, but sent home from A&E
    sent_home = [attendance(1, "2024-03-02 10:00", "2024-03-02 14:00", "Home")]
    assert one_pathway(eps, delay, sent_home)["ae_route"] == "Not through A&E"
    # same day, someone else
    other_person = [attendance(2, "2024-03-02 10:00", "2024-03-02 14:00")]
    assert one_pathway(eps, delay, other_person)["ae_route"] == "Not through A&E"


def test_admitted_attendance_without_a_departure_time_uses_its_arrival_date():
    eps = episodes({"admitted": "2024-03-02", "discharged": "2024-04-01"})
    path = one_pathway(
        eps,
        {"admitted": "2024-03-02", "ready": "2024-03-10"},
        [attendance(1, "2024-03-02 09:00", None)],
    )
    assert path["ae_route"] == "Through A&E"


def test_without_ae_data_the_ae_route_is_not_known():
    eps = episodes({"admitted": "2024-03-02", "discharged": "2024-04-01"})
    assert (
        one_pathway(eps, {"admitted": "2024-03-02", "ready": "2024-03-10"})["ae_route"]
        == "Not known"
    )


def test_specialty_pathway_days_before_ready_and_transfer():
    # admitted 1 March to general medicine (A1) in hospital A101H, moved 5 March to
    # geriatric medicine (AB) in hospital B202H; ready 20 March: 20 - 1 = 19 days in
    # hospital before the ready date; two hospitals, so transferred
    eps = episodes(
        {
            "admitted": "2024-03-01",
            "discharged": "2024-03-05",
            "specialty": "A1",
            "location": "A101H",
        },
        {
            "admitted": "2024-03-05",
            "discharged": "2024-04-01",
            "specialty": "AB",
            "location": "B202H",
        },
    )
    path = one_pathway(eps, {"admitted": "2024-03-05", "ready": "2024-03-20"})
    assert path["specialty_pathway"] == "A1 -> AB"
    assert path["n_episodes"] == 2
    assert path["days_before_ready"] == 19
    assert path["days_before_ready_band"] == "2-4 weeks"
    assert bool(path["transferred"]) is True
    assert path["transfer"] == "Moved hospital"


def test_two_specialties_in_one_hospital_is_not_a_transfer():
    eps = episodes(
        {"admitted": "2024-03-01", "discharged": "2024-03-05", "specialty": "A1"},
        {"admitted": "2024-03-05", "discharged": "2024-04-01", "specialty": "AB"},
    )
    path = one_pathway(eps, {"admitted": "2024-03-01", "ready": "2024-03-07"})
    assert bool(path["transferred"]) is False
    assert path["specialty_pathway"] == "A1 -> AB"
    assert path["days_before_ready_band"] == "0-6 days"  # ready 7 March - admitted 1 March = 6


def test_one_specialty_shows_once():
    eps = episodes({"admitted": "2024-03-01", "discharged": "2024-04-01", "specialty": "C8"})
    assert (
        one_pathway(eps, {"admitted": "2024-03-01", "ready": "2024-03-02"})["specialty_pathway"]
        == "C8"
    )


@pytest.mark.parametrize(
    ("ready", "band"),
    [
        ("2024-03-01", "0-6 days"),  # ready on the admission day: 0 days
        ("2024-03-07", "0-6 days"),  # 6 days
        ("2024-03-08", "1-2 weeks"),  # 7 days
        ("2024-03-14", "1-2 weeks"),  # 13 days
        ("2024-03-15", "2-4 weeks"),  # 14 days
        ("2024-03-28", "2-4 weeks"),  # 27 days
        ("2024-03-29", "4-8 weeks"),  # 28 days
        ("2024-04-25", "4-8 weeks"),  # 55 days (March 31 - 1 = 30, + 25 = 55)
        ("2024-04-26", "8 weeks or more"),  # 56 days
    ],
)
def test_days_before_ready_bands_at_their_edges(ready, band):
    eps = episodes({"admitted": "2024-03-01", "discharged": None})
    assert (
        one_pathway(eps, {"admitted": "2024-03-01", "ready": ready})["days_before_ready_band"]
        == band
    )


def test_reason_for_admission_is_the_first_episodes_main_condition():
    # admitted with a fractured femur (S72.0), then a second episode coded pneumonia:
    # the reason for admission is the first episode's
    eps = episodes(
        {"admitted": "2024-03-01", "discharged": "2024-03-05", "main": "S720", "type": 33},
        {"admitted": "2024-03-05", "discharged": "2024-04-01", "main": "J189", "type": 18},
    )
    path = one_pathway(eps, {"admitted": "2024-03-01", "ready": "2024-03-20"})
    assert path["condition_group"] == "Falls and fractures"
    assert path["icd10_chapter"].startswith("XIX ")
    assert path["admission_route"] == "Emergency"  # type 33 (home accident), the first episode's


def test_potentially_preventable_admission_share_uses_flag_ppa():
    # emergency admission with COPD (J44.1): a PPA; elective (type 10) COPD: not an emergency
    eps = episodes(
        {"link_no": 1, "admitted": "2024-03-01", "discharged": None, "main": "J441", "type": 30},
        {"link_no": 2, "admitted": "2024-03-01", "discharged": None, "main": "J441", "type": 10},
        {"link_no": 3, "admitted": "2024-03-01", "discharged": None, "main": "S720", "type": 30},
    )
    rows = delays(
        *({"link_no": n, "admitted": "2024-03-01", "ready": "2024-03-10"} for n in (1, 2, 3, 4))
    )
    paths = delay_pathways(rows, eps)
    assert list(paths["ppa_label"]) == [
        "Potentially preventable",
        "Not an emergency admission",
        "Other emergency admission",
        NO_STAY,  # person 4 has no stay
    ]
    assert paths.loc[0, "ppa_condition"] == "COPD"
    assert paths["ppa"].isna().tolist() == [False, False, False, True]


def test_delay_with_no_stay_shows_as_no_linked_stay_in_every_breakdown():
    eps = episodes({"link_no": 1, "admitted": "2024-03-01", "discharged": None})
    paths = delay_pathways(
        delays({"link_no": 9, "admitted": "2024-03-01", "ready": "2024-03-10"}), eps, NO_AE
    )
    for column in (
        "admission_route",
        "ae_route",
        "specialty_pathway",
        "transfer",
        "icd10_chapter",
        "condition_group",
        "ppa_label",
    ):
        assert paths.loc[0, column] == NO_STAY, column
    # days before ready fall back on the delay's own admission date: 10 - 1 = 9
    assert paths.loc[0, "days_before_ready"] == 9


def test_pathway_breakdown_counts_delays_and_bed_days_in_the_period():
    # March 2024: person 1 (emergency) ready 10 March, discharged 20 March: 10 bed days;
    # person 2 (planned) ready 25 March, still delayed: 31 - 25 = 6 bed days;
    # person 3 has no stay, ready 1 March, discharged 3 March: 2 bed days. Total 18.
    eps = episodes(
        {"link_no": 1, "admitted": "2024-03-01", "discharged": "2024-03-20", "type": 30},
        {"link_no": 2, "admitted": "2024-03-01", "discharged": None, "type": 10},
    )
    rows = delays(
        {"link_no": 1, "admitted": "2024-03-01", "ready": "2024-03-10", "discharged": "2024-03-20"},
        {"link_no": 2, "admitted": "2024-03-01", "ready": "2024-03-25"},
        {"link_no": 3, "admitted": "2024-02-20", "ready": "2024-03-01", "discharged": "2024-03-03"},
    )
    paths = delay_pathways(
        delays_in_period(rows, "2024-03", "2024-03"),
        eps,
        pd.DataFrame([attendance(1, "2024-03-01 08:00", "2024-03-01 12:00")]),
    )
    table = delay_breakdown(paths, "admission_route").set_index("admission_route")
    assert table.loc["Emergency", "bed_days"] == 10
    assert table.loc["Planned", "bed_days"] == 6
    assert table.loc["Transfer or other", "delays"] == 0  # listed, though none
    assert table.loc[NO_STAY, "bed_days"] == 2
    assert table.loc["All", "bed_days"] == 18
    assert table.loc["Emergency", "share_of_bed_days"] == pytest.approx(10 / 18)
    ae = delay_breakdown(paths, "ae_route").set_index("ae_route")
    assert ae.loc["Through A&E", "delays"] == 1
    assert ae.loc["Not through A&E", "delays"] == 1


# --- the pathway comparator ----------------------------------------------------------------


def test_bed_days_by_dimension_adds_up_within_each_dimension_and_gives_shares():
    # March 2024, partnership S37000005: person 1 (emergency, 82) 10 bed days; person 2
    # (planned, 82) 6 bed days. Each dimension's categories add up to 16.
    eps = episodes(
        {"link_no": 1, "admitted": "2024-03-01", "discharged": "2024-03-20", "type": 30},
        {"link_no": 2, "admitted": "2024-03-01", "discharged": None, "type": 10},
    )
    rows = delays(
        {"link_no": 1, "admitted": "2024-03-01", "ready": "2024-03-10", "discharged": "2024-03-20"},
        {"link_no": 2, "admitted": "2024-03-01", "ready": "2024-03-25"},
    )
    rows["hscp2019"] = "S37000005"
    long = bed_days_by_dimension(delay_pathways(rows, eps, NO_AE), "2024-03", "2024-03")
    assert (long.groupby("dimension")["bed_days"].sum() == 16).all()
    routes = long[long["dimension"] == "admission_route"].set_index("category")["bed_days"]
    assert routes["Emergency"] == 10 and routes["Planned"] == 6
    shares = comparator_shares(long, "admission_route", "2024-03", "2024-03").set_index("category")
    assert shares.loc["Emergency", "share_of_bed_days"] == pytest.approx(10 / 16)
    none = comparator_shares(long, "admission_route", "2024-03", "2024-03", where={"hscp2019": "x"})
    assert none.empty


def test_specialty_names_keep_the_code_and_leave_unknown_codes_alone():
    names = specialty_name(pd.Series(["AB", "Z9", None]))
    assert names.iloc[0] == "Geriatric Medicine (AB)"
    assert names.iloc[1] == "Z9"
    assert pd.isna(names.iloc[2])


def test_breakdown_with_scotland_puts_scotlands_share_beside_each_category():
    # the area: 1 emergency delay of 10 bed days; Scotland (the comparator): emergency 30,
    # planned 10 bed days in March, so Scotland's shares are 75% and 25%
    eps = episodes({"link_no": 1, "admitted": "2024-03-01", "discharged": "2024-03-20"})
    rows = delays(
        {"link_no": 1, "admitted": "2024-03-01", "ready": "2024-03-10", "discharged": "2024-03-20"}
    )
    paths = delay_pathways(delays_in_period(rows, "2024-03", "2024-03"), eps, NO_AE)
    comparator = pd.DataFrame(
        {
            "month": pd.Timestamp("2024-03-01"),
            "hscp2019": ["S37000001", "S37000002"],
            "dimension": "admission_route",
            "category": ["Emergency", "Planned"],
            "bed_days": [30, 10],
        }
    )
    table = breakdown_with_scotland(paths, "admission_route", comparator, "2024-03", "2024-03")
    shares = table.set_index("admission_route")["scotland_share_of_bed_days"]
    assert shares["Emergency"] == pytest.approx(0.75)
    assert shares["Planned"] == pytest.approx(0.25)
    assert shares["Transfer or other"] == 0
    assert shares["All"] == 1
    assert table.set_index("admission_route").loc["Emergency", "share_of_bed_days"] == 1
    # without a comparator, Scotland's shares are missing, not made up
    alone = breakdown_with_scotland(paths, "admission_route", None, "2024-03", "2024-03")
    assert alone["scotland_share_of_bed_days"].isna().all()
