"""The unscheduled care report: what it computes from the records, what it says.

`compute` gathers the area's emergency stays, A&E attendances and the comparator
tables into an `UnscheduledCare`; the sections' own results (rolling rates, the
locality funnel, PPA shares, A&E comparators, frequent attenders) are small
functions of it. The key messages and sentences (`sentences`), and the keyword
arguments of each report.table (`tables`) and report.figure (`figures`) call, are
plain functions of those results, unit-tested without a notebook.
"""

from hscp.workbooks.unscheduled_care.figures import (  # noqa: F401
    DRIVER_FIGURES,
    PROFILES,
    ROLLING,
    ae_monthly_figure_args,
    ae_week_figure_args,
    band_shares,
    band_shares_figure_args,
    driver_figure_args,
    easr_ladder_figure_args,
    falls_ladder_figure_args,
    flows_figure_args,
    frequent_over_time_figure_args,
    frequent_profile_figure_args,
    funnel_figure_args,
    locality_trend_figure_args,
    ppa_conditions_figure_args,
    ppa_monthly_figure_args,
    readmissions_figure_args,
    rolling_figure_args,
)
from hscp.workbooks.unscheduled_care.results import (  # noqa: F401
    COMPARED_THRESHOLDS,
    DRIVER_GROUPS,
    RATE_COLUMNS,
    UnscheduledCare,
    ae_comparators,
    beside_scotland,
    compute,
    frequent_by_area,
    frequent_over_time,
    frequent_persistence,
    frequent_profile,
    indicator_of,
    locality_funnel,
    partnership_rate,
    ppa_conditions,
    ppa_shares,
    rate_of,
    rolling_rates,
)
from hscp.workbooks.unscheduled_care.sentences import (  # noqa: F401
    OVER_TIME_NOTE,
    PERSISTENCE_NOTE,
    admissions_message,
    ae_message,
    driver_findings,
    frequent_message,
    frequent_note,
    funnel_notes,
    indicator_notes,
    key_messages,
    long_stays_message,
    ppa_message,
    ppa_share_notes,
    rate_comparison,
    share_of,
)
from hscp.workbooks.unscheduled_care.tables import (  # noqa: F401
    AE_BREAKDOWNS,
    DRIVERS,
    ae_areas_table_args,
    ae_breakdown_table_args,
    attender_bands_table_args,
    driver_table_args,
    frequent_areas_table_args,
    indicator_verdicts_table_args,
    indicators_table_args,
    localities_table_args,
    monthly_table_args,
    persistence_table_args,
    ppa_conditions_table_args,
    ppa_share_table_args,
    rate_verdicts_table_args,
    rates_table_args,
)
