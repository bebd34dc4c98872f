"""Authority codes as dated reference data, and the full-text index of each database.

SQLite: an FTS5 table kept in step with gazette_searchentry by triggers. PostgreSQL: a generated
tsvector column over the same pre-analysed text with the `simple` configuration, and a GIN index.
Both index the words as `guichet.gazette.search.analyse` wrote them (Snowball French stems without
accents), so both databases answer the same query with the same texts.
"""

from django.db import migrations

SQLITE_FORWARD = [
    # The filter columns are copied in, UNINDEXED, so that a filtered, ranked query runs on the
    # FTS5 table alone (a join would make SQLite probe the index once per candidate row).
    "CREATE VIRTUAL TABLE gazette_fts USING fts5(stem_title, stem_body, doctype UNINDEXED, "
    "authority_code UNINDEXED, signed_on UNINDEXED, in_force UNINDEXED, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    # Title matches weigh five times body matches; the unindexed columns carry no weight.
    "INSERT INTO gazette_fts(gazette_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0, 0, 0, 0, 0)')",
    """CREATE TRIGGER gazette_fts_insert AFTER INSERT ON gazette_searchentry BEGIN
        INSERT INTO gazette_fts(rowid, stem_title, stem_body, doctype, authority_code, signed_on,
            in_force)
        VALUES (new.work_id, new.stem_title, new.stem_body, new.doctype, new.authority_code,
            new.signed_on, new.in_force);
    END""",
    """CREATE TRIGGER gazette_fts_delete AFTER DELETE ON gazette_searchentry BEGIN
        DELETE FROM gazette_fts WHERE rowid = old.work_id;
    END""",
    """CREATE TRIGGER gazette_fts_update AFTER UPDATE ON gazette_searchentry BEGIN
        DELETE FROM gazette_fts WHERE rowid = old.work_id;
        INSERT INTO gazette_fts(rowid, stem_title, stem_body, doctype, authority_code, signed_on,
            in_force)
        VALUES (new.work_id, new.stem_title, new.stem_body, new.doctype, new.authority_code,
            new.signed_on, new.in_force);
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
