"""The snippet of a search result: some 220 characters of the text around the first word that
matched, matched words in <mark>. Built for the page of results only (20 rows), never for every
match: cutting snippets costs more than ranking."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from guichet.gazette.morphology import stem
from guichet.gazette.numbering import fold

if TYPE_CHECKING:  # pragma: no cover
    from guichet.gazette.search import ParsedQuery

# What html.escape writes (&amp; &lt; &gt; &quot; &#x27;), or a word.
_WORD_OR_ENTITY_RE = re.compile(r"&(?:amp|lt|gt|quot|#x27);|\w+", re.UNICODE)


def _marked(word: str, wanted: set[str]) -> str:
    if word[0] == "&" or stem(word) not in wanted:
        return word
    return f"<mark>{word}</mark>"


def snippet(body: str, parsed: ParsedQuery, width: int = 220) -> str:
    """About `width` characters of `body` around the first matched word, matches in <mark>.

    Regular expressions find candidate words by their stem's prefix on the folded text (folding
    keeps offsets for French), and only those candidates are stemmed: cheap on long texts.
    """
    if not body:
        return ""
    wanted = set()
    for options in parsed.terms:
        wanted |= options
    for phrase in parsed.phrases:
        wanted |= set(phrase)
    wanted.discard("")
    folded = fold(body)
    if len(folded) != len(body):
        folded = body.lower()
    start = None
    if wanted:
        pattern = re.compile(
            r"\b(?:"
            + "|".join(re.escape(t) for t in sorted(wanted, key=len, reverse=True))
            + r")\w*"
        )
        for match in pattern.finditer(folded):
            if stem(body[match.start() : match.end()]) in wanted:
                start = match.start()
                break
    if start is None:
        window_start, window_end = 0, min(len(body), width)
    else:
        window_start = max(0, start - width // 3)
        window_end = min(len(body), window_start + width)
        # Start and end on word boundaries.
        if window_start > 0:
            space = body.find(" ", window_start)
            window_start = space + 1 if 0 <= space < start else window_start
    if window_end < len(body):
        space = body.rfind(" ", window_start, window_end)
        window_end = space if space > window_start else window_end
    piece = body[window_start:window_end]
    # Words (\w+) hold none of the characters HTML escapes: the piece is escaped once, and its
    # words, found between the entities escaping put in, are marked.
    text = html.escape(piece)
    if wanted:
        text = _WORD_OR_ENTITY_RE.sub(lambda m: _marked(m.group(), wanted), text)
    if window_start > 0:
        text = "… " + text
    if window_end < len(body):
        text += " …"
    return text
