"""Authority codes as dated reference data, and the full-text index of each database.

SQLite: an FTS5 table kept in step with gazette_searchentry by triggers. PostgreSQL: a narrow
table with a tsvector of the same pre-analysed text (`simple` configuration) and a GIN index, kept in
step by triggers.
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
# PostgreSQL: a narrow companion table (id, filters, tsvector kept out of line) fed by triggers,
# so that a bitmap scan over thousands of matches reads a few megabytes, not the texts themselves.
POSTGRES_FORWARD = [
    """CREATE TABLE gazette_searchkey (
        work_id bigint PRIMARY KEY,
        signed_on date NOT NULL,
        doctype varchar(30) NOT NULL,
        authority_code varchar(20) NOT NULL,
        in_force boolean NOT NULL,
        document tsvector NOT NULL
    ) WITH (toast_tuple_target = 128)""",
    "ALTER TABLE gazette_searchkey ALTER COLUMN document SET STORAGE EXTERNAL",
    "CREATE INDEX gazette_searchkey_document ON gazette_searchkey USING GIN (document)",
    "CREATE INDEX gazette_searchkey_order ON gazette_searchkey (signed_on DESC, work_id DESC)",
    """CREATE FUNCTION gazette_searchkey_upsert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO gazette_searchkey (work_id, signed_on, doctype, authority_code, in_force,
            document)
        VALUES (NEW.work_id, NEW.signed_on, NEW.doctype, NEW.authority_code, NEW.in_force,
            setweight(to_tsvector('simple'::regconfig, NEW.stem_title), 'A')
            || setweight(to_tsvector('simple'::regconfig, NEW.stem_body), 'B'))
        ON CONFLICT (work_id) DO UPDATE SET signed_on = EXCLUDED.signed_on,
            doctype = EXCLUDED.doctype, authority_code = EXCLUDED.authority_code,
            in_force = EXCLUDED.in_force, document = EXCLUDED.document;
        RETURN NEW;
    END $$""",
    """CREATE FUNCTION gazette_searchkey_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM gazette_searchkey WHERE work_id = OLD.work_id;
        RETURN OLD;
    END $$""",
    """CREATE FUNCTION gazette_searchkey_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE gazette_searchkey;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER gazette_searchkey_upsert AFTER INSERT OR UPDATE ON gazette_searchentry "
    "FOR EACH ROW EXECUTE FUNCTION gazette_searchkey_upsert()",
    "CREATE TRIGGER gazette_searchkey_delete AFTER DELETE ON gazette_searchentry "
    "FOR EACH ROW EXECUTE FUNCTION gazette_searchkey_delete()",
    # Test databases are flushed with TRUNCATE, which fires no row trigger.
    "CREATE TRIGGER gazette_searchkey_truncate AFTER TRUNCATE ON gazette_searchentry "
    "FOR EACH STATEMENT EXECUTE FUNCTION gazette_searchkey_truncate()",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS gazette_searchkey_truncate ON gazette_searchentry",
    "DROP TRIGGER IF EXISTS gazette_searchkey_delete ON gazette_searchentry",
    "DROP TRIGGER IF EXISTS gazette_searchkey_upsert ON gazette_searchentry",
    "DROP FUNCTION IF EXISTS gazette_searchkey_truncate()",
    "DROP FUNCTION IF EXISTS gazette_searchkey_delete()",
    "DROP FUNCTION IF EXISTS gazette_searchkey_upsert()",
    "DROP TABLE IF EXISTS gazette_searchkey",
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
