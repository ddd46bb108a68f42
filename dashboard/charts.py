"""Pure Altair builders for the Insights page: a DataFrame in, a chart out, no Streamlit.

One palette per dimension, so a state or a channel has the same colour on every chart. Every
chart has a title, titled axes and tooltips, and is sized for a laptop screen. Charts a click can
lead from carry a point selection named `pick` (read back through `st.altair_chart(...,
on_select="rerun")`). Each chart is split in two: `<noun>_frame` shapes the rows it draws,
`<noun>_layout` builds the chart around any data (a DataFrame, or named data for
`dashboard.chartspecs`, which builds each layout once and swaps the rows in); `<noun>_chart`
puts both together. The palettes live in `dashboard.chartkit`, the "where it stalls" charts
(funnel, SLA, themes) and the sparkline in `dashboard.stallcharts`; all are importable from here.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.chartkit import (
    ACCENT,
    CHANNEL_COLORS,
    CHANNEL_LABELS,
    COMPLAINT_COLOR,
    HEIGHT,
    PICK,
    SLA_COLORS,
    STATE_COLORS,
    STATE_LABELS,
    pick,
    scale,
)
from dashboard.stallcharts import (
    funnel_chart,
    funnel_frame,
    funnel_layout,
    sla_chart,
    sla_frame,
    sla_layout,
    sparkline_chart,
    themes_chart,
    themes_layout,
)

__all__ = [
    "ACCENT",
    "CHANNEL_COLORS",
    "CHANNEL_LABELS",
    "COMPLAINT_COLOR",
    "HEIGHT",
    "PICK",
    "SLA_COLORS",
    "STATE_COLORS",
    "STATE_LABELS",
    "flow_chart",
    "flow_frame",
    "flow_layout",
    "funnel_chart",
    "funnel_frame",
    "funnel_layout",
    "leadtime_chart",
    "leadtime_layout",
    "median_frame",
    "sla_chart",
    "sla_frame",
    "sla_layout",
    "sparkline_chart",
    "themes_chart",
    "themes_layout",
    "volume_chart",
    "volume_frame",
    "volume_layout",
]


def volume_chart(df: pd.DataFrame) -> alt.LayerChart:
    """Stacked messages per day by channel, with the share of complaints as a line."""
    return volume_layout(volume_frame(df))


SHARE_DAYS = 7  # the complaint share is read over a week: a quiet day's 2 of 3 is no trend


def volume_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Add the channels' display names and each day's complaint share over SHARE_DAYS days
    (that day and the days before it in the period; days without messages count as none)."""
    out = df.assign(channel_label=df["channel"].map(CHANNEL_LABELS).fillna(df["channel"]))
    if out.empty:
        return out.assign(week_share=pd.Series(dtype=float))
    daily = out.groupby("day")[["messages", "complaints"]].sum()
    days = pd.date_range(daily.index.min(), daily.index.max(), freq="D")
    week = daily.reindex(days, fill_value=0).rolling(SHARE_DAYS, min_periods=1).sum()
    share = week["complaints"] / week["messages"].where(week["messages"] > 0)
    return out.assign(week_share=out["day"].map(share))


def volume_layout(data) -> alt.LayerChart:
    """Build the volume chart around `data` (rows of `volume_frame`)."""
    base = alt.Chart(data).encode(x=alt.X("day:T", title="Day", axis=alt.Axis(format="%d %b")))
    bars = (
        base.mark_bar(opacity=0.85)
        .encode(
            y=alt.Y("sum(messages):Q", title="Messages"),
            color=alt.Color(
                "channel_label:N", title="Channel", scale=scale(CHANNEL_COLORS, CHANNEL_LABELS)
            ),
            tooltip=[
                alt.Tooltip("day:T", title="Day", format="%a %d %b"),
                alt.Tooltip("channel_label:N", title="Channel"),
                alt.Tooltip("messages:Q", title="Messages", format=","),
                alt.Tooltip("complaint_share:Q", title="Complaints", format=".0%"),
            ],
        )
        .add_params(pick("day", "channel"))
    )
    share = (
        base.transform_aggregate(
            messages="sum(messages)",
            complaints="sum(complaints)",
            week_share="max(week_share)",  # the same on every channel's row of a day
            groupby=["day"],
        )
        .transform_calculate(share="datum.complaints / datum.messages")
        .mark_line(color=COMPLAINT_COLOR, strokeWidth=2, point={"color": COMPLAINT_COLOR})
        .encode(
            y=alt.Y(
                "week_share:Q",
                title=f"Share of complaints, {SHARE_DAYS} days",
                axis=alt.Axis(format=".0%"),
            ),
            tooltip=[
                alt.Tooltip("day:T", title="Day", format="%a %d %b"),
                alt.Tooltip("week_share:Q", title=f"Complaints, {SHARE_DAYS} days", format=".0%"),
                alt.Tooltip("share:Q", title="Complaints that day", format=".0%"),
            ],
        )
    )
    title = f"Messages per day, and the share that are complaints over {SHARE_DAYS} days"
    return (
        alt.layer(bars, share).resolve_scale(y="independent").properties(title=title, height=HEIGHT)
    )


def leadtime_chart(df: pd.DataFrame, *, median: float | None = None) -> alt.LayerChart:
    """Histogram (pre-binned) of days from first complaint to shipped fix, median marked."""
    return leadtime_layout(df, median_frame(median))


def median_frame(median: float | None) -> pd.DataFrame:
    """Return the one-row table the median rule is drawn from (no row: no rule)."""
    return pd.DataFrame({"median": [] if median is None else [median]})


def leadtime_layout(bins, median) -> alt.LayerChart:
    """Build the lead-time chart around the bins' data and the median's."""
    bars = (
        alt.Chart(bins)
        .mark_bar(color=STATE_COLORS["shipped"])
        .encode(
            x=alt.X("days_from:Q", bin="binned", title="Days from first complaint to fix"),
            x2="days_to:Q",
            y=alt.Y("items:Q", title="Items shipped", axis=alt.Axis(format=",d", tickMinStep=1)),
            tooltip=[
                alt.Tooltip("days_from:Q", title="From day", format=".1f"),
                alt.Tooltip("days_to:Q", title="To day", format=".1f"),
                alt.Tooltip("items:Q", title="Items", format=","),
            ],
        )
    )
    rule = (
        alt.Chart(median)
        .mark_rule(color="#333333", strokeDash=[4, 3], strokeWidth=2)
        .encode(
            x=alt.X("median:Q"),
            tooltip=[alt.Tooltip("median:Q", title="Median days", format=".1f")],
        )
    )
    return alt.layer(bars, rule).properties(
        title="Days from first complaint to shipped fix (dashed: median)", height=HEIGHT
    )


def flow_chart(df: pd.DataFrame) -> alt.Chart:
    """Cumulative flow: stacked items in each state at the end of each day."""
    return flow_layout(flow_frame(df))


def flow_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Add the states' display names and their stacking order."""
    order = {s: i for i, s in enumerate(reversed(list(STATE_COLORS)))}
    return df.assign(
        state_label=df["state"].map(STATE_LABELS), order=df["state"].map(order).astype("int64")
    )


def flow_layout(data) -> alt.Chart:
    """Build the cumulative flow chart around `data` (rows of `flow_frame`)."""
    return (
        alt.Chart(data)
        .mark_area(opacity=0.9)
        .encode(
            x=alt.X("day:T", title="Day", axis=alt.Axis(format="%d %b")),
            y=alt.Y(
                "items:Q", stack="zero", title="Items", axis=alt.Axis(format=",d", tickMinStep=1)
            ),
            color=alt.Color(
                "state_label:N", title="State", scale=scale(STATE_COLORS, STATE_LABELS)
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("day:T", title="Day", format="%a %d %b"),
                alt.Tooltip("state_label:N", title="State"),
                alt.Tooltip("items:Q", title="Items", format=","),
            ],
        )
        .properties(title="Items in each state (cumulative flow)", height=HEIGHT)
    )
