"""Theme grouping as messages arrive, labels, and splitting a wrongly merged message off."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from db import grouping, settings, themes
from db.errors import InvalidInput, NotFound
from db.models import Message, Theme
from db.signature import NO_FOLDS, Folds
from tests.factories import NOW, make_message

IGNORE = frozenset({"voltra"})
PARKING = [
    "Cars parked at the chargers again in Leeds, nobody charging",
    "@voltra petrol cars parked at chargers in Leeds all morning",
    "Leeds chargers blocked by parked cars, third time this week",
    "Why are cars parked at your Leeds chargers? Can't charge",
]


def row(body: str, *, minutes: int = 0, subject: str | None = None, **kw) -> dict:
    base = {"channel": "tweet", "body": body, "subject": subject, "is_noise": False}
    return {**base, "received_at": NOW + timedelta(minutes=minutes), "contact_id": None, **kw}


def assign(engine, rows: list[dict]) -> list[dict]:
    with engine.begin() as conn:
        themes.assign(conn, rows, ignore=IGNORE, now=NOW)
    return rows


def theme_rows(engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(Theme.__table__)).mappings()]


# --- pure ----------------------------------------------------------------------------------


def test_signature_folds_synonyms_and_drops_handles_company_and_complaint_words():
    terms = themes.signature("@voltra Broadband is down AGAIN in Leeds, terrible", ignore=IGNORE)
    assert terms[:3] == ["internet", "outage", "leed"]
    assert "terrible" not in terms and "voltra" not in terms


def test_codes_and_names_lead_the_signature():
    terms = themes.signature("my flight SKL212 was cancelled in Manchester", ignore=IGNORE)
    assert terms[0] == "skl212" and "manchester" in terms


def test_candidate_keys_are_sorted_pairs():
    assert themes.candidate_keys(["b", "a", "c"]) == ["a+b", "b+c", "a+c"]


def test_label_comes_from_subject_without_reply_prefix_or_first_sentence_without_handles():
    assert themes.label_for({"channel": "email", "subject": "Re: Fwd: Charger blocked"}) == (
        "Charger blocked"
    )
    tweet = {"channel": "tweet", "body": "@voltra cars parked at chargers. Sort it out"}
    assert themes.label_for(tweet) == "Cars parked at chargers"


# --- grouping ------------------------------------------------------------------------------


def test_similar_messages_in_one_batch_share_one_theme(engine, session):
    rows = assign(engine, [row(t, minutes=i, contact_id=None) for i, t in enumerate(PARKING)])
    assert len({r["theme_id"] for r in rows}) == 1
    (theme,) = theme_rows(engine)
    assert theme["message_count"] == 4 and theme["first_seen"] == NOW
    assert theme["last_seen"] == NOW + timedelta(minutes=3)
    assert "chargers" in theme["label"].lower()


def test_unrelated_messages_get_different_themes(engine, session):
    rows = assign(
        engine,
        [row(PARKING[0]), row("The mobile app crashes at checkout on Android", minutes=1)],
    )
    assert rows[0]["theme_id"] != rows[1]["theme_id"]


def test_noise_gets_no_theme(engine, session):
    (r,) = assign(engine, [row(PARKING[0], is_noise=True)])
    assert r.get("theme_id") is None and theme_rows(engine) == []


def test_a_later_batch_grows_the_existing_theme(engine, session):
    first = assign(engine, [row(PARKING[0]), row(PARKING[1], minutes=5)])
    later = assign(engine, [row(PARKING[2], minutes=90)])
    assert later[0]["theme_id"] == first[0]["theme_id"]
    (theme,) = theme_rows(engine)
    assert theme["message_count"] == 3
    assert theme["last_seen"] == NOW + timedelta(minutes=90)


def test_a_theme_quiet_for_over_a_week_is_not_joined(engine, session):
    first = assign(engine, [row(PARKING[0]), row(PARKING[1], minutes=5)])
    much_later = assign(engine, [row(PARKING[2], minutes=60 * 24 * 9)])
    assert much_later[0]["theme_id"] != first[0]["theme_id"]


# --- splitting -----------------------------------------------------------------------------


def test_split_message_moves_it_to_its_own_theme_and_recounts_both(engine, session):
    msgs = [make_message(session, body=t, channel="tweet", received_at=NOW) for t in PARKING[:3]]
    rows = [{**row(m.body), "id": m.id} for m in msgs]
    assign(engine, rows)
    m = Message.__table__
    with engine.begin() as conn:
        for r in rows:
            conn.execute(sa.update(m).where(m.c.id == r["id"]).values(theme_id=r["theme_id"]))
        new = themes.split_message(conn, msgs[2].id, now=NOW)
    by_id = {t["id"]: t for t in theme_rows(engine)}
    assert by_id[rows[0]["theme_id"]]["message_count"] == 2
    assert by_id[new]["message_count"] == 1 and by_id[new]["key"] == f"split:{msgs[2].id}"
    session.expire_all()
    assert session.get(Message, msgs[2].id).theme_id == new


def test_split_of_a_missing_message_is_not_found(engine, session):
    with engine.begin() as conn, pytest.raises(NotFound):
        themes.split_message(conn, 999_999, now=NOW)


def test_replies_in_a_thread_join_its_theme_even_with_few_words(engine, session):
    root = row(PARKING[0], thread_key="c1")
    first = assign(engine, [root, row(PARKING[1], minutes=1, thread_key="c2")])
    m = Message.__table__
    with engine.begin() as conn:
        conn.execute(sa.insert(m), [{**r, "channel": "tweet", "external_id": f"x{i}",
                                     "imported_at": NOW} for i, r in enumerate(first)])  # fmt: skip
    (reply,) = assign(engine, [row("Same here!", minutes=30, thread_key="c1", in_reply_to="x0")])
    assert reply["theme_id"] == first[0]["theme_id"]


def test_a_lone_message_with_too_few_words_gets_no_theme(engine, session):
    (r,) = assign(engine, [row("Same here!", thread_key="c9")])
    assert r.get("theme_id") is None and theme_rows(engine) == []


# --- the company's own vocabulary and theme labels -----------------------------------------

HOGGING = [
    "Every stall at Thornbury taken by finished cars again",
    "Bays at Wexham Green blocked by idle cars all evening",
    "Full cars parked on the chargers at Bicester, owners nowhere",
]
VOLTRA_WORDS = Folds.parse(
    ["stall: stall stalls charger chargers bay bays", "idle: idle parked finished full"]
)


def test_the_company_vocabulary_folds_its_words_into_concepts():
    plain = themes.signature(HOGGING[1], ignore=IGNORE)
    folded = themes.signature(HOGGING[1], ignore=IGNORE, folds=VOLTRA_WORDS)
    assert "bays" in plain and "stall" not in plain
    assert {"stall", "idle"} <= set(folded) and "bays" not in folded


def test_one_problem_told_in_different_words_is_one_theme_with_the_vocabulary(engine, session):
    def ids(folds) -> set:
        rows = [row(t, minutes=i) for i, t in enumerate(HOGGING)]
        with engine.begin() as conn:
            themes.assign(conn, rows, ignore=IGNORE, now=NOW, folds=folds)
        return {r["theme_id"] for r in rows}

    assert len(ids(NO_FOLDS)) > 1  # the built-in folds do not know stalls are chargers
    assert len(ids(VOLTRA_WORDS)) == 1


def test_a_new_theme_is_named_by_the_member_that_names_its_problem():
    members = [
        row("Help!", minutes=0),
        row("Is this normal?", minutes=1),
        {**row("Yesterday", minutes=2), "channel": "email", "subject": "Screen went black"},
        row("My screen went black on the motorway", minutes=3, complaint=True),
    ]
    assert themes.best_label(members, "black+screen", ignore=IGNORE) == (
        "My screen went black on the motorway"
    )
    members[2]["complaint"] = True  # now an email subject with both terms is the better title
    assert themes.best_label(members, "black+screen", ignore=IGNORE) == "Screen went black"


@pytest.mark.parametrize(
    "value,expected",
    [
        (
            "stall: stall Stalls  charger\n\nidle: idle parked",
            ["stall: stall stalls charger", "idle: idle parked"],
        ),
        (["late: late delayed"], ["late: late delayed"]),
    ],
)
def test_theme_synonyms_setting_is_normalised(value, expected):
    assert settings._normalise("theme_synonyms", value) == expected


@pytest.mark.parametrize("value", ["no colon here", "two words: x y", ": nothing", "stall:"])
def test_a_malformed_theme_synonyms_line_is_refused_with_its_number(value):
    with pytest.raises(InvalidInput, match="line 1"):
        settings._normalise("theme_synonyms", [value])


# --- no giant themes: side remarks, place names and threads do not chain problems -----------

STALLS = "the charging stalls at {} are full of cars that are not charging"
CINEMA = "the cinema at {} had no ushers and people were shouting all film"
PLACES = ["Leeds", "Bristol", "Kings Cross", "Elm Street", "Harbour Road"]
REMARK = " Luckily {} at the desk was kind."
NAMES = ["Tom", "Priya", "Sam"]


def _two_topics() -> list[dict]:
    """Thirty messages on two problems, at shared places, a third with a side remark."""
    rows = []
    for i in range(30):
        text = (STALLS if i % 2 else CINEMA).format(PLACES[i % len(PLACES)])
        if i % 3 == 0:
            text += REMARK.format(NAMES[i % len(NAMES)])
        rows.append(row(text.capitalize(), minutes=i, topic=i % 2))
    return rows


def test_a_name_pair_merges_a_group_it_names_but_not_groups_it_merely_touches():
    # groups after shared keys: 0-9 one problem, 10-19 another, 20-21 a straggler pair
    roots = [0] * 10 + [10] * 10 + [20] * 2
    keyed = [({}, ["a+b"]) for _ in roots]
    for i in (1, 12):  # a side remark with a name, in one message of each big group
        keyed[i] = ({}, ["a+b", "desk+tom"])
    for i in (3, 20, 21):  # the pair the straggler group is about, also in the first group
        keyed[i] = ({}, ["a+b", "alicante+cancelled"])
    merges = grouping.bridges(keyed, {"desk+tom", "alicante+cancelled"}, roots.__getitem__)
    assert {frozenset(m) for m in merges} == {frozenset((0, 20))}


def test_two_names_together_are_never_a_theme_key(engine, session):
    rows = assign(engine, [row(t.format("Kings Cross"), minutes=i)
                           for i, t in enumerate([STALLS, CINEMA, STALLS, CINEMA])])  # fmt: skip
    assert rows[0]["theme_id"] == rows[2]["theme_id"] != rows[1]["theme_id"]
    assert "cross+king" not in {t["key"] for t in theme_rows(engine)}


def test_a_reply_with_its_own_problem_words_does_not_pull_its_group_into_the_thread(
    engine, session
):
    first = assign(engine, [row(CINEMA.format("Leeds"), minutes=i) for i in range(3)])
    rows = _two_topics()
    for r in rows[:6]:
        r.update(thread_key="conversation-1", in_reply_to="x")
    with engine.begin() as conn:  # the conversation's root is in the cinema theme
        conn.execute(sa.update(Message.__table__).values(thread_key="conversation-1"))
    assign(engine, rows)
    stalls = {r["theme_id"] for r in rows if r["topic"] == 1}
    assert len(stalls) == 1 and first[0]["theme_id"] not in stalls
