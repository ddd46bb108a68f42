"""Imports from the app: uploaded bytes are imported like files, by admins only, and audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from db.errors import PermissionDenied
from db.ingest.uploads import import_uploads
from db.models import Event, Message, Quarantine, Role
from tests.factories import NOW, make_ceo, make_user

DATA = Path(__file__).parent / "data" / "ingest"


def _upload(name: str) -> tuple[str, bytes]:
    return name, (DATA / name).read_bytes()


def test_an_admin_upload_imports_and_is_audited(engine, session):
    ada = make_user(session, email="ada@example.com", name="Ada", role=Role.ADMIN)
    files = [_upload("tweets_page.json"), _upload("email_plain.eml"), ("notes.txt", b"\x00\xff")]
    result = import_uploads(engine, files, actor=ada, now=NOW)
    stored = session.exec(select(Message.channel)).all()
    assert result.imported == len(stored) and {"tweet", "email"} <= set(stored)
    assert [name for name, _ in result.unreadable] == ["notes.txt"]  # not the temporary path
    event = session.exec(select(Event).where(Event.entity == "import")).one()
    assert (event.actor_id, event.action) == (ada.id, "imported")
    assert event.data["files"] == ["tweets_page.json", "email_plain.eml", "notes.txt"]
    assert (event.data["imported"], event.data["unreadable"]) == (result.imported, ["notes.txt"])


def test_a_second_upload_of_the_same_file_adds_nothing(engine, session):
    ada = make_user(session, email="ada@example.com", name="Ada", role=Role.ADMIN)
    first = import_uploads(engine, [_upload("tweets_page.json")], actor=ada, now=NOW)
    again = import_uploads(engine, [_upload("tweets_page.json")], actor=ada, now=NOW)
    assert first.imported > 0 and (again.imported, again.duplicates) == (0, first.imported)


def test_uploads_with_one_name_or_a_path_for_a_name_are_all_kept(engine, session):
    ada = make_user(session, email="ada@example.com", name="Ada", role=Role.ADMIN)
    a = b"external_id,channel,received_at,sender,body\nc1,email,2026-11-20T08:00:00Z,a@x.com,Bin\n"
    b = a.replace(b"c1,", b"c2,")
    files = [("mail.csv", a), ("../../etc/mail.csv", b), (".hidden", b"garbage")]
    result = import_uploads(engine, files, actor=ada, now=NOW)
    event = session.exec(select(Event).where(Event.entity == "import")).one()
    assert event.data["files"] == ["mail.csv", "2-mail.csv", "hidden"]
    assert (result.imported, result.rejected) == (2, 0)
    assert [name for name, _ in result.unreadable] == ["hidden"]
    sources = session.exec(select(Quarantine.source)).all()
    assert not any("etc" in Path(s).parts for s in sources)


def test_only_an_admin_may_import_from_the_app(engine, session):
    ceo = make_ceo(session)
    with pytest.raises(PermissionDenied, match="messages: import"):
        import_uploads(engine, [_upload("tweets.jsonl")], actor=ceo, now=NOW)
    assert session.exec(select(Message.id)).all() == []
