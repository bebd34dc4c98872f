"""The flush between transactional tests empties every table, and the bulk reload of reference rows
leaves exactly what Django's own loader leaves (tests/flush_and_reload.py)."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import signals

from guichet.accounts.audit_actions import CITIZEN_SIGNED_IN
from guichet.accounts.models import Organisation, User
from guichet.audit import services as audit
from guichet.workflow.models import PublicHoliday
from tests import flush_and_reload

pytestmark = pytest.mark.django_db(transaction=True)


def _reference_rows() -> str:
    return connections["default"]._test_serialized_contents


def _row_counts() -> dict:
    return {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def _flush() -> None:
    call_command(
        "flush", verbosity=0, interactive=False, reset_sequences=False, inhibit_post_migrate=True
    )


def test_the_flush_empties_every_table_the_audit_trail_included():
    user = User.objects.create(username="+22790000001", phone_number="+22790000001")
    audit.record(CITIZEN_SIGNED_IN, actor=user, target=user)
    assert sum(_row_counts().values()) > 600

    _flush()

    assert {table: count for table, count in _row_counts().items() if count} == {}


def test_the_flush_leaves_sequences_as_django_does():
    last = Organisation.objects.order_by("-pk").first().pk
    _flush()
    flush_and_reload.load(connection.creation, _reference_rows())
    added = Organisation.objects.create(code="ZZ-SEQ", name="Séquence")
    assert added.pk > last


def test_the_reload_gives_back_the_serialized_rows_exactly():
    _flush()
    flush_and_reload.load(connection.creation, _reference_rows())
    assert connection.creation.serialize_db_to_string() == _reference_rows()


def test_the_reload_overwrites_changed_rows_and_adds_missing_ones():
    organisation = Organisation.objects.order_by("pk").first()
    Organisation.objects.filter(pk=organisation.pk).update(name="Renommée")
    PublicHoliday.objects.order_by("pk").last().delete()

    flush_and_reload.load(connection.creation, _reference_rows())

    assert connection.creation.serialize_db_to_string() == _reference_rows()


def test_the_reload_sends_raw_save_signals_as_django_does():
    saved = []

    def receiver(sender, instance, raw, created, **kwargs):
        saved.append((instance.pk, raw, created))

    signals.post_save.connect(receiver, sender=PublicHoliday)
    try:
        _flush()
        flush_and_reload.load(connection.creation, _reference_rows())
    finally:
        signals.post_save.disconnect(receiver, sender=PublicHoliday)

    holidays = sorted(PublicHoliday.objects.values_list("pk", flat=True))
    assert holidays
    assert sorted(pk for pk, _, _ in saved) == holidays
    assert all(raw and created for _, raw, created in saved)
