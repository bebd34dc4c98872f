"""tests/load_clock.py: limits counted in quiet-machine seconds (issue 12, the stack test)."""

import os
import sys

import pytest

from tests import load_clock

SLEEP = [sys.executable, "-c", "import time; time.sleep(3); print('done')"]


@pytest.fixture
def load(monkeypatch):
    def set_load(per_core: float) -> None:
        value = per_core * (os.cpu_count() or 1)
        monkeypatch.setattr(os, "getloadavg", lambda: (value, value, value))

    return set_load


def test_a_loaded_machine_gets_more_wall_time(load):
    # Failed before: a fixed 240 s wall limit, whatever the load. Here 3 s of wall at 4× load
    # count as 0.75 s of a quiet machine: within a 2 s limit.
    load(4)
    outcome = load_clock.run_within(SLEEP, quiet_seconds=2, wall_ceiling=60, tick=0.2)
    assert outcome.returncode == 0 and outcome.stdout.strip() == "done"
    assert outcome.quiet_seconds < 1.5 and outcome.peak_slowdown == pytest.approx(4)


def test_a_hang_is_still_stopped_on_a_quiet_machine(load):
    load(0.1)
    outcome = load_clock.run_within(SLEEP, quiet_seconds=1, wall_ceiling=60, tick=0.2)
    assert outcome.stopped and outcome.wall < 2.5


def test_the_wall_ceiling_bounds_the_worst_case(load):
    load(1000)
    outcome = load_clock.run_within(SLEEP, quiet_seconds=1, wall_ceiling=1, tick=0.2)
    assert outcome.stopped and outcome.wall < 2.5
