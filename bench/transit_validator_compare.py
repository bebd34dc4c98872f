"""Validation codes and counts: this project's validator against MobilityData's rule set.

The judge is `gtfs-validator` from PyPI, a pure-Python port of MobilityData's canonical GTFS
validator (its notice_schema.json, codes and severities); the Java jar itself is not installable
here (no Maven Central, only PyPI/npm/Debian). For each feed: every code both implement, with the
two counts and whether they agree; then the codes only one side reported. Prints Markdown, for
docs/transit.md (« Comparaison avec le validateur de MobilityData »).

Usage: .venv/bin/python bench/transit_validator_compare.py [FEED.zip ...]
(default: accra_trotro.zip of the shared data; subway.zip takes ~9 min in the port on 2 cores)
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")
os.environ.setdefault("GUICHET_TESTING", "1")


def data_dir() -> Path:
    for candidate in (os.environ.get("GUICHET_GTFS_DATA"), ROOT.parent / "shared/data/gtfs"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    sys.exit("GTFS data not found (set GUICHET_GTFS_DATA)")


def reference(path: Path) -> tuple[dict[str, int], set[str], float]:
    """Counts per code from the port's report.json, the codes its schema knows, CPU seconds."""
    import gtfs_validator

    schema = json.loads(
        (Path(gtfs_validator.__file__).parent / "data" / "notice_schema.json").read_text()
    )
    with tempfile.TemporaryDirectory() as out:
        before = os.times()
        subprocess.run(
            [sys.executable, "-m", "gtfs_validator.cli", "-i", str(path), "-o", out],
            check=False,
            capture_output=True,
        )
        after = os.times()
        report = json.loads((Path(out) / "report.json").read_text())
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    counts = {n["code"]: int(n.get("totalNotices", 1)) for n in report["notices"]}
    return counts, set(schema), cpu


def ours(path: Path) -> tuple[dict[str, int], set[str], float]:
    import django

    django.setup()
    from guichet.transit.validation import validate
    from guichet.transit.validation_schema import SEVERITIES

    start = time.process_time()
    report = validate(path)
    return dict(report.counts), set(SEVERITIES), time.process_time() - start


def table(path: Path) -> str:
    theirs, their_codes, their_cpu = reference(path)
    mine, my_codes, my_cpu = ours(path)
    both = my_codes & their_codes
    lines = [
        f"#### `{path.name}` (ce validateur {my_cpu:.1f} s de CPU, le port {their_cpu:.1f} s)",
        "",
        "| code (implémenté des deux côtés) | ici | MobilityData (port) | accord |",
        "|---|---|---|---|",
    ]
    reported = sorted(c for c in both if mine.get(c) or theirs.get(c))
    agree = 0
    for code in reported:
        same = mine.get(code, 0) == theirs.get(code, 0)
        agree += same
        lines.append(
            f"| `{code}` | {mine.get(code, 0)} | {theirs.get(code, 0)} | {'oui' if same else 'NON'} |"
        )
    silent = len(both) - len(reported)
    lines.append("")
    lines.append(
        f"{agree}/{len(reported)} codes signalés en accord ; {silent} autres codes implémentés des "
        "deux côtés : 0 des deux côtés."
    )
    only_theirs = sorted(c for c in theirs if c not in my_codes)
    only_mine = sorted(c for c in mine if c not in their_codes)
    if only_theirs:
        lines.append(
            "Signalés par le port seulement (codes que ce validateur n'implémente pas) : "
            + ", ".join(f"`{c}` × {theirs[c]}" for c in only_theirs)
            + "."
        )
    if only_mine:
        lines.append(
            "Codes propres à ce validateur : " + ", ".join(f"`{c}` × {mine[c]}" for c in only_mine)
        )
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    feeds = [Path(a) for a in argv] or [data_dir() / "accra_trotro.zip"]
    print(f"<!-- bench/transit_validator_compare.py, {time.strftime('%Y-%m-%d')}, "
          f"load {os.getloadavg()[0]:.1f} -->")  # fmt: skip
    for feed in feeds:
        print(table(feed))
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
