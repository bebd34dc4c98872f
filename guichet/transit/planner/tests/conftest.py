"""The planner's tests need neither Django nor a database: run with `-p no:django`."""

import os
from pathlib import Path

import pytest

from tests.conditions import missing_requirement

REPO_ROOT = Path(__file__).resolve().parents[4]
# Feeds that CI builds from the npm registry (`.ci/run`: scripts/mta_gtfs_json.py --npm), since
# the shared data folder is read-only.
CI_DATA_DIR = REPO_ROOT / "var" / "ci-data"


def gtfs_data_dir() -> Path | None:
    """The shared GTFS feeds: beside the repository, else $GUICHET_GTFS_DATA."""
    for candidate in (REPO_ROOT.parent / "shared/data/gtfs", os.environ.get("GUICHET_GTFS_DATA")):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def gtfs_dir() -> Path:
    found = gtfs_data_dir()
    if found is None:
        missing_requirement(
            "real GTFS feeds not found: expected ../shared/data/gtfs beside the repository "
            "or a folder in $GUICHET_GTFS_DATA (subway.zip, accra_trotro.zip)"
        )
    return found
