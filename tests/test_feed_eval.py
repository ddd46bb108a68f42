"""The feed ranks labelled days it was never tuned on: precision@10 and incident recall@10 >= 0.8.

Each day in tests/data/feed/ is a different business (an internet provider, a food-delivery app,
an airline), imported through the real ingest pipeline from X API JSON and an mbox, with a CEO's
labels: which messages are notable and which incident each belongs to.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, SQLModel

from db.engine import make_engine
from db.ingest.pipeline import ingest_paths
from db.models import Setting
from db.queries import morning_feed

DATA = Path(__file__).parent / "data" / "feed"
DAYS = sorted(p.name for p in DATA.glob("day[0-9]_*"))
TOP = 10


def _load_day(url: str, folder: Path) -> tuple[list, dict]:
    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    with Session(engine) as s:
        for key, value in json.loads((folder / "settings.json").read_text()).items():
            s.add(Setting(key=key, value=value))
        s.commit()
    first = json.loads((folder / "tweets.json").read_text())["data"][0]["created_at"]
    day = date.fromisoformat(first[:10])
    now = datetime.combine(day + timedelta(days=1), time(7), tzinfo=UTC)
    result = ingest_paths(engine, [folder / "tweets.json", folder / "mail.mbox"], now=now)
    assert result.rejected == 0
    with Session(engine) as s:
        cards = morning_feed(s, day=day, limit=TOP, now=now)
    engine.dispose()
    return cards, json.loads((folder / "labels.json").read_text())


def metrics(cards: list, labels: dict) -> tuple[float, float, set[str]]:
    """Return precision@10, incident recall@10 and the incidents missed."""
    incidents = {v["incident"] for v in labels.values() if v["notable"]}
    found: set[str] = set()
    notable_cards = 0
    for card in cards[:TOP]:
        hit = {labels[i]["incident"] for i in card.message_ids if labels.get(i, {}).get("notable")}
        notable_cards += bool(hit)
        found |= hit
    return notable_cards / max(1, len(cards[:TOP])), len(found) / len(incidents), incidents - found


def test_every_day_has_enough_messages_and_incidents():
    assert len(DAYS) >= 3
    for name in DAYS:
        labels = json.loads((DATA / name / "labels.json").read_text())
        incidents = {v["incident"] for v in labels.values() if v["notable"]}
        assert 80 <= len(labels) <= 150 and len(incidents) >= 8


@pytest.mark.parametrize("name", DAYS)
def test_labelled_day_ranks_notable_incidents_in_the_top_ten(name, db_url):
    cards, labels = _load_day(db_url, DATA / name)
    precision, recall, missed = metrics(cards, labels)
    print(f"{name}: precision@10 {precision:.2f}, incident recall@10 {recall:.2f}, missed {missed}")
    assert len(cards) == TOP
    assert precision >= 0.8, f"precision@10 {precision:.2f}"
    assert recall >= 0.8, f"incident recall@10 {recall:.2f}; missed {sorted(missed)}"
