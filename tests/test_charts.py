"""Each Insights chart's Vega-Lite specification: marks, encodings, titles, palettes."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
from altair.utils.data import to_values

from dashboard import charts, chartspecs


def _volume() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "day": pd.to_datetime(["2026-11-14", "2026-11-14", "2026-11-15"]),
            "channel": ["email", "tweet", "tweet"],
            "messages": [10, 30, 25],
            "complaints": [4, 6, 5],
            "complaint_share": [0.4, 0.2, 0.2],
        }
    )


def _title(spec: dict) -> str:
    title = spec["title"]
    return title if isinstance(title, str) else title["text"]


def test_volume_chart_stacks_channels_and_overlays_complaint_share():
    spec = charts.volume_chart(_volume()).to_dict()
    bars, line = spec["layer"]
    assert bars["mark"]["type"] == "bar" and line["mark"]["type"] == "line"
    assert bars["encoding"]["x"]["title"] == "Day"
    assert bars["encoding"]["y"] == {
        "aggregate": "sum",
        "field": "messages",
        "title": "Messages",
        "type": "quantitative",
    }
    assert bars["encoding"]["color"]["scale"]["domain"] == ["Email", "Post on X"]
    assert bars["encoding"]["color"]["scale"]["range"] == list(charts.CHANNEL_COLORS.values())
    assert line["encoding"]["y"]["field"] == "week_share"
    assert line["encoding"]["y"]["title"] == "Share of complaints, 7 days"
    assert spec["resolve"]["scale"]["y"] == "independent"
    assert spec["params"][0]["select"]["fields"] == ["day", "channel"]
    assert "complaints" in _title(spec)


def test_the_complaint_share_is_read_over_seven_days_so_a_quiet_day_does_not_spike_it():
    days = pd.to_datetime(["2026-11-01", "2026-11-01", "2026-11-02", "2026-11-09"])
    frame = charts.volume_frame(pd.DataFrame({
        "day": days, "channel": ["email", "tweet", "tweet", "tweet"],
        "messages": [10, 30, 3, 4], "complaints": [4, 6, 2, 1],
        "complaint_share": [0.4, 0.2, 2 / 3, 0.25],
    }))  # fmt: skip
    share = dict(zip(frame["day"].dt.day, frame["week_share"], strict=True))
    assert share[1] == 10 / 40  # both channels of the day
    assert share[2] == 12 / 43  # a quiet Sunday's 2 of 3 barely moves it
    assert share[9] == 1 / 4  # a week later: 1 and 2 November are out of the window


def test_an_empty_period_has_no_complaint_share():
    empty = pd.DataFrame({k: [] for k in ("day", "channel", "messages", "complaints")})
    assert charts.volume_frame(empty)["week_share"].empty


def test_leadtime_chart_draws_prebinned_bars_and_marks_the_median():
    df = pd.DataFrame({"days_from": [0.0, 2.0], "days_to": [2.0, 4.0], "items": [3, 1]})
    spec = charts.leadtime_chart(df, median=1.5).to_dict()
    bars, rule = spec["layer"]
    assert bars["mark"]["type"] == "bar" and bars["encoding"]["x"]["bin"] == "binned"
    assert bars["encoding"]["x2"] == {"field": "days_to"}
    assert bars["encoding"]["x"]["title"] == "Days from first complaint to fix"
    assert bars["encoding"]["y"]["title"] == "Items shipped"
    assert rule["mark"]["type"] == "rule" and rule["encoding"]["x"]["field"] == "median"
    assert spec["datasets"][rule["data"]["name"]] == [{"median": 1.5}]
    assert "shipped fix" in _title(spec)


def test_flow_chart_stacks_states_in_workflow_colours():
    df = pd.DataFrame(
        {
            "day": pd.to_datetime(["2026-11-14"] * 2),
            "state": ["new", "shipped"],
            "items": [3, 1],
        }
    )
    spec = charts.flow_chart(df).to_dict()
    assert spec["mark"]["type"] == "area"
    enc = spec["encoding"]
    assert enc["y"]["stack"] == "zero" and enc["y"]["title"] == "Items"
    assert enc["color"]["scale"]["range"] == list(charts.STATE_COLORS.values())
    assert enc["color"]["scale"]["domain"][0] == "New (unowned)"
    assert [t["title"] for t in enc["tooltip"]] == ["Day", "State", "Items"]
    assert _title(spec) == "Items in each state (cumulative flow)"


def test_funnel_chart_keeps_stage_order_and_labels_counts():
    df = pd.DataFrame(
        {
            "stage": ["Messages", "Forwarded", "On an item", "Shipped", "Loop closed"],
            "messages": [1000, 30, 20, 10, 5],
            "share": [1.0, 0.03, 0.02, 0.01, 0.005],
        }
    )
    spec = charts.funnel_chart(df).to_dict()
    bars, text = spec["layer"]
    assert bars["mark"]["type"] == "bar" and text["mark"]["type"] == "text"
    assert bars["encoding"]["y"]["sort"] == list(df["stage"])
    assert bars["encoding"]["x"]["title"] == "Messages"
    values = spec["datasets"][next(iter(spec["datasets"]))]
    assert values[1]["label"] == "30 (3.0%)"


def test_sla_chart_splits_each_team_into_on_time_late_and_open():
    df = pd.DataFrame({"team": ["Charging"], "due": [5], "late": [1], "still_open": [2]})
    spec = charts.sla_chart(df).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["y"]["title"] == "Team (recipient)"
    assert spec["encoding"]["color"]["scale"]["domain"] == ["On time", "Late", "Still open"]
    values = spec["datasets"][next(iter(spec["datasets"]))]
    assert {(v["outcome"], v["forwards"]) for v in values} == {
        ("On time", 2),
        ("Late", 1),
        ("Still open", 2),
    }
    assert spec["params"][0]["name"] == charts.PICK


def test_themes_chart_is_clickable_by_theme():
    df = pd.DataFrame(
        {"theme_id": [7], "label": ["Idle cars"], "messages": [9], "previous": [2], "change": [7]}
    )
    spec = charts.themes_chart(df).to_dict()
    bars, ticks = spec["layer"]
    assert spec["params"][0]["select"]["fields"] == ["theme_id"]
    assert ticks["mark"]["type"] == "tick"
    assert [t["title"] for t in bars["encoding"]["tooltip"]] == [
        "Theme",
        "This period",
        "Previous period",
        "Change",
    ]


def test_sparkline_has_no_axes():
    spec = charts.sparkline_chart([1.0, 3.0, 2.0]).to_dict()
    assert spec["mark"]["type"] == "line"
    assert spec["encoding"]["x"]["axis"] is None and spec["encoding"]["y"]["axis"] is None


def _resolved(spec: dict) -> dict:
    """Return the spec with each named data reference replaced by its rows (and view names,
    which Altair numbers per chart built, made equal)."""
    datasets = spec.get("datasets", {})

    def walk(node):
        if isinstance(node, str):
            return re.sub(r"^view_\w+$", "view", node)
        if isinstance(node, dict):
            if set(node) == {"name"} and node["name"] in datasets:
                return {"values": datasets[node["name"]]}
            return {k: walk(v) for k, v in node.items() if k != "datasets"}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(spec)


def test_fast_specs_draw_the_same_as_the_altair_charts():
    themes = pd.DataFrame(
        {"theme_id": [7], "label": ["Idle cars"], "messages": [9], "previous": [2], "change": [7]}
    )
    frames = {
        "volume": _volume(),
        "lead_bins": pd.DataFrame({"days_from": [0.0], "days_to": [2.0], "items": [3]}),
        "flow": pd.DataFrame(
            {
                "day": pd.to_datetime(["2026-11-14"] * 2),
                "state": ["new", "shipped"],
                "items": [3, 1],
            }
        ),
        "funnel": pd.DataFrame(
            {"stage": ["Messages", "Shipped"], "messages": [10, 2], "share": [1.0, 0.2]}
        ),
        "sla": pd.DataFrame({"team": ["Charging"], "due": [5], "late": [1], "still_open": [2]}),
        "themes": themes,
    }
    fast = chartspecs.insights_specs(frames, median=1.5)
    slow = {
        "volume": charts.volume_chart(frames["volume"]),
        "lead_bins": charts.leadtime_chart(frames["lead_bins"], median=1.5),
        "flow": charts.flow_chart(frames["flow"]),
        "funnel": charts.funnel_chart(frames["funnel"]),
        "sla": charts.sla_chart(frames["sla"]),
        "themes": charts.themes_chart(themes),
    }
    for name, chart in slow.items():
        assert _resolved(fast[name]) == _resolved(chart.to_dict()), name
        alt.Chart.from_dict(fast[name])  # a valid Vega-Lite spec (raises if not)
    empty = {k: v.iloc[0:0] for k, v in frames.items()}
    assert chartspecs.insights_specs(empty, median=None) == {}


def test_records_match_altairs_own_conversion():
    df = pd.DataFrame(
        {
            "day": pd.to_datetime(["2026-11-14", None]),
            "label": ["a", None],
            "share": [0.5, float("nan")],
            "n": [3, 4],
            "flag": [True, False],
            "mixed": [1.5, "x"],
        }
    )
    assert chartspecs.records(df) == to_values(df)["values"]
    assert chartspecs.records(df.iloc[0:0]) == to_values(df.iloc[0:0])["values"]
