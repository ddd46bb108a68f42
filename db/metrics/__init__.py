"""Insights metrics: how fast the loop runs and where it stalls, computed in SQL aggregates.

Owns the KPIs (days from first complaint to shipped fix, hours to acknowledge a forward, open,
unowned and overdue work, loop-closed share, notable cards per day — each against the previous
period) and the series behind the Insights charts. Split by what they read: `messages` (the
daily message rollup), `items` and `leads` (the item rollups of `db.itemrollup`, with the
event-based reference queries in `live`), `forwards` (the forward rollup of `db.fwdrollup`, with
the reference queries on the `forward` table in `fwdlive`), `spread` (percentile summaries), and
`page`, which assembles everything the page shows. Every time measure comes from audit `Event`
rows or the Forward's own timestamps; nothing loads all rows. Import from here:
`from db.metrics import insights, Period, Scope`.
"""

from db.metrics.base import (
    CHANNELS,
    FUNNEL_STAGES,
    OPEN_STATES,
    STATES,
    Kpi,
    Period,
    Scope,
    day_key,
    hours_between,
    item_conditions,
    kpi,
    message_conditions,
    percentile,
)
from db.metrics.forwards import SlaRow, ack_hours, overdue_by_day, sla_breaches, sla_by_team
from db.metrics.items import FlowPoint, FunnelStage, funnel, state_flow
from db.metrics.leads import LeadBin, LeadTime, lead_bins, lead_times
from db.metrics.messages import (
    ThemeTrend,
    VolumePoint,
    day_stats,
    drill_messages,
    rising_themes,
    teams,
    volume,
    volume_points,
)
from db.metrics.page import Insights, gather, insights, lead_kpis
from db.rollup import COMPLAINT_THRESHOLD, NOTABLE_SCORE

__all__ = [
    "CHANNELS",
    "COMPLAINT_THRESHOLD",
    "FUNNEL_STAGES",
    "NOTABLE_SCORE",
    "OPEN_STATES",
    "STATES",
    "FlowPoint",
    "FunnelStage",
    "Insights",
    "Kpi",
    "LeadBin",
    "LeadTime",
    "Period",
    "Scope",
    "SlaRow",
    "ThemeTrend",
    "VolumePoint",
    "ack_hours",
    "day_key",
    "day_stats",
    "drill_messages",
    "funnel",
    "gather",
    "hours_between",
    "insights",
    "item_conditions",
    "kpi",
    "lead_bins",
    "lead_kpis",
    "lead_times",
    "message_conditions",
    "overdue_by_day",
    "percentile",
    "rising_themes",
    "sla_breaches",
    "sla_by_team",
    "state_flow",
    "teams",
    "volume",
    "volume_points",
]
