"""Existing penalties get their legal nature and their length as pronounced.

* Prison stored as a day count becomes years, months or days as the court most likely said it
  (365 days → 1 an, 90 days → 3 mois, 45 days → 45 jours); the day count is unchanged.
* « Autre mesure » whose text says what it is (« réclusion criminelle à perpétuité », « peine de
  mort », « 20 ans de réclusion criminelle », « interdiction de séjour »…) takes that kind; the
  others stay « autre » and are listed for a clerk (selectors.penalties_to_qualify, command
  `manage.py penalties_to_qualify`, page « Peines à qualifier » of the clerk's desk)."""

from django.db import migrations


def split_days(days):
    if days and days % 365 == 0:
        return {"years": days // 365, "months": None, "days": None}
    if days and days % 30 == 0:
        return {"years": None, "months": days // 30, "days": None}
    return {"years": None, "months": None, "days": days}


def qualify(apps, schema_editor):
    from guichet.criminal_records.penalties import parse_free_text

    Penalty = apps.get_model("criminal_records", "Penalty")
    for penalty in Penalty.objects.filter(kind="prison", years=None, months=None):
        for name, value in split_days(penalty.days).items():
            setattr(penalty, name, value)
        penalty.save(update_fields=["years", "months", "days"])
    for penalty in Penalty.objects.filter(kind="other"):
        parsed = parse_free_text(penalty.description)
        if parsed is None:
            continue
        penalty.kind = parsed.kind
        for name, value in parsed.fields.items():
            setattr(penalty, name, value)
        penalty.save()


class Migration(migrations.Migration):
    dependencies = [("criminal_records", "0003_penalties_as_pronounced")]

    operations = [migrations.RunPython(qualify, migrations.RunPython.noop)]
