"""Snippets mark the words whose token was searched, HTML-escaped around them: escaping the
piece once and marking its words gives what escaping each word and gap did."""

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.gazette.morphology import stem
from guichet.gazette.search import parse_query
from guichet.gazette.snippets import snippet


def marked_word_by_word(piece: str, wanted: set[str]) -> str:
    """The former loop: each gap and each word escaped on its own."""
    out, position = [], 0
    for match in re.finditer(r"\w+", piece):
        out.append(html.escape(piece[position : match.start()]))
        word = match.group()
        out.append(f"<mark>{html.escape(word)}</mark>" if stem(word) in wanted else word)
        position = match.end()
    out.append(html.escape(piece[position:]))
    return "".join(out)


pieces = st.lists(
    st.sampled_from([*"ab &<>\"';#x27", "amp", "lt", "quot", "é", "contrat", "travail"]),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(pieces)
def test_a_short_text_is_marked_as_word_by_word_escaping_marked_it(piece):
    parsed = parse_query("contrat travail amp")
    wanted = {t for options in parsed.terms for t in options}
    assert snippet(piece, parsed, width=1000) == marked_word_by_word(piece, wanted)


def test_entities_are_never_marked_nor_broken():
    found = snippet("Contrat & travail <amp> « quot »", parse_query("amp contrat"), width=1000)
    assert found == "<mark>Contrat</mark> &amp; travail &lt;<mark>amp</mark>&gt; « quot »"
