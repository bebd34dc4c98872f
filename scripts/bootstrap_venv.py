"""Create .venv with pip, on a machine that has only python3.

Debian and Ubuntu ship python3 without `ensurepip` unless python3-venv is installed; then the venv
is created without pip and pip's wheel is fetched from PyPI (checked against PyPI's SHA-256) and
installs itself.
"""

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path


def main(target: Path) -> int:
    python = target / "bin" / "python"
    if (
        python.exists()
        and subprocess.call([python, "-m", "pip", "--version"], stdout=subprocess.DEVNULL) == 0
    ):
        return 0
    if subprocess.call([sys.executable, "-m", "venv", str(target)]) == 0:
        return 0
    print("python3-venv is not installed: creating the environment without pip, then fetching pip.")
    shutil.rmtree(target, ignore_errors=True)
    subprocess.check_call([sys.executable, "-m", "venv", "--without-pip", str(target)])
    index = "https://pypi.org/pypi/pip/json"
    with urllib.request.urlopen(index, timeout=60) as response:
        release = json.load(response)
    wheel = next(f for f in release["urls"] if f["filename"].endswith("py3-none-any.whl"))
    # Mirrors answer with addresses relative to the JSON document.
    with urllib.request.urlopen(urllib.parse.urljoin(index, wheel["url"]), timeout=120) as response:
        data = response.read()
    if hashlib.sha256(data).hexdigest() != wheel["digests"]["sha256"]:
        print("pip's wheel does not match PyPI's checksum: stopping.", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        wheel_path = Path(tmp) / wheel["filename"]
        wheel_path.write_bytes(data)
        subprocess.check_call([python, f"{wheel_path}/pip", "install", "--quiet", str(wheel_path)])
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else ".venv")))
