"""Counters kept on a row with conditional UPDATEs: places and seats within a capacity,
and waiting-list tickets. Registration (places of a type) and session sign-up (seats of a
session) share this rule; each row's check constraint backs it up.
"""

from django.db.models import F, Model, Q


def take_one(model: type[Model], pk: int, *, count: str, capacity: str = "capacity") -> bool:
    """Add one to `count` if it is below `capacity` (or there is none); True when this
    call got it. Two simultaneous calls for the last one: exactly one gets it."""
    has_room = Q(**{f"{capacity}__isnull": True}) | Q(**{f"{count}__lt": F(capacity)})
    return model.objects.filter(has_room, pk=pk).update(**{count: F(count) + 1}) == 1


def give_back_one(model: type[Model], pk: int, *, count: str) -> None:
    model.objects.filter(pk=pk, **{f"{count}__gt": 0}).update(**{count: F(count) - 1})


def next_ticket(model: type[Model], pk: int, *, field: str) -> int:
    """The next number of `field`, unique: the UPDATE locks the row until commit, so the
    value read back is this transaction's."""
    model.objects.filter(pk=pk).update(**{field: F(field) + 1})
    return model.objects.filter(pk=pk).values_list(field, flat=True).get()
