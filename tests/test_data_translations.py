"""Reference rows carry their Hausa, Zarma and English names (guichet.data_translations): the
fallback rule, the admin fields, the PO round trip, and what citizens then read."""

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from guichet import data_translations
from guichet.accounts.models import Organisation
from guichet.complaints.forms import CategoryChoiceField
from guichet.complaints.models import Category

pytestmark = pytest.mark.django_db


@pytest.fixture
def category(organisations):
    return Category.objects.create(
        code="sante-frais",
        name="Frais de soins",
        group="Santé",
        organisation=organisations["MSP-DQ"],
        translations={"name": {"ha": "Kuɗin jinya", "en": "Healthcare fees"}},
    )


def test_the_active_language_then_its_base_then_french(category):
    assert category.translated("name", "ha") == "Kuɗin jinya"
    assert category.translated("name", "en-gb") == "Healthcare fees"
    assert category.translated("name", "dje") == "Frais de soins"  # no Zarma yet: French
    assert category.translated("name", "fr") == "Frais de soins"
    with translation.override("ha"):
        assert str(category) == "Santé — Kuɗin jinya"


def test_the_complaint_form_lists_categories_in_the_citizens_language(category):
    """Before: « Santé — Frais de soins » in every language (the issue's first finding)."""
    field = CategoryChoiceField(queryset=Category.objects.all())
    with translation.override("en"):
        assert [label for _value, label in field.choices][1:] == ["Santé — Healthcare fees"]


def test_templates_use_the_built_in_filter(category):
    template = Template('{{ c|translated:"name" }} / {{ o|translated:"name" }}')
    with translation.override("ha"):
        text = template.render(Context({"c": category, "o": object()}))
    assert text == "Kuɗin jinya / "


def test_translations_are_checked_on_clean(category):
    category.translations = {"keywords": {"ha": "x"}, "name": {"xx": "y"}}
    with pytest.raises(ValidationError) as error:
        category.full_clean()
    assert len(error.value.message_dict["translations"]) == 2


def test_the_admin_edits_one_box_per_field_and_language(category, make_agent):
    admin = site._registry[Category]
    request = RequestFactory().get("/")
    request.user = make_agent("admin.tr", "platform_admin", "PRN")
    form_class = admin.get_form(request, category)
    assert "translation__name__dje" in form_class.base_fields
    assert "translations" not in form_class.base_fields
    data = {
        name: getattr(category, name) or ""
        for name in ("code", "name", "group", "description", "keywords")
    }
    data |= {"organisation": category.organisation_id, "response_days": 10, "order": 1}
    data |= {"is_active": "on", "translation__name__dje": "Safari nooru"}
    data |= {"translation__group__ha": "Lafiya"}
    form = form_class(data, instance=category)
    assert form.is_valid(), form.errors
    form.save()
    category.refresh_from_db()
    assert category.translations == {"name": {"dje": "Safari nooru"}, "group": {"ha": "Lafiya"}}


def test_translations_round_trip_through_po_files(category, tmp_path):
    call_command("export_data_translations", str(tmp_path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    po = (tmp_path / "dje.po").read_text("utf-8")
    assert 'msgctxt "complaints.category:sante-frais:name"' in po
    po = po.replace(
        'msgctxt "complaints.category:sante-frais:name"\nmsgid "Frais de soins"\nmsgstr ""',
        'msgctxt "complaints.category:sante-frais:name"\nmsgid "Frais de soins"\n'
        'msgstr "Safari nooru"',
    )
    (tmp_path / "dje.po").write_text(po, "utf-8")
    Category.objects.filter(pk=category.pk).update(translations={})
    for language in ("ha", "dje", "en"):
        call_command(
            "import_data_translations",
            str(tmp_path / f"{language}.po"),
            stdout=open("/dev/null", "w"),  # noqa: SIM115
        )
    category.refresh_from_db()
    assert category.translations["name"] == {
        "ha": "Kuɗin jinya",
        "dje": "Safari nooru",
        "en": "Healthcare fees",
    }


def test_an_import_skips_texts_whose_french_changed_since_the_export(category):
    po = (
        data_translations.export_po("ha")
        .decode()
        .replace('msgstr "Kuɗin jinya"', 'msgstr "Kuɗin jinya sabo"')
    )
    Category.objects.filter(pk=category.pk).update(name="Frais de santé")
    report = data_translations.import_po("ha", po.encode())
    assert report.outdated == ["complaints.category:sante-frais:name"]
    category.refresh_from_db()
    assert category.translations["name"]["ha"] == "Kuɗin jinya"


def test_fuzzy_and_unknown_entries_are_not_imported(category):
    po = (
        '#, fuzzy\nmsgctxt "complaints.category:sante-frais:name"\nmsgid "Frais de soins"\n'
        'msgstr "guess"\n\nmsgctxt "complaints.category:nope:name"\nmsgid "X"\nmsgstr "Y"\n'
    )
    report = data_translations.import_po("ha", po.encode())
    assert report.updated == 0 and report.unknown == ["complaints.category:nope:name"]
    with pytest.raises(ValueError):
        data_translations.import_po("xx", po.encode())


def test_the_shipped_files_name_every_reference_row_in_every_language(organisations):
    """The demo's organisations (loaded by migration) all have ha, dje and en names."""
    data_translations.import_shipped()
    for organisation in Organisation.objects.filter(code__in=["MSP-DQ", "TGI-NIAMEY", "MJ"]):
        assert set(organisation.translations["name"]) == {"ha", "dje", "en"}
