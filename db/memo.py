"""A bounded memo in two generations, for pure functions of text called once per message.

When the newer generation is full it becomes the older one and the oldest is dropped, so
memory stays under two generations while everything stored in the last `size` entries is
still found. (Clearing one dict when full, as before, threw away the batch an import had just
analysed ahead of scoring it: a quarter of all text analysis was done twice.)
"""

from __future__ import annotations

from typing import Any


class Memo:
    """Bounded memo: `get` a key's value (None if unknown), `put` one."""

    __slots__ = ("new", "old", "size")

    def __init__(self, size: int) -> None:
        self.size = size
        self.new: dict[Any, Any] = {}
        self.old: dict[Any, Any] = {}

    def get(self, key: Any) -> Any:
        """Return the value stored for `key`, or None."""
        found = self.new.get(key)
        if found is None and self.old:
            found = self.old.get(key)
            if found is not None:
                self.put(key, found)  # still in use: keep it a generation longer
        return found

    def put(self, key: Any, value: Any) -> None:
        """Store `value` for `key`."""
        if len(self.new) >= self.size:
            self.old, self.new = self.new, {}
        self.new[key] = value

    def __len__(self) -> int:
        return len(self.new) + len(self.old)
