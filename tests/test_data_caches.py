"""After a write, `clear_caches` forgets the page readers but keeps the Insights aggregates."""

from __future__ import annotations

import pytest

from dashboard import data


@pytest.fixture
def cleared(monkeypatch) -> set[str]:
    seen: set[str] = set()
    cached = type(data._engine_for)
    for name, reader in list(vars(data).items()):
        if isinstance(reader, cached):
            monkeypatch.setattr(reader, "clear", lambda name=name: seen.add(name), raising=False)
    return seen


def test_a_write_keeps_the_insights_aggregates_and_the_engine(cleared):
    data.clear_caches()
    assert cleared and not cleared & (data.SLOW_AGGREGATES | {"_engine_for"})
    assert "insights_messages" in cleared  # drill-downs follow the write at once


def test_everything_clears_every_cached_read(monkeypatch):
    calls = []
    monkeypatch.setattr(data.st.cache_data, "clear", lambda: calls.append(1))
    data.clear_caches(everything=True)
    assert calls == [1]
