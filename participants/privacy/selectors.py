"""Where a person's data lives: every model with a path to the user, found by walking the
relations of every installed model (so a model added later is covered without a list).

A row is **owned** by the person when every relation on its path to the user cascades
(their profile, registrations, check-ins, email addresses…): it goes when they go. A row
**mentions** the person when the last relation on its path would be set to NULL (a group
they facilitate, a check-in a staff member recorded): it stays, unlinked. A row is
**addressed** to the person when one of its email fields holds one of their addresses or
an owned row points to it one-to-one (an invitation, an outbox message).
"""

from collections import deque
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q

OWNED, MENTIONS, ADDRESSED = "owned", "mentions", "addressed"
_KEEPS_ROW = {models.CASCADE, models.PROTECT, models.RESTRICT}


@dataclass(frozen=True)
class Link:
    model: type[models.Model]
    lookup: str  # ORM path from `model` to the user's primary key
    kind: str  # OWNED, MENTIONS or ADDRESSED
    field: str  # the relation (or email field) on `model` that starts the path


def _relations(model) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model is not None
    ]


@cache
def personal_links() -> tuple[Link, ...]:
    """Every (model, path) by which a row can belong to, mention or address a user."""
    user_model = get_user_model()
    all_models = apps.get_models(include_auto_created=True)
    owned: dict[type, list[str]] = {user_model: ["pk"]}
    links: list[Link] = [Link(user_model, "pk", OWNED, "pk")]
    queue = deque([user_model])
    while queue:
        target = queue.popleft()
        for model in all_models:
            for field in _relations(model):
                if field.related_model is not target:
                    continue
                for rest in owned[target]:
                    lookup = field.name if rest == "pk" else f"{field.name}__{rest}"
                    keeps = field.remote_field.on_delete in _KEEPS_ROW
                    links.append(Link(model, lookup, OWNED if keeps else MENTIONS, field.name))
                    if keeps and model is not user_model:
                        if model not in owned:
                            queue.append(model)
                        owned.setdefault(model, []).append(lookup)
    # An owned row pointing one-to-one at another row (a registration and the invitation
    # it came from) makes that row the person's too.
    for model, paths in list(owned.items()):
        for field in _relations(model):
            if field.one_to_one and field.related_model not in owned:
                back = field.related_query_name()
                for rest in paths:
                    lookup = back if rest == "pk" else f"{back}__{rest}"
                    links.append(Link(field.related_model, lookup, ADDRESSED, field.name))
    for model in all_models:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.EmailField) and model is not user_model:
                links.append(Link(model, f"{field.name}__in", ADDRESSED, field.name))
    return tuple(links)


def person_addresses(user) -> list[str]:
    """Every email address of the user (the account's and allauth's), as stored."""
    EmailAddress = apps.get_model("account", "EmailAddress")
    addresses = set(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    if user.email:
        addresses.add(user.email)
    return sorted(addresses)


def _condition(link: Link, user, addresses: list[str]) -> Q:
    if link.lookup.endswith("__in"):
        iexact = Q()
        for address in addresses:
            iexact |= Q(**{link.lookup.removesuffix("__in") + "__iexact": address})
        return iexact if addresses else Q(pk__in=[])
    return Q(**{link.lookup: user.pk})


def _email_values(model, pks) -> set[str]:
    names = [f.name for f in model._meta.concrete_fields if isinstance(f, models.EmailField)]
    values = set()
    for row in model._default_manager.filter(pk__in=pks).values_list(*names):
        values.update(v for v in row if v)
    return values


def personal_rows(user) -> dict[type, dict[str, set[int]]]:
    """For each model: the primary keys of the user's rows, by kind (OWNED, MENTIONS,
    ADDRESSED). A row owned by one path is not listed again as mentioned or addressed.
    The addresses matched are the person's own and those of rows tied one-to-one to
    them (the address an invitation they accepted was sent to)."""
    addresses = set(person_addresses(user))
    found: dict[type, dict[str, set]] = {}
    by_relation = [link for link in personal_links() if not link.lookup.endswith("__in")]
    by_address = [link for link in personal_links() if link.lookup.endswith("__in")]
    for link in by_relation:
        pks = set(
            link.model._default_manager.filter(Q(**{link.lookup: user.pk})).values_list(
                "pk", flat=True
            )
        )
        if pks:
            found.setdefault(link.model, {}).setdefault(link.kind, set()).update(pks)
            if link.kind == ADDRESSED:
                addresses |= _email_values(link.model, pks)
    for link in by_address:
        pks = set(
            link.model._default_manager.filter(
                _condition(link, user, sorted(addresses))
            ).values_list("pk", flat=True)
        )
        if pks:
            found.setdefault(link.model, {}).setdefault(link.kind, set()).update(pks)
    for kinds in found.values():
        owned = kinds.get(OWNED, set())
        for kind in (MENTIONS, ADDRESSED):
            if kind in kinds:
                kinds[kind] -= owned
                if not kinds[kind]:
                    del kinds[kind]
    return found
