"""Reading the environment: the helpers that parse a variable (a boolean, a list, networks), the
paths everything else builds on, the embedded mode's local.env, and the mode the other modules
branch on (TESTING, DEBUG)."""

import ipaddress
import os
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("GUICHET_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_networks(name: str, default: str = "") -> list[str]:
    """A comma-separated list of addresses or CIDR networks, each checked at start-up."""
    networks = env_list(name, default)
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError as error:
            raise ImproperlyConfigured(
                f"{name}: {network!r} is not an address or a CIDR network."
            ) from error
    return networks


# The test runner needs no secret key and no HTTPS redirects.
TESTING = env_bool("GUICHET_TESTING", False) or "pytest" in sys.modules


# --- Embedded mode: local.env --------------------------------------------------------------------
# `make run` writes local.env (git-ignored: DEBUG on, a generated secret, the port) so that
# `.venv/bin/python manage.py …` works in a developer's checkout. The environment always wins;
# tests never read it; production has no such file and stays environment-only.
def _read_local_env(path: Path) -> None:
    if TESTING or not path.is_file():
        return
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            os.environ.setdefault(key.strip(), value.strip())


_read_local_env(Path(os.environ.get("GUICHET_LOCAL_ENV", BASE_DIR / "local.env")))
# -------------------------------------------------------------------------------------------------

DEBUG = env_bool("GUICHET_DEBUG", False)
