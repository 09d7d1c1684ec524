"""The access matrix of docs/architecture.md for every URL of the URL map, role by role.

Each role is one test that requests every URL and lists every answer that differs from
the matrix (an exact status code) or that names something the role may not see (the code
word of a session, document or group in the body of a page, a feed, a search result or an
export). What a viewer may not see does not exist for them: its page answers 404, and its
title is nowhere.

A staff role is a row of `STAFF_ROWS` (tests/security/conftest.py): a Django group and
permissions. A row that may do less than full staff lists the URLs it answers differently
in `STAFF_EXCEPTIONS`.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from icalendar import Calendar

from participants.certificates.services import verification_code
from participants.models import BulkJob, Certificate, CertificateKind, Registration
from participants.notifications.services import unsubscribe_token

from .conftest import (
    DOCUMENTS,
    GROUP_WORDS,
    PEOPLE,
    ROLES,
    SEARCH_WORD,
    SESSIONS,
    STAFF_ROWS,
    World,
)

PUBLIC_LEVEL = {"anonymous", "account", "pending", "guest", "former_member"}


def column(role: str) -> str:
    """The column of the access table (docs/architecture.md) a role falls in ("staff" rows)."""
    return "staff" if role in STAFF_ROWS else role


# What each column sees in full (pages, lists, search); the rest does not exist for it.
SEES_SESSIONS = {
    **dict.fromkeys(PUBLIC_LEVEL, {"public", "public_monday"}),
    "participant": {"public", "public_monday", "participants_tuesday", "participants"},
    "member": {"public", "public_monday", "participants_tuesday", "participants", "closed"},
    "staff": set(SESSIONS),
}
SEES_DOCUMENTS = {
    **dict.fromkeys(PUBLIC_LEVEL, {"public_doc"}),
    "participant": {"public_doc", "participant_doc"},
    "member": {"public_doc", "participant_doc", "group_doc"},
    "staff": set(DOCUMENTS),
}
SEES_GROUPS = {
    **dict.fromkeys(PUBLIC_LEVEL | {"participant"}, set()),
    "member": {"closed"},
    "staff": set(GROUP_WORDS),
}
# Closed meetings the agenda shows as a bare "Closed meeting" slot (time and room only).
SLOTS = {"participant": {"closed", "other_closed"}, "member": {"other_closed"}}
# What each person's own schedule and calendar feed hold.
SCHEDULE = {
    "account": {"public", "public_monday"},
    "pending": {"public", "public_monday"},
    "former_member": {"public", "public_monday"},
    "guest": {"public"},  # the open day's public sessions only
    "participant": SEES_SESSIONS["participant"],
    "member": SEES_SESSIONS["member"],
}
# /me/: the documents of my sessions that I may see.
ME_DOCUMENTS = {
    "account": {"public_doc"},
    "pending": {"public_doc"},
    "former_member": {"public_doc"},
    "guest": {"public_doc"},
    "participant": {"public_doc", "participant_doc"},
    "member": {"public_doc", "participant_doc", "group_doc"},
}

SIGN_IN, FORBIDDEN, MISSING, OK = 302, 403, 404, 200


@dataclass(frozen=True)
class Url:
    label: str
    path: Callable[[World, str], str]
    status: Callable[[str], int]  # of the role's column


def everyone(status: int) -> Callable[[str], int]:
    return lambda col: status


def signed_in(status: int = OK, **by_column: int) -> Callable[[str], int]:
    """Anonymous visitors are sent to sign in; the columns named answer as given."""
    return lambda col: SIGN_IN if col == "anonymous" else by_column.get(col, status)


def staff_only(col: str) -> int:
    return {"anonymous": SIGN_IN, "staff": OK}.get(col, FORBIDDEN)


def sees(table: dict, name: str) -> Callable[[str], int]:
    return lambda col: OK if name in table[col] else MISSING


def admin_status(col: str, staff: int) -> int:
    return staff if col == "staff" else SIGN_IN


def bulk_job_path(world: World) -> str:
    """The page of a finished invitation import of the world's event."""
    job, _created = BulkJob.objects.get_or_create(
        kind=BulkJob.Kind.INVITATION_IMPORT,
        event=world.event,
        defaults={"state": BulkJob.State.DONE, "result": {"created": 0, "refused": []}},
    )
    return f"/admin/participants/bulkjob/{job.pk}/"


def fixed(path: str) -> Callable[[World, str], str]:
    return lambda world, role: path


def own_token(world: World, role: str) -> str:
    person = world.people.get(role)
    return person.calendar_token if person else "no-such-token"


def own_unsubscribe(world: World, role: str) -> str:
    person = world.people.get(role) or world.people["participant"]
    token = unsubscribe_token(participant_id=person.pk, kind="daily_digest")
    return f"/me/notifications/unsubscribe/{token}/"


def members_certificate(world: World, role: str) -> str:
    registration = Registration.objects.get(participant=world.people["member"])
    return f"/me/certificates/{registration.pk}/en/"


def certificate_check(world: World, role: str) -> str:
    certificate = Certificate.objects.get(kind=CertificateKind.ATTENDANCE)
    return f"/verify/{verification_code(certificate)}/"


def export(name: str) -> Callable[[World, str], str]:
    return lambda world, role: f"/staff/exports/{name}?event={world.event.pk}"


URLS = [
    Url("home", fixed("/"), everyone(OK)),
    Url("agenda", fixed("/agenda/"), everyone(OK)),
    *[
        Url(
            f"session:{name}",
            lambda world, role, name=name: world.sessions[name].get_absolute_url(),
            sees(SEES_SESSIONS, name),
        )
        for name in SESSIONS
    ],
    # A speaker exists for a viewer who may see one of their sessions; the photo only
    # with consent (public_monday's speaker gave none).
    Url("speakers", fixed("/agenda/speakers/"), everyone(OK)),
    *[
        Url(
            f"{what}:{name}",
            lambda world, role, name=name, suffix=suffix: (
                world.speakers[name].get_absolute_url() + suffix
            ),
            sees(SEES_SESSIONS, name)
            if what == "speaker" or name != "public_monday"
            else everyone(MISSING),
        )
        for name in SESSIONS
        for what, suffix in [("speaker", ""), ("speaker photo", "photo/")]
    ],
    Url(
        "speaker of a public and a closed session",
        lambda world, role: world.speakers["shared"].get_absolute_url(),
        everyone(OK),
    ),
    Url(
        "photo of a speaker without one",
        lambda world, role: world.speakers["shared"].get_absolute_url() + "photo/",
        everyone(MISSING),
    ),
    Url("agenda.ics", fixed("/agenda.ics"), everyone(OK)),
    Url("open-day", fixed("/open-day/"), everyone(OK)),
    # Registered people are sent to /me/; a cancelled one may register again; staff
    # without a profile are sent to fill one in first.
    Url(
        "register",
        fixed("/register/"),
        signed_in(SIGN_IN, account=OK, former_member=OK),
    ),
    Url("me", fixed("/me/"), signed_in(OK, staff=SIGN_IN)),
    Url("me/profile", fixed("/me/profile/"), signed_in()),
    Url("me/schedule", fixed("/me/schedule/"), signed_in()),
    Url(
        "me/cancel",
        fixed("/me/cancel/"),
        signed_in(OK, account=MISSING, former_member=MISSING, staff=MISSING),
    ),
    Url("me/badge", fixed("/me/badge/"), signed_in()),
    Url("me/notifications", fixed("/me/notifications/"), signed_in()),
    # The directory is for the event's approved participants (and staff); anyone with a
    # profile may give or withdraw consent (staff have none).
    Url(
        "directory",
        fixed("/directory/"),
        signed_in(MISSING, participant=OK, member=OK, staff=OK),
    ),
    Url("me/directory", fixed("/me/directory/"), signed_in(OK, staff=MISSING)),
    # The member's certificate of attendance is the member's only; the letter page needs
    # a profile (staff have none: sent to fill one in); the participant's letter is theirs.
    Url("certificate of the member", members_certificate, signed_in(MISSING, member=OK)),
    Url("me/letter", fixed("/me/letter/"), signed_in(OK, staff=SIGN_IN)),
    Url("me/letter pdf", fixed("/me/letter/en/"), signed_in(MISSING, participant=OK)),
    # Feedback: the member came on Monday (checked in), so may evaluate the event and
    # Monday's sessions they see; nobody else came. Staff have no profile.
    Url("me/feedback", fixed("/me/feedback/"), signed_in(OK, staff=MISSING)),
    Url("me/feedback/event", fixed("/me/feedback/event/"), signed_in(MISSING, member=OK)),
    *[
        Url(
            f"feedback on session:{name}",
            lambda world, role, name=name: f"/me/feedback/sessions/{world.sessions[name].pk}/",
            signed_in(MISSING, member=OK if name in ("participants", "public_monday") else MISSING),
        )
        for name in SESSIONS
    ],
    Url("verify", fixed("/verify/"), everyone(OK)),
    Url("verify a code", certificate_check, everyone(OK)),
    Url("verify a made-up code", fixed("/verify/AAAA-BBBB-CCCC-DDDD/"), everyone(OK)),
    Url("me/notifications/unsubscribe", own_unsubscribe, everyone(OK)),
    Url(
        "calendar feed",
        lambda world, role: f"/calendar/{own_token(world, role)}.ics",
        lambda col: MISSING if col in {"anonymous", "staff"} else OK,
    ),
    Url(
        "invitation",
        lambda world, role: world.invitation.get_absolute_url(),
        # Bound to the invitee's email: the page invites the anonymous visitor to sign up,
        # and refuses any account that does not hold the invited address (nobody here).
        lambda col: OK if col == "anonymous" else FORBIDDEN,
    ),
    Url(
        "photo of the member",
        lambda world, role: f"/photos/{world.people['member'].pk}/",
        signed_in(MISSING, member=OK, staff=OK),
    ),
    Url("documents", fixed("/documents/"), everyone(OK)),
    Url("documents search", fixed(f"/documents/?q={SEARCH_WORD}"), everyone(OK)),
    *[
        Url(
            f"{what}:{name}",
            lambda world, role, name=name, suffix=suffix: (
                f"/documents/{world.documents[name].pk}/{suffix}"
            ),
            sees(SEES_DOCUMENTS, name),
        )
        for name in DOCUMENTS
        for what, suffix in [
            ("document", ""),
            ("download", "download/en/"),
            ("thumbnail", "thumbnail/en/"),
        ]
    ],
    Url("staff", fixed("/staff/"), staff_only),
    Url("staff/exports", fixed("/staff/exports/"), staff_only),
    Url("attendees.csv", export("attendees.csv"), staff_only),
    Url("attendees.xlsx", export("attendees.xlsx"), staff_only),
    Url("catering.csv", export("catering.csv"), staff_only),
    Url("accessibility.xlsx", export("accessibility.xlsx"), staff_only),
    Url("staff/feedback", fixed("/staff/feedback/"), staff_only),
    Url("feedback.csv", export("feedback.csv"), staff_only),
    Url("feedback.xlsx", export("feedback.xlsx"), staff_only),
    Url("staff/checkin", fixed("/staff/checkin/"), staff_only),
    Url("admin", fixed("/admin/"), lambda col: OK if col == "staff" else SIGN_IN),
    Url(
        "admin registrations",
        fixed("/admin/participants/registration/"),
        lambda col: OK if col == "staff" else SIGN_IN,
    ),
    *[
        Url(
            f"admin {name}",
            fixed(f"/admin/participants/{model}/"),
            lambda col: OK if col == "staff" else SIGN_IN,
        )
        for name, model in [
            ("certificate templates", "certificatetemplate"),
            ("certificates", "certificate"),
            ("letter requests", "letterrequest"),
        ]
    ],
    # A long job's page follows the permissions of what it does (an import: those of
    # invitations, which the content editor has not); resuming is a POST.
    Url("admin long job", lambda w, r: bulk_job_path(w), lambda col: admin_status(col, OK)),
    Url(
        "admin long job resume",
        lambda w, r: bulk_job_path(w) + "resume/",
        lambda col: admin_status(col, 405),
    ),
    Url(
        "admin long jobs",
        fixed("/admin/participants/bulkjob/"),
        lambda col: admin_status(col, OK),
    ),
    Url("healthz", fixed("/healthz"), everyone(OK)),
    # The installable app: one worker, the manifest and the offline page, the same for
    # everyone (the worker's own rules keep personal pages only for a signed-in viewer).
    Url("sw.js", fixed("/sw.js"), everyone(OK)),
    Url("manifest", fixed("/manifest.webmanifest"), everyone(OK)),
    Url("manifest in Spanish", fixed("/manifest.webmanifest?lang=es"), everyone(OK)),
    Url("offline", fixed("/offline/"), everyone(OK)),
    Url("login", fixed("/accounts/login/"), lambda col: OK if col == "anonymous" else SIGN_IN),
    # The language switch answers everyone alike: the cookie, then back (last: it turns
    # the client's language to Spanish).
    Url("language switch", fixed("/lang/es/?next=/agenda/"), everyone(302)),
    Url("language switch: unknown", fixed("/lang/xx/?next=/agenda/"), everyone(MISSING)),
]

# Staff rows that answer some URLs otherwise than full staff: {row: {url label: status}}.
# (tests/security/test_staff_roles.py walks every staff URL with every role, the
# registration desk too, whose library differs from full staff's.)
EXPORTS = [
    "staff/exports",
    "attendees.csv",
    "attendees.xlsx",
    "catering.csv",
    "accessibility.xlsx",
    "feedback.csv",
    "feedback.xlsx",
]
# Issued certificates and letter requests (passport details): organisers only.
LETTERS = ["admin certificates", "admin letter requests"]
STAFF_PAGES = [
    "staff",
    *EXPORTS,
    "staff/checkin",
    "admin",
    "admin registrations",
    "admin certificate templates",
    "staff/feedback",
    "admin long job",
    "admin long job resume",
    "admin long jobs",
    *LETTERS,
]
STAFF_EXCEPTIONS: dict[str, dict[str, int]] = {
    # Reads everything, the numbers too; exports nothing, checks nobody in.
    "staff:viewer": {
        **dict.fromkeys([*EXPORTS, *LETTERS], FORBIDDEN),
        "staff/checkin": FORBIDDEN,
    },
    # The agenda and the library: no people, no numbers.
    "staff:content editor": {
        **dict.fromkeys(
            ["staff", "staff/feedback", *EXPORTS, "staff/checkin", *LETTERS], FORBIDDEN
        ),
        "admin registrations": FORBIDDEN,
        "admin long job": FORBIDDEN,
        "photo of the member": MISSING,
    },
    # No second factor in this session: every staff page sends to set one up first.
    "staff:no two-factor": dict.fromkeys(STAFF_PAGES, SIGN_IN),
}


def expected_status(url: Url, role: str) -> int:
    return STAFF_EXCEPTIONS.get(role, {}).get(url.label, url.status(column(role)))


def hidden_words(role: str) -> set[str]:
    """The code words of everything the role may not see."""
    col = column(role)
    sessions = {SESSIONS[n][0] for n in set(SESSIONS) - SEES_SESSIONS[col]}
    documents = {DOCUMENTS[n][0] for n in set(DOCUMENTS) - SEES_DOCUMENTS[col]}
    groups = {GROUP_WORDS[g] for g in set(GROUP_WORDS) - SEES_GROUPS[col]}
    return sessions | documents | groups


def body_text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    content_type = response.get("Content-Type", "")
    if content_type.startswith(("text/", "application/json")):
        return response.content.decode(errors="replace")
    return ""  # files: the download's own content is the document the rule allowed


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_the_matrix_says(client, world, role):
    world.login(client, role)
    wrong, leaks = [], []

    for url in URLS:
        path = url.path(world, role)
        response = client.get(path)
        expected = expected_status(url, role)
        if response.status_code != expected:
            wrong.append((url.label, path, expected, response.status_code))
        text = body_text(response)
        leaks += [(url.label, word) for word in sorted(hidden_words(role)) if word in text]

    assert wrong == []
    assert leaks == []


def test_the_matrix_covers_every_path_of_the_url_map():
    labels = {url.label for url in URLS}
    url_map = {
        "home", "agenda", "agenda.ics", "open-day", "register", "me", "me/schedule",
        "calendar feed", "documents", "attendees.csv", "attendees.xlsx", "staff/checkin",
        "admin", "healthz",
    }  # fmt: skip
    assert url_map <= labels
    assert {f"session:{name}" for name in SESSIONS} <= labels
    for what in ("document", "download"):
        assert {f"{what}:{name}" for name in DOCUMENTS} <= labels


def test_every_role_is_a_row():
    assert ["anonymous", *PEOPLE, *STAFF_ROWS] == ROLES
    assert set(STAFF_EXCEPTIONS) <= set(STAFF_ROWS)


# --- What the pages that list things list ---------------------------------------------------


def titles_in(html: str, names, table) -> set[str]:
    return {name for name in names if table[name][0] in html}


@pytest.mark.parametrize("role", ROLES)
def test_agenda_lists_what_the_role_sees_and_closed_slots_without_their_title(client, world, role):
    world.login(client, role)

    html = client.get("/agenda/").content.decode()

    assert titles_in(html, SESSIONS, SESSIONS) == SEES_SESSIONS[column(role)]
    slots = SLOTS.get(column(role), set())
    closed_seen = {n for n in SEES_SESSIONS[column(role)] if SESSIONS[n][2] == "groups"}
    # A bare slot says "Closed meeting"; a closed meeting seen in full carries it as a badge.
    assert html.count("Closed meeting") == len(slots) + len(closed_seen)
    assert ("Sala Monteverde" in html) == bool(slots or column(role) == "staff")


@pytest.mark.parametrize("role", ROLES)
def test_speakers_are_those_of_sessions_the_role_sees_with_only_those_sessions(client, world, role):
    world.login(client, role)
    seen = SEES_SESSIONS[column(role)]

    listed = client.get("/agenda/speakers/").context["speakers"]
    parts = client.get(world.speakers["shared"].get_absolute_url()).context["parts"]

    assert {s.name for s in listed} == {f"{SESSIONS[n][0]} Speaker" for n in seen} | {"Pat Shared"}
    assert {p.session.title_en for p in parts} == {
        f"{SESSIONS[n][0]} session" for n in {"public", "closed"} & seen
    }


@pytest.mark.parametrize("role", ROLES)
def test_library_and_search_list_what_the_role_sees_with_its_count(client, world, role):
    world.login(client, role)
    expected = {f"{DOCUMENTS[name][0]} document" for name in SEES_DOCUMENTS[column(role)]}

    for query in ({}, {"q": SEARCH_WORD}):
        response = client.get("/documents/", query)

        assert {d.title_en for d in response.context["page"].object_list} == expected
        assert response.context["page"].paginator.count == len(expected)


@pytest.mark.parametrize("role", ROLES)
def test_library_filters_offer_no_session_the_role_may_not_see(client, world, role):
    world.login(client, role)

    html = client.get("/documents/").content.decode()

    for name in set(SESSIONS) - SEES_SESSIONS[column(role)]:
        assert SESSIONS[name][0] not in html, name


@pytest.mark.parametrize("role", PEOPLE)
def test_personal_schedule_and_feed_hold_what_applies_to_the_person(client, world, role):
    world.login(client, role)
    person = world.people[role]
    expected = {SESSIONS[name][0] for name in SCHEDULE[role]}

    feed = Calendar.from_ical(client.get(f"/calendar/{person.calendar_token}.ics").content)
    schedule = client.get("/me/schedule/").context["schedule"]

    assert {str(e["SUMMARY"]).split()[0] for e in feed.walk("VEVENT")} == expected
    days = ([schedule.today] if schedule.today else []) + schedule.upcoming + schedule.past
    assert {s.title_en.split()[0] for day in days for s in day.sessions} == expected


@pytest.mark.parametrize("role", PEOPLE)
def test_me_lists_the_documents_of_my_sessions_that_i_may_see(client, world, role):
    world.login(client, role)

    response = client.get("/me/")

    listed = {d.title_en.split()[0] for d in response.context["sections"]["documents"]}
    assert listed == {DOCUMENTS[name][0] for name in ME_DOCUMENTS[role]}


@pytest.mark.parametrize("role", ROLES)
def test_the_public_feed_is_the_same_public_agenda_for_every_role(client, world, role):
    world.login(client, role)

    feed = Calendar.from_ical(client.get("/agenda.ics").content)

    assert {str(e["SUMMARY"]).split()[0] for e in feed.walk("VEVENT")} == {"Quetzal", "Tapir"}


def test_pages_seen_in_turn_by_every_role_never_leak_through_a_cache(client, world):
    """One client, every role in turn, twice round: whatever is cached for one audience
    never reaches another."""
    pages = [
        "/",
        "/agenda/",
        "/documents/",
        f"/documents/?q={SEARCH_WORD}",
        "/open-day/",
        "/agenda.ics",
        world.sessions["public"].get_absolute_url(),
    ]
    for _round in range(2):
        for role in ROLES:
            client.logout()
            world.login(client, role)
            for page in pages:
                text = client.get(page).content.decode()
                found = {word for word in hidden_words(role) if word in text}
                assert found == set(), (role, page)


def test_someone_elses_group_document_and_a_staff_document_do_not_exist_for_a_member(client, world):
    world.login(client, "member")

    for name in ("other_group_doc", "staff_doc"):
        document = world.documents[name]
        for suffix in ("", "download/en/", "thumbnail/en/", "download/es/"):
            response = client.get(f"/documents/{document.pk}/{suffix}")
            assert response.status_code == 404, (name, suffix)
            assert DOCUMENTS[name][0] not in response.content.decode()
    response = client.get(world.sessions["other_closed"].get_absolute_url())
    assert response.status_code == 404
    assert "Manatee" not in response.content.decode()
