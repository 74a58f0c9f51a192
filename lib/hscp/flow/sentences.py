"""The recommendation and its sensitivity in sentences, with their numbers."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from hscp import text


def recommendation(vfm: pd.DataFrame) -> list[str]:
    """What value_for_money's table says, in sentences with its numbers: the change (or
    combination) with the largest fall in delayed bed days per pound, the one with the
    largest fall in occupied beds per pound, and the largest fall whatever the cost."""
    paid = vfm[vfm["cost"] > 0]
    if paid.empty:
        return [
            "None of the changes tested adds to the cost of services, so none can be ranked per pound."
        ]
    best = paid.sort_values("bed_days_per_1000", ascending=False).iloc[0]
    beds = paid.sort_values("beds_per_million", ascending=False).iloc[0]
    out = [
        f"{best['label']} gives the largest fall in delayed bed days for the money: "
        f"{best['delayed_bed_days_avoided']:,.0f} fewer a year ({text.whole_percent(best['delayed_bed_days_change'])} "
        f"fewer) for {text.money(best['cost'])} a year, {best['bed_days_per_1000']:.1f} delayed bed days "
        "per £1,000."
    ]
    if beds["scenario"] == best["scenario"]:
        out.append(
            f"It also frees the most acute beds per pound: {beds['occupied_beds_freed']:.1f} fewer "
            f"occupied on an average day, {beds['beds_per_million']:.1f} beds per £1 million a year."
        )
    else:
        out.append(
            f"For occupied beds, {text.lower_first(beds['label'])} does most per pound: "
            f"{beds['occupied_beds_freed']:.1f} fewer beds occupied on an average day "
            f"({text.whole_percent(beds['occupied_beds_change'])} fewer) for {text.money(beds['cost'])} a year, "
            f"{beds['beds_per_million']:.1f} beds per £1 million."
        )
    biggest = vfm.sort_values("delayed_bed_days_avoided", ascending=False).iloc[0]
    if biggest["scenario"] not in (best["scenario"], beds["scenario"]):
        out.append(
            f"The largest fall whatever the cost comes from {text.lower_first(biggest['label'])}: "
            f"{biggest['delayed_bed_days_avoided']:,.0f} fewer delayed bed days a year "
            f"({text.whole_percent(biggest['delayed_bed_days_change'])}) and {biggest['occupied_beds_freed']:.1f} "
            f"fewer occupied beds, for {text.money(biggest['cost'])} a year."
        )
    no_delays = paid[
        (
            paid["delayed_bed_days_avoided"].abs()
            < 0.01 * paid["delayed_bed_days_avoided"].abs().max()
        )
        & (paid["occupied_beds_freed"] > 0)
    ]
    for _, row in no_delays.iterrows():
        out.append(
            f"{row['label']} frees {row['occupied_beds_freed']:.1f} beds but does not reduce delays: "
            "the people waiting still wait."
        )
    return out


def sensitivity_sentences(
    table: pd.DataFrame,
    option: str,
    labels: Mapping[str, str],
    ranked: pd.DataFrame | None = None,
    shown: int = 3,
) -> list[str]:
    """tornado()'s table in sentences: what the answer depends on most, whether the
    recommended option stays the best value for money at every end of every range
    (naming at most `shown` of the values that would change it, widest swing first),
    and, given value_for_money's table, whether the runner-up (the best option without
    the recommended change in it) is within 10%."""
    name = text.lower_first(labels.get(option, option))
    moved = table[table["swing"] > 1e-9]
    out = []
    if not moved.empty:
        parts = [
            f"{text.lower_first(r.label)} ({text.with_unit(r.low_value, r.unit)} to {text.with_unit(r.high_value, r.unit)}: "
            f"{r.at_low:.1f} to {r.at_high:.1f} delayed bed days per £1,000)"
            for r in moved.head(2).itertuples()
        ]
        out.append(
            f"The value for money of {name} depends most on "
            + " and on ".join(parts)
            + f", against {table['base'].iloc[0]:.1f} with the central values."
        )
    tests = 2 * len(table)
    flips: dict[str, list[str]] = {}
    for r in table.itertuples():  # widest swing first
        for value, best in ((r.low_value, r.best_at_low), (r.high_value, r.best_at_high)):
            if best != option:
                flips.setdefault(best, []).append(
                    f"{text.lower_first(r.label)} were {text.with_unit(value, r.unit)}"
                )
    kept = tests - sum(len(v) for v in flips.values())
    sentence = (
        f"It stays the best value for money in {kept} of {tests} tests that set one uncertain "
        "value at the low or the high end of its range"
    )
    if flips:
        parts = []
        for best, conditions in flips.items():
            listed = conditions[:shown]
            more = len(conditions) - len(listed)
            tail = f", among {more} {text.plural(more, 'other')}" if more else ""
            parts.append(
                f"{labels.get(best, best)} would do better if {text.join(listed, 'or')}{tail}."
            )
        sentence += ". " + " ".join(parts)
    else:
        sentence += "."
    out.append(sentence)
    if ranked is not None and len(ranked) > 1:
        # the runner-up: the best option that does not include the recommended change
        parts = set(option.split("+"))
        others = ranked[[not parts & set(str(n).split("+")) for n in ranked["scenario"]]]
        first = ranked[ranked["scenario"] == option].iloc[0]
        second = others.iloc[0] if len(others) else None
        if second is not None and second["bed_days_per_1000"] >= 0.9 * first["bed_days_per_1000"]:
            out.append(
                f"{labels.get(option, option)} and {text.lower_first(str(second['label']))} are close "
                f"({first['bed_days_per_1000']:.1f} and {second['bed_days_per_1000']:.1f} delayed bed days "
                "per £1,000): either is a good first step."
            )
    return out
