"""A real SMTP server for tests: aiosmtpd on a loopback port, collecting what arrives."""

from __future__ import annotations

import email
import socket
import threading
from email import policy
from email.message import Message

from aiosmtpd.controller import Controller

from db.smtp import SmtpSettings


def free_port() -> int:
    """Return a TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailSink:
    """Collects messages; can go down after the n-th message, like a server that crashes."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.messages: list[Message] = []
        self.stop_after: int | None = None
        self.refuse: set[str] = set()
        self._down = threading.Event()
        self._controller: Controller | None = None
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd API)
        if self._down.is_set():
            # the crash: refuse the message in flight, then go away entirely
            threading.Thread(target=self.stop, daemon=True).start()
            return "421 Service not available, closing transmission channel"
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=policy.default)
        )
        if self.stop_after is not None and len(self.messages) >= self.stop_after:
            self._down.set()
        return "250 OK"

    def settings(self) -> SmtpSettings:
        """Return the SMTP settings that send to this server."""
        return SmtpSettings(host="127.0.0.1", port=self.port, sender="loop@co.test", timeout=5)

    def start(self) -> MailSink:
        """Start (or restart) the server on the same port."""
        self._down.clear()
        self.stop_after = None
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        """Stop the server; later connections are refused."""
        with self._lock:
            controller, self._controller = self._controller, None
            if controller is not None:
                controller.stop()

    def message_ids(self) -> list[str]:
        """Return the Message-ID header of every message received, in order."""
        return [m["Message-ID"] for m in self.messages]

    def env(self) -> dict[str, str]:
        """Return SMTP_* environment variables pointing at this server."""
        return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(self.port), "SMTP_FROM": "loop@co.test"}
