"""Numbers are followed by real plural forms (ngettext), never « texte(s) » (issue 15).

Before: every management command below printed « 1 texte(s) », « 1 rappel(s) »… One command per
app is run with a count of 1 (and of 2 where the sentence has two numbers); the last tests scan
the sources so that a new « (s) » in a translated string or a command's output fails here.
"""

import ast
import re
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import translation

GUICHET = Path(__file__).resolve().parent.parent / "guichet"


def run(command: str, *args: str) -> str:
    out = StringIO()
    with translation.override("fr"):
        call_command(command, *args, stdout=out)
    return out.getvalue()


def test_gazette_status_refresh_counts_one_text_in_the_singular():
    with mock.patch(
        "guichet.gazette.management.commands.refresh_gazette_status.refresh_in_force_status",
        return_value=1,
    ):
        out = run("refresh_gazette_status")
    assert out == "1 texte désormais abrogé dans l'index de recherche.\n"


def test_talents_purge_counts_one_candidate_in_the_singular():
    command = "guichet.talents.management.commands.talents_purge"
    with (
        mock.patch(f"{command}.purge_expired", return_value=1),
        mock.patch(f"{command}.retention_days", return_value=730),
    ):
        out = run("talents_purge")
    assert out == "1 candidature effacée (conservation : 730 jours).\n"


def test_audit_verification_counts_one_entry_and_one_checkpoint_in_the_singular():
    report = SimpleNamespace(
        intact=True, size=1, root=b"\x01", checkpoints_checked=1, latest_external="anchor"
    )
    command = "guichet.audit.management.commands.verify_audit"
    with (
        mock.patch(f"{command}.sequence_pending", return_value=0),
        mock.patch(f"{command}.verify_log", return_value=report),
    ):
        out = run("verify_audit", "--no-checkpoint")
    assert "Journal d'audit intact (1 entrée, racine 01, 1 point de contrôle vérifié)." in out


def test_realtime_poll_counts_one_update_for_one_trip_in_the_singular():
    command = "guichet.transit.management.commands.poll_gtfs_rt"
    with (
        mock.patch(f"{command}.Feed") as feed,
        mock.patch(f"{command}.realtime") as realtime,
        mock.patch(f"{command}.store_trip_updates", return_value=1),
    ):
        feed.objects.filter.return_value.first.return_value = object()
        realtime.trip_updates.return_value = [{"trip_id": "t1"}]
        out = run("poll_gtfs_rt", "niamey", "feed.pb")
    assert out == "1 mise à jour enregistrée pour 1 trajet.\n"


def test_message_retry_counts_one_message_in_the_singular():
    with mock.patch(
        "guichet.notifications.management.commands.retry_failed_messages.requeue",
        return_value=[7],
    ):
        out = run("retry_failed_messages")
    assert out == "1 message remis en file d'envoi.\n"


def test_deadline_check_counts_reminders_and_escalations_each_with_its_own_form():
    with mock.patch(
        "guichet.workflow.management.commands.check_deadlines.check_deadlines",
        return_value={"reminders": 1, "escalations": 2},
    ):
        out = run("check_deadlines")
    assert out == "Envoyés : 1 rappel, 2 signalements.\n"


def test_payments_report_counts_one_unreachable_payment_in_the_singular():
    report = SimpleNamespace(
        paid=(0, 0), unpaid=(1, 500), refunded=(0, 0), settled=0, unreachable=1
    )
    with mock.patch(
        "guichet.payments.management.commands.payments_report.services.reconcile",
        return_value=report,
    ):
        out = run("payments_report", "--date", "2026-05-03", "--no-check")
    assert out.endswith("  prestataire injoignable pour 1 paiement\n")


@pytest.mark.django_db
def test_sign_in_unlock_counts_one_attempt_in_the_singular():
    with mock.patch(
        "guichet.accounts.management.commands.unlock_sign_in.AxesProxyHandler.reset_attempts",
        return_value=1,
    ):
        out = run("unlock_sign_in", "--ip", "192.0.2.1", "--reason", "test")
    assert out == "1 tentative effacée ; connexion débloquée.\n"


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(50, "Réessayez dans 1 minute."), (300, "Réessayez dans 5 minutes.")],
)
def test_the_rate_limit_message_says_minute_or_minutes(seconds, expected):
    from guichet.throttling import RateLimited

    with translation.override("fr"):
        assert str(RateLimited(scope="test", retry_after=seconds)).endswith(expected)


# --- « (s) » never comes back -------------------------------------------------------------

# « texte(s) », « importé(s) », « (es) », « (x) » after a letter; not « http(s) » (a URL scheme)
# nor « %(s)s » (a placeholder). Every string literal counts, translated or not: a command's or a
# report's output is read by people too, and a literal can be wrapped in gettext later.
PLURAL_PARENTHESES = re.compile(r"(?<!http)(?<=[^\W\d_])\((?:e?s|x)\)")


def _python_hits(path: Path) -> list[str]:
    hits: dict[int, str] = {}  # one per line: an f-string's parts are one text
    for node in ast.walk(ast.parse(path.read_text("utf-8"), filename=str(path))):
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str) and PLURAL_PARENTHESES.search(text):
            hits.setdefault(node.lineno, f"{path}:{node.lineno}: {text!r}")
    return [hits[line] for line in sorted(hits)]


def plural_parentheses(root: Path) -> list[str]:
    """Every « (s) » in the Python strings (tests and migrations aside) and templates of root."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if not {"tests", "migrations"} & set(path.relative_to(root).parts):
            found += _python_hits(path)
    for path in sorted(root.rglob("templates/**/*")):
        if path.suffix in {".html", ".txt", ".xml"}:
            for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
                if PLURAL_PARENTHESES.search(line):
                    found.append(f"{path}:{number}: {line.strip()!r}")
    return found


def test_no_string_or_template_writes_a_plural_in_parentheses():
    """Before: 28 strings on 24 lines (commands, throttling, trace upload, gazette import, GTFS
    validation report, audit verification)."""
    assert plural_parentheses(GUICHET) == []


def test_the_scan_catches_python_strings_f_strings_and_templates(tmp_path):
    app = tmp_path / "app"
    (app / "management" / "commands").mkdir(parents=True)
    (app / "templates" / "app").mkdir(parents=True)
    (app / "views.py").write_text(
        "from django.utils.translation import gettext as _\n"
        'A = _("%(n)s texte(s) importé(s)")\nB = _("adresse http(s), marche %(s)s s")\n'
    )
    (app / "management" / "commands" / "count.py").write_text('print(f"{n} mise(s) à jour")\n')
    (app / "templates" / "app" / "page.html").write_text(
        '{% translate "Pièce(s) jointe(s)" %}\n<p>%(s)s</p>\n'
        "{% blocktranslate %}{{ n }} fichier(s){% endblocktranslate %}\n"
    )
    found = plural_parentheses(app)
    assert [hit.split(": ", 1)[0].rsplit("/", 1)[1] for hit in found] == [
        "count.py:1",
        "views.py:2",
        "page.html:1",
        "page.html:3",
    ]
