"""CSV rows that real exports get wrong: broken quotes, Excel encodings and separators, empty
messages, and where in the file a rejected row is."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from db.ingest import csvfile, csvlines
from db.ingest.csvfile import read_csv
from db.ingest.pipeline import ingest_paths
from db.ingest.records import Record, Rejected
from db.models import Contact, Message, Quarantine
from tests.factories import NOW

HEADER = "channel,received_at,sender,body\n"
CHARGER = "Ladegerät kaputt – schlimm"


def read(data: bytes) -> list[Record | Rejected]:
    return list(read_csv(io.BytesIO(data)))


def valid_rows(count: int, sep: str = ",") -> str:
    return "".join(
        sep.join(["email", f"2026-11-20T09:{i:02d}:00Z", f"c{i}@cust.example", f"message {i}"])
        + "\n"
        for i in range(count)
    )


def bodies(items) -> list[str]:
    return [i.row["body"] for i in items if isinstance(i, Record)]


def rejects(items) -> list[tuple[str, str]]:
    return [(i.locator, i.reason) for i in items if isinstance(i, Rejected)]


@pytest.fixture
def eng(engine, session):
    """The test database, emptied after the test (by the session fixture)."""
    return engine


def stored(engine, table) -> list[dict]:
    with engine.connect() as conn:
        query = sa.select(table).order_by(table.c.id)
        return [dict(r) for r in conn.execute(query).mappings()]


# 1. a quote that is never closed


def test_unclosed_quote_is_rejected_and_the_rows_after_it_import(eng, tmp_path):
    broken = 'email,2026-11-20T08:01:00Z,b@x.example,"Quote never closed… the rest\n'
    path = tmp_path / "export.csv"
    path.write_text(HEADER + broken + valid_rows(50), encoding="utf-8")
    result = ingest_paths(eng, [path], now=NOW)
    assert (result.imported, result.rejected) == (50, 1)
    messages = stored(eng, Message.__table__)
    assert [m["body"] for m in messages] == [f"message {i}" for i in range(50)]
    [bad] = stored(eng, Quarantine.__table__)
    assert (bad["locator"], bad["reason"]) == ("line 2 (row 2)", "a quoted field is never closed")
    assert bad["raw"] == broken.encode("utf-8")


def test_unclosed_quote_paired_with_a_later_quote_does_not_swallow_rows():
    later = 'email,2026-11-20T10:00:00Z,q@x.example,"quoted, with a comma"\n'
    data = HEADER + 'email,2026-11-20T08:01:00Z,b@x.example,"never closed\n'
    items = read((data + valid_rows(3) + later).encode())
    assert bodies(items) == ["message 0", "message 1", "message 2", "quoted, with a comma"]
    assert rejects(items) == [("line 2 (row 2)", "a quoted field is never closed")]


def test_unclosed_quote_on_the_last_line_is_rejected():
    data = HEADER + valid_rows(2) + 'email,2026-11-20T08:01:00Z,b@x.example,"never closed'
    items = read(data.encode())
    assert bodies(items) == ["message 0", "message 1"]
    assert rejects(items) == [("line 4 (row 4)", "a quoted field is never closed")]


@pytest.mark.parametrize(
    ("limit", "kept"), [(5, ["message 0"]), (10, ["seven\n" * 6 + "lines", "message 0"])]
)
def test_quoted_field_over_the_line_limit_counts_as_never_closed(monkeypatch, limit, kept):
    monkeypatch.setattr(csvlines, "MAX_RECORD_LINES", limit)
    data = HEADER + 'email,2026-11-20T08:01:00Z,b@x.example,"seven\n' + "seven\n" * 5
    items = read((data + 'lines"\n' + valid_rows(1)).encode())
    assert bodies(items) == kept
    if limit == 5:  # the row's first line, then each line it held, on its own
        assert rejects(items)[0] == ("line 2 (row 2)", "a quoted field is never closed")
        assert [r[0] for r in rejects(items)[1:]] == [f"line {n} (row {n})" for n in range(3, 9)]


def test_open_quote_before_a_body_starting_with_a_line_break_is_rejected():
    # the body's opening quote closes the open one and ends the row: valid CSV, wrong rows
    later = 'email,2026-11-20T10:00:00Z,q@x.example,"\nstarts on line two"\n'
    data = HEADER + 'email,2026-11-20T08:01:00Z,b@x.example,"never closed\n' + valid_rows(1)
    items = read((data + later).encode())
    assert bodies(items) == ["message 0", "starts on line two"]
    assert rejects(items) == [("line 2 (row 2)", "a quoted field is never closed")]


def test_unclosed_quote_closed_by_a_later_rows_quote_is_rejected():
    # the open quote ends at the quote before ",x", and the row goes on with the rest
    later = 'email,2026-11-20T10:00:00Z,q@x.example,",x starts with a comma"\n'
    data = HEADER + 'email,2026-11-20T08:01:00Z,b@x.example,"never closed\n' + valid_rows(1)
    items = read((data + later).encode())
    assert bodies(items) == ["message 0", ",x starts with a comma"]
    assert rejects(items) == [("line 2 (row 2)", "a quoted field is never closed")]


def test_multiline_bodies_and_stray_quotes_still_import():
    data = HEADER + 'email,2026-11-20T08:00:00Z,a@x.example,"line one\nline two"\n'
    data += 'email,2026-11-20T08:05:00Z,b@x.example,"He said "hi" to me"\n'
    data += 'email,2026-11-20T08:06:00Z,c@x.example,"Dear team,\nI wrote "urgent" twice"\n'
    items = read(data.encode())
    assert bodies(items) == [
        "line one\nline two",
        'He said hi" to me"',
        'Dear team,\nI wrote urgent" twice"',
    ]
    assert [i.locator for i in items] == ["line 2 (row 2)", "line 4 (row 3)", "line 5 (row 4)"]


# 2. encodings


def test_windows_1252_file_is_decoded_as_windows_1252():
    data = HEADER + f"email,2026-11-20T08:00:00Z,a@x.example,{CHARGER}\n" + valid_rows(1)
    [first, second] = read(data.encode("cp1252"))
    assert first.row["body"] == CHARGER
    assert first.row["headers"]["decode_note"] == "not valid UTF-8; read as Windows-1252"
    assert second.row["body"] == "message 0" and "decode_note" not in second.row["headers"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_unicode_files_keep_their_text(encoding):
    data = HEADER + f"email,2026-11-20T08:00:00Z,a@x.example,{CHARGER} 🔌\r\n"
    [item] = read(data.encode(encoding))
    assert item.row["body"] == f"{CHARGER} 🔌"
    assert item.row["sender"] == "a@x.example"
    assert "decode_note" not in item.row["headers"]


def test_windows_1252_rejects_keep_their_original_bytes():
    broken = f'email,2026-11-20T08:00:00Z,a@x.example,"{CHARGER}\n'.encode("cp1252")
    items = read(HEADER.encode() + broken + valid_rows(1).encode())
    assert bodies(items) == ["message 0"]
    [bad] = [i for i in items if isinstance(i, Rejected)]
    assert bad.raw == broken


# 3. a message needs a body or a subject


def test_row_without_body_or_subject_is_rejected():
    header = "channel,received_at,sender,subject,body\n"
    data = header + "email,2026-11-20T12:00:00Z,f@cust.example\n"
    data += "email,2026-11-20T12:01:00Z,g@cust.example,Only a subject,\n"
    items = read(data.encode())
    assert rejects(items) == [("line 2 (row 2)", "body and subject are both empty")]
    [kept] = [i for i in items if isinstance(i, Record)]
    assert (kept.row["subject"], kept.row["body"]) == ("Only a subject", "")


def test_rows_of_empty_cells_are_skipped():
    items = read((HEADER + valid_rows(1) + ",,,\n\n" + valid_rows(1)).encode())
    assert bodies(items) == ["message 0", "message 0"]
    assert [i.locator for i in items] == ["line 2 (row 2)", "line 5 (row 5)"]


# 4. separators


@pytest.mark.parametrize("sep", [";", "\t"])
def test_semicolon_and_tab_separated_files_import(sep):
    header = sep.join(["channel", "received_at", "sender", "body", "subject"]) + "\r\n"
    row = sep.join(["email", "2026-11-20T08:00:00Z", "a@x.example", '"a; b\tc"', "Hi, there"])
    items = read((header + row + "\r\n" + valid_rows(2, sep)).encode("cp1252"))
    assert [i.row["body"] for i in items] == ["a; b\tc", "message 0", "message 1"]
    assert items[0].row["subject"] == "Hi, there"
    assert items[0].row["received_at"] == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def test_header_without_required_columns_names_the_columns_found():
    [bad] = read(b"who;what\nann;hello\n")
    assert bad.locator == "line 1 (row 1)"
    assert bad.reason == (
        "CSV header lacks required columns: channel, received_at, body or subject"
        " (found: who, what)"
    )
    assert bad.raw == b"who;what\n"


# 5. senders and subjects: replies go to the sender, the subject becomes an e-mail's header

SENDER = "channel,received_at,sender,subject,body\n"


@pytest.mark.parametrize(
    "channel, sender, expected",
    [("email", "Pat@Example.net", "pat@example.net"),
     ("email", "Pat Doe <Pat@Example.net>", "pat@example.net"),
     ("tweet", "@LoudVoice", "loudvoice"),
     ("tweet", "fan@mastodon.example", "fan@mastodon.example")],
)  # fmt: skip
def test_a_sender_is_one_address_or_one_handle(channel, sender, expected):
    row = f'{channel},2026-11-20T09:00:00Z,"{sender}",Hi,body\n'
    [record] = read((SENDER + row).encode())
    assert record.row["sender"] == expected
    assert (record.contact.email or record.contact.handle) == expected


@pytest.mark.parametrize(
    "channel, sender, reason",
    [("email", "pat@example.net, eve@evil.example",
      "sender is not one e-mail address: 'pat@example.net, eve@evil.example'"),
     ("email", "pat@example.net; eve@evil.example",
      "sender is not one e-mail address: 'pat@example.net; eve@evil.example'"),
     ("email", "pat@example.net\nBcc: eve@evil.example",
      "sender is not one e-mail address: 'pat@example.net\\nBcc: eve@evil.example'"),
     ("email", "pat@example.net eve@evil.example",
      "sender is not one e-mail address: 'pat@example.net eve@evil.example'"),
     ("email", "Pat Doe", "sender is not one e-mail address: 'Pat Doe'"),
     ("tweet", "@loud voice", "sender is not a handle: '@loud voice'"),
     ("tweet", "loud,voice", "sender is not a handle: 'loud,voice'"),
     ("tweet", "loud\nvoice", "sender is not a handle: 'loud\\nvoice'")],
)  # fmt: skip
def test_a_sender_that_is_not_one_address_or_handle_is_rejected(channel, sender, reason):
    row = f'{channel},2026-11-20T09:00:00Z,"{sender}",Hi,body\n'
    assert rejects(read((SENDER + row).encode())) == [("line 2 (row 2)", reason)]


def test_a_row_with_two_sender_addresses_is_quarantined_and_no_contact_is_made(eng, tmp_path):
    path = tmp_path / "contact-form.csv"
    two = 'email,2026-11-20T09:00:00Z,"pat@example.net, eve@evil.example",Wallbox,trips\n'
    path.write_text(SENDER + two + valid_rows(1), encoding="utf-8")
    result = ingest_paths(eng, [path], now=NOW)
    assert (result.imported, result.rejected) == (1, 1)
    [bad] = stored(eng, Quarantine.__table__)
    assert bad["reason"].startswith("sender is not one e-mail address: ")
    assert [c["email"] for c in stored(eng, Contact.__table__)] == ["c0@cust.example"]


def test_a_subject_spanning_lines_becomes_one_line_and_the_body_keeps_its_lines():
    row = 'email,2026-11-20T09:00:00Z,pat@example.net,"Wallbox\r\nBcc: x@evil.example","one\ntwo"\n'
    [record] = read((SENDER + row).encode())
    assert record.row["subject"] == "Wallbox Bcc: x@evil.example"
    assert record.row["body"] == "one\ntwo"


# 6. where a row is


def test_locator_names_the_starting_line_and_the_spreadsheet_row():
    data = HEADER + 'email,2026-11-20T08:00:00Z,a@x.example,"two\nlines"\n'
    data += "fax,2026-11-20T08:01:00Z,b@x.example,wrong channel\n"
    items = read(data.encode())
    assert [i.locator for i in items] == ["line 2 (row 2)", "line 4 (row 3)"]
    assert rejects(items) == [("line 4 (row 3)", "channel must be email or tweet, got 'fax'")]
    assert json.loads(items[1].raw)["body"] == "wrong channel"


def test_old_mac_line_endings_still_split_rows():
    data = (HEADER + valid_rows(2)).replace("\n", "\r")
    items = read(data.encode())
    assert bodies(items) == ["message 0", "message 1"]
    assert [i.locator for i in items] == ["line 2 (row 2)", "line 3 (row 3)"]


# properties: what a spreadsheet writes is read back whole, a broken row costs only itself

# control characters are dropped by `records.clean`, which is not what these are about
chars = st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\r\n")
texts = st.text(chars, max_size=30)
messages = st.lists(texts.filter(str.strip), min_size=1, max_size=8)
line = st.text(st.characters(exclude_categories=("Cs", "Cc"), exclude_characters='"'))


def written(rows: list[str], sep: str, *, header: bool = True, first: int = 0) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep)
    if header:
        writer.writerow(["channel", "received_at", "sender", "body"])
    for i, body in enumerate(rows, first):
        writer.writerow(["email", f"2026-11-20T09:{i:02d}:00Z", "a@x.example", body])
    return out.getvalue()


@settings(max_examples=200, deadline=None)
@given(rows=messages, sep=st.sampled_from(",;\t"), encoding=st.sampled_from(["utf-8", "utf-16"]))
def test_every_row_of_a_well_formed_file_is_read_back(rows, sep, encoding):
    items = read(written(rows, sep).encode(encoding))
    assert bodies(items) == [r.strip() for r in rows]
    assert [i.locator.split(" (")[1] for i in items] == [
        f"row {n})" for n in range(2, len(rows) + 2)
    ]


@settings(max_examples=200, deadline=None)
@given(rows=messages, sep=st.sampled_from(",;\t"), at=st.integers(0, 8), tail=line)
def test_a_row_with_an_open_quote_costs_only_itself(rows, sep, at, tail):
    broken = sep.join(["email", "2026-11-20T08:00:00Z", "b@x.example", '"open' + tail]) + "\r\n"
    after = written(rows[at:], sep, header=False, first=at)
    items = read((written(rows[:at], sep) + broken + after).encode())
    assert bodies(items) == [r.strip() for r in rows]
    assert [i.reason for i in items if isinstance(i, Rejected)] == [csvfile.NEVER_CLOSED]
