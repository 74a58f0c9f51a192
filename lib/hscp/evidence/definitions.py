"""What each figure of the register is: its label, definition, population, setting and unit.

One entry per key. The label says exactly what the number is; the definition says
how it is counted and which report shows it; `basis` is the few words that tell it
apart from a figure of the same kind counted another way (used by
`hscp.evidence.distinguish`). docs/methods.md ("The evidence register") lists them.
"""

from __future__ import annotations

from dataclasses import dataclass

# Populations (ages of the people counted)
ALL_AGES, ADULTS, OLDER, OLDEST = "all ages", "18+", "65+", "75+"
POPULATIONS = (ALL_AGES, ADULTS, OLDER, OLDEST)

# Settings (where the activity happens)
ACUTE = "acute hospital (SMR01)"
AE = "A&E (emergency departments and minor injury units)"
ALL_HOSPITAL = "all hospital beds (delayed discharges)"
MODEL = "acute hospital, older people's pathway model"

# Periods (which months a figure covers)
LATEST_12_MONTHS = "the 12 months to the end of the report period"
REPORT_PERIOD = "the whole report period"
LATEST_PHASE = "the latest phase of the control chart (since the last test of change)"
CENSUS_MONTH = "the census (last Thursday) of the last month of the period"
BASE_YEAR = "the base year: the latest complete financial year in the period"
HORIZON = "the projection horizon (financial year)"
OBSERVED_YEAR = "the model's observed year: the latest 12 complete months to the period end"


@dataclass(frozen=True)
class Definition:
    """What one register key means."""

    key: str
    label: str  # says exactly what the number is
    definition: str  # how it is counted, and where a report shows it
    population: str  # ALL_AGES, ADULTS, OLDER or OLDEST
    setting: str
    period: str  # which months (LATEST_12_MONTHS, REPORT_PERIOD, ...)
    unit: str  # the unit a sentence writes after the number ("beds", "per 1,000")
    noun: str  # what the number counts, for a sentence ("beds occupied")
    basis: str = ""  # what tells it apart from a related figure counted another way
    digits: int = 0  # decimals in a sentence
    source: str = ""  # the library functions that compute it

    @property
    def is_rate(self) -> bool:
        return self.unit.startswith("per ") or self.unit == "%"


def _d(*args, **kwargs) -> Definition:
    return Definition(*args, **kwargs)


_UC = "unscheduled care report"
_DD = "delayed discharges report"

DEFINITIONS: dict[str, Definition] = {
    d.key: d
    for d in (
        # --- emergency admissions and bed days (unscheduled care) ---------------------------
        _d(
            "emergency_admissions",
            "Emergency admissions, all ages",
            "Continuous inpatient stays whose first episode was an emergency or urgent admission "
            "(SMR01 admission type 20-22 or 30-39), counted once in the month of admission, over "
            f"the 12 months to the period end, with the 12 months before ({_UC}'s key messages).",
            ALL_AGES,
            ACUTE,
            LATEST_12_MONTHS,
            "admissions",
            "emergency admissions",
            source="measures.emergency_monthly, measures.compare_periods",
        ),
        _d(
            "emergency_admission_rate",
            "Emergency admissions per 1,000 residents (crude), all ages",
            "Emergency admissions in the 12 months to the period end per 1,000 residents of all "
            "ages (mid-year estimate of the latest year not after the end), Byar's 95% interval; "
            f"every locality, the partnership, its NHS board and Scotland ({_UC}, rates table).",
            ALL_AGES,
            ACUTE,
            LATEST_12_MONTHS,
            "per 1,000",
            "emergency admissions",
            basis="crude rate",
            digits=1,
            source="measures.unscheduled_rates (store comparators emergency_admissions, ae_monthly)",
        ),
        _d(
            "emergency_admission_easr",
            "Emergency admissions per 1,000, European age-sex standardised (ESP2013), all ages",
            "The emergency admission rate standardised to the 2013 European Standard Population "
            "by 5-year age band and sex, with Dobson's 95% interval; compared with Scotland and the "
            f"board by whether their rate lies outside the interval ({_UC}).",
            ALL_AGES,
            ACUTE,
            LATEST_12_MONTHS,
            "per 1,000",
            "emergency admissions",
            basis="age-sex standardised",
            digits=1,
            source="measures.unscheduled_rates",
        ),
        _d(
            "emergency_bed_days",
            "Emergency bed days, all ages (midnights in the 12 months)",
            "Days in hospital after an emergency admission: each stay's midnights counted in the "
            "month they fall in (a same-day stay is 0; an open stay counts to the period end), "
            f"over the 12 months to the period end, with the 12 months before ({_UC}).",
            ALL_AGES,
            ACUTE,
            LATEST_12_MONTHS,
            "bed days",
            "emergency bed days",
            basis="midnights in the 12 months to the period end",
            source="measures.emergency_monthly, measures.compare_periods",
        ),
        _d(
            "emergency_beds",
            "Average emergency beds occupied a day, all ages (12 months to the period end)",
            "Emergency bed days of the 12 months to the period end divided by the days in those "
            f"12 months ({_UC}'s key message: 'beds occupied on an average day').",
            ALL_AGES,
            ACUTE,
            LATEST_12_MONTHS,
            "beds",
            "beds occupied",
            basis="the 12 months to the period end",
            source="measures.emergency_monthly, measures.compare_periods; bed days / days",
        ),
        _d(
            "emergency_bed_day_rate",
            "Emergency bed days per 1,000 residents (crude), all ages",
            "Emergency bed days in the 12 months to the period end per 1,000 residents of all "
            "ages; no interval (bed days come in stays, not one at a time) "
            f"({_UC}, rates table).",
            ALL_AGES,
            ACUTE,
            LATEST_12_MONTHS,
            "per 1,000",
            "emergency bed days",
            digits=1,
            source="measures.unscheduled_rates",
        ),
        _d(
            "emergency_bed_days_period",
            "Emergency bed days, all ages, over the whole report period",
            "The performance report's unscheduled bed days: emergency stays' midnights in each "
            "month, summed over every month of the report period.",
            ALL_AGES,
            ACUTE,
            REPORT_PERIOD,
            "bed days",
            "emergency bed days",
            basis="midnights over the whole report period",
            source="performance.monthly_measures (unscheduled_bed_days)",
        ),
        _d(
            "emergency_beds_period",
            "Average emergency beds occupied a day, all ages, over the whole report period",
            "Emergency bed days of the whole report period divided by the days in the period "
            "(the performance report's monthly bed days as beds).",
            ALL_AGES,
            ACUTE,
            REPORT_PERIOD,
            "beds",
            "beds occupied",
            basis="the whole report period",
            source="performance.monthly_measures; bed days / days",
        ),
        _d(
            "emergency_bed_days_monthly_mean",
            "Emergency bed days a month, all ages: the control chart's mean",
            "The mean of the monthly unscheduled bed days over the latest phase of the "
            "performance report's control chart (the whole period when no test of change "
            "rebased it), as the performance report writes it ('mean 7,439 a month').",
            ALL_AGES,
            ACUTE,
            LATEST_PHASE,
            "bed days a month",
            "emergency bed days a month",
            basis="the control chart's mean month",
            source="performance.control_charts, performance.summaries",
        ),
        _d(
            "emergency_length_of_stay",
            "Average length of stay of emergency stays (days), all ages",
            "Bed days of the emergency stays discharged in the 12 months to the period end divided "
            "by those stays, with the 12 months before (the performance report's emergency length "
            "of stay, over 12 months).",
            ALL_AGES,
            ACUTE,
            LATEST_12_MONTHS,
            "days",
            "days per stay",
            digits=1,
            source="performance.monthly_measures (emergency_length_of_stay)",
        ),
        _d(
            "emergency_admissions_75plus",
            "Emergency admissions of people aged 75+",
            "Emergency admissions of people aged 75 and over on admission, 12 months to the "
            "period end, with the 12 months before (the performance report's measure).",
            OLDEST,
            ACUTE,
            LATEST_12_MONTHS,
            "admissions",
            "emergency admissions",
            source="performance.monthly_measures (emergency_admissions_75plus)",
        ),
        # --- potentially preventable admissions -------------------------------------------
        _d(
            "ppa_admissions",
            "Potentially preventable emergency admissions, all ages",
            "Emergency admissions for the 19 ISD/PHS potentially preventable conditions (with "
            "their operation exclusions), admitted in the 12 months to the period end, with the "
            f"12 months before ({_UC}).",
            ALL_AGES,
            ACUTE,
            LATEST_12_MONTHS,
            "admissions",
            "potentially preventable admissions",
            source="measures.flag_ppa, measures.admissions_by_month, measures.compare_periods",
        ),
        _d(
            "ppa_share",
            "Potentially preventable admissions as a % of emergency admissions",
            "Potentially preventable admissions / emergency admissions x 100 over the 12 months "
            f"to the period end, Wilson 95% interval; every area ({_UC}, PPA share table).",
            ALL_AGES,
            ACUTE,
            LATEST_12_MONTHS,
            "%",
            "of emergency admissions",
            digits=1,
            source="measures.unscheduled_rates counts, measures.proportion_ci",
        ),
        _d(
            "ppa_easr",
            "Potentially preventable admissions per 1,000, age-sex standardised, all ages",
            "Potentially preventable admissions in the 12 months to the period end per 1,000, "
            f"ESP2013 age-sex standardised with Dobson's interval ({_UC}).",
            ALL_AGES,
            ACUTE,
            LATEST_12_MONTHS,
            "per 1,000",
            "potentially preventable admissions",
            basis="age-sex standardised",
            digits=1,
            source="measures.unscheduled_rates",
        ),
        # --- A&E ----------------------------------------------------------------------------
        _d(
            "ae_attendances",
            "A&E attendances (new and unplanned return), all ages",
            "New and unplanned return attendances at emergency departments and minor injury "
            "units by the area's residents, by date of arrival, 12 months to the period end, "
            f"with the 12 months before ({_UC}'s key message).",
            ALL_AGES,
            AE,
            LATEST_12_MONTHS,
            "attendances",
            "A&E attendances",
            source="measures.ae_breakdown, measures.ae_monthly_summary, measures.compare_periods",
        ),
        _d(
            "ae_attendance_easr",
            "A&E attendances per 1,000, age-sex standardised, all ages",
            "A&E attendances in the 12 months to the period end per 1,000, ESP2013 age-sex "
            f"standardised with Dobson's interval ({_UC}, rates table).",
            ALL_AGES,
            AE,
            LATEST_12_MONTHS,
            "per 1,000",
            "A&E attendances",
            basis="age-sex standardised",
            digits=1,
            source="measures.unscheduled_rates",
        ),
        _d(
            "ae_4_hour_percent",
            "A&E attendances completed within 4 hours (%)",
            "Attendances that left A&E within 4 hours of arrival as a % of attendances, 12 "
            "months to the period end (standard: 95%), Wilson 95% interval; the partnership and "
            f"localities from their records, the board and Scotland from the store's A&E "
            f"comparator ({_UC}).",
            ALL_AGES,
            AE,
            LATEST_12_MONTHS,
            "%",
            "within 4 hours",
            digits=1,
            source="measures.ae_breakdown, measures.window_totals, measures.proportion_ci",
        ),
        _d(
            "frequent_ae_attenders",
            "People with 5 or more A&E attendances in 12 months",
            "People who attended A&E (new or unplanned return) 5 or more times in the 12 months "
            "to the period end (repeat, or frequent, attenders); the partnership and localities "
            f"from their records, the board and Scotland from the store's comparator ({_UC}).",
            ALL_AGES,
            AE,
            LATEST_12_MONTHS,
            "people",
            "frequent A&E attenders",
            source="measures.attendances_per_person, measures.frequent_attenders_by_area",
        ),
        # --- national indicators ------------------------------------------------------------
        _d(
            "ni12_emergency_admission_rate",
            "Acute emergency admissions per 100,000 adults (18+)",
            "Core Suite indicator 12 over the 12 months to the period end, Byar's interval "
            f"({_UC}, national indicators).",
            ADULTS,
            ACUTE,
            LATEST_12_MONTHS,
            "per 100,000 adults",
            "emergency admissions",
            digits=0,
            source="measures.national_indicator_rates",
        ),
        _d(
            "ni13_emergency_bed_day_rate",
            "Acute emergency bed days per 100,000 adults (18+)",
            "Core Suite indicator 13 over the 12 months to the period end (a same-day stay "
            f"counts as 1 day, as NI13 does); no interval ({_UC}).",
            ADULTS,
            ACUTE,
            LATEST_12_MONTHS,
            "per 100,000 adults",
            "emergency bed days",
            digits=0,
            source="measures.national_indicator_rates",
        ),
        _d(
            "ni14_readmission_rate",
            "NI14: emergency readmissions within 28 days per 1,000 discharges",
            "Core Suite indicator 14: discharges of adults (deaths excluded) in the 12 months to "
            "the period end followed by an emergency admission within 28 days, per 1,000 "
            f"discharges, Wilson interval ({_UC}).",
            ADULTS,
            ACUTE,
            LATEST_12_MONTHS,
            "per 1,000 discharges",
            "readmissions",
            digits=1,
            source="measures.national_indicator_rates",
        ),
        _d(
            "ni16_falls_rate",
            "NI16: emergency admissions after a fall per 1,000 people aged 65+",
            "Core Suite indicator 16 over the 12 months to the period end, Byar's interval "
            f"({_UC}, falls).",
            OLDER,
            ACUTE,
            LATEST_12_MONTHS,
            "per 1,000 aged 65+",
            "falls admissions",
            digits=1,
            source="measures.national_indicator_rates",
        ),
        # --- delayed discharges -------------------------------------------------------------
        _d(
            "delayed_bed_days",
            "Delayed discharge bed days, people aged 18+",
            "Days people aged 18+ spent in hospital after they were ready for discharge (PHS "
            "rules; code 100 excluded), 12 months to the period end, with the 12 months before "
            f"({_DD}'s key message).",
            ADULTS,
            ALL_HOSPITAL,
            LATEST_12_MONTHS,
            "bed days",
            "delayed bed days",
            source="measures.delayed_bed_days, measures.compare_periods",
        ),
        _d(
            "delayed_beds",
            "Average beds occupied a day by people delayed, aged 18+",
            "Delayed bed days (18+) of the 12 months to the period end divided by the days in "
            f"those 12 months ({_DD}: 'beds occupied every day').",
            ADULTS,
            ALL_HOSPITAL,
            LATEST_12_MONTHS,
            "beds",
            "beds occupied by people delayed",
            basis="the 12 months to the period end",
            digits=1,
            source="measures.delayed_bed_days; bed days / days",
        ),
        _d(
            "delayed_bed_days_65plus",
            "Delayed discharge bed days, people aged 65+",
            "Delayed bed days of people aged 65+ at the ready for discharge date, 12 months to "
            "the period end, with the 12 months before.",
            OLDER,
            ALL_HOSPITAL,
            LATEST_12_MONTHS,
            "bed days",
            "delayed bed days",
            source="measures.delayed_bed_days_by_min_age",
        ),
        _d(
            "delayed_beds_65plus",
            "Average beds occupied a day by people delayed, aged 65+",
            "Delayed bed days of people aged 65+ of the 12 months to the period end divided by "
            "the days in those 12 months.",
            OLDER,
            ALL_HOSPITAL,
            LATEST_12_MONTHS,
            "beds",
            "beds occupied by people delayed",
            basis="the 12 months to the period end",
            digits=1,
            source="measures.delayed_bed_days_by_min_age; bed days / days",
        ),
        _d(
            "delayed_bed_days_75plus",
            "Delayed discharge bed days, people aged 75+",
            "Delayed bed days of people aged 75+ at the ready for discharge date, 12 months to "
            "the period end, with the 12 months before.",
            OLDEST,
            ALL_HOSPITAL,
            LATEST_12_MONTHS,
            "bed days",
            "delayed bed days",
            source="measures.delayed_bed_days_by_min_age",
        ),
        _d(
            "delayed_beds_75plus",
            "Average beds occupied a day by people delayed, aged 75+",
            "Delayed bed days of people aged 75+ of the 12 months to the period end divided by "
            "the days in those 12 months.",
            OLDEST,
            ALL_HOSPITAL,
            LATEST_12_MONTHS,
            "beds",
            "beds occupied by people delayed",
            basis="the 12 months to the period end",
            digits=1,
            source="measures.delayed_bed_days_by_min_age; bed days / days",
        ),
        _d(
            "census_delays",
            "People delayed at the monthly census, aged 18+",
            "People delayed at the census (the last Thursday) of the last month of the period, "
            f"PHS census rules (code 100 excluded) ({_DD}).",
            ADULTS,
            ALL_HOSPITAL,
            CENSUS_MONTH,
            "people",
            "people delayed",
            source="measures.census_counts",
        ),
        _d(
            "census_delays_over_3_days",
            "People delayed more than 3 days at the monthly census, aged 18+",
            "People delayed more than 3 days at the census of the last month of the period: the "
            f"PHS headline ({_DD}'s key message).",
            ADULTS,
            ALL_HOSPITAL,
            CENSUS_MONTH,
            "people",
            "people delayed more than 3 days",
            source="measures.census_counts",
        ),
        _d(
            "delay_rate_18plus",
            "Delayed bed days per 1,000 people aged 18+",
            "Delayed bed days (18+) of the 12 months to the period end per 1,000 residents aged "
            f"18+; each locality, the partnership and Scotland; no interval ({_DD}).",
            ADULTS,
            ALL_HOSPITAL,
            LATEST_12_MONTHS,
            "per 1,000 aged 18+",
            "delayed bed days",
            digits=0,
            source="measures.delay_rates_by_area (store comparator delayed_bed_days)",
        ),
        _d(
            "delay_rate_65plus",
            "Delayed bed days per 1,000 people aged 65+",
            "Delayed bed days of people aged 65+ of the 12 months to the period end per 1,000 "
            f"residents aged 65+; no interval ({_DD}).",
            OLDER,
            ALL_HOSPITAL,
            LATEST_12_MONTHS,
            "per 1,000 aged 65+",
            "delayed bed days",
            digits=0,
            source="measures.delay_rates_by_area",
        ),
        _d(
            "ni19_delay_rate",
            "NI19: delayed bed days per 1,000 people aged 75+",
            "Core Suite indicator 19: delayed bed days of people aged 75+ of the 12 months to the "
            f"period end per 1,000 residents aged 75+; no interval ({_DD}).",
            OLDEST,
            ALL_HOSPITAL,
            LATEST_12_MONTHS,
            "per 1,000 aged 75+",
            "delayed bed days",
            digits=0,
            source="measures.delay_rates_by_area",
        ),
        # --- projections --------------------------------------------------------------------
        _d(
            "projection_base_admissions",
            "Emergency admissions in the projections' base year, all ages",
            "Emergency stays admitted in the base year (the latest complete financial year), "
            "the projections report's starting point.",
            ALL_AGES,
            ACUTE,
            BASE_YEAR,
            "admissions",
            "emergency admissions",
            basis="the base financial year",
            source="projection.project_area, AreaProjection.summary",
        ),
        _d(
            "projection_base_bed_days",
            "Emergency bed days in the projections' base year, all ages (length of stay by "
            "year of admission)",
            "The lengths of stay of the emergency stays admitted in the base year, counted in "
            "the year of admission (not split by midnights across years): the projections "
            "report's starting point.",
            ALL_AGES,
            ACUTE,
            BASE_YEAR,
            "bed days",
            "emergency bed days",
            basis="length of stay of the stays admitted in the base financial year",
            source="projection.project_area",
        ),
        _d(
            "projection_base_beds",
            "Average emergency beds occupied a day in the projections' base year, all ages",
            "Base-year emergency bed days (length of stay by year of admission) divided by the "
            "days in the financial year (the projections report's average occupied beds).",
            ALL_AGES,
            ACUTE,
            BASE_YEAR,
            "beds",
            "beds occupied",
            basis="the base financial year, stays by year of admission",
            source="projection.project_area (beds.average_occupied_beds)",
        ),
        _d(
            "projection_base_beds_required",
            "Emergency beds required at the winter peak in the base year, all ages",
            "The base year's average occupied beds at the busiest month's seasonal index, sized "
            "at the target occupancy and by Erlang-B (the larger).",
            ALL_AGES,
            ACUTE,
            BASE_YEAR,
            "beds",
            "beds required",
            basis="at the winter peak and target occupancy",
            source="projection.project_area (beds_required)",
        ),
        _d(
            "projected_admissions",
            "Projected emergency admissions at the horizon, with the scenarios, all ages",
            "Emergency admissions projected to the horizon year from base-year rates by age and "
            "sex, the NRS projected population and the planning scenarios at their central "
            "values; `previous` is the base year and `change` the growth from it.",
            ALL_AGES,
            ACUTE,
            HORIZON,
            "admissions",
            "emergency admissions",
            basis="with the planning scenarios",
            source="projection.project_area, AreaProjection.summary",
        ),
        _d(
            "projected_admissions_demography",
            "Projected emergency admissions at the horizon, population change only, all ages",
            "As projected_admissions, with population change alone (no scenarios).",
            ALL_AGES,
            ACUTE,
            HORIZON,
            "admissions",
            "emergency admissions",
            basis="from population change alone",
            source="projection.project_area, AreaProjection.summary",
        ),
        _d(
            "projected_bed_days",
            "Projected emergency bed days at the horizon, with the scenarios, all ages",
            "Emergency bed days (length of stay by year of admission) projected to the horizon "
            "with the planning scenarios; `previous` is the base year.",
            ALL_AGES,
            ACUTE,
            HORIZON,
            "bed days",
            "emergency bed days",
            basis="with the planning scenarios",
            source="projection.project_area, AreaProjection.summary",
        ),
        _d(
            "projected_bed_days_demography",
            "Projected emergency bed days at the horizon, population change only, all ages",
            "As projected_bed_days, with population change alone.",
            ALL_AGES,
            ACUTE,
            HORIZON,
            "bed days",
            "emergency bed days",
            basis="from population change alone",
            source="projection.project_area, AreaProjection.summary",
        ),
        _d(
            "projected_beds",
            "Projected average emergency beds occupied a day at the horizon, with the "
            "scenarios, all ages",
            "Projected bed days at the horizon divided by the days in that financial year; "
            "`previous` is the base year's average occupied beds.",
            ALL_AGES,
            ACUTE,
            HORIZON,
            "beds",
            "beds occupied",
            basis="projected, with the planning scenarios",
            source="projection.yearly_table",
        ),
        _d(
            "projected_beds_required",
            "Projected emergency beds required at the winter peak at the horizon, with the "
            "scenarios, all ages",
            "Beds required at the horizon (winter peak, target occupancy or Erlang-B) with the "
            "scenarios at their central values; `previous` is the base year's beds required.",
            ALL_AGES,
            ACUTE,
            HORIZON,
            "beds",
            "beds required",
            basis="with the planning scenarios, at the winter peak",
            source="projection.project_area, AreaProjection.summary",
        ),
        _d(
            "projected_extra_beds",
            "Extra emergency beds needed by the horizon, with the scenarios, all ages",
            "Beds required at the horizon less the current beds (params current_beds, else the "
            "beds the base year required): the projections report's new beds. It assumes "
            "community services keep pace with the population.",
            ALL_AGES,
            ACUTE,
            HORIZON,
            "beds",
            "extra beds",
            basis="services keeping pace with the population",
            source="projection.project_area, AreaProjection.summary",
        ),
        _d(
            "projected_extra_beds_demography",
            "Extra emergency beds needed by the horizon, population change only, all ages",
            "As projected_extra_beds, from population change alone.",
            ALL_AGES,
            ACUTE,
            HORIZON,
            "beds",
            "extra beds",
            basis="population change alone, services keeping pace",
            source="projection.project_area, AreaProjection.summary",
        ),
        # --- system dynamics: the calibration's observed year (people 65+) -------------------
        _d(
            "sd_emergency_beds_65plus",
            "Average acute beds occupied a day by emergency admissions of people aged 65+ "
            "(system dynamics observed year)",
            "Bed days (midnights) of emergency stays of people aged 65+ in the model's observed "
            "year (the latest 12 complete months) divided by its days: the system dynamics "
            "report's baseline beds.",
            OLDER,
            MODEL,
            OBSERVED_YEAR,
            "beds",
            "beds occupied",
            basis="the model's observed year",
            source="flow.area_calibration (Observed.occupied_beds)",
        ),
        _d(
            "sd_delayed_beds_65plus",
            "Average beds occupied a day by people aged 65+ who are delayed (system dynamics "
            "observed year)",
            "Delayed bed days of people aged 65+ in the model's observed year divided by its "
            "days (the system dynamics report's key message).",
            OLDER,
            MODEL,
            OBSERVED_YEAR,
            "beds",
            "beds occupied by people delayed",
            basis="the model's observed year",
            source="flow.area_calibration (Observed.delayed_beds)",
        ),
        _d(
            "sd_emergency_admissions_65plus",
            "Emergency admissions of people aged 65+ (system dynamics observed year)",
            "Emergency stays of people aged 65+ admitted in the model's observed year.",
            OLDER,
            MODEL,
            OBSERVED_YEAR,
            "admissions",
            "emergency admissions",
            basis="the model's observed year",
            source="flow.area_calibration (Observed.admissions)",
        ),
        _d(
            "sd_emergency_beds_65plus_future",
            "Modelled acute beds occupied a day by emergency admissions of people aged 65+, "
            "with the population of 2035 and today's services",
            "The system dynamics model run with the NRS projected population of 2035 (people "
            "65+) and today's community services (capacities unchanged), averaged over the "
            "observed year's calendar; `previous` is the model's baseline (today's "
            "population). Unlike the projections, services do not grow with need.",
            OLDER,
            MODEL,
            "the model's run with the population of the projection year",
            "beds",
            "beds occupied",
            basis="today's services",
            source="flow.area_calibration, flow.scenarios.run_scenarios, summarise",
        ),
        _d(
            "sd_extra_beds_65plus_future",
            "Extra acute beds occupied a day by people aged 65+ with the population of 2035 "
            "and today's services",
            "sd_emergency_beds_65plus_future less the model's baseline occupied beds: the "
            "system dynamics counterpart of projected_extra_beds, for people 65+ and with "
            "services not keeping pace.",
            OLDER,
            MODEL,
            "the model's run with the population of the projection year",
            "beds",
            "extra beds",
            basis="today's services",
            source="flow.scenarios.summarise",
        ),
        # --- the options appraisal (phase 2 and 3 packs) ----------------------------------
        _d(
            "set_aside_bed_days",
            "Emergency bed days by specialty for the set-aside budget, all ages",
            "Bed days of every episode of an emergency continuous inpatient stay, in the "
            "episode's specialty, counted by midnights in the 12 months to the period end (the "
            "same total as the emergency bed days, split by specialty; phase 2 pack).",
            ALL_AGES,
            ACUTE,
            LATEST_12_MONTHS,
            "bed days",
            "emergency bed days",
            basis="by the specialty of each episode",
            source="appraisal.set_aside_bed_days",
        ),
        _d(
            "set_aside_budget",
            "The set-aside budget for unscheduled care (pounds a year), all ages",
            "The partnership's share of the acute hospital budget for unscheduled care: each "
            "specialty's emergency bed days in the 12 months to the period end times its cost "
            "per inpatient day (params/scenarios/options.yaml, PHS Scottish Health Service "
            "Costs, with the year stated; phase 2 pack).",
            ALL_AGES,
            ACUTE,
            LATEST_12_MONTHS,
            "pounds",
            "set-aside budget",
            source="appraisal.set_aside_bed_days, appraisal.set_aside_budget",
        ),
    )
}


def definition(key: str) -> Definition:
    """The definition of a register key; an unknown key is an error listing the keys."""
    try:
        return DEFINITIONS[key]
    except KeyError:
        raise KeyError(
            f"No figure {key!r} in the evidence register; keys: {', '.join(DEFINITIONS)}"
        ) from None
