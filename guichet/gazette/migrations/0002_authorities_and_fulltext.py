"""Authority codes as dated reference data, and the full-text index of each database.

SQLite: an FTS5 table kept in step with gazette_searchentry by triggers. PostgreSQL: a generated
tsvector column over the same pre-analysed text with the `simple` configuration, and a GIN index.
Both index the words as `guichet.gazette.search.analyse` wrote them (Snowball French stems without
accents), so both databases answer the same query with the same texts.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE gazette_fts USING fts5(stem_title, stem_body, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    """CREATE TRIGGER gazette_fts_insert AFTER INSERT ON gazette_searchentry BEGIN
        INSERT INTO gazette_fts(rowid, stem_title, stem_body)
        VALUES (new.work_id, new.stem_title, new.stem_body);
    END""",
    """CREATE TRIGGER gazette_fts_delete AFTER DELETE ON gazette_searchentry BEGIN
        DELETE FROM gazette_fts WHERE rowid = old.work_id;
    END""",
    """CREATE TRIGGER gazette_fts_update AFTER UPDATE OF stem_title, stem_body
        ON gazette_searchentry BEGIN
        DELETE FROM gazette_fts WHERE rowid = old.work_id;
        INSERT INTO gazette_fts(rowid, stem_title, stem_body)
        VALUES (new.work_id, new.stem_title, new.stem_body);
    END""",
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
