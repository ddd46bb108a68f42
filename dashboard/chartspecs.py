"""The Insights charts as Vega-Lite specs, built fast enough for every cache fill.

Building an Altair chart costs tens of milliseconds (deep copies and schema checks per layer)
while its data is a few hundred rows. So each chart's layout is built once per process (and per
its few layout parameters) around named, empty data, and each call only puts the rows in the
spec's `datasets`. The result draws the same as `dashboard.charts.<noun>_chart(df).to_dict()`
(checked by tests/test_charts.py); only the datasets' names differ.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import altair as alt
import pandas as pd
from altair.utils.data import to_values

from dashboard import charts


def _named(name: str) -> alt.NamedData:
    return alt.NamedData(name=name)


LAYOUTS: dict[str, Callable[..., Any]] = {
    "volume": lambda: charts.volume_layout(_named("volume")),
    "lead_bins": lambda: charts.leadtime_layout(_named("lead_bins"), _named("lead_median")),
    "flow": lambda: charts.flow_layout(_named("flow")),
    "funnel": lambda stages: charts.funnel_layout(_named("funnel"), stages=stages),
    "sla": lambda: charts.sla_layout(_named("sla")),
    "themes": lambda rows: charts.themes_layout(_named("themes"), rows=rows),
}


@lru_cache(maxsize=64)
def layout(name: str, *params: Any) -> dict[str, Any]:
    """Return chart `name`'s spec without data (built once per name and parameters)."""
    return LAYOUTS[name](*params).to_dict(validate=False)


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Return the rows as Altair's `to_values` would (ISO dates, NaN as None), column by column.

    `to_values` sanitizes a copy of the frame per dtype and then converts it row by row: ~30 ms
    a page for ~1,000 rows. Reading each column once with `tolist` gives the same values.
    """
    cols: dict[str, list] = {}
    for name in df.columns:
        col = df[name]
        if pd.api.types.is_datetime64_any_dtype(col.dtype):
            cols[name] = ["" if pd.isna(v) else v.isoformat() for v in col]
        elif pd.api.types.is_float_dtype(col.dtype):
            cols[name] = [v if math.isfinite(v) else None for v in col.tolist()]
        elif col.dtype.kind in "iub":  # numpy ints and bools (nullable ones go to Altair)
            cols[name] = col.tolist()
        elif col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
            cols[name] = [None if _missing(v) else v for v in col.tolist()]
        else:
            return to_values(df)["values"]  # anything else: let Altair decide
    return [dict(zip(cols, row, strict=True)) for row in zip(*cols.values(), strict=True)]


def _missing(v: Any) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def _fill(spec: dict[str, Any], **frames: pd.DataFrame) -> dict[str, Any]:
    return {**spec, "datasets": {k: records(df) for k, df in frames.items()}}


def insights_specs(frames: dict[str, pd.DataFrame], *, median: float | None) -> dict[str, dict]:
    """Return the spec of each Insights chart that has data, keyed like `frames`."""
    makers: dict[str, Callable[[pd.DataFrame], dict]] = {
        "volume": lambda f: _fill(layout("volume"), volume=charts.volume_frame(f)),
        "lead_bins": lambda f: _fill(
            layout("lead_bins"), lead_bins=f, lead_median=charts.median_frame(median)
        ),
        "flow": lambda f: _fill(layout("flow"), flow=charts.flow_frame(f)),
        "funnel": lambda f: _fill(
            layout("funnel", tuple(f["stage"])), funnel=charts.funnel_frame(f)
        ),
        "sla": lambda f: _fill(layout("sla"), sla=charts.sla_frame(f)),
        "themes": lambda f: _fill(layout("themes", len(f)), themes=f),
    }
    return {k: make(frames[k]) for k, make in makers.items() if not frames[k].empty}
