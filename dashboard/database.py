"""The dashboard's way into the database: the shared engine, sessions, and the company's time zone.

The engine is cached per `DATABASE_URL` (`st.cache_resource`), and the schema is upgraded once
per URL, so a fresh database works. Every cached reader (`dashboard.review_reads`,
`dashboard.insights_reads`, `dashboard.item_reads`) reads through `session()`; the time zone is
here because every page shows its days and moments in it. Pages reach all of this through
`dashboard.data`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from db import schema
from db.clock import company_zone, zone_key, zone_named
from db.engine import database_url, make_engine


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    eng = make_engine(url)
    schema.upgrade(eng)
    return eng


def engine() -> Engine:
    """Return the shared engine for `DATABASE_URL`, schema upgraded on first use."""
    return _engine_for(database_url())


@contextmanager
def session() -> Iterator[Session]:
    """Yield a fresh Session on the shared engine (commits are the domain function's)."""
    with Session(engine(), expire_on_commit=False) as s:
        yield s


@st.cache_data(ttl=60, show_spinner=False)
def zone_name() -> str:
    """Return the company's time zone (the `time_zone` setting), by its IANA name."""
    with session() as s:
        return zone_key(company_zone(s))


def zone() -> ZoneInfo:
    """Return the company's time zone: every day and moment the app shows is in it."""
    return zone_named(zone_name())
