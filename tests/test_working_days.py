"""England and Wales bank holidays computed offline, against GOV.UK's published lists."""

from __future__ import annotations

import datetime as dt

import pytest

from csfacilitator.core.working_days import (
    add_working_days,
    bank_holidays,
    easter_sunday,
    is_working_day,
)

D = dt.date

# https://www.gov.uk/bank-holidays (England and Wales), as published.
GOV_UK = {
    2020: [D(2020, 1, 1), D(2020, 4, 10), D(2020, 4, 13), D(2020, 5, 8), D(2020, 5, 25),
           D(2020, 8, 31), D(2020, 12, 25), D(2020, 12, 28)],
    2021: [D(2021, 1, 1), D(2021, 4, 2), D(2021, 4, 5), D(2021, 5, 3), D(2021, 5, 31),
           D(2021, 8, 30), D(2021, 12, 27), D(2021, 12, 28)],
    2022: [D(2022, 1, 3), D(2022, 4, 15), D(2022, 4, 18), D(2022, 5, 2), D(2022, 6, 2),
           D(2022, 6, 3), D(2022, 8, 29), D(2022, 9, 19), D(2022, 12, 26), D(2022, 12, 27)],
    2023: [D(2023, 1, 2), D(2023, 4, 7), D(2023, 4, 10), D(2023, 5, 1), D(2023, 5, 8),
           D(2023, 5, 29), D(2023, 8, 28), D(2023, 12, 25), D(2023, 12, 26)],
    2024: [D(2024, 1, 1), D(2024, 3, 29), D(2024, 4, 1), D(2024, 5, 6), D(2024, 5, 27),
           D(2024, 8, 26), D(2024, 12, 25), D(2024, 12, 26)],
    2025: [D(2025, 1, 1), D(2025, 4, 18), D(2025, 4, 21), D(2025, 5, 5), D(2025, 5, 26),
           D(2025, 8, 25), D(2025, 12, 25), D(2025, 12, 26)],
    2026: [D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 25),
           D(2026, 8, 31), D(2026, 12, 25), D(2026, 12, 28)],
    2027: [D(2027, 1, 1), D(2027, 3, 26), D(2027, 3, 29), D(2027, 5, 3), D(2027, 5, 31),
           D(2027, 8, 30), D(2027, 12, 27), D(2027, 12, 28)],
}  # fmt: skip


@pytest.mark.parametrize("year", sorted(GOV_UK))
def test_bank_holidays_match_gov_uk(year):
    assert sorted(bank_holidays(year)) == GOV_UK[year]


@pytest.mark.parametrize(
    ("year", "sunday"),
    [
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2038, D(2038, 4, 25)),
        (2285, D(2285, 3, 22)),
    ],
)
def test_easter_by_the_gregorian_algorithm(year, sunday):
    assert easter_sunday(year) == sunday


def test_christmas_on_a_saturday_moves_both_days_after_the_weekend():
    # 2027: Christmas is a Saturday, Boxing Day a Sunday -> Monday 27 and Tuesday 28.
    assert {D(2027, 12, 27), D(2027, 12, 28)} <= bank_holidays(2027)
    assert D(2027, 12, 25) not in bank_holidays(2027)


def test_add_working_days_skips_weekends_and_bank_holidays():
    # Thursday 28 March 2024: Good Friday and Easter Monday follow.
    assert add_working_days(D(2024, 3, 28), 1) == D(2024, 4, 2)
    assert add_working_days(D(2024, 3, 28), 2) == D(2024, 4, 3)
    # Friday: two working days later is Tuesday.
    assert add_working_days(D(2025, 6, 6), 2) == D(2025, 6, 10)
    # Across Christmas 2026 (Fri 25, Mon 28 substitute) and New Year.
    assert add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)
    # 29, 30, 31 Dec; 4-8, 11-15 Jan; 18, 19 Jan (1 Jan is a holiday)
    assert add_working_days(D(2026, 12, 24), 15) == D(2027, 1, 19)
    assert add_working_days(D(2025, 6, 6), 0) == D(2025, 6, 6)
    assert add_working_days(D(2025, 6, 10), -2) == D(2025, 6, 6)


def test_is_working_day():
    assert is_working_day(D(2025, 12, 24))
    assert not is_working_day(D(2025, 12, 25))
    assert not is_working_day(D(2025, 12, 27))  # Saturday
