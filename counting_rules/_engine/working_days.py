"""Working days in England and Wales: Monday to Friday, less the bank holidays.

The Victims' Code gives its deadlines in working days ("referred within 2 working days"). The
bank holidays come from the maintained `holidays` library (England's list, which Wales shares),
never from a hand-written table. A deadline of n working days after a report runs to the end of
the n-th working day after the day the report was received (London time).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a bank holiday in England and Wales."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def after_working_days(received: datetime, days: int) -> datetime:
    """The end (23:59:59 London time) of the ``days``-th working day after ``received``'s day."""
    day = received.astimezone(LONDON).date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        counted += is_working_day(day)
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON)


__all__ = ["after_working_days", "is_working_day"]
