"""Per-process caches bounded by an estimate of their memory, not only by their number of entries.

A search server meets whatever its clients send: a cache that keeps every new word or query grows
with the traffic. Each cache here knows roughly what one entry costs (``sys.getsizeof`` of its
parts) and drops the least recently used entries once its budget is spent, so the worst case per
worker is the sum of the budgets (see the README, "Søgekvalitet og ydelse").
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
ENTRY_OVERHEAD = 100  # bytes: the dict slot, the ordering links and the key/value tuple


def ranking_bytes(key: str, value: tuple[int, list[tuple[int, float]]]) -> int:
    """One ranked query: its key, the match mask (an int of one bit per case) and the ranking
    ((docnum, score) pairs: a tuple, an int, a float and a list slot each)."""
    mask, ranking = value
    return sys.getsizeof(key) + sys.getsizeof(mask) + 56 + len(ranking) * (56 + 28 + 24 + 8)


def strings_bytes(key: str, value: tuple[str, ...]) -> int:
    """One word and the index keys it yields."""
    return sys.getsizeof(key) + sys.getsizeof(value) + sum(sys.getsizeof(v) for v in value)


class BoundedCache(Generic[K, V]):
    """A least-recently-used cache, safe across threads, holding at most ``max_bytes`` (as
    estimated by ``size_of``). An entry larger than the whole budget is not kept."""

    def __init__(self, max_bytes: int, size_of: Callable[[K, V], int]) -> None:
        self.max_bytes = max_bytes
        self.size_of = size_of
        self.bytes = 0
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: K, value: V) -> None:
        size = self.size_of(key, value) + ENTRY_OVERHEAD
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self._entries[key] = (value, size)
            self.bytes += size
            while self.bytes > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.bytes = 0
