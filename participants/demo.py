"""Demo data about people for `load_demo`. Every name is invented; emails use example.org."""

import random
from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count

from events.models import Event, EventDay, Room, Session
from participants.announcements.services import publish_announcement
from participants.certificates.demo import build_certificates
from participants.directory.services import set_directory_listing
from participants.groups.services.grouping import propose_working_groups, publish_working_groups
from participants.groups.services.worldcafe import compute_cafe_plan, publish_cafe_plan
from participants.models import (
    Announcement,
    CheckIn,
    CountryRegion,
    FeedbackAnswer,
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
from participants.registration.services.profiles import load_reference_regions
from sanjose import clock

# Group names are content: English and Spanish, like the topics.
GROUP_NAMES_ES = {
    "GARA delegations": "Delegaciones de GARA",
    "ECPAT member organisations": "Organizaciones miembro de ECPAT",
    "Youth advisory panel": "Panel asesor juvenil",
    "Government delegates": "Delegados gubernamentales",
    "Online exploitation and technology": "Explotación en línea y tecnología",
    "Travel and tourism": "Viajes y turismo",
    "Migration and children on the move": "Migración y niñez en movimiento",
    "Data and evidence": "Datos y evidencia",
    "Access to justice": "Acceso a la justicia",
    "Prevention and sexual education": "Prevención y educación sexual",
}

CLOSED_GROUPS = [
    (
        "GARA delegations",
        "Tourism ministry officials of the GARA delegations.",
        "Funcionarios de ministerios de turismo de las delegaciones GARA.",
        "GARA delegations: closed meeting",
    ),
    (
        "ECPAT member organisations",
        "ECPAT member organisations of the Americas.",
        "Organizaciones miembro de ECPAT en las Américas.",
        "ECPAT member organisations: closed meeting",
    ),
    (
        "Youth advisory panel",
        "Young advisers to the Dialogue.",
        "Jóvenes asesores del Diálogo.",
        "Youth advisory panel: closed meeting",
    ),
    (
        "Government delegates",
        "Delegates of governments of the region.",
        "Delegados de los gobiernos de la región.",
        "Government delegates: closed meeting",
    ),
]

# Invented people: "Delegate Example NNN" style names, never a real person's.
FIRST = [
    "Alba",
    "Bruno",
    "Celia",
    "Dario",
    "Elena",
    "Fabio",
    "Gala",
    "Hugo",
    "Inés",
    "Joel",
    "Kira",
    "Luis",
    "Mara",
    "Nico",
    "Olga",
    "Pablo",
    "Quim",
    "Rosa",
    "Saúl",
    "Tania",
]
COUNTRIES = [
    "CR",
    "MX",
    "GT",
    "HN",
    "SV",
    "NI",
    "PA",
    "CO",
    "PE",
    "EC",
    "BO",
    "BR",
    "AR",
    "UY",
    "CL",
    "PY",
    "DO",
    "JM",
    "TT",
    "HT",
    "US",
    "CA",
    "CH",
    "TH",
]
SECTORS = (
    [Sector.CIVIL_SOCIETY] * 5
    + [Sector.GOVERNMENT] * 3
    + [
        Sector.INTERNATIONAL_AGENCY,
        Sector.INTERNATIONAL_AGENCY,
        Sector.PRIVATE_SECTOR,
        Sector.PRIVATE_SECTOR,
        Sector.ACADEMIA,
        Sector.MEDIA,
    ]
)
DIETS = ["", "", "", "", "Vegetarian", "Vegan", "No gluten", "Halal", "No nuts (allergy)"]
ACCESS = [
    "",
    "",
    "",
    "",
    "",
    "",
    "Wheelchair access",
    "Sign language interpretation",
    "Large-print materials",
]
PEOPLE = 90
OPEN_DAY_GUESTS = 30
INVITEES = 12


@transaction.atomic
def build(*, event: Event) -> None:
    """Closed groups, registration types, and invented participants in every state."""
    load_reference_regions()  # the sub-region table, should it have been emptied
    build_closed_groups(event=event)
    full, open_day = build_registration_types(event=event)
    build_people(event=event, full=full, open_day=open_day)
    build_invitations(event=event, full=full)
    build_signups(event=event)
    build_check_ins(event=event)
    build_groups(event=event)
    build_announcements(event=event, full=full)
    build_certificates(event=event)
    build_directory(event=event)
    build_feedback(event=event)


DEMO_COMMENTS = [
    ("en", "Clear, and the interpretation worked well."),
    ("es", "Muy útil para conocer a otras organizaciones de la región."),
    ("en", ""),
    ("es", "Faltó tiempo para las preguntas."),
]


def build_feedback(*, event: Event) -> None:
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
    for n, person in enumerate(came):
        for session in [None, *sessions]:
            _, created = FeedbackReceipt.objects.get_or_create(
                participant=person, event=event, session=session
            )
            if created:
                language, comment = DEMO_COMMENTS[rng.randrange(len(DEMO_COMMENTS))]
                FeedbackAnswer.objects.create(
                    event=event,
                    session=session,
                    rating=rng.choice([3, 4, 4, 5, 5, 2]),
                    comment=comment,
                    language=language,
                    participant=person if n % 5 == 0 else None,
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


def build_announcements(*, event: Event, full: RegistrationType) -> None:
    """Two published announcements (no email: no demo inbox full of messages)."""
    notices = [
        (
            "Badges and coffee from 8:00",
            "Acreditaciones y café desde las 8:00",
            "Collect your badge at the registration desk from 8:00 on Monday; coffee is served in the Terraza.",
            "Recoja su credencial en el mostrador de acreditación desde las 8:00 del lunes; se sirve café en la Terraza.",
            Announcement.Audience.EVERYONE,
            None,
        ),
        (
            "Working-group rooms are on your page",
            "Las salas de los grupos de trabajo están en su página",
            "Your working group, its room and its facilitator are on your page and in your calendar feed.",
            "Su grupo de trabajo, su sala y su facilitador/a están en su página y en su calendario.",
            Announcement.Audience.TYPE,
            full,
        ),
    ]
    for title_en, title_es, body_en, body_es, audience, registration_type in notices:
        announcement, _ = Announcement.objects.update_or_create(
            event=event,
            title_en=title_en,
            defaults={
                "title_es": title_es,
                "body_en": body_en,
                "body_es": body_es,
                "audience": audience,
                "registration_type": registration_type,
            },
        )
        publish_announcement(announcement=announcement)


def build_closed_groups(*, event: Event) -> None:
    for name, topic_en, topic_es, session_title in CLOSED_GROUPS:
        group, _ = Group.objects.update_or_create(
            event=event,
            name_en=name,
            defaults={
                "name_es": GROUP_NAMES_ES[name],
                "kind": Group.Kind.CLOSED,
                "topic_en": topic_en,
                "topic_es": topic_es,
            },
        )
        for session in Session.objects.filter(event=event, title_en=session_title):
            session.groups.add(group)


def build_registration_types(*, event: Event) -> tuple[RegistrationType, RegistrationType]:
    full, _ = RegistrationType.objects.update_or_create(
        event=event,
        slug="full-dialogue",
        defaults={
            "name_en": "Full Dialogue (5 days, by invitation)",
            "name_es": "Diálogo completo (5 días, por invitación)",
            "description_en": "All five days, by invitation; ECPAT staff approve each registration.",
            "description_es": "Los cinco días, por invitación; el personal de ECPAT aprueba cada inscripción.",
            "is_public": False,
            "grants_participant_access": True,
            "capacity": 120,
            "position": 0,
        },
    )
    full.days.set(EventDay.objects.filter(event=event))
    open_day, _ = RegistrationType.objects.update_or_create(
        event=event,
        slug="open-day",
        defaults={
            "name_en": "Open Day – Travel and Tourism, 4 June (public)",
            "name_es": "Día abierto – Viajes y turismo, 4 de junio (público)",
            "description_en": "The public session on children in travel and tourism, with ICT and the GARA delegations. First come, first served; then a waiting list.",
            "description_es": "La sesión pública sobre niñez en viajes y turismo, con el ICT y las delegaciones GARA. Por orden de llegada; luego lista de espera.",
            "is_public": True,
            "grants_participant_access": False,
            "capacity": 150,
            "position": 1,
        },
    )
    open_day.days.set(EventDay.objects.filter(event=event, is_public=True))
    return full, open_day


def build_people(*, event: Event, full: RegistrationType, open_day: RegistrationType) -> None:
    rng = random.Random(2024)  # the same demo every time
    regions = dict(CountryRegion.objects.values_list("country", "subregion"))
    for n in range(1, PEOPLE + OPEN_DAY_GUESTS + 1):
        guest = n > PEOPLE
        country = rng.choice(COUNTRIES)
        participant = _person(n, guest, country, regions.get(country, "other"), rng)
        status = _demo_status(n) if not guest else Registration.Status.APPROVED
        Registration.objects.get_or_create(
            participant=participant,
            event=event,
            defaults={"type": open_day if guest else full, "status": status},
        )
    _recount(event)


def build_signups(*, event: Event, per_session: int = 12) -> None:
    """The first approved delegates sign up for the sessions that need a sign-up, so the
    personal schedule has something to show for them."""
    delegates = list(
        Participant.objects.filter(
            pk__in=Registration.objects.approved_for(event).values("participant_id")
        )
        .filter(user__username__startswith="delegate")
        .order_by("user__username")[:per_session]
    )
    for session in Session.objects.filter(event=event, signup_required=True):
        for participant in delegates:
            SessionSignup.objects.get_or_create(participant=participant, session=session)
        # Written directly (the demo's dates may be past, when the service refuses), so
        # the seat counter is set from the rows, as the sign-up services keep it.
        Session.objects.filter(pk=session.pk).update(
            signup_count=session.signups.filter(status=SessionSignup.Status.CONFIRMED).count()
        )


def _person(n: int, guest: bool, country: str, subregion: str, rng: random.Random) -> Participant:
    User = get_user_model()
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
            "badge_name": f"{FIRST[n % len(FIRST)]} {label} Example {n:03d}",
            "organisation": f"Example {rng.choice(['Network', 'Foundation', 'Ministry', 'Agency', 'Institute'])} {n % 17 + 1}",
            "sector": rng.choice(SECTORS),
            "country": country,
            "subregion": subregion,
            "preferred_language": "es" if rng.random() < 0.6 else "en",
            "languages_spoken": ["es", "en"]
            if rng.random() < 0.5
            else [rng.choice(["es", "en", "pt", "fr"])],
            "dietary_needs": rng.choice(DIETS),
            "accessibility_needs": rng.choice(ACCESS),
        },
    )
    return participant


def _demo_status(n: int) -> str:
    if n % 15 == 0:
        return Registration.Status.SUBMITTED
    if n % 29 == 0:
        return Registration.Status.DECLINED
    return Registration.Status.APPROVED


def _recount(event: Event) -> None:
    """Keep each type's approved counter equal to its approved registrations."""
    counts = dict(
        Registration.objects.approved_for(event)
        .order_by()
        .values("type_id")
        .annotate(n=Count("pk"))
        .values_list("type_id", "n")
    )
    for type_id in RegistrationType.objects.filter(event=event).values_list("pk", flat=True):
        RegistrationType.objects.filter(pk=type_id).update(approved_count=counts.get(type_id, 0))


def build_invitations(*, event: Event, full: RegistrationType) -> None:
    """Invitations not yet used, valid for a month from now so their links work in a demo.
    No email is queued: nobody is behind these addresses."""
    for n in range(1, INVITEES + 1):
        Invitation.objects.get_or_create(
            event=event,
            email=f"invitee{n:03d}@example.org",
            defaults={
                "type": full,
                "name": f"{FIRST[n % len(FIRST)]} Invitee Example {n:03d}",
                "organisation": f"Example Alliance {n % 5 + 1}",
                "expires_at": clock.now() + timedelta(days=30),
            },
        )


# (name, topic EN, topic ES, room, working languages, interpreting languages)
WORKING_GROUPS = [
    (
        "Online exploitation and technology",
        "How technology facilitates sexual exploitation of children online, and online safety.",
        "Cómo la tecnología facilita la explotación sexual infantil en línea, y la seguridad en línea.",
        "Sala Arenal",
        ["es"],
        [],
    ),
    (
        "Travel and tourism",
        "Sexual exploitation of children in travel and tourism; the sector's responsibilities.",
        "Explotación sexual infantil en viajes y turismo; las responsabilidades del sector.",
        "Sala Tortuguero",
        ["es"],
        ["en", "pt"],
    ),
    (
        "Migration and children on the move",
        "Unaccompanied, separated and migrant children: protection and documentation.",
        "Niñez no acompañada, separada y migrante: protección y documentación.",
        "Sala Monteverde",
        ["es"],
        [],
    ),
    (
        "Data and evidence",
        "Closing the data gaps on child sexual abuse and exploitation in the region.",
        "Cerrar las brechas de datos sobre abuso y explotación sexual infantil en la región.",
        "Sala Corcovado",
        ["en"],
        ["es"],
    ),
    (
        "Access to justice",
        "Access to justice and remedies for child victims and survivors.",
        "Acceso a la justicia y reparación para víctimas y sobrevivientes.",
        "Sala Guanacaste",
        ["es"],
        ["pt"],
    ),
    (
        "Prevention and sexual education",
        "Prevention, awareness and comprehensive sexual education.",
        "Prevención, sensibilización y educación sexual integral.",
        "Terraza",
        ["en", "es"],
        ["fr"],
    ),
]
WORKING_GROUP_CAPACITY = 16
CAFE_TABLES = [
    ("Safety by design on platforms", "Seguridad desde el diseño en las plataformas"),
    ("Codes of conduct in tourism", "Códigos de conducta en el turismo"),
    ("Safe referral for children on the move", "Derivación segura para la niñez en movilidad"),
    ("What we should be counting", "Qué deberíamos estar contando"),
    ("Justice that listens to children", "Una justicia que escucha a la niñez"),
    ("Talking about sexual education", "Hablar de educación sexual"),
]


def build_groups(*, event: Event) -> None:
    """Working groups with a computed, published assignment of the approved delegates,
    closed-group members, and a World Café with hosts and a published plan. Idempotent:
    the assignment and the rotation are deterministic."""
    delegates = list(
        Participant.objects.filter(
            pk__in=Registration.objects.approved_for(event)
            .filter(type__slug="full-dialogue")
            .values("participant_id")
        ).order_by("pk")
    )
    groups = _working_groups(event, facilitators=delegates[: len(WORKING_GROUPS)])
    _topic_preferences(delegates, groups)
    propose_working_groups(event=event)
    publish_working_groups(event=event, notify=False)  # no demo inbox full of emails
    _closed_memberships(event, delegates)
    _world_cafe(event, hosts=delegates[len(WORKING_GROUPS) : len(WORKING_GROUPS) + 6])


def _working_groups(event: Event, *, facilitators: list[Participant]) -> list[Group]:
    groups = []
    for (name, topic_en, topic_es, room, languages, interpreted), facilitator in zip(
        WORKING_GROUPS, facilitators, strict=True
    ):
        group, _ = Group.objects.update_or_create(
            event=event,
            name_en=name,
            defaults={
                "name_es": GROUP_NAMES_ES[name],
                "kind": Group.Kind.WORKING,
                "topic_en": topic_en,
                "topic_es": topic_es,
                "room": Room.objects.filter(event=event, name=room).first(),
                "capacity": WORKING_GROUP_CAPACITY,
                "working_languages": languages,
                "interpreter_languages": interpreted,
                "facilitator": facilitator,
            },
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
    for participant in delegates[len(WORKING_GROUPS) :: 3]:
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


def _world_cafe(event: Event, *, hosts: list[Participant]) -> None:
    session = Session.objects.filter(event=event, kind=Session.Kind.WORLD_CAFE).first()
    if session is None:
        return
    cafe, _ = WorldCafe.objects.get_or_create(
        session=session, defaults={"rounds": 3, "round_minutes": 30}
    )
    for number, ((topic_en, topic_es), host) in enumerate(
        zip(CAFE_TABLES, hosts, strict=True), start=1
    ):
        WorldCafeTable.objects.update_or_create(
            cafe=cafe,
            number=number,
            defaults={"topic_en": topic_en, "topic_es": topic_es, "host": host},
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
            CheckIn.objects.get_or_create(
                registration=registration, day=day.date, defaults={"checked_in_at": arrived}
            )
