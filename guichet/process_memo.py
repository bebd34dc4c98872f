"""Values a process keeps for a few seconds: reference rows that every request of a hot path reads
and that change rarely (an Open311 partner's key, the public holidays of a deadline).

Each process holds its own copy, so a change made elsewhere is seen here after at most `seconds`;
the process that makes the change forgets its copy at once (the callers' services and signals do).
Only what may be that late is kept here: never a permission, a lock or a counter.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Hashable
from typing import Any

_memos: weakref.WeakSet[Memo] = weakref.WeakSet()


class Memo:
    """key → (value, time read); at most `max_entries` keys (all forgotten when full)."""

    def __init__(self, seconds: float, *, max_entries: int = 256) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._values: dict[Hashable, tuple[Any, float]] = {}
        self._lock = threading.Lock()
        _memos.add(self)

    def get(self, key: Hashable, load: Callable[[], Any], *, keep: Callable[[Any], bool] = bool):
        """The value for `key`, read by `load()` when missing or older than `seconds`. A value for
        which `keep` is false (by default: None, empty) is returned but not kept, so that unknown
        keys sent by a client cannot fill the memo."""
        now = time.monotonic()
        found = self._values.get(key)
        if found is not None and now - found[1] < self.seconds:
            return found[0]
        value = load()
        if keep(value):
            with self._lock:
                if len(self._values) >= self.max_entries:
                    self._values.clear()
                self._values[key] = (value, now)
        return value

    def forget(self, key: Hashable | None = None) -> None:
        """Forget `key`, or everything."""
        with self._lock:
            if key is None:
                self._values.clear()
            else:
                self._values.pop(key, None)


def forget_all() -> None:
    """Every memo of the process (tests call it between tests: their rows are rolled back)."""
    for memo in list(_memos):
        memo.forget()
