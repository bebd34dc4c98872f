"""The full-text queries of each database: FTS5 on SQLite, a tsvector with a GIN index on
PostgreSQL, over the same pre-analysed tokens (see `search`), so that both find the same texts.

SQLite: everything on the FTS5 table (migrations 0002 and 0006): text, word forms and facets in
one MATCH, dates as a rowid range, newest first as the index order. PostgreSQL: the narrow
gazette_searchkey table (tsvector `document` of the stems, `words` of the word forms).
"""

# SQL here is assembled from constants and "%s" placeholders only; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db import transaction

from guichet.gazette import morphology


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
    # The tokens of each hyphenated compound typed (« ci-annexée »): a compound is one word, so
    # texts holding its parts in a row rank first (ranking only; each part is also a term).
    compounds: list[list[str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.terms and not self.phrases


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


def filter_sql(filters: Filters, params: list, table: str = "e") -> str:
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


COLUMNS = "e.work_id, w.frbr_uri, e.doctype, w.number, e.signed_on, e.title, e.in_force"


def full_text(connection, cursor, parsed, filters, sort, limit, offset, using, forms=None):
    """(count, rows) of the matches. `forms`: for each word, texts must also hold one of these
    word forms (folded); the count is then not computed (0)."""
    count, ids = matches(connection, cursor, parsed, filters, sort, limit, offset, using, forms)
    return count, rows_in_order(cursor, ids)


def matches(
    connection, cursor, parsed, filters, sort, limit, offset, using, forms=None, *, known=None
):
    """(count, work ids) of the matches, as `full_text` without reading their rows. `sort`: "date",
    "relevance", or None for the count alone. `known`: the count of the matches of `parsed` and
    `filters` (without `forms`), already asked: not asked again, returned as the count."""
    if parsed.empty:
        return 0, []
    forms = [f for f in forms or [] if f]
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):  # SET LOCAL lasts until its end
            return _search_postgresql(cursor, parsed, filters, sort, limit, offset, forms, known)
    return _search_sqlite(cursor, parsed, filters, sort, limit, offset, forms, known)


def _fts5_filters(filters: Filters) -> tuple[str, list, str]:
    """Facet tokens for the MATCH expression, and a rowid range for the dates."""
    facets = []
    if filters.doctype:
        facets.append("t" + re.sub(r"[^a-z0-9]", "", filters.doctype.lower()))
    if filters.authority:
        facets.append("a" + re.sub(r"[^a-z0-9]", "", filters.authority.lower()))
    match = "".join(f' AND facets : "{facet}"' for facet in facets)
    # Every text has one of "s1" and "s0": « in force » is « not repealed », the shorter list
    # (a tenth of the texts, not nine tenths), and bm25 then scores no facet phrase.
    if filters.status == "in_force":
        match += ' NOT facets : "s0"'
    elif filters.status == "repealed":
        match += ' AND facets : "s0"'
    clauses, params = "", []
    if filters.date_from:
        clauses += " AND rowid >= %s"
        params.append(sort_key(filters.date_from, 0))
    if filters.date_to:
        clauses += " AND rowid < %s"
        params.append(sort_key(filters.date_to + datetime.timedelta(days=1), 0))
    return match, params, clauses


def _fts5_forms(forms: list[set[str]]) -> str:
    return " AND ".join(
        "(" + " OR ".join(f'"{form}"' for form in sorted(options)) + ")" for options in forms
    )


def _search_sqlite(cursor, parsed, filters, sort, limit, offset, forms, known):
    """Everything on the FTS5 table: text and facets in one MATCH, dates as a rowid range, newest
    first as the index order; rows are fetched for the page only."""
    facets, range_params, range_sql = _fts5_filters(filters)
    match = "{stem_title stem_body} : (" + _fts5_match(parsed) + ")" + facets
    if forms:
        match += " AND word_forms : (" + _fts5_forms(forms) + ")"
    where = "gazette_fts MATCH %s" + range_sql
    params = [match, *range_params]
    count = known or 0
    if known is None and not forms:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM gazette_fts WHERE {where} LIMIT %s)",
            [*params, COUNT_CAP + 1],
        )
        count = cursor.fetchone()[0]
    if sort is None:
        return count, []
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
    return count, [row[0] % _KEY_FACTOR for row in cursor.fetchall()]


def rows_in_order(cursor, ids: list[int]) -> list:
    if not ids:
        return []
    placeholders = ", ".join(["%s"] * len(ids))
    cursor.execute(
        f"SELECT {COLUMNS} FROM gazette_searchentry e JOIN gazette_work w ON w.id = e.work_id "
        f"WHERE e.work_id IN ({placeholders})",
        ids,
    )
    rows = {row[0]: row for row in cursor.fetchall()}
    return [rows[i] for i in ids if i in rows]


def _search_postgresql(cursor, parsed, filters, sort, limit, offset, forms, known):
    """On the narrow gazette_searchkey table. The planner is told to use the GIN index (bitmap
    scans): walking the date index and testing each row's tsvector is what it would pick for a
    common word, and it costs a detoasted tsvector per row. A common match (more than COUNT_CAP,
    counted here or `known`) is looked for among the newest texts first
    (`_newest`), so that a third of the corpus is not read to sort it by date."""
    tsquery = _tsquery(parsed)
    params: list = [tsquery]
    where = "k.document @@ to_tsquery('simple', %s)"
    if forms and _forms_imply_terms(parsed, forms):
        # The stems' condition holds for every text the forms' does: asking it too would AND a
        # second GIN bitmap as large as the first (a third of a common word's cost).
        where = "k.words @@ to_tsquery('simple', %s)"
        params = [_tsquery(ParsedQuery(terms=forms))]
    elif forms:
        where += " AND k.words @@ to_tsquery('simple', %s)"
        params.append(_tsquery(ParsedQuery(terms=forms)))
    where += filter_sql(filters, params, table="k")
    cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
    count = known or 0
    if known is None and not forms:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM gazette_searchkey k WHERE {where} LIMIT %s) s",
            [*params, COUNT_CAP + 1],
        )
        count = cursor.fetchone()[0]
    if sort is None:
        return count, []
    common = count > COUNT_CAP
    if sort == "date":
        if common:
            return count, _newest(cursor, where, params, limit + offset)[offset:]
        cursor.execute(
            f"SELECT k.work_id FROM gazette_searchkey k WHERE {where} "
            "ORDER BY k.signed_on DESC, k.work_id DESC LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        return count, [row[0] for row in cursor.fetchall()]
    # Weights as on SQLite: title (A) five times body (B); among the newest RANK_WINDOW.
    rank = "ts_rank('{0, 0, 0.2, 1.0}', k.document, to_tsquery('simple', %s)) DESC"
    if common:
        newest = _newest(cursor, where, params, RANK_WINDOW)
        cursor.execute(
            f"SELECT k.work_id FROM gazette_searchkey k WHERE k.work_id = ANY(%s) ORDER BY {rank}, "
            "k.signed_on DESC, k.work_id DESC LIMIT %s OFFSET %s",
            [newest, tsquery, limit, offset],
        )
        return count, [row[0] for row in cursor.fetchall()]
    cursor.execute(
        f"SELECT k.work_id FROM (SELECT k.work_id, k.signed_on FROM gazette_searchkey k "
        f"WHERE {where} ORDER BY k.signed_on DESC, k.work_id DESC LIMIT %s) m "
        f"JOIN gazette_searchkey k ON k.work_id = m.work_id ORDER BY {rank}, "
        "m.signed_on DESC, m.work_id DESC LIMIT %s OFFSET %s",
        [*params, RANK_WINDOW, tsquery, limit, offset],
    )
    return count, [row[0] for row in cursor.fetchall()]


# A form PostgreSQL's parser keeps as one token, whose stem is one token too.
_ONE_TOKEN = re.compile(r"[a-z0-9]+")


def _forms_imply_terms(parsed: ParsedQuery, forms: list[set[str]]) -> bool:
    """Whether every text holding, for each word, one of `forms` (`words` column) also holds, for
    each word, one of its tokens (`document`): a text's word forms and stems come from the same
    words (`search.analysis`), and a form's stem is its word's (`morphology.lemma` folds first).
    Not with a phrase, which only the stems' positions can check."""
    if parsed.phrases or len(forms) != len(parsed.terms):
        return False
    return all(
        form and _ONE_TOKEN.fullmatch(form) and morphology.stem(form) in options
        for options, these in zip(parsed.terms, forms, strict=True)
        for form in these
    )


# The first window of `_newest`: the texts signed on or after the date of this many newest.
NEWEST_WINDOW = 4096
# A window wider than this is not measured on the date index (walking it costs more than it
# saves: the matches are few): the rest of the matches is read at once.
NEWEST_WINDOW_WALK = 16 * NEWEST_WINDOW


def _newest(cursor, where: str, params: list, wanted: int) -> list[int]:
    """The `wanted` newest matches (signed_on, work_id descending), read among the texts signed
    since the date of the NEWEST_WINDOW newest texts (a bitmap of the date index ANDed with the
    GIN one: only the matches of the window are read), then in the texts before those, a window
    sized from the share of matches found so far, and so on down to the oldest (all of them at
    once beyond NEWEST_WINDOW_WALK texts). Every text outside a window is older than every text
    in it, so the windows' matches in turn are the matches newest first: the same texts as the
    query over every match."""
    found: list[int] = []
    size, before = _first_window(cursor, where, params, wanted), None
    while True:
        edge = _edge(cursor, size) if size <= NEWEST_WINDOW_WALK else None
        if edge is not None and before is not None and edge >= before:
            # Texts published between two reads of the date index can make an edge as new as
            # the one before it: the windows must stay a partition of the dates, so the rest is
            # read at once.
            edge = None
        older = (" AND k.signed_on < %s", [before]) if before is not None else ("", [])
        sql = (
            "SELECT k.work_id FROM gazette_searchkey k WHERE {where}{window}{older} "
            "ORDER BY k.signed_on DESC, k.work_id DESC LIMIT %s"
        )
        if edge is not None:
            windowed = sql.format(where=where, window=" AND k.signed_on >= %s", older=older[0])
            arguments = [*params, edge, *older[1], wanted - len(found)]
            if not _reads_by_date(cursor, windowed, arguments):
                edge = None
        if edge is None:
            windowed = sql.format(where=where, window="", older=older[0])
            arguments = [*params, *older[1], wanted - len(found)]
        cursor.execute(windowed, arguments)
        found += [row[0] for row in cursor.fetchall()]
        if len(found) >= wanted or edge is None:
            return found
        before = edge
        # As many texts as the share of matches found so far says are needed, and a half
        # again; at least four times as many.
        size = max(size * 4, size * wanted * 3 // (2 * max(len(found), 1)))
        if len(found) < wanted // 2:
            # A second window would build the same GIN bitmaps again for few texts saved.
            size = NEWEST_WINDOW_WALK + 1


def _first_window(cursor, where: str, params: list, wanted: int) -> int:
    """How many of the newest texts should hold `wanted` matches, and a half again, from the
    planner's estimate of the matches (the statistics of the tsvector's lexemes), at least
    NEWEST_WINDOW; beyond a quarter of the texts, more than NEWEST_WINDOW_WALK. A window costs a
    bitmap of the date index as long as itself, and spares reading each match it leaves out: for
    a word in 1 % of the texts (« licenciement »), reading every match at once is cheaper than a
    window of half the corpus, and a window too small for the page costs a second query."""
    cursor.execute(
        "EXPLAIN (FORMAT JSON) SELECT k.work_id FROM gazette_searchkey k WHERE " + where, params
    )
    estimate = cursor.fetchone()[0][0]["Plan"]["Plan Rows"]
    cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'gazette_searchkey'::regclass")
    texts = cursor.fetchone()[0]
    if texts <= 0 or estimate <= 0:  # never analysed: no statistics to size a window from
        return NEWEST_WINDOW
    size = int(wanted * texts * 3 // (2 * estimate))
    if size > texts // 4:
        return NEWEST_WINDOW_WALK + 1
    return max(size, NEWEST_WINDOW)


def _edge(cursor, size: int) -> datetime.date | None:
    """The signing date of the `size`-th newest text (None: fewer texts than that)."""
    # The date index walked in order (scans disabled by the caller would make the planner sort
    # the whole table, and JIT-compile the query for its penalty cost).
    cursor.execute("SET LOCAL enable_indexscan = on")
    cursor.execute(
        "SELECT k.signed_on FROM gazette_searchkey k "
        "ORDER BY k.signed_on DESC, k.work_id DESC LIMIT 1 OFFSET %s",
        [size - 1],
    )
    row = cursor.fetchone()
    cursor.execute("SET LOCAL enable_indexscan = off")
    return row[0] if row else None


def _reads_by_date(cursor, sql: str, arguments: list) -> bool:
    """Whether the planner reads this window through the date index. When it expects few matches
    (words found together, whose selectivities it multiplies) it reads every match and filters
    the dates, and a window costs as much as the whole."""
    cursor.execute("EXPLAIN (FORMAT JSON) " + sql, arguments)
    return "gazette_searchkey_order" in str(cursor.fetchone()[0])
