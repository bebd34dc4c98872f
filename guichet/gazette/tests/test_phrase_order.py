"""Quoted phrases: the rows holding the very words typed come first, and reading bodies only until
a page of them is found gives the page that reading every body gives."""

from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.gazette.numbering import fold
from guichet.gazette.ranking import exact_phrases_first


def every_body_read(rows, bodies, phrases):
    folded = {i: " ".join(fold(body).split()) for i, body in bodies.items()}
    exact = [row for row in rows if all(p in folded.get(row[0], "") for p in phrases)]
    return exact + [row for row in rows if row not in exact]


texts = st.sampled_from(
    ["Le contrat de travail", "contrat  de\ntravail", "Contrat De Travail", "le contrat"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(texts, max_size=40), st.integers(min_value=1, max_value=25))
def test_the_first_rows_are_those_every_body_gives(bodies_list, need):
    rows = [(i,) for i in range(len(bodies_list))]
    bodies = dict(enumerate(bodies_list))
    read = []

    def bodies_of(batch):
        read.extend(row[0] for row in batch)
        return {row[0]: bodies[row[0]] for row in batch}

    found = exact_phrases_first(rows, bodies_of, ["contrat de travail"], need)
    expected = every_body_read(rows, bodies, ["contrat de travail"])
    assert found[:need] == expected[:need]
    assert sorted(found) == sorted(rows)
    assert len(set(read)) == len(read)  # each body read once
