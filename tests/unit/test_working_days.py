"""Working days on the England and Wales calendar (Victims' Code deadlines)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from counting_rules._engine.working_days import after_working_days, is_working_day


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2024, 3, 4), True),  # a Monday
        (date(2024, 3, 9), False),  # a Saturday
        (date(2024, 5, 27), False),  # Spring bank holiday
        (date(2025, 12, 25), False),  # Christmas Day
        (date(2025, 12, 26), False),  # Boxing Day
        (date(2022, 9, 19), False),  # the State Funeral, a one-off bank holiday
    ],
)
def test_weekends_and_bank_holidays_are_not_working_days(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_a_deadline_runs_to_the_end_of_the_nth_working_day_in_london() -> None:
    # Reported at 23:30 UTC on Sunday 30 June 2024 = 00:30 London on Monday 1 July.
    due = after_working_days(datetime(2024, 6, 30, 23, 30, tzinfo=UTC), 2)
    assert due.isoformat() == "2024-07-03T23:59:59+01:00"
    assert after_working_days(datetime(2024, 3, 8, 12, tzinfo=UTC), 1).date() == date(2024, 3, 11)
