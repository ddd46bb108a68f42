"""Pure Altair builders for the Insights page: a DataFrame in, a chart out, no Streamlit.

One palette per dimension, so a state or a channel has the same colour on every chart. Every
chart has a title, titled axes and tooltips, and is sized for a laptop screen. Charts a click can
lead from carry a point selection named `pick` (read back through `st.altair_chart(...,
on_select="rerun")`). Each chart is split in two: `<noun>_frame` shapes the rows it draws,
`<noun>_layout` builds the chart around any data (a DataFrame, or named data for
`dashboard.chartspecs`, which builds each layout once and swaps the rows in); `<noun>_chart`
puts both together.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

STATE_COLORS = {
    "new": "#9aa5b1",
    "acknowledged": "#f2b134",
    "in_progress": "#4c78a8",
    "shipped": "#54a24b",
    "loop_closed": "#1b6e3a",
    "declined": "#b279a2",
    "duplicate": "#d8d8d8",
}
STATE_LABELS = {
    "new": "New (unowned)",
    "acknowledged": "Acknowledged",
    "in_progress": "In progress",
    "shipped": "Shipped",
    "loop_closed": "Loop closed",
    "declined": "Declined",
    "duplicate": "Duplicate",
}
CHANNEL_COLORS = {"email": "#4c78a8", "tweet": "#72b7b2"}
CHANNEL_LABELS = {"email": "Email", "tweet": "Post on X"}
SLA_COLORS = {"On time": "#54a24b", "Late": "#f2b134", "Still open": "#e45756"}
ACCENT = "#4c78a8"
COMPLAINT_COLOR = "#e45756"
HEIGHT = 260
PICK = "pick"


def _scale(palette: dict[str, str], labels: dict[str, str] | None = None) -> alt.Scale:
    names = [labels[k] for k in palette] if labels else list(palette)
    return alt.Scale(domain=names, range=list(palette.values()))


def _pick(*fields: str) -> alt.Parameter:
    return alt.selection_point(name=PICK, fields=list(fields), on="click")


def volume_chart(df: pd.DataFrame) -> alt.LayerChart:
    """Stacked messages per day by channel, with the share of complaints as a line."""
    return volume_layout(volume_frame(df))


def volume_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Add the channels' display names."""
    return df.assign(channel_label=df["channel"].map(CHANNEL_LABELS).fillna(df["channel"]))


def volume_layout(data) -> alt.LayerChart:
    """Build the volume chart around `data` (rows of `volume_frame`)."""
    base = alt.Chart(data).encode(x=alt.X("day:T", title="Day", axis=alt.Axis(format="%d %b")))
    bars = (
        base.mark_bar(opacity=0.85)
        .encode(
            y=alt.Y("sum(messages):Q", title="Messages"),
            color=alt.Color(
                "channel_label:N", title="Channel", scale=_scale(CHANNEL_COLORS, CHANNEL_LABELS)
            ),
            tooltip=[
                alt.Tooltip("day:T", title="Day", format="%a %d %b"),
                alt.Tooltip("channel_label:N", title="Channel"),
                alt.Tooltip("messages:Q", title="Messages", format=","),
                alt.Tooltip("complaint_share:Q", title="Complaints", format=".0%"),
            ],
        )
        .add_params(_pick("day", "channel"))
    )
    share = (
        base.transform_aggregate(
            messages="sum(messages)", complaints="sum(complaints)", groupby=["day"]
        )
        .transform_calculate(share="datum.complaints / datum.messages")
        .mark_line(color=COMPLAINT_COLOR, strokeWidth=2, point={"color": COMPLAINT_COLOR})
        .encode(
            y=alt.Y("share:Q", title="Share of complaints", axis=alt.Axis(format=".0%")),
            tooltip=[
                alt.Tooltip("day:T", title="Day", format="%a %d %b"),
                alt.Tooltip("share:Q", title="Complaints", format=".0%"),
            ],
        )
    )
    return (
        alt.layer(bars, share)
        .resolve_scale(y="independent")
        .properties(title="Messages per day, and the share that are complaints", height=HEIGHT)
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
                "state_label:N", title="State", scale=_scale(STATE_COLORS, STATE_LABELS)
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


def funnel_chart(df: pd.DataFrame) -> alt.LayerChart:
    """Funnel message → forwarded → item → shipped → loop closed, each bar labelled."""
    return funnel_layout(funnel_frame(df), stages=tuple(df["stage"]))


def funnel_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Add each bar's label: the count and the share of all messages."""
    return df.assign(
        label=[f"{n:,} ({s:.1%})" for n, s in zip(df["messages"], df["share"], strict=True)]
    )


def funnel_layout(data, *, stages: tuple[str, ...]) -> alt.LayerChart:
    """Build the funnel around `data` (rows of `funnel_frame`), stages top to bottom."""
    base = alt.Chart(data).encode(
        y=alt.Y("stage:N", sort=list(stages), title=None, axis=alt.Axis(labelOverlap=False)),
        x=alt.X("messages:Q", title="Messages", scale=alt.Scale(nice=True)),
        tooltip=[
            alt.Tooltip("stage:N", title="Stage"),
            alt.Tooltip("messages:Q", title="Messages", format=","),
            alt.Tooltip("share:Q", title="Of all messages", format=".1%"),
        ],
    )
    bars = base.mark_bar(color=ACCENT)
    text = base.mark_text(align="left", dx=4, color="#333333").encode(text="label:N")
    return alt.layer(bars, text).properties(title="From message to closed loop", height=220)


def sla_chart(df: pd.DataFrame) -> alt.Chart:
    """Forwards due in the period per team: on time, late, still open past respond-by."""
    return sla_layout(sla_frame(df))


def sla_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Return one row per team and outcome (on time, late, still open)."""
    long = df.assign(on_time=df["due"] - df["late"] - df["still_open"]).melt(
        id_vars=["team"],
        value_vars=["on_time", "late", "still_open"],
        var_name="outcome",
        value_name="forwards",
    )
    long["outcome"] = long["outcome"].map(
        {"on_time": "On time", "late": "Late", "still_open": "Still open"}
    )
    return long


def sla_layout(data) -> alt.Chart:
    """Build the SLA chart around `data` (rows of `sla_frame`)."""
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y(
                "team:N", title="Team (recipient)", sort="-x", axis=alt.Axis(labelOverlap=False)
            ),
            x=alt.X("sum(forwards):Q", title="Forwards due"),
            color=alt.Color("outcome:N", title="Acknowledged", scale=_scale(SLA_COLORS)),
            tooltip=[
                alt.Tooltip("team:N", title="Team"),
                alt.Tooltip("outcome:N", title="Outcome"),
                alt.Tooltip("forwards:Q", title="Forwards", format=","),
            ],
        )
        .add_params(_pick("team"))
        .properties(title="Forwards acknowledged within the SLA, by team", height=220)
    )


def themes_chart(df: pd.DataFrame) -> alt.LayerChart:
    """Top rising themes: messages this period (bar) against the previous period (tick)."""
    return themes_layout(df, rows=len(df))


def themes_layout(data, *, rows: int) -> alt.LayerChart:
    """Build the themes chart around `data`, tall enough for `rows` themes."""
    base = alt.Chart(data).encode(
        y=alt.Y(
            "label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260, labelOverlap=False)
        ),
        tooltip=[
            alt.Tooltip("label:N", title="Theme"),
            alt.Tooltip("messages:Q", title="This period", format=","),
            alt.Tooltip("previous:Q", title="Previous period", format=","),
            alt.Tooltip("change:Q", title="Change", format="+,"),
        ],
    )
    bars = (
        base.mark_bar(color=COMPLAINT_COLOR, opacity=0.85)
        .encode(x=alt.X("messages:Q", title="Messages (tick: previous period)"))
        .add_params(_pick("theme_id"))
    )
    ticks = base.mark_tick(color="#333333", thickness=2, size=18).encode(x="previous:Q")
    return alt.layer(bars, ticks).properties(
        title="Messages per theme: this period (bar) and the previous one (tick)",
        height=max(120, 30 * rows),
    )


def sparkline_chart(values: list[float]) -> alt.Chart:
    """A tiny line of the values, no axes: the trend behind a KPI."""
    df = pd.DataFrame({"i": range(len(values)), "value": values})
    return (
        alt.Chart(df)
        .mark_line(color=ACCENT, strokeWidth=1.5)
        .encode(
            x=alt.X("i:Q", axis=None, title="Day"),
            y=alt.Y("value:Q", axis=None, title="Value", scale=alt.Scale(zero=False)),
            tooltip=[alt.Tooltip("value:Q", title="Value")],
        )
        .properties(height=40, width=140)
    )
