"""Law n° 2022-59: anonymous complaints and those with a hidden identity keep no IP address.

Clears the address of the existing ones and of their duplicates. The audit trail's entries are
sealed (their MAC and the signed checkpoints cover the address): they cannot be rewritten, and
new entries for such complaints no longer carry an address (docs/complaints.md).
"""

from django.db import migrations
from django.db.models import Q

NO_CONTACT = Q(phone="", email="", first_name="", last_name="")


def forget_addresses(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    DuplicateSubmission = apps.get_model("complaints", "DuplicateSubmission")
    private = Complaint.objects.filter(Q(hide_identity=True) | NO_CONTACT)
    private.exclude(submitted_ip=None).update(submitted_ip=None)
    DuplicateSubmission.objects.filter(complaint__in=private).exclude(submitted_ip=None).update(
        submitted_ip=None
    )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0002_address_hash_key")]

    operations = [migrations.RunPython(forget_addresses, migrations.RunPython.noop, elidable=True)]
