"""The library's categories, as the issue lists them (staff may add more in the admin)."""

from django.db import migrations

CATEGORIES = [
    ("concept-note", "Concept note", "Nota conceptual"),
    ("agenda", "Agenda", "Agenda"),
    ("background-report", "Background report", "Informe de referencia"),
    ("presentation", "Presentation", "Presentación"),
    ("literature-review", "Literature review", "Revisión de literatura"),
    ("outcome-document", "Outcome document", "Documento final"),
    ("other", "Other", "Otros"),
]


def add_categories(apps, schema_editor):
    Category = apps.get_model("documents", "Category")
    for position, (slug, name_en, name_es) in enumerate(CATEGORIES):
        Category.objects.update_or_create(
            slug=slug, defaults={"name_en": name_en, "name_es": name_es, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_search_text")]

    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
