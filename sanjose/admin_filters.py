"""Admin change lists that answer a bad filter in the query with Django's own "invalid
lookup" redirect (?e=1) instead of a server error.

Django turns most malformed filter values into IncorrectLookupParameters, but not all:
a date hierarchy year such as 9999 with a month overflows (`datetime + timedelta`), an
impossible year raises ValueError outside Django's guard. The guard below covers every
ModelAdmin, ours and third parties' (allauth, auth), present and future, because it is
installed once on ModelAdmin.get_changelist when the project starts (sanjose.apps).
"""

from functools import cache

from django.contrib.admin import ModelAdmin
from django.contrib.admin.options import IncorrectLookupParameters

# What a filter value can raise while Django builds the lookups and the queryset.
BAD_FILTER_ERRORS = (ValueError, OverflowError, TypeError)


@cache
def safe_changelist(base: type) -> type:
    """`base` (ChangeList or an admin's subclass of it) with its filters guarded."""

    class SafeChangeList(base):
        def get_filters(self, request):
            try:
                return super().get_filters(request)
            except BAD_FILTER_ERRORS as error:
                raise IncorrectLookupParameters(error) from error

    SafeChangeList.__name__ = SafeChangeList.__qualname__ = f"Safe{base.__name__}"
    return SafeChangeList


def install() -> None:
    """Make every ModelAdmin's change list the guarded one (idempotent)."""
    original = ModelAdmin.get_changelist
    if getattr(original, "guards_filters", False):
        return

    def get_changelist(self, request, **kwargs):
        return safe_changelist(original(self, request, **kwargs))

    get_changelist.guards_filters = True
    ModelAdmin.get_changelist = get_changelist
