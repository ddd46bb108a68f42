"""The company's time zone: its days, its business days, and everything counted by day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from db import clock, rollup
from db.audit import sla_respond_by
from db.errors import InvalidInput
from db.metrics import Period
from db.models import Event, Message, Role
from db.queries import morning_feed
from db.settings import get_setting, put_setting
from tests.factories import NOW, make_message, make_user, set_time_zone

LONDON = clock.zone_named("Europe/London")
NEW_YORK = clock.zone_named("America/New_York")
TOKYO = clock.zone_named("Asia/Tokyo")
ZONES = ["UTC", "Europe/London", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe"]
LATE = datetime(2026, 11, 19, 23, 30, tzinfo=UTC)  # already 20 November in Tokyo


def test_a_day_when_the_clocks_go_back_lasts_25_hours() -> None:
    start, end = clock.day_bounds(date(2026, 10, 25), date(2026, 10, 25), LONDON)
    assert start == datetime(2026, 10, 24, 23, 0, tzinfo=UTC)  # midnight BST
    assert end - start == timedelta(hours=25)
    assert clock.local_day(datetime(2026, 10, 24, 23, 30, tzinfo=UTC), LONDON) == date(2026, 10, 25)


def test_business_days_keep_the_local_time_across_a_clock_change() -> None:
    friday = datetime(2026, 10, 30, 20, 0, tzinfo=UTC)  # 16:00 in New York, summer time
    monday = clock.add_business_days(friday, 1, NEW_YORK)
    assert monday.astimezone(NEW_YORK).replace(tzinfo=None) == datetime(2026, 11, 2, 16, 0)
    assert monday == datetime(2026, 11, 2, 21, 0, tzinfo=UTC)  # winter time: an hour later


def test_a_moment_is_written_in_the_company_zone_with_its_abbreviation() -> None:
    assert clock.stamp(LATE, TOKYO, "%a %H:%M", label=True) == "Fri 08:30 JST"
    assert clock.stamp(LATE, clock.zone_named("UTC"), "%H:%M", label=True) == "23:30 UTC"


def test_an_unknown_zone_is_refused_with_a_hint() -> None:
    with pytest.raises(InvalidInput, match="IANA name such as Europe/London"):
        clock.zone_named("Mars/Olympus_Mons")


@given(
    moment=st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2060, 1, 1)),
    name=st.sampled_from(ZONES),
)
def test_the_sqlite_day_function_agrees_with_python(moment: datetime, name: str) -> None:
    stored = moment.isoformat(" ")  # as SQLite holds it: naive UTC text
    expected = clock.local_day(moment.replace(tzinfo=UTC), clock.zone_named(name))
    assert clock.sqlite_day(stored, name) == expected.isoformat()


@pytest.mark.parametrize("minute", range(10, 20))
def test_the_sqlite_day_turns_on_the_quarter_hour_of_a_local_midnight(minute: int) -> None:
    stored = f"2026-11-19 18:{minute:02d}:59.999999"  # Kathmandu's midnight is 18:15 UTC
    assert clock.sqlite_day(stored, "Asia/Kathmandu") == (
        "2026-11-20" if minute >= 15 else "2026-11-19"
    )


@pytest.mark.parametrize("name", ZONES)
def test_the_sql_day_of_a_stored_message_is_its_local_day(session, name) -> None:
    zone = clock.zone_named(name)
    moments = [LATE + timedelta(minutes=m) for m in range(-600, 900, 45)]
    for n, at in enumerate(moments):
        make_message(session, received_at=at, external_id=f"m{n}")
    conn = session.connection()
    day = rollup.day_sql(Message.__table__.c.received_at, conn.dialect.name, zone)
    got = conn.execute(sa.select(Message.received_at, day)).all()
    assert len(got) == len(moments)
    for at, key in got:
        assert rollup.day_of(key, zone) == clock.local_day(at, zone)


def test_changing_the_zone_recounts_the_daily_rollup(session) -> None:
    admin = make_user(session, email="ada@example.com", name="Ada Admin", role=Role.ADMIN)
    rows = [make_message(session, received_at=LATE, external_id=f"late{n}") for n in range(3)]
    rollup.rebuild(session.connection())
    before = {k[0] for k in rollup.snapshot(session.connection())}
    assert before == {date(2026, 11, 19)}

    put_setting(session, "time_zone", "Asia/Tokyo", actor=admin, now=NOW)

    conn = session.connection()
    moved = rollup.snapshot(conn)
    assert {k[0] for k in moved} == {date(2026, 11, 20)}
    assert sum(v[0] for v in moved.values()) == len(rows)
    rollup.rebuild(conn)
    assert rollup.snapshot(conn) == moved  # what a recount from scratch gives
    change = session.exec(select(Event).where(Event.entity == "setting")).one()
    assert change.data == {"key": "time_zone", "from": "UTC", "to": "Asia/Tokyo"}


def test_an_unknown_zone_changes_nothing(session) -> None:
    admin = make_user(session, email="ada@example.com", name="Ada Admin", role=Role.ADMIN)
    with pytest.raises(InvalidInput):
        put_setting(session, "time_zone", "Europe/Atlantis", actor=admin, now=NOW)
    assert get_setting(session, "time_zone") == "UTC"


@pytest.mark.parametrize(("name", "shown", "not_shown"), [("UTC", 19, 20), ("Asia/Tokyo", 20, 19)])
def test_the_feed_day_is_the_company_day(session, name, shown, not_shown) -> None:
    set_time_zone(session, name)
    msg = make_message(session, received_at=LATE, score=6.0, reasons=["complaint: broken"])
    cards = morning_feed(session, day=date(2026, 11, shown), now=NOW)
    assert [c.lead_id for c in cards] == [msg.id]
    assert morning_feed(session, day=date(2026, 11, not_shown), now=NOW) == []


def test_the_default_respond_by_counts_the_company_week(session) -> None:
    set_time_zone(session, "America/New_York")
    friday = datetime(2026, 11, 20, 22, 0, tzinfo=UTC)  # 17:00 Friday in New York
    due = sla_respond_by(session, friday)
    assert due.astimezone(NEW_YORK).replace(tzinfo=None) == datetime(2026, 11, 23, 17, 0)


def test_a_period_spans_the_local_days() -> None:
    period = Period.between(date(2026, 11, 20), date(2026, 11, 21), TOKYO)
    assert period.start == datetime(2026, 11, 19, 15, 0, tzinfo=UTC)
    assert period.end == datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
    assert period.days() == [date(2026, 11, 20), date(2026, 11, 21)]
    assert period.with_previous().first == date(2026, 11, 18)
    assert clock.local_at(date(2026, 11, 20), time(9), TOKYO).hour == 0


def test_the_previous_workday_skips_the_weekend_in_the_company_s_days() -> None:
    from db.clock import previous_workday

    friday, saturday, sunday, monday, tuesday = (
        datetime(2026, 11, d, 10, tzinfo=UTC) for d in (20, 21, 22, 23, 24)
    )
    assert previous_workday(tuesday, UTC) == date(2026, 11, 23)
    for day in (saturday, sunday, monday):
        assert previous_workday(day, UTC) == date(2026, 11, 20)
    assert previous_workday(friday, UTC) == date(2026, 11, 19)
    early_monday = datetime(2026, 11, 23, 3, tzinfo=UTC)  # still Sunday in Los Angeles
    los_angeles = clock.zone_named("America/Los_Angeles")
    assert previous_workday(early_monday, los_angeles) == date(2026, 11, 20)
