"""`manage.py payments_report [--date AAAA-MM-JJ] [--no-check]`: the day's paid / unpaid /
refunded payments, after asking providers about those still pending (default: yesterday)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import ngettext

from guichet.payments import services


class Command(BaseCommand):
    help = "Daily reconciliation report of mobile-money payments."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="AAAA-MM-JJ (default: yesterday)")
        parser.add_argument("--no-check", action="store_true", help="Do not ask the providers.")

    def handle(self, *args, **options):
        if options["date"]:
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("Date invalide : utilisez AAAA-MM-JJ.") from exc
        else:
            day = timezone.localdate() - dt.timedelta(days=1)
        report = services.reconcile(day, ask_providers=not options["no_check"])
        out = self.stdout
        out.write(f"Paiements du {day:%d/%m/%Y}")
        for label, (count, amount) in (
            ("payés", report.paid),
            ("non payés", report.unpaid),
            ("remboursés", report.refunded),
        ):
            out.write(f"  {label:<11} {count:>6}  {amount:>12} F CFA")
        out.write(f"  régularisés par vérification : {report.settled}")
        if report.unreachable:
            unreachable = ngettext(
                "prestataire injoignable pour %(count)d paiement",
                "prestataire injoignable pour %(count)d paiements",
                report.unreachable,
            ) % {"count": report.unreachable}
            out.write(f"  {unreachable}")
