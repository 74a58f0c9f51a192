"""Readers for PHS open data files, in their published layouts.

Public, aggregate files from opendata.nhs.scot: a notebook can show the
published figures for any partnership when record-level extracts are not
available. Each reader checks the layout and fails with a message naming the
file, the column and the problem; it never guesses.

Each data set has its own module; this package keeps every name importable as
`hscp.opendata.NAME`."""

from hscp.opendata._common import OpenDataError  # noqa: F401
from hscp.opendata.ae import (  # noqa: F401
    AE_ACTIVITY_COLUMNS,
    PREVIOUS_BOARD_CODES,
    ae_activity_by_area,
    read_ae_activity,
)
from hscp.opendata.comparators import (  # noqa: F401
    AE_OPEN_DATA_SOURCE,
    EXTRACT_SOURCE,
    WHERE_A_DELAY_BELONGS,
    ae_comparators,
    census_comparators,
    delay_rate_comparators,
    published_census,
    published_delay_rates,
)
from hscp.opendata.delays import (  # noqa: F401
    AGE_GROUP_LABELS,
    CENSUS_COLUMNS,
    CODE_9_REASONS,
    DELAY_TYPE_OF,
    DELAYED_DISCHARGE_COLUMNS,
    DELAYED_DISCHARGE_SOURCE,
    OPEN_DATA_AGE_GROUPS,
    OPEN_DATA_REASON_LABELS,
    OPEN_DATA_REASONS,
    delayed_discharge_comparison,
    delayed_discharge_file,
    delayed_discharge_headline,
    delayed_discharge_year,
    delayed_discharges_by_partnership,
    read_delayed_discharge_census,
    read_delayed_discharges,
)
from hscp.opendata.folder import (  # noqa: F401
    OPEN_DATA_FILES,
    OpenDataFolder,
    file_release,
    find_open_data,
    open_data_folder,
)
from hscp.opendata.population import (  # noqa: F401
    POPULATION_COLUMNS,
    population_of,
    read_population_estimates,
)
