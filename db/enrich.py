"""Scoring and theming at import time: the bridge between ingestion and the feed's brain.

The ingest pipeline calls `enrich_batch` on each batch of new message rows before inserting
them: every row gets its notability (`db.scoring`) and non-noise rows a theme (`db.themes`),
whose counts and first/last seen grow in the same transaction. `rescore_all` recomputes every
stored message after weights or settings change, in received order, keeping manual splits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from db import rollup, themes
from db.among import among
from db.engine import take_import_lock
from db.models import Contact, Message, Theme
from db.scoring import message_text, score_message, text_facts
from db.settings import all_settings
from db.signals import Context
from db.signature import Folds, keyed_signature

RESCORE_CHUNK = 5000
ThemeContext = tuple[frozenset[str], Folds]  # the company's own words, and its synonyms
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


def theme_context(conn: Connection) -> ThemeContext | None:
    """Return what `enrich_batch` builds theme keys with: the company's words and synonyms
    (None, from a caller that switches enrichment off, means no analysis ahead)."""
    return _vocabulary(all_settings(conn))


def prepare(row: dict[str, Any], context: ThemeContext | None) -> None:
    """Analyse a new row's text ahead of its batch: tokens, cues, tone and theme keys.

    Pure in the text; the results wait in the memos `enrich_batch` reads, so an import does
    this work while its writer thread stores the batch before. Noise and retweets get no theme.
    """
    if context is None:
        return
    text = message_text(row)
    facts = text_facts(text)
    if facts.noise is None and not row.get("is_retweet"):
        ignore, folds = context
        keyed_signature(text, ignore=ignore, words=facts.words, folds=folds)


def score_rows(
    conn: Connection, rows: list[dict[str, Any]]
) -> tuple[tuple[frozenset[str], Folds], dict[int, list[str]]]:
    """Set the scoring fields on each row in place; return the company's words and synonyms
    (for theming) and each row's tokens."""
    settings = all_settings(conn)
    ctx = Context.from_settings(settings)
    contacts = _contacts(conn, (r.get("contact_id") for r in rows))
    said: dict[int, list[str]] = {}
    for row in rows:
        facts = text_facts(message_text(row))
        said[id(row)] = facts.words
        n = score_message(row, ctx=ctx, contact=contacts.get(row.get("contact_id")), facts=facts)
        row["sentiment"], row["complaint"], row["score"] = n.sentiment, n.complaint, n.score
        row["reasons"], row["is_noise"] = n.reasons, n.is_noise
    return _vocabulary(settings), said


def enrich_batch(conn: Connection, rows: list[dict[str, Any]], *, now: datetime) -> None:
    """Set sentiment, complaint, score, reasons, is_noise and theme_id on each row, in place."""
    if not rows:
        return
    (ignore, folds), said = score_rows(conn, rows)
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
        take_import_lock(conn)  # an import running meanwhile must not found themes half-reset
        _reset_themes(conn)
    done, after = 0, None
    while True:
        with engine.begin() as conn:
            take_import_lock(conn)
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
