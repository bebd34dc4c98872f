"""The typo index (`spelling.VocabularyIndex`, `spelling.osa_distance`) finds what the exhaustive
alignment over the vocabulary table found, and is read again when indexing adds words."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.gazette import indexing, search, spelling
from guichet.gazette.spelling import VocabularyIndex, distance, osa_distance
from guichet.gazette.tests.test_spelling import full_table

letters = st.text(alphabet="abcdeéè_", max_size=12)


@settings(max_examples=300, deadline=None)
@given(letters, letters)
def test_the_bit_vector_distance_is_the_full_tables(a, b):
    assert osa_distance(a, b) == full_table(a, b)


def exhaustive(vocabulary: list[str], word: str, limit: int) -> set[str]:
    """What the vocabulary query and the banded alignment kept before the index: the words of
    length within the limit whose first letter is the word's or whose second letter is its
    second (SQL LIKE, '_' and '%' taken out of the pattern), within the limit."""
    first = word[0].replace("_", "").replace("%", "")
    second = word[1:2].replace("_", "").replace("%", "")
    return {
        candidate
        for candidate in vocabulary
        if abs(len(candidate) - len(word)) <= limit
        and (candidate.startswith(first) or candidate[1:].startswith(second))
        and distance(word, candidate, limit) <= limit
    }


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(alphabet="abcdeé_", min_size=1, max_size=10), max_size=60, unique=True),
    st.text(alphabet="abcdeé_", min_size=2, max_size=10),
    st.sampled_from([1, 2]),
)
def test_the_index_finds_the_words_the_exhaustive_alignment_finds(vocabulary, word, limit):
    index = VocabularyIndex(vocabulary)
    found = {c for c in index.candidates(word, limit) if osa_distance(word, c) <= limit}
    assert found == exhaustive(vocabulary, word, limit)


def test_a_candidate_sharing_both_first_letters_is_listed_once():
    index = VocabularyIndex(["cotisations", "cotisation", "aotisations"])
    assert sorted(index.candidates("cotisatoins", 2)) == [
        "aotisations",
        "cotisation",
        "cotisations",
    ]


def remember(text: str) -> None:
    analysed = search.analysis("", text)
    indexing.remember_vocabulary(analysed.vocabulary, analysed.forms)


@pytest.mark.django_db
def test_words_indexed_after_the_index_was_read_are_found():
    remember("Les cotisations sociales sont dues.")
    assert spelling.closest("cotisatoins", "default") == [("cotis", "cotisations")]
    assert spelling.closest("fermaeg", "default") == []
    remember("Le bail à fermage est conclu pour neuf ans.")
    assert spelling.closest("fermaeg", "default") == [(search.stem("fermage"), "fermage")]


@pytest.mark.django_db
def test_a_text_without_new_words_keeps_the_index_and_its_frequencies_still_count():
    remember("Le contrat, les contras.")
    index = spelling._vocabulary("default")
    # As near, as likely, as common: the alphabet decides.
    assert spelling.closest("contrax", "default")[0] == ("contr", "contras")
    remember("Le contrat.")
    assert spelling._vocabulary("default") is index
    # Frequencies are read from the table: the commoner of two words as near comes first.
    assert spelling.closest("contrax", "default")[0] == ("contrat", "contrat")
