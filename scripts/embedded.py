"""`make run`: the embedded mode in one command.

1. writes local.env (git-ignored) — DEBUG on, a secret generated once, the port and the site's
   address — which guichet/settings/environment.py reads, so that `.venv/bin/python manage.py …`
   works in this checkout afterwards without any variable;
2. migrates var/guichet.sqlite3 and loads the demo data (one summary line; the banner names the
   demo accounts — the demos' own log lines, PDF signing notices and open-data builds, are off);
3. serves on 127.0.0.1:$PORT — alone, or, when REDIS_URL is set, with a Celery worker and beat
   under honcho (Procfile), as production runs them. Alone, step 2 runs in a thread of this
   process while the server process (Django's autoreloader child, which this process supervises)
   imports and checks the project on the other core; the server opens the port once the demo
   data is ready (issue 12: the first page within 40 s of a fresh clone).

Production never uses this file: there, every setting comes from the environment.
"""

import io
import logging
import os
import secrets
import signal
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL_ENV = Path(os.environ.get("GUICHET_LOCAL_ENV", ROOT / "local.env"))


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    if path.exists():
        for line in path.read_text().splitlines():
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                key, value = line.split("=", 1)
                values[key.strip()] = value.strip()
    return values


def write_local_env(path: Path, port: str) -> dict[str, str]:
    values = read_env_file(path)
    values["GUICHET_DEBUG"] = "1"
    if len(values.get("GUICHET_SECRET_KEY", "")) < 50:
        values["GUICHET_SECRET_KEY"] = secrets.token_urlsafe(48)
    values["PORT"] = port
    values["GUICHET_SITE_URL"] = f"http://127.0.0.1:{port}"
    lines = [
        "# Written by `make run` (scripts/embedded.py) for the embedded mode of this checkout.",
        "# guichet/settings/environment.py reads it unless the variable is set in the environment.",
        "# Never used in production (delete it there); `make clean` removes it.",
        *(f"{key}={value}" for key, value in values.items()),
    ]
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)
    return values


def banner(port: str, with_worker: bool, accounts=()) -> str:
    """What `make run` prints once ready; `accounts`: (username, role, unit) of the demo agents."""
    url = f"http://127.0.0.1:{port}/"
    rule = "=" * 72
    agents = [f"    {username:<20} {role} — {unit}" for username, role, unit in accounts]
    return "\n".join(
        [
            rule,
            f"  Guichet : {url}",
            *(["  Agents (mot de passe « demo ») :", *agents] if agents else []),
            "  Citoyens : connexion par téléphone (+227…) ;",
            f"  codes SMS dans cette console et sur {url}sms/simulateur",
            "  Celery : worker et beat lancés (REDIS_URL)" if with_worker else "",
            "  Arrêter : Ctrl-C · Réinitialiser la démo : make reset-demo",
            "  Commandes : .venv/bin/python manage.py <commande>",
            rule,
        ]
    ).replace("\n\n", "\n")


def demo_accounts() -> list[tuple[str, str, str]]:
    from guichet.accounts.demo import DEMO_AGENTS
    from guichet.accounts.models import Role

    names = dict(Role.objects.values_list("code", "name"))
    return [(username, names.get(role, role), unit) for username, *_, role, unit in DEMO_AGENTS]


READY_ENV = "GUICHET_EMBEDDED_READY"  # the file the server waits for (set for the server process)


def prepare_database(port: str, with_worker: bool, imported: Path | None = None) -> None:
    """Migrate, load the demo data, print the banner (runs beside the server's start-up);
    touches `imported` once the project is imported."""
    import django
    from django.core.management import call_command

    django.setup()
    if imported is not None:
        imported.touch()
    # Errors still show; the demo's warnings and information (the PDF signer's « fetching is not
    # allowed », each open-data build) are expected here and would bury the banner.
    logging.disable(logging.WARNING)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0)
    logging.disable(logging.NOTSET)
    print(banner(port, with_worker, demo_accounts()), flush=True)


def serve(port: str, ready: Path) -> int:
    """The server process (Django's autoreloader runs this script again with RUN_MAIN=true).

    It imports the project and checks it while the first process migrates and loads the demo
    data, on the other core, then waits for `ready` before it opens the port: the first page
    answered is the finished demo, never a half-migrated database."""
    failed, parent = ready.with_suffix(".failed"), os.getppid()

    def wait_for(marker: Path) -> bool:
        while not marker.exists():
            if failed.exists() or os.getppid() != parent:
                return False
            time.sleep(0.05)
        return True

    # After the first process's imports: on a fresh clone they byte-compile the project and its
    # packages, which both processes would otherwise do at the same time, twice.
    if not wait_for(ready.with_suffix(".imported")):
        return 1
    import django
    from django.core.management import call_command

    django.setup()
    call_command("check", stdout=io.StringIO())  # raises on an error; imports every URL's view
    if not wait_for(ready):
        return 1
    call_command("runserver", f"127.0.0.1:{port}")  # checks done above
    return 0


def main() -> int:
    port = os.environ.get("PORT", "8000")
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")
    # Django's own "development server" warning: the banner says what this server is.
    os.environ["DJANGO_RUNSERVER_HIDE_WARNING"] = "true"
    if os.environ.get("RUN_MAIN") == "true" and os.environ.get(READY_ENV):
        return serve(port, Path(os.environ[READY_ENV]))
    write_local_env(LOCAL_ENV, port)
    (ROOT / "var").mkdir(exist_ok=True)
    with_worker = bool(os.environ.get("REDIS_URL"))
    python = sys.executable
    os.environ["PATH"] = f"{Path(python).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    if with_worker:
        prepare_database(port, with_worker)
        honcho = str(Path(python).with_name("honcho"))
        os.execv(honcho, [honcho, "start", "--no-colour", "-f", "Procfile", "-p", port])  # noqa: S606
    # Without a worker: this process migrates and loads the demo data in a thread while the
    # server process (Django's autoreloader child, started at once) imports the project.
    ready = ROOT / "var" / f"embedded-ready-{os.getpid()}"
    os.environ[READY_ENV] = str(ready)

    def prepare() -> None:
        try:
            prepare_database(port, with_worker, ready.with_suffix(".imported"))
        except BaseException:
            ready.with_suffix(".failed").touch()
            raise
        ready.touch()

    threading.Thread(target=prepare, name="demo-data", daemon=True).start()
    from django.utils import autoreload

    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(0))
    try:
        return autoreload.restart_with_reloader()
    except KeyboardInterrupt:
        return 0
    finally:
        for marker in (ready, ready.with_suffix(".imported"), ready.with_suffix(".failed")):
            marker.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())
