"""Translations of reference data: the names a citizen reads that live in the database (complaint
categories and their domains, organisations, transit networks, EIG profiles…).

One mechanism for every such model: it inherits `TranslatedFields`, names the fields to translate
in `TRANSLATED_FIELDS` and the field that identifies a row across databases in `TRANSLATION_KEY`
(a code, never the primary key). The French text stays in the field itself; the other languages
are kept in one JSON field, field first:

    translations = {"name": {"ha": "Kuɗin jinya", "dje": "Safari nooru", "en": "Healthcare fees"}}

Fallback rule (`TranslatedFields.translated`): the active language, then its base language
("en" for "en-gb"), then the French text. Templates write `{{ category|translated:"name" }}` (a
built-in filter, no `{% load %}`). Translators work on PO files: `manage.py
export_data_translations` and `import_data_translations` (one file per language, msgctxt
"<app.model>:<key>:<field>", msgid the French text).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from django import template
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

SOURCE_LANGUAGE = "fr"
DATA_PO_DIR = Path(__file__).resolve().parent / "locale" / "data"


def target_languages() -> list[str]:
    """The languages a reference row can be translated into (every site language but French)."""
    return [code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE]


class TranslatedFields(models.Model):
    """Abstract base of a reference model whose names citizens read in their language."""

    TRANSLATED_FIELDS: tuple[str, ...] = ()
    TRANSLATION_KEY = "code"

    translations = models.JSONField(
        _("traductions"),
        default=dict,
        blank=True,
        help_text=_(
            "Noms en haoussa, zarma et anglais ; le français reste dans le champ lui-même."
        ),
    )

    class Meta:
        abstract = True

    def translated(self, field_name: str, language: str | None = None) -> str:
        source = getattr(self, field_name)
        language = (language or get_language() or SOURCE_LANGUAGE).lower()
        values = (self.translations or {}).get(field_name) or {}
        for candidate in (language, language.split("-")[0]):
            if candidate == SOURCE_LANGUAGE:
                break
            text = values.get(candidate)
            if isinstance(text, str) and text.strip():
                return text
        return source

    def clean(self):
        super().clean()
        problems = translation_problems(type(self), self.translations)
        if problems:
            raise ValidationError({"translations": problems})


def translation_problems(model, translations) -> list[str]:
    if not isinstance(translations, dict):
        return [str(_("Les traductions sont un objet JSON : {champ: {langue: texte}}."))]
    problems = []
    languages = set(target_languages())
    for field_name, values in translations.items():
        if field_name not in model.TRANSLATED_FIELDS:
            problems.append(str(_("Champ non traduisible : %(field)s.") % {"field": field_name}))
        elif not isinstance(values, dict):
            problems.append(str(_("%(field)s : {langue: texte} attendu.") % {"field": field_name}))
        else:
            for language, text in values.items():
                if language not in languages or not isinstance(text, str):
                    problems.append(
                        str(
                            _("%(field)s : langue inconnue ou texte invalide (%(language)s).")
                            % {"field": field_name, "language": language}
                        )
                    )
    return problems


def translated_models() -> list[type[TranslatedFields]]:
    return sorted(
        (model for model in apps.get_models() if issubclass(model, TranslatedFields)),
        key=lambda model: model._meta.label_lower,
    )


def context_of(obj: TranslatedFields, field_name: str) -> str:
    return f"{obj._meta.label_lower}:{getattr(obj, obj.TRANSLATION_KEY)}:{field_name}"


# Template filter, installed as a built-in library (settings.TEMPLATES "builtins").
register = template.Library()


@register.filter(name="translated")
def translated_filter(obj, field_name: str):
    """`{{ category|translated:"name" }}`: the name in the active language (see the fallback rule);
    an object that is not a TranslatedFields model gives its attribute unchanged."""
    if isinstance(obj, TranslatedFields):
        return obj.translated(field_name)
    return getattr(obj, field_name, "")


# PO export and import.


def export_catalog(language: str) -> Catalog:
    """Every translatable text of every reference row, with its current translation (if any)."""
    catalog = Catalog(locale=language, project="guichet-data", fuzzy=False)
    for model in translated_models():
        for obj in model._default_manager.order_by(model.TRANSLATION_KEY):
            for field_name in model.TRANSLATED_FIELDS:
                source = getattr(obj, field_name)
                if not source:
                    continue
                current = ((obj.translations or {}).get(field_name) or {}).get(language, "")
                catalog.add(
                    source,
                    current,
                    context=context_of(obj, field_name),
                    auto_comments=[f"{model._meta.verbose_name} — {field_name}"],
                )
    return catalog


def export_po(language: str) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, export_catalog(language), width=0, omit_header=False, sort_output=True)
    return buffer.getvalue()


@dataclass
class ImportReport:
    updated: int = 0
    unchanged: int = 0
    unknown: list[str] = field(default_factory=list)
    outdated: list[str] = field(default_factory=list)


def import_po(language: str, data: bytes) -> ImportReport:
    """Write the translations of a PO file into the rows it names, in one transaction.

    An entry is skipped when it is empty or fuzzy, when its row or field is unknown (reported), or
    when its msgid is no longer the row's French text (reported as outdated: the French changed
    since the export, the translator must look again). Raises ValueError for an unknown language."""
    if language not in target_languages():
        raise ValueError(f"Langue inconnue : {language}")
    catalog = read_po(io.BytesIO(data), abort_invalid=True)
    report = ImportReport()
    by_label = {model._meta.label_lower: model for model in translated_models()}
    with transaction.atomic():
        for message in catalog:
            if not message.id or not message.context:
                continue
            where = message.context
            label, _sep, rest = where.partition(":")
            key, _sep, field_name = rest.rpartition(":")
            model = by_label.get(label)
            if model is None or field_name not in model.TRANSLATED_FIELDS:
                report.unknown.append(where)
                continue
            obj = model._default_manager.filter(**{model.TRANSLATION_KEY: key}).first()
            if obj is None:
                report.unknown.append(where)
                continue
            if getattr(obj, field_name) != message.id:
                report.outdated.append(where)
                continue
            text = message.string if isinstance(message.string, str) else ""
            if message.fuzzy or not text.strip():
                continue
            translations = dict(obj.translations or {})
            values = dict(translations.get(field_name) or {})
            if values.get(language) == text:
                report.unchanged += 1
                continue
            values[language] = text
            translations[field_name] = values
            model._default_manager.filter(pk=obj.pk).update(translations=translations)
            report.updated += 1
    return report


def import_shipped(out=None) -> None:
    """Load the reference translations shipped with the code (guichet/locale/data/<lang>.po)."""
    for language in target_languages():
        path = DATA_PO_DIR / f"{language}.po"
        if path.exists():
            report = import_po(language, path.read_bytes())
            if out:
                out(f"Traductions des données ({language}) : {report.updated} mises à jour.")


# Admin: one text box per translated field and language, instead of the raw JSON.


class TranslationsAdminMixin:
    """For the ModelAdmin of a TranslatedFields model: adds « nom (ha) », « nom (dje) »… fields
    that read and write `translations`; the raw JSON field is hidden."""

    exclude = ("translations",)

    def get_form(self, request, obj=None, **kwargs):
        from django import forms

        model = self.model
        names = {
            f"translation__{field_name}__{language}": (field_name, language)
            for field_name in model.TRANSLATED_FIELDS
            for language in target_languages()
        }
        attrs = {}
        for name, (field_name, language) in names.items():
            label = model._meta.get_field(field_name).verbose_name
            widget = forms.Textarea(attrs={"rows": 2}) if field_name == "description" else None
            attrs[name] = forms.CharField(
                label=f"{label} ({language})", required=False, widget=widget, max_length=1000
            )

        def init(form, *args, **kw):
            super(form_class, form).__init__(*args, **kw)
            current = form.instance.translations or {}
            for name, (field_name, language) in names.items():
                form.fields[name].initial = (current.get(field_name) or {}).get(language, "")

        def clean(form):
            cleaned = super(form_class, form).clean()
            translations = {}
            for name, (field_name, language) in names.items():
                text = (cleaned.get(name) or "").strip()
                if text:
                    translations.setdefault(field_name, {})[language] = text
            form.instance.translations = translations
            return cleaned

        attrs.update(__init__=init, clean=clean)
        form_class = type(f"{model.__name__}TranslationsForm", (self.form,), attrs)
        kwargs["form"] = form_class
        return super().get_form(request, obj, **kwargs)


def translated_names(model, field_name: str, language: str | None = None) -> dict[str, str]:
    """French text → text in the active language, for code that groups rows by a translated field
    (statistics by category or profile): `names.get(french, french)`."""
    return {
        getattr(obj, field_name): obj.translated(field_name, language)
        for obj in model._default_manager.all()
    }
