"""From the hash chain to a Merkle-tree log with signed checkpoints (issue 9).

Existing entries keep their positions (`sequence`) and are sealed with the new format (a uid, a MAC
under the platform's audit key, an RFC 9162 leaf hash), in order, before the old chain columns go.
"""

import uuid

from django.db import migrations, models


def drop_old_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;"
            "DROP FUNCTION IF EXISTS audit_entry_append_only();"
        )


def seal_existing_entries(apps, schema_editor):
    from guichet.audit.sealing import entry_leaf_hash, entry_mac

    AuditEntry = apps.get_model("audit", "AuditEntry")
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        entry.uid = uuid.uuid4()
        entry.mac = entry_mac(entry)
        entry.leaf_hash = entry_leaf_hash(entry).hex()
        AuditEntry.objects.filter(pk=entry.pk).update(
            uid=entry.uid, mac=entry.mac, leaf_hash=entry.leaf_hash
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [
        migrations.RunPython(drop_old_trigger, migrations.RunPython.noop),
        migrations.AddField(
            model_name="auditentry",
            name="uid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="mac",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="leaf_hash",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="sequence",
            field=models.PositiveBigIntegerField(
                blank=True, null=True, unique=True, verbose_name="numéro"
            ),
        ),
        migrations.RunPython(seal_existing_entries, migrations.RunPython.noop),
        migrations.RemoveField(model_name="auditentry", name="previous_hash"),
        migrations.RemoveField(model_name="auditentry", name="entry_hash"),
        migrations.AlterField(
            model_name="auditentry",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterModelOptions(
            name="auditentry",
            options={
                "ordering": ["id"],
                "verbose_name": "entrée d'audit",
                "verbose_name_plural": "journal d'audit",
            },
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(
                condition=models.Q(("sequence__isnull", True)),
                fields=["id"],
                name="audit_entry_pending",
            ),
        ),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("tree_size", models.PositiveBigIntegerField(verbose_name="taille")),
                ("root_hash", models.CharField(max_length=64, verbose_name="racine")),
                ("published_at", models.DateTimeField(db_index=True, verbose_name="publié le")),
                ("key_id", models.CharField(max_length=8)),
                ("text", models.TextField()),
                ("frontier", models.JSONField(default=list)),
            ],
            options={
                "verbose_name": "point de contrôle d'audit",
                "verbose_name_plural": "points de contrôle d'audit",
                "ordering": ["id"],
                "get_latest_by": "id",
            },
        ),
    ]
