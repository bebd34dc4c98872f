"""scripts/merge_translations.py: JSON lines fill empty or fuzzy entries, never reviewed ones."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import merge_translations

PO = """# header comment kept as it is
msgid ""
msgstr ""
"Language: {lang}\\n"
"Plural-Forms: {plurals}\\n"

#: a.py:1
msgid "Porter plainte"
msgstr ""

#: a.py:2
#, fuzzy
#| msgid "Porter"
msgid "Envoyer"
msgstr "Guess"

#: a.py:3
msgid "Suivre"
msgstr "Reviewed"

#: a.py:4
#, python-format
msgid "%(n)d jour"
msgid_plural "%(n)d jours"
msgstr[0] ""
{extra}
#: a.py:5
#, python-format
msgid "Bonjour %(name)s"
msgstr ""
"""


@pytest.fixture
def locale(tmp_path):
    for lang, plurals, extra in (
        ("en", "nplurals=2; plural=(n != 1);", 'msgstr[1] ""\n'),
        ("dje", "nplurals=1; plural=0;", ""),
    ):
        folder = tmp_path / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "django.po").write_text(PO.format(lang=lang, plurals=plurals, extra=extra))
    return tmp_path


def run(locale, tmp_path, rows, *extra):
    path = tmp_path / "strings.jsonl"
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n")
    return merge_translations.main([str(path), "--locale-dir", str(locale), *extra])


def po(locale, lang):
    return (locale / lang / "LC_MESSAGES" / "django.po").read_text()


def test_fills_empty_and_fuzzy_entries_and_keeps_reviewed_ones(locale, tmp_path, capsys):
    rows = [
        {"msgid": "Porter plainte", "en": "File a complaint", "dje": "Kaatiya te"},
        {"msgid": "Envoyer", "en": "Send"},
        {"msgid": "Suivre", "en": "Track"},
    ]
    assert run(locale, tmp_path, rows) == 0
    text = po(locale, "en")
    assert 'msgid "Porter plainte"\nmsgstr "File a complaint"' in text
    assert '#: a.py:2\nmsgid "Envoyer"\nmsgstr "Send"' in text  # fuzzy flag and #| gone
    assert 'msgstr "Reviewed"' in text and "Track" not in text
    assert text.startswith("# header comment kept as it is\n")
    assert 'msgstr "Kaatiya te"' in po(locale, "dje")
    out = capsys.readouterr().out
    assert "en: 2 filled, 1 already reviewed (kept)" in out


def test_plural_forms_follow_each_catalogue(locale, tmp_path):
    rows = [
        {
            "msgid": "%(n)d jour",
            "msgid_plural": "%(n)d jours",
            "en": ["%(n)d day", "%(n)d days"],
            "dje": "zaari %(n)d",
        }
    ]
    assert run(locale, tmp_path, rows) == 0
    assert 'msgstr[0] "%(n)d day"\nmsgstr[1] "%(n)d days"' in po(locale, "en")
    assert 'msgstr[0] "zaari %(n)d"' in po(locale, "dje")


def test_refuses_changed_placeholders_and_reports_unknown_msgids(locale, tmp_path, capsys):
    before = po(locale, "en")
    rows = [
        {"msgid": "Bonjour %(name)s", "en": "Hello %(nom)s"},
        {"msgid": "%(n)d jour", "msgid_plural": "%(n)d jours", "en": "one form only"},
        {"msgid": "Texte disparu", "en": "Gone"},
    ]
    assert run(locale, tmp_path, rows) == 1
    out = capsys.readouterr().out
    assert "refused" in out and "placeholders" in out and "plural forms" in out
    assert "not found: strings.jsonl:3 'Texte disparu'" in out
    assert po(locale, "en") == before


def test_a_dry_run_writes_nothing(locale, tmp_path):
    before = po(locale, "en")
    run(locale, tmp_path, [{"msgid": "Porter plainte", "en": "File"}], "--dry-run")
    assert po(locale, "en") == before


def test_rewriting_without_changes_leaves_the_real_catalogues_identical(tmp_path):
    for lang in ("en", "ha", "dje"):
        path = merge_translations.LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"
        catalogue = merge_translations.Catalogue(path)
        copy = tmp_path / f"{lang}.po"
        catalogue.path = copy
        catalogue.write()
        assert copy.read_text("utf-8") == path.read_text("utf-8")
