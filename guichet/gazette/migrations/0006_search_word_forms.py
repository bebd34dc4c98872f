"""The folded word forms of each indexed text, in both full-text indexes beside the stems.

Ranking a query whose stem has thousands of matches (« attribuent »: « attribution »,
« attribué »…) needs to find, in the index, the texts holding the very form typed and those holding
its family; the stems alone cannot tell them apart. SQLite: a fourth FTS5 column `word_forms`
(FTS5 has no ALTER: the table is rebuilt from gazette_searchentry). PostgreSQL: a second tsvector
`words` in gazette_searchkey with its own GIN index. Both fed by the same triggers as before.
"""

from django.db import migrations, models

_KEY = (
    "(CAST(julianday({row}.signed_on) - julianday('1900-01-01') AS INTEGER) * 100000000"
    " + {row}.work_id)"
)
_FACETS = (
    "'t' || replace({row}.doctype, '-', '') || ' a' || lower({row}.authority_code) || "
    "' s' || {row}.in_force"
)
_INSERT = (
    "INSERT INTO gazette_fts(rowid, stem_title, stem_body, facets, word_forms) VALUES ("
    + _KEY.format(row="new")
    + ", new.stem_title, new.stem_body, "
    + _FACETS.format(row="new")
    + ", new.word_forms);"
)
_DELETE = "DELETE FROM gazette_fts WHERE rowid = " + _KEY.format(row="old") + ";"
_DROP_SQLITE = [
    "DROP TRIGGER IF EXISTS gazette_fts_update",
    "DROP TRIGGER IF EXISTS gazette_fts_delete",
    "DROP TRIGGER IF EXISTS gazette_fts_insert",
    "DROP TABLE IF EXISTS gazette_fts",
]
SQLITE_FORWARD = [
    *_DROP_SQLITE,
    "CREATE VIRTUAL TABLE gazette_fts USING fts5(stem_title, stem_body, facets, word_forms, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    # Title matches weigh five times body matches; facets and word forms carry no weight (the
    # forms only sort matches into levels, see search.py).
    "INSERT INTO gazette_fts(gazette_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0, 0.0, 0.0)')",
    f"CREATE TRIGGER gazette_fts_insert AFTER INSERT ON gazette_searchentry BEGIN {_INSERT} END",
    f"CREATE TRIGGER gazette_fts_delete AFTER DELETE ON gazette_searchentry BEGIN {_DELETE} END",
    f"CREATE TRIGGER gazette_fts_update AFTER UPDATE ON gazette_searchentry BEGIN {_DELETE} "
    f"{_INSERT} END",
    "INSERT INTO gazette_fts(rowid, stem_title, stem_body, facets, word_forms) SELECT "
    + _KEY.format(row="e")
    + ", e.stem_title, e.stem_body, "
    + _FACETS.format(row="e")
    + ", e.word_forms FROM gazette_searchentry e",
]
# Back to migration 0002's table (three columns).
SQLITE_BACKWARD = [
    *_DROP_SQLITE,
    "CREATE VIRTUAL TABLE gazette_fts USING fts5(stem_title, stem_body, facets, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    "INSERT INTO gazette_fts(gazette_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0, 0.0)')",
    "CREATE TRIGGER gazette_fts_insert AFTER INSERT ON gazette_searchentry BEGIN "
    + _INSERT.replace(", word_forms)", ")").replace(", new.word_forms)", ")")
    + " END",
    f"CREATE TRIGGER gazette_fts_delete AFTER DELETE ON gazette_searchentry BEGIN {_DELETE} END",
    f"CREATE TRIGGER gazette_fts_update AFTER UPDATE ON gazette_searchentry BEGIN {_DELETE} "
    + _INSERT.replace(", word_forms)", ")").replace(", new.word_forms)", ")")
    + " END",
    "INSERT INTO gazette_fts(rowid, stem_title, stem_body, facets) SELECT "
    + _KEY.format(row="e")
    + ", e.stem_title, e.stem_body, "
    + _FACETS.format(row="e")
    + " FROM gazette_searchentry e",
]


def _upsert(with_words: bool) -> str:
    words_column = ", words" if with_words else ""
    words_value = (
        ", to_tsvector('simple'::regconfig, NEW.word_forms)" if with_words else ""
    )
    words_update = ", words = EXCLUDED.words" if with_words else ""
    return f"""CREATE OR REPLACE FUNCTION gazette_searchkey_upsert() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO gazette_searchkey (work_id, signed_on, doctype, authority_code, in_force,
            document{words_column})
        VALUES (NEW.work_id, NEW.signed_on, NEW.doctype, NEW.authority_code, NEW.in_force,
            setweight(to_tsvector('simple'::regconfig, NEW.stem_title), 'A')
            || setweight(to_tsvector('simple'::regconfig, NEW.stem_body), 'B'){words_value})
        ON CONFLICT (work_id) DO UPDATE SET signed_on = EXCLUDED.signed_on,
            doctype = EXCLUDED.doctype, authority_code = EXCLUDED.authority_code,
            in_force = EXCLUDED.in_force, document = EXCLUDED.document{words_update};
        RETURN NEW;
    END $$"""


POSTGRES_FORWARD = [
    "ALTER TABLE gazette_searchkey ADD COLUMN words tsvector NOT NULL DEFAULT ''::tsvector",
    "ALTER TABLE gazette_searchkey ALTER COLUMN words SET STORAGE EXTERNAL",
    "CREATE INDEX gazette_searchkey_words ON gazette_searchkey USING GIN (words)",
    _upsert(True),
]
POSTGRES_BACKWARD = [
    _upsert(False),
    "DROP INDEX IF EXISTS gazette_searchkey_words",
    "ALTER TABLE gazette_searchkey DROP COLUMN IF EXISTS words",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def fill_word_forms(apps, schema_editor):
    """The word forms of the texts already indexed; the triggers copy them into the index."""
    from guichet.gazette import numbering, search

    SearchEntry = apps.get_model("gazette", "SearchEntry")
    changed = []
    for entry in SearchEntry.objects.iterator():
        title = f"{numbering.DOCTYPE_LABELS.get(entry.doctype, entry.doctype)} {entry.title}"
        entry.word_forms = search.analysis(title, entry.body).word_forms
        changed.append(entry)
        if len(changed) == 500:
            SearchEntry.objects.bulk_update(changed, ["word_forms"])
            changed = []
    SearchEntry.objects.bulk_update(changed, ["word_forms"])


class Migration(migrations.Migration):
    dependencies = [("gazette", "0005_search_words")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="word_forms",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
        migrations.RunPython(fill_word_forms, migrations.RunPython.noop),
    ]
