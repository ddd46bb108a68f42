"""What customer text may become in an e-mail header: one line, and exactly one address.

Subjects, names and addresses arrive from customers' mail and files, and some are later put
into the headers of e-mail we send (a forward's subject, a reply's To). A line break cannot be
sent in a header, and a second address would add a recipient, so both rules are applied where
the text comes in (`db.ingest`) and again where an e-mail is queued and built (`db.notify`,
`db.smtp`).
"""

from __future__ import annotations

import re
from email.utils import getaddresses

# one plain address: no spaces, separators, brackets or quotes on either side of one '@'
_ADDRESS = re.compile(r"[^@\s,;:<>()\[\]\\\"]+@[^@\s,;:<>()\[\]\\\"]+")
_HANDLE = re.compile(r"[^@\s,;:<>()\[\]\\\"]+(?:@[^@\s,;:<>()\[\]\\\"]+)?")  # or user@instance


def one_line(text: str | None) -> str | None:
    """Return `text` with every run of whitespace, line breaks included, as one space."""
    return None if text is None else " ".join(text.split())


def single_address(text: str) -> str | None:
    """Return the one e-mail address `text` holds ('Pat <pat@example.net>' is fine), or None
    if it holds none, several, or a line break."""
    pairs = getaddresses([text]) if text.splitlines() == [text] else []
    return pairs[0][1] if len(pairs) == 1 and _ADDRESS.fullmatch(pairs[0][1]) else None


def is_handle(text: str) -> bool:
    """Return whether `text` (without its '@') is one social handle."""
    return bool(_HANDLE.fullmatch(text))
