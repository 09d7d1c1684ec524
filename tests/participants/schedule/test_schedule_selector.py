import pytest

from events.models import Session
from participants.models import Group, Registration, SessionSignup
from participants.schedule.selectors import schedule_sessions
from sanjose.access import viewer_for
from tests.factories import (
    EventFactory,
    GroupFactory,
    MembershipFactory,
    ParticipantFactory,
    RegistrationFactory,
    SessionFactory,
)


@pytest.mark.django_db
def test_schedule_holds_exactly_what_applies_to_the_person():
    event = EventFactory()
    me = ParticipantFactory()
    RegistrationFactory(participant=me, event=event, status=Registration.Status.APPROVED)
    mine = GroupFactory(event=event, kind=Group.Kind.CLOSED)
    other = GroupFactory(event=event, kind=Group.Kind.CLOSED)
    MembershipFactory(participant=me, group=mine)
    plenary = SessionFactory(event=event, title_en="Plenary")
    public = SessionFactory(event=event, audience=Session.Audience.PUBLIC, title_en="Public")
    my_meeting = SessionFactory(event=event, audience=Session.Audience.GROUPS, title_en="Mine")
    my_meeting.groups.add(mine)
    their_meeting = SessionFactory(event=event, audience=Session.Audience.GROUPS, title_en="Th")
    their_meeting.groups.add(other)
    signed = SessionFactory(event=event, signup_required=True, title_en="Signed")
    SessionFactory(event=event, signup_required=True, title_en="Not signed")
    SessionSignup.objects.create(participant=me, session=signed)
    SessionFactory(title_en="Another event")

    sessions = schedule_sessions(participant=me, viewer=viewer_for(me.user), event_id=event.pk)

    assert {s.title_en for s in sessions} == {"Plenary", "Public", "Mine", "Signed"}
    assert plenary in sessions and public in sessions


@pytest.mark.django_db
def test_schedule_of_a_pending_registrant_holds_only_public_sessions():
    event = EventFactory()
    me = ParticipantFactory()
    RegistrationFactory(participant=me, event=event, status=Registration.Status.SUBMITTED)
    SessionFactory(event=event, title_en="Plenary")
    SessionFactory(event=event, audience=Session.Audience.PUBLIC, title_en="Public")

    sessions = schedule_sessions(participant=me, viewer=viewer_for(me.user), event_id=event.pk)

    assert [s.title_en for s in sessions] == ["Public"]
