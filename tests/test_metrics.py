"""Insights metrics against values computed by hand on a small fixed dataset.

The week under review is 14–20 November 2026 (NOW is the 20th, 08:00 UTC); the week before is
7–13 November. Item A ships in six days and its loop is closed; item B ships, is reopened and
ships again (its lead time counts the last ship, five days after its first message); item C
shipped the week before (nine days); D is new and unowned; E has no events at all.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session

from db import itemrebuild, rollup
from db.metrics import (
    Period,
    Scope,
    drill_messages,
    insights,
    lead_bins,
    lead_times,
    percentile,
    sla_breaches,
    state_flow,
    teams,
)
from db.models import Event, Forward, Item, Theme
from tests.factories import NOW, make_care_lead, make_ceo, make_charging_manager, make_message

WEEK = Period.days_back(7, today=date(2026, 11, 20))


def at(day: int, hour: int = 8) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def _item(session, title, team, status, created, first=None) -> Item:
    item = Item(title=title, team=team, status=status, created_at=created, first_signal_at=first)
    session.add(item)
    session.flush()
    return item


def _moves(session, item, *steps) -> None:
    for when, src, dst in steps:
        session.add(
            Event(
                entity="item", entity_id=item.id, action=dst, from_state=src, to_state=dst, at=when
            )
        )


@pytest.fixture
def data(session: Session) -> dict:
    ceo, mara, laura = make_ceo(session), make_charging_manager(session), make_care_lead(session)
    t1 = Theme(key="charger-idle", label="Idle cars block chargers")
    t2 = Theme(key="screen-black", label="Screen goes black")
    session.add_all([t1, t2])
    a = _item(session, "Idle fee", "Charging", "loop_closed", at(10, 9), first=at(10))
    b = _item(session, "Charger reset", "Charging", "shipped", at(13, 10))
    c = _item(session, "Screen update", "Customer Care", "shipped", at(1), first=at(1))
    d = _item(session, "Refund wording", "Customer Care", "new", at(15))
    _item(session, "No events", "Charging", "new", at(19))
    _moves(session, a, (at(10, 9), None, "new"), (at(11, 9), "new", "acknowledged"),
           (at(12), "acknowledged", "in_progress"), (at(16), "in_progress", "shipped"),
           (at(17), "shipped", "loop_closed"))  # fmt: skip
    _moves(session, b, (at(13, 10), None, "new"), (at(14), "new", "acknowledged"),
           (at(14, 12), "acknowledged", "in_progress"), (at(15), "in_progress", "shipped"),
           (at(16), "shipped", "in_progress"), (at(18), "in_progress", "shipped"))  # fmt: skip
    _moves(session, c, (at(1), None, "new"), (at(2), "new", "acknowledged"),
           (at(3), "acknowledged", "in_progress"), (at(10), "in_progress", "shipped"))  # fmt: skip
    _moves(session, d, (at(15), None, "new"))
    session.commit()
    m = {}
    for name, ch, when, complaint, score, theme, item, noise in [
        ("m0", "email", at(13), 0.8, 6, t1, b, False),
        ("m1", "email", at(14), 0.9, 8, t1, b, False),
        ("m2", "tweet", at(14, 9), 0.2, 1, None, None, False),
        ("m3", "tweet", at(15, 10), 0.7, 7, t1, None, False),
        ("m4", "tweet", at(15, 11), 0.6, 6, t1, None, False),
        ("m5", "email", at(16, 12), 0.0, 9, None, None, False),
        ("m6", "email", at(16, 13), 0.0, 9, None, None, True),
        ("m7", "tweet", at(17), 0.9, 2, t2, a, False),
        ("m8", "email", at(8), 0.9, 6, t2, c, False),
        ("m9", "email", at(9), 0.9, 2, t2, None, False),
    ]:
        m[name] = make_message(
            session, channel=ch, received_at=when, complaint=complaint, score=score,
            theme_id=theme and theme.id, item_id=item and item.id, is_noise=noise,
        )  # fmt: skip
    for sender, to, msg, item, created, due, ack in [
        (ceo, mara, m["m3"], None, at(15), at(16), at(15, 12)),
        (ceo, mara, None, a, at(16), at(17), at(18)),
        (ceo, laura, None, d, at(17), at(18), None),
        (ceo, laura, None, c, at(8), at(9), at(8, 10)),
        (ceo, mara, None, b, at(12), at(13), at(14)),
    ]:
        session.add(
            Forward(sender_id=sender.id, recipient_id=to.id, message_id=msg and msg.id,
                    item_id=item and item.id, created_at=created, respond_by=due,
                    acknowledged_at=ack)
        )  # fmt: skip
    session.flush()  # the rebuilds read the forwards through the Core connection
    rollup.rebuild(session.connection())  # rows made directly, not through ingest or workflow
    itemrebuild.rebuild(session.connection())
    session.commit()
    return {"a": a, "b": b, "c": c, "d": d, "t1": t1, "m": m}


def _kpis(session, period=WEEK, scope=Scope()) -> dict:
    return {k.name: k for k in insights(session, period=period, scope=scope, now=NOW).kpis}


def test_lead_bins_pick_a_readable_width_and_count_each_bin():
    bins = lead_bins([0.2, 1.4, 1.9, 6.0])
    assert [(b.days_from, b.days_to, b.items) for b in bins][:3] == [
        (0, 0.5, 1),
        (0.5, 1, 0),
        (1, 1.5, 1),
    ]
    assert sum(b.items for b in bins) == 4 and bins[-1].days_to == 6.5
    assert lead_bins([40.0, 3.0])[0].days_to == 5 and lead_bins([]) == []


def test_percentile_interpolates_between_ranks():
    assert percentile([5.0, 6.0], 0.5) == 5.5
    assert percentile([5.0, 6.0], 0.9) == pytest.approx(5.9)
    assert percentile([], 0.5) is None


def test_period_previous_is_the_week_before():
    assert WEEK.start == at(14, 0) and WEEK.end == datetime(2026, 11, 21, tzinfo=UTC)
    before = WEEK.previous()
    assert before == Period(date(2026, 11, 7), date(2026, 11, 14))
    assert (before.start, before.end) == (at(7, 0), at(14, 0))


def test_reopened_item_lead_time_counts_its_last_ship(session, data):
    rows = {r.item_id: r for r in lead_times(session, period=WEEK)}
    assert rows[data["a"].id].days == pytest.approx(6.0)
    assert rows[data["b"].id].days == pytest.approx(5.0)  # first message 13th → last ship 18th
    assert rows[data["b"].id].shipped_day == date(2026, 11, 18)
    assert (rows[data["a"].id].loop_closed, rows[data["b"].id].loop_closed) == (True, False)


def test_days_to_fix_median_and_p90_against_previous_week(session, data):
    k = _kpis(session)
    med, p90 = k["Days to fix (median)"], k["Days to fix (p90)"]
    assert (med.value, med.previous, med.delta) == (5.5, 9.0, -3.5)
    assert (p90.value, p90.previous) == (5.9, 9.0)


def test_lead_time_histogram_counts_the_periods_fixes(session, data):
    bins = insights(session, period=WEEK, now=NOW).lead_bins  # counted in SQL on PostgreSQL
    assert bins == lead_bins([6.0, 5.0])
    assert [(b.days_from, b.items) for b in bins if b.items] == [(5.0, 1), (6.0, 1)]


def test_hours_to_acknowledge_median(session, data):
    k = _kpis(session)["Hours to acknowledge"]
    assert (k.value, k.previous, k.delta) == (48.0, 2.0, 46.0)


def test_open_and_unowned_items_at_end_of_each_period(session, data):
    k = _kpis(session)
    assert (k["Open items"].value, k["Open items"].previous) == (2, 3)
    assert (k["Unowned items"].value, k["Unowned items"].previous) == (2, 2)
    assert k["Open items"].spark == [3.0, 3.0, 3.0, 3.0, 2.0, 2.0, 2.0]


def test_overdue_forwards_now_and_at_start_of_week(session, data):
    k = _kpis(session)["Overdue forwards"]
    assert (k.value, k.previous) == (1, 1)
    assert k.spark == [0, 0, 0, 1, 1, 1, 1]


def test_loop_closed_share_and_notable_cards_per_day(session, data):
    k = _kpis(session)
    assert (k["Loop closed"].value, k["Loop closed"].previous) == (50.0, 0.0)
    notable = k["Notable cards per day"]
    assert (notable.value, notable.previous, notable.delta) == (0.4, 0.3, 0.1)
    assert notable.spark == [1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0]


def test_volume_by_day_and_channel_with_complaint_share(session, data):
    got = [
        (v.day.day, v.channel, v.messages, v.complaints, v.complaint_share)
        for v in insights(session, period=WEEK, now=NOW).volume
    ]
    assert got == [
        (14, "email", 1, 1, 1.0),
        (14, "tweet", 1, 0, 0.0),
        (15, "tweet", 2, 2, 1.0),
        (16, "email", 2, 0, 0.0),
        (17, "tweet", 1, 1, 1.0),
    ]


def test_funnel_from_message_to_loop_closed(session, data):
    got = [(s.stage, s.messages) for s in insights(session, period=WEEK, now=NOW).funnel]
    assert got == [
        ("Messages", 7),
        ("Forwarded", 3),
        ("On an item", 2),
        ("Shipped", 2),
        ("Loop closed", 1),
    ]


def test_sla_breaches_by_recipient_team(session, data):
    got = [
        (r.team, r.due, r.late, r.still_open) for r in insights(session, period=WEEK, now=NOW).sla
    ]
    assert got == [("Charging", 2, 1, 0), ("Customer Care", 1, 0, 1)]


def test_rising_themes_compare_with_previous_period(session, data):
    got = [
        (t.label, t.messages, t.previous, t.change)
        for t in insights(session, period=WEEK, now=NOW).themes
    ]
    assert got == [("Idle cars block chargers", 3, 1, 2)]


def test_cumulative_flow_counts_states_per_day(session, data):
    flow = {(p.day.day, p.state): p.items for p in state_flow(session, period=WEEK)}
    assert (flow[(13, "new")], flow[(13, "in_progress")], flow[(13, "shipped")]) == (2, 1, 1)
    assert (flow[(16, "in_progress")], flow[(16, "shipped")]) == (1, 2)  # B reopened, A + C
    assert (flow[(20, "new")], flow[(20, "shipped")], flow[(20, "loop_closed")]) == (2, 2, 1)


def test_item_without_events_counts_in_its_current_state_throughout(session, data):
    early = Period.between(date(2026, 10, 1), date(2026, 10, 3))
    flow = {(p.day.day, p.state): p.items for p in state_flow(session, period=early)}
    assert flow[(1, "new")] == 1 and sum(flow.values()) == 4  # E on 4 days (30 Sep … 3 Oct)


def test_team_scope_keeps_only_that_teams_items_and_forwards(session, data):
    k = _kpis(session, scope=Scope(team="Customer Care"))
    assert (k["Days to fix (median)"].value, k["Days to fix (median)"].previous) == (None, 9.0)
    assert (k["Open items"].value, k["Overdue forwards"].value) == (1, 1)
    sla = insights(session, period=WEEK, scope=Scope(team="Charging"), now=NOW).sla
    assert [(r.team, r.late) for r in sla] == [("Charging", 1)]


def test_channel_scope_filters_messages_and_items(session, data):
    got = insights(session, period=WEEK, scope=Scope(channel="tweet"), now=NOW)
    tweet_leads = lead_times(session, period=WEEK, scope=Scope(channel="tweet"))
    assert [r.item_id for r in tweet_leads] == [data["a"].id]
    assert sum(v.messages for v in got.volume) == 4
    assert [s.messages for s in got.funnel] == [4, 2, 1, 1, 1]


def test_empty_period_has_no_lead_times_and_zero_counts(session, data):
    empty = Period.between(date(2026, 1, 1), date(2026, 1, 7))
    k = _kpis(session, period=empty)
    assert k["Days to fix (median)"].value is None and k["Days to fix (median)"].delta is None
    assert k["Hours to acknowledge"].value is None
    assert (k["Overdue forwards"].value, k["Notable cards per day"].value) == (0, 0.0)
    got = insights(session, period=empty, now=NOW)
    assert got.volume == [] and got.sla == [] and got.themes == []
    assert [s.messages for s in got.funnel] == [0, 0, 0, 0, 0]


def test_empty_database_gives_empty_insights(session):
    got = insights(session, period=WEEK, now=NOW)
    assert [k.value for k in got.kpis] == [None, None, None, 0, 0, 0, None, 0.0]
    assert {p.items for p in got.flow} == {0}


def test_drill_messages_behind_a_theme_are_ordered_by_score(session, data):
    rows = drill_messages(session, period=WEEK, theme_id=data["t1"].id)
    assert [r["id"] for r in rows] == [data["m"][k].id for k in ("m1", "m3", "m4")]
    day = drill_messages(session, period=WEEK, channel="email", day=date(2026, 11, 16))
    assert [r["id"] for r in day] == [data["m"]["m5"].id, data["m"]["m6"].id]


def test_sla_breaches_list_late_and_open_forwards_of_a_team(session, data):
    rows = sla_breaches(session, period=WEEK, team="Charging", now=NOW)
    assert [(r["title"], r["recipient"]) for r in rows] == [("Idle fee", "Mara Lind")]
    rows = sla_breaches(session, period=WEEK, team=None, now=NOW)
    assert [r["title"] for r in rows] == ["Idle fee", "Refund wording"]


def test_teams_come_from_users_and_items(session, data):
    assert teams(session) == ["Charging", "Customer Care"]
