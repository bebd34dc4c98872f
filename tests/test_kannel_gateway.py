"""Guichet's Kannel adapter against Debian's Kannel: bearerbox + smsbox, with kannel-extras'
fakesmsc playing the operator's SMSC, all on free ports with a generated configuration.

- a citizen's sign-in code sent by Guichet (sendsms) reaches fakesmsc;
- an inbound « PLAINTE … » typed at fakesmsc reaches Guichet through smsbox's sms-service (this
  test's live server), files a complaint, and the reply comes back to fakesmsc;
- Kannel's delivery reports (dlr-url) move the messages to "delivered".
Skipped only when Kannel is absent and GUICHET_REQUIRE_KANNEL is unset (.ci/run sets it).
"""

import os
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest

from guichet.accounts.services import request_sign_in_code
from guichet.complaints.models import Category, Complaint
from guichet.notifications.models import InboundMessage, Message

BEARERBOX = "/usr/sbin/bearerbox"
SMSBOX = "/usr/sbin/smsbox"
FAKESMSC = "/usr/lib/kannel/test/fakesmsc"
CITIZEN = "+22790556677"
COMPLAINT = "PLAINTE Le dispensaire de Lazaret est ferme depuis trois jours"
TOKEN = "kannel-test-token"

# Production sends SMS through Kannel on PostgreSQL; on SQLite the live server, the delivery report
# callback and the sender lock the one database file against each other under load.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def _require_kannel() -> None:
    missing = [path for path in (BEARERBOX, SMSBOX, FAKESMSC) if not Path(path).exists()]
    if not missing:
        return
    message = f"Kannel is not installed ({', '.join(missing)}: Debian kannel, kannel-extras)"
    if os.environ.get("GUICHET_REQUIRE_KANNEL") == "1":
        pytest.fail(f"{message} (required: GUICHET_REQUIRE_KANNEL=1)")
    pytest.skip(message)


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _wait(what: str, predicate, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} (within {seconds} s)")


def kannel_configuration(folder: Path, ports: dict[str, int], inbound_url: str) -> str:
    """bearerbox, one fake SMSC, smsbox with a sendsms user and the sms-service calling Guichet
    (docs/notifications.md shows the production version)."""
    return f"""
group = core
admin-port = {ports["admin"]}
admin-password = kannel-admin
smsbox-port = {ports["smsbox"]}
box-allow-ip = 127.0.0.1
log-file = "{folder}/bearerbox.log"
log-level = 1
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = operator
port = {ports["smsc"]}
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {ports["smsbox"]}
sendsms-port = {ports["sendsms"]}
log-file = "{folder}/smsbox.log"
log-level = 1

group = sendsms-user
username = guichet
password = kannel-password
concatenation = true
max-messages = 10

group = sms-service
keyword = default
catch-all = true
get-url = "{inbound_url}?token={TOKEN}&from=%p&to=%P&text=%a"
omit-empty = true
max-messages = 0
"""


@pytest.fixture
def kannel(live_server, settings, tmp_path, organisations):
    _require_kannel()
    ports = dict(zip(("admin", "smsbox", "smsc", "sendsms"), _free_ports(4), strict=True))
    settings.SMS_GATEWAY = "kannel"
    settings.KANNEL_SENDSMS_URL = f"http://127.0.0.1:{ports['sendsms']}/cgi-bin/sendsms"
    settings.KANNEL_USERNAME = "guichet"
    settings.KANNEL_PASSWORD = "kannel-password"
    settings.SMS_SENDER = "GUICHET"
    settings.SITE_URL = live_server.url
    settings.INBOUND_TOKEN = TOKEN
    Category.objects.create(
        code="autre", name="Autre plainte", group="Autre", organisation=organisations["PRN-MED"]
    )
    config = tmp_path / "kannel.conf"
    config.write_text(kannel_configuration(tmp_path, ports, f"{live_server.url}/sms/entrant"))
    processes = []

    def start(*command: str, log: str) -> subprocess.Popen:
        process = subprocess.Popen(
            command, stdout=(tmp_path / log).open("w"), stderr=subprocess.STDOUT, cwd=tmp_path
        )
        processes.append(process)
        return process

    try:
        start(BEARERBOX, str(config), log="bearerbox.out")
        _wait("bearerbox listens for smsbox", lambda: _listening(ports["smsbox"]))
        start(SMSBOX, str(config), log="smsbox.out")
        _wait("smsbox serves sendsms", lambda: _listening(ports["sendsms"]))
        # The operator's SMSC: it types one inbound SMS, then prints what it receives.
        start(
            FAKESMSC, "-H", "127.0.0.1", "-r", str(ports["smsc"]), "-i", "0.5", "-m", "1",
            f"{CITIZEN} 3535 text {COMPLAINT}", log="fakesmsc.out",
        )  # fmt: skip
        yield tmp_path / "fakesmsc.out"
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _received_by_operator(log: Path) -> list[str]:
    """The texts fakesmsc received: « Got message N: <from to text …> »."""
    return re.findall(r"Got message \d+: <(.*)>", log.read_text(errors="replace"))


def _delivered(message_id: int) -> bool:
    return Message.objects.get(pk=message_id).status == Message.Status.DELIVERED


def test_an_inbound_plainte_reaches_guichet_through_kannel_and_the_reply_comes_back(kannel):
    _wait("the PLAINTE typed at fakesmsc reaches Guichet", InboundMessage.objects.exists)
    inbound = InboundMessage.objects.get()
    assert inbound.sender == CITIZEN
    assert inbound.text == COMPLAINT
    _wait("the complaint is filed", Complaint.objects.exists)
    complaint = Complaint.objects.get()
    assert complaint.channel == "sms"
    _wait("the reply reaches fakesmsc", lambda: _received_by_operator(kannel))
    sender, recipient, kind, text = _received_by_operator(kannel)[0].split(" ", 3)
    assert (sender, recipient, kind) == ("GUICHET", CITIZEN, "text")
    assert complaint.display_reference in text
    reply = Message.objects.get(recipient=CITIZEN)
    _wait("Kannel's delivery report marks the reply delivered", lambda: _delivered(reply.pk))
    reply.refresh_from_db()
    assert reply.gateway_status.startswith("1")  # Kannel's DLR type 1: delivered to the phone


def test_a_sign_in_code_sent_by_guichet_reaches_the_operator_and_is_reported_delivered(kannel):
    _wait("the inbound SMS is handled first", lambda: _received_by_operator(kannel))
    phone = "+22790667788"
    request_sign_in_code(phone, ip_address="127.0.0.1")
    message = Message.objects.get(recipient=phone)
    assert message.status in {Message.Status.SENT, Message.Status.DELIVERED}
    _wait(
        "the code reaches fakesmsc",
        lambda: any(f" {phone} " in line for line in _received_by_operator(kannel)),
    )
    line = next(line for line in _received_by_operator(kannel) if f" {phone} " in line)
    assert re.search(r"\b\d{6}\b", line)
    assert re.search(r"\b\d{6}\b", message.body).group(0) in line
    _wait("Kannel's delivery report marks the code delivered", lambda: _delivered(message.pk))
    message.refresh_from_db()
    assert message.delivered_at is not None
