"""Issue 11, search relevance: the very word typed, then its family (lemma), then its stem; typos
corrected word to word from the index's own word forms, the commoner of two as near first."""

import pytest

from guichet.gazette import search
from guichet.gazette.search import Filters
from guichet.gazette.tests.factories import D, articles, draft, editor_account, publish


@pytest.fixture(scope="module")
def journal(module_rows):
    """Published once for the module: each test's writes are rolled back before the next."""
    return module_rows(_publish_journal)


def _publish_journal():
    editor = editor_account()
    texts = {
        "form": ("2020-1", "Les contractions du marché sont observées."),
        "lemma": ("2020-2", "La contraction du marché est observée."),
        # Snowball alone puts « contracter » with « contraction », and this text says it thrice:
        # BM25 alone would rank it first.
        "stem": ("2020-3", "Les parties contractent, contracter et contractent encore."),
        "rare": ("2020-4", "Les contrats reliés entre eux sont conservés."),
        "common1": ("2020-5", "Les contrats résiliés sont archivés."),
        "common2": ("2020-6", "Les baux résiliés sont archivés."),
    }
    works = {
        key: draft(
            editor, ("loi", number, D(2020, 1, index)), f"relative au cas {key}", articles(text)
        )
        for index, (key, (number, text)) in enumerate(texts.items(), start=1)
    }
    publish(editor, list(works.values()), D(2020, 2, 1))
    return works


def _order(query):
    return [hit.work_id for hit in search.search(query, Filters(), using="default").hits]


@pytest.mark.django_db
def test_the_very_form_then_its_lemma_then_its_stem(journal):
    # Before: BM25 on the stem put the text saying « contracter » three times first.
    order = _order("contractions")
    expected = [journal["form"].pk, journal["lemma"].pk, journal["stem"].pk]
    assert order[:3] == expected


@pytest.mark.django_db
def test_a_typo_is_corrected_to_the_nearest_word_not_the_nearest_stem(journal):
    # « contrction » is one letter from « contraction » but three from its stem « contract »:
    # corrected stem to stem, it found nothing and proposed nothing.
    found = search.search("contrction", Filters(), using="default")
    assert found.suggestion == "contraction"
    assert found.hits and found.hits[0].work_id == journal["lemma"].pk


@pytest.mark.django_db
def test_of_two_corrections_as_near_the_commoner_word_is_proposed_first(journal):
    # « résliés » is one letter from « reliés » (one text) and from « résiliés » (two texts).
    found = search.search("résliés", Filters(), using="default")
    assert found.suggestion == "résiliés"
    first_two = {hit.work_id for hit in found.hits[:2]}
    assert first_two == {journal["common1"].pk, journal["common2"].pk}


@pytest.mark.django_db
def test_word_frequencies_count_texts(journal):
    from guichet.gazette.models import SearchWord

    assert SearchWord.objects.get(word="resilies").frequency == 2
    assert SearchWord.objects.get(word="relies").frequency == 1
    assert SearchWord.objects.get(word="resilies").spelling == "résiliés"
