"""A process that imports feeds does not load the planner's numba kernels: importing numba costs
≈ 2 s of CPU, a tenth of `manage.py import_gtfs` on a 565,000 stop_times feed (the GTFS import
throughput goal is counted in CPU seconds, docs/benchmarks.md)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

CODE = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")
import django
django.setup()
from guichet.transit import importer, services, validation  # what import_gtfs uses
from guichet.transit.management.commands import import_gtfs
print("numba" in sys.modules)
"""


def test_importing_feeds_does_not_load_numba():
    env = {**os.environ, "GUICHET_DEBUG": "1", "GUICHET_TRANSIT_WARM_ON_START": "0"}
    out = subprocess.run(
        [sys.executable, "-c", CODE], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "False"


def test_the_query_functions_are_still_there():
    from guichet.transit import planner

    assert callable(planner.earliest_arrival) and planner.TransitLeg.__name__ == "TransitLeg"
