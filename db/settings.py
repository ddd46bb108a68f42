"""Admin settings: the company's own handles and domains, VIPs, the CEO's addresses, SLA targets
and time zone.

Values are JSON in the `setting` table; a key that was never set reads as its default in
`DEFAULTS`. Reads take a Session or a Connection (the ingest pipeline has only a Connection);
writes are admin-only and record an Event in the same transaction. A new time zone recounts
Insights' daily rollups in that transaction too: they are keyed by the company's days.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import Session

from db import itemrebuild, rollup
from db.auth import require
from db.clock import DEFAULT_ZONE, ZONE_SETTING, zone_named
from db.errors import InvalidInput
from db.models import Event, Setting

DEFAULTS: dict[str, Any] = {
    "company_name": "",
    "own_handles": [],
    "own_domains": [],
    "ceo_addresses": [],
    "vip_emails": [],
    "vip_handles": [],
    "sla_ack_business_days": 1,
    "public_base_url": "",
    "theme_synonyms": [],
    ZONE_SETTING: DEFAULT_ZONE,
}

_LIST_KEYS = {"own_handles", "own_domains", "ceo_addresses", "vip_emails", "vip_handles"}


def _normalise(key: str, value: Any) -> Any:
    if key not in DEFAULTS:
        raise InvalidInput(f"Unknown setting {key!r}.")
    if key in _LIST_KEYS:
        if isinstance(value, str):
            value = value.replace(",", "\n").splitlines()
        if not isinstance(value, list | tuple):
            raise InvalidInput(f"Setting {key!r} must be a list.")
        return sorted({str(v).strip().lower().lstrip("@") for v in value if str(v).strip()})
    if key == "theme_synonyms":
        return _synonym_lines(value)
    if key == "sla_ack_business_days":
        try:
            days = int(value)
        except (TypeError, ValueError):
            raise InvalidInput("The acknowledge SLA must be a whole number of days.") from None
        if not 0 < days <= 30:
            raise InvalidInput("The acknowledge SLA must be between 1 and 30 business days.")
        return days
    if key == ZONE_SETTING:
        return zone_named(str(value or "").strip() or DEFAULT_ZONE).key
    return str(value).strip()


def _synonym_lines(value: Any) -> list[str]:
    """Normalise "concept: word word ..." lines (one concept a line), refusing a line without
    a concept or without words."""
    lines = value.splitlines() if isinstance(value, str) else value
    if not isinstance(lines, list | tuple):
        raise InvalidInput("Theme synonyms must be lines of 'concept: word word ...'.")
    out = []
    for n, line in enumerate(lines, 1):
        concept, colon, words = str(line).lower().partition(":")
        if not str(line).strip():
            continue
        if not colon or not concept.strip() or not words.split() or " " in concept.strip():
            raise InvalidInput(f"Theme synonyms line {n} must read 'concept: word word ...'.")
        out.append(f"{concept.strip()}: {' '.join(dict.fromkeys(words.split()))}")
    return out


def get_setting(session_or_conn: Session | Connection, key: str) -> Any:
    """Return the stored value of `key`, or its default."""
    if key not in DEFAULTS:
        raise InvalidInput(f"Unknown setting {key!r}.")
    stmt = sa.select(Setting.value).where(Setting.key == key)
    value = session_or_conn.execute(stmt).scalar_one_or_none()
    return DEFAULTS[key] if value is None else value


def all_settings(session_or_conn: Session | Connection) -> dict[str, Any]:
    """Return every setting, defaults filled in."""
    rows = session_or_conn.execute(sa.select(Setting.key, Setting.value)).all()
    stored = {k: v for k, v in rows if k in DEFAULTS and v is not None}
    return {**DEFAULTS, **stored}


def put_setting(session: Session, key: str, value: Any, *, actor: Any, now: datetime) -> Any:
    """Store one setting (admins only) with its audit Event; return the normalised value."""
    save_settings(session, {key: value}, actor=actor, now=now)
    return get_setting(session, key)


def save_settings(
    session: Session, values: Mapping[str, Any], *, actor: Any, now: datetime
) -> list[str]:
    """Store the settings that changed (admins only), all or none; return their keys.

    Every value is checked before any is written, so one bad line saves nothing; each change
    records an Event in the same transaction.
    """
    require(actor, "settings.manage")
    try:
        clean = {key: _normalise(key, value) for key, value in values.items()}
    except InvalidInput as error:
        raise InvalidInput(f"{error} Nothing was saved.") from None
    current = all_settings(session)
    changed = [key for key, value in clean.items() if value != current[key]]
    for key in changed:
        row = session.get(Setting, key) or Setting(key=key)
        row.value, row.updated_at = clean[key], now
        session.add(row)
        data = {"key": key, "from": current[key], "to": clean[key]}
        session.add(Event(at=now, actor_id=actor.id, entity="setting", entity_id=0,
                          action="updated", data=data))  # fmt: skip
    if ZONE_SETTING in changed:
        session.flush()  # the rebuild reads the new zone
        _rekey_days(session)
    session.commit()
    return changed


def _rekey_days(session: Session) -> None:
    """Count Insights' daily rollups again by the company's new days (same transaction)."""
    conn = session.connection()
    rollup.rebuild(conn)
    itemrebuild.rebuild(conn)
