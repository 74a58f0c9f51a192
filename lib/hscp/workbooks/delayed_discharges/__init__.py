"""The delayed discharges report: what it computes from the records, what it says.

Two paths, chosen once. With delay records for the area (`source="records"`, or
"auto" and the extract has some) the report is `RecordsStory`: bed days, the census,
who is delayed, where from, the pathway and the reason for admission. Without them
it is `PublishedStory`: PHS's published figures for the partnership and Scotland,
and a note in each section that needs records. Both have the same sections, so the
notebook is the same list of steps on either path.

The sentences and the arguments of each table and figure are plain functions of the
computed results (unit-tested without a notebook); the `show_*` methods publish them
through `report`, which applies disclosure control.
"""

from __future__ import annotations

from hscp import opendata, report
from hscp.workbooks.delayed_discharges._shared import (  # noqa: F401
    BREAKDOWNS,
    PLAIN_BREAKDOWNS,
    RATE_COLUMNS,
    RATE_COUNTS,
    RATE_DERIVED,
    SCOTLAND_SHARE,
    SHARE_FORMATS,
    SHARE_LABELS,
    SHARES,
    as_published,
    rate_against_scotland,
    scotland_share,
    share_of,
)
from hscp.workbooks.delayed_discharges.published import (  # noqa: F401
    Published,
    PublishedStory,
    published_figures,
    published_key_messages,
    published_trend_args,
    published_year_sentence,
    published_year_table_args,
    show_published,
)
from hscp.workbooks.delayed_discharges.records import (  # noqa: F401
    RecordsStory,
    compute_records,
)
from hscp.workbooks.delayed_discharges.sentences import (  # noqa: F401
    linkage_sentence,
    median_clause,
    records_key_messages,
)
from hscp.workbooks.delayed_discharges.tables import (  # noqa: F401
    SHARE_TITLES,
    census_bands_table_args,
    census_figure_args,
    census_profile_table_args,
    discharges_table_args,
    median_delay_figure_args,
    older_ages_figure_args,
    rates_figure_args,
    rates_table_args,
    season_figure_args,
    share_chart_title,
    shares_chart_args,
    shares_table_args,
    trend_figure_args,
    trend_table_args,
)


def story(
    rpt: report.Report,
    *,
    source: str,
    open_data_dir,
    open_data_file,
    top_n: int,
) -> tuple[RecordsStory | PublishedStory, Published | None]:
    """The report's path, and PHS's published figures for its partnership (if found).
    `source`: "records", "open_data" or "auto" (records when the area has any)."""
    if source not in ("records", "open_data", "auto"):
        raise ValueError(f"source={source!r}: expected 'records', 'open_data' or 'auto'")
    delays = rpt.in_area(rpt.data.delays())
    published = published_figures(open_data_file, rpt.partnership.code)
    if source == "records" or (source == "auto" and len(delays) > 0):
        folder = opendata.open_data_folder(open_data_dir)
        return compute_records(rpt, delays, folder, top_n), published
    if published is None:
        raise ValueError(
            f"No delayed discharge records for {rpt.area} and no PHS open data file "
            f"({opendata.DELAYED_DISCHARGE_SOURCE}): nothing to report. Set open_data_file."
        )
    return PublishedStory(rpt.area, rpt.partnership.name, rpt.threshold, published), published


#: The register keys of delays whose signals the report carries.
DELAY_SIGNALS = ("delayed_bed_days", "delay_rate_18plus")


def signal_messages(rpt: report.Report) -> list[str]:
    """Key messages no area of the partnership can hide: a locality's delays rising while
    the partnership's fall, delays well above Scotland's, a change in delays while a test
    of change ran (hscp.evidence.signals over the partnership's evidence register)."""
    from hscp import evidence, performance
    from hscp.evidence import signals

    ev = evidence.for_report(rpt, only=["delayed_discharges"])
    if "delayed_discharges" in ev.problems:
        return []
    found = signals.find(
        partnership=rpt.partnership,
        register=ev.register(),
        delay_rates=ev.table("delay_rates"),
        tests=performance.tests_of_change(rpt.partnership),
        threshold=rpt.threshold,
    )
    return signals.messages(signals.about(found, DELAY_SIGNALS), rpt.partnership, rpt.locality)
