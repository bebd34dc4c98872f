"""The per-process memo of rows read on every request of a hot path (issue 9, throughput)."""

import pytest

from guichet import process_memo
from guichet.process_memo import Memo


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(process_memo.time, "monotonic", clock)
    return clock


def test_a_value_is_read_once_then_again_once_older_than_its_seconds(clock):
    memo = Memo(5)
    reads = []

    def load():
        reads.append(1)
        return f"row {len(reads)}"

    assert memo.get("k", load) == "row 1"
    clock.now += 4.9
    assert memo.get("k", load) == "row 1"
    clock.now += 0.2
    assert memo.get("k", load) == "row 2"
    assert len(reads) == 2


def test_an_unknown_key_is_not_kept_so_clients_cannot_fill_the_memo(clock):
    memo = Memo(5)
    reads = []
    for _ in range(3):
        assert memo.get("unknown", lambda: reads.append(1)) is None
    assert len(reads) == 3
    assert memo._values == {}


def test_the_memo_never_holds_more_than_its_entries(clock):
    memo = Memo(5, max_entries=3)
    for key in range(10):
        memo.get(key, lambda key=key: key + 1)
    assert len(memo._values) <= 3


def test_forget_all_empties_every_memo(clock):
    memo = Memo(5)
    memo.get("k", lambda: "row")
    process_memo.forget_all()
    assert memo.get("k", lambda: "new row") == "new row"
