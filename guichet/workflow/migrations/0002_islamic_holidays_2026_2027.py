"""Expected dates of Niger's Islamic public holidays for 2026 and 2027.

They depend on the sighting of the moon: the Government confirms each date shortly before, so these
rows are marked "à confirmer" and an administrator corrects them in the admin. (Niger observes
Laylat al-Qadr, Eid al-Fitr, Tabaski and the day after it, the Islamic New Year and Mawlid.)
"""

import datetime as dt

from django.db import migrations

EXPECTED = [
    (dt.date(2026, 3, 17), "Laylat al-Qadr (Nuit du Destin)"),
    (dt.date(2026, 3, 20), "Aïd el-Fitr (Korité)"),
    (dt.date(2026, 5, 27), "Aïd el-Kébir (Tabaski)"),
    (dt.date(2026, 5, 28), "Lendemain de la Tabaski"),
    (dt.date(2026, 6, 16), "Nouvel an musulman (Muharram)"),
    (dt.date(2026, 8, 25), "Mouloud (naissance du Prophète)"),
    (dt.date(2027, 3, 6), "Laylat al-Qadr (Nuit du Destin)"),
    (dt.date(2027, 3, 9), "Aïd el-Fitr (Korité)"),
    (dt.date(2027, 5, 16), "Aïd el-Kébir (Tabaski)"),
    (dt.date(2027, 5, 17), "Lendemain de la Tabaski"),
    (dt.date(2027, 6, 6), "Nouvel an musulman (Muharram)"),
    (dt.date(2027, 8, 14), "Mouloud (naissance du Prophète)"),
]


def load(apps, schema_editor):
    PublicHoliday = apps.get_model("workflow", "PublicHoliday")
    for date, name in EXPECTED:
        PublicHoliday.objects.get_or_create(date=date, defaults={"name": name, "to_confirm": True})


def unload(apps, schema_editor):
    PublicHoliday = apps.get_model("workflow", "PublicHoliday")
    PublicHoliday.objects.filter(date__in=[d for d, _ in EXPECTED], to_confirm=True).delete()


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
