"""The search index: entries (stems and words of de-identified units) and the database's full-text index.

SQLite: an FTS5 table over the entries' columns, kept in step by triggers (the "ascii" tokenizer
splits the stored space-joined words exactly as the stemmer wrote them). Altering the entry table
on SQLite rebuilds it and drops the triggers: re-run ``SQLITE_TRIGGERS`` in such a migration.
PostgreSQL: stored ``to_tsvector('simple', ...)`` columns of the same columns with GIN indexes
(the words are stemmed already, so the "simple" configuration gives the same matches as SQLite).
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_FTS = (
    "CREATE VIRTUAL TABLE analysis_search_fts USING fts5("
    "stems, words, content='analysis_searchentry', content_rowid='id', tokenize='ascii')"
)
SQLITE_TRIGGERS = [
    "CREATE TRIGGER analysis_searchentry_ai AFTER INSERT ON analysis_searchentry BEGIN "
    "INSERT INTO analysis_search_fts(rowid, stems, words) VALUES (new.id, new.stems, new.words); END",
    "CREATE TRIGGER analysis_searchentry_ad AFTER DELETE ON analysis_searchentry BEGIN "
    "INSERT INTO analysis_search_fts(analysis_search_fts, rowid, stems, words) "
    "VALUES ('delete', old.id, old.stems, old.words); END",
    "CREATE TRIGGER analysis_searchentry_au AFTER UPDATE ON analysis_searchentry BEGIN "
    "INSERT INTO analysis_search_fts(analysis_search_fts, rowid, stems, words) "
    "VALUES ('delete', old.id, old.stems, old.words); "
    "INSERT INTO analysis_search_fts(rowid, stems, words) VALUES (new.id, new.stems, new.words); END",
]
# Stored (generated) tsvector columns, unknown to the model: a row is tested without parsing its
# text again, which a filter on an expression index would do for every row it reads.
POSTGRES_INDEXES = [
    "ALTER TABLE analysis_searchentry ADD COLUMN stems_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, stems)) STORED",
    "ALTER TABLE analysis_searchentry ADD COLUMN words_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, words)) STORED",
    "CREATE INDEX analysis_search_stems_gin ON analysis_searchentry USING gin (stems_tsv)",
    "CREATE INDEX analysis_search_words_gin ON analysis_searchentry USING gin (words_tsv)",
]


def create_full_text_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in [SQLITE_FTS, *SQLITE_TRIGGERS]:
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        for sql in POSTGRES_INDEXES:
            schema_editor.execute(sql)


def drop_full_text_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in ("ai", "ad", "au"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS analysis_searchentry_{name}")
        schema_editor.execute("DROP TABLE IF EXISTS analysis_search_fts")
    elif vendor == "postgresql":
        for column in ("stems_tsv", "words_tsv"):
            schema_editor.execute(
                f"ALTER TABLE analysis_searchentry DROP COLUMN IF EXISTS {column}"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("analysis", "0003_double_coding"),
        ("evaluations", "0002_evaluation_previous_round"),
        ("transcripts", "0004_transcript_import"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.PositiveSmallIntegerField(
                        choices=[(1, "Transcript"), (2, "Coded quote"), (3, "Memo")]
                    ),
                ),
                ("start", models.PositiveIntegerField()),
                ("end", models.PositiveIntegerField()),
                ("stems", models.TextField()),
                ("words", models.TextField()),
                (
                    "evaluation",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="evaluations.evaluation",
                    ),
                ),
                (
                    "memo",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="analysis.memo",
                    ),
                ),
                (
                    "segment",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="analysis.codedsegment",
                    ),
                ),
                (
                    "text",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="transcripts.deidentifiedtext",
                    ),
                ),
                (
                    "turn",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="transcripts.speakerturn",
                    ),
                ),
            ],
            options={
                "ordering": ["evaluation", "kind", "text", "start", "id"],
                "indexes": [
                    models.Index(
                        fields=["evaluation", "kind", "text", "start", "id"],
                        name="search_entry_order",
                    ),
                    models.Index(
                        fields=["evaluation", "kind", "segment"], name="search_entry_segment"
                    ),
                ],
            },
        ),
        migrations.RunPython(create_full_text_index, drop_full_text_index),
    ]
