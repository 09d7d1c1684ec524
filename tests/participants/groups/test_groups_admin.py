"""The staff flow in the admin: propose, review, move, lock, publish, export."""

import csv
import io

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants.groups.services import grouping, worldcafe
from participants.models import Group, Membership, Registration, WorldCafeSeat
from sanjose.outbox.models import OutboxMessage
from tests.factories import (
    EventFactory,
    GroupFactory,
    ParticipantFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
    WorldCafeFactory,
    WorldCafeTableFactory,
)
from tests.signin import sign_in_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    return sign_in_staff(client, UserFactory(username="staff", is_staff=True, is_superuser=True))


def add_people(event, n, start=0):
    countries = ["CR", "PE", "JM", "MX"]
    for k in range(start, start + n):
        participant = ParticipantFactory(
            sector=["civil_society", "government"][k % 2], country=countries[k % 4]
        )
        RegistrationFactory(
            participant=participant, event=event, status=Registration.Status.APPROVED
        )


@pytest.fixture
def event():
    event = EventFactory()
    for n in range(3):
        GroupFactory(event=event, name=f"Working group {n}", capacity=4)
    add_people(event, 9)
    return event


def url(name, *args):
    return reverse(f"admin:participants_group_{name}", args=args)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def job_step(staff, django_capture_on_commit_callbacks):
    """Post the propose or publish step and follow to its job's page (the job runs inline
    when its row commits, as without a broker); the outcome lines that page shows."""

    def run(event, name):
        with django_capture_on_commit_callbacks(execute=True):
            started = staff.post(url("assignment_step", event.pk, name))
        assert started.url.startswith("/admin/participants/bulkjob/")
        return [text for _level, text in staff.get(started.url).context["outcome"]]

    return run


def test_staff_propose_review_and_publish(staff, job_step, event):
    proposed = job_step(event, "propose")
    page = staff.get(url("assignment", event.pk))
    published = job_step(event, "publish")

    assert proposed == ["Proposed: 9 people assigned, 0 locked people kept. Review, then publish."]
    assert page.status_code == 200
    assert page.content.decode().count("Sectors") == 3
    assert published == ["Published. 9 people will get an email."]
    assert OutboxMessage.objects.filter(kind="group_published").count() == 9
    assert Group.objects.filter(event=event, is_published=True).count() == 3


def test_staff_move_locks_the_person_and_a_new_proposal_keeps_them(staff, job_step, event):
    grouping.propose_working_groups(event=event)
    membership = Membership.objects.filter(group__event=event).first()
    target = Group.objects.filter(event=event).exclude(pk=membership.group_id).first()

    response = staff.post(
        url("assignment_step", event.pk, "move"), {"membership": membership.pk, "group": target.pk}
    )
    job_step(event, "propose")

    membership.refresh_from_db()
    assert texts(response) == [f"{membership.participant} moved to {target.name} and locked there."]
    assert (membership.group_id, membership.is_locked) == (target.pk, True)


def test_staff_lock_and_unlock(staff, event):
    grouping.propose_working_groups(event=event)
    membership = Membership.objects.filter(group__event=event).first()

    staff.post(
        url("assignment_step", event.pk, "lock"), {"membership": membership.pk, "locked": "1"}
    )
    membership.refresh_from_db()
    locked = membership.is_locked
    staff.post(
        url("assignment_step", event.pk, "lock"), {"membership": membership.pk, "locked": "0"}
    )
    membership.refresh_from_db()

    assert (locked, membership.is_locked) == (True, False)


def test_too_many_people_gives_a_clear_message_and_publishes_nothing(staff, job_step, event):
    add_people(event, 4, start=9)

    response = job_step(event, "propose")
    publish = job_step(event, "publish")

    assert response == ["13 people for 12 places: raise a group's capacity or add a group."]
    assert publish[-1] == "Working group 0 has nobody in it: propose an assignment first."
    assert not Membership.objects.exists()
    assert not Group.objects.filter(is_published=True).exists()
    assert not OutboxMessage.objects.exists()


def test_assignment_pages_are_for_staff_only(client, event):
    client.force_login(UserFactory(username="delegate"))

    page = client.get(url("assignment", event.pk))
    export = client.get(url("export", event.pk))
    step = client.post(url("assignment_step", event.pk, "publish"))

    assert [page.status_code, export.status_code, step.status_code] == [302, 302, 302]
    assert not Group.objects.filter(is_published=True).exists()


def test_group_export_is_formula_safe_csv(staff, event):
    grouping.propose_working_groups(event=event)
    participant = Membership.objects.filter(group__event=event).first().participant
    participant.badge_name, participant.organisation = "=HYPERLINK(1)", "+Example"
    participant.save(update_fields=["badge_name", "organisation"])

    response = staff.get(url("export", event.pk))

    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert response["Content-Type"].startswith("text/csv")
    assert len(rows) == 10
    assert rows[0][:3] == ["group", "kind", "topic"]
    poisoned = next(r for r in rows if "HYPERLINK" in r[6])
    assert poisoned[6:8] == ["'=HYPERLINK(1)", "'+Example"]


@pytest.mark.parametrize("people", [3, 12])
def test_assignment_page_and_export_queries_do_not_grow(staff, people):
    event = EventFactory()
    for n in range(3):
        GroupFactory(event=event, name=f"Group {n}", capacity=10)
    add_people(event, people)
    grouping.propose_working_groups(event=event)

    with CaptureQueriesContext(connection) as page:
        staff.get(url("assignment", event.pk))
    with CaptureQueriesContext(connection) as export:
        staff.get(url("export", event.pk))

    # The export also writes its audit entry (an INSERT inside a savepoint: 3 queries).
    assert (len(page), len(export)) == (9, 7)


@pytest.fixture
def cafe():
    session = SessionFactory(kind="world_cafe")
    cafe = WorldCafeFactory(session=session, rounds=2)
    for n in (1, 2, 3):
        WorldCafeTableFactory(cafe=cafe, number=n, topic_en=f"Topic {n}")
    add_people(session.event, 7)
    return cafe


def cafe_action(staff, cafe, action):
    return staff.post(
        reverse("admin:participants_worldcafe_changelist"),
        {"action": action, "_selected_action": [cafe.pk]},
    )


def test_cafe_compute_review_publish_and_export(staff, cafe):
    computed = cafe_action(staff, cafe, "compute_plan")
    plan = staff.get(reverse("admin:participants_worldcafe_plan", args=[cafe.pk]))
    published = cafe_action(staff, cafe, "publish_plan")
    export = staff.get(reverse("admin:participants_worldcafe_export", args=[cafe.pk]))

    cafe.refresh_from_db()
    rows = list(csv.reader(io.StringIO(export.getvalue().decode("utf-8-sig"))))
    assert texts(computed)[0].startswith(f"{cafe}: 7 people seated. Repeat encounters")
    assert plan.status_code == 200 and "Topic 3" in plan.content.decode()
    assert texts(published) == [f"{cafe}: plan published."]
    assert cafe.published_at is not None
    assert rows[0] == ["round", "table", "topic", "host", "participant", "organisation", "email"]
    assert len(rows) == 1 + (7 + 3) * 2


def test_cafe_without_a_host_gives_a_clear_message_and_no_plan(staff, cafe):
    cafe.tables.filter(number=3).update(host=None)

    response = cafe_action(staff, cafe, "compute_plan")
    publish = cafe_action(staff, cafe, "publish_plan")

    cafe.refresh_from_db()
    assert texts(response) == [f"{cafe}: Every table needs a host; table 3 has none."]
    assert texts(publish)[-1] == f"{cafe}: Every table needs a host; table 3 has none."
    assert not WorldCafeSeat.objects.exists() and cafe.published_at is None


def test_cafe_with_zero_rounds_gives_a_clear_message(staff, cafe):
    cafe.rounds = 0
    cafe.save(update_fields=["rounds"])

    response = cafe_action(staff, cafe, "compute_plan")

    assert texts(response) == [f"{cafe}: A World Café needs at least one round."]
    assert not WorldCafeSeat.objects.exists()


@pytest.mark.parametrize("people", [3, 12])
def test_cafe_plan_page_and_export_queries_do_not_grow(staff, people):
    session = SessionFactory(kind="world_cafe")
    cafe = WorldCafeFactory(session=session, rounds=2)
    for n in (1, 2):
        WorldCafeTableFactory(cafe=cafe, number=n)
    add_people(session.event, people)
    worldcafe.compute_cafe_plan(cafe=cafe)

    with CaptureQueriesContext(connection) as page:
        staff.get(reverse("admin:participants_worldcafe_plan", args=[cafe.pk]))
    with CaptureQueriesContext(connection) as export:
        staff.get(reverse("admin:participants_worldcafe_export", args=[cafe.pk])).getvalue()

    # The export streams its rows, so the log's row count is one COUNT of its own.
    assert (len(page), len(export)) == (4, 8)


def test_staff_are_warned_of_whoever_shares_no_language_with_their_group(staff, job_step):
    """The reported case: members who speak no Spanish landed in a Spanish group whose
    interpreter flag named no language, with no warning."""
    event = EventFactory()
    GroupFactory(event=event, name="Spanish", capacity=4, working_languages=["es"])
    GroupFactory(
        event=event,
        name="English",
        capacity=4,
        working_languages=["en"],
        interpreter_languages=["pt"],
    )
    for n, spoken in enumerate([["es"], ["es"], ["en"], ["pt"], ["pt"], ["fr"]]):
        participant = ParticipantFactory(badge_name=f"Person {n}", languages_spoken=spoken)
        RegistrationFactory(
            participant=participant, event=event, status=Registration.Status.APPROVED
        )

    response = job_step(event, "propose")
    page = staff.get(url("assignment", event.pk)).content.decode()

    group_of = dict(Membership.objects.values_list("participant__badge_name", "group__name_en"))
    assert [group_of[f"Person {n}"] for n in range(5)] == [
        "Spanish",
        "Spanish",
        "English",
        "English",
        "English",
    ]
    assert response[-1] == (
        "1 person shares no language with their group or its interpreting: Person 5. "
        "Add an interpreting language or a working language, or move them."
    )
    assert "Interpreting needed: 1 member shares no language" in page
    assert "(Person 5)" in page


def test_re_proposing_through_the_page_keeps_the_published_groups_live(staff, job_step, event):
    job_step(event, "propose")
    job_step(event, "publish")
    live = set(Membership.objects.counting().values_list("participant_id", "group_id"))

    response = job_step(event, "propose")
    page = staff.get(url("assignment", event.pk)).content.decode()

    assert "This is a draft: members keep the published groups" in response[-1]
    assert "Draft proposal: members still see the published groups." in page
    assert set(Membership.objects.counting().values_list("participant_id", "group_id")) == live
    assert Group.objects.filter(event=event, is_published=False).count() == 0
