"""What the verification says about a document that is not authentic (`VerificationResult.problem`)
used to be French on every page and in the API. The problems are msgids marked with gettext_noop,
translated where they are shown; here, every one of them has its en, ha and dje translation."""

import ast
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

import guichet.signing
from guichet.signing import verify_pdf

LANGUAGES = ["en", "ha", "dje"]


def _marked() -> set[str]:
    tree = ast.parse(Path(guichet.signing.__file__).read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "gettext_noop"
    }


PROBLEMS = sorted(_marked())


def test_the_eight_problems_are_marked():
    assert len(PROBLEMS) == 8


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("problem", PROBLEMS)
def test_every_verification_problem_is_translated(problem, language):
    with translation.override(language):
        assert gettext(problem) != problem, f"no {language} translation of « {problem} »"


@pytest.mark.parametrize("data", [b"", b"GIF89a", b"%PDF-1.7\n garbage without xref"])
def test_a_problem_is_one_of_the_marked_messages_and_stays_french(data):
    assert verify_pdf(data).problem in PROBLEMS
