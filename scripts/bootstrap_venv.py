"""Create or update .venv from the lock files, on a machine that has only python3 (3.11 or newer).

    python3 scripts/bootstrap_venv.py run   # what running needs (requirements/run.txt)
    python3 scripts/bootstrap_venv.py dev   # plus the test tools (requirements/dev.txt)

- The environment is recreated when it was made by another interpreter (another version or another
  installation), so `PYTHON=python3.12 make run` after a run with 3.11 just works.
- Packages are installed by uv, pinned in requirements/uv.txt: its wheel is fetched from the package
  index once, checked against the lock's SHA-256 and kept in ~/.cache/guichet. Every package of the
  lock files is checked against its hashes (`--require-hashes`). The environment is made without pip
  (`venv --without-pip`), so Debian's python3-venv is not needed either.
- The test environment's packages are compiled to bytecode once, at install: where
  PYTHONDONTWRITEBYTECODE is set (as on CI's machines) every Python process would otherwise compile
  each module it imports, ~3 s of CPU per Django process, and the suite starts hundreds (workers,
  servers, commands). The run environment is not: compiling it would delay the first page.
- Nothing is done when the environment already matches the lock file (a stamp records its hash).

Without network access to uv, `pip install --require-hashes -r requirements/run.txt` in any virtualenv
installs the same packages.
"""

import hashlib
import json
import os
import platform
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

MINIMUM = (3, 11)
ROOT = Path(__file__).resolve().parent.parent
LOCKS = {"run": ROOT / "requirements" / "run.txt", "dev": ROOT / "requirements" / "dev.txt"}
UV_LOCK = ROOT / "requirements" / "uv.txt"
# Environments whose installed packages are compiled to bytecode (see above).
COMPILED = {"dev"}


def fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def check_interpreter() -> str | None:
    if sys.version_info >= MINIMUM:
        return None
    found = [name for name in ("python3.13", "python3.12", "python3.11") if shutil.which(name)]
    hint = f"run `PYTHON={found[0]} make run`" if found else "install python3.11 or newer"
    return (
        f"Guichet needs Python {MINIMUM[0]}.{MINIMUM[1]}+, {sys.executable} is "
        f"{platform.python_version()}: {hint} (then `make run` again)."
    )


def interpreter_id() -> str:
    return f"{platform.python_version()} {Path(sys.base_prefix).resolve()}"


def venv_matches(target: Path) -> bool:
    """The environment exists, runs, and was made by this interpreter."""
    marker = target / ".interpreter"
    python = target / "bin" / "python"
    if not (marker.exists() and python.exists()):
        return False
    if marker.read_text().strip() != interpreter_id():
        return False
    return subprocess.call([python, "-c", "pass"], stderr=subprocess.DEVNULL) == 0


def create_venv(target: Path) -> None:
    if target.exists():
        print(f"Recreating {target.name}: it was made by another Python than {interpreter_id()}.")
        shutil.rmtree(target)
    subprocess.check_call([sys.executable, "-m", "venv", "--without-pip", str(target)])
    (target / ".interpreter").write_text(interpreter_id() + "\n")


def pinned(lock: Path, name: str) -> tuple[str, set[str]]:
    text = lock.read_text()
    match = re.search(rf"^{name}==(\S+)((?:\s*\\\s*--hash=sha256:[0-9a-f]+)+)", text, re.M)
    if not match:
        raise SystemExit(f"{name} is not pinned in {lock}")
    return match.group(1), set(re.findall(r"sha256:([0-9a-f]+)", match.group(2)))


def wheel_tags() -> list[str]:
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)
    if sys.platform == "darwin":
        return ["macosx", "arm64" if machine in {"aarch64", "arm64"} else "x86_64"]
    return ["manylinux", machine]


def uv_binary() -> Path:
    version, hashes = pinned(UV_LOCK, "uv")
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "guichet"
    binary = cache / f"uv-{version}" / "uv"
    if binary.exists():
        return binary
    index = (
        os.environ.get("UV_INDEX_URL")
        or os.environ.get("PIP_INDEX_URL")
        or "https://pypi.org/simple/"
    )
    page = urllib.parse.urljoin(index.rstrip("/") + "/", "uv/")
    request = urllib.request.Request(
        page, headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        files = json.load(response)["files"]
    tags = wheel_tags()
    wheel = next(
        (
            f
            for f in files
            if f["filename"].startswith(f"uv-{version}-")
            and f["filename"].endswith(".whl")
            and all(tag in f["filename"] for tag in tags)
        ),
        None,
    )
    if wheel is None:
        raise SystemExit(f"no uv {version} wheel for {' '.join(tags)}: install uv and retry")
    with urllib.request.urlopen(urllib.parse.urljoin(page, wheel["url"]), timeout=300) as response:
        data = response.read()
    if hashlib.sha256(data).hexdigest() not in hashes:
        raise SystemExit(f"{wheel['filename']} does not match requirements/uv.txt: stopping.")
    binary.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=binary.parent) as tmp:
        wheel_path = Path(tmp) / wheel["filename"]
        wheel_path.write_bytes(data)
        with zipfile.ZipFile(wheel_path) as archive:
            member = next(n for n in archive.namelist() if n.endswith("/scripts/uv"))
            extracted = Path(archive.extract(member, tmp))
        extracted.chmod(extracted.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        extracted.replace(binary)
    return binary


def compile_packages(target: Path) -> None:
    """Every module of the environment's site-packages to bytecode, on every core. Files that do
    not compile (some packages ship sources for other Python versions) are left to the import."""
    script = (
        "import compileall, sysconfig; "
        "compileall.compile_dir(sysconfig.get_paths()['purelib'], quiet=2, workers=0)"
    )
    subprocess.call([str(target / "bin" / "python"), "-c", script])


def main(kind: str, target: Path) -> int:
    problem = check_interpreter()
    if problem:
        return fail(problem)
    lock = LOCKS[kind]
    if not venv_matches(target):
        create_venv(target)
    stamp = target / f".installed-{kind}"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    if kind in COMPILED:
        digest += " bytecode"
    if stamp.exists() and stamp.read_text().strip() == digest:
        return 0
    uv = shutil.which("uv") if os.environ.get("GUICHET_SYSTEM_UV") == "1" else None
    uv = uv or str(uv_binary())
    subprocess.check_call(
        [
            uv,
            "pip",
            "install",
            "--quiet",
            "--require-hashes",
            "--python",
            str(target / "bin" / "python"),
            "-r",
            str(lock),
        ],
        env={**os.environ, "UV_NO_PROGRESS": "1"},
    )
    if kind in COMPILED:
        compile_packages(target)
    stamp.write_text(digest + "\n")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["uv-path"]:  # for `make lock`
        print(uv_binary())
        sys.exit(0)
    kind = args[0] if args and args[0] in LOCKS else "run"
    sys.exit(main(kind, ROOT / ".venv"))
