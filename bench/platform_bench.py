"""Platform: the home page's weight, and requests per second under wrk against gunicorn.

The peer is /healthz on the same server in the same run (one tiny query, no template): the ratio
home/healthz is the cost of rendering a real page. Production settings (DEBUG off), SQLite,
2 gunicorn workers, loopback only, bounded duration.
"""

import gzip
import os
import re
import shutil
import subprocess
import sys
import urllib.request

from production_server import production_server

DURATION_S = int(os.environ.get("BENCH_DURATION", "10"))
CONNECTIONS = 16


def fetch(url: str, gzip_ok: bool = False) -> bytes:
    request = urllib.request.Request(
        url, headers={"Accept-Encoding": "gzip" if gzip_ok else "identity"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def page_weight(base: str, path: str) -> tuple[int, int]:
    html = fetch(base + path)
    total = len(gzip.compress(html))
    for asset in set(re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)):
        total += len(gzip.compress(fetch(base + asset.decode())))
    return len(html), total


def wrk(url: str) -> dict:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION_S}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = re.search(r"50%\s+([\d.]+\w+)", output).group(1)
    p99 = re.search(r"99%\s+([\d.]+\w+)", output).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rate": rate, "p50": p50, "p99": p99, "non_2xx": int(errors.group(1)) if errors else 0}


def main() -> int:
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk): skipping the request-rate figures")
        return 0
    with production_server(workers=2) as base:
        raw, compressed = page_weight(base, "/")
        print(
            f"home page: {raw} bytes of HTML; {compressed} bytes compressed with its CSS (budget 61440)"
        )
        raw_login, compressed_login = page_weight(base, "/connexion/")
        print(
            f"sign-in page: {raw_login} bytes of HTML; {compressed_login} bytes compressed with its CSS"
        )
        home = wrk(base + "/")
        peer = wrk(base + "/healthz")
        print(
            f"home page: {home['rate']:.0f} req/s (p50 {home['p50']}, p99 {home['p99']}, "
            f"non-2xx {home['non_2xx']})"
        )
        print(
            f"peer /healthz: {peer['rate']:.0f} req/s (p50 {peer['p50']}, p99 {peer['p99']}, "
            f"non-2xx {peer['non_2xx']})"
        )
        print(f"ratio home/healthz: {home['rate'] / peer['rate']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
