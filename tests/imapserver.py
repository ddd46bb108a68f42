"""A real IMAP server for tests: Debian's Dovecot, run by the test in a folder of its own.

Each `Dovecot` listens on free loopback ports with its own configuration, users (passwd-file)
and maildirs, and stops when the test module is done. With `tls=True` it also serves IMAPS and
STARTTLS with a certificate made for the test (`ca_file`, to trust it; it is self-signed).
Without Dovecot installed the tests are skipped with a reason, except where FL_REQUIRE_IMAP=1
(CI), where that is a failure.
"""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from imapclient import IMAPClient

from tests.mailsink import free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "support@acme.test", "s3cret-Imap"


def require_dovecot() -> None:
    """Skip the test (fail it in CI) when Dovecot is not installed."""
    if not Path(DOVECOT).exists():
        reason = "Dovecot not found (apt-get install dovecot-imapd)"
        if os.environ.get("FL_REQUIRE_IMAP") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


class Dovecot:
    """One Dovecot instance: `port` (plain IMAP, STARTTLS when `tls`) and `tls_port` (IMAPS)."""

    def __init__(self, *, tls: bool = False, listen: str = "127.0.0.1") -> None:
        # not under pytest's tmp_path: its folders are 0700, and Dovecot's processes run as
        # an unprivileged user who must reach the password file and the maildirs
        self.folder = Path(tempfile.mkdtemp(prefix="fl-dovecot-"))
        self.folder.chmod(0o755)
        self.tls, self.listen = tls, listen
        self.port, self.tls_port = free_port(), free_port() if tls else 0
        self.ca_file = self.folder / "cert.pem"
        self._process: subprocess.Popen | None = None

    def start(self) -> Dovecot:
        """Write the configuration, start the server and wait until it answers."""
        require_dovecot()
        for sub in ("run", "state", "mail"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        (self.folder / "mail").chmod(0o777)  # the mail processes run as an unprivileged user
        (self.folder / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        if self.tls:
            self._certificate()
        (self.folder / "dovecot.conf").write_text(self._config())
        log = (self.folder / "dovecot.log").open("ab")
        self._process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.folder / "dovecot.conf")], stdout=log, stderr=log
        )
        self._wait_for(self.port)
        if self.tls:
            self._wait_for(self.tls_port)
        return self

    def stop(self) -> None:
        """Stop the server and its processes."""
        if self._process is not None:
            self._process.terminate()
            self._process.wait(10)
            self._process = None
        shutil.rmtree(self.folder, ignore_errors=True)

    def client(self) -> IMAPClient:
        """Return a plain-text client signed in as the test user (to fill the mailbox)."""
        client = IMAPClient(self.host, self.port, ssl=False, timeout=10)
        client.login(USER, PASSWORD)
        return client

    @property
    def host(self) -> str:
        """Return the address it is reached at."""
        return self.listen

    def url(self, folder: str = "INBOX", *, host: str = "127.0.0.1") -> str:
        """Return the mailbox URL of `folder` on the plain (or STARTTLS) port."""
        return f"imap://{USER}@{host}:{self.port}/{folder}"

    def _wait_for(self, port: int) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                log = (self.folder / "dovecot.log").read_text(errors="replace")
                raise RuntimeError(f"dovecot exited: {log[-2000:]}")
            with socket.socket() as s:
                if s.connect_ex((self.host, port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"dovecot did not listen on {port}")

    def _certificate(self) -> None:
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
             "-keyout", str(self.folder / "key.pem"), "-out", str(self.ca_file)],
            check=True, capture_output=True,
        )  # fmt: skip

    def _config(self) -> str:
        root = os.geteuid() == 0
        user = "nobody" if root else getpass.getuser()
        group = "nogroup" if root else f"#{os.getegid()}"
        ids = "uid=nobody gid=nogroup" if root else f"uid={os.geteuid()} gid={os.getegid()}"
        f = self.folder
        ssl = (
            f"ssl = yes\nssl_cert = <{f / 'cert.pem'}\nssl_key = <{f / 'key.pem'}\n"
            if self.tls
            else "ssl = no\n"
        )
        return f"""base_dir = {f / "run"}
state_dir = {f / "state"}
listen = {self.listen}
protocols = imap
{ssl}disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = {f / "dovecot.log"}
default_internal_user = {user}
default_login_user = {user}
default_internal_group = {group}
first_valid_uid = 0
mail_location = maildir:{f / "mail"}/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {f / "passwd"}
}}
userdb {{
  driver = static
  args = {ids} home={f / "mail"}/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = {self.port}
  }}
  inet_listener imaps {{
    port = {self.tls_port}
  }}
}}
service anvil {{
  chroot =
}}
"""
