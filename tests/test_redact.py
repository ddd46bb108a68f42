"""Redaction of public text: generic patterns and known customers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.redact import Known, describe, find_pii, redact

KNOWN = [Known(name="Zebulon Quackenbush", email="zeb.q@mailbox.test", handle="zebq_charges")]


@pytest.mark.parametrize(
    ("text", "leak", "label"),
    [
        ("Write to anna.berg+cars@example.org for details", "anna.berg", "[email removed]"),
        ("Thanks to @tesla_fan_99 for the report", "tesla_fan_99", "[handle removed]"),
        ("Call me on +44 20 7946 0958 please", "7946", "[phone removed]"),
        ("Call (555) 123-4567 today", "123-4567", "[phone removed]"),
        ("Refunded order #A1234567 in full", "A1234567", "[number removed]"),
        ("Booking no. 88231-XQ was cancelled", "88231", "[number removed]"),
        ("Your ticket ORD-2024-88123 is closed", "88123", "[number removed]"),
        ("The charger at 221 Baker Street works now", "Baker", "[address removed]"),
        ("Fixed the stall in Hauptstraße 12", "Hauptstraße", "[address removed]"),
    ],
)
def test_generic_personal_data_is_removed(text: str, leak: str, label: str) -> None:
    out = redact(text)
    assert leak not in out
    assert label in out


def test_known_customer_name_email_local_part_and_handle_are_removed() -> None:
    text = (
        "Zebulon Quackenbush told us, and so did zebq_charges; Zebulon also wrote from "
        "ZEB.Q@mailbox.test (zeb.q)."
    )
    out = redact(text, known=KNOWN)
    for leak in ("Zebulon", "Quackenbush", "zebq_charges", "mailbox.test", "zeb.q"):
        assert leak.lower() not in out.lower()
    assert out.startswith("[name removed] told us")


def test_ordinary_product_text_is_left_alone() -> None:
    text = (
        "Software update 2024.44.25 ships on 2026-11-20: idle fees start 5 minutes after "
        "charging completes at 80% on Model 3 and 4G cars. Version 12.3.1 too."
    )
    assert redact(text) == text
    assert find_pii(text) == []


def test_findings_are_ordered_and_do_not_overlap() -> None:
    text = "Mail zeb.q@mailbox.test or @zebq_charges, order #123456"
    findings = find_pii(text, known=KNOWN)
    assert [f.kind for f in findings] == ["email", "handle", "order"]
    assert all(a.end <= b.start for a, b in zip(findings, findings[1:], strict=False))
    assert text[findings[0].start : findings[0].end] == "zeb.q@mailbox.test"


def test_describe_names_each_finding_in_plain_english() -> None:
    lines = describe(find_pii("Ask Zebulon on 0161 496 0000", known=KNOWN))
    assert lines == ["a customer's name: “Zebulon”", "a phone number: “0161 496 0000”"]


def test_empty_text_is_returned_unchanged() -> None:
    assert redact("") == ""
    assert redact("", known=KNOWN) == ""


FILLER = ["the", "charger", "was", "blocked", "again", "today", "and", "we", "fixed", "it", "."]


@given(
    words=st.lists(st.sampled_from(FILLER), min_size=0, max_size=20),
    inserts=st.lists(
        st.sampled_from(
            [
                "Zebulon Quackenbush",
                "zeb.q@mailbox.test",
                "@zebq_charges",
                "zebq_charges",
                "Quackenbush",
                "+1 415 555 0199",
                "order #7734921",
            ]
        ),
        min_size=1,
        max_size=4,
    ),
    seed=st.integers(0, 10_000),
)
def test_no_known_detail_survives_redaction_wherever_it_is_typed(words, inserts, seed) -> None:
    import random

    rng = random.Random(seed)
    tokens = list(words)
    for value in inserts:
        tokens.insert(rng.randint(0, len(tokens)), value)
    out = redact(" ".join(tokens), known=KNOWN)
    for leak in ("zebulon", "quackenbush", "zeb.q", "zebq_charges", "555 0199", "7734921"):
        assert leak not in out.lower()
    assert redact(out, known=KNOWN) == out  # redacting twice changes nothing


SLIPS = [
    Known("Priya Raman", "priya.raman@example.net", None),
    Known("José Núñez", None, "jnunez"),
    Known("Wei Li", None, None),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thanks to priya for spotting it", "Thanks to [name removed] for spotting it"),
        ("PRIYA RAMAN asked twice", "[name removed] asked twice"),
        ("Jose Nunez from Leeds asked for this", "[name removed] from Leeds asked for this"),
        ("jose nunez asked", "[name removed] asked"),
        ("As Li reported, the app crashed", "As [name removed] reported, the app crashed"),
        ("Li's report was right", "[name removed]'s report was right"),
    ],
)
def test_names_typed_in_lower_case_without_accents_or_short_are_removed(text, expected) -> None:
    assert redact(text, known=SLIPS) == expected
    assert [f.kind for f in find_pii(text, known=SLIPS)] == ["name"]


def test_an_accented_name_is_removed_however_its_accents_are_encoded() -> None:
    decomposed = "Thanks Jose\u0301 Nun\u0303ez and Strauss!"  # combining marks, as some Macs send
    out = redact(decomposed, known=[*SLIPS, Known("Anna Strauß")])
    assert out == "Thanks [name removed] and [name removed]!"


NAMED_LIKE_WORDS = [
    Known("Will Mark"),
    Known("May Li"),
    Known("Don Rich"),
    Known("An van der Berg"),
]


@pytest.mark.parametrize(
    "text",
    [
        "We will fix it, and mark the stalls as free.",
        "It ships in May; rich data, reliable lithium cells.",
        "Li-ion packs and the li element stay as they are.",
        "Don't park the van in an empty bay.",
        "Version 2 adds an idle fee; we will tell you more.",
    ],
)
def test_words_that_are_also_customers_names_are_left_alone(text) -> None:
    assert redact(text, known=NAMED_LIKE_WORDS) == text
    assert find_pii(text, known=NAMED_LIKE_WORDS) == []


def test_a_name_that_is_a_word_counts_when_capitalised_or_written_in_full() -> None:
    text = "Thanks to Will, to will mark and to Berg; Rich helped too."
    out = redact(text, known=NAMED_LIKE_WORDS)
    assert out == "Thanks to [name removed], to [name removed] and to [name removed]; " + (
        "[name removed] helped too."
    )


@given(st.text(alphabet="aéÉßẞﬁİıǅ\u0301\u0303 -'’ŉΣς", max_size=30))
def test_folding_keeps_track_of_every_character(text) -> None:
    from db.namematch import _fold, _origins

    where = _origins(text)
    assert _fold(text) == "".join(_fold(ch) for ch in text)
    assert len(where) == len(_fold(text)) + 1 and where == sorted(where)
