"""After a write, `clear_caches` forgets every cached read (Insights too) but keeps the engine."""

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


def test_a_write_clears_the_insights_aggregates_but_keeps_the_engine(cleared):
    data.clear_caches()
    assert {"insights_frames", "insights_specs", "insights_messages"} <= cleared
    assert "_engine_for" not in cleared


def test_everything_clears_every_cached_read(monkeypatch):
    calls = []
    monkeypatch.setattr(data.st.cache_data, "clear", lambda: calls.append(1))
    data.clear_caches(everything=True)
    assert calls == [1]
