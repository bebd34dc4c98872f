"""Run every benchmark in bench/ (make bench). Each prints its figures and ratios against a peer."""

import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def main() -> int:
    only = set(sys.argv[1:])
    failures = []
    for script in sorted(BENCH_DIR.glob("*_bench.py")):
        if only and script.stem not in only:
            continue
        print(f"\n=== {script.name}", flush=True)
        if subprocess.call([sys.executable, str(script)], cwd=BENCH_DIR.parent) != 0:
            failures.append(script.name)
    if failures:
        print(f"\nfailed: {', '.join(failures)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
