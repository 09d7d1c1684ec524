"""Demo documents for `load_demo`: filled in by the document library issue."""

from events.models import Event


def build(*, event: Event) -> None:
    """Nothing yet: the library's demo documents arrive with the library."""
