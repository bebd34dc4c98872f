"""Checks shared by the tables of translatable errors (guichet/translatable.py): every error of a
Django-free parser is translated in every language with its values kept, and the table of a
module holds every message the module marks."""

import ast
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext

from guichet.translatable import TranslatableLabel

LANGUAGES = ["en", "ha", "dje"]


def assert_translated(error, language: str, case: str) -> None:
    """`error` (a TranslatableError) reads otherwise in `language`, with each of its values."""
    with translation.override(language):
        shown = error.translated(gettext)
        # A label is translated with the message; any other value is shown as it is.
        expected_values = [
            gettext(value) if isinstance(value, TranslatableLabel) else str(value)
            for value in error.values.values()
        ]
    assert shown != str(error), f"{case}: no {language} translation of « {error.template} »"
    for expected in expected_values:
        assert expected in shown, f"{case}: « {expected} » not in « {shown} »"


def marked_messages(module) -> set[str]:
    """The French templates `module` marks with gettext_noop."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "gettext_noop"
    }
