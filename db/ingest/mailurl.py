"""A mailbox to fetch, named by a URL: `imaps://user@host[:port]/Folder`, and its password.

`imaps` is IMAP over TLS (port 993). `imap` (port 143) upgrades with STARTTLS; only a server
on this machine (a local bridge, a test server) may be spoken to in plain text. The user may
keep its "@" unescaped (`imaps://support@acme.com@imap.acme.com/INBOX`); the folder defaults to
INBOX. A password never goes in the URL, which shows up in shell history and process lists:
it comes from `IMAP_PASSWORD`, else from the user's `~/.netrc` (`machine HOST login USER
password ...`, as curl and fetchmail read it), else from a prompt.
"""

from __future__ import annotations

import ipaddress
import netrc
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from db.errors import InvalidInput

PORTS = {"imaps": 993, "imap": 143}
SHAPE = "imaps://user@host/folder"


@dataclass(frozen=True, slots=True)
class MailboxUrl:
    """Where a mailbox is, and as whom to read it."""

    scheme: str
    host: str
    port: int
    user: str
    folder: str = "INBOX"

    @property
    def tls(self) -> bool:
        """Whether the connection is TLS from its first byte (imaps)."""
        return self.scheme == "imaps"

    @property
    def key(self) -> str:
        """Return the name its fetch progress is kept under: user@host[:port]/folder."""
        port = "" if self.port == PORTS[self.scheme] else f":{self.port}"
        return f"{self.user}@{self.host.lower()}{port}/{self.folder}"

    def __str__(self) -> str:
        port = "" if self.port == PORTS[self.scheme] else f":{self.port}"
        user = quote(self.user, safe="@")
        return f"{self.scheme}://{user}@{self.host}{port}/{quote(self.folder, safe='/')}"

    @property
    def local(self) -> bool:
        """Whether the server is on this machine (plain text is allowed only there)."""
        if self.host.lower() == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


def parse_mailbox_url(text: str) -> MailboxUrl:
    """Return the mailbox `text` names, or raise InvalidInput saying what is wrong."""
    parts = urlsplit(text.strip())
    if parts.scheme not in PORTS:
        raise InvalidInput(f"not a mailbox URL: {text!r} (expected {SHAPE})")
    if parts.password is not None:
        raise InvalidInput("put the password in IMAP_PASSWORD or ~/.netrc, not in the URL")
    if not parts.username or not parts.hostname:
        raise InvalidInput(f"a mailbox URL names a user and a host: {SHAPE}")
    try:
        port = parts.port or PORTS[parts.scheme]
    except ValueError:
        raise InvalidInput(f"not a port number in {text!r}") from None
    folder = unquote(parts.path.strip("/")) or "INBOX"
    if parts.query or parts.fragment or any(c in folder for c in "\r\n\0"):
        raise InvalidInput(f"not a mailbox URL: {text!r} (expected {SHAPE})")
    return MailboxUrl(parts.scheme, parts.hostname, port, unquote(parts.username), folder)


def password_for(
    url: MailboxUrl, *, environ: Mapping[str, str] = os.environ, netrc_file: Path | None = None
) -> str | None:
    """Return the password for `url` from IMAP_PASSWORD or ~/.netrc (None: ask for it)."""
    if environ.get("IMAP_PASSWORD"):
        return environ["IMAP_PASSWORD"]
    path = netrc_file or Path(environ.get("NETRC") or Path.home() / ".netrc")
    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(url.host)
    except (netrc.NetrcParseError, OSError) as e:
        raise InvalidInput(f"cannot read {path}: {e}") from None
    if entry is None or (entry[0] and entry[0] != url.user):
        return None
    return entry[2] or None
