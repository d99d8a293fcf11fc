"""Dates and times in words, in one style everywhere a person reads them: London time,
"Thursday 12 July 2018, 10.10 pm"; a date alone is "Thursday 12 July 2018"."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

__all__ = ["LONDON", "plain_when"]

LONDON = ZoneInfo("Europe/London")


def _day(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}"


def plain_when(value: object) -> str:
    """A datetime (in London time; a naive one is taken as London's), a date, or anything else
    as ``str``."""
    if isinstance(value, datetime):
        local = value.astimezone(LONDON) if value.tzinfo else value.replace(tzinfo=LONDON)
        hour = local.hour % 12 or 12
        return f"{_day(local)}, {hour}.{local.minute:02d} {'am' if local.hour < 12 else 'pm'}"
    if isinstance(value, date):
        return _day(value)
    return str(value)
