"""The blocking keys of every person again: `names.fold` now reads apostrophes and the letters of
the national alphabets (ɓ ɗ ƙ ƴ ŋ ɲ ɛ ɔ ə) as a French transcription does (the keys were written
when « N'Diaye » read « n diaye » and « Ɗan Baba » « an baba »), and a name of several words is
keyed joined as well (« Dan Jimma » / « Danjimma »)."""

from django.db import migrations


def reindex(apps, schema_editor):
    from guichet.criminal_records.identity_comparison import Identity
    from guichet.criminal_records.matching import blocking_keys

    Person = apps.get_model("criminal_records", "Person")
    PersonNameKey = apps.get_model("criminal_records", "PersonNameKey")
    persons = Person.objects.filter(merged_into__isnull=True).select_related("birth_commune")
    for person in persons.iterator(chunk_size=2000):
        facts = {
            "birth_year": person.birth_year,
            "birth_commune_id": person.birth_commune_id,
            "sex": person.sex or "",
        }
        PersonNameKey.objects.filter(person_id=person.pk).delete()
        PersonNameKey.objects.bulk_create(
            [
                PersonNameKey(person_id=person.pk, key=key, **facts)
                for key in sorted(blocking_keys(Identity.of_person(person)))
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("criminal_records", "0007_bulletinrequest_documents_erased_at")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
