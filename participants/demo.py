"""Demo data about people for `load_demo`, from `demo/people.toml`: registration types,
groups, the World Café, announcements, and the parameters of the invented people (every
name is invented; emails use example.org), who are generated from a seed.

Applied through participants' services: `save_registration_type`, `register`,
`approve_registration` and `decline_registration` (which keep each type's approved
counter), `add_invitations`, `sign_up` (which keeps each session's seats; taken under the
clock set to before the event, when sign-ups were open), the grouping and café services,
`publish_announcement`, `set_directory_listing`, `request_letter`. None of them emails the
invented people (`notify=False`). Idempotent: a person registered once keeps their state.
"""

import random
from datetime import datetime, time, timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

from events.models import Event, EventDay, Room, Session
from participants.announcements.services import publish_announcement
from participants.certificates.demo import build_certificates
from participants.desk.services import check_in
from participants.directory.services import set_directory_listing
from participants.feedback.services import give_feedback
from participants.groups.services.grouping import propose_working_groups, publish_working_groups
from participants.groups.services.worldcafe import compute_cafe_plan, publish_cafe_plan
from participants.models import (
    Announcement,
    CountryRegion,
    FeedbackReceipt,
    Group,
    Invitation,
    Membership,
    Participant,
    Registration,
    RegistrationType,
    Sector,
    SessionSignup,
    TopicPreference,
    WorldCafe,
    WorldCafeTable,
)
from participants.registration.services.invitations import add_invitations
from participants.registration.services.profiles import load_reference_regions
from participants.registration.services.registration import (
    RegistrationError,
    approve_registration,
    decline_registration,
    register,
    save_registration_type,
)
from participants.signups.services import SignupError, sign_up
from sanjose import clock, demodata

FILE = "people.toml"


@transaction.atomic
def build(*, event: Event, folder: Path | None = None) -> None:
    """Closed groups, registration types, and invented participants in every state."""
    data = demodata.read("people", folder=folder)
    people = data["people"]
    load_reference_regions()  # the sub-region table, should it have been emptied
    build_closed_groups(event=event, entries=data.get("closed_group", []))
    types = build_registration_types(event=event, entries=data["registration_type"])
    full, open_day = types[0], types[1]
    build_people(event=event, full=full, open_day=open_day, people=people)
    build_invitations(event=event, full=full, people=people)
    build_signups(event=event, per_session=people["signups_per_session"])
    build_check_ins(event=event)
    build_groups(event=event, data=data, first_names=people["first_names"])
    build_announcements(event=event, entries=data.get("announcement", []))
    build_certificates(event=event)
    build_directory(event=event)
    build_feedback(event=event, comments=data["feedback"]["comments"])


def build_feedback(*, event: Event, comments: list[list[str]]) -> None:
    """Evaluations by the delegates checked in on the first day: the whole event and its
    first-day sessions they may see, anonymous but for every fifth (invented answers)."""
    rng = random.Random(607)
    first_day = event.days.order_by("date").first()
    came = Participant.objects.filter(
        registrations__event=event,
        registrations__check_ins__day=first_day.date if first_day else None,
        user__username__startswith="delegate",
    ).order_by("user__username")[:20]
    sessions = list(
        Session.objects.filter(event=event, day=first_day, audience=Session.Audience.PARTICIPANTS)
        .exclude(kind=Session.Kind.BREAK)
        .order_by("starts_at")[:3]
    )
    if first_day is None:
        return
    evening = datetime.combine(first_day.date, time(18, 0), event.zone)
    for n, person in enumerate(came):
        for session in [None, *sessions]:
            if FeedbackReceipt.objects.filter(
                participant=person, event=event, session=session
            ).exists():
                continue  # answered on an earlier load (an anonymous answer is final)
            language, comment = comments[rng.randrange(len(comments))]
            with clock.set_to(evening):  # that evening, through the feedback rules
                give_feedback(
                    participant=person,
                    event=event,
                    session=session,
                    rating=rng.choice([3, 4, 4, 5, 5, 2]),
                    comment=comment,
                    anonymous=n % 5 != 0,
                    language=language,
                )


def build_directory(*, event: Event) -> None:
    """Every third approved delegate opts in to the participant directory."""
    delegates = Participant.objects.filter(
        pk__in=Registration.objects.approved_for(event).values("participant_id"),
        user__username__startswith="delegate",
    ).order_by("user__username")
    for participant in list(delegates)[::3]:
        if participant.directory_listed_at is None:
            set_directory_listing(
                participant=participant,
                listed=True,
                bio="Works on child protection across the region (invented demo person).",
            )


def build_announcements(*, event: Event, entries: list[dict]) -> None:
    """The published announcements (no email: no demo inbox full of messages)."""
    for n, entry in enumerate(entries, start=1):
        with demodata.entry(f"{FILE}, announcement {n} “{entry.get('title_en', '?')}”"):
            slug = entry.get("registration_type")
            announcement, _ = Announcement.objects.update_or_create(
                event=event,
                title_en=entry["title_en"],
                defaults={
                    "title_es": entry.get("title_es", ""),
                    "body_en": entry["body_en"],
                    "body_es": entry.get("body_es", ""),
                    "audience": Announcement.Audience(entry["audience"]),
                    "registration_type": RegistrationType.objects.get(event=event, slug=slug)
                    if slug
                    else None,
                },
            )
            publish_announcement(announcement=announcement)


def build_closed_groups(*, event: Event, entries: list[dict]) -> None:
    for n, entry in enumerate(entries, start=1):
        with demodata.entry(f"{FILE}, closed_group {n} “{entry.get('name_en', '?')}”"):
            group = _save_group(event, entry, kind=Group.Kind.CLOSED)
            sessions = Session.objects.filter(event=event, title_en=entry["session"])
            if not sessions.exists():
                raise ValueError(f"no session titled {entry['session']!r} in programme.toml")
            for session in sessions:
                session.groups.add(group)


def _save_group(event: Event, entry: dict, *, kind: str, **fields) -> Group:
    """A group of the file, by its English name: created, or brought up to date."""
    group, _ = Group.objects.update_or_create(
        event=event,
        name_en=entry["name_en"],
        defaults={
            "name_es": entry.get("name_es", ""),
            "kind": kind,
            "topic_en": entry.get("topic_en", ""),
            "topic_es": entry.get("topic_es", ""),
            **fields,
        },
    )
    return group


TYPE_DAYS = {"all": {}, "public": {"is_public": True}}


def build_registration_types(
    *, event: Event, entries: list[dict] | None = None
) -> list[RegistrationType]:
    """The registration types, by default those of `demo/people.toml`."""
    if entries is None:
        entries = demodata.read("people")["registration_type"]
    types = []
    for position, entry in enumerate(entries):
        label = f"{FILE}, registration_type {position + 1} “{entry.get('slug', '?')}”"
        with demodata.entry(label):
            found = RegistrationType.objects.filter(event=event, slug=entry["slug"]).first()
            registration_type = found or RegistrationType(event=event, slug=entry["slug"])
            for field in ("name_en", "name_es", "description_en", "description_es"):
                setattr(registration_type, field, entry.get(field, ""))
            registration_type.is_public = entry["is_public"]
            registration_type.grants_participant_access = entry["grants_participant_access"]
            registration_type.capacity = entry.get("capacity")
            registration_type.position = position
            save_registration_type(registration_type=registration_type)
            registration_type.days.set(
                EventDay.objects.filter(event=event, **TYPE_DAYS[entry.get("days", "all")])
            )
            types.append(registration_type)
    return types


def build_people(
    *, event: Event, full: RegistrationType, open_day: RegistrationType, people: dict
) -> None:
    """The invented delegates and guests, registered (and decided) through the services
    the site uses; a person already registered keeps their registration as it is."""
    rng = random.Random(people["seed"])  # the same demo every time
    regions = dict(CountryRegion.objects.values_list("country", "subregion"))
    delegates = people["delegates"]
    for n in range(1, delegates + people["open_day_guests"] + 1):
        guest = n > delegates
        country = rng.choice(people["countries"])
        participant = _person(n, guest, country, regions.get(country, "other"), rng, people)
        if Registration.objects.filter(participant=participant, event=event).exists():
            continue
        with demodata.entry(f"{FILE}, person {n}", refusals=(RegistrationError,)):
            registration = register(
                participant=participant,
                registration_type=open_day if guest else full,
                by=None,
                notify=False,
            )
            _decide(registration, _demo_status(n, people) if not guest else None)


def _decide(registration: Registration, status: str | None) -> None:
    """A staff decision on a submitted delegate, as the admin's actions take it."""
    decide = DECISIONS.get(status)
    if decide is not None:
        decide(registration=registration, by=None, notify=False)


DECISIONS = {
    Registration.Status.APPROVED: approve_registration,
    Registration.Status.DECLINED: decline_registration,
}


def build_signups(*, event: Event, per_session: int) -> None:
    """The first approved delegates sign up for the sessions that need a sign-up, so the
    personal schedule has something to show for them. Taken through `sign_up` under the
    clock set to the day before the event (when sign-ups were open), should its dates be
    past; each seat moves the session's counter there."""
    delegates = list(
        Participant.objects.filter(
            pk__in=Registration.objects.approved_for(event).values("participant_id")
        )
        .filter(user__username__startswith="delegate")
        .select_related("user")
        .order_by("user__username")[:per_session]
    )
    day_before = datetime.combine(event.start_date - timedelta(days=1), time(12), event.zone)
    with clock.set_to(min(clock.now(), day_before)):
        for session in Session.objects.filter(event=event, signup_required=True):
            for participant in delegates:
                if not SessionSignup.objects.filter(
                    participant=participant, session=session
                ).exists():
                    with demodata.entry(
                        f"sign-up for “{session.title_en}”", refusals=(SignupError,)
                    ):
                        sign_up(participant=participant, session=session)


def _person(
    n: int, guest: bool, country: str, subregion: str, rng: random.Random, people: dict
) -> Participant:
    User = get_user_model()
    first = people["first_names"]
    label = "Guest" if guest else "Delegate"
    email = f"{label.lower()}{n:03d}@example.org"
    user, created = User.objects.get_or_create(username=email, defaults={"email": email})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    # Invented example.org addresses: verified, so that staff can set a password in the
    # admin and sign in as the person (verification is mandatory otherwise).
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    participant, _ = Participant.objects.update_or_create(
        user=user,
        defaults={
            "badge_name": f"{first[n % len(first)]} {label} Example {n:03d}",
            "organisation": f"Example {rng.choice(people['organisation_kinds'])} {n % 17 + 1}",
            "sector": Sector(rng.choice(people["sectors"])),
            "country": country,
            "subregion": subregion,
            "preferred_language": "es" if rng.random() < 0.6 else "en",
            "languages_spoken": ["es", "en"]
            if rng.random() < 0.5
            else [rng.choice(["es", "en", "pt", "fr"])],
            "dietary_needs": rng.choice(people["dietary_needs"]),
            "accessibility_needs": rng.choice(people["accessibility_needs"]),
        },
    )
    return participant


def _demo_status(n: int, people: dict) -> str:
    if n % people["submitted_every"] == 0:
        return Registration.Status.SUBMITTED
    if n % people["declined_every"] == 0:
        return Registration.Status.DECLINED
    return Registration.Status.APPROVED


def build_invitations(*, event: Event, full: RegistrationType, people: dict) -> None:
    """Invitations not yet used, valid for a month from now so their links work in a demo,
    made by `add_invitations` without email: nobody is behind these addresses."""
    first = people["first_names"]
    emails = [f"invitee{n:03d}@example.org" for n in range(1, people["invitees"] + 1)]
    taken = set(
        Invitation.objects.filter(event=event, email__in=emails).values_list("email", flat=True)
    )
    new = [
        Invitation(
            event=event,
            email=email,
            type=full,
            name=f"{first[n % len(first)]} Invitee Example {n:03d}",
            organisation=f"Example Alliance {n % 5 + 1}",
            expires_at=clock.now() + timedelta(days=30),
        )
        for n, email in enumerate(emails, start=1)
        if email not in taken
    ]
    add_invitations(invitations=new, by=None, notify=False)


def build_groups(*, event: Event, data: dict, first_names: list[str]) -> None:
    """Working groups with a computed, published assignment of the approved delegates,
    closed-group members, and a World Café with hosts and a published plan. Idempotent:
    the assignment and the rotation are deterministic."""
    entries = data.get("working_group", [])
    delegates = list(
        Participant.objects.filter(
            pk__in=Registration.objects.approved_for(event)
            .filter(type__slug="full-dialogue")
            .values("participant_id")
        ).order_by("pk")
    )
    groups = _working_groups(event, entries, facilitators=delegates[: len(entries)])
    _topic_preferences(delegates, groups)
    propose_working_groups(event=event)
    publish_working_groups(event=event, notify=False)  # no demo inbox full of emails
    _closed_memberships(event, delegates)
    tables = data.get("world_cafe", {}).get("table", [])
    _world_cafe(
        event,
        data.get("world_cafe", {}),
        hosts=delegates[len(entries) : len(entries) + len(tables)],
    )


def _working_groups(
    event: Event, entries: list[dict], *, facilitators: list[Participant]
) -> list[Group]:
    groups = []
    for n, (entry, facilitator) in enumerate(zip(entries, facilitators, strict=True), start=1):
        with demodata.entry(f"{FILE}, working_group {n} “{entry.get('name_en', '?')}”"):
            room = Room.objects.filter(event=event, name=entry["room"]).first()
            if room is None:
                raise ValueError(f"no room named {entry['room']!r} in programme.toml")
            group = _save_group(
                event,
                entry,
                kind=Group.Kind.WORKING,
                room=room,
                capacity=entry["capacity"],
                working_languages=entry.get("working_languages", []),
                interpreter_languages=entry.get("interpreter_languages", []),
                facilitator=facilitator,
            )
        Membership.objects.update_or_create(
            participant=facilitator,
            group=group,
            defaults={"role": Membership.Role.FACILITATOR, "is_locked": True},
        )
        groups.append(group)
    return groups


def _topic_preferences(delegates: list[Participant], groups: list[Group]) -> None:
    rng = random.Random(2025)
    for participant in delegates[len(groups) :: 3]:
        if TopicPreference.objects.filter(participant=participant).exists():
            continue
        for rank, group in enumerate(rng.sample(groups, 3), start=1):
            TopicPreference.objects.create(participant=participant, group=group, rank=rank)


def _closed_memberships(event: Event, delegates: list[Participant]) -> None:
    closed = {g.name_en: g for g in Group.objects.filter(event=event, kind=Group.Kind.CLOSED)}
    government = [p for p in delegates if p.sector == Sector.GOVERNMENT]
    members = {
        "Government delegates": government,
        "GARA delegations": government[::2],
        "ECPAT member organisations": [p for p in delegates if p.sector == Sector.CIVIL_SOCIETY][
            ::2
        ],
        "Youth advisory panel": delegates[-4:],
    }
    for name, people in members.items():
        if name in closed:
            for participant in people:
                Membership.objects.get_or_create(participant=participant, group=closed[name])


def _world_cafe(event: Event, entry: dict, *, hosts: list[Participant]) -> None:
    session = Session.objects.filter(event=event, kind=Session.Kind.WORLD_CAFE).first()
    if session is None or not entry:
        return
    cafe, _ = WorldCafe.objects.get_or_create(
        session=session,
        defaults={"rounds": entry["rounds"], "round_minutes": entry["round_minutes"]},
    )
    for number, (table, host) in enumerate(zip(entry["table"], hosts, strict=True), start=1):
        WorldCafeTable.objects.update_or_create(
            cafe=cafe,
            number=number,
            defaults={"topic_en": table["topic_en"], "topic_es": table["topic_es"], "host": host},
        )
    compute_cafe_plan(cafe=cafe)
    publish_cafe_plan(cafe=cafe)


def build_check_ins(*, event: Event) -> None:
    """Desk check-ins for the days already past: most approved people, each morning."""
    rng = random.Random(603)
    today = clock.now().astimezone(event.zone).date()
    registrations = Registration.objects.approved_for(event).prefetch_related("type__days")
    for registration in registrations:
        for day in registration.type.days.all():
            if day.date >= today or rng.random() < 0.12:  # not yet, or did not come
                continue
            arrived = datetime.combine(
                day.date, time(7, 45 + rng.randrange(0, 14), rng.randrange(60)), event.zone
            )
            with clock.set_to(arrived):  # at the desk that morning, through its rules
                check_in(registration=registration, by=None)
