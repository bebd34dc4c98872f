from hypothesis import given
from hypothesis import strategies as st

from guichet.complaints import references


def test_a_reference_has_ten_characters_of_the_unambiguous_alphabet():
    for _ in range(200):
        reference = references.new_reference()
        assert len(reference) == 10
        assert set(reference) <= set(references.ALPHABET)
        assert not set(reference) & set("01OILSU5V")


def test_references_are_not_a_sequence():
    drawn = {references.new_reference() for _ in range(1000)}
    assert len(drawn) == 1000


@given(st.text(alphabet=references.ALPHABET, min_size=10, max_size=10))
def test_a_reference_survives_display_lower_case_and_spaces(reference):
    typed = " " + references.display(reference).lower().replace("-", " - ") + " "
    assert references.normalise(typed) == reference


@given(st.text(max_size=30))
def test_normalise_never_returns_something_that_is_not_a_reference(raw):
    value = references.normalise(raw)
    assert value == "" or (len(value) == 10 and set(value) <= set(references.ALPHABET))
