"""The shipped parameters calibrate the system dynamics model for every partnership and
every locality of the default synthetic Scotland, without rendering a report.

Where a partnership's params give too few care home places or care at home hours for
the discharges its data show, the calibration derives the fewest that can take them
and says so; it must never fail a partnership's report.
"""

from __future__ import annotations

import pytest

from hscp import flow, geography, store


@pytest.fixture(scope="module")
def default_data():
    # Generated and prepared once under the project's data/ (about a minute the first time).
    return store.open_data("synthetic:default", log=lambda *_: None)


def test_every_partnership_and_locality_calibrates(default_data):
    settings = flow.load_settings(None)
    end = default_data.period[1]
    failed, areas = [], 0
    for partnership in geography.partnerships():
        data = default_data.partnership(partnership.code)
        for locality in (None, *partnership.localities):
            areas += 1
            try:
                model = flow.area_calibration(data, partnership, locality, end, settings)
            except flow.CalibrationError as err:
                failed.append(f"{partnership.name} / {locality or 'whole'}: {err}")
                continue
            assert model.capacities["care_home_places"] > 0
    assert areas == 31 + 127
    assert not failed, "\n".join(failed)
