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

Ranking: FTS5's bm25 on SQLite, ts_rank_cd on PostgreSQL, title matches weighted up on both.
The *set* of results is identical; the order of equally relevant texts may differ; sorting by date
is identical.
"""

# SQL here is assembled from constants and "%s" placeholders only; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

import datetime
import html
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connections, transaction

from guichet.gazette import lookup, morphology, spelling
from guichet.gazette.numbering import fold, looks_like_number

_WORD_RE = re.compile(r"\w+", re.UNICODE)
# Words that carry no meaning for search; dropped at index and query time alike.
STOPWORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "eux",
        "il",
        "ils",
        "je",
        "la",
        "le",
        "les",
        "leur",
        "lui",
        "ma",
        "mais",
        "me",
        "meme",
        "mes",
        "moi",
        "mon",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "c",
        "d",
        "j",
        "l",
        "m",
        "n",
        "s",
        "t",
        "y",
        "ete",
        "etre",
        "est",
        "sont",
        "cet",
        "cette",
        "ni",
    ]
)


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


@dataclass
class ParsedQuery:
    terms: list[set[str]] = field(default_factory=list)  # each: any of these tokens
    phrases: list[list[str]] = field(default_factory=list)  # each: these tokens in a row
    words: list[str] = field(default_factory=list)  # what the person typed, for highlighting
    # Parallel to `terms`: the lemmas (morphology.lemma) of the word typed for each, so that texts
    # holding that very word family rank above those sharing only its Snowball stem.
    lemmas: list[set[str]] = field(default_factory=list)
    # Parallel to `terms` too: the word forms themselves, folded; texts holding them come first.
    forms: list[set[str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.terms and not self.phrases


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
            for piece in tokens(word):
                parsed.terms.append(spellings(piece))
                parsed.lemmas.append({morphology.lemma(piece)})
                parsed.forms.append({fold(piece)})
                parsed.words.append(piece)
    return parsed


def _fts5_match(parsed: ParsedQuery) -> str:
    clauses = []
    for options in parsed.terms:
        alternatives = " OR ".join(f'"{token}"' for token in sorted(options))
        clauses.append(f"({alternatives})")
    for phrase in parsed.phrases:
        clauses.append('"' + " ".join(phrase) + '"')
    return " AND ".join(clauses)


def _tsquery(parsed: ParsedQuery) -> str:
    def quote(token: str) -> str:
        return "'" + token.replace("'", "''") + "'"

    clauses = []
    for options in parsed.terms:
        clauses.append("(" + " | ".join(quote(t) for t in sorted(options)) + ")")
    for phrase in parsed.phrases:
        clauses.append("(" + " <-> ".join(quote(t) for t in phrase) + ")")
    return " & ".join(clauses)


@dataclass
class Filters:
    doctype: str = ""
    authority: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    status: str = ""  # "", "in_force", "repealed"


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


# Beyond these, counting and ranking every match costs more than a reader gains (a word in a third
# of the corpus): the count says "more than 1,000", and relevance ranks the 500 newest matches.
# Both limits apply on both databases, so both give the same results.
COUNT_CAP = 1000
RANK_WINDOW = 500
_DAY_ZERO = datetime.date(1900, 1, 1)
_KEY_FACTOR = 100_000_000


def sort_key(day: datetime.date, work_id: int) -> int:
    """The FTS5 rowid of a text (see migration 0002): newest first is descending rowid order."""
    return (day - _DAY_ZERO).days * _KEY_FACTOR + work_id


def _filter_sql(filters: Filters, params: list, table: str = "e") -> str:
    clauses = []
    if filters.doctype:
        clauses.append(f"{table}.doctype = %s")
        params.append(filters.doctype)
    if filters.authority:
        clauses.append(f"{table}.authority_code = %s")
        params.append(filters.authority.upper())
    if filters.date_from:
        clauses.append(f"{table}.signed_on >= %s")
        params.append(
            filters.date_from.isoformat() if table == "gazette_fts" else filters.date_from
        )
    if filters.date_to:
        clauses.append(f"{table}.signed_on <= %s")
        params.append(filters.date_to.isoformat() if table == "gazette_fts" else filters.date_to)
    if filters.status in ("in_force", "repealed"):
        # SQLite's FTS5 copy holds 1/0; PostgreSQL's column is a boolean.
        clauses.append(f"{table}.in_force = %s")
        params.append(filters.status == "in_force")
    return "".join(f" AND {clause}" for clause in clauses)


_COLUMNS = "e.work_id, w.frbr_uri, e.doctype, w.number, e.signed_on, e.title, e.in_force"


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
                f"SELECT {_COLUMNS} FROM gazette_searchentry e "
                "JOIN gazette_work w ON w.id = e.work_id WHERE e.number_normalized = %s"
                + _filter_sql(filters, params)
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
            where = "1=1" + _filter_sql(filters, params)
            cursor.execute(f"SELECT COUNT(*) FROM gazette_searchentry e WHERE {where}", params)
            count = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT {_COLUMNS} FROM gazette_searchentry e JOIN gazette_work w "
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
        count, rows = _full_text(connection, cursor, parsed, filters, rest_sort, window, 0, using)
        if rest_sort == "relevance" and 0 < count <= PYTHON_RANK_LIMIT:
            rows = _rank_in_python(cursor, connection, parsed, filters, using)[:window]
        if exact_phrases and sort != "date" and rows:
            rows = _exact_phrases_first(cursor, rows, exact_phrases)
        suggestion = ""
        if count + len(pinned_ids) < FEW:
            corrected = spelling_correction(query, parsed, using)
            if corrected is not None:
                suggestion, parsed_fixed = corrected
                more_count, more_rows = _full_text(
                    connection, cursor, parsed_fixed, filters, sort, wanted, 0, using
                )
                if sort == "relevance" and 0 < more_count <= PYTHON_RANK_LIMIT:
                    more_rows = _rank_in_python(cursor, connection, parsed_fixed, filters, using)
                seen = {row[0] for row in rows}
                rows += [row for row in more_rows if row[0] not in seen]
                count += more_count
                parsed = ParsedQuery(
                    terms=parsed.terms + parsed_fixed.terms,
                    phrases=parsed.phrases + parsed_fixed.phrases,
                    words=parsed.words + parsed_fixed.words,
                    lemmas=parsed.lemmas + parsed_fixed.lemmas,
                    forms=parsed.forms + parsed_fixed.forms,
                )
        overlap = sum(1 for row in rows if row[0] in pinned_ids)
        merged = pinned_rows + [row for row in rows if row[0] not in pinned_ids]
        rows = merged[offset : offset + limit]
        count += len(pinned_ids) - overlap
        ids = [row[0] for row in rows]
        bodies = {}
        if ids:
            placeholders = ", ".join(["%s"] * len(ids))
            cursor.execute(
                f"SELECT work_id, body FROM gazette_searchentry WHERE work_id IN ({placeholders})",
                ids,
            )
            bodies = dict(cursor.fetchall())
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


# Up to this many matches, relevance is computed here (BM25, title weighing five times the body)
# on the stored tokens rather than by bm25 (FTS5) or ts_rank (PostgreSQL): the same order on both
# databases. Beyond, each database ranks the newest RANK_WINDOW matches itself.
PYTHON_RANK_LIMIT = 200
_K1, _B, _TITLE_WEIGHT = 1.2, 0.75, 5.0


def _rank_in_python(cursor, connection, parsed, filters, using) -> list:
    _count, by_date = _full_text(
        connection, cursor, parsed, filters, "date", PYTHON_RANK_LIMIT, 0, using
    )
    if not by_date:
        return []
    ids = [row[0] for row in by_date]
    placeholders = ", ".join(["%s"] * len(ids))
    cursor.execute(
        "SELECT work_id, stem_title, stem_body, title, body FROM gazette_searchentry "
        f"WHERE work_id IN ({placeholders})",
        ids,
    )
    documents, words, families = {}, {}, {}
    for work_id, stem_title, stem_body, title, body in cursor.fetchall():
        documents[work_id] = (stem_title.split(), stem_body.split())
        words[work_id] = set(_WORD_RE.findall(fold(f"{title} {body}"))) if parsed.forms else set()
        families[work_id] = {morphology.lemma(word) for word in words[work_id]}
    terms = [options for options in parsed.terms] + [set(phrase) for phrase in parsed.phrases]
    total = len(documents)
    average = sum(len(t) * _TITLE_WEIGHT + len(b) for t, b in documents.values()) / total or 1.0
    df = [
        sum(1 for title, body in documents.values() if options & (set(title) | set(body)))
        for options in terms
    ]
    scores = {}
    for work_id, (title, body) in documents.items():
        length = len(title) * _TITLE_WEIGHT + len(body)
        score = 0.0
        for options, frequency in zip(terms, df, strict=True):
            tf = _TITLE_WEIGHT * sum(title.count(t) for t in options) + sum(
                body.count(t) for t in options
            )
            if tf:
                idf = math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))
                score += idf * tf * (_K1 + 1) / (tf + _K1 * (1 - _B + _B * length / average))
        scores[work_id] = score
    # Texts holding the very words typed come first, then those holding their family (lemma),
    # then those sharing only a stem (« contractions »: « contractions », then « contraction »,
    # then « contracter »); BM25 within each.
    same_form = {
        work_id: sum(1 for wanted in parsed.forms if wanted & words[work_id])
        for work_id in documents
    }
    same_family = {
        work_id: sum(1 for wanted in parsed.lemmas if wanted & families[work_id])
        for work_id in documents
    }
    position = {row[0]: index for index, row in enumerate(by_date)}  # newest first
    return sorted(
        by_date,
        key=lambda row: (
            -same_form.get(row[0], 0),
            -same_family.get(row[0], 0),
            -round(scores.get(row[0], 0.0), 9),
            position[row[0]],
        ),
    )


def _exact_phrases_first(cursor, rows: list, phrases: list[str]) -> list:
    ids = [row[0] for row in rows]
    placeholders = ", ".join(["%s"] * len(ids))
    cursor.execute(
        f"SELECT work_id, body FROM gazette_searchentry WHERE work_id IN ({placeholders})", ids
    )
    bodies = {work_id: " ".join(fold(body).split()) for work_id, body in cursor.fetchall()}
    exact = [row for row in rows if all(p in bodies.get(row[0], "") for p in phrases)]
    chosen = {row[0] for row in exact}
    return exact + [row for row in rows if row[0] not in chosen]


def _full_text(connection, cursor, parsed, filters, sort, limit, offset, using):
    if parsed.empty:
        return 0, []
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):  # SET LOCAL lasts until its end
            return _search_postgresql(cursor, parsed, filters, sort, limit, offset)
    return _search_sqlite(cursor, parsed, filters, sort, limit, offset)


def _pinned_rows(cursor, pins, filters: Filters) -> list:
    """The rows of the texts the query names, that pass the filters."""
    rows = _rows_in_order(cursor, pins.work_ids)
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


def spelling_correction(query: str, parsed: ParsedQuery, using: str):
    """(« vouliez-vous dire » text, corrected query) when some typed words are unknown to the
    index and have near neighbours among its words; None otherwise."""
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
        if token in known or token in fixes or len(token) < 4 or token.isdigit():
            continue
        near = spelling.closest(typed, using)
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


def _fts5_filters(filters: Filters) -> tuple[str, list, str]:
    """Facet tokens for the MATCH expression, and a rowid range for the dates."""
    facets = []
    if filters.doctype:
        facets.append("t" + re.sub(r"[^a-z0-9]", "", filters.doctype.lower()))
    if filters.authority:
        facets.append("a" + re.sub(r"[^a-z0-9]", "", filters.authority.lower()))
    if filters.status in ("in_force", "repealed"):
        facets.append("s1" if filters.status == "in_force" else "s0")
    match = "".join(f' AND facets : "{facet}"' for facet in facets)
    clauses, params = "", []
    if filters.date_from:
        clauses += " AND rowid >= %s"
        params.append(sort_key(filters.date_from, 0))
    if filters.date_to:
        clauses += " AND rowid < %s"
        params.append(sort_key(filters.date_to + datetime.timedelta(days=1), 0))
    return match, params, clauses


def _search_sqlite(cursor, parsed, filters, sort, limit, offset):
    """Everything on the FTS5 table: text and facets in one MATCH, dates as a rowid range, newest
    first as the index order; rows are fetched for the page only."""
    facets, range_params, range_sql = _fts5_filters(filters)
    match = "{stem_title stem_body} : (" + _fts5_match(parsed) + ")" + facets
    where = "gazette_fts MATCH %s" + range_sql
    params = [match, *range_params]
    cursor.execute(
        f"SELECT COUNT(*) FROM (SELECT 1 FROM gazette_fts WHERE {where} LIMIT %s)",
        [*params, COUNT_CAP + 1],
    )
    count = cursor.fetchone()[0]
    if sort == "date":
        cursor.execute(
            f"SELECT rowid FROM gazette_fts WHERE {where} ORDER BY rowid DESC LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
    else:
        cursor.execute(
            f"SELECT key FROM (SELECT rowid AS key, rank AS score FROM gazette_fts WHERE {where} "
            "ORDER BY rowid DESC LIMIT %s) ORDER BY score, key DESC LIMIT %s OFFSET %s",
            [*params, RANK_WINDOW, limit, offset],
        )
    ids = [row[0] % _KEY_FACTOR for row in cursor.fetchall()]
    return count, _rows_in_order(cursor, ids)


def _rows_in_order(cursor, ids: list[int]) -> list:
    if not ids:
        return []
    placeholders = ", ".join(["%s"] * len(ids))
    cursor.execute(
        f"SELECT {_COLUMNS} FROM gazette_searchentry e JOIN gazette_work w ON w.id = e.work_id "
        f"WHERE e.work_id IN ({placeholders})",
        ids,
    )
    rows = {row[0]: row for row in cursor.fetchall()}
    return [rows[i] for i in ids if i in rows]


def _search_postgresql(cursor, parsed, filters, sort, limit, offset):
    """On the narrow gazette_searchkey table. The planner is told to use the GIN index (bitmap
    scans): walking the date index and testing each row's tsvector is what it would pick for a
    common word, and it costs a detoasted tsvector per row."""
    tsquery = _tsquery(parsed)
    params: list = [tsquery]
    where = "k.document @@ to_tsquery('simple', %s)" + _filter_sql(filters, params, table="k")
    cursor.execute("SET LOCAL enable_seqscan = off")
    cursor.execute("SET LOCAL enable_indexscan = off")
    cursor.execute(
        f"SELECT COUNT(*) FROM (SELECT 1 FROM gazette_searchkey k WHERE {where} LIMIT %s) s",
        [*params, COUNT_CAP + 1],
    )
    count = cursor.fetchone()[0]
    if sort == "date":
        cursor.execute(
            f"SELECT k.work_id FROM gazette_searchkey k WHERE {where} "
            "ORDER BY k.signed_on DESC, k.work_id DESC LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
    else:
        # Weights as on SQLite: title (A) five times body (B); among the newest RANK_WINDOW.
        cursor.execute(
            f"SELECT k.work_id FROM (SELECT k.work_id, k.signed_on FROM gazette_searchkey k "
            f"WHERE {where} ORDER BY k.signed_on DESC, k.work_id DESC LIMIT %s) m "
            "JOIN gazette_searchkey k ON k.work_id = m.work_id "
            "ORDER BY ts_rank('{0, 0, 0.2, 1.0}', k.document, to_tsquery('simple', %s)) DESC, "
            "m.signed_on DESC, m.work_id DESC LIMIT %s OFFSET %s",
            [*params, RANK_WINDOW, tsquery, limit, offset],
        )
    ids = [row[0] for row in cursor.fetchall()]
    return count, _rows_in_order(cursor, ids)


def _hit(row, snippet_html: str, anchor: str = "") -> Hit:
    work_id, uri, doctype, number, signed_on, title, in_force = row
    if isinstance(signed_on, str):
        signed_on = datetime.date.fromisoformat(signed_on)
    if anchor:
        uri = f"{uri}#{anchor}"
    return Hit(
        work_id, uri, doctype, number, signed_on, title, snippet_html, bool(in_force), anchor
    )


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
    out = []
    position = 0
    for match in _WORD_RE.finditer(piece):
        out.append(html.escape(piece[position : match.start()]))
        word = match.group()
        if wanted and stem(word) in wanted:
            out.append(f"<mark>{html.escape(word)}</mark>")
        else:
            out.append(html.escape(word))
        position = match.end()
    out.append(html.escape(piece[position:]))
    text = "".join(out)
    if window_start > 0:
        text = "… " + text
    if window_end < len(body):
        text += " …"
    return text
