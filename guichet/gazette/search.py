"""French full-text search over published texts, the same on SQLite (FTS5) and PostgreSQL.

Why the text is analysed in Python rather than by each database:
- FTS5 has no French stemmer, and PostgreSQL's `french` configuration keeps accents; an
  `unaccent` + French configuration needs an extension and still tokenises differently from FTS5.
- So words are analysed once, here, the same way for documents and queries: lower-cased, accents
  removed, stemmed with Snowball's French stemmer, and one final "e" dropped. Both databases index
  that text as plain tokens (FTS5 `unicode61`, PostgreSQL `simple`): same tokens, same matches.
- Accents go *before* stemming so that accents can never matter: stemming the accented word would
  give "données" → "don" but "donnees" (typed on a phone) → "donne". Without accents Snowball no
  longer sees the "é" of "abrogée" ("abrogee" → "abroge"), hence the final "e" rule, which brings
  "abrogée", "abrogé", "abroge" and "abrogation" to the same "abrog".
- Numbers: tokenisers split "2020-123/PRN/MJ", so a query that looks like a number is looked up in
  the normalised number column first ("2019-33" goes straight to the text).
- Snippets are built in Python for the page of results only (20 rows), never for every match:
  they cost more than ranking.

Ranking (`ranking.py`): the very forms typed, then their family, then the stem, BM25 within, in
Python on every match up to PYTHON_RANK_LIMIT; beyond, the texts holding the very forms typed
first, in the database's order among them when they fill the page, else ranked in Python with
those the word-forms index finds holding their family, then the newest PYTHON_RANK_LIMIT others,
also in Python; only a page beyond all those follows each database's order (bm25 / ts_rank).
The *set* of results is identical; the SQL of each database is in `fulltext.py`.
"""

# SQL here is assembled from constants and "%s" placeholders only; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

from django.db import connections

from guichet.gazette import lookup, morphology, ranking, spelling
from guichet.gazette.fulltext import (
    COLUMNS,
    COUNT_CAP,
    Filters,
    ParsedQuery,
    filter_sql,
    full_text,
    matches,
    rows_in_order,
)
from guichet.gazette.numbering import fold, looks_like_number
from guichet.gazette.snippets import snippet

_WORD_RE = re.compile(r"\w+", re.UNICODE)
# Words that carry no meaning for search; dropped at index and query time alike.
_STOPWORD_LIST = """
    a au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais
    me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta
    te tes toi ton tu un une vos votre vous c d j l m n s t y ete etre est sont cet cette ni
"""
STOPWORDS = frozenset(_STOPWORD_LIST.split())


def stem(word: str) -> str:
    """One word → its index token (see `morphology`: lemma, legal derivation, Snowball)."""
    return morphology.stem(word)


@lru_cache(maxsize=200_000)
def _folded(word: str) -> str:
    return fold(word)


def tokens(text: str) -> list[str]:
    return [w for w in _WORD_RE.findall(text.lower()) if _folded(w) not in STOPWORDS]


def analyse(text: str) -> str:
    """The text as the index stores it: "Les données abrogées" → "donn abrog"."""
    return " ".join(stem(word) for word in tokens(text))


@dataclass
class Analysis:
    """What indexing a text writes: its analysed title and body, and its vocabulary."""

    stem_title: str
    stem_body: str
    vocabulary: dict[str, str]  # token → the first word it comes from (lower case)
    forms: dict[str, tuple[str, str]]  # folded word form → (token, spelling as written)

    @property
    def word_forms(self) -> str:
        """The folded word forms, once each, for `SearchEntry.word_forms` (the forms index)."""
        return " ".join(self.forms)


def analysis(title: str, body: str) -> Analysis:
    """Title and body analysed in one pass over their words (the import's hot path)."""
    vocabulary_: dict[str, str] = {}
    forms: dict[str, tuple[str, str]] = {}
    stems = []
    for words in (tokens(title), tokens(body)):
        these = []
        for word in words:
            token = stem(word)
            these.append(token)
            if not token or len(token) > 60:
                continue
            if not token.isdigit():
                vocabulary_.setdefault(token, word[:60])
            folded = _folded(word)
            if folded not in forms and len(folded) <= 60 and not folded.isdigit():
                forms[folded] = (token, word[:60])
        stems.append(" ".join(these))
    return Analysis(stems[0], stems[1], vocabulary_, forms)


def vocabulary(text: str) -> dict[str, str]:
    """Each token of `text` with the first word it comes from (lower case), for the vocabulary."""
    return analysis("", text).vocabulary


def word_forms(text: str) -> dict[str, tuple[str, str]]:
    """Each word form of `text`, folded, with (its token, its spelling as written, lower case)."""
    return analysis("", text).forms


def spellings(word: str) -> set[str]:
    """The index tokens a typed word stands for (one today; a set keeps room for synonyms)."""
    token = stem(word)
    return {token} if token else set()


def parse_query(query: str) -> ParsedQuery:
    """Words are all required; "double quotes" ask for an exact phrase (stems in a row)."""
    parsed = ParsedQuery()
    for phrase, word in re.findall(r'"([^"]*)"|([^\s"]+)', query):
        if phrase:
            words = tokens(phrase)
            stems = [stem(w) for w in words]
            if len(stems) == 1:
                parsed.terms.append({stems[0]})
                parsed.lemmas.append({morphology.lemma(words[0])})
                parsed.forms.append({fold(words[0])})
            elif stems:
                parsed.phrases.append(stems)
            parsed.words.extend(words)
        else:
            pieces = tokens(word)
            if len(pieces) > 1 and "-" in word and not any(p.isdigit() for p in pieces):
                parsed.compounds.append([stem(p) for p in pieces])
            for piece in pieces:
                parsed.terms.append(spellings(piece))
                parsed.lemmas.append({morphology.lemma(piece)})
                parsed.forms.append({fold(piece)})
                parsed.words.append(piece)
    return parsed


@dataclass
class Hit:
    work_id: int
    uri: str
    doctype: str
    number: str
    date: datetime.date
    title: str
    snippet: str  # HTML, escaped, with <mark> around matched words
    in_force: bool
    anchor: str = ""  # the eId of the article the query named ("art_l211-2")


@dataclass
class Results:
    count: int  # exact up to COUNT_CAP; COUNT_CAP and `capped` beyond
    hits: list[Hit]
    exact: Hit | None = None  # the text whose number was typed
    capped: bool = False
    suggestion: str = ""  # « vouliez-vous dire » (the query with its typos corrected)


def search(
    query: str,
    filters: Filters | None = None,
    *,
    sort: str = "relevance",
    limit: int = 20,
    offset: int = 0,
    using: str = "readonly",
) -> Results:
    """Search published texts. `sort` is "relevance" or "date" (newest first)."""
    filters = filters or Filters()
    connection = connections[using]
    parsed = parse_query(query)
    exact = None
    number_key = looks_like_number(query)
    with connection.cursor() as cursor:
        if number_key:
            params: list = [number_key]
            cursor.execute(
                f"SELECT {COLUMNS} FROM gazette_searchentry e "
                "JOIN gazette_work w ON w.id = e.work_id WHERE e.number_normalized = %s"
                + filter_sql(filters, params)
                + " ORDER BY e.signed_on DESC",
                params,
            )
            rows = cursor.fetchall()
            if rows:
                hits = [_hit(row, "") for row in rows]
                return Results(
                    count=len(hits), hits=hits, exact=hits[0] if len(hits) == 1 else None
                )
        if parsed.empty:
            params = []
            where = "1=1" + filter_sql(filters, params)
            cursor.execute(f"SELECT COUNT(*) FROM gazette_searchentry e WHERE {where}", params)
            count = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT {COLUMNS} FROM gazette_searchentry e JOIN gazette_work w "
                f"ON w.id = e.work_id WHERE {where} ORDER BY e.signed_on DESC, e.work_id DESC "
                "LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            return Results(count=count, hits=[_hit(row, "") for row in cursor.fetchall()])
        pins = lookup.pinned(query, using) if query.strip() else None
        pinned_rows = _pinned_rows(cursor, pins, filters) if pins else []
        if pins and pins.whole and len(pinned_rows) == 1:
            hit = _hit(pinned_rows[0], "")
            return Results(count=1, hits=[hit], exact=hit)
        pinned_ids = {row[0] for row in pinned_rows}
        wanted = offset + limit
        exact_phrases = [fold(" ".join(p.split())) for p in re.findall(r'"([^"]+)"', query)]
        window = wanted + len(pinned_ids)
        if exact_phrases and sort != "date":
            window = max(window, PHRASE_WINDOW)
        # After a text or article named exactly, the texts citing it: newest first, the same
        # on both databases.
        rest_sort = "date" if pins and pins.work_ids and not pins.rest.strip() else sort
        suggestion = ""
        if typos := spelling.non_words(parsed, using):
            # A word found in no text and in no French dictionary is a typo even when its stem
            # matches (« échelonés » matches « échelon »): its correction's texts come first.
            corrected = spelling_correction(query, parsed, using, only=typos)
            if corrected is not None:
                suggestion, parsed = corrected[0], _merged_alternatives(parsed, corrected[1])
        count, rows = _matches(cursor, connection, parsed, filters, rest_sort, window, using)
        if exact_phrases and sort != "date" and rows:
            rows = ranking.exact_phrases_first(
                rows, lambda batch: _bodies(cursor, batch), exact_phrases, wanted + len(pinned_ids)
            )
        if count + len(pinned_ids) < FEW:
            corrected = None if suggestion else spelling_correction(query, parsed, using)
            if corrected is None and (absent := spelling.absent_words(parsed, using)):
                # French words that no text holds, in a query that finds (next to) nothing.
                corrected = spelling_correction(
                    suggestion or query, parsed, using, only=absent, omissions_only=True
                )
            more_count = 0
            if corrected is not None:
                parsed_fixed = corrected[1]
                more_count, more_rows = _matches(
                    cursor, connection, parsed_fixed, filters, sort, wanted, using
                )
            if more_count:  # a correction that finds nothing either is not proposed
                suggestion = corrected[0]
                seen = {row[0] for row in rows}
                rows += [row for row in more_rows if row[0] not in seen]
                count += more_count
                parsed = ParsedQuery(
                    terms=parsed.terms + parsed_fixed.terms,
                    phrases=parsed.phrases + parsed_fixed.phrases,
                    words=parsed.words + parsed_fixed.words,
                    lemmas=parsed.lemmas + parsed_fixed.lemmas,
                    forms=parsed.forms + parsed_fixed.forms,
                    compounds=parsed.compounds,
                )
        overlap = sum(1 for row in rows if row[0] in pinned_ids)
        merged = pinned_rows + [row for row in rows if row[0] not in pinned_ids]
        rows = merged[offset : offset + limit]
        count += len(pinned_ids) - overlap
        if not count:
            suggestion = ""  # the corrected query finds nothing either: no use proposing it
        bodies = _bodies(cursor, rows)
    anchors = pins.anchors if pins else {}
    hits = [
        _hit(row, snippet(bodies.get(row[0], ""), parsed), anchors.get(row[0], "")) for row in rows
    ]
    capped = count > COUNT_CAP
    return Results(
        count=min(count, COUNT_CAP), hits=hits, exact=exact, capped=capped, suggestion=suggestion
    )


# Fewer results than this and the query is also tried with its unknown words corrected.
FEW = 3
# A "quoted phrase" matches stems in a row, stop words aside ("entrée en vigueur" matches
# "entrées en vigueur"); among this many best matches, the texts holding the very words typed
# (accents and case aside) come first.
PHRASE_WINDOW = 100


# Up to this many matches, relevance is computed in Python on every match (`ranking.order`), the
# same order on both databases. Beyond, the index itself is asked for the matches holding the
# forms typed (word_forms column, migration 0006): when they fill the page, they are the page,
# in the database's own order among them (bm25 / ts_rank on their newest RANK_WINDOW) — every
# one is at the first level, Python would only reorder them by BM25. When they are fewer (a rare
# form of a common stem: a typo corrected, an inflection), they and those holding a form of the
# family, up to this many, newest first, are ranked in Python, then as many of the newest others;
# only what follows those is in each database's own order.
PYTHON_RANK_LIMIT = 200
# A family brought into one query as its forms (« relater »: « relatent », « relatant »…): at
# most this many forms per word, the commonest first.
FAMILY_FORMS = 60


def _matches(cursor, connection, parsed, filters, sort, window, using) -> tuple[int, list]:
    """(count, the rows of the first `window` matches in `sort` order)."""
    if sort != "relevance":
        return full_text(connection, cursor, parsed, filters, sort, window, 0, using)
    count, ids = _by_relevance(cursor, connection, parsed, filters, using, window)
    return count, rows_in_order(cursor, ids)


def _by_relevance(cursor, connection, parsed, filters, using, window) -> tuple[int, list[int]]:
    """(count, the first `window` work ids in relevance order): those ranked in Python, then, when
    they are fewer, the others in the database's own order. Only the count is asked first, so
    that the database ranks nothing (bm25 / ts_rank over RANK_WINDOW texts) that Python ranks."""
    count, _ids = matches(connection, cursor, parsed, filters, None, 0, 0, using)
    if not count:
        return 0, []

    def ids(sort: str, limit: int, forms=None) -> list[int]:  # the count is known: not asked again
        return matches(
            connection, cursor, parsed, filters, sort, limit, 0, using, forms, known=count
        )[1]

    if count > PYTHON_RANK_LIMIT and all(parsed.forms) and not parsed.compounds:
        # The very forms typed are common (« licenciement »): the texts holding them fill the
        # page, every one at the first level, so their order is the database's relevance among
        # them (bm25 / ts_rank) and nothing is ranked in Python.
        first = ids("relevance", window, parsed.forms)
        if len(first) >= window:
            return count, first
    families = _families(cursor, parsed)
    if count <= PYTHON_RANK_LIMIT:
        by_date = ids("date", PYTHON_RANK_LIMIT)
    else:
        by_date = _levels(cursor, connection, parsed, filters, using, families, count)
    ranked = ranking.order(by_date, _documents(cursor, by_date), parsed, families)
    if len(ranked) < min(window, count):
        # The levels do not fill the page: the newest other matches are ranked in Python too, so
        # that both databases show the same page (bm25 and ts_rank order them differently).
        seen = set(ranked)
        rest = [w for w in ids("date", PYTHON_RANK_LIMIT + len(ranked)) if w not in seen]
        rest = rest[:PYTHON_RANK_LIMIT]
        ranked += ranking.order(rest, _documents(cursor, rest), parsed, families)
    if len(ranked) < min(window, count):  # a page beyond those: each database's own order
        seen = set(ranked)
        ranked += [
            work_id for work_id in ids("relevance", window + len(ranked)) if work_id not in seen
        ]
    return count, ranked[:window]


def _levels(cursor, connection, parsed, filters, using, families, count) -> list:
    """Newest first, up to PYTHON_RANK_LIMIT: the matches holding every form typed, then those
    holding, for every word, a form of its family."""
    if not any(parsed.forms):
        return []
    family = [set(forms[:FAMILY_FORMS]) for forms in families]
    rows: list[int] = []
    for forms in (parsed.forms, [f | more for f, more in zip(parsed.forms, family, strict=True)]):
        _count, found = matches(
            connection,
            cursor,
            parsed,
            filters,
            "date",
            PYTHON_RANK_LIMIT + len(rows),
            0,
            using,
            forms=forms,
            known=count,
        )
        seen = set(rows)
        rows += [work_id for work_id in found if work_id not in seen][
            : PYTHON_RANK_LIMIT - len(rows)
        ]
        if len(rows) >= PYTHON_RANK_LIMIT:
            break
    return rows


def _families(cursor, parsed) -> list[list[str]]:
    """For each word typed, the index's word forms of its family (same token, same lemma: a form
    of the same lemma has the same token), the commonest first; one query for the whole query."""
    tokens_ = sorted({t for options in parsed.terms for t in options})
    if not tokens_:
        return [[] for _ in parsed.forms]
    placeholders = ", ".join(["%s"] * len(tokens_))
    cursor.execute(
        f"SELECT word, token FROM gazette_searchword WHERE token IN ({placeholders}) "
        "ORDER BY frequency DESC, word",
        tokens_,
    )
    by_token: dict[str, list[str]] = {}
    for word, token in cursor.fetchall():
        by_token.setdefault(token, []).append(word)
    families = []
    for options, lemmas in zip(parsed.terms, parsed.lemmas, strict=False):
        words = [w for t in sorted(options) for w in by_token.get(t, [])]
        families.append(list(dict.fromkeys(w for w in words if morphology.lemma(w) in lemmas)))
    families += [[] for _ in range(len(parsed.forms) - len(families))]
    return families


def _documents(cursor, ids: list[int]) -> dict[int, tuple[str, str, str]]:
    if not ids:
        return {}
    placeholders = ", ".join(["%s"] * len(ids))
    cursor.execute(
        "SELECT work_id, stem_title, stem_body, word_forms FROM gazette_searchentry "
        f"WHERE work_id IN ({placeholders})",
        ids,
    )
    return {work_id: (t, b, f) for work_id, t, b, f in cursor.fetchall()}


def _bodies(cursor, rows) -> dict[int, str]:
    if not rows:
        return {}
    ids = [row[0] for row in rows]
    placeholders = ", ".join(["%s"] * len(ids))
    cursor.execute(
        f"SELECT work_id, body FROM gazette_searchentry WHERE work_id IN ({placeholders})", ids
    )
    return dict(cursor.fetchall())


def _merged_alternatives(parsed: ParsedQuery, fixed: ParsedQuery) -> ParsedQuery:
    """`parsed` with each corrected word standing for its stem or its corrections' tokens, and
    ranked by the correction's form and family."""
    return ParsedQuery(
        terms=[a | b for a, b in zip(parsed.terms, fixed.terms, strict=True)],
        phrases=parsed.phrases,
        words=parsed.words + fixed.words,
        lemmas=fixed.lemmas,
        forms=fixed.forms,
        compounds=parsed.compounds,
    )


def _pinned_rows(cursor, pins, filters: Filters) -> list:
    """The rows of the texts the query names, that pass the filters."""
    rows = rows_in_order(cursor, pins.work_ids)
    kept = []
    for row in rows:
        _id, _uri, doctype, _number, signed_on, _title, in_force = row
        if isinstance(signed_on, str):
            signed_on = datetime.date.fromisoformat(signed_on)
        if filters.doctype and doctype != filters.doctype:
            continue
        if filters.date_from and signed_on < filters.date_from:
            continue
        if filters.date_to and signed_on > filters.date_to:
            continue
        if filters.status == "in_force" and not in_force:
            continue
        if filters.status == "repealed" and in_force:
            continue
        kept.append(row)
    return kept


def spelling_correction(
    query: str,
    parsed: ParsedQuery,
    using: str,
    only: set[str] | None = None,
    omissions_only: bool = False,
):
    """(« vouliez-vous dire » text, corrected query) when some typed words are unknown to the
    index and have near neighbours among its words; None otherwise. `only`: correct these words
    (folded) instead, even though their token is in the index (`spelling.non_words`)."""
    wanted = set()
    for options in parsed.terms:
        wanted |= options
    for phrase in parsed.phrases:
        wanted |= set(phrase)
    known = spelling.known(wanted, using)
    fixes: dict[str, list[tuple[str, str]]] = {}  # token typed → [(token, spelling)]
    typed_of: dict[str, str] = {}
    for typed in tokens(query):
        token = stem(typed)
        # Short stems are not corrected (too many neighbours), except for a letter left out of a
        # word long enough: « donnes » stems to « don ».
        short = len(fold(typed) if omissions_only else token) < 4
        if token in fixes or short or token.isdigit():
            continue
        if (fold(typed) not in only) if only is not None else (token in known):
            continue
        near = spelling.closest(typed, using, omissions_only=omissions_only)
        if omissions_only:
            # A word of the typed word's own token adds nothing: the query found its texts
            # (« organe » finds those of « organes »).
            near = [(other, spelled) for other, spelled in near if other != token]
        if near:
            fixes[token] = near
            typed_of[token] = typed
    if not fixes:
        return None

    def lemmas_for(token: str, original: set[str]) -> set[str]:
        if token not in fixes:
            return original
        return {morphology.lemma(spelled) for _t, spelled in fixes[token]}

    def forms_for(token: str, original: set[str]) -> set[str]:
        # Only the likeliest correction (the one proposed): its texts come before those of the
        # other corrections as near.
        return {fold(fixes[token][0][1])} if token in fixes else original

    fixed = ParsedQuery(
        terms=[
            {c for t in options for c in ([n for n, _w in fixes[t]] if t in fixes else [t])}
            for options in parsed.terms
        ],
        phrases=[
            [fixes[t][0][0] if t in fixes else t for t in phrase] for phrase in parsed.phrases
        ],
        words=[],
        lemmas=[
            set().union(*(lemmas_for(t, lemmas) for t in options))
            for options, lemmas in zip(parsed.terms, parsed.lemmas, strict=False)
        ],
        forms=[
            set().union(*(forms_for(t, forms) for t in options))
            for options, forms in zip(parsed.terms, parsed.forms, strict=False)
        ],
    )
    text = query
    for token, typed in typed_of.items():
        spelled = fixes[token][0][1]
        text = re.sub(rf"(?<!\w){re.escape(typed)}(?!\w)", spelled, text, flags=re.I)
        fixed.words.append(spelled)
    return text, fixed


def _hit(row, snippet_html: str, anchor: str = "") -> Hit:
    work_id, uri, doctype, number, signed_on, title, in_force = row
    if isinstance(signed_on, str):
        signed_on = datetime.date.fromisoformat(signed_on)
    if anchor:
        uri = f"{uri}#{anchor}"
    return Hit(
        work_id, uri, doctype, number, signed_on, title, snippet_html, bool(in_force), anchor
    )
