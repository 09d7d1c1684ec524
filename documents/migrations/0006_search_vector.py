"""A stored tsvector for the library's search, GIN-indexed on PostgreSQL.

The expression indexes of 0005 made PostgreSQL recompute to_tsvector over each row
whenever its planner chose a sequential scan (seconds per query at a few thousand
documents); a stored vector is computed once, when the document's text changes.
"""

import django.contrib.postgres.search
from django.db import migrations

VECTOR = (
    "to_tsvector('english'::regconfig, COALESCE(search_text, '')) || "
    "to_tsvector('spanish'::regconfig, COALESCE(search_text, ''))"
)


def index_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS documents_search_english_gin")
    schema_editor.execute("DROP INDEX IF EXISTS documents_search_spanish_gin")
    schema_editor.execute(f"UPDATE documents_document SET search_vector = {VECTOR}")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS documents_search_vector_gin "
        "ON documents_document USING gin (search_vector)"
    )


def unindex_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS documents_search_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("documents", "0005_search_indexes")]

    operations = [
        migrations.AddField(
            model_name="document",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(index_vectors, unindex_vectors),
    ]
