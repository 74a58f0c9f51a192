"""MSG 5, the last six months of life in the community: every edge of the PHS method,
worked by hand (deaths on 1 July 2024: the window opens 183 days before, 1 January)."""

from __future__ import annotations

import pandas as pd
import pytest

from hscp import measures

DEATH = pd.Timestamp("2024-07-01")
WINDOW_START = DEATH - pd.Timedelta(days=183)  # 2023-12-31


def deaths(*rows) -> pd.DataFrame:
    """(link_no, underlying cause, other causes...) dying on DEATH."""
    out = []
    for link, cause, *others in rows:
        row = {"link_no": link, "date_of_death": DEATH, "underlying_cause_of_death": cause}
        row |= {f"cause_of_death_code_{i}": c for i, c in enumerate(others)}
        out.append(row)
    return pd.DataFrame(out)


def stays(*rows) -> pd.DataFrame:
    """(link_no, admission, discharge or None, location type)."""
    return pd.DataFrame(
        [
            {
                "link_no": link,
                "admission_date": pd.Timestamp(a),
                "discharge_date": pd.Timestamp(d) if d else pd.NaT,
                "location_type": where,
            }
            for link, a, d, where in rows
        ],  # fmt: skip
        columns=["link_no", "admission_date", "discharge_date", "location_type"],
    )


def days_of(result: pd.DataFrame) -> dict:
    return dict(zip(result["link_no"], result["hospital_days"], strict=True))


HOSPITAL = "Large Hospital"


@pytest.mark.parametrize(
    ("admission", "discharge", "expected"),
    [
        ("2024-06-01", "2024-06-11", 10),  # inside the window: discharge - admission
        ("2023-12-01", "2024-01-10", 10),  # starts before the window: from 31 Dec 2023
        ("2024-06-21", "2024-07-20", 10),  # discharged after death: ends at death
        ("2024-06-21", None, 10),  # no discharge date: ends at death
        ("2023-06-01", "2023-12-01", 0),  # ends before the window: dropped
        ("2023-06-01", None, 182.5),  # the whole window, 183 days: counts 182.5
        ("2024-07-01", "2024-07-01", 0),  # admitted on the day of death
    ],
)
def test_a_stay_is_clipped_to_the_183_days_before_death(admission, discharge, expected):
    result = measures.last_six_months(
        deaths((1, "I219")), stays((1, admission, discharge, HOSPITAL))
    )
    assert days_of(result) == {1: expected}


def test_a_stay_beginning_after_death_is_dropped():
    result = measures.last_six_months(
        deaths((1, "C349")), stays((1, "2024-07-05", "2024-07-09", HOSPITAL))
    )
    assert days_of(result) == {1: 0.0}


def test_care_home_days_are_not_hospital_days_but_community_hospital_and_hospice_are():
    result = measures.last_six_months(
        deaths((1, "C349")),
        stays(
            (1, "2024-03-01", "2024-04-01", "Care Home"),  # 31 days, not counted
            (1, "2024-04-01", "2024-04-11", "Community Hospital"),  # 10
            (1, "2024-06-01", "2024-06-21", "Hospice / Palliative Care Unit"),  # 20
        ),
    )
    assert days_of(result) == {1: 30.0}


def test_overlapping_stays_are_capped_at_182_5_days():
    result = measures.last_six_months(
        deaths((1, "J449")),
        stays(
            (1, "2023-12-01", None, HOSPITAL), (1, "2024-05-01", "2024-06-01", "Community Hospital")
        ),
    )
    assert days_of(result) == {1: 182.5}  # 182.5 + 31 capped


def test_external_causes_are_left_out_but_falls_stay():
    result = measures.last_six_months(
        deaths(
            (1, "I219"),  # natural: in
            (2, "X42"),  # poisoning: out
            (3, "C349", None, "V892"),  # a road accident among the other causes: out
            (4, "W19"),  # a fall: in
            (5, "S720", "W10"),  # an injury from a fall on stairs: in
            (6, "Y86"),  # sequelae of other accidents (Y85-Y89 are not V00-Y84): in
        ),
        stays(),
    )
    assert sorted(result["link_no"]) == [1, 4, 5, 6]
    assert (result["hospital_days"] == 0).all()  # no stay: 0 hospital days


def test_the_indicator_by_hand():
    # three deaths: 10, 0 and 182.5 hospital days -> 1 - 192.5 / (3 x 182.5) = 0.64840
    result = measures.last_six_months(
        deaths((1, "I219"), (2, "C349"), (3, "J449")),
        stays((1, "2024-06-01", "2024-06-11", HOSPITAL), (3, "2023-01-01", None, HOSPITAL)),
    )
    assert 1 - result["hospital_days"].sum() / (len(result) * 182.5) == pytest.approx(
        0.648402, abs=1e-6
    )
    assert measures.community_share(result) == pytest.approx(0.648402, abs=1e-6)


def test_an_unknown_location_type_is_an_error():
    with pytest.raises(ValueError, match="unknown location_type"):
        measures.last_six_months(deaths((1, "I219")), stays((1, "2024-06-01", None, "Hotel")))
