"""One event with content of every audience and one user per role of the access matrix.

Every title carries a code word of its own (an animal of Costa Rica), so a test can say
"this word is nowhere in the page" for whatever a role may not see.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile

from documents.models import Document
from documents.samples import png_image, text_pdf
from documents.services import add_document_file
from events.models import Session, SessionSpeaker, Speaker
from participants.certificates.services import issue_certificate, request_letter
from participants.models import Group, Participant, Registration
from participants.roles import CONTENT_EDITOR, ORGANISER, VIEWER
from sanjose import clock
from tests.factories import (
    CheckInFactory,
    DocumentFactory,
    EventDayFactory,
    EventFactory,
    GroupFactory,
    InvitationFactory,
    MembershipFactory,
    ParticipantFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    UserFactory,
)
from tests.signin import sign_in_staff

ZONE = ZoneInfo("America/Costa_Rica")
MONDAY, TUESDAY = date(2024, 6, 3), date(2024, 6, 4)
SEARCH_WORD = "zorblax"

# The rows of the matrix: anonymous, the people (each with a participant profile), then
# one row per entry of STAFF_ROWS below.
PEOPLE = ["account", "pending", "participant", "guest", "member", "former_member"]


@dataclass(frozen=True)
class StaffRow:
    """How to build a staff user for a row: a Django group (created if missing) and/or
    permissions as "app_label.codename". The staff-roles work adds its rows here."""

    group: str = ""
    permissions: tuple[str, ...] = ()
    # Signed in with a second factor (sanjose/mfa.py), as staff must be for /admin/, /staff/.
    two_factor: bool = True


# "staff" is full staff for an event: the organiser role (participants/roles.py), signed
# in with two factors. The other rows are roles that may do less, and an organiser whose
# session gave no second factor; test_access_matrix lists what they answer otherwise.
STAFF_ROWS = {
    "staff": StaffRow(group=ORGANISER),
    "staff:viewer": StaffRow(group=VIEWER),
    "staff:content editor": StaffRow(group=CONTENT_EDITOR),
    "staff:no two-factor": StaffRow(group=ORGANISER, two_factor=False),
}
ROLES = ["anonymous", *PEOPLE, *STAFF_ROWS]


def make_staff_user(username: str, row: StaffRow):
    """A staff account with exactly the row's group and permissions."""
    user = UserFactory(username=username, is_staff=True)
    permissions = [_permission(name) for name in row.permissions]
    if row.group:
        group, _created = AuthGroup.objects.get_or_create(name=row.group)
        group.permissions.add(*permissions)
        user.groups.add(group)
    else:
        user.user_permissions.add(*permissions)
    return user


def _permission(name: str) -> Permission:
    app_label, codename = name.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@dataclass
class World:
    event: object
    monday: object
    tuesday: object
    full_type: object
    open_day_type: object
    closed_group: Group
    other_group: Group
    sessions: dict[str, Session]
    documents: dict[str, Document]
    people: dict[str, Participant | None]
    users: dict
    invitation: object
    words: dict[str, str] = field(default_factory=dict)  # object name -> its code word
    # One speaker per session, named with the session's code word ("Toucan Speaker"), with
    # a photo shown by consent (but "public_monday"'s: on file without consent), and
    # "shared", who speaks in the public and the closed session.
    speakers: dict[str, Speaker] = field(default_factory=dict)

    def login(self, client, who: str):
        user = self.users[who]
        if who in STAFF_ROWS:
            sign_in_staff(client, user, two_factor=STAFF_ROWS[who].two_factor)
        elif user is not None:
            client.force_login(user)
        return client


# name: (code word, day, audience, groups)
SESSIONS = {
    "public": ("Quetzal", TUESDAY, Session.Audience.PUBLIC, ()),
    "public_monday": ("Tapir", MONDAY, Session.Audience.PUBLIC, ()),
    "participants_tuesday": ("Jaguar", TUESDAY, Session.Audience.PARTICIPANTS, ()),
    "participants": ("Ocelot", MONDAY, Session.Audience.PARTICIPANTS, ()),
    "closed": ("Toucan", TUESDAY, Session.Audience.GROUPS, ("closed",)),
    "other_closed": ("Manatee", MONDAY, Session.Audience.GROUPS, ("other",)),
}
# name: (code word, access, groups, sessions it belongs to)
DOCUMENTS = {
    "public_doc": ("Heron", Document.Access.PUBLIC, (), ("public",)),
    "participant_doc": ("Iguana", Document.Access.PARTICIPANTS, (), ("public", "participants")),
    "group_doc": ("Kinkajou", Document.Access.GROUPS, ("closed",), ("closed",)),
    "other_group_doc": ("Coati", Document.Access.GROUPS, ("other",), ("other_closed",)),
    "staff_doc": ("Capybara", Document.Access.STAFF, (), ()),
}
GROUP_WORDS = {"closed": "Armadillo", "other": "Margay"}


def _session(event, days, rooms, name: str) -> Session:
    word, day, audience, _groups = SESSIONS[name]
    hour = 9 + list(SESSIONS).index(name)
    starts = datetime.combine(day, datetime.min.time(), tzinfo=ZONE) + timedelta(hours=hour)
    return SessionFactory(
        event=event,
        day=days[day],
        room=rooms[audience == Session.Audience.GROUPS],
        starts_at=starts,
        ends_at=starts + timedelta(minutes=50),
        title_en=f"{word} session",
        title_es=f"Sesión {word}",
        audience=audience,
        kind=(
            Session.Kind.CLOSED_MEETING
            if audience == Session.Audience.GROUPS
            else Session.Kind.PANEL
        ),
    )


def _speakers(event, sessions: dict[str, Session]) -> dict[str, Speaker]:
    speakers = {}
    for name, session in sessions.items():
        word = SESSIONS[name][0]
        speaker = SpeakerFactory(
            event=event, name=f"{word} Speaker", photo_consent=name != "public_monday"
        )
        speaker.photo.save(f"{name}.png", ContentFile(png_image(word, size=(80, 80))))
        SessionSpeaker.objects.create(session=session, speaker=speaker)
        speakers[name] = speaker
    speakers["shared"] = SpeakerFactory(event=event, name="Pat Shared")
    for name in ("public", "closed"):
        SessionSpeaker.objects.create(
            session=sessions[name], speaker=speakers["shared"], position=1
        )
    return speakers


def _store(document: Document, text: str, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        add_document_file(
            document=document,
            language="en",
            upload=ContentFile(text_pdf("Report", [text]), name="report-en.pdf"),
        )


@pytest.fixture
def world(db, private_media, django_capture_on_commit_callbacks) -> World:
    event = EventFactory(is_current=True, slug="san-jose-matrix")
    monday = EventDayFactory(event=event, date=MONDAY, title_en="Shared understanding")
    tuesday = EventDayFactory(event=event, date=TUESDAY, title_en="Open day", is_public=True)
    days = {MONDAY: monday, TUESDAY: tuesday}
    rooms = {
        False: RoomFactory(event=event, name="Sala Guanacaste", position=0),
        True: RoomFactory(event=event, name="Sala Monteverde", position=1),
    }
    full_type = RegistrationTypeFactory(event=event, slug="full-dialogue", is_public=False)
    full_type.days.set([monday, tuesday])
    open_day_type = RegistrationTypeFactory(event=event, slug="open-day", is_public=True)
    open_day_type.days.set([tuesday])
    groups = {
        key: GroupFactory(event=event, kind=Group.Kind.CLOSED, name=f"{word} caucus")
        for key, word in GROUP_WORDS.items()
    }
    sessions = {name: _session(event, days, rooms, name) for name in SESSIONS}
    for name, (_word, _day, _audience, group_keys) in SESSIONS.items():
        sessions[name].groups.set([groups[key] for key in group_keys])
    speakers = _speakers(event, sessions)
    documents = {}
    for name, (word, access, group_keys, session_names) in DOCUMENTS.items():
        document = DocumentFactory(
            event=event,
            title_en=f"{word} document",
            title_es=f"Documento {word}",
            access=access,
            published_at=clock.now() - timedelta(hours=1),
        )
        document.groups.set([groups[key] for key in group_keys])
        document.sessions.set([sessions[s] for s in session_names])
        _store(
            document,
            f"The word {SEARCH_WORD} is in the {word} file.",
            django_capture_on_commit_callbacks,
        )
        documents[name] = document

    people: dict[str, Participant | None] = {"anonymous": None, **dict.fromkeys(STAFF_ROWS)}
    registrations = {
        "pending": (full_type, Registration.Status.SUBMITTED),
        "participant": (full_type, Registration.Status.APPROVED),
        "guest": (open_day_type, Registration.Status.APPROVED),
        "member": (full_type, Registration.Status.APPROVED),
        "former_member": (full_type, Registration.Status.CANCELLED),
    }
    for who in PEOPLE:
        people[who] = ParticipantFactory(
            user=UserFactory(username=who), badge_name=f"{who.replace('_', ' ').title()} Example"
        )
        if who in registrations:
            registration_type, status = registrations[who]
            RegistrationFactory(
                participant=people[who], event=event, type=registration_type, status=status
            )
    for who in ("member", "former_member"):
        MembershipFactory(participant=people[who], group=groups["closed"])
    people["member"].photo.save("member.png", ContentFile(png_image("Member", size=(120, 80))))
    # The member came on Monday (a certificate of attendance); the participant has an
    # invitation letter (issued at once: the full Dialogue's type).
    attended = Registration.objects.get(participant=people["member"])
    CheckInFactory(registration=attended, day=MONDAY)
    issue_certificate(registration=attended)
    request_letter(
        registration=Registration.objects.get(participant=people["participant"]),
        passport_name="Participant Example",
        nationality="CR",
    )
    users = {who: (person.user if person else None) for who, person in people.items()}
    for name, row in STAFF_ROWS.items():
        users[name] = make_staff_user(name, row)
    invitation = InvitationFactory(event=event, type=full_type, email="invitee@example.org")
    words = {name: spec[0] for name, spec in {**SESSIONS, **DOCUMENTS}.items()}
    words.update({f"group:{key}": word for key, word in GROUP_WORDS.items()})
    return World(
        event=event,
        monday=monday,
        tuesday=tuesday,
        full_type=full_type,
        open_day_type=open_day_type,
        closed_group=groups["closed"],
        other_group=groups["other"],
        sessions=sessions,
        documents=documents,
        people=people,
        users=users,
        invitation=invitation,
        words=words,
        speakers=speakers,
    )
