"""Mailbox URLs and where their passwords come from (no server needed)."""

from __future__ import annotations

import pytest

from db.errors import InvalidInput
from db.ingest.mailurl import parse_mailbox_url, password_for


def test_a_mailbox_url_names_user_host_port_and_folder():
    url = parse_mailbox_url("imaps://support@acme.com@imap.acme.com/Support/Complaints")
    assert (url.scheme, url.host, url.port, url.user, url.folder) == (
        "imaps", "imap.acme.com", 993, "support@acme.com", "Support/Complaints")  # fmt: skip
    assert url.tls and not url.local
    assert url.key == "support@acme.com@imap.acme.com/Support/Complaints"


def test_the_folder_defaults_to_the_inbox_and_escapes_are_read():
    url = parse_mailbox_url("imap://care%40acme.com@localhost:1143")
    assert (url.user, url.port, url.folder, url.tls, url.local) == (
        "care@acme.com", 1143, "INBOX", False, True)  # fmt: skip
    assert str(url) == "imap://care@acme.com@localhost:1143/INBOX"
    assert parse_mailbox_url("imap://u@127.0.0.1/Caf%C3%A9").folder == "Café"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("https://imap.acme.com/INBOX", "not a mailbox URL"),
        ("imaps://imap.acme.com/INBOX", "names a user and a host"),
        ("imaps://support:hunter2@imap.acme.com/INBOX", "not in the URL"),
        ("imaps://support@imap.acme.com:99999/INBOX", "not a port number"),
        ("imaps://support@imap.acme.com/INBOX?x=1", "not a mailbox URL"),
        ("imaps://support@imap.acme.com/IN%0ABOX", "not a mailbox URL"),
    ],
)
def test_a_malformed_mailbox_url_is_one_clear_error(text, says):
    with pytest.raises(InvalidInput, match=says):
        parse_mailbox_url(text)


def test_the_password_comes_from_the_environment_first_then_netrc(tmp_path):
    url = parse_mailbox_url("imaps://support@acme.com@imap.acme.com/INBOX")
    netrc = tmp_path / "netrc"
    netrc.write_text("machine imap.acme.com login support@acme.com password from-netrc\n")
    netrc.chmod(0o600)
    assert password_for(url, environ={"IMAP_PASSWORD": "from-env"}, netrc_file=netrc) == "from-env"
    assert password_for(url, environ={}, netrc_file=netrc) == "from-netrc"
    other = parse_mailbox_url("imaps://sales@acme.com@imap.acme.com/INBOX")
    assert password_for(other, environ={}, netrc_file=netrc) is None  # another login's
    assert password_for(url, environ={}, netrc_file=tmp_path / "missing") is None


def test_an_unreadable_netrc_is_one_clear_error(tmp_path):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine imap.acme.com login support@acme.com password x junk\n")
    url = parse_mailbox_url("imaps://support@acme.com@imap.acme.com/INBOX")
    with pytest.raises(InvalidInput, match="cannot read .*netrc"):
        password_for(url, environ={}, netrc_file=netrc)
