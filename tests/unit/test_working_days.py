"""Working days on the England and Wales calendar (Victims' Code deadlines)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from counting_rules._engine import working_days
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


def test_the_generated_bank_holiday_table_is_the_librarys_list() -> None:
    # Regenerate with `python -m counting_rules._maintain.bank_holidays` when this fails (a new
    # release of the holidays library, or a new one-off bank holiday).
    path = Path(working_days.__file__).with_name(working_days.TABLE)
    stored = json.loads(path.read_text(encoding="utf-8"))
    fresh = working_days.table_data()
    assert stored["dates"] == fresh["dates"]
    assert (stored["first"], stored["last"]) == (2010, 2030)


def test_years_off_the_table_ask_the_library() -> None:
    assert 2040 not in working_days.YEARS
    assert is_working_day(date(2040, 12, 25)) is False  # Christmas Day, a Tuesday
    assert is_working_day(date(2040, 12, 27)) is True
    assert working_days.library_bank_holidays(2024) == working_days._bank_holidays(2024)
