"""The demo data: real files through the real ingester, dated relative to the day it is loaded."""

from __future__ import annotations

import io
from collections import Counter
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from rich.console import Console

from db.models import Message, Quarantine, Setting
from seeds import ANCHOR, DATA_DIR
from seeds.build import build
from seeds.labels import STORIES, labels
from seeds.loader import DEMO_SETTINGS, load_demo, load_messages, shift
from tests.factories import NOW

MORNING = NOW  # 08:00 UTC: before the anchor's 09:00, so today's posts are squeezed in
AFTERNOON = NOW.replace(hour=15, minute=30)


def _messages(engine, *columns):
    with engine.connect() as conn:
        return conn.execute(sa.select(*columns)).all()


def test_demo_loads_at_least_180_messages_over_both_channels(engine, session):
    result = load_messages(engine, now=AFTERNOON)
    counts = session.execute(sa.select(Message.channel, sa.func.count()).group_by(Message.channel))
    by_channel = dict(counts.all())
    assert result.imported >= 180
    assert by_channel["email"] >= 80 and by_channel["tweet"] >= 80
    assert sum(by_channel.values()) == result.imported


def test_demo_dates_span_the_last_30_days_and_this_morning(engine, session):
    load_messages(engine, now=MORNING)
    times = [t for (t,) in _messages(engine, Message.received_at)]
    today = [t for t in times if t.date() == MORNING.date()]
    assert max(times) <= MORNING
    assert min(times) >= MORNING - timedelta(days=30)
    assert min(times) <= MORNING - timedelta(days=25)
    assert len(today) >= 20


def test_loading_the_demo_twice_adds_nothing(engine, session):
    first = load_messages(engine, now=AFTERNOON)
    second = load_messages(engine, now=AFTERNOON + timedelta(days=3))
    assert (second.imported, second.duplicates) == (0, first.imported)
    assert session.scalar(sa.select(sa.func.count()).select_from(Message)) == first.imported


def test_every_demo_file_is_valid_so_the_quarantine_stays_empty(engine, session):
    result = load_messages(engine, now=AFTERNOON)
    assert (result.rejected, result.unreadable) == (0, [])
    assert session.scalar(sa.select(sa.func.count()).select_from(Quarantine)) == 0


def test_each_message_names_the_demo_file_it_came_from(engine, session):
    load_messages(engine, now=AFTERNOON)
    sources = {s for (s,) in _messages(engine, Message.source)}
    assert "seeds/data/mail/d-02_2218_fly_e1.eml" in sources
    assert all(s.startswith(("seeds/data/mail/", "seeds/data/x/")) for s in sources)


def test_hostile_text_is_stored_verbatim(engine, session):
    load_messages(engine, now=AFTERNOON)
    bodies = [b for (b,) in _messages(engine, Message.body)]
    subjects = [s for (s,) in _messages(engine, Message.subject) if s]
    for needle in (
        "<script>alert(1)</script> <img src=x onerror=alert(2)>",
        "![x](http://evil.example/x.png)",
        '<a href="http://evil.example/phish">reset your password here</a>',
        '<iframe src="http://evil.example/frame"></iframe>',
    ):
        assert any(needle in body for body in bodies), needle
    assert "Contact form: <script>alert(1)</script>" in subjects


def test_the_stories_keep_their_shape(engine, session):
    load_messages(engine, now=AFTERNOON)
    star = session.scalars(sa.select(Message).where(Message.sender == "marisolvey_music")).first()
    tallis = session.scalars(
        sa.select(Message).where(Message.sender == "david.tallis@example.org")
    ).all()
    assert star is not None and star.followers == 11_400_000
    assert star.headers["verified"] is True
    assert len(tallis) == 4 and len({m.thread_key for m in tallis}) == 1
    letter = session.scalars(sa.select(Message).where(Message.subject.like("A formal%"))).one()
    assert "never fly Voltra Air again" in letter.body


def test_load_demo_stores_settings_without_overwriting_an_admins_choice(engine, session):
    session.add(Setting(key="own_handles", value=["acme"], updated_at=NOW))
    session.commit()
    out = io.StringIO()
    load_demo(engine, now=AFTERNOON, console=Console(file=out, width=200))
    stored = dict(session.execute(sa.select(Setting.key, Setting.value)).all())
    assert stored["own_handles"] == ["acme"]
    assert stored["ceo_addresses"] == DEMO_SETTINGS["ceo_addresses"]
    assert "Demo: imported 202 messages, 0 already there, 0 rejected" in out.getvalue()


def test_shift_moves_whole_days_in_the_afternoon():
    moment = ANCHOR - timedelta(days=3, hours=2)
    moved = shift(moment, now=AFTERNOON)
    assert moved == moment + (AFTERNOON.date() - ANCHOR.date())


def test_shift_squeezes_this_mornings_posts_before_an_early_now():
    early = datetime.combine(MORNING.date(), datetime.min.time(), tzinfo=UTC) + timedelta(hours=2)
    posts = [ANCHOR.replace(hour=h, minute=m) for h, m in ((0, 30), (5, 0), (8, 59))]
    moved = [shift(p, now=early) for p in posts]
    assert moved == sorted(moved)
    assert all(m.date() == early.date() and m <= early for m in moved)


def test_committed_data_matches_the_generator(tmp_path):
    build(tmp_path)
    fresh = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(DATA_DIR) for p in DATA_DIR.rglob("*") if p.is_file())
    assert fresh == committed
    assert all((tmp_path / p).read_bytes() == (DATA_DIR / p).read_bytes() for p in fresh)


def test_every_demo_message_has_a_story_label(engine, session):
    load_messages(engine, now=AFTERNOON)
    stored = set(_messages(engine, Message.channel, Message.external_id))
    found = labels()
    assert set(found) == stored
    counts = Counter(found.values())
    assert counts["parking"] >= 40 and counts["noise"] >= 30 and counts["hostile"] == 4
    assert all(counts[story] >= 1 for story in STORIES)
