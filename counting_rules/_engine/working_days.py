"""Working days in England and Wales: Monday to Friday, less the bank holidays.

The Victims' Code gives its deadlines in working days ("referred within 2 working days"). The
bank holidays come from the maintained `holidays` library (England's list, which Wales shares),
never from a hand-written table. For the years reports are decided in, they are read from
``bank_holidays.json``, generated from that library (importing it costs a CLI run about 0.17 s
of CPU; tests/unit/test_working_days.py keeps the file equal to the installed library's
list). Other years ask the library itself. Regenerate with
``python -m counting_rules._maintain.bank_holidays``.

A deadline of n working days after a report runs to the end of the n-th working day after the
day the report was received (London time).
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
TABLE = "bank_holidays.json"
YEARS = range(2010, 2031)  # the years the generated table holds


def library_bank_holidays(year: int) -> frozenset[date]:
    """England's bank holidays in ``year``, from the `holidays` library."""
    import holidays  # only off the table's years: its import is slow

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


@lru_cache(maxsize=1)
def _table() -> dict[int, frozenset[date]]:
    data = json.loads(resources.files(__package__).joinpath(TABLE).read_text(encoding="utf-8"))
    by_year: dict[int, set[date]] = {y: set() for y in range(data["first"], data["last"] + 1)}
    for text in data["dates"]:
        day = date.fromisoformat(text)
        by_year[day.year].add(day)
    return {y: frozenset(days) for y, days in by_year.items()}


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    table = _table()
    return table[year] if year in table else library_bank_holidays(year)


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


def table_data() -> dict[str, Any]:
    """What ``bank_holidays.json`` holds, from the installed library."""
    from importlib.metadata import version

    days = sorted(d for y in YEARS for d in library_bank_holidays(y))
    return {
        "source": f"holidays {version('holidays')}: country_holidays('GB', subdiv='ENG')",
        "first": YEARS.start,
        "last": YEARS.stop - 1,
        "dates": [d.isoformat() for d in days],
    }


__all__ = [
    "TABLE",
    "YEARS",
    "after_working_days",
    "is_working_day",
    "library_bank_holidays",
    "table_data",
]
