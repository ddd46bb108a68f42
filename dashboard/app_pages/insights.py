"""Insights: is the loop getting faster, and where does it stall? KPIs first, then charts.

Executives see every team; a manager sees their own team. The numbers come from `db.metrics`
through cached readers in `dashboard.data` (keyed by period, team and channel only); the
charts from `dashboard.charts`, drawn by `dashboard.insights_ui`. Clicking a theme, a volume
bar or a team's SLA bar shows the messages or forwards behind it, as plain text in a table.
"""

from __future__ import annotations

import streamlit as st

from dashboard import data, insights_ui, signin

me = signin.current_user()
st.title("Insights")
st.caption("How fast complaints become shipped fixes, and where the loop stalls.")
span, team, channel = insights_ui.filters(me)
frames = data.insights_frames(*span, team, channel)
specs = data.insights_specs(*span, team, channel)
insights_ui.kpi_row(frames["kpis"], (span[1] - span[0]).days + 1)
scope = f"{team or 'All teams'} · {span[0]:%d %b} – {span[1]:%d %b %Y}"
st.subheader("Volume", divider="gray")
st.caption(f"{scope} · messages are not team-specific; click a bar for its messages")
if not insights_ui.empty(frames["volume"], "messages"):
    insights_ui.volume_section(specs, span, channel)
st.subheader("Lead time and flow", divider="gray")
left, right = st.columns(2)
with left:
    if not insights_ui.empty(frames["lead_bins"], "items shipped"):
        st.vega_lite_chart(specs["lead_bins"])
with right:
    if frames["flow"]["items"].sum() == 0:
        st.info("No items yet.")
    else:
        st.vega_lite_chart(specs["flow"])
st.subheader("Where it stalls", divider="gray")
left, right = st.columns(2)
with left:
    st.vega_lite_chart(specs["funnel"])
with right:
    insights_ui.sla_section(specs, span)
st.subheader("Rising themes", divider="gray")
st.caption("Themes that grew most against the previous period; click one to see its messages")
insights_ui.themes_section(frames, specs, span, channel)
