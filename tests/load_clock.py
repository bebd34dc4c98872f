"""Time limits that hold on a loaded machine and still catch a hang.

A wall-clock limit measured on a quiet machine fails on a loaded CI machine (the stack test took
40 s quiet, 663 s at load 30 on 2 cores). `run_within` counts *quiet-machine seconds* instead:
each second of wall time is divided by the machine's slowdown at that moment — the 1-minute load
average per core, at least 1 — and the command is stopped once the sum passes the limit. A hung
command keeps adding to the sum (slower under load, never zero), so it is still stopped; a wall
ceiling bounds the worst case.
"""

import contextlib
import os
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass


def slowdown() -> float:
    """How many times slower than a quiet machine this one runs now (≥ 1)."""
    return max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1))


@dataclass
class Outcome:
    returncode: int | None  # None: stopped at the limit
    stdout: str
    stderr: str
    wall: float
    quiet_seconds: float  # the wall time a quiet machine would have taken, as counted
    peak_slowdown: float

    @property
    def stopped(self) -> bool:
        return self.returncode is None


def run_within(
    command, *, quiet_seconds: float, wall_ceiling: float, env=None, tick: float = 1.0
) -> Outcome:
    """Run `command` until it ends, or until `quiet_seconds` of quiet-machine time (or
    `wall_ceiling` of wall time) have passed: then it gets SIGTERM (its own clean-up runs), and
    its whole process group SIGKILL 30 s later."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=err, text=True, start_new_session=True
        )
        started = last = time.monotonic()
        counted, peak = 0.0, 1.0
        returncode = None
        while True:
            try:
                returncode = process.wait(timeout=tick)
                break
            except subprocess.TimeoutExpired:
                pass
            now = time.monotonic()
            factor = slowdown()
            peak = max(peak, factor)
            counted += (now - last) / factor
            last = now
            if counted > quiet_seconds or now - started > wall_ceiling:
                _stop(process)
                break
        now = time.monotonic()
        counted += (now - last) / slowdown()
        out.seek(0)
        err.seek(0)
        return Outcome(returncode, out.read(), err.read(), now - started, counted, peak)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # whatever it left behind
    process.wait()
