"""The feed query, settings, rescore and the `feedbackloop feed --json` contract, on a real
database (SQLite, and PostgreSQL when TEST_POSTGRES_URL is set)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from db.enrich import enrich_batch, rescore_all
from db.errors import InvalidInput, PermissionDenied
from db.feedcli import JSON_KEYS, print_feed
from db.ingest.records import message_row
from db.models import Event, Message, Role, Setting, Triage
from db.queries import morning_feed
from db.settings import DEFAULTS, all_settings, get_setting, put_setting, save_settings
from db.views import list_messages
from tests.factories import NOW, make_user

DAY = NOW.date()
START = NOW.replace(hour=6, minute=30)
PARKING = "Cars parked at the Leeds chargers again, nobody charging, I can't charge my car"


def ingest(engine, rows: list[dict]) -> list[int]:
    """Enrich and insert rows as the pipeline does; return their ids."""
    for r in rows:
        r["imported_at"] = NOW
    with engine.begin() as conn:
        enrich_batch(conn, rows, now=NOW)
        conn.execute(sa.insert(Message.__table__), rows)
        ids = conn.execute(sa.select(Message.id).order_by(Message.id)).scalars().all()
    return list(ids[-len(rows) :])


def tweet(n: int, body: str, *, minutes: int = 0, **kw) -> dict:
    at = START + timedelta(minutes=minutes)
    kw.setdefault("sender", f"user{n}")
    return message_row(channel="tweet", external_id=f"t{n}", received_at=at, body=body,
                       raw=None, **kw)  # fmt: skip


def mail(n: int, body: str, *, subject: str, minutes: int = 0, **kw) -> dict:
    at = START + timedelta(minutes=minutes)
    return message_row(channel="email", external_id=f"m{n}@x", received_at=at, body=body,
                       raw=None, subject=subject, sender=f"c{n}@mail.example", **kw)  # fmt: skip


def feed(session, **kw):
    return morning_feed(session, day=kw.pop("day", DAY), now=NOW + timedelta(hours=8), **kw)


def test_a_theme_of_many_similar_messages_appears_once_not_once_per_message(engine, session):
    rows = [tweet(i, PARKING, minutes=20 * i) for i in range(9)]
    rows.append(mail(99, "How do I update my billing address?", subject="Billing address"))
    ingest(engine, rows)
    cards = feed(session)
    parking = [c for c in cards if "t0" in c.message_ids]
    assert len(parking) == 1
    card = parking[0]
    assert card.count == 9 and sorted(card.message_ids) == sorted(f"t{i}" for i in range(9))
    assert card.theme and card.theme_id and card.rank == 1
    assert card.reasons[0].startswith("9 customers · since 06:30")
    assert card.channel == "tweet" and card.channels == ["tweet"]
    assert not any(set(c.message_ids) & set(card.message_ids) for c in cards if c is not card)


def test_card_score_adds_theme_volume_to_the_best_member(engine, session):
    ingest(engine, [tweet(i, PARKING, minutes=i) for i in range(4)])
    (card,) = feed(session)
    best = max(m.score for m in session.exec(select(Message)))
    assert card.score == pytest.approx(best + 1.5 * 2, abs=0.01)  # 4 customers: two doublings


def test_rising_theme_says_so(engine, session):
    early = [tweet(i, PARKING, minutes=i * 60) for i in range(2)]
    late = [tweet(10 + i, PARKING, minutes=600 + i) for i in range(6)]
    ingest(engine, early + late)
    (card,) = feed(session)
    assert card.trend == "rising" and card.reasons[0].endswith("· rising")


def test_handled_noise_and_other_days_are_left_out(engine, session):
    ids = ingest(
        engine,
        [
            tweet(1, "My charger caught fire"),
            tweet(2, "My router is smoking, fire risk", minutes=5),
            mail(3, "Out of office", subject="Automatic reply: hi"),
            tweet(4, "Charging cable melted", minutes=-60 * 24),
        ],
    )
    session.execute(sa.update(Message).where(Message.id == ids[1]).values(triage=Triage.REVIEWED))
    session.commit()
    assert [c.message_ids for c in feed(session)] == [["t1"]]
    assert [c.message_ids for c in feed(session, day=DAY - timedelta(days=1))] == [["t4"]]


def test_since_shows_only_what_arrived_after_the_last_review(engine, session):
    ingest(engine, [tweet(1, "The app is broken"), tweet(2, "Payment failed, charged", minutes=90)])
    cards = morning_feed(
        session, day=None, since=START + timedelta(hours=1), now=NOW.replace(hour=12)
    )
    assert [c.message_ids for c in cards] == [["t2"]]


def test_single_cards_are_ranked_by_score_with_their_reasons(engine, session):
    ingest(
        engine,
        [
            tweet(1, "Where is my parcel?"),
            tweet(2, "My car lost power while driving, unsafe", minutes=1, followers=90_000),
            mail(3, "I expect a refund", subject="Refund", recipients=[]),
        ],
    )
    cards = feed(session, limit=2)
    assert [c.rank for c in cards] == [1, 2] and cards[0].message_ids == ["t2"]
    assert cards[0].score >= cards[1].score
    assert any(r.startswith("safety:") for r in cards[0].reasons)
    assert cards[0].theme is None and cards[0].count == 1 and cards[0].lead_id
    assert "t1" not in {i for c in feed(session) for i in c.message_ids}  # no reason, no card


def test_list_messages_is_newest_first_with_score_reasons_and_theme(engine, session):
    ingest(
        engine,
        [tweet(1, PARKING), tweet(2, PARKING, minutes=5), mail(3, "Hi", subject="Q", minutes=-1)],
    )
    rows = list_messages(session)
    assert [r["external_id"] for r in rows] == ["t2", "t1", "m3@x"]
    assert rows[0]["score"] > 0 and rows[0]["reasons"] and rows[0]["theme"]
    assert [r["external_id"] for r in list_messages(session, channel="email")] == ["m3@x"]
    assert list_messages(session, day=DAY + timedelta(days=1)) == []
    assert len(list_messages(session, limit=1, offset=1)) == 1


# --- settings and rescore ------------------------------------------------------------------


def test_settings_default_normalise_and_are_audited(session):
    admin = make_user(session, email="root@example.com", name="Ada Admin", role=Role.ADMIN)
    assert get_setting(session, "own_handles") == [] and all_settings(session) == DEFAULTS
    stored = put_setting(session, "own_handles", "@Voltra, voltracare", actor=admin, now=NOW)
    assert stored == ["voltra", "voltracare"] == get_setting(session, "own_handles")
    event = session.exec(select(Event).where(Event.entity == "setting")).one()
    assert event.data["key"] == "own_handles" and event.actor_id == admin.id


def test_only_an_admin_may_change_settings_and_values_are_checked(session):
    exec_ = make_user(session, email="ceo@example.com", name="Erin", role=Role.EXECUTIVE)
    admin = make_user(session, email="root@example.com", name="Ada", role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        put_setting(session, "vip_emails", ["a@b.c"], actor=exec_, now=NOW)
    with pytest.raises(InvalidInput):
        put_setting(session, "no_such_key", 1, actor=admin, now=NOW)
    with pytest.raises(InvalidInput):
        put_setting(session, "sla_ack_business_days", 0, actor=admin, now=NOW)


def test_saving_settings_is_all_or_nothing_and_audits_only_changes(session):
    admin = make_user(session, email="root@example.com", name="Ada", role=Role.ADMIN)
    put_setting(session, "own_domains", ["voltra.example"], actor=admin, now=NOW)
    bad = {"vip_handles": "kasia", "theme_synonyms": "stall: bay\nno colon here"}
    with pytest.raises(InvalidInput, match="line 2 .* Nothing was saved"):
        save_settings(session, bad, actor=admin, now=NOW)
    assert get_setting(session, "vip_handles") == []  # the good value was not saved either
    form = {"own_domains": "Voltra.example", "vip_handles": "@Kasia", "sla_ack_business_days": 2}
    changed = ["vip_handles", "sla_ack_business_days"]
    assert save_settings(session, form, actor=admin, now=NOW) == changed
    events = session.exec(select(Event).where(Event.entity == "setting")).all()
    assert [e.data["key"] for e in events] == ["own_domains", *changed]
    assert events[-1].data == {"key": "sla_ack_business_days", "from": 1, "to": 2}


def test_rescore_applies_new_settings_to_stored_messages(engine, session):
    ingest(engine, [tweet(1, "Our new chargers are live, my car is broken", sender="voltra")])
    assert not session.exec(select(Message)).one().is_noise
    session.add(Setting(key="own_handles", value=["voltra"]))
    session.commit()
    assert rescore_all(engine, now=NOW) == 1
    session.expire_all()
    msg = session.exec(select(Message)).one()
    assert msg.is_noise and msg.reasons == ["noise: our own account @voltra"]
    assert feed(session) == []


# --- the command line ----------------------------------------------------------------------


def _cli(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url}
    code = "from db.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True,
                          text=True, timeout=120)  # fmt: skip


def test_feed_json_follows_the_contract(db_url, tmp_path: Path):
    data = {
        "data": [
            {"id": str(i), "text": PARKING, "author_id": str(i),
             "created_at": f"{DAY}T0{i}:00:00.000Z"}
            for i in range(1, 4)
        ] + [{"id": "9", "text": "My charger caught fire", "author_id": "9",
              "created_at": f"{DAY}T09:00:00.000Z"}],
        "includes": {"users": [{"id": str(i), "username": f"u{i}"} for i in (1, 2, 3, 9)]},
    }  # fmt: skip
    path = tmp_path / "tweets.json"
    path.write_text(json.dumps(data))
    assert _cli(db_url, "ingest", str(path)).returncode == 0
    done = _cli(db_url, "feed", "--date", DAY.isoformat(), "--json")
    assert done.returncode == 0, done.stderr
    cards = json.loads(done.stdout)
    assert [tuple(c) for c in cards] == [JSON_KEYS] * 2
    theme = next(c for c in cards if c["count"] == 3)
    assert sorted(theme["message_ids"]) == ["1", "2", "3"] and isinstance(theme["theme"], str)
    single = next(c for c in cards if c["count"] == 1)
    assert single["message_ids"] == ["9"] and single["theme"] is None
    assert single["channel"] == "tweet" and all(isinstance(r, str) for r in single["reasons"])
    assert [c["rank"] for c in cards] == [1, 2] and cards[0]["score"] >= cards[1]["score"]
    other = _cli(db_url, "feed", "--date", (DAY - timedelta(days=1)).isoformat(), "--json")
    assert json.loads(other.stdout) == []


def test_feed_table_and_bad_date(db_url):
    missing = _cli(db_url, "feed")
    assert missing.returncode == 2 and "run `feedbackloop init`" in missing.stderr
    assert _cli(db_url, "init").returncode == 0
    assert "feed is clear" in _cli(db_url, "feed", "--date", "2026-01-02").stdout
    bad = _cli(db_url, "feed", "--date", "yesterday")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr and "Traceback" not in bad.stderr


def test_print_feed_defaults_to_today_utc_and_writes_plain_json(engine, session, capsys):
    ingest(engine, [tweet(1, "My charger caught fire"), tweet(2, "Fire!", minutes=-60 * 24)])
    print_feed(engine, day=None, limit=5, as_json=True, now=NOW + timedelta(hours=3))
    cards = json.loads(capsys.readouterr().out)
    assert [c["message_ids"] for c in cards] == [["t1"]]
