"""Demo data for Feedback Loop: a month of customer emails and tweets to the fictional Voltra
Group, stored as real `.eml` files and X API v2 JSON under `seeds/data/`, and their loader.

The files are dated relative to `ANCHOR`; `seeds.loader` shifts them to the day they are
loaded, so the demo always shows the last 30 days with fresh messages this morning.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

ANCHOR = datetime(2026, 1, 31, 9, 0, tzinfo=UTC)
DATA_DIR = Path(__file__).parent / "data"
