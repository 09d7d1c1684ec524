"""World Café plans: compute who sits where each round (see `rotation`), then publish."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet

from participants.groups.services.rotation import (
    RotationError,
    check,
    repeat_lower_bound,
    repeat_score,
    rotate,
)
from participants.models import Participant, Registration, WorldCafe, WorldCafeSeat
from sanjose import clock

__all__ = ["RotationError", "cafe_guests", "compute_cafe_plan", "publish_cafe_plan"]


def cafe_guests(*, cafe: WorldCafe) -> QuerySet[Participant]:
    """Participants (approved on a type granting participant access) who attend the café's
    day, hosts excluded (they stay put); open-day guests are not seated."""
    session = cafe.session
    registrations = Registration.objects.admitting_participants().filter(
        Q(type__days__isnull=True) | Q(type__days=session.day_id), event_id=session.event_id
    )
    hosts = cafe.tables.exclude(host=None).values("host_id")
    return Participant.objects.filter(pk__in=registrations.values("participant_id")).exclude(
        pk__in=hosts
    )


def _check_tables(cafe: WorldCafe, tables: list) -> None:
    check(people=1, tables=len(tables), rounds=cafe.rounds)
    without_host = [str(t.number) for t in tables if t.host_id is None]
    if without_host:
        raise RotationError(f"Every table needs a host; table {', '.join(without_host)} has none.")
    hosts = [t.host_id for t in tables]
    if len(set(hosts)) != len(hosts):
        raise RotationError("One person hosts two tables; each table needs its own host.")


@transaction.atomic
def compute_cafe_plan(*, cafe: WorldCafe) -> dict:
    """Replace the café's seats with a fresh rotation and unpublish the plan.

    Hosts get a seat at their own table in every round; everyone else a different table
    each round. Raises RotationError, writing nothing, on zero rounds, more rounds than
    tables, a table without a host, or nobody to seat. Returns the plan's figures.
    """
    tables = list(cafe.tables.order_by("number"))
    _check_tables(cafe, tables)
    guests = sorted(cafe_guests(cafe=cafe).values_list("pk", flat=True))
    plan = rotate(people=guests, tables=[t.pk for t in tables], rounds=cafe.rounds)
    cafe.seats.all().delete()
    seats = [
        WorldCafeSeat(cafe=cafe, round_number=r, table_id=t.pk, participant_id=t.host_id)
        for t in tables
        for r in range(1, cafe.rounds + 1)
    ]
    seats += [
        WorldCafeSeat(cafe=cafe, round_number=r, table_id=table_id, participant_id=person)
        for person in guests
        for r, table_id in enumerate(plan[person], start=1)
    ]
    WorldCafeSeat.objects.bulk_create(seats)
    cafe.published_at = None
    cafe.save(update_fields=["published_at"])
    return {
        "guests": len(guests),
        "repeat_score": repeat_score(plan),
        "lower_bound": repeat_lower_bound(
            people=len(guests), tables=len(tables), rounds=cafe.rounds
        ),
    }


@transaction.atomic
def publish_cafe_plan(*, cafe: WorldCafe) -> None:
    """Show the computed plan to participants (on /me/ and in their schedule)."""
    tables = list(cafe.tables.order_by("number"))
    _check_tables(cafe, tables)
    seated = set(cafe.seats.values_list("round_number", "table_id"))
    wanted = {(r, t.pk) for r in range(1, cafe.rounds + 1) for t in tables}
    if seated != wanted:
        raise RotationError(
            "Compute the plan first: it does not match the current tables and rounds."
        )
    cafe.published_at = clock.now()
    cafe.save(update_fields=["published_at"])
