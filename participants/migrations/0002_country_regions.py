"""Load the country → sub-region table from the organisers' reference data."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "americas-subregions.csv"
SUBREGIONS = {
    "North America": "north_america",
    "Central America and Mexico": "central_america_mexico",
    "Caribbean": "caribbean",
    "South America": "south_america",
}


def load(apps, schema_editor):
    CountryRegion = apps.get_model("participants", "CountryRegion")
    with DATA.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            CountryRegion.objects.update_or_create(
                country=row["iso2"].strip().upper(),
                defaults={"subregion": SUBREGIONS[row["subregion"].strip()]},
            )


class Migration(migrations.Migration):
    dependencies = [("participants", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
