"""Legal parameters become versions in time: each applies from its effective date.

Existing values (entered before versions existed) are kept, in force from the day they were last
saved; their note becomes the version's reason."""

import datetime as dt

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def date_existing_values(apps, schema_editor):
    RuleParameter = apps.get_model("criminal_records", "RuleParameter")
    for row in RuleParameter.objects.all():
        row.effective_from = row.created_at.date() if row.created_at else dt.date(1961, 8, 14)
        if not row.reason.strip():
            row.reason = "Valeur saisie avant le versionnement des paramètres."
        row.save(update_fields=["effective_from", "reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("criminal_records", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("ruleparameter", "note", "reason"),
        migrations.RenameField("ruleparameter", "updated_at", "created_at"),
        migrations.AlterField(
            model_name="ruleparameter",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True),
        ),
        migrations.AddField(
            model_name="ruleparameter",
            name="effective_from",
            field=models.DateField(
                default=dt.date(1961, 8, 14), verbose_name="en vigueur à partir du"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="ruleparameter",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="ruleparameter",
            name="key",
            field=models.CharField(max_length=60, verbose_name="paramètre"),
        ),
        migrations.AlterField(
            model_name="ruleparameter",
            name="reason",
            field=models.TextField(verbose_name="motif (texte, décision ou justification)"),
        ),
        migrations.RunPython(date_existing_values, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="ruleparameter",
            options={
                "ordering": ["key", "effective_from", "pk"],
                "verbose_name": "paramètre légal (version)",
                "verbose_name_plural": "paramètres légaux (versions)",
            },
        ),
        migrations.AddIndex(
            model_name="ruleparameter",
            index=models.Index(fields=["key", "effective_from"], name="rule_param_key_date"),
        ),
    ]
