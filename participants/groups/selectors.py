"""Read queries about groups and the World Café: /me/, the schedule, staff exports."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, F, Prefetch, QuerySet, When

from participants.desk.selectors.exports import Listing
from participants.models import (
    Group,
    Membership,
    Participant,
    WorldCafe,
    WorldCafeSeat,
    WorldCafeTable,
)


def my_memberships(*, participant: Participant, event_id: int) -> QuerySet[Membership]:
    """The person's groups that count: closed groups, and working groups once published."""
    return (
        Membership.objects.counting()
        .filter(participant=participant, group__event_id=event_id)
        .select_related("group__room", "group__facilitator")
        .order_by("group__kind", "group__name_en")
    )


def cafe_seats_for(*, participant: Participant, event_id: int) -> QuerySet[WorldCafeSeat]:
    """The person's seats in the event's published World Café plans, round by round.

    Each seat carries its table (number, topic), the café and its session (for the time).
    """
    return (
        WorldCafeSeat.objects.counting()
        .filter(
            participant=participant,
            cafe__session__event_id=event_id,
            cafe__published_at__isnull=False,
        )
        .select_related("table", "cafe__session__room")
        .order_by("cafe__session__starts_at", "round_number")
    )


@dataclass
class HostedRound:
    round_number: int
    guests: list[Participant] = field(default_factory=list)


@dataclass
class HostedTable:
    table: WorldCafeTable
    rounds: list[HostedRound]


def hosted_tables_for(*, participant: Participant, event_id: int) -> list[HostedTable]:
    """For a host: who comes to each of their tables, round by round (published plans)."""
    tables = (
        WorldCafeTable.objects.filter(
            host=participant,
            cafe__session__event_id=event_id,
            cafe__published_at__isnull=False,
        )
        .select_related("cafe__session__room")
        .prefetch_related(
            Prefetch(
                "seats",
                queryset=WorldCafeSeat.objects.counting()
                .exclude(participant=participant)
                .select_related("participant")
                .order_by("round_number", "participant__badge_name"),
            )
        )
        .order_by("cafe__session__starts_at", "number")
    )
    hosted = []
    for table in tables:
        rounds = {r: HostedRound(r) for r in range(1, table.cafe.rounds + 1)}
        for seat in table.seats.all():
            rounds.setdefault(seat.round_number, HostedRound(seat.round_number))
            rounds[seat.round_number].guests.append(seat.participant)
        hosted.append(HostedTable(table=table, rounds=list(rounds.values())))
    return hosted


def me_groups_section(*, participant: Participant, event_id: int) -> dict:
    """Context for templates/participants/me/_groups.html (as `groups_section`)."""
    return {
        "memberships": list(my_memberships(participant=participant, event_id=event_id)),
        "cafe_seats": list(cafe_seats_for(participant=participant, event_id=event_id)),
        "hosted_tables": hosted_tables_for(participant=participant, event_id=event_id),
    }


GROUP_LIST_HEADER = [
    "group",
    "kind",
    "topic",
    "room",
    "facilitator",
    "published",
    "participant",
    "organisation",
    "email",
    "role",
    "locked",
    "sector",
    "country",
    "sub-region",
    "languages",
]


def _group_list_row(m: Membership) -> list[str]:
    group, person = m.group, m.participant
    return [
        group.name,
        group.get_kind_display(),
        group.topic_en,
        group.room.name if group.room else "",
        str(group.facilitator) if group.facilitator else "",
        "yes" if group.kind == Group.Kind.CLOSED or group.is_published else "no",
        person.badge_name,
        person.organisation,
        person.user.email,
        m.get_role_display(),
        "yes" if m.is_locked else "no",
        person.get_sector_display(),
        person.country.code,
        person.get_subregion_display(),
        " ".join(person.languages_spoken or [person.preferred_language]),
    ]


def group_list_listing(*, event_id: int) -> Listing:
    """One row per membership of every group of the event (the admin's group list), read
    in one query and written through the exports' one pipeline."""
    memberships = (
        Membership.objects.filter(group__event_id=event_id)
        .select_related("group__room", "group__facilitator", "participant__user")
        .order_by("group__kind", "group__name_en", "participant__badge_name", "pk")
    )
    return Listing(
        kind="groups",
        headers=GROUP_LIST_HEADER,
        queryset=memberships,
        render_row=_group_list_row,
        filters={"event": event_id},
    )


def group_list_rows(*, event_id: int) -> list[list[str]]:
    """The group list as rows, headers first."""
    listing = group_list_listing(event_id=event_id)
    return [listing.headers, *listing.rows()]


CAFE_PLAN_HEADER = ["round", "table", "topic", "host", "participant", "organisation", "email"]


def _cafe_plan_row(seat: WorldCafeSeat) -> list[str]:
    return [
        str(seat.round_number),
        str(seat.table.number),
        seat.table.topic_en,
        str(seat.table.host) if seat.table.host else "",
        seat.participant.badge_name,
        seat.participant.organisation,
        seat.participant.user.email,
    ]


def cafe_plan_listing(*, cafe: WorldCafe) -> Listing:
    """The plan round by round and table by table; hosts first at each table. Only seats
    that count (`WorldCafeSeat.objects.counting`): as on /me/ and the host's list."""
    host_first = Case(When(participant_id=F("table__host_id"), then=0), default=1)
    seats = (
        WorldCafeSeat.objects.counting()
        .filter(cafe=cafe)
        .select_related("table__host", "participant__user")
        .order_by("round_number", "table__number", host_first, "participant__badge_name", "pk")
    )
    return Listing(
        kind="world-cafe",
        headers=CAFE_PLAN_HEADER,
        queryset=seats,
        render_row=_cafe_plan_row,
        filters={"cafe": cafe.pk},
    )


def cafe_plan_rows(*, cafe: WorldCafe) -> list[list[str]]:
    """The plan as rows, headers first."""
    listing = cafe_plan_listing(cafe=cafe)
    return [listing.headers, *listing.rows()]
