from django.db import migrations


def load_reference(apps, schema_editor):
    from guichet.accounts import reference

    reference.load(
        apps.get_model("accounts", "Region"),
        apps.get_model("accounts", "Commune"),
        apps.get_model("accounts", "Role"),
        apps.get_model("accounts", "Organisation"),
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(load_reference, migrations.RunPython.noop)]
