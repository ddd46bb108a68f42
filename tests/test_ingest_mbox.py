"""mbox splitting: the From_ lines of every common writer split messages; body lines starting
"From " that were never escaped (mboxo, Gmail Takeout, Thunderbird) stay in their message;
mboxrd escapes are undone; locators name the right message and line."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db.ingest.mbox import read_mbox
from db.ingest.records import Record, Rejected

MUTT = "From kim@example.com Mon Jan  1 00:00:00 2024"
SEPARATORS = {
    "python-mailbox": "From MAILER-DAEMON Thu Nov 19 08:00:00 2026",
    "mutt": MUTT,
    "procmail": "From kim@example.com  Mon Jan  1 00:00:00 2024",
    "thunderbird": "From - Sat Jan  3 10:00:00 2026",
    "thunderbird-zero-padded": "From - Sat Jan 03 10:00:00 2026",
    "thunderbird-year-first": "From - Sat Apr 12 2025 15:59:28",
    "gmail-takeout": "From 1787134567891234567@xxx Mon Jan 01 00:00:00 +0000 2024",
    "eudora": "From ???@??? Mon Jan 01 00:00:00 1997",
    "no-seconds": "From kim@example.com Mon Jan  1 00:00 2024",
    "two-zone-words": "From kim@example.fr Wed Aug  2 00:39:12 MET DST 1995",
    "zone-name": "From kim@example.com Tue Feb  1 00:00:00 PST 2000",
    "two-digit-year": "From kim@example.com Tue Feb  1 00:00:00 00",
    "pipermail": "From kim at example.com Mon Jan  1 00:00:00 2024",
    "quoted-sender": 'From "Kim Lee"@example.com Mon Jan  1 00:00:00 2024',
    "no-sender": "From Mon Jan  1 00:00:00 2024",
    "uucp": "From kim Wed Dec 31 19:00:00 1969 remote from gateway",
}
FIRST_HEADERS = {  # what each writer puts right after its From_ line
    "mutt": "Return-Path: <kim@example.com>",
    "gmail-takeout": "X-GM-THRID: 1787134567891234567",
    "thunderbird": "X-Mozilla-Status: 0001",
}
# Unescaped, as mboxo and many real exports leave them; the line after each is not a header.
UNESCAPED = (
    "Hello, the charger at Elm Street is dead again.\n"
    "From Sam: Mon Jan 5 at 9 the bay was blocked too.\n"
    "\n"
    "From what I can tell, the charger\n"
    "has been broken since Monday.\n"
    "\n"
    "From the status page:\n"
    "https://status.example.com/elm\n"
    "\n"
    "From 10 to 11 nobody answered:\n"
    "10:30 I gave up.\n"
    "\n"
    "From now on I'll shop elsewhere."
)


def make_mail(n: int, body: str, *, from_line: str = MUTT, first: str = FIRST_HEADERS["mutt"]):
    """Return message `n` as an mbox writer puts it, ending in a newline."""
    return (
        f"{from_line}\n{first}\nFrom: Kim Lee <kim@example.com>\nTo: support@acme.example\n"
        f"Subject: Charger {n}\nDate: Mon, 01 Jan 2024 00:00:00 +0000\n"
        f"Message-ID: <m{n}@example.com>\n\n{body}\n"
    )


def read(*mails: str, eol: str = "\n") -> list[Record | Rejected]:
    """Read mails joined the way writers join them (a blank line between) with `eol` endings."""
    data = "\n".join(mails).replace("\n", eol).encode()
    return list(read_mbox(io.BytesIO(data)))


def bodies(items: list[Record | Rejected]) -> dict[str, str]:
    rejected = [i for i in items if isinstance(i, Rejected)]
    assert rejected == []
    return {i.row["external_id"]: i.row["body"].replace("\r\n", "\n") for i in items}


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
@pytest.mark.parametrize("writer", sorted(FIRST_HEADERS))
def test_unescaped_body_lines_starting_from_stay_in_their_message(writer, eol):
    sep, first = SEPARATORS[writer], FIRST_HEADERS[writer]
    mails = [make_mail(n, UNESCAPED, from_line=sep, first=first) for n in (1, 2, 3)]
    assert bodies(read(*mails, eol=eol)) == {f"m{n}@example.com": UNESCAPED for n in (1, 2, 3)}


def test_a_from_sentence_on_the_last_line_of_the_file_stays_body():
    data = make_mail(1, "Thanks.\n\nFrom now on I'll shop elsewhere.").rstrip("\n").encode()
    [item] = read_mbox(io.BytesIO(data))
    assert item.row["body"] == "Thanks.\n\nFrom now on I'll shop elsewhere."


@pytest.mark.parametrize("sep", SEPARATORS.values(), ids=SEPARATORS.keys())
def test_real_from_lines_of_each_writer_split(sep):
    items = read(make_mail(1, UNESCAPED), make_mail(2, "Bins again.", from_line=sep))
    assert bodies(items) == {"m1@example.com": UNESCAPED, "m2@example.com": "Bins again."}
    assert items[1].locator == "message 2 (line 23)"  # message 1 is 21 lines, then a blank


@pytest.mark.parametrize("sep", SEPARATORS.values(), ids=SEPARATORS.keys())
def test_real_from_lines_split_without_a_blank_line_before_them(sep):
    data = make_mail(1, "Bins again.") + make_mail(2, "Charged twice.", from_line=sep)
    items = list(read_mbox(io.BytesIO(data.encode())))
    assert bodies(items) == {"m1@example.com": "Bins again.", "m2@example.com": "Charged twice."}


def test_a_real_from_line_splits_even_before_a_message_that_is_not_email():
    garbage = "\x89PNG garbage, not an email"
    items = read(make_mail(1, UNESCAPED), f"{SEPARATORS['gmail-takeout']}\n{garbage}\n")
    assert items[0].row["body"] == UNESCAPED
    assert isinstance(items[1], Rejected) and items[1].locator == "message 2 (line 23)"


@pytest.mark.parametrize(
    "odd",
    [
        "From ",  # Pony Mail, and Thunderbird when it lacks the delivery date
        "From - ",
        "From kim@example.com Sat, 03 Jan 2026 10:00:00 +0000",  # an RFC 5322 date
        "From kim@example.com 2026-01-03T10:00:00Z",
    ],
)
def test_an_odd_from_line_splits_when_a_header_follows_and_is_body_otherwise(odd):
    split = read(make_mail(1, UNESCAPED), make_mail(2, "Bins again.", from_line=odd))
    assert bodies(split) == {"m1@example.com": UNESCAPED, "m2@example.com": "Bins again."}
    body = f"Thanks.\n\n{odd}\nis what the bill says."
    assert bodies(read(make_mail(1, body))) == {"m1@example.com": body}


def test_mboxrd_escaped_from_lines_are_unescaped_next_to_unescaped_ones():
    escaped = ">From now on I will park elsewhere.\n>>From the archive, quoted.\n\n"
    items = read(make_mail(1, escaped + UNESCAPED), make_mail(2, ">From the start."))
    assert bodies(items) == {
        "m1@example.com": "From now on I will park elsewhere.\n>From the archive, quoted.\n\n"
        + UNESCAPED,
        "m2@example.com": "From the start.",
    }


def test_locators_count_messages_and_lines_past_unescaped_from_lines():
    broken = f"{SEPARATORS['python-mailbox']}\n\x89PNG not an email\n"
    items = read(make_mail(1, UNESCAPED), broken, make_mail(3, UNESCAPED), make_mail(4, "Ok."))
    assert [(type(i).__name__, i.locator) for i in items] == [
        ("Record", "message 1 (line 1)"),
        ("Rejected", "message 2 (line 23)"),
        ("Record", "message 3 (line 26)"),
        ("Record", "message 4 (line 48)"),
    ]


WORDS = ["From", "from", "now", "on", "what", "I", "can", "tell", "Mon", "Jan", "the", "bay", ">"]
sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)
paragraph = st.lists(st.one_of(sentence, sentence.map("From {}".format)), min_size=1, max_size=4)
body = st.lists(paragraph.map("\n".join), min_size=1, max_size=4).map("\n\n".join)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(body, min_size=1, max_size=4),
    st.sampled_from(list(SEPARATORS.values())),
    st.sampled_from(["\n", "\r\n"]),
)
def test_any_prose_bodies_come_back_whole_from_any_writer(texts, sep, eol):
    mails = [make_mail(n, text, from_line=sep) for n, text in enumerate(texts, 1)]
    expected = {f"m{n}@example.com": text for n, text in enumerate(texts, 1)}
    assert bodies(read(*mails, eol=eol)) == expected
