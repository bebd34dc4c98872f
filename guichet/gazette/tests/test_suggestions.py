"""« Vouliez-vous dire » where the typed word is a French word no text holds (« donnes »), or an
inflected typo whose every neighbour is a base form (« personelles »). Found in the demo: both
queries returned nothing and proposed nothing."""

import pytest

from guichet.gazette import search
from guichet.gazette.search import Filters
from guichet.gazette.spelling import base_forms
from guichet.gazette.tests.factories import D, articles, draft, editor_account, publish


@pytest.fixture(scope="module")
def journal(module_rows):
    """Published once for the module: each test's writes are rolled back before the next."""
    return module_rows(_publish_journal)


def _publish_journal():
    editor = editor_account()
    law = draft(
        editor,
        ("loi", "2017-28", D(2017, 5, 3)),
        "relative à la protection des données à caractère personnel",
        articles(
            "Les données sont protégées par une autorité nationale.",
            "Le responsable du traitement tient un registre de ses activités.",
        ),
    )
    gift = draft(
        editor,
        ("decret", "2018-4/PRN/MF", D(2018, 1, 4)),
        "relatif au don d'organes",
        articles("Le don est gratuit et anonyme."),
    )
    publish(editor, [law, gift], D(2019, 8, 1))
    return {"law": law, "gift": gift}


def found(query):
    result = search.search(query, Filters(), using="default")
    return result.suggestion, {hit.work_id for hit in result.hits}


# typed → (suggestion, text found): a letter left out of a word, an inflected typo, both at once.
SUGGESTIONS = [
    ("donnes", "données", "law"),
    ("personelles", "personnel", "law"),
    ("personels", "personnel", "law"),
    ("nationalles", "nationale", "law"),
    ("protection des donnes personelles", "protection des données personnel", "law"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "suggestion", "text"), SUGGESTIONS)
def test_a_query_finding_nothing_proposes_its_nearest_words(journal, typed, suggestion, text):
    said, works = found(typed)
    assert said == suggestion
    assert journal[text].pk in works


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["dons", "donne", "organe", "traitement"])
def test_a_french_word_is_not_turned_into_another_one(journal, typed):
    # « dons » is one letter from « dont », « donne » from « donné »: a word of the language typed
    # is corrected only to a word it has left letters out of; words the texts hold never.
    said, _works = found(typed)
    assert said == ""


@pytest.mark.parametrize(
    ("word", "bases"),
    [
        ("personelles", ["personelle", "personell", "personel"]),
        ("nationaux", ["national"]),
        ("actives", ["active", "activ", "actif"]),
        ("directrices", ["directrice", "directeur", "directric"]),
        ("heureuses", ["heureuse", "heureur", "heureux", "heureus"]),
        ("loi", []),
    ],
)
def test_base_forms_undo_the_plural_then_the_feminine(word, bases):
    assert sorted(base_forms(word)) == sorted(bases)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "extra"),
    [
        # Found in the demo: « mois » (in no text) → « mis », a query that finds nothing either.
        ("silance gardé deux mois", "Le dossier est mis à l'étude."),
        # « nationalles » → « nationale » (the law), but « gratuit » is only the decree's.
        ("nationalles gratuit", ""),
    ],
)
def test_no_correction_is_proposed_that_finds_nothing_either(journal, editor, typed, extra):
    if extra:
        publish(
            editor,
            [draft(editor, ("loi", "2020-1", D(2020, 1, 2)), "de test", articles(extra))],
            D(2020, 2, 1),
        )
    result = search.search(typed, Filters(), using="default")
    assert (result.count, result.suggestion) == (0, "")
