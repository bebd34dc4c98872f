from django.db import migrations


def load_reference(apps, schema_editor):
    from guichet.talents import reference

    reference.load(
        apps.get_model("accounts", "Region"),
        apps.get_model("accounts", "Role"),
        apps.get_model("accounts", "Organisation"),
        apps.get_model("talents", "Profile"),
    )


class Migration(migrations.Migration):
    dependencies = [("talents", "0001_initial"), ("accounts", "0002_reference_data")]

    operations = [migrations.RunPython(load_reference, migrations.RunPython.noop)]
