"""« licencié » joins « licencier » (morphology.EXCEPTIONS): the texts holding its forms are
analysed again, since their token changes (« licenc » → « licenci »), and so do the vocabulary
rows of those forms. The triggers copy the new stems into the full-text index."""

from django.db import migrations

FORMS = ("licencie", "licenciee", "licencies", "licenciees")


def reanalyse(apps, schema_editor):
    from guichet.gazette import morphology, numbering, search

    SearchEntry = apps.get_model("gazette", "SearchEntry")
    SearchTerm = apps.get_model("gazette", "SearchTerm")
    SearchWord = apps.get_model("gazette", "SearchWord")
    changed = []
    for entry in SearchEntry.objects.filter(word_forms__contains="licenci").iterator():
        if not set(FORMS) & set(entry.word_forms.split()):
            continue
        title = f"{numbering.DOCTYPE_LABELS.get(entry.doctype, entry.doctype)} {entry.title}"
        analysed = search.analysis(title, entry.body)
        entry.stem_title, entry.stem_body = analysed.stem_title, analysed.stem_body
        entry.word_forms = analysed.word_forms
        changed.append(entry)
        if len(changed) == 500:
            SearchEntry.objects.bulk_update(changed, ["stem_title", "stem_body", "word_forms"])
            changed = []
    SearchEntry.objects.bulk_update(changed, ["stem_title", "stem_body", "word_forms"])
    for word in SearchWord.objects.filter(word__in=FORMS):
        word.token = morphology.stem(word.word)
        word.save(update_fields=["token"])
        SearchTerm.objects.get_or_create(token=word.token, defaults={"word": word.spelling})


class Migration(migrations.Migration):
    dependencies = [("gazette", "0006_search_word_forms")]

    operations = [migrations.RunPython(reanalyse, migrations.RunPython.noop)]
