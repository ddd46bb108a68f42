"""What the Insights page draws: its filters, the KPI row, and the charts a click drills into.

Renders only. The numbers come from the cached readers in `dashboard.data` (keyed by period,
team and channel only), the charts' specs too; a clicked theme, volume bar or team's SLA bar
shows the messages or forwards behind it, as plain text in a table. Every widget key carries
the page's `insights_` prefix.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import streamlit as st

from dashboard import charts, data, ui
from db.clock import local_day

PERIODS = {"7 days": 7, "30 days": 30, "90 days": 90, "Custom": None}
CHANNELS = {"All channels": None, "Email": "email", "Posts on X": "tweet"}
MESSAGE_COLUMNS = {
    "received_at": "Received",
    "channel": "Channel",
    "sender": "From",
    "subject": "Subject",
    "text": "Text",
    "score": "Score",
}
BREACH_COLUMNS = {
    "title": "About",
    "recipient": "Forwarded to",
    "respond_by": "Respond by",
    "acknowledged_at": "Acknowledged",
    "item": "Item",
}
LOWER_IS_BETTER = {"days", "h", "items", "forwards"}
HELP = {
    "Days to fix (median)": "Median days from an item's first complaint to its shipped fix.",
    "Days to fix (p90)": "Nine in ten fixes shipped in the period took at most this long.",
    "Hours to acknowledge": "Median hours from a forward to the recipient acknowledging it.",
    "Open items": "Items new, acknowledged or in progress at the end of the period.",
    "Unowned items": "Open items no owner has accepted yet.",
    "Overdue forwards": "Forwards past their respond-by time and not yet acknowledged.",
    "Loop closed": "Share of items shipped in the period whose customers have been told.",
    "Notable cards per day": "Feed cards (a theme or a single message) worth a look, per day.",
}


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "%":
        return f"{value:.0f}%"
    if unit in ("days", "h"):
        return f"{value:.1f} {'d' if unit == 'days' else 'h'}"
    return f"{value:,.1f}" if unit == "cards" else f"{int(value):,}"


def _period_picker(today: date) -> tuple[date, date]:
    choice = st.segmented_control(
        "Period", list(PERIODS), default="30 days", key="insights_period", required=True
    )
    days = PERIODS.get(choice or "30 days")
    if days:
        return today - timedelta(days=days - 1), today
    picked = st.date_input(
        "From – to", (today - timedelta(days=29), today), max_value=today, key="insights_range"
    )
    return (picked[0], picked[-1]) if len(picked) else (today, today)


def filters(me) -> tuple[tuple[date, date], str | None, str | None]:
    """Show the period, team and channel pickers; return (span, team, channel)."""
    today = local_day(datetime.now(UTC), data.zone())
    left, mid, right = st.columns([2, 1, 1], vertical_alignment="bottom")
    with left:
        span = _period_picker(today)
    with mid:
        if me.role == "manager":
            st.selectbox("Team", [me.team or "All teams"], disabled=True, key="insights_myteam")
            team = me.team
        else:
            team = st.selectbox("Team", ["All teams", *data.insights_teams()], key="insights_team")
            team = None if team == "All teams" else team
    with right:
        channel = CHANNELS[st.selectbox("Channel", list(CHANNELS), key="insights_channel")]
    return span, team, channel


def _delta(k) -> tuple[str | None, str]:
    if k.delta is None:
        return None, "off"
    if k.delta == 0:
        return f"±0 {k.unit}", "off"
    good = "inverse" if k.unit in LOWER_IS_BETTER else "normal"
    return f"{k.delta:+g} {k.unit}", "off" if k.unit == "cards" else good


def kpi_row(kpis, span_days: int) -> None:
    """Show the KPIs as two rows of metric tiles, each against the previous period."""
    for row in (kpis[:4], kpis[4:]):
        for col, k in zip(st.columns(len(row)), row, strict=True):
            delta, color = _delta(k)
            col.metric(
                k.name,
                _fmt(k.value, k.unit),
                delta,
                delta_color=color,
                delta_arrow="off" if k.delta == 0 else "auto",
                help=f"{HELP[k.name]} Previous {span_days} days: {_fmt(k.previous, k.unit)}.",
                border=True,
                height=190,
                chart_data=k.spark if len(k.spark) > 1 else None,
                chart_type="line",
            )


def _picked(event) -> list[dict]:
    return (event.selection.get(charts.PICK) if event else None) or []


def _show_messages(frame: pd.DataFrame, caption: str) -> None:
    st.caption(caption)
    if frame.empty:
        st.info("No messages match.")
        return
    shown = frame.drop(columns=["id", "item_id"]).assign(
        subject=frame["subject"].fillna("—"),  # a post has none
        channel=frame["channel"].map(charts.CHANNEL_LABELS),
        received_at=pd.to_datetime(frame["received_at"], utc=True)
        .dt.tz_convert(data.zone_name())
        .dt.strftime(ui.STAMP),
    )
    columns = {**MESSAGE_COLUMNS, "received_at": ui.zone_header("Received")}
    ui.dataframe(shown.rename(columns=columns), hide_index=True, height=240)


def volume_section(specs, span, channel) -> None:
    """Show the volume chart and the top messages of a clicked day."""
    event = st.vega_lite_chart(specs["volume"], key="insights_volume", on_select="rerun")
    for pick in _picked(event)[:1]:
        day = pd.to_datetime(pick["day"], unit="ms").date()
        rows = data.insights_messages(*span, pick.get("channel", channel), None, day)
        _show_messages(rows, f"Top messages on {day:%d %b} (by score)")


def sla_section(specs, span) -> None:
    """Show the SLA chart and the late or open forwards of a clicked team."""
    if "sla" not in specs:
        st.info("No forwards were due in this period.")
        return
    event = st.vega_lite_chart(specs["sla"], key="insights_sla", on_select="rerun")
    for pick in _picked(event)[:1]:
        rows = data.insights_breaches(*span, pick["team"])
        st.caption(f"Forwards to {ui.escape_md(pick['team'])} acknowledged late or still open")
        if rows.empty:
            st.info("None of them breached the SLA.")
            continue
        link = st.column_config.LinkColumn("Item", display_text=r"item=(\d+)", width="small")
        shown = rows.assign(
            item=[f"/item?item={i}" if i == i and i else None for i in rows["item_id"]]
        )
        shown = shown.drop(columns=["item_id", "forward_id"]).rename(columns=BREACH_COLUMNS)
        ui.dataframe(shown, hide_index=True, column_config={"Item": link})


def themes_section(frames, specs, span, channel) -> None:
    """Show the rising themes and the messages of a clicked theme."""
    if "themes" not in specs:
        st.info("No theme grew against the previous period.")
        return
    event = st.vega_lite_chart(specs["themes"], key="insights_themes", on_select="rerun")
    for pick in _picked(event)[:1]:
        label = frames["themes"].set_index("theme_id")["label"].get(pick["theme_id"], "")
        rows = data.insights_messages(*span, channel, int(pick["theme_id"]), None)
        _show_messages(rows, f"Messages about “{ui.escape_md(label)}” in this period")


def empty(frame: pd.DataFrame, what: str) -> bool:
    """Say so when `frame` has no rows for the period; True if it has none."""
    if frame.empty:
        st.info(f"No {what} in this period.")
    return frame.empty
