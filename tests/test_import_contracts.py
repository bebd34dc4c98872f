"""The import-linter contracts of pyproject.toml catch what they promise to catch, and name every
module of the web layer."""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
WEB_LAYER = re.compile(
    r"^from (django\.(http|shortcuts|views)|rest_framework\.(decorators|views|response))\b", re.M
)


def _contract(name_start: str) -> dict:
    return next(c for c in CONTRACTS["contracts"] if c["name"].startswith(name_start))


def _matches(pattern: str, module: str) -> bool:
    """import-linter's wildcards: `*` is one segment, `**` any number of segments."""
    regex = ".".join(
        {"*": r"[^.]+", "**": r"[^.]+(?:\.[^.]+)*"}.get(part, re.escape(part))
        for part in pattern.split(".")
    )
    return re.fullmatch(regex, module) is not None


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_every_web_module_is_forbidden_to_the_business_rules():
    forbidden = _contract("Business rules")["forbidden_modules"]
    unnamed = []
    for path in sorted((ROOT / "guichet").rglob("*.py")):
        if {"tests", "migrations"} & set(path.parts) or not WEB_LAYER.search(path.read_text()):
            continue
        module = _module_name(path)
        if module == "guichet.views":  # project views: above every app in the layers contract
            continue
        if not any(_matches(pattern, module) for pattern in forbidden):
            unnamed.append(module)
    assert unnamed == []


def test_the_wildcards_are_read_as_import_linter_reads_them():
    assert _matches("guichet.**.views", "guichet.complaints.open311.views")
    assert _matches("guichet.*.views", "guichet.complaints.views")
    assert not _matches("guichet.*.views", "guichet.complaints.open311.views")


def test_forbidden_imports_are_caught(tmp_path):
    """A copy of the code with three bad imports injected: each breaks its contract."""
    shutil.copytree(
        ROOT / "guichet",
        tmp_path / "guichet",
        ignore=shutil.ignore_patterns("locale", "static", "templates", "__pycache__", "*.pyc"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    injections = {
        # a service app importing another service app
        "guichet/transit/services.py": "from guichet.gazette import models as _gazette\n",
        # a platform app importing a service app
        "guichet/audit/services.py": "import guichet.complaints.models as _complaints\n",
        # the planner importing transit's Django models
        "guichet/transit/planner/geo.py": "from guichet.transit import models as _models\n",
        # business rules importing a web module that only the new patterns name
        "guichet/complaints/services.py": "from guichet.complaints.open311 import views as _v\n",
    }
    for relative, line in injections.items():
        path = tmp_path / relative
        path.write_text(path.read_text() + "\n" + line)
    result = subprocess.run(
        [
            Path(sys.executable).with_name("lint-imports"),
            "--config",
            "pyproject.toml",
            "--no-cache",
        ],
        cwd=tmp_path,
        env={"PATH": str(Path(sys.executable).parent), "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = " ".join(result.stdout.split())
    assert result.returncode == 1, output
    for expected in [
        "guichet.transit.services -> guichet.gazette.models",
        "guichet.audit.services -> guichet.complaints.models",
        "guichet.transit.planner.geo -> guichet.transit.models",
        "guichet.complaints.services -> guichet.complaints.open311.views",
    ]:
        assert expected in output, expected
