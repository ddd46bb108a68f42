"""The two-generation memo behind text analysis: recent entries survive, memory stays bounded."""

from __future__ import annotations

from db.memo import Memo


def test_everything_stored_in_the_last_size_entries_is_found():
    memo = Memo(3)
    for i in range(10):
        memo.put(i, str(i))
        assert all(memo.get(k) == str(k) for k in range(max(0, i - 2), i + 1))


def test_the_oldest_generation_is_dropped_and_memory_stays_under_two():
    memo = Memo(3)
    for i in range(7):
        memo.put(i, i * 10)
    assert memo.get(0) is None  # two generations ago
    assert len(memo) <= 2 * 3


def test_an_entry_in_use_is_kept_a_generation_longer():
    memo = Memo(2)
    memo.put("a", 1)
    memo.put("b", 2)
    memo.put("c", 3)  # "a" and "b" are now the older generation
    assert memo.get("a") == 1  # read: moved to the newer one
    memo.put("d", 4)
    memo.put("e", 5)  # the generation holding "b" is dropped
    assert (memo.get("a"), memo.get("b")) == (1, None)
