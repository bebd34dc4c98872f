"""Every citizen page, rendered in Hausa, Zarma and English, shows no French text of ours.

The pages are not listed by hand: they are the citizen pages of tests/site_pages.py (the URL
patterns the permission matrix opens to anonymous visitors or to citizens, with the demo objects in
their paths) — the same list the browser checks walk — so a page added later is checked without
anyone editing this file, and a public pattern without a demo object fails there.

A visible text (a text node, or a placeholder/title/aria-label/alt attribute) fails when it is a
French msgid of our catalogues whose translation in that language is missing or differs from it,
or the French name of a reference row (guichet.data_translations) — except PROPER_NOUNS.
The demo data is loaded once for the module, then each language is rendered with the test client."""

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from guichet import data_translations
from tests.site_pages import demo_citizen
from tests.site_pages import pages as site_pages

pytestmark = pytest.mark.django_db

LANGUAGES = ("ha", "dje", "en")
LOCALE_DIR = Path(__file__).resolve().parent.parent / "guichet" / "locale"

# Names that stay as they are in every language (places, institutions' acronyms, brand names).
PROPER_NOUNS = {
    "Guichet",
    "Niamey",
    "Niger",
    "SMS",
    "USSD",
    "ANSI",
    "SGG",
    "EIG",
    "Open311",
    "Akoma Ntoso",
    "PDF",
    "JSON",
    "CV",
    # the language switcher names each language in its own words
    "Français",
    "Hausa",
    "Zarma",
    "English",
}


def citizen_pages():
    """The citizen pages (tests/site_pages.py), the demo loaded."""
    return site_pages()[0]


class _VisibleText(HTMLParser):
    ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        for name, value in attrs:
            if name in self.ATTRIBUTES and value:
                self.texts.append(value)
            if tag == "input" and name == "value" and ("type", "submit") in attrs and value:
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(data)


def visible_texts(page: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(page)
    texts = []
    for text in parser.texts:
        text = re.sub(r"\s+", " ", html.unescape(text)).strip()
        if not text:
            continue
        texts.append(text)
        pieces = [piece.strip(" :.,;()") for piece in re.split(r" — | · | \| ", text)]
        texts += [piece for piece in pieces if piece and piece != text]
    return texts


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def french_texts(language: str) -> dict[str, tuple[bool, bool]]:
    """Every French text a citizen could be shown → (translated in `language`, the translation is
    the French text itself: « Transport », « Justice » in English may stay as they are)."""
    with (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        catalog = read_po(handle)
    texts = {}
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if "%" in msgid or "{" in msgid or len(msgid) < 2:
                continue  # a pattern, not a text that can appear as such
            translated = bool(all(strings) and not message.fuzzy)
            same = translated and _normal(strings[0]) == _normal(msgid)
            texts[_normal(msgid)] = (translated, same)
    for model in data_translations.translated_models():
        for obj in model._default_manager.all():
            for field_name in model.TRANSLATED_FIELDS:
                source = _normal(getattr(obj, field_name) or "")
                if source:
                    given = ((obj.translations or {}).get(field_name) or {}).get(language, "")
                    texts[source] = (bool(given), _normal(given) == source)
    return texts


def render(client, page) -> str:
    response = client.get(page.path, follow=True)
    assert response.status_code < 500, f"{page.name}: {response.status_code}"
    assert "text/html" in response.get("Content-Type", ""), f"{page.name} is not an HTML page"
    return response.content.decode()


def french_left_on_pages(client, pages, language) -> dict[str, set[str]]:
    """Page name → the French texts it shows in `language` (identical translations and
    PROPER_NOUNS excepted)."""
    texts = french_texts(language)
    problems: dict[str, set[str]] = {}
    client.cookies["django_language"] = language
    with translation.override(language):
        for page in pages:
            for text in visible_texts(render(client, page)):
                if text in PROPER_NOUNS or text not in texts or texts[text][1]:
                    continue
                problems.setdefault(page.name, set()).add(text)
    return problems


def citizen_strings(client, pages) -> set[str]:
    """The catalogue texts and reference names the citizen pages show in French."""
    texts = french_texts("en")
    client.cookies["django_language"] = "fr"
    with translation.override("fr"):
        return {
            text
            for page in pages
            for text in visible_texts(render(client, page))
            if text in texts and text not in PROPER_NOUNS
        }


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def _demo_rows(module_rows, demo_media):
    """The demo data, loaded once for the module's tests (module_rows), which only read it."""

    def load():
        with override_settings(DEBUG=True, MEDIA_ROOT=str(demo_media)):
            call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    module_rows(load)


@pytest.fixture
def demo(_demo_rows, demo_media, settings):
    settings.DEBUG = True
    settings.MEDIA_ROOT = str(demo_media)


def test_no_french_text_left_on_citizen_pages_in_hausa_zarma_and_english(demo, client, capsys):
    pages = citizen_pages()
    assert len(pages) >= 25  # the matrix was read: home, complaints, casier, transport, JO, EIG
    client.force_login(demo_citizen())  # verified: « Mes demandes » shows its consultations
    shown = citizen_strings(client, pages)
    report, failures = [], []
    for language in LANGUAGES:
        texts = french_texts(language)
        translated = sum(1 for text in shown if texts[text][0])
        share = 100 * translated / max(len(shown), 1)
        report.append(f"{language}: {share:.1f} % of {len(shown)} citizen strings translated")
        problems = french_left_on_pages(client, pages, language)
        for name, texts in sorted(problems.items()):
            failures.append(f"[{language}] {name}: {sorted(texts)[:8]}")
    with capsys.disabled():
        print("\n" + "\n".join(report))
    assert failures == [], "French left on citizen pages:\n" + "\n".join(failures)


def test_the_check_sees_a_french_text_when_a_translation_is_missing(demo, client):
    """The check cannot be fooled by an empty catalogue: a page rendered with the translations
    switched off (French fallback) is reported."""
    (complaint_form,) = [page for page in citizen_pages() if page.name == "complaints:file"]
    with translation.override("fr"):
        page = render(client, complaint_form)
    texts = french_texts("ha")
    french_left = [text for text in visible_texts(page) if text in texts]
    assert "Porter plainte" in french_left or "Envoyer la plainte" in french_left
