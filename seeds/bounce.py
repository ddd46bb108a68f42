"""The demo's bounce: a delivery status notification (RFC 3464, `multipart/report`), built by
hand because the stdlib has no writer for `message/delivery-status` parts.

Voltra Charge replied to a customer at a mistyped address; the mail server reports it back.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import format_datetime

_TEMPLATE = """\
Return-Path: <>
From: Mail Delivery System <MAILER-DAEMON@mx1.voltra.example>
To: {to}
Subject: Undelivered Mail Returned to Sender
Date: {date}
Message-ID: <dsn.7c41e09b22f5a6d3@mx1.voltra.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
 boundary="=_dsn_5f3a9c"

This is a MIME-encapsulated message.

--=_dsn_5f3a9c
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx1.voltra.example.

I'm sorry to have to inform you that your message could not be delivered to one or more
recipients.

<a.fenwick@exmaple.org>: host mx.exmaple.org[192.0.2.44] said: 550 5.1.1 <a.fenwick@exmaple.org>:
    Recipient address rejected: User unknown

--=_dsn_5f3a9c
Content-Type: message/delivery-status

Reporting-MTA: dns; mx1.voltra.example
Arrival-Date: {sent}

Final-Recipient: rfc822; a.fenwick@exmaple.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 Recipient address rejected: User unknown

--=_dsn_5f3a9c
Content-Type: text/rfc822-headers

From: Voltra Charge <charging@voltra.example>
To: Alistair Fenwick <a.fenwick@exmaple.org>
Subject: Re: Fully charged cars left on the stalls at Brackley
Date: {sent}
In-Reply-To: {in_reply_to}
Message-ID: <reply.2b9d0e4471ac@voltra.example>

--=_dsn_5f3a9c--
"""


def bounce_bytes(at: datetime, in_reply_to: str, to: str) -> bytes:
    """Return the bounce of a reply sent at `at - 1 minute` to the message `in_reply_to`."""
    text = _TEMPLATE.format(
        to=to,
        date=format_datetime(at),
        sent=format_datetime(at - timedelta(minutes=1)),
        in_reply_to=in_reply_to,
    )
    return text.encode("ascii")
