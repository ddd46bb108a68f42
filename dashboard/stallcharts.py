"""Where the loop stalls, as Altair charts: the funnel, forwards within the SLA by team, and
rising themes; plus the KPI sparkline. Split like `dashboard.charts` (`<noun>_frame`,
`<noun>_layout`, `<noun>_chart`), same palettes (`dashboard.chartkit`), no Streamlit.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.chartkit import ACCENT, COMPLAINT_COLOR, SLA_COLORS, pick, scale


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
            color=alt.Color("outcome:N", title="Acknowledged", scale=scale(SLA_COLORS)),
            tooltip=[
                alt.Tooltip("team:N", title="Team"),
                alt.Tooltip("outcome:N", title="Outcome"),
                alt.Tooltip("forwards:Q", title="Forwards", format=","),
            ],
        )
        .add_params(pick("team"))
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
        .add_params(pick("theme_id"))
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
