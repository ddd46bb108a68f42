"""What every Insights chart shares: one palette per dimension and the click selection.

A state or a channel has the same colour and label on every chart (`dashboard.charts`,
`dashboard.stallcharts`); a chart a click can lead from carries a point selection named `PICK`.
"""

from __future__ import annotations

import altair as alt

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


def scale(palette: dict[str, str], labels: dict[str, str] | None = None) -> alt.Scale:
    """Return a colour scale in the palette's order (by display label when given)."""
    names = [labels[k] for k in palette] if labels else list(palette)
    return alt.Scale(domain=names, range=list(palette.values()))


def pick(*fields: str) -> alt.Parameter:
    """Return the click selection on `fields` the page reads back."""
    return alt.selection_point(name=PICK, fields=list(fields), on="click")
