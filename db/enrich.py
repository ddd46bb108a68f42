"""Scoring and theming at import time: the bridge between ingestion and the feed's brain.

The ingest pipeline calls `enrich_batch` on each batch of new message rows before inserting
them: every row gets its notability (`db.scoring`) and non-noise rows a theme (`db.themes`),
whose counts and first/last seen grow in the same transaction. `rescore_all` recomputes every
stored message after weights or settings change, in received order, keeping manual splits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from db import rollup, themes
from db.among import among
from db.models import Contact, Message, Theme
from db.scoring import message_text, score_message, text_facts
from db.settings import all_settings
from db.signals import Context
from db.signature import Folds, keyed_signature, remember_keyed

RESCORE_CHUNK = 5000
ThemeContext = tuple[frozenset[str], Folds]  # the company's own words, and its synonyms
Keyed = tuple[list[str], list[str], list[str]]  # `db.signature.keyed_signature`'s answer


class Analysis(NamedTuple):
    """What text analysis ahead of a batch needs from the settings, read once per import."""

    ignore: frozenset[str]  # the company's own words: never a theme's subject
    folds: Folds  # the company's synonyms
    scoring: Context  # own accounts, CEO addresses and VIPs, for scoring ahead


_SCORED = ("sentiment", "complaint", "score", "reasons", "is_noise")


def _contacts(conn: Connection, ids: Iterable[int | None]) -> dict[int, dict[str, Any]]:
    """Return contact id -> {vip_tier, verified, customer_since} for the contacts of a batch."""
    wanted = sorted({i for i in ids if i is not None})
    c = Contact.__table__
    out: dict[int, dict[str, Any]] = {}
    for k in range(0, len(wanted), 5000):
        stmt = sa.select(c.c.id, c.c.vip_tier, c.c.verified, c.c.customer_since)
        chunk = wanted[k : k + 5000]
        for cid, tier, verified, since in conn.execute(stmt.where(among(conn, c.c.id, chunk))):
            out[cid] = {"vip_tier": tier, "verified": verified, "customer_since": since}
    return out


def _ignored(settings: dict[str, Any]) -> frozenset[str]:
    """Return words that name the company itself: never a theme's subject."""
    words = set(settings.get("own_handles") or ())
    words |= {d.split(".")[0] for d in settings.get("own_domains") or ()}
    words |= set(str(settings.get("company_name") or "").lower().split())
    return frozenset(w.lower() for w in words if w)


def _vocabulary(settings: dict[str, Any]) -> ThemeContext:
    return _ignored(settings), Folds.parse(settings["theme_synonyms"])


def theme_context(conn: Connection) -> Analysis | None:
    """Return what text analysis ahead of `enrich_batch` works with: the company's words,
    synonyms and scoring context (None, from a caller that switches enrichment off, means no
    analysis ahead)."""
    settings = all_settings(conn)
    return Analysis(*_vocabulary(settings), Context.from_settings(settings))


def prepare(row: dict[str, Any], context: Analysis | None) -> None:
    """Analyse a new row's text ahead of its batch: tokens, cues, tone and theme keys.

    Pure in the text; the results wait in the memos `enrich_batch` reads, so an import does
    this work while its writer thread stores the batch before. Noise and retweets get no theme.
    """
    if context is None:
        return
    text = message_text(row)
    facts = text_facts(text)
    if facts.noise is None and not row.get("is_retweet"):
        keyed_signature(text, ignore=context.ignore, words=facts.words, folds=context.folds)


def analyse(row: dict[str, Any], context: Analysis) -> Keyed | None:
    """Score a new row as if its sender had no contact facts (no VIP tier, tenure or verified
    mark on file), in place; return its theme keys (None: noise, which gets no theme).

    What a helper process does ahead of the import (`db.ingest.ahead`): pure in the row and
    the context. `score_rows` scores the row again where its contact turns out to have facts.
    """
    text = message_text(row)
    facts = text_facts(text)
    n = score_message(row, ctx=context.scoring, contact=None, facts=facts)
    row["sentiment"], row["complaint"], row["score"] = n.sentiment, n.complaint, n.score
    row["reasons"], row["is_noise"] = n.reasons, n.is_noise
    if n.is_noise:
        return None
    return keyed_signature(text, ignore=context.ignore, words=facts.words, folds=context.folds)


def remember(row: dict[str, Any], keyed: Keyed | None, context: Analysis) -> None:
    """Keep theme keys worked out by a helper process where `enrich_batch` will look for them."""
    if keyed is not None:
        remember_keyed(message_text(row), context.ignore, context.folds, keyed)


def score_rows(
    conn: Connection, rows: list[dict[str, Any]], *, ahead: Ahead | None = None
) -> tuple[tuple[frozenset[str], Folds], dict[int, list[str]]]:
    """Set the scoring fields on each row in place; return the company's words and synonyms
    (for theming) and each row's tokens (of the rows scored here).

    `ahead`: rows `analyse` scored already, and with what; those are scored again only where
    their contact has facts, their follower count was filled in from the contact since, or
    the settings changed meanwhile."""
    settings = all_settings(conn)
    ctx = Context.from_settings(settings)
    contacts = _contacts(conn, (r.get("contact_id") for r in rows))
    said: dict[int, list[str]] = {}
    done = ahead.followers if ahead is not None and ahead.scoring == ctx else {}
    for row in rows:
        contact = contacts.get(row.get("contact_id"))
        if done and done.get(id(row)) == row["followers"] and not _has_facts(contact):
            continue  # scored ahead, and nothing it was scored without matters
        facts = text_facts(message_text(row))
        said[id(row)] = facts.words
        n = score_message(row, ctx=ctx, contact=contact, facts=facts)
        row["sentiment"], row["complaint"], row["score"] = n.sentiment, n.complaint, n.score
        row["reasons"], row["is_noise"] = n.reasons, n.is_noise
    return _vocabulary(settings), said


class Ahead(NamedTuple):
    """Rows of a batch scored by `analyse` ahead: id(row) -> its follower count then, and the
    scoring context they were scored with."""

    followers: dict[int, int]
    scoring: Context


def _has_facts(contact: dict[str, Any] | None) -> bool:
    """Return whether a contact's facts change a score (`analyse` assumed none)."""
    return contact is not None and bool(
        contact["vip_tier"] or contact["verified"] or contact["customer_since"] is not None
    )


def enrich_batch(
    conn: Connection, rows: list[dict[str, Any]], *, now: datetime, ahead: Ahead | None = None
) -> None:
    """Set sentiment, complaint, score, reasons, is_noise and theme_id on each row, in place
    (`ahead`: rows scored already by `analyse`, see `score_rows`)."""
    if not rows:
        return
    (ignore, folds), said = score_rows(conn, rows, ahead=ahead)
    themes.assign(conn, rows, ignore=ignore, now=now, words=said, folds=folds)


def _reset_themes(conn: Connection) -> None:
    """Forget automatic theme assignments; keep manual splits and themes linked to items."""
    t, m = Theme.__table__, Message.__table__
    keep = sa.select(t.c.id).where(sa.or_(t.c.key.like("split:%"), t.c.item_id.is_not(None)))
    conn.execute(sa.update(m).where(m.c.theme_id.not_in(keep)).values(theme_id=None))
    conn.execute(sa.delete(t).where(t.c.id.not_in(keep)))


def rescore_all(engine: Engine, *, now: datetime) -> int:
    """Recompute scores and themes of every stored message; return how many."""
    m = Message.__table__
    cols = [c for c in m.c if c.name not in ("raw", "source")]
    with engine.begin() as conn:
        _reset_themes(conn)
    done, after = 0, None
    while True:
        with engine.begin() as conn:
            stmt = sa.select(*cols).order_by(m.c.received_at, m.c.id).limit(RESCORE_CHUNK)
            if after is not None:
                stmt = stmt.where(sa.tuple_(m.c.received_at, m.c.id) > after)
            rows = [dict(r) for r in conn.execute(stmt).mappings()]
            if not rows:
                rollup.rebuild(conn)  # theme ids and scores changed: recount Insights' days
                return done
            _rescore_chunk(conn, rows, now=now)
        done += len(rows)
        after = (rows[-1]["received_at"], rows[-1]["id"])


def _rescore_chunk(conn: Connection, rows: list[dict[str, Any]], *, now: datetime) -> None:
    (ignore, folds), said = score_rows(conn, rows)
    free = [r for r in rows if r["theme_id"] is None]
    themes.assign(conn, free, ignore=ignore, now=now, words=said, folds=folds)
    m = Message.__table__
    stmt = (
        sa.update(m)
        .where(m.c.id == sa.bindparam("_id"))
        .values({k: sa.bindparam(f"_{k}") for k in (*_SCORED, "theme_id")})
    )
    params = [{"_id": r["id"], **{f"_{k}": r[k] for k in (*_SCORED, "theme_id")}} for r in rows]
    conn.execute(stmt, params)
