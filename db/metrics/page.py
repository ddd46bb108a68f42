"""The Insights page's numbers in one call: every KPI against the previous period, and the
series behind each chart, for one period and scope.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from db.clock import local_day
from db.metrics.base import OPEN_STATES, Kpi, Period, Scope, kpi
from db.metrics.forwards import SlaRow, ack_spreads, overdue_by_day, sla_by_team
from db.metrics.items import FlowPoint, FunnelStage, funnel, state_flow
from db.metrics.leads import LeadBin, lead_histogram, lead_spreads
from db.metrics.messages import ThemeTrend, VolumePoint, day_stats, rising_themes, volume_points
from db.metrics.spread import Spreads


@dataclass(frozen=True)
class Insights:
    """Everything the Insights page shows for one period and scope."""

    kpis: list[Kpi]
    volume: list[VolumePoint]
    lead_bins: list[LeadBin]
    flow: list[FlowPoint]
    funnel: list[FunnelStage]
    sla: list[SlaRow]
    themes: list[ThemeTrend]


def _share(closed: int, n: int) -> float | None:
    return round(100.0 * closed / n, 1) if n else None


def _round(v: float | None, n: int = 1) -> float | None:
    return None if v is None else round(v, n)


def lead_kpis(cur: Spreads, prev: Spreads) -> list[Kpi]:
    """Return the median and p90 days to fix and the loop-closed share (per ship day)."""
    order = sorted(cur.days)
    now, before = cur.overall, prev.overall
    return [
        kpi("Days to fix (median)", _round(now.p50), _round(before.p50), "days",
            [cur.days[k].p50 for k in order]),
        kpi("Days to fix (p90)", _round(now.p90), _round(before.p90), "days",
            [cur.days[k].p90 for k in order]),
        kpi("Loop closed", _share(now.flagged, now.n), _share(before.flagged, before.n), "%",
            [100 * cur.days[k].flagged / cur.days[k].n for k in order]),
    ]  # fmt: skip


def gather(session: Session, jobs: dict[str, Callable[[Session], Any]]) -> dict[str, Any]:
    """Run independent read queries one after another on `session`.

    Running them on two pooled connections at once was measured and gained nothing on two
    loaded cores, while adding threads to every page run, so they stay sequential.
    """
    return {k: job(session) for k, job in jobs.items()}


def insights(
    session: Session, *, period: Period, scope: Scope = Scope(), now: datetime
) -> Insights:
    """Compute every KPI and series of the Insights page."""
    prev = period.previous()
    ends = [period.first - timedelta(days=1), *period.days()]  # each day's end
    both = period.with_previous()
    got = gather(
        session,
        {  # slowest first
            "leads": lambda s: lead_spreads(s, period=period, scope=scope),
            "prev_leads": lambda s: lead_spreads(s, period=prev, scope=scope),
            "flow": lambda s: state_flow(s, period=period, scope=scope),
            "funnel": lambda s: funnel(s, period=period, scope=scope),
            "acks": lambda s: ack_spreads(s, period=period, scope=scope),
            "prev_acks": lambda s: ack_spreads(s, period=prev, scope=scope),
            "sla": lambda s: sla_by_team(s, period=period, scope=scope, now=now),
            "overdue": lambda s: overdue_by_day(
                s, days=ends, now=now, scope=scope, zone=period.zone
            ),
            "stats": lambda s: day_stats(s, period=both, scope=scope),
            "themes": lambda s: rising_themes(s, period=period, scope=scope),
        },
    )
    leads, acks, flow, overdue, stats = (
        got[k] for k in ("leads", "acks", "flow", "overdue", "stats")
    )
    open_by_day = Counter()
    new_by_day = Counter()
    for p in flow:
        open_by_day[p.day] += p.items if p.state in OPEN_STATES else 0
        new_by_day[p.day] += p.items if p.state == "new" else 0
    days = sorted(open_by_day)
    notable = {d: v[0] for d, v in stats.items()}
    today = local_day(now, period.zone)
    cur_days = [d for d in period.days() if d <= today] or period.days()
    spark_notable = [float(notable.get(d, 0)) for d in cur_days]
    prev_notable = [notable.get(d, 0) for d in prev.days()]
    kpis = lead_kpis(leads, got["prev_leads"])
    kpis[2:2] = [
        kpi(
            "Hours to acknowledge",
            _round(acks.overall.p50),
            _round(got["prev_acks"].overall.p50),
            "h",
            [acks.days[k].p50 for k in sorted(acks.days)],
        ),
        kpi(
            "Open items",
            open_by_day[days[-1]],
            open_by_day[days[0]],
            "items",
            [open_by_day[d] for d in days[1:]],
        ),
        kpi(
            "Unowned items",
            new_by_day[days[-1]],
            new_by_day[days[0]],
            "items",
            [new_by_day[d] for d in days[1:]],
        ),
        kpi("Overdue forwards", overdue[-1], overdue[0], "forwards", overdue[1:]),
    ]
    kpis.append(
        kpi(
            "Notable cards per day",
            _round(sum(spark_notable) / len(cur_days)),
            _round(sum(prev_notable) / len(prev_notable)),
            "cards",
            spark_notable,
        )
    )
    return Insights(
        kpis=kpis,
        volume=volume_points({d: v for d, v in stats.items() if d >= period.first}),
        lead_bins=lead_histogram(session, period=period, scope=scope, spreads=leads),
        flow=[p for p in flow if p.day >= period.first],
        funnel=got["funnel"],
        sla=got["sla"],
        themes=got["themes"],
    )
