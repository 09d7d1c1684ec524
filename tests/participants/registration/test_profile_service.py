"""The country → sub-region reference table."""

import pytest

from participants.models import CountryRegion, Subregion
from participants.registration.services.profiles import load_reference_regions

pytestmark = pytest.mark.django_db


def test_reference_regions_refill_an_emptied_table_and_keep_staff_choices():
    CountryRegion.objects.all().delete()
    CountryRegion.objects.create(country="MX", subregion=Subregion.NORTH_AMERICA)

    written = load_reference_regions()

    assert written == 37
    assert CountryRegion.objects.count() == 38
    assert CountryRegion.objects.get(country="MX").subregion == Subregion.NORTH_AMERICA
    assert CountryRegion.objects.get(country="JM").subregion == Subregion.CARIBBEAN
    assert load_reference_regions() == 0


def test_reference_regions_can_replace_staff_choices():
    CountryRegion.objects.filter(country="MX").update(subregion=Subregion.NORTH_AMERICA)

    load_reference_regions(replace=True)

    assert CountryRegion.objects.get(country="MX").subregion == Subregion.CENTRAL_AMERICA_MEXICO
