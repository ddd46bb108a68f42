"""Restore reads the backup as a stream: flat memory, any table order, links within a table.

The refusals of a hand-edited backup through the CLI are in tests/test_cli_basics.py."""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from db import backup
from db.backup import export_all, import_all
from db.engine import make_engine
from db.errors import InvalidInput
from db.models import Item
from db.schema import ensure_current
from tests.conftest import clear_tables
from tests.factories import make_ceo, make_contact, make_message


@pytest.fixture
def fresh(db_url) -> Iterator[Engine]:
    """An engine on a separate database with the newest schema."""
    engine = make_engine(db_url)
    ensure_current(engine)
    yield engine
    engine.dispose()


def _exported(engine: Engine, tmp_path) -> dict:
    """Export the database, then empty it for the restore; return the backup's JSON."""
    export_all(engine, tmp_path / "backup.json")
    clear_tables(engine)
    return json.loads((tmp_path / "backup.json").read_text())


def _one_message(engine: Engine, tmp_path) -> dict:
    with Session(engine) as s:
        contact = make_contact(s, email="ada@example.org", display_name="Ada")
        make_message(s, external_id="m1@example.org", contact_id=contact.id)
    return _exported(engine, tmp_path)


def _items(engine: Engine, tmp_path, duplicate_of: list[int | None]) -> dict:
    """Back up one item per entry, item i a duplicate of item duplicate_of[i - 1]."""
    with Session(engine) as s:
        ceo = make_ceo(s)
        for n in range(1, len(duplicate_of) + 1):
            s.add(Item(id=n, title=f"Chargers blocked at site {n}", created_by_id=ceo.id))
        s.flush()
        for n, of in enumerate(duplicate_of, 1):
            s.get(Item, n).duplicate_of_id = of
        s.commit()
    return _exported(engine, tmp_path)


def _write(tmp_path, doc: dict) -> Path:
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(doc))
    return path


def _column(engine: Engine, query: str) -> list:
    with engine.connect() as conn:
        return list(conn.execute(sa.text(query)).scalars())


def test_restore_holds_a_chunk_of_rows_not_the_whole_backup(fresh, monkeypatch, tmp_path):
    doc = _one_message(fresh, tmp_path)
    row = doc["tables"]["message"][0]
    doc["tables"]["message"] = [
        {**row, "id": n, "external_id": f"m{n}@example.org", "body": f"{n} " + "x" * 2000}
        for n in range(1, 4001)
    ]
    path = _write(tmp_path, doc)
    del doc, row
    monkeypatch.setattr(backup, "IMPORT_CHUNK", 100)
    tracemalloc.start()
    try:
        counts = import_all(fresh, path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert counts["message"] == 4000
    assert _column(fresh, "SELECT body FROM message WHERE id = 4000") == ["4000 " + "x" * 2000]
    # json.load held the whole text and then some 3 times as much in objects: ~10 MB here
    assert peak < path.stat().st_size / 2, f"peak {peak:,} B for a {path.stat().st_size:,} B file"


def test_a_backup_listing_tables_and_keys_in_another_order_is_restored(fresh, tmp_path):
    doc = _one_message(fresh, tmp_path)
    # message before its contact, and "format" last
    doc = {"tables": dict(reversed(doc["tables"].items())), "format": doc["format"]}
    counts = import_all(fresh, _write(tmp_path, doc))
    assert (counts["contact"], counts["message"]) == (1, 1)
    query = "SELECT c.email FROM message m JOIN contact c ON c.id = m.contact_id"
    assert _column(fresh, query) == ["ada@example.org"]


def test_an_item_may_be_a_duplicate_of_a_later_one_in_another_chunk(fresh, monkeypatch, tmp_path):
    doc = _items(fresh, tmp_path, [3, 3, None])
    monkeypatch.setattr(backup, "IMPORT_CHUNK", 1)
    assert import_all(fresh, _write(tmp_path, doc))["item"] == 3
    assert _column(fresh, "SELECT duplicate_of_id FROM item ORDER BY id") == [3, 3, None]


def test_a_duplicate_of_no_item_is_refused_after_the_whole_table(fresh, monkeypatch, tmp_path):
    doc = _items(fresh, tmp_path, [None, None])
    doc["tables"]["item"][1]["duplicate_of_id"] = 99
    monkeypatch.setattr(backup, "IMPORT_CHUNK", 1)
    with pytest.raises(InvalidInput) as refused:
        import_all(fresh, _write(tmp_path, doc))
    assert (
        str(refused.value)
        == "table item, row 2: duplicate_of_id 99 refers to no item in the backup"
    )
    assert _column(fresh, "SELECT COUNT(*) FROM item") == [0]


def _cut_in_the_messages(text: str) -> str:
    return text[: text.index('"message": [') + 20]


def _listing_contact_twice(text: str) -> str:
    return text.replace('"tables": {', '"tables": {"contact": [], ', 1)


def _with_trailing_garbage(text: str) -> str:
    return text + "]"


def _with_a_latin1_name(text: str) -> str:
    return text.replace('"Ada"', '"Ad\u00e9"')  # written as latin-1 below: not UTF-8


def _with_another_format_last(text: str) -> str:
    doc = json.loads(text)
    return json.dumps({"tables": doc["tables"], "format": "feedbackloop-backup/2"})


@pytest.mark.parametrize(
    "edit, message",
    [
        (_cut_in_the_messages, "cannot read backup {path}: parse error: premature EOF"),
        (_listing_contact_twice, "{path}: table contact appears twice"),
        (_with_trailing_garbage, "cannot read backup {path}: parse error: trailing garbage"),
        (
            _with_a_latin1_name,
            "cannot read backup {path}: lexical error: invalid bytes in UTF8 string.",
        ),
        (_with_another_format_last, "{path} is not a Feedback Loop backup (feedbackloop-backup/1)"),
    ],
    ids=["truncated", "table-twice", "trailing-garbage", "not-utf8", "other-format-last"],
)
def test_a_broken_or_misshapen_file_is_refused_whole(fresh, tmp_path, edit, message):
    _one_message(fresh, tmp_path)
    path = tmp_path / "edited.json"
    path.write_bytes(edit((tmp_path / "backup.json").read_text()).encode("latin-1"))
    with pytest.raises(InvalidInput) as refused:
        import_all(fresh, path)
    assert str(refused.value) == message.format(path=path)
    # one transaction: the rows read before the fault (all of them, for trailing garbage) are gone
    assert _column(fresh, "SELECT COUNT(*) FROM contact") == [0]
