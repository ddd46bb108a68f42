"""Cached reads behind the Insights page: its KPIs, chart frames and specs, and drill-downs.

Aggregates from `db.metrics`, keyed by period, team and channel only (no user data), so one
fill serves every user; they are read from rollups kept in the same transaction as each write,
so `dashboard.data.clear_caches()` forgets them too and they refill in a few hundred ms. Pages
import these through `dashboard.data`.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.database import session, zone
from db.models import utcnow


@st.cache_data(ttl=300, show_spinner=False)
def insights_frames(
    first: date, last: date, team: str | None, channel: str | None
) -> dict[str, Any]:
    """Return the Insights KPIs (list of Kpi) and one DataFrame per chart for the period."""
    from db import metrics

    period = metrics.Period.between(first, last, zone())
    scope = metrics.Scope(team=team, channel=channel)
    with session() as s:
        got = metrics.insights(s, period=period, scope=scope, now=utcnow())
    frames: dict[str, Any] = {"kpis": got.kpis}
    for name in ("volume", "lead_bins", "flow", "funnel", "sla", "themes"):
        rows = getattr(got, name)  # flat dataclasses: column lists, not an asdict() per row
        names = [f.name for f in fields(rows[0])] if rows else []
        frame = pd.DataFrame({k: [getattr(r, k) for r in rows] for k in names})
        if "day" in frame:
            frame["day"] = pd.to_datetime(frame["day"])
        frames[name] = frame
    return frames


@st.cache_data(ttl=300, show_spinner=False)
def insights_specs(
    first: date, last: date, team: str | None, channel: str | None
) -> dict[str, dict]:
    """Return the Insights charts as Vega-Lite specs (layouts built once per process)."""
    from dashboard import chartspecs

    frames = insights_frames(first, last, team, channel)
    return chartspecs.insights_specs(frames, median=frames["kpis"][0].value)


@st.cache_data(ttl=300, show_spinner=False)
def insights_teams() -> list[str]:
    """Return the team names to filter Insights by."""
    from db import metrics

    with session() as s:
        return metrics.teams(s)


@st.cache_data(ttl=60, show_spinner=False)
def insights_messages(
    first: date, last: date, channel: str | None, theme_id: int | None, day: date | None
) -> pd.DataFrame:
    """Return the top messages behind a clicked theme or volume bar."""
    from db import metrics

    period = metrics.Period.between(first, last, zone())
    with session() as s:
        rows = metrics.drill_messages(s, period=period, channel=channel, theme_id=theme_id, day=day)
    return pd.DataFrame(rows)


@st.cache_data(ttl=60, show_spinner=False)
def insights_breaches(first: date, last: date, team: str | None) -> pd.DataFrame:
    """Return the forwards behind a clicked SLA bar (late or still open)."""
    from db import metrics

    period = metrics.Period.between(first, last, zone())
    with session() as s:
        rows = metrics.sla_breaches(s, period=period, team=team, now=utcnow())
    return pd.DataFrame(rows)
