"""The production stack's smoke test, run by deploy/run-local.sh with the stack's environment.

Through nginx (TLS): the health check, the HTTP → HTTPS redirect, compressed static files. Then
against each app server directly, as nginx would call them (X-Forwarded-Proto, X-Forwarded-For):
- a citizen asks for a sign-in code on server A and types it on server B (sessions shared);
- the sign-in code limits count the requests made to A and to B together (Redis);
- a complaint's photo uploaded through A is stored in the S3 bucket and read back through B;
- the Celery worker is killed (SIGKILL) while it holds a message, more are queued while it is
  down, and the restarted worker delivers every one of them exactly once (Redis keeps the queue
  and hands the killed worker's task out again after the visibility timeout).
Exits 1 with the failed check's name. Standard library, boto3, redis and psycopg only.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import boto3
import psycopg

ENV = os.environ
STACK = Path(ENV["GUICHET_STACK_DIR"])
TLS = ssl.create_default_context(cafile=ENV["GUICHET_STACK_CA"])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """A browser's cookies, kept by hand: the session cookie is Secure, and an app server is
    reached in plain HTTP behind the proxy (X-Forwarded-Proto says https, as nginx does)."""

    def __init__(self, base: str, client_address: str):
        self.base = base
        self.cookies: dict[str, str] = {}
        self.client_address = client_address
        https = base.startswith("https:")
        handlers = [NoRedirect()] + ([urllib.request.HTTPSHandler(context=TLS)] if https else [])
        self.opener = urllib.request.build_opener(*handlers)

    def on(self, base: str) -> Client:
        """The same browser, talking to another server."""
        other = Client(base, self.client_address)
        other.cookies = self.cookies
        return other

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None):
        url = self.base + path
        headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.client_address,
            # What the browser sent to nginx: an https address (Django's CSRF check reads it).
            "Referer": "https:" + url.split(":", 1)[1],
            **(headers or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(url, data=data, headers=headers)
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, response.read()

    def get(self, path: str, **headers):
        return self.request(path, headers=headers)

    def post(self, path: str, fields: dict, files: dict | None = None):
        token = self.csrf(path)
        fields = {"csrfmiddlewaretoken": token, **fields}
        if not files:
            body = urllib.parse.urlencode(fields).encode()
            return self.request(path, body, {"Content-Type": "application/x-www-form-urlencoded"})
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, content, content_type) in files.items():
            parts.append(
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                    f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
                ).encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(
            path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )

    def csrf(self, path: str) -> str:
        status, _, body = self.get(path)
        check(status == 200, f"GET {self.base}{path} answers 200 (got {status})")
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        check(found is not None, f"{path} has a CSRF token")
        return found.group(1).decode()


def check(condition: bool, what: str) -> None:
    if not condition:
        print(f"smoke: FAILED: {what}", file=sys.stderr)
        sys.exit(1)


def db():
    return psycopg.connect(ENV["DATABASE_URL"], autocommit=True)


def messages_to(phone: str) -> list[tuple[str, str]]:
    with db() as connection:
        rows = connection.execute(
            "SELECT status, body FROM notifications_message WHERE recipient = %s ORDER BY id",
            [phone],
        ).fetchall()
    return [(status, body) for status, body in rows]


def wait_until(what: str, seconds: float, predicate) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    check(False, what)


def through_nginx() -> None:
    proxy = Client(ENV["GUICHET_STACK_HTTPS"], "")
    status, headers, body = proxy.request("/healthz", headers={"X-Forwarded-For": ""})
    check(status == 200, f"/healthz through nginx answers 200 (got {status}: {body[:200]!r})")
    health = json.loads(body)
    check(health["database"] == "ok" and health["broker"] == "ok", f"healthz: {health}")
    check(bool(headers.get("X-Request-ID")), "nginx gives every request an X-Request-ID")
    plain = Client(ENV["GUICHET_STACK_HTTP"], "")
    status, headers, _ = plain.get("/healthz")
    check(status == 301 and headers["Location"].startswith("https://"), "HTTP redirects to HTTPS")
    _, _, home = proxy.get("/")
    stylesheet = re.search(rb'<link rel="stylesheet" href="(/static/[^"]+\.css)"', home)
    check(stylesheet is not None, "the home page links a stylesheet")
    status, headers, _ = proxy.get(stylesheet.group(1).decode(), **{"Accept-Encoding": "gzip"})
    check(status == 200, f"nginx serves {stylesheet.group(1)!r}")
    check(headers.get("Content-Encoding") == "gzip", "static files are served compressed")
    check("immutable" in headers.get("Cache-Control", ""), "static files are cached for long")
    status, _, _ = proxy.get("/metrics")
    check(status == 403, f"/metrics refuses a client without the token (got {status})")
    status, _, body = proxy.get("/metrics", Authorization=f"Bearer {ENV['GUICHET_METRICS_TOKEN']}")
    check(status == 200, f"/metrics answers Prometheus' token (got {status})")
    for metric in ("guichet_http_requests_total", 'guichet_celery_queue_length{queue="celery"}'):
        check(metric.encode() in body, f"/metrics reports {metric}")
    print("smoke: nginx (TLS, redirect, gzip static, request id, healthz, metrics): ok")


def session_shared_between_servers() -> None:
    phone = "+22790112233"
    browser = Client(ENV["GUICHET_STACK_APP_A"], "198.51.100.10")
    status, _, _ = browser.post("/connexion/", {"phone": phone})
    check(status == 302, f"server A accepts the phone number (got {status})")
    wait_until(
        "the sign-in code is delivered by the worker",
        30,
        lambda: any(state in {"sent", "delivered"} for state, _ in messages_to(phone)),
    )
    code = re.search(r"\b(\d{6})\b", messages_to(phone)[-1][1])
    check(code is not None, "the SMS holds a six-digit code")
    on_b = browser.on(ENV["GUICHET_STACK_APP_B"])
    status, _headers, _body = on_b.post("/connexion/code/", {"code": code.group(1)})
    check(status == 302, f"server B accepts the code sent by server A (got {status})")
    status, _, _ = on_b.get("/mon-espace/")
    check(status == 200, f"the citizen is signed in on server B (got {status})")
    status, _, _ = browser.get("/mon-espace/")
    check(status == 200, f"… and still on server A (got {status})")
    print("smoke: signed in on A, continued on B: ok")


def rate_limits_shared() -> None:
    phone = "+22790445566"
    a = Client(ENV["GUICHET_STACK_APP_A"], "198.51.100.20")
    b = a.on(ENV["GUICHET_STACK_APP_B"])
    answers = [client.post("/connexion/", {"phone": phone})[0] for client in (a, b, a, b)]
    # Three codes per number and client address every ten minutes (docs/deploy.md).
    check(answers[:3] == [302, 302, 302], f"three requests accepted (got {answers})")
    check(answers[3] != 302, f"the fourth, on the other server, is refused (got {answers})")
    print("smoke: sign-in code limits counted across A and B: ok")


def file_uploaded_through_a_read_through_b() -> None:
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(picture, "PNG")
    with db() as connection:
        category, region = connection.execute(
            "SELECT c.id, (SELECT MIN(id) FROM accounts_region) FROM complaints_category c "
            "JOIN accounts_organisation o ON o.id = c.organisation_id "
            "WHERE c.is_active AND o.path LIKE "
            "(SELECT path FROM accounts_organisation WHERE code = 'MSP-DQ') || '%%' "
            "ORDER BY c.id LIMIT 1"
        ).fetchone()
    citizen = Client(ENV["GUICHET_STACK_APP_A"], "198.51.100.30")
    status, _headers, _body = citizen.post(
        "/plaintes/deposer/",
        {"category": category, "region": region, "description": "Smoke test: photo via A."},
        files={"photo": ("photo.png", picture.getvalue(), "image/png")},
    )
    check(status == 302, f"server A files the complaint with its photo (got {status})")
    with db() as connection:
        complaint_id, key = connection.execute(
            "SELECT id, photo FROM complaints_complaint ORDER BY id DESC LIMIT 1"
        ).fetchone()
    s3 = boto3.client(
        "s3",
        endpoint_url=ENV["GUICHET_S3_ENDPOINT_URL"],
        region_name=ENV["GUICHET_S3_REGION"],
        aws_access_key_id=ENV["GUICHET_S3_ACCESS_KEY"],
        aws_secret_access_key=ENV["GUICHET_S3_SECRET_KEY"],
    )
    stored = s3.get_object(Bucket=ENV["GUICHET_S3_BUCKET"], Key=key)["Body"].read()
    check(len(stored) > 0, f"the photo is in the S3 bucket as {key}")
    check(not any((STACK / "var").rglob("*.png")), "no photo was written to an app server's disk")
    agent = Client(ENV["GUICHET_STACK_APP_B"], "198.51.100.31")
    status, _, _ = agent.post(
        "/agents/connexion/", {"username": "demo.plaintes", "password": "demo"}
    )
    check(status == 302, f"the agent signs in on server B (got {status})")
    status, _, served = agent.get(f"/plaintes/agents/{complaint_id}/photo")
    check(status == 200, f"server B serves the photo (got {status})")
    check(served == stored, "server B serves the bytes stored in S3")
    print("smoke: photo uploaded through A, stored in S3, read through B: ok")


def _kill_worker(pid: int) -> None:
    children = subprocess.run(
        ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    for victim in [pid, *map(int, children)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim, signal.SIGKILL)
    wait_until("the worker is gone", 10, lambda: not _alive(pid))


def _times_sent(code: str) -> int:
    """How many times the console gateway sent the SMS holding `code`: it logs one record per
    send, its text (« [1/1] … ») on the same line in the JSON log."""
    log = (STACK / "logs" / "worker.log").read_text(errors="replace")
    return sum(1 for line in log.splitlines() if "[1/1]" in line and code in line)


def worker_killed_mid_task_loses_nothing() -> None:
    """kill -9 the worker while it holds a message (its task taken from Redis, not acknowledged),
    queue more meanwhile, restart it: Redis hands the held task out again after the visibility
    timeout (GUICHET_CELERY_VISIBILITY_TIMEOUT), and every message is sent exactly once — the
    claim in notifications/services.py makes the second delivery of a task harmless."""
    import redis

    broker = redis.Redis.from_url(ENV["REDIS_URL"])
    pidfile = STACK / "pids" / "worker.pid"
    held_worker, gateway_hold = STACK / "worker.hold", Path(ENV["GUICHET_SMS_CONSOLE_HOLD_FILE"])
    gateway_hold.touch()  # the console gateway waits before sending while this file exists
    phones = ["+22791000001", "+22791000002", "+22791000003"]
    for number, phone in enumerate(phones):
        client = Client(
            ENV["GUICHET_STACK_APP_B" if number % 2 else "GUICHET_STACK_APP_A"],
            f"198.51.100.{40 + number}",
        )
        check(client.post("/connexion/", {"phone": phone})[0] == 302, f"code asked for {phone}")
    # Concurrency 1, prefetch 1, acks late: the worker holds one task, unacknowledged in Redis.
    wait_until(
        "the worker holds a message's task",
        30,
        lambda: any(b"send_message" in task for task in broker.hvals("unacked")),
    )
    taken = time.monotonic()
    time.sleep(0.5)  # well inside the gateway's send (held), before the outcome is committed
    held_worker.touch()  # the supervisor loop does not restart the worker until told
    _kill_worker(int(pidfile.read_text()))
    pidfile.unlink(missing_ok=True)
    states = [state for phone in phones for state, _ in messages_to(phone)]
    check(states == ["queued"] * len(phones), f"nothing was sent, all wait ({states})")
    check(
        any(b"send_message" in task for task in broker.hvals("unacked")),
        "the killed worker's task is still unacknowledged in Redis",
    )
    gateway_hold.unlink()
    # A starting worker hands out again the tasks unacknowledged for longer than the visibility
    # timeout (kombu scans at start, then only every ~100 s): restart it once that has passed.
    visibility = float(ENV["GUICHET_CELERY_VISIBILITY_TIMEOUT"])
    time.sleep(max(0.0, visibility + 1 - (time.monotonic() - taken)))
    held_worker.unlink()
    wait_until(
        "the restarted worker delivers every message, the killed one's included",
        60,
        lambda: all(
            [state for state, _ in messages_to(phone)] == ["delivered"] for phone in phones
        ),
    )
    with db() as connection:
        attempts = connection.execute(
            "SELECT attempts FROM notifications_message WHERE recipient = ANY(%s)", [phones]
        ).fetchall()
    check(attempts == [(1,)] * len(phones), f"each message was sent in one attempt ({attempts})")
    for phone in phones:
        code = re.search(r"\b(\d{6})\b", messages_to(phone)[0][1]).group(1)
        sent = _times_sent(code)
        check(sent == 1, f"the gateway got {phone}'s code once (got it {sent} times)")
    print("smoke: worker killed mid-task, all delivered after restart, each exactly once: ok")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return (
        Path(f"/proc/{pid}").exists()
        and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]
    )


def main() -> int:
    through_nginx()
    session_shared_between_servers()
    rate_limits_shared()
    file_uploaded_through_a_read_through_b()
    worker_killed_mid_task_loses_nothing()
    return 0


if __name__ == "__main__":
    sys.exit(main())
