"""Weighted multi-criteria scoring of options, and how far the ranking rests on the weights.

Rule: each option's weighted score = sum over criteria of weight x score / sum of
weights (so weights need not add up to 1); options are ranked by it (1 = best; ties
share the better rank). Sensitivity: each weight moved up and down by a share of
itself, the others held, and the ranking worked out again; and, for each weight, the
share of the total weight at which another option would take the top place. Source:
Department for Communities and Local Government, *Multi-criteria analysis: a manual*
(2009), chapters 6 (weighting, the linear additive model) and 6.2.12 (sensitivity).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from hscp.appraisal.settings import AppraisalError


def _checked(scores: pd.DataFrame, weights: Mapping[str, float]) -> tuple[pd.DataFrame, pd.Series]:
    w = pd.Series(dict(weights), dtype=float)
    missing = [c for c in w.index if c not in scores.columns]
    if missing:
        raise AppraisalError(f"scores: no column for the criteria {missing}")
    if (w < 0).any() or not w.sum() > 0:
        raise AppraisalError("weights must not be negative, and at least one above 0")
    s = scores[list(w.index)].astype(float)
    unscored = s.isna()
    if unscored.any().any():
        rows, cols = np.nonzero(unscored.to_numpy())
        names = [f"{s.index[i]} on {s.columns[j]}" for i, j in zip(rows, cols, strict=True)]
        raise AppraisalError(f"options without a score: {', '.join(names)}")
    return s, w


def weighted_scores(scores: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """The options' scores (rows: options, columns: criteria) with their weighted score
    and rank. Columns: option, each criterion, weighted_score, rank; best first."""
    s, w = _checked(scores, weights)
    out = s.copy()
    out["weighted_score"] = s.to_numpy() @ w.to_numpy() / w.sum()
    out["rank"] = out["weighted_score"].rank(ascending=False, method="min").astype(int)
    out.index.name = "option"
    return out.sort_values("rank", kind="stable").reset_index()


def _top(s: pd.DataFrame, w: pd.Series) -> str:
    totals = s.to_numpy() @ w.to_numpy()
    return str(s.index[int(np.argmax(totals))])


def weight_sensitivity(
    scores: pd.DataFrame, weights: Mapping[str, float], change: float = 0.2
) -> pd.DataFrame:
    """Each weight moved by -change and +change of itself (the others held): the top
    option and the order of all options each time.

    Columns: criterion, direction (down, up), weight (the new raw weight), weight_share
    (its share of the new total), top_option, top_changes (not the base case's top),
    ranking (the options best first, joined by ' > ').
    """
    if not 0 <= change < 1:
        raise AppraisalError(f"weight change must be from 0 to 1, not {change!r}")
    s, w = _checked(scores, weights)
    base = _top(s, w)
    rows = []
    for criterion in w.index:
        for direction, factor in (("down", 1 - change), ("up", 1 + change)):
            moved = w.copy()
            moved[criterion] = w[criterion] * factor
            totals = pd.Series(s.to_numpy() @ moved.to_numpy(), index=s.index)
            order = totals.sort_values(ascending=False, kind="stable").index
            rows.append(
                {
                    "criterion": criterion,
                    "direction": direction,
                    "weight": moved[criterion],
                    "weight_share": moved[criterion] / moved.sum(),
                    "top_option": str(order[0]),
                    "top_changes": str(order[0]) != base,
                    "ranking": " > ".join(map(str, order)),
                }
            )
    return pd.DataFrame(rows)


def weight_to_flip(scores: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """For each criterion, how far its weight must move (the others held) before another
    option ties with the top one and then takes its place.

    With the others held, option i's total is A_i + x s_i (x the criterion's weight,
    A_i the rest), so the top option a and another b tie at x = (A_a - A_b) / (s_b - s_a).
    The nearest tie above the weight and the nearest below it (down to 0) are given
    as raw weights and as shares of the total weight. Columns: criterion, weight,
    weight_share, up_to_weight, up_to_share, new_top_up, down_to_weight,
    down_to_share, new_top_down (missing when no weight in that direction changes the top).
    """
    s, w = _checked(scores, weights)
    top = _top(s, w)
    rows = []
    for criterion in w.index:
        x0 = w[criterion]
        rest = s.drop(columns=criterion).to_numpy() @ w.drop(criterion).to_numpy()
        a_rest = pd.Series(rest, index=s.index)
        slope = s[criterion]
        up, down = (np.inf, None), (-np.inf, None)
        for other in s.index:
            if other == top or slope[other] == slope[top]:
                continue
            # rounded, so a tie at a weight of 0 is not 4e-16 from rounding error
            x = round((a_rest[top] - a_rest[other]) / (slope[other] - slope[top]), 12)
            if x > x0 and x < up[0]:
                up = (x, other)
            if 0 <= x < x0 and x > down[0]:
                down = (x, other)
        others = w.sum() - x0
        row = {"criterion": criterion, "weight": x0, "weight_share": x0 / w.sum()}
        for name, (x, who) in (("up", up), ("down", down)):
            found = who is not None
            row[f"{name}_to_weight"] = x if found else np.nan
            row[f"{name}_to_share"] = x / (others + x) if found and others + x > 0 else np.nan
            row[f"new_top_{name}"] = who
        rows.append(row)
    return pd.DataFrame(rows)
