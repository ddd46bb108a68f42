"""Fetching mail from a real IMAP server (Dovecot): new mail only, nothing changed on the
server, a fetch cut short completes next time, bad mail quarantined by UID, the CLI and the
worker."""

from __future__ import annotations

import io
import socket
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from imapclient import IMAPClient
from rich.console import Console
from typer.testing import CliRunner

from db.cli import app
from db.ingest import imapread
from db.ingest.mailbox import MailboxError, fetch_mail, fetch_mailbox
from db.ingest.mailurl import parse_mailbox_url
from db.models import Mailbox, Message, Quarantine
from db.worker import run_worker
from tests.factories import NOW
from tests.imapserver import PASSWORD, USER, Dovecot


@pytest.fixture(scope="module")
def server():
    dovecot = Dovecot().start()
    yield dovecot
    dovecot.stop()


@pytest.fixture
def folder(server, request):
    """A fresh folder on the server for each test, named after it; deleted afterwards."""
    name = request.node.name.replace("[", "_").replace("]", "")[:60]
    with server.client() as client:
        client.create_folder(name)
    yield name
    with server.client() as client:
        client.delete_folder(name)


@pytest.fixture
def eng(engine, session):
    """The test database, emptied after the test (by the session fixture)."""
    return engine


def mail(n: int, *, subject: str = "My charger is broken", date: bool = True) -> bytes:
    dated = f"Date: Fri, 20 Nov 2026 0{n % 10}:00:00 +0000\r\n" if date else ""
    return (
        f"From: Customer {n} <c{n}@example.com>\r\nTo: support@acme.test\r\n"
        f"Subject: {subject} ({n})\r\nMessage-ID: <m{n}@example.com>\r\n{dated}\r\n"
        f"It stopped working on day {n}. Please help.\r\n"
    ).encode()


def fill(server, folder: str, messages: list[bytes]) -> None:
    with server.client() as client:
        for raw in messages:
            client.append(folder, raw, msg_time=datetime(2026, 11, 19, 8, 30, tzinfo=UTC))


def fetch(eng, server, folder: str, **kw):
    url = parse_mailbox_url(server.url(folder))
    return fetch_mail(eng, url, password=PASSWORD, now=NOW, console=_quiet(), **kw)


def _quiet() -> Console:
    return Console(file=io.StringIO())


def stored(eng) -> dict[str, Message]:
    with eng.connect() as conn:
        rows = conn.execute(sa.select(Message.__table__)).mappings()
        return {r["external_id"]: r for r in rows}


def cursor(eng):
    with eng.connect() as conn:
        return conn.execute(sa.select(Mailbox.__table__)).mappings().one()


def test_first_fetch_imports_the_folder_and_quarantines_what_is_not_mail(eng, server, folder):
    fill(server, folder, [mail(1), mail(2), b"binary \xfe\xff garbage, no headers", mail(3)])
    result = fetch(eng, server, folder)
    assert (result.imported, result.duplicates, result.rejected, result.error) == (3, 0, 1, None)
    assert set(stored(eng)) == {"m1@example.com", "m2@example.com", "m3@example.com"}
    with eng.connect() as conn:
        [bad] = conn.execute(sa.select(Quarantine.__table__)).mappings()
    assert bad["locator"] == "uid 3" and bad["raw"].startswith(b"binary \xfe\xff")
    assert bad["source"] == server.url(folder) and "no header lines" in bad["reason"]
    state = cursor(eng)
    assert (state["key"], state["last_uid"], state["fetched"]) == (
        f"{USER}@127.0.0.1:{server.port}/{folder}", 4, 4)  # fmt: skip


def test_fetching_leaves_every_message_unread_on_the_server(eng, server, folder):
    fill(server, folder, [mail(1), mail(2)])
    fetch(eng, server, folder)
    with server.client() as client:
        client.select_folder(folder, readonly=True)
        flags = client.get_flags(client.search(["ALL"]))
    assert len(flags) == 2 and all(b"\\Seen" not in f for f in flags.values())


def test_a_second_fetch_reads_only_the_new_mail(eng, server, folder):
    fill(server, folder, [mail(1), mail(2)])
    fetch(eng, server, folder)
    fill(server, folder, [mail(3)])
    result = fetch(eng, server, folder)
    assert (result.imported, result.duplicates) == (1, 0)  # 1 and 2 were not read again
    assert fetch(eng, server, folder).imported == 0
    assert (cursor(eng)["last_uid"], cursor(eng)["fetched"]) == (3, 3)


def test_fetch_all_reads_the_folder_again_without_doubling_anything(eng, server, folder):
    fill(server, folder, [mail(1), mail(2)])
    fetch(eng, server, folder)
    result = fetch(eng, server, folder, everything=True)
    assert (result.imported, result.duplicates) == (0, 2)
    assert len(stored(eng)) == 2


def test_a_renumbered_folder_is_read_again_from_the_start(eng, server, folder):
    fill(server, folder, [mail(1), mail(2)])
    fetch(eng, server, folder)
    with server.client() as client:  # recreated: a new UIDVALIDITY, UIDs from 1 again
        client.delete_folder(folder)
        client.create_folder(folder)
    fill(server, folder, [mail(1), mail(2), mail(3)])
    result = fetch(eng, server, folder)
    assert (result.imported, result.duplicates) == (1, 2)
    assert cursor(eng)["last_uid"] == 3


def test_mail_without_a_date_is_dated_by_its_arrival_on_the_server(eng, server, folder):
    fill(server, folder, [mail(7, date=False)])
    fetch(eng, server, folder)
    assert stored(eng)["m7@example.com"]["received_at"] == datetime(2026, 11, 19, 8, 30, tzinfo=UTC)


def test_large_mail_is_fetched_in_groups_of_bounded_size(eng, server, folder, monkeypatch):
    big = b"x" * 40_000
    fill(server, folder, [mail(n).replace(b"Please help.", big) for n in range(5)])
    monkeypatch.setattr(imapread, "GROUP_BYTES", 100_000)  # two such messages a FETCH
    asked: list[int] = []
    real = IMAPClient.fetch

    def counting(self, uids, data, *a, **kw):
        if "BODY.PEEK[]" in data:
            asked.append(len(uids))
        return real(self, uids, data, *a, **kw)

    monkeypatch.setattr(IMAPClient, "fetch", counting)
    assert fetch(eng, server, folder).imported == 5
    assert asked == [2, 2, 1]


def drop_connection(monkeypatch, *, on: int, error: Exception):
    """Fetch two messages a FETCH, and fail the `on`-th fetch of message bodies with `error`,
    as a server that goes away would; return the real `IMAPClient.fetch`."""
    monkeypatch.setattr(imapread, "GROUP_MESSAGES", 2)
    real, calls = IMAPClient.fetch, []

    def dropping(self, uids, data, *a, **kw):
        if "BODY.PEEK[]" in data:
            calls.append(uids)
            if len(calls) == on:
                raise error
        return real(self, uids, data, *a, **kw)

    monkeypatch.setattr(IMAPClient, "fetch", dropping)
    return real


def test_a_fetch_cut_short_keeps_what_it_committed_and_completes_next_time(
    eng, server, folder, monkeypatch
):
    fill(server, folder, [mail(n) for n in range(1, 8)])
    real = drop_connection(monkeypatch, on=3, error=OSError("connection reset by peer"))
    url = parse_mailbox_url(server.url(folder))
    with server.client() as client:
        client.select_folder(folder)
        cut = fetch_mailbox(eng, url, client, now=NOW, console=_quiet(), batch_size=2)
    assert cut.error == f"{url}: connection reset by peer"
    assert cut.imported == 4 and len(stored(eng)) == 4
    assert (cursor(eng)["last_uid"], cursor(eng)["last_error"]) == (4, "connection reset by peer")
    monkeypatch.setattr(IMAPClient, "fetch", real)
    rest = fetch(eng, server, folder)
    assert (rest.imported, rest.duplicates, rest.error) == (3, 0, None)
    assert len(stored(eng)) == 7 and cursor(eng)["last_error"] is None


def test_mail_read_before_the_connection_dropped_is_kept_and_not_read_again(
    eng, server, folder, monkeypatch
):
    fill(server, folder, [mail(n) for n in range(1, 6)])
    real = drop_connection(monkeypatch, on=2, error=TimeoutError())
    cut = fetch(eng, server, folder)  # one batch: nothing was committed before the drop
    assert (cut.imported, cut.error) == (2, f"{server.url(folder)}: no answer (timed out)")
    assert cursor(eng)["last_uid"] == 2
    monkeypatch.setattr(IMAPClient, "fetch", real)
    rest = fetch(eng, server, folder)
    assert (rest.imported, rest.duplicates) == (3, 0)


def test_a_wrong_password_or_folder_is_one_clear_error(eng, server, folder):
    url = parse_mailbox_url(server.url(folder))
    with pytest.raises(MailboxError, match="AUTHENTICATIONFAILED"):
        fetch_mail(eng, url, password="guess", now=NOW, console=_quiet())
    with pytest.raises(MailboxError, match="Mailbox doesn't exist: Nope"):
        fetch(eng, server, "Nope")
    with eng.connect() as conn:
        noted = dict(conn.execute(sa.select(Mailbox.key, Mailbox.last_error)).all())
    assert "AUTHENTICATIONFAILED" in noted[url.key]  # shown to the admin
    assert "Mailbox doesn't exist" in noted[f"{USER}@127.0.0.1:{server.port}/Nope"]
    with pytest.raises(MailboxError, match="cannot connect to 127.0.0.1:1: .*refused"):
        fetch_mail(eng, parse_mailbox_url(f"imap://{USER}@127.0.0.1:1/INBOX"),
                   password=PASSWORD, now=NOW, console=_quiet())  # fmt: skip


def test_cli_fetch_prints_the_counts_and_exit_codes(db_url, server, folder, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("IMAP_PASSWORD", PASSWORD)
    fill(server, folder, [mail(1), mail(2)])
    runner = CliRunner()
    first = runner.invoke(app, ["fetch", server.url(folder)])
    assert first.exit_code == 0, first.output
    assert f"{server.url(folder)}: imported 2, duplicates 0, rejected 0" in first.output
    fill(server, folder, [b"not mail"])
    assert runner.invoke(app, ["fetch", server.url(folder)]).exit_code == 1  # one rejected
    down = runner.invoke(app, ["fetch", f"imap://{USER}@127.0.0.1:1/INBOX", server.url(folder)])
    assert down.exit_code == 2 and "cannot connect to 127.0.0.1:1" in down.output
    assert f"{server.url(folder)}: imported 0" in down.output  # the other mailbox still ran


def test_cli_fetch_without_a_password_says_how_to_give_one(eng, server, monkeypatch, tmp_path):
    monkeypatch.delenv("IMAP_PASSWORD", raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "none"))
    result = CliRunner().invoke(app, ["fetch", server.url()])
    assert result.exit_code == 2
    assert f"no password for {USER} at 127.0.0.1: set IMAP_PASSWORD" in result.output


def test_the_worker_fetches_each_round_and_a_mailbox_down_holds_nothing_up(
    eng, server, folder, monkeypatch
):
    fill(server, folder, [mail(1)])
    up = (parse_mailbox_url(server.url(folder)), PASSWORD)
    down = (parse_mailbox_url(f"imap://{USER}@127.0.0.1:1/INBOX"), PASSWORD)
    said = io.StringIO()
    console = Console(file=said, width=400)
    run_worker(eng, once=True, interval=1, console=console, mailboxes=[down, up])
    assert set(stored(eng)) == {"m1@example.com"}
    text = said.getvalue()
    assert "fetch failed, retrying next round: cannot connect to 127.0.0.1:1" in text
    assert f"{server.url(folder)}: imported 1, rejected 0" in text
    assert "sent 0" in text  # and the outbox round ran after both


@pytest.fixture(scope="module")
def tls_server():
    dovecot = Dovecot(tls=True).start()
    with dovecot.client() as client:
        client.append("INBOX", mail(1))
    yield dovecot
    dovecot.stop()


def test_imaps_refuses_a_certificate_it_cannot_trust(eng, tls_server, monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    url = parse_mailbox_url(f"imaps://{USER}@localhost:{tls_server.tls_port}/INBOX")
    with pytest.raises(MailboxError, match=r"localhost:\d+: .*certificate not trusted"):
        fetch_mail(eng, url, password=PASSWORD, now=NOW, console=_quiet())
    assert stored(eng) == {}


@pytest.mark.parametrize("scheme", ["imaps", "imap"])  # TLS from the start, or STARTTLS
def test_mail_is_fetched_over_tls_from_a_trusted_server(eng, tls_server, monkeypatch, scheme):
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_server.ca_file))
    port = tls_server.tls_port if scheme == "imaps" else tls_server.port
    url = parse_mailbox_url(f"{scheme}://{USER}@localhost:{port}/INBOX")
    assert fetch_mail(eng, url, password=PASSWORD, now=NOW, console=_quiet()).imported == 1


def _outward_address() -> str | None:
    """Return this machine's address on its network (not loopback), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the route
        except OSError:
            return None
        address = s.getsockname()[0]
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_a_password_is_never_sent_in_plain_text_to_another_machine(eng):
    address = _outward_address()
    if address is None:
        pytest.skip("this machine has no network address besides loopback")
    plain = Dovecot(listen=address).start()  # no TLS at all, reachable beyond this machine
    try:
        url = parse_mailbox_url(f"imap://{USER}@{address}:{plain.port}/INBOX")
        with pytest.raises(MailboxError, match="offers no STARTTLS; use imaps://"):
            fetch_mail(eng, url, password=PASSWORD, now=NOW, console=_quiet())
        log = (plain.folder / "dovecot.log").read_text()
        assert "method=PLAIN" not in log and "Login: user=" not in log
    finally:
        plain.stop()
