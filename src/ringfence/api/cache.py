"""A small time-bounded cache of serialised lookup answers, per worker.

Why: the same numbers are looked up again and again during a campaign; computing a reputation
reads the store and scores the evidence (a few hundred microseconds), answering from memory
takes a few. Entries live `ttl_s` seconds; any write through this worker clears the cache, so a
citizen sees their own report at once.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict


class LookupCache:
    def __init__(self, *, ttl_s: float, max_entries: int) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._items: OrderedDict[tuple[str, str], tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[str, str]) -> bytes | None:
        if self.ttl_s <= 0:
            return None
        item = self._items.get(key)
        if item is None or time.monotonic() - item[0] > self.ttl_s:
            self.misses += 1
            return None
        self.hits += 1
        return item[1]

    def put(self, key: tuple[str, str], value: bytes) -> None:
        if self.ttl_s <= 0:
            return
        with self._lock:
            self._items[key] = (time.monotonic(), value)
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
