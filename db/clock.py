"""The company's clock: its time zone, its days, and moments written for people.

Every timestamp is stored in UTC. People work in the company's local days, so the feed's day,
SLA business days and due times, the digest hour, Insights' days (and the rollups behind them)
and every moment shown use the `time_zone` setting, an IANA name such as "Europe/London"
(default "UTC"). Callers read the zone once (`company_zone`) and pass it to the pure functions
here. `sqlite_day` is the SQL function `fl_day` on SQLite, which knows no time zones.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import sqlalchemy as sa

from db.errors import InvalidInput

DEFAULT_ZONE = "UTC"
_UTC_KEYS = frozenset({"UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Universal"})
ZONE_SETTING = "time_zone"
# a Core view of the setting table: `feedbackloop feed` reads the zone without SQLModel
_SETTING = sa.table("setting", sa.column("key", sa.String), sa.column("value", sa.JSON))


@lru_cache(maxsize=64)
def zone_named(name: str) -> ZoneInfo:
    """Return the time zone called `name` (an IANA name); InvalidInput if there is none."""
    try:
        return ZoneInfo(str(name).strip() or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"Unknown time zone {name!r}: use an IANA name such as Europe/London."
        ) from None


def company_zone(reader: Any) -> ZoneInfo:
    """Return the company's time zone (the `time_zone` setting; UTC when unset or unknown)."""
    stmt = sa.select(_SETTING.c.value).where(_SETTING.c.key == ZONE_SETTING)
    name = reader.execute(stmt).scalar()
    try:
        return zone_named(name if isinstance(name, str) else DEFAULT_ZONE)
    except InvalidInput:  # a name this machine's tz database lacks: UTC days, not a crash
        return zone_named(DEFAULT_ZONE)


@lru_cache(maxsize=1)
def zone_names() -> list[str]:
    """Return every IANA time zone name this machine knows, sorted (for a picker)."""
    return sorted(available_timezones())


def zone_key(zone: tzinfo) -> str:
    """Return the IANA name of `zone` ("UTC" for datetime's own UTC)."""
    return getattr(zone, "key", None) or DEFAULT_ZONE


def is_utc(zone: tzinfo) -> bool:
    """Return True when local days are UTC days (no conversion needed)."""
    return zone is UTC or getattr(zone, "key", None) in _UTC_KEYS


def local_day(at: datetime, zone: tzinfo) -> date:
    """Return the company's day that an aware moment falls on."""
    return at.astimezone(zone).date()


def local_at(day: date, clock: time, zone: tzinfo) -> datetime:
    """Return the UTC moment of a local wall-clock time on `day` (DST gaps resolve forward)."""
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def day_start(day: date, zone: tzinfo) -> datetime:
    """Return the UTC moment the company's `day` begins."""
    return local_at(day, time(), zone)


def day_bounds(first: date, last: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """Return the half-open UTC range [start, end) of the local days `first` to `last`."""
    return day_start(first, zone), day_start(last + timedelta(days=1), zone)


def add_business_days(start: datetime, days: int, zone: tzinfo) -> datetime:
    """Return `start` moved on by `days` of the company's weekdays (Mon–Fri), its local time
    of day kept."""
    local = start.astimezone(zone)
    day = local.date()
    while days > 0:
        day += timedelta(days=1)
        days -= day.weekday() < 5
    return local_at(day, local.time(), zone)


def previous_workday(now: datetime, zone: tzinfo) -> date:
    """Return the company's last weekday before today (Friday on Saturdays to Mondays)."""
    today = local_day(now, zone)
    return today - timedelta(days={0: 3, 6: 2}.get(today.weekday(), 1))


def stamp(at: datetime, zone: tzinfo, fmt: str = "%d %b %Y %H:%M", *, label: bool = False) -> str:
    """Return a moment as the company's wall-clock time; `label` adds the zone ("GMT")."""
    local = at.astimezone(zone)
    text = local.strftime(fmt)
    return f"{text} {local.tzname()}" if label else text


def sqlite_day(stored: str | None, zone_name: str) -> str | None:
    """Return the local 'YYYY-MM-DD' of a timestamp as SQLite stores it (naive UTC text)."""
    if stored is None:
        return None
    minute = int(stored[14:16])
    return _quarter_day(stored[:14], minute - minute % 15, zone_name)


@lru_cache(maxsize=65_536)
def _quarter_day(hour: str, quarter: int, zone_name: str) -> str:
    # Every offset in use since the 1970s is a multiple of 15 minutes and clocks change on
    # such marks, so a local day starts on a quarter hour in UTC: the quarter hour decides
    # the day (a year of timestamps is 35,040 keys, not half a million minutes).
    at = datetime.fromisoformat(f"{hour}{quarter:02d}").replace(tzinfo=UTC)
    return at.astimezone(zone_named(zone_name)).date().isoformat()
