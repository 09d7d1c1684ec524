"""GIN indexes for the library's full-text search, on PostgreSQL only.

The expressions are the ones `documents.selectors.search_documents` builds with
`SearchVector("search_text", config=...)`, so the planner uses them. SQLite (the
embedded default) searches with a plain `icontains` and needs no index.
"""

from django.db import migrations

CONFIGS = ["english", "spanish"]


def index_name(config):
    return f"documents_search_{config}_gin"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for config in CONFIGS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index_name(config)} ON documents_document "
            f"USING gin (to_tsvector('{config}'::regconfig, COALESCE(search_text, '')))"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for config in CONFIGS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index_name(config)}")


class Migration(migrations.Migration):
    dependencies = [("documents", "0004_categories")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
