"""Measures: pure functions from a tidy frame to a tidy frame, one definition each.

No I/O, no plotting, no parameters: a notebook reads the data and the
parameters, and calls these. Months are a `month` column of Timestamps for the
first day of the month. Each rule and its source are in the function's
docstring and in docs/methods.md.
"""

from hscp.measures.ae import (
    COUNTED_CATEGORIES,
    WEEKDAYS,
    ae_attendances_monthly,
    ae_profile,
    ae_waits,
    percent_within,
)
from hscp.measures.delays import (
    AGE_GROUPS,
    ALL_AGES,
    ALL_DELAY_REASONS,
    CENSUS_EXCLUDED_REASONS,
    CODE_100,
    DELAY_LENGTH_BANDS,
    OPEN_DATA_REASON_GROUPS,
    REASON_GROUPS,
    average_daily_beds,
    census,
    census_by_band,
    census_counts,
    census_date,
    delay_length_band,
    delay_rates_by_area,
    delay_reasons,
    delayed_bed_days,
    eligible_delays,
)
from hscp.measures.ppa import PPA_CONDITIONS, PPA_RULES, flag_ppa, ppa_condition, ppa_conditions
from hscp.measures.rates import crude_rate, population_total, round_half_up
from hscp.measures.readmissions import READMISSION_DAYS, readmission_rate, readmissions
from hscp.measures.stays import (
    admissions_by_month,
    bed_days_by_month,
    continuous_stays,
    is_emergency,
)
from hscp.measures.trends import PeriodComparison, compare_periods, latest_year, monthly_table

__all__ = [
    "COUNTED_CATEGORIES",
    "PPA_CONDITIONS",
    "PPA_RULES",
    "READMISSION_DAYS",
    "WEEKDAYS",
    "ae_attendances_monthly",
    "ae_profile",
    "ae_waits",
    "flag_ppa",
    "percent_within",
    "ppa_condition",
    "ppa_conditions",
    "readmission_rate",
    "readmissions",
    "AGE_GROUPS",
    "ALL_AGES",
    "ALL_DELAY_REASONS",
    "CENSUS_EXCLUDED_REASONS",
    "CODE_100",
    "DELAY_LENGTH_BANDS",
    "OPEN_DATA_REASON_GROUPS",
    "PeriodComparison",
    "REASON_GROUPS",
    "admissions_by_month",
    "average_daily_beds",
    "bed_days_by_month",
    "census",
    "census_by_band",
    "compare_periods",
    "census_counts",
    "census_date",
    "continuous_stays",
    "crude_rate",
    "delay_length_band",
    "delay_rates_by_area",
    "delay_reasons",
    "delayed_bed_days",
    "eligible_delays",
    "is_emergency",
    "latest_year",
    "monthly_table",
    "population_total",
    "round_half_up",
]
