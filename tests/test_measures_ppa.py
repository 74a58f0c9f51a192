"""Potentially preventable admissions (PPA): worked examples of the 19 conditions.

The rules are those of Public-Health-Scotland/source-linkage-files,
R/add_ppa_flag.R. Each case says in its comment why the codes do or do not
make the condition: which list the code is in (or why it is not), and which
exclusion applies. ICD-10 codes are written without dots unless the test is
about dots.
"""

import pandas as pd
import pytest

from hscp.measures.ppa import (
    PPA_CONDITIONS,
    PPA_RULES,
    flag_ppa,
    ppa_condition,
    ppa_conditions,
)
from hscp.measures.stays import continuous_stays

# (main condition, other conditions, main operation, expected condition)
POSITIVE = [
    # ENT infections: main H66 (otitis media, 3 characters) or J028/J029/J038/J039/J321
    ("H669", (), None, "ENT infections"),
    ("J039", (), None, "ENT infections"),  # acute tonsillitis, unspecified: J039 listed
    ("J321", (), None, "ENT infections"),  # chronic frontal sinusitis: J321 listed
    # dental: main K02-K06, K08
    ("K021", (), None, "dental conditions"),  # caries of dentine: K02
    ("K083", (), None, "dental conditions"),  # retained dental root: K08
    # convulsions and epilepsy: main G40, G41, R56, O15
    ("G409", (), None, "convulsions and epilepsy"),
    ("O150", (), None, "convulsions and epilepsy"),  # eclampsia in pregnancy: O15
    ("R568", (), None, "convulsions and epilepsy"),
    # gangrene: R02 in any position
    ("I702", ("R02",), None, "gangrene"),  # atherosclerosis main, gangrene first other
    # nutritional deficiency: main E40, E41, E43, E550, E643, M833
    ("E43", (), None, "nutritional deficiency"),
    ("E550", (), None, "nutritional deficiency"),  # active rickets
    ("M833", (), None, "nutritional deficiency"),  # adult osteomalacia due to malnutrition
    # dehydration and gastroenteritis: main E86, K522, K528, K529
    ("E86", (), None, "dehydration and gastroenteritis"),
    ("K529", (), None, "dehydration and gastroenteritis"),
    # pyelonephritis: main N10, N11, N12
    ("N10", (), None, "pyelonephritis"),
    ("N119", (), None, "pyelonephritis"),
    # perforated/bleeding ulcer: main K25-K28 with 4th character 0, 1, 2, 4, 5, 6
    ("K250", (), None, "perforated/bleeding ulcer"),  # acute gastric ulcer with haemorrhage
    ("K276", (), None, "perforated/bleeding ulcer"),  # chronic, haemorrhage and perforation
    # cellulitis: main L03, L04, L080, L088, L089, L980, no excluded operation
    ("L031", (), None, "cellulitis"),
    ("L089", (), None, "cellulitis"),
    ("L980", (), "T961", "cellulitis"),  # T96 is not a cellulitis exclusion (S06 ... X11)
    # pelvic inflammatory disease: main N70, N73
    ("N709", (), None, "pelvic inflammatory disease"),
    ("N739", (), None, "pelvic inflammatory disease"),
    # influenza and pneumonia: J10, J11, J13, J181 in any position
    ("J101", (), None, "influenza and pneumonia"),
    ("J13", (), None, "influenza and pneumonia"),
    ("R509", (None, None, "J181"), None, "influenza and pneumonia"),  # third other condition
    # other vaccine-preventable: A35, A36, A80, B05, B06, B26, A370, A379, B161, B169, any
    ("A35", (), None, "other vaccine-preventable"),  # tetanus
    ("R509", ("B059",), None, "other vaccine-preventable"),  # measles as an other condition
    ("A370", (), None, "other vaccine-preventable"),  # whooping cough, B. pertussis
    ("B169", (), None, "other vaccine-preventable"),  # acute hepatitis B
    # iron-deficiency anaemia: main D501, D508, D509
    ("D509", (), None, "iron-deficiency anaemia"),
    # asthma: main J45, J46
    ("J459", (), None, "asthma"),
    ("J46", (), None, "asthma"),
    # diabetes complications: E10-E14 with 4th character 0-8, any position
    ("E101", (), None, "diabetes complications"),  # type 1 with ketoacidosis
    ("R688", (None, None, None, None, "E145"), None, "diabetes complications"),  # 5th other
    # hypertension: main I10, I119, no cardiac operation
    ("I10", (), None, "hypertension"),
    ("I119", (), "K51", "hypertension"),  # K51 is outside K01-K50, K56, K60, K61
    # angina: main I20, no K40, K45, K49, K60, K65, K66
    ("I209", (), None, "angina"),
    ("I200", (), "K50", "angina"),  # K50 excludes hypertension and heart failure, not angina
    # COPD: main J41-J44, J47; or main J20 with first other condition J41-J44, J47
    ("J440", (), None, "COPD"),
    ("J47", (), None, "COPD"),
    ("J209", ("J449",), None, "COPD"),
    # congestive heart failure: main I50, J81, I110, no cardiac operation
    ("I500", (), None, "congestive heart failure"),
    ("J81", (), None, "congestive heart failure"),
    ("I110", (), None, "congestive heart failure"),  # hypertensive heart disease with failure
]

NEGATIVE = [
    # ENT: J020 (streptococcal pharyngitis) is not listed (only J028, J029)
    ("J020", (), None),
    # ENT is main-condition only: otitis media as an other condition does not count
    ("S099", ("H669",), None),
    # dental: K07 (dentofacial anomalies) is not listed
    ("K071", (), None),
    # convulsions: G43 (migraine) is not listed
    ("G439", (), None),
    # gangrene: R03 (abnormal blood pressure reading) is not R02
    ("R030", (), None),
    # nutritional deficiency: E559 (vitamin D deficiency, unspecified) is not E550
    ("E559", (), None),
    # dehydration: K521 (toxic gastroenteritis) is not K522/K528/K529
    ("K521", (), None),
    # pyelonephritis: N390 (urinary tract infection, site not specified) is not listed
    ("N390", (), None),
    # ulcer: K253 (acute gastric ulcer without haemorrhage or perforation), 4th character 3
    ("K253", (), None),
    # ulcer: K259, 4th character 9 (unspecified, without haemorrhage or perforation)
    ("K259", (), None),
    # cellulitis: L081 (erythrasma) is not L080/L088/L089
    ("L081", (), None),
    # pelvic inflammatory disease: N72 (cervicitis) is not listed
    ("N72", (), None),
    # influenza and pneumonia: J180 (bronchopneumonia, unspecified) is not J181
    ("J180", (), None),
    # influenza and pneumonia: J12 (viral pneumonia) is not listed
    ("J129", (), None),
    # vaccine-preventable: A371 (B. parapertussis) is not A370/A379
    ("A371", (), None),
    # iron deficiency: D500 (secondary to chronic blood loss) is not D501/D508/D509
    ("D500", (), None),
    # asthma: R062 (wheezing) is not J45/J46
    ("R062", (), None),
    # diabetes: E109 (type 1 without complications), 4th character 9
    ("E109", (), None),
    # diabetes: E15 (non-diabetic hypoglycaemic coma) is not E10-E14
    ("E15", (), None),
    # hypertension: I15 (secondary hypertension) is not I10/I119
    ("I159", (), None),
    # angina: I21 (acute myocardial infarction) is not I20
    ("I219", (), None),
    # COPD: J449 as an other condition with a main condition other than J20
    ("R05", ("J449",), None),
    # heart failure: I51 (complications of heart disease) is not I50
    ("I519", (), None),
    # nothing at all
    ("S72", (), None),
]

# Every case, for the scalar/vectorised comparison.
CASES = [*POSITIVE, *((main, others, op, None) for main, others, op in NEGATIVE)]


def stays(*cases, admission_type=30):
    """Stays (one per case) with the diagnosis columns of the data contract."""
    rows = []
    for main, others, operation, *_ in cases:
        padded = list(others) + [None] * (5 - len(others))
        row = {"main_condition": main, "main_operation": operation}
        row.update({f"other_condition_{i}": padded[i - 1] for i in range(1, 6)})
        row["admission_type"] = admission_type
        rows.append(row)
    frame = pd.DataFrame(rows)
    for col in ["main_condition", "main_operation", *(f"other_condition_{i}" for i in range(1, 6))]:
        frame[col] = frame[col].astype("string")
    frame["admission_type"] = frame["admission_type"].astype("Int64")
    return frame


def case_id(case):
    main, others, operation, *expected = case
    return "-".join(str(x) for x in (main, *[o for o in others if o], operation) if x)


# --- the list ------------------------------------------------------------------------


def test_there_are_19_conditions_and_every_rule_names_one_of_them():
    # the ISD/PHS list has 19 conditions; the rules (in the order of the R code's
    # case_when, some conditions in more than one rule) use exactly those names
    assert len(PPA_CONDITIONS) == 19
    assert {rule.condition for rule in PPA_RULES} == set(PPA_CONDITIONS)


@pytest.mark.parametrize("case", POSITIVE, ids=case_id)
def test_each_condition_is_found_from_its_codes(case):
    main, others, operation, expected = case
    assert ppa_condition(main, others, operation) == expected


@pytest.mark.parametrize("case", NEGATIVE, ids=case_id)
def test_codes_outside_the_list_are_not_ppa(case):
    main, others, operation = case
    assert ppa_condition(main, others, operation) is None


def test_every_condition_has_a_positive_case():
    # the table above has at least one worked positive case for each condition
    assert {expected for *_, expected in POSITIVE} == set(PPA_CONDITIONS)


def test_scalar_and_vectorised_rules_agree_on_every_case():
    # the same table through ppa_condition (one stay) and ppa_conditions (a frame)
    expected = [ppa_condition(main, others, op) for main, others, op, _ in CASES]
    result = ppa_conditions(stays(*CASES))
    assert [None if pd.isna(v) else v for v in result] == expected
    assert expected == [condition for *_, condition in CASES]


# --- operation exclusions ----------------------------------------------------------


@pytest.mark.parametrize("operation", ["S06", "S57", "S68", "S70", "W90", "X11"])
def test_cellulitis_is_excluded_by_its_operations(operation):
    # L039 cellulitis with main operation S06/S57/S68/S70/W90/X11 (4th character 1
    # added: the exclusion matches the first three characters)
    assert ppa_condition("L039", main_operation=operation + "1") is None


@pytest.mark.parametrize("operation", ["K40", "K45", "K49", "K60", "K65", "K66"])
def test_angina_is_excluded_by_its_operations(operation):
    # I209 angina with main operation K40/K45/K49/K60/K65/K66 is not a PPA
    assert ppa_condition("I209", main_operation=operation + "2") is None


@pytest.mark.parametrize("operation", ["K01", "K25", "K50", "K56", "K60", "K61"])
def test_hypertension_is_excluded_by_cardiac_operations(operation):
    # K01-K50 (first, middle and last of the range), K56, K60, K61 exclude I10
    assert ppa_condition("I10", main_operation=operation + "1") is None


@pytest.mark.parametrize("operation", ["K01", "K50", "K56", "K60", "K61"])
def test_heart_failure_is_excluded_by_cardiac_operations(operation):
    # the same operations exclude I500 heart failure
    assert ppa_condition("I500", main_operation=operation + "9") is None


@pytest.mark.parametrize("operation", ["K51", "K55", "K57", "K62"])
def test_cardiac_operations_outside_the_list_do_not_exclude(operation):
    # K51, K55, K57 and K62 are not in K01-K50, K56, K60, K61: I500 stays a PPA
    assert ppa_condition("I500", main_operation=operation + "1") == "congestive heart failure"


def test_operation_exclusion_does_not_apply_to_conditions_without_one():
    # asthma has no operation exclusion: J459 with main operation K401 is asthma
    assert ppa_condition("J459", main_operation="K401") == "asthma"


# --- 4th character rules and J20 ---------------------------------------------------


@pytest.mark.parametrize(("code", "expected"), [("K260", True), ("K263", False), ("K287", False)])
def test_ulcer_needs_4th_character_0_1_2_4_5_or_6(code, expected):
    # K26 duodenal ulcer: 0 (acute, haemorrhage) counts; 3 (acute, neither) and 7
    # (chronic, neither) do not
    assert (ppa_condition(code) == "perforated/bleeding ulcer") is expected


def test_ulcer_without_a_4th_character_is_not_ppa():
    # "K25" alone has no 4th character, so it is none of K250 ... K256
    assert ppa_condition("K25") is None


@pytest.mark.parametrize(("code", "expected"), [("E118", True), ("E119", False), ("E11", False)])
def test_diabetes_needs_4th_character_0_to_8(code, expected):
    # E118 (with unspecified complications) counts; E119 (without complications)
    # and bare E11 do not
    assert (ppa_condition(code) == "diabetes complications") is expected


def test_bronchitis_with_copd_as_first_other_condition_is_copd():
    # main J20 (acute bronchitis) + first other condition J441: COPD
    assert ppa_condition("J209", ["J441"]) == "COPD"


def test_bronchitis_without_copd_is_not_ppa():
    # main J20 with no other condition, or with an other condition that is not COPD
    assert ppa_condition("J209") is None
    assert ppa_condition("J209", ["J45"]) is None


def test_bronchitis_with_copd_only_as_second_other_condition_is_not_ppa():
    # the R code looks at diag2 (the first other condition) only
    assert ppa_condition("J209", ["R05", "J449"]) is None


# --- codes as they come ------------------------------------------------------------


def test_codes_match_with_dots_and_in_lower_case():
    # "j45.9" is J459 (asthma); "i20.9" with "k40.1" is angina excluded by K40;
    # "e11.5" as an other condition is diabetes
    assert ppa_condition("j45.9") == "asthma"
    assert ppa_condition("i20.9", main_operation="k40.1") is None
    assert ppa_condition("R688", ["e11.5"]) == "diabetes complications"


def test_vectorised_rules_accept_dots_and_lower_case():
    frame = stays(("j45.9", (), None), ("i20.9", (), "k40.1"), ("R688", ("e11.5",), None))
    assert ppa_conditions(frame).tolist() == ["asthma", pd.NA, "diabetes complications"]


def test_missing_main_condition_is_not_ppa():
    assert ppa_condition(None) is None
    assert ppa_conditions(stays((None, (), None))).isna().tolist() == [True]


# --- two conditions at once ----------------------------------------------------------


def test_unconditional_main_condition_comes_before_any_position_conditions():
    # main E86 (dehydration, R branch 1) with other J10 (influenza, branch 3):
    # the first rule to match is dehydration
    assert ppa_condition("E86", ["J101"]) == "dehydration and gastroenteritis"


def test_any_position_conditions_come_before_angina():
    # main I209 (angina, R branch 5) with other E115 (diabetes, branch 4):
    # diabetes comes first in the R code's case_when
    assert ppa_condition("I209", ["E115"]) == "diabetes complications"


def test_three_character_any_position_codes_come_before_four_character_ones():
    # other E115 (diabetes, 4-character branch) and J10 (influenza, 3-character
    # branch): influenza, whatever the positions
    assert ppa_condition("R688", ["E115", "J101"]) == "influenza and pneumonia"


def test_excluded_angina_can_still_be_ppa_for_another_condition():
    # main I209 excluded by K401, but other R02 (gangrene) still makes it a PPA
    assert ppa_condition("I209", ["R02"], "K401") == "gangrene"


# --- flag_ppa: emergency stays only --------------------------------------------------


@pytest.mark.parametrize(
    ("admission_type", "ppa"), [(10, False), (19, False), (40, False), (20, True), (39, True)]
)
def test_only_emergency_admissions_are_ppa(admission_type, ppa):
    # J459 asthma: a PPA when admitted as an emergency (20-22, 30-39), never when
    # routine (10, 19) or maternity (40)
    flagged = flag_ppa(stays(("J459", (), None), admission_type=admission_type))
    assert flagged["ppa"].tolist() == [ppa]
    expected = "asthma" if ppa else pd.NA
    assert flagged["ppa_condition"].tolist() == [expected]


def test_emergency_stay_without_a_condition_is_not_ppa():
    # emergency (30) with S72 (fracture of femur): no condition, ppa False
    flagged = flag_ppa(stays(("S72", (), None)))
    assert flagged["ppa"].tolist() == [False]
    assert flagged["ppa_condition"].isna().tolist() == [True]


def test_ppa_is_decided_on_the_first_episode_of_the_stay():
    # one stay of two episodes: the first (emergency, S72 fracture) then a
    # transfer whose main condition is J459 asthma. continuous_stays takes the
    # first episode's diagnoses, so the stay is not a PPA.
    episodes = pd.DataFrame(
        {
            "link_no": [1, 1],
            "cis_marker": [1, 1],
            "admission_date": pd.to_datetime(["2024-03-01", "2024-03-04"]),
            "discharge_date": pd.to_datetime(["2024-03-04", "2024-03-09"]),
            "admission_type": pd.array([30, 39], dtype="Int64"),
            "discharge_type": pd.array([11, 10], dtype="Int64"),
            "main_condition": pd.array(["S72", "J459"], dtype="string"),
            **{f"other_condition_{i}": pd.array([None, None], dtype="string") for i in range(1, 6)},
            "main_operation": pd.array([None, None], dtype="string"),
        }
    )
    flagged = flag_ppa(continuous_stays(episodes))
    assert flagged["ppa"].tolist() == [False]


def test_flag_ppa_keeps_every_stay_and_column():
    frame = stays(("J459", (), None), ("S72", (), None))
    frame["link_no"] = [7, 8]
    flagged = flag_ppa(frame)
    assert flagged["link_no"].tolist() == [7, 8]
    assert list(flagged.columns[-2:]) == ["ppa_condition", "ppa"]
