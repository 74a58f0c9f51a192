"""The numbers behind the synthetic Scotland: rates, shares, seasons and code lists.

Everything an analyst might want to check or change is here, with its rough
real-world source in a comment; docs/synthetic-data.md describes the same numbers
in words. Rates are per 1,000 people a year unless said otherwise.
"""

from __future__ import annotations

import numpy as np

# --- age groups ---------------------------------------------------------------------

#: The age groups the clinical tables use: <1, 1-14, 15-44, 45-64, 65-74, 75-84, 85+.
AGE_GROUP_EDGES = (1, 15, 45, 65, 75, 85)
AGE_GROUP_LABELS = ("<1", "1-14", "15-44", "45-64", "65-74", "75-84", "85+")
N_AGE_GROUPS = len(AGE_GROUP_LABELS)


def age_group(age: np.ndarray) -> np.ndarray:
    return np.searchsorted(np.array(AGE_GROUP_EDGES), np.asarray(age), side="right").astype(np.int8)


def _curve(anchors: dict[int, float], top: int = 110) -> np.ndarray:
    """Rate by single year of age 0..top, log-linear between anchor ages."""
    ages = np.array(sorted(anchors))
    values = np.log([anchors[a] for a in ages])
    return np.exp(np.interp(np.arange(top + 1), ages, values))


# --- population dynamics (NRS life tables and migration, roughly) ---------------------

#: Gompertz-Makeham mortality: hazard = MAKEHAM + exp(A + B * age), times a women's
#: factor (0.6 at younger ages, nearer men's at 95); close to the NRS life tables
#: (life expectancy about 76.5 for men and 80.7 for women).
MORTALITY_A, MORTALITY_B, MAKEHAM = -10.25, 0.094, 0.0002
FEMALE_MORTALITY = ((0, 70, 95), (0.6, 0.62, 0.85))
#: Age at which the 90+ group's hazard is taken (its mean age is about 93).
OPEN_AGE_HAZARD = 94.0
INFANT_MORTALITY = 0.0035
#: Net migration a year (share of the age group): NRS mid-2022/23 estimates show net
#: in-migration of about 0.5-0.9% a year, mostly of people in their twenties.
NET_MIGRATION_YOUNG, NET_MIGRATION_OTHER = 0.010, 0.002
#: Births each year relative to the base year's age-0 population (births are falling slowly).
BIRTH_TREND = 0.99


def hazard(age: np.ndarray, sex: np.ndarray) -> np.ndarray:
    age = np.asarray(age, dtype=float)
    h = MAKEHAM + np.exp(MORTALITY_A + MORTALITY_B * age)
    female = np.interp(age, *FEMALE_MORTALITY)
    h = np.where(np.asarray(sex) == 2, h * female, h)
    return np.where(age < 1, INFANT_MORTALITY, h)


def net_migration(age: np.ndarray) -> np.ndarray:
    age = np.asarray(age)
    return np.where((age >= 18) & (age <= 32), NET_MIGRATION_YOUNG, NET_MIGRATION_OTHER)


# --- people -------------------------------------------------------------------------

#: Gamma frailty (mean 1): its shape sets how much admissions cluster in people.
FRAILTY_SHAPE = 0.7
#: Share of people whose frailty is drawn afresh each year (frailty changes over time).
FRAILTY_RENEWAL = 0.25
#: A&E propensity = AE_FRAILTY_MIX * frailty + (1 - mix) * an independent gamma.
AE_FRAILTY_MIX, AE_OWN_SHAPE = 0.5, 0.6
#: Frequent attenders: a small group of adults with a very high A&E propensity
#: (PHS: about 1-2 in 1,000 adults attend A&E 10 or more times in a year).
FREQUENT_ATTENDER_SHARE = 0.0012
FREQUENT_ATTENDER_MULTIPLIER = (18.0, 60.0)  # uniform between
#: Share of people without a registered GP practice in the extracts.
NO_GP_SHARE = 0.004
#: People per synthetic datazone (real 2011 datazones: 500-1,000 residents) and per practice.
PEOPLE_PER_DATAZONE = 800

#: Deprivation: the correlation (normal scale) between a person's frailty and how deprived
#: their datazone is. 0.35 gives emergency admissions about 1.5 to 1.7 times as high in the most
#: deprived quintile as in the least, as in Scotland (PHS, hospital admissions by SIMD).
DEPRIVATION_FRAILTY = 0.35
#: Partnerships more (or less) deprived than most: a shift of each datazone's score
#: (standard normal), after SIMD 2020's shares of datazones in the most deprived quintile.
DEPRIVATION_LEVEL: dict[str, float] = {
    "Glasgow City": 0.9,
    "Inverclyde": 0.8,
    "Dundee City": 0.7,
    "West Dunbartonshire": 0.6,
    "North Ayrshire": 0.5,
    "North Lanarkshire": 0.4,
    "East Ayrshire": 0.4,
    "Renfrewshire": 0.2,
    "Aberdeenshire": -0.6,
    "East Dunbartonshire": -0.7,
    "East Renfrewshire": -0.7,
    "Shetland Islands": -0.7,
    "Orkney Islands": -0.7,
    "Western Isles": -0.5,
    "Perth & Kinross": -0.3,
}
PEOPLE_PER_PRACTICE = 7000
#: Spread of locality rates around the partnership (deprivation, rurality).
LOCALITY_RATE_SD = 0.10
#: Locality population shares: Dirichlet concentration, minimum share and age tilt.
LOCALITY_CONCENTRATION, LOCALITY_MIN_SHARE, LOCALITY_TILT_SD = 4.0, 0.095, 0.22

# --- emergency admissions (SMR01, counted per continuous inpatient stay) ------------------

#: PHS unscheduled care / SMR01: emergency stays per 1,000 a year by age (before
#: readmissions, which add about 6%): under 1 ~150, 1-14 ~35, 15-44 ~50, 45-64 ~80,
#: 65-74 ~150, 75-84 ~280, 85+ ~480; Scotland about 100 per 1,000.
EMERGENCY_RATE = _curve(
    {0: 150, 1: 62, 3: 36, 8: 25, 14: 28, 18: 44, 30: 46, 44: 54, 50: 62, 55: 72, 60: 86,
     64: 100, 67: 118, 70: 138, 74: 172, 77: 205, 80: 255, 84: 330, 87: 410, 90: 520, 95: 600}
)  # fmt: skip
EMERGENCY_SCALE = 1.01
#: Calibration by age: stays that would overlap an earlier stay are dropped and frail
#: people die sooner, so the input rates are raised to give the target rates above.
EMERGENCY_CALIBRATION = _curve(
    {0: 1.0, 1: 1.12, 14: 1.12, 15: 1.06, 64: 1.06, 70: 1.1, 80: 1.2, 87: 1.24, 95: 1.24}
)
#: Men/women: young women more (gynaecology, early pregnancy), older men more.
EMERGENCY_MALE = _curve({0: 1.1, 14: 1.05, 15: 0.85, 44: 0.9, 45: 1.05, 84: 1.12, 90: 1.0})

#: Month factors (Jan..Dec), mean 1. Older people: winter peak (Dec-Feb ~12% above
#: the mean; PHS weekly emergency admissions); children: RSV/bronchiolitis peak Nov-Dec.
SEASON_OLDER = (1.15, 1.12, 1.03, 0.97, 0.95, 0.92, 0.92, 0.92, 0.95, 0.99, 1.03, 1.13)
SEASON_ADULT = (1.06, 1.03, 1.01, 0.99, 0.99, 0.97, 0.97, 0.97, 0.98, 1.0, 1.01, 1.05)
SEASON_CHILD = (1.05, 0.98, 0.99, 0.95, 0.95, 0.9, 0.83, 0.85, 1.0, 1.08, 1.2, 1.22)
#: Day of week (Mon..Sun): fewer emergency admissions at weekends.
WEEKDAY_EMERGENCY = (1.09, 1.04, 1.02, 1.01, 1.03, 0.91, 0.9)

#: Length of stay (days) of emergency stays by age group: share of same-day (0 day)
#: stays, then 1 + lognormal(median, sigma). ISD/PHS acute LOS: median about 1-2 days
#: under 45, 5-7 days for 85+, mean well above the median.
LOS_SAME_DAY = (0.38, 0.42, 0.34, 0.25, 0.17, 0.11, 0.08)
LOS_MEDIAN = (1.2, 1.1, 1.6, 2.3, 3.2, 4.3, 5.0)
LOS_SIGMA = (0.8, 0.8, 0.95, 1.0, 1.05, 1.05, 1.05)
LOS_MAX = 400

#: In-hospital death (discharge type 40-43) per emergency stay, by age group (a few %
#: overall; about 9% of stays of people 85+), before the condition's factor.
DEATH_RISK = (0.002, 0.0005, 0.0012, 0.007, 0.017, 0.031, 0.055)
DEATH_TYPES = {41: 0.8, 43: 0.1, 40: 0.05, 42: 0.05}

#: Second episode of the same stay (transfer to Geriatric Medicine, rehabilitation or a
#: community hospital): share of stays of 3+ days, by age group (~20% of 75+ stays).
SECOND_EPISODE = (0.02, 0.02, 0.03, 0.06, 0.12, 0.22, 0.25)
SECOND_EPISODE_IF_DELAYED = 0.45
THIRD_EPISODE = 0.18  # of stays with a second episode and 4+ days left
SECOND_SPECIALTY = {"AB": 0.6, "AP": 0.15, "E12": 0.15, "A1": 0.1}
SECOND_SAME_HOSPITAL = 0.7  # AB/AP/A1 episodes stay in the same hospital this often
THIRD_SPECIALTY = {"E12": 0.6, "AB": 0.3, "AP": 0.1}

#: Emergency admissions that arrive through A&E (PHS: about 60-65%); the rest are
#: GP referrals to assessment units, transfers and planned urgent admissions.
VIA_AE = (0.53, 0.56, 0.63, 0.63, 0.64, 0.66, 0.67)

#: Readmission within 28 days: an extra emergency stay after a live discharge, by age
#: group, times sqrt(frailty); the gap is 1 + exponential(mean READMIT_GAP) days.
READMIT_RISK = (0.03, 0.025, 0.035, 0.05, 0.07, 0.08, 0.085)
READMIT_GAP = 9.0
READMIT_SAME_CONDITION = 0.45

#: Discharge type of the last episode, by age group, when not a death: to a care home
#: (12), self-discharge (20), another hospital (11); else regular (10).
CARE_HOME_DISCHARGE = (0, 0, 0.002, 0.005, 0.015, 0.04, 0.08)
SELF_DISCHARGE = (0.001, 0.002, 0.025, 0.02, 0.008, 0.004, 0.002)
OTHER_HOSPITAL_DISCHARGE = (0.01, 0.01, 0.01, 0.015, 0.02, 0.02, 0.02)

#: Emergency admission type mixes (first episode of the stay).
ADMISSION_TYPE_MIX = {
    "medical": {30: 0.66, 38: 0.12, 20: 0.08, 21: 0.06, 22: 0.04, 39: 0.04},
    "fall": {33: 0.6, 35: 0.28, 30: 0.08, 38: 0.04},
    "injury": {35: 0.35, 33: 0.2, 31: 0.12, 32: 0.12, 34: 0.06, 30: 0.15},
    "selfharm": {36: 0.75, 30: 0.25},
}
#: Types that never arrive through A&E (planned urgent, transfers).
NOT_VIA_AE = (21, 22, 39)

# --- elective admissions -------------------------------------------------------------

#: Elective inpatient stays per 1,000 a year (about 35% as many as emergency stays,
#: more middle-aged and young-old people).
ELECTIVE_RATE = _curve(
    {0: 9, 5: 12, 15: 13, 30: 22, 45: 42, 55: 56, 65: 74, 75: 70, 85: 40, 90: 24, 95: 18}
)
ELECTIVE_SCALE = 1.0
ELECTIVE_TYPES = {10: 0.55, 11: 0.35, 12: 0.10}
WEEKDAY_ELECTIVE = (1.25, 1.2, 1.2, 1.15, 1.0, 0.03, 0.17)
SEASON_ELECTIVE = (0.95, 1.04, 1.06, 1.0, 1.03, 1.03, 0.92, 0.93, 1.03, 1.05, 1.05, 0.91)
ELECTIVE_SAME_DAY, ELECTIVE_SIGMA = 0.3, 0.8
#: Islands boards send some elective surgery to the mainland.
TERTIARY = {"S08000025": ("N101H", 0.4), "S08000026": ("N101H", 0.4), "S08000028": ("H202H", 0.3)}

# --- A&E -----------------------------------------------------------------------------

#: A&E attendances per 1,000 a year by age (PHS A&E: about 300 per 1,000 overall,
#: U-shaped: high for under 5s, young adults and the very old). Includes the
#: attendances that end in an emergency admission.
AE_RATE = _curve(
    {0: 430, 1: 520, 2: 430, 4: 330, 7: 220, 12: 240, 16: 330, 20: 350, 26: 310, 35: 270,
     45: 240, 55: 225, 65: 245, 72: 280, 78: 350, 82: 430, 86: 540, 90: 680, 95: 760}
)  # fmt: skip
AE_SCALE = 1.0
#: Month factors: minor injuries peak in late spring and summer; older people in winter.
SEASON_AE_YOUNG = (0.93, 0.92, 0.98, 1.0, 1.06, 1.05, 1.06, 1.05, 1.02, 1.0, 0.97, 0.96)
SEASON_AE_OLDER = (1.1, 1.04, 1.01, 0.97, 0.97, 0.95, 0.95, 0.95, 0.96, 0.99, 1.02, 1.09)
#: Day of week (Mon..Sun): Monday peak.
WEEKDAY_AE = (1.13, 1.0, 0.97, 0.96, 0.97, 0.98, 0.99)
#: Arrivals by hour of day (ED): low overnight, peak late morning to early evening.
HOUR_ED = (2.0, 1.6, 1.3, 1.1, 1.0, 1.0, 1.4, 2.3, 3.8, 5.6, 6.6, 6.8,
           6.6, 6.4, 6.2, 6.1, 6.0, 5.9, 5.6, 5.1, 4.6, 4.0, 3.3, 2.6)  # fmt: skip
HOUR_MIU = (0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.8, 5.0, 8.5, 9.0, 8.5,
            8.0, 8.0, 7.8, 7.5, 7.0, 6.5, 6.0, 5.0, 3.5, 1.5, 0.6, 0.3)  # fmt: skip
#: Departure hour of attendances that end in admission (later in the day).
HOUR_ADMITTED = (3.0, 2.6, 2.2, 1.8, 1.5, 1.3, 1.3, 1.5, 2.0, 2.8, 3.6, 4.4,
                 5.0, 5.4, 5.8, 6.0, 6.2, 6.3, 6.2, 6.0, 5.6, 5.0, 4.3, 3.6)  # fmt: skip
#: Minor Injury Unit use by age group, relative to the board's MIU share.
MIU_AGE = (0.6, 1.2, 1.3, 1.0, 0.7, 0.4, 0.25)
#: Children's hospitals: only under 16s attend or are admitted there.
CHILDRENS_SITES = frozenset({"G513H", "S116H", "N121H"})
CHILDREN_TO_CHILDRENS_SITE = 0.8
#: Partnerships that use one site of their board much more than the board's mix.
SITE_AFFINITY = {
    "S37000017": {"C313H": 8.0},  # Inverclyde -> Inverclyde Royal
    "S37000024": {"C418H": 8.0},  # Renfrewshire -> Royal Alexandra
    "S37000029": {"G405H": 2.0, "C206H": 4.0},  # West Dunbartonshire
    "S37000009": {"G107H": 3.0, "G207H": 3.0},  # East Dunbartonshire
    "S37000011": {"G405H": 3.0, "G306H": 3.0},  # East Renfrewshire
    "S37000034": {"C418H": 0.1, "C313H": 0.05, "C206H": 0.1},  # Glasgow City
    "S37000030": {"S308H": 10.0},  # West Lothian -> St John's
    "S37000012": {"S308H": 0.15},
    "S37000010": {"S308H": 0.1},
    "S37000018": {"S308H": 0.1},
    "S37000035": {"L106H": 4.0, "L308H": 2.0, "L302H": 0.3},  # North Lanarkshire
    "S37000028": {"L302H": 4.0, "L308H": 2.0, "L106H": 0.3},  # South Lanarkshire
    "S37000008": {"A111H": 6.0},  # East Ayrshire -> Crosshouse
    "S37000020": {"A111H": 4.0},
    "S37000027": {"A210H": 8.0},  # South Ayrshire -> Ayr
    "S37000033": {"T202H": 8.0},  # Perth & Kinross -> Perth Royal
    "S37000003": {"T202H": 0.2},
    "S37000007": {"T202H": 0.1},
    "S37000019": {"N411H": 10.0},  # Moray -> Dr Gray's
    "S37000004": {"C121H": 3.0, "H202H": 0.2, "H103H": 0.01, "H212H": 0.05},  # Argyll & Bute
    "S37000016": {"C121H": 0.05, "C106H": 0.05, "C108H": 0.05, "C113H": 0.05, "C122H": 0.05},
}
ATTENDANCE_CATEGORY = {"New": 0.9, "Unplanned return": 0.07, "Planned return": 0.03}
#: Arrival by ambulance, by age group (PHS: roughly half of attendances of people 75+).
AMBULANCE = (0.05, 0.05, 0.11, 0.16, 0.3, 0.46, 0.62)
AMBULANCE_IF_ADMITTED = 0.25  # added for attendances that end in admission
OTHER_ARRIVAL = {"Own transport": 0.8, "Public transport": 0.12, "Other": 0.08}
POLICE = 0.01  # of attendances of 16-44 year olds
REFERRAL_AMBULANCE = {"Ambulance service": 0.85, "NHS 24": 0.1, "GP": 0.05}
REFERRAL_OTHER = {"Self": 0.62, "NHS 24": 0.18, "GP": 0.12, "Other": 0.08}
#: Where non-admitted attendances go.
AE_DESTINATION = {"Home": 0.9, "Transferred": 0.03, "Other": 0.07}
#: People who die outside hospital: share whose death is an A&E attendance ("Died").
DIED_IN_AE = 0.04
#: Time in department (minutes): lognormal; each site's median is set so its 4-hour
#: performance is near its real one (pulled towards 72%); multipliers below.
TIME_SIGMA_ED, TIME_SIGMA_MIU = 0.62, 0.7
TIME_PULL = 0.5  # weight of 0.72 in the site target (real 2022/23 ED: 47-98%)
TIME_ADMITTED = 1.9
TIME_AGE = (0.75, 0.75, 0.95, 1.0, 1.1, 1.25, 1.3)
TIME_WINTER = (1.15, 1.1, 1.05, 1.0, 0.97, 0.95, 0.95, 0.95, 0.97, 1.0, 1.04, 1.12)
AE_NO_DIAGNOSIS = 0.1

# --- delayed discharges -------------------------------------------------------------

#: Chance that an emergency stay has a delay at its end, by single age (before the
#: condition factor and the partnership's factor). Calibrated so Scotland has about
#: 1,850 delayed beds occupied on an average day (PHS: 57,860 delayed bed days in
#: January 2024; two thirds for people 75+).
DELAY_RISK = _curve(
    {16: 0.0025, 18: 0.003, 30: 0.004, 45: 0.008, 55: 0.013, 65: 0.026, 75: 0.05, 85: 0.08,
     95: 0.095}
)  # fmt: skip
DELAY_SCALE = 1.12
#: Partnership spread: p and length each scaled by factor ** DELAY_FACTOR_POWER.
DELAY_FACTOR_POWER = 0.5
#: Reason groups by number of delays (bed day shares come out ~70% health and social care,
#: ~27% code 9, ~3% patient/carer/family; code 100 a few % of delays, often very long).
DELAY_GROUPS = {"hsc": 0.88, "family": 0.03, "awi": 0.05, "code9": 0.028, "100": 0.012}
#: Health and social care codes: share and median length (days).
DELAY_CODES_HSC = {
    "11A": (0.1, 6), "11B": (0.2, 8), "25A": (0.13, 16), "25D": (0.18, 11), "25E": (0.04, 9),
    "25F": (0.02, 25), "23C": (0.02, 14), "23D": (0.02, 10), "24A": (0.02, 20),
    "24B": (0.05, 22), "24C": (0.08, 24), "24D": (0.01, 35), "24E": (0.03, 22),
    "24F": (0.06, 30), "27A": (0.03, 12), "44": (0.01, 2),
}  # fmt: skip
DELAY_CODES_FAMILY = {
    "61": (0.1, 20), "67": (0.3, 16), "51": (0.15, 35), "52": (0.15, 28), "71": (0.1, 22),
    "72": (0.03, 8), "73": (0.12, 12), "74": (0.05, 12),
}  # fmt: skip
DELAY_CODES_CODE9 = {
    "24DX": (0.17, 90), "24EX": (0.18, 55), "25X": (0.35, 40), "71X": (0.15, 35),
    "26X": (0.08, 18), "46X": (0.07, 9),
}  # fmt: skip
DELAY_AWI = ("51X", 65)
DELAY_100 = ("100", 75)
DELAY_SIGMA = 0.95
DELAY_SIGMA_LONG = 0.8  # AWI, code 9 and code 100
DELAY_MAX = 700
DELAY_SAME_DAY = 0.01  # ready for discharge date = discharge date
DELAY_WINTER = (1.05, 1.03, 1.0, 0.98, 0.98, 0.98, 0.98, 0.98, 0.99, 1.0, 1.02, 1.05)
DELAY_DEATH = (0.02, 0.04, 0.06)  # died while delayed: 18-64, 65-84, 85+
#: Where the person went, by code (1 placement, 2 home with care, 3 home).
DELAY_DISCHARGE_TO = {
    "placement": {1: 0.86, 2: 0.08, 3: 0.06},
    "home_care": {2: 0.82, 3: 0.1, 1: 0.08},
    "assessment": {2: 0.5, 1: 0.3, 3: 0.2},
    "transport": {3: 0.6, 2: 0.4},
    "other": {1: 0.5, 2: 0.3, 3: 0.2},
}
DELAY_CODE_DESTINATION = {
    **dict.fromkeys(("25A", "23C", "24A", "24B", "24C", "24D", "24E", "24F", "24DX", "24EX",
                     "51X", "26X", "100"), "placement"),
    **dict.fromkeys(("25D", "25E", "25F", "23D", "25X", "27A"), "home_care"),
    **dict.fromkeys(("11A", "11B"), "assessment"),
    "44": "transport",
}  # fmt: skip

# --- clinical tables -------------------------------------------------------------------
# Each emergency category: age-group weights (<1, 1-14, 15-44, 45-64, 65-74, 75-84, 85+),
# ICD-10 codes (code, weight[, sex]), specialties, a winter amplitude (share of the
# month factor: +amp in January, -amp in July), LOS factor, death and delay factors,
# operations (code, probability) and the admission type mix. Shares follow the SMR01
# emergency casemix roughly (PHS acute activity; the ISD potentially preventable
# admissions list for COPD, heart failure, cellulitis, dehydration, pyelonephritis,
# diabetes complications, angina, influenza/pneumonia, ENT, dental, convulsions,
# iron-deficiency anaemia and asthma).

EMERGENCY_CATEGORIES: dict[str, dict] = {
    "bronchiolitis": dict(w=(22, 2, 0, 0, 0, 0, 0), codes=[("J219", 0.7), ("J210", 0.3)],
                          spec={"AF": 1}, amp=0.8, los=0.9),
    "neonatal": dict(w=(14, 0, 0, 0, 0, 0, 0), codes=[("P599", 0.6), ("P929", 0.4)],
                     spec={"AF": 1}, los=0.8),
    "viral_child": dict(w=(24, 18, 2, 0, 0, 0, 0),
                        codes=[("R509", 0.3), ("B349", 0.3), ("A084", 0.2), ("A09X", 0.1),
                               ("R11X", 0.1)], spec={"AF": 1, "A1": 0}, amp=0.3, los=0.6),
    "ent": dict(w=(10, 14, 3, 1, 0.5, 0.3, 0.2),
                codes=[("J069", 0.4), ("J039", 0.3), ("J029", 0.15), ("H669", 0.15)],
                spec={"AF": 0.6, "C5": 0.4}, amp=0.3, los=0.6),
    "asthma": dict(w=(0, 8, 3, 1.5, 1, 0.5, 0.3), codes=[("J459", 0.75), ("J46X", 0.25)],
                   spec={"AQ": 0.5, "A1": 0.5}, amp=0.2, los=0.7),
    "febrile_convulsion": dict(w=(3, 5, 0, 0, 0, 0, 0), codes=[("R560", 1)],
                               spec={"AF": 1}, amp=0.2, los=0.5),
    "epilepsy": dict(w=(0.5, 2, 2.5, 1.5, 1, 0.6, 0.3), codes=[("G409", 0.6), ("R568", 0.4)],
                     spec={"A1": 0.7, "AH": 0.3}, los=0.7),
    "injury_child": dict(w=(3, 10, 0, 0, 0, 0, 0),
                         codes=[("S060", 0.3), ("S525", 0.25), ("S420", 0.1), ("S019", 0.15),
                                ("S829", 0.1), ("S009", 0.1)],
                         spec={"C8": 0.5, "AF": 0.5}, amp=-0.2, los=0.5, adm="injury",
                         ops={"S525": [("W262", 0.5)], "S829": [("W262", 0.4)]}),
    "injury": dict(w=(0, 1, 9, 5, 2, 1, 0.5),
                   codes=[("S060", 0.15), ("S525", 0.1), ("S822", 0.1), ("S826", 0.12),
                          ("S420", 0.05), ("S224", 0.08), ("S611", 0.1), ("S019", 0.1),
                          ("S099", 0.07), ("S328", 0.05), ("T140", 0.08)],
                   spec={"C8": 0.6, "C1": 0.3, "A1": 0.1}, amp=-0.15, los=1.0, adm="injury",
                   ops={"S822": [("W191", 0.6)], "S826": [("W241", 0.5)],
                        "S525": [("W262", 0.5)], "S611": [("S571", 0.4)]}),
    "self_harm": dict(w=(0, 0.8, 6, 2.5, 0.5, 0.2, 0.1),
                      codes=[("T391", 0.45), ("T424", 0.15), ("T430", 0.05), ("T432", 0.1),
                             ("T509", 0.1), ("T402", 0.05), ("T510", 0.1)],
                      spec={"A1": 1}, los=0.45, adm="selfharm", delay=0.3),
    "alcohol": dict(w=(0, 0.1, 4, 5, 1.5, 0.4, 0.1),
                    codes=[("F100", 0.35), ("F103", 0.25), ("K703", 0.15), ("K701", 0.1),
                           ("K852", 0.15)], spec={"A1": 0.6, "A9": 0.4}, los=1.0, death=1.5),
    "chest_pain": dict(w=(0, 0.2, 8, 9, 6, 3.5, 2),
                       codes=[("R074", 0.6), ("R073", 0.25), ("R072", 0.15)],
                       spec={"A1": 0.6, "A2": 0.4}, amp=0.05, los=0.35, death=0.05, delay=0.1),
    "acs": dict(w=(0, 0, 0.8, 5, 5, 3.5, 2.5),
                codes=[("I214", 0.45), ("I219", 0.2), ("I210", 0.1), ("I249", 0.1),
                       ("I200", 0.15)],
                spec={"A2": 0.75, "A1": 0.25}, amp=0.1, los=1.0, death=1.5,
                ops={"*": [("K751", 0.3), ("K634", 0.25)]}),
    "angina": dict(w=(0, 0, 0.3, 1.5, 1.5, 1, 0.6), codes=[("I209", 0.7), ("I208", 0.3)],
                   spec={"A2": 0.5, "A1": 0.5}, amp=0.1, los=0.6, ops={"*": [("K634", 0.1)]}),
    "heart_failure": dict(w=(0, 0, 0.1, 1.5, 4, 6, 7.5),
                          codes=[("I500", 0.7), ("I509", 0.2), ("I110", 0.1)],
                          spec={"A1": 0.6, "A2": 0.25, "AB": 0.15}, amp=0.3, los=1.4,
                          death=2.0, delay=1.3),
    "af": dict(w=(0, 0, 0.5, 2, 3, 3, 2.5), codes=[("I489", 0.6), ("I480", 0.4)],
               spec={"A1": 0.6, "A2": 0.4}, amp=0.1, los=0.8, death=0.6),
    "stroke": dict(w=(0, 0, 0.4, 2.5, 4, 5.5, 5.5),
                   codes=[("I639", 0.45), ("I64X", 0.2), ("I619", 0.1), ("G459", 0.25)],
                   spec={"A1": 0.4, "AH": 0.2, "AB": 0.4}, amp=0.1, los=2.0, death=2.5,
                   delay=2.2),
    "pneumonia": dict(w=(3, 3, 3, 5, 8, 10, 12),
                      codes=[("J189", 0.45), ("J181", 0.1), ("J22X", 0.25), ("J209", 0.1),
                             ("J111", 0.05), ("J101", 0.02), ("U071", 0.03)],
                      spec={"A1": 0.6, "AQ": 0.2, "AB": 0.2}, amp=0.7, los=1.2, death=2.0,
                      delay=1.2),
    "copd": dict(w=(0, 0, 0.1, 3.5, 7, 6, 3.5),
                 codes=[("J441", 0.6), ("J440", 0.3), ("J449", 0.1)],
                 spec={"AQ": 0.5, "A1": 0.5}, amp=0.6, los=1.0, death=1.3),
    "uti": dict(w=(1, 1.5, 2.5, 2, 3.5, 5.5, 7.5),
                codes=[("N390", 0.7), ("N10X", 0.2), ("N300", 0.1)],
                spec={"A1": 0.6, "AB": 0.25, "CB": 0.15}, female=1.6, los=1.0, delay=1.5),
    "sepsis": dict(w=(0.5, 0.3, 0.8, 1.5, 2.5, 3, 3.5), codes=[("A419", 0.8), ("A415", 0.2)],
                   spec={"A1": 1}, amp=0.2, los=1.5, death=3.0, delay=1.3),
    "cellulitis": dict(w=(0, 0.6, 2, 2.5, 2.5, 2.5, 2),
                       codes=[("L031", 0.6), ("L039", 0.2), ("L030", 0.2)],
                       spec={"A1": 0.7, "C1": 0.3}, amp=-0.2, los=1.0),
    "falls_fracture": dict(w=(0, 0, 0.5, 2.5, 5, 9, 13),
                           codes=[("S720", 0.25), ("S721", 0.12), ("S325", 0.08), ("S422", 0.08),
                                  ("S525", 0.1), ("S060", 0.09), ("S010", 0.07), ("S223", 0.06),
                                  ("S320", 0.05), ("S828", 0.05), ("S008", 0.05)],
                           spec={"C8": 0.65, "AB": 0.25, "A1": 0.1}, amp=0.1, los=1.9, death=1.3,
                           delay=2.5, adm="fall", fall=True,
                           ops={"S720": [("W461", 0.35), ("W471", 0.15), ("W191", 0.25),
                                         ("W241", 0.15)],
                                "S721": [("W241", 0.6), ("W191", 0.3)],
                                "S525": [("W262", 0.4)], "S422": [("W191", 0.2)]}),
    "frailty": dict(w=(0, 0, 0.5, 1.5, 3, 6, 8),
                    codes=[("R268", 0.25), ("R296", 0.25), ("R54X", 0.15), ("R55X", 0.2),
                           ("R410", 0.15)],
                    spec={"AB": 0.6, "A1": 0.4}, amp=0.1, los=1.3, delay=2.2, fall=0.5),
    "delirium_dementia": dict(w=(0, 0, 0.1, 0.3, 1, 3.5, 5.5),
                              codes=[("F059", 0.5), ("F051", 0.25), ("F03X", 0.15),
                                     ("F019", 0.1)],
                              spec={"AB": 0.7, "A1": 0.3}, amp=0.1, los=2.4, delay=4.0),
    "dehydration_renal": dict(w=(0.5, 0.5, 0.5, 1.2, 2, 3.5, 5),
                              codes=[("E86X", 0.35), ("N179", 0.35), ("E871", 0.2),
                                     ("E875", 0.1)],
                              spec={"A1": 0.6, "AB": 0.3, "AG": 0.1}, los=1.2, death=1.2,
                              delay=1.4),
    "diabetes": dict(w=(0, 0.8, 1.5, 1.5, 1.5, 1.2, 0.8),
                     codes=[("E101", 0.25), ("E116", 0.2), ("E115", 0.15), ("E111", 0.1),
                            ("E100", 0.1), ("E162", 0.1), ("E160", 0.1)],
                     spec={"A8": 0.5, "A1": 0.5}, los=1.0),
    "anaemia": dict(w=(0, 0.1, 0.5, 0.8, 1, 1.5, 1.5), codes=[("D509", 0.6), ("D500", 0.4)],
                    spec={"A1": 0.6, "A9": 0.4}, los=0.6, ops={"*": [("X339", 0.5)]}),
    "dental": dict(w=(0, 1, 0.8, 0.3, 0.1, 0.05, 0.02), codes=[("K029", 0.5), ("K047", 0.5)],
                   spec={"AF": 0.5, "C1": 0.5}, los=0.4, ops={"*": [("F09", 0.4)]}),
    "abdominal_pain": dict(w=(1, 4, 9, 6, 4, 3, 2.5),
                           codes=[("R104", 0.45), ("R101", 0.15), ("R103", 0.15), ("R11X", 0.1),
                                  ("K590", 0.15)],
                           spec={"C1": 0.7, "A1": 0.2, "F2": 0.1}, los=0.5),
    "surgical": dict(w=(0, 1.5, 5, 5, 4.5, 3.5, 2.5),
                     codes=[("K358", 0.25), ("K801", 0.15), ("K566", 0.1), ("K573", 0.1),
                            ("K859", 0.1), ("K922", 0.1), ("K409", 0.05), ("K259", 0.05),
                            ("K810", 0.1)],
                     spec={"C1": 0.8, "A9": 0.2}, los=1.1, death=1.0,
                     ops={"K358": [("H011", 0.9)], "K801": [("J183", 0.3)],
                          "K922": [("G451", 0.6)], "K409": [("T201", 0.8)],
                          "K566": [("H172", 0.3)], "K810": [("J183", 0.2)]}),
    "gynae": dict(w=(0, 0.1, 6, 1, 0.1, 0, 0),
                  codes=[("O210", 0.2, 2), ("O200", 0.15, 2), ("O039", 0.1, 2), ("O009", 0.1, 2),
                         ("N832", 0.15, 2), ("R102", 0.2, 2), ("N939", 0.1, 2)],
                  spec={"F2": 1}, sex=2, los=0.5, delay=0),
    "urology": dict(w=(0, 0.3, 2, 2.5, 2.5, 2, 1.5),
                    codes=[("N201", 0.3), ("N200", 0.1), ("R33X", 0.35, 1), ("N459", 0.1, 1),
                           ("R31X", 0.15)],
                    spec={"CB": 1}, male=2.5, los=0.7, ops={"*": [("M459", 0.15)]}),
    "cancer": dict(w=(0, 0.2, 0.5, 3, 5, 4.5, 3),
                   codes=[("C349", 0.25), ("C189", 0.1), ("C259", 0.1), ("C787", 0.15),
                          ("C795", 0.1), ("C509", 0.08, 2), ("C61X", 0.1, 1), ("C859", 0.1)],
                   spec={"A1": 0.7, "AB": 0.1, "C1": 0.2}, los=1.6, death=6.0, delay=1.5),
    "gi_medical": dict(w=(0, 2, 3, 2, 1.5, 1.5, 1.5),
                       codes=[("K297", 0.2), ("K210", 0.1), ("K529", 0.3), ("A099", 0.2),
                              ("K625", 0.2)],
                       spec={"A1": 0.5, "A9": 0.5}, amp=0.2, los=0.8),
    "hypertension": dict(w=(0, 0, 0.2, 0.3, 0.3, 0.3, 0.2), codes=[("I10X", 0.8), ("I119", 0.2)],
                         spec={"A1": 1}, los=0.6),
    "vte": dict(w=(0, 0, 1, 1.5, 1.5, 1.2, 0.8), codes=[("I269", 0.5), ("I802", 0.5)],
                spec={"A1": 1}, los=0.9, death=1.2),
    "syncope": dict(w=(0, 0.3, 1.5, 1.5, 1.5, 1.5, 1.5), codes=[("R55X", 0.6), ("R42X", 0.4)],
                    spec={"A1": 1}, los=0.5),
    "other_medical": dict(w=(2, 3, 4, 4, 4, 4, 4),
                          codes=[("R53X", 0.2), ("R060", 0.2), ("R51X", 0.15), ("D649", 0.15),
                                 ("G439", 0.1), ("R000", 0.1), ("R21X", 0.1)],
                          spec={"A1": 1}, los=0.8),
}  # fmt: skip

#: Elective categories: same layout; every elective stay has a main operation most times.
ELECTIVE_CATEGORIES: dict[str, dict] = {
    "joint_replacement": dict(w=(0, 0, 0.3, 3, 6, 4, 0.5),
                              codes=[("M161", 0.5), ("M170", 0.25), ("M171", 0.25)],
                              spec={"C8": 1}, los=2.2,
                              ops={"M161": [("W371", 0.6), ("W381", 0.35)],
                                   "M170": [("W401", 0.95)], "M171": [("W401", 0.95)]}),
    "orthopaedic": dict(w=(0, 0.5, 2, 2, 1, 0.5, 0.1),
                        codes=[("M232", 0.4), ("M201", 0.3), ("M751", 0.3)],
                        spec={"C8": 1}, los=0.6,
                        ops={"M232": [("W822", 0.9)], "M201": [("W151", 0.9)],
                             "M751": [("O291", 0.8)]}),
    "general_surgery": dict(w=(0, 0.5, 3, 4, 3, 1.5, 0.3),
                            codes=[("K409", 0.45), ("K802", 0.4), ("K429", 0.15)],
                            spec={"C1": 1}, los=0.6,
                            ops={"K409": [("T201", 0.95)], "K802": [("J183", 0.95)],
                                 "K429": [("T241", 0.9)]}),
    "cancer_surgery": dict(w=(0, 0, 1, 4, 5, 3, 0.5),
                           codes=[("C189", 0.3), ("C509", 0.3, 2), ("C61X", 0.2, 1),
                                  ("C679", 0.2)],
                           spec={"C1": 0.7, "CB": 0.3}, los=2.5, death=3.0,
                           ops={"C189": [("H071", 0.6), ("H331", 0.3)],
                                "C509": [("B271", 0.4), ("B281", 0.5)],
                                "C61X": [("M611", 0.8)], "C679": [("M421", 0.9)]}),
    "urology": dict(w=(0, 0.2, 1, 2.5, 3.5, 3, 1),
                    codes=[("N40X", 0.4, 1), ("N209", 0.3), ("R31X", 0.3)],
                    spec={"CB": 1}, los=0.7,
                    ops={"N40X": [("M651", 0.9)], "N209": [("M091", 0.8)],
                         "R31X": [("M459", 0.9)]}),
    "gynaecology": dict(w=(0, 0, 4, 3, 1, 0.3, 0),
                        codes=[("D259", 0.45, 2), ("N800", 0.25, 2), ("N814", 0.3, 2)],
                        spec={"F2": 1}, sex=2, los=1.0,
                        ops={"D259": [("Q071", 0.9)], "N800": [("T431", 0.8)],
                             "N814": [("P231", 0.9)]}),
    "ent": dict(w=(0, 6, 2, 0.5, 0.2, 0.1, 0), codes=[("J350", 0.6), ("J342", 0.2), ("H652", 0.2)],
                spec={"C5": 1}, los=0.4,
                ops={"J350": [("F341", 0.95)], "J342": [("E036", 0.9)], "H652": [("D151", 0.9)]}),
    "cardiology": dict(w=(0, 0, 0.3, 3, 4, 3, 1), codes=[("I251", 0.6), ("I480", 0.25),
                                                         ("I495", 0.15)],
                       spec={"A2": 1}, los=0.5,
                       ops={"I251": [("K634", 0.6), ("K751", 0.35)], "I480": [("X501", 0.7)],
                            "I495": [("K601", 0.9)]}),
    "gastroenterology": dict(w=(0, 0.3, 1.5, 2, 2, 1.5, 0.5),
                             codes=[("K509", 0.3), ("K573", 0.4), ("D509", 0.3)],
                             spec={"A9": 1}, los=0.6,
                             ops={"K573": [("H221", 0.8)], "D509": [("G451", 0.6)]}),
    "ophthalmology": dict(w=(0, 0.1, 0.2, 0.8, 2, 2.5, 1), codes=[("H251", 1)],
                          spec={"C7": 1}, los=0.1, ops={"*": [("C751", 0.95)]}),
    "dental_child": dict(w=(0.2, 3, 0.3, 0.1, 0, 0, 0), codes=[("K021", 1)],
                         spec={"AF": 1}, los=0.1, ops={"*": [("F091", 0.95)]}),
    "medical": dict(w=(0.5, 1, 1.5, 2, 2.5, 2, 1),
                    codes=[("D649", 0.4), ("N185", 0.3), ("C349", 0.3)],
                    spec={"A1": 1}, los=0.8,
                    ops={"D649": [("X339", 0.8)], "C349": [("X352", 0.5)]}),
}  # fmt: skip

#: Median length of elective stays (days, after the same-day share), by age group.
ELECTIVE_LOS_MEDIAN = (1.2, 1.0, 1.4, 1.8, 2.2, 2.8, 3.5)

#: Comorbidities (other_condition_*): code and weight by age group.
COMORBIDITIES: dict[str, tuple] = {
    "I10X": (0, 0, 1, 8, 14, 18, 18), "E119": (0, 0, 1, 5, 8, 8, 6),
    "I489": (0, 0, 0.2, 1.5, 5, 8, 10), "J449": (0, 0, 0.2, 3, 6, 6, 4),
    "N184": (0, 0, 0.2, 1, 4, 8, 11), "F03X": (0, 0, 0, 0.2, 1, 5, 10),
    "I251": (0, 0, 0.2, 3, 6, 7, 6), "E039": (0, 0, 0.5, 2, 3, 4, 4),
    "F329": (0, 0.3, 4, 4, 2, 1.5, 1), "Z720": (0, 0.1, 5, 5, 3, 1, 0.3),
    "F102": (0, 0, 3, 3, 1.5, 0.5, 0.1), "J459": (0, 3, 3, 2, 1.5, 1, 0.5),
    "E785": (0, 0, 0.3, 3, 5, 5, 3), "M199": (0, 0, 0.2, 2, 4, 6, 6),
    "K219": (0, 0.1, 1, 2, 3, 3, 3), "G309": (0, 0, 0, 0.1, 0.5, 2, 3),
    "I500": (0, 0, 0.1, 1, 2.5, 4, 6), "D649": (0, 0.2, 0.5, 1, 2, 3, 4),
    "Z921": (0, 0, 0.1, 1, 3, 5, 6), "Z740": (0, 0, 0.1, 0.5, 1.5, 4, 8),
    "E669": (0, 0.3, 2, 3, 2, 1, 0.2), "P073": (6, 0.3, 0, 0, 0, 0, 0),
    "Z880": (0.1, 1, 2, 2, 2, 2, 2), "G409": (0.2, 1, 1, 0.6, 0.4, 0.3, 0.2),
}  # fmt: skip
#: Mean number of comorbidities recorded, by age group (capped at 5 slots).
COMORBIDITY_MEAN = (0.3, 0.3, 0.7, 1.5, 2.3, 2.8, 3.1)

#: External cause codes put in other_condition_1.
FALL_CODES = {"W199": 0.3, "W190": 0.2, "W010": 0.15, "W061": 0.05, "W100": 0.1, "W180": 0.15,
              "W050": 0.05}  # fmt: skip
INJURY_CAUSE = {31: "V892", 32: "Y049", 33: "W190", 34: "W199", 35: "W199"}
SELF_HARM_CAUSE = {"T391": "X600", "T424": "X610", "T430": "X610", "T432": "X610",
                   "T509": "X640", "T402": "X620", "T510": "X650"}  # fmt: skip
#: Main condition of a later episode when it is not the first episode's.
LATER_EPISODE_CODES = {"Z501": 0.5, "R268": 0.3, "R54X": 0.2}
LATER_EPISODE_SAME_CONDITION = 0.8
#: A few medical emergency stays have a diagnostic main operation.
MEDICAL_OPERATIONS = {"G451": 0.5, "U051": 0.5}
MEDICAL_OPERATION_SHARE = 0.05

#: A&E diagnoses (non-admitted attendances).
AE_INJURY_CODES = {
    "S934": 0.12, "S626": 0.06, "S525": 0.06, "S619": 0.1, "S019": 0.08, "S009": 0.06,
    "S060": 0.05, "S836": 0.05, "T140": 0.08, "T150": 0.04, "S134": 0.05, "S300": 0.05,
    "S800": 0.05, "T232": 0.03, "S420": 0.02, "S828": 0.03, "T634": 0.02, "S099": 0.05,
}  # fmt: skip
AE_MEDICAL_CODES = {
    "R074": 0.12, "R104": 0.12, "R060": 0.06, "R55X": 0.05, "J069": 0.06, "J189": 0.04,
    "N390": 0.04, "R509": 0.05, "R51X": 0.04, "F100": 0.05, "R11X": 0.03, "L039": 0.03,
    "J459": 0.02, "I489": 0.03, "R42X": 0.03, "M545": 0.05, "R53X": 0.03, "T391": 0.02,
    "K529": 0.03, "H109": 0.02, "R21X": 0.02, "R568": 0.02,
}  # fmt: skip
#: Frequent attenders: a different mix (alcohol, mental health, self-harm, pain).
AE_FREQUENT_CODES = {"F100": 0.25, "F329": 0.1, "R458": 0.1, "T391": 0.1, "R074": 0.15,
                     "R104": 0.1, "M545": 0.1, "F102": 0.1}  # fmt: skip
#: Share of injuries among non-admitted diagnoses, by department and age group.
AE_INJURY_SHARE_ED = (0.25, 0.45, 0.45, 0.35, 0.28, 0.28, 0.3)
AE_INJURY_SHARE_MIU = 0.88
