"""The edit distance of typo tolerance: the banded computation (`spelling.distance`) gives what
the full optimal-string-alignment table gives, whenever that is within the limit."""

from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.gazette.spelling import distance


def full_table(a: str, b: str) -> int:
    """Optimal string alignment over the whole table (Damerau's adjacent transposition)."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(
                d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


words = st.text(alphabet="abcdeé", max_size=10)


@settings(max_examples=400, deadline=None)
@given(words, words, st.sampled_from([1, 2]))
def test_the_banded_distance_is_the_full_tables_within_the_limit(a, b, limit):
    expected = full_table(a, b)
    assert distance(a, b, limit) == (expected if expected <= limit else limit + 1)


def test_a_left_out_letter_and_a_transposition_are_one_edit_each():
    assert distance("cotisatons", "cotisations", 2) == 1
    assert distance("cotisatoins", "cotisations", 2) == 1
    assert distance("contrat", "cotnrat", 1) == 1
    assert distance("contrat", "travail", 2) == 3
