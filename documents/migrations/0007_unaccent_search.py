"""Accent-insensitive library search: the `unaccent` extension, applied to the stored
tsvector (here, for the documents already indexed) and to every query (selectors).

People type without accents on phones: "ninos" must find "niños". unaccent() is not
immutable, which is fine here: the vector is stored, not an expression index.
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

VECTOR = (
    "to_tsvector('english'::regconfig, unaccent(COALESCE(search_text, ''))) || "
    "to_tsvector('spanish'::regconfig, unaccent(COALESCE(search_text, '')))"
)
OLD_VECTOR = (
    "to_tsvector('english'::regconfig, COALESCE(search_text, '')) || "
    "to_tsvector('spanish'::regconfig, COALESCE(search_text, ''))"
)


def reindex(vector):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"UPDATE documents_document SET search_vector = {vector}")

    return run


class Migration(migrations.Migration):
    dependencies = [("documents", "0006_search_vector")]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(reindex(VECTOR), reindex(OLD_VECTOR)),
    ]
