"""Authority codes as dated reference data, and the full-text index of each database.

SQLite: an FTS5 table kept in step with gazette_searchentry by triggers. PostgreSQL: a generated
tsvector column over the same pre-analysed text with the `simple` configuration, and a GIN index.
Both index the words as `guichet.gazette.search.analyse` wrote them (Snowball French stems without
accents), so both databases answer the same query with the same texts.
"""

from django.db import migrations

# FTS5 rowid = sort key: days since 1900-01-01 of the signature × 10^8 + work id, so that
# "newest first" is the index's own order (ORDER BY rowid DESC, no sort) and a date range is a
# rowid range. Filters are indexed tokens in a third column ("tdecret aprn s1"), matched inside
# the full-text query: no per-row lookups. Keep in step with guichet.gazette.search.
_KEY = "(CAST(julianday({row}.signed_on) - julianday('1900-01-01') AS INTEGER) * 100000000 + {row}.work_id)"
_FACETS = (
    "'t' || replace({row}.doctype, '-', '') || ' a' || lower({row}.authority_code) || "
    "' s' || {row}.in_force"
)
_INSERT = (
    "INSERT INTO gazette_fts(rowid, stem_title, stem_body, facets) VALUES ("
    + _KEY.format(row="new") + ", new.stem_title, new.stem_body, " + _FACETS.format(row="new") + ");"
)
_DELETE = "DELETE FROM gazette_fts WHERE rowid = " + _KEY.format(row="old") + ";"

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE gazette_fts USING fts5(stem_title, stem_body, facets, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    # Title matches weigh five times body matches; the facets carry no weight.
    "INSERT INTO gazette_fts(gazette_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0, 0.0)')",
    f"CREATE TRIGGER gazette_fts_insert AFTER INSERT ON gazette_searchentry BEGIN {_INSERT} END",
    f"CREATE TRIGGER gazette_fts_delete AFTER DELETE ON gazette_searchentry BEGIN {_DELETE} END",
    f"CREATE TRIGGER gazette_fts_update AFTER UPDATE ON gazette_searchentry BEGIN {_DELETE} "
    f"{_INSERT} END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS gazette_fts_update",
    "DROP TRIGGER IF EXISTS gazette_fts_delete",
    "DROP TRIGGER IF EXISTS gazette_fts_insert",
    "DROP TABLE IF EXISTS gazette_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE gazette_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, stem_title), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, stem_body), 'B')) STORED",
    "CREATE INDEX gazette_searchentry_document ON gazette_searchentry USING GIN (document)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS gazette_searchentry_document",
    "ALTER TABLE gazette_searchentry DROP COLUMN IF EXISTS document",
]


def fulltext_forward(apps, schema_editor):
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def fulltext_backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def load_authorities(apps, schema_editor):
    from guichet.gazette.reference import load_authorities as load

    load(apps.get_model("gazette", "Authority"))


class Migration(migrations.Migration):
    dependencies = [("gazette", "0001_initial")]

    operations = [
        migrations.RunPython(load_authorities, migrations.RunPython.noop),
        migrations.RunPython(fulltext_forward, fulltext_backward),
    ]
