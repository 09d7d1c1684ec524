"""The link in a change notice leads to the session: a signed-out reader signs in first."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings

from events.services import update_session
from participants.models import Group
from participants.notifications import services as notifications
from sanjose.outbox.models import OutboxMessage
from tests.factories import GroupFactory, MembershipFactory, RoomFactory, SessionFactory
from tests.factories.notifications import approved_participant

ZONE = ZoneInfo("America/Costa_Rica")
pytestmark = pytest.mark.django_db


def test_the_notice_links_the_closed_session_and_sign_in_leads_back_to_it(client, monkeypatch):
    meeting = SessionFactory(
        audience="groups",
        kind="closed_meeting",
        title_en="Caucus meeting",
        starts_at=datetime(2024, 6, 4, 11, tzinfo=ZONE),
        ends_at=datetime(2024, 6, 4, 12, tzinfo=ZONE),
    )
    event = meeting.event
    caucus = GroupFactory(event=event, kind=Group.Kind.CLOSED)
    meeting.groups.add(caucus)
    member = approved_participant(event=event)
    MembershipFactory(participant=member, group=caucus)
    EmailAddress.objects.create(
        user=member.user, email=member.user.email, verified=True, primary=True
    )
    start = datetime(2024, 6, 2, 10, tzinfo=ZONE)
    monkeypatch.setattr("sanjose.clock.now", lambda: start)
    notifications.notify_schedule_changes()
    update_session(session=meeting, room=RoomFactory(event=event, name="Annex"))
    for minutes in (1, 6):
        monkeypatch.setattr("sanjose.clock.now", lambda m=minutes: start + timedelta(minutes=m))
        notifications.notify_schedule_changes()

    notice = OutboxMessage.objects.get(kind="schedule_change")
    link = settings.SITE_URL + meeting.get_absolute_url()
    assert re.findall(r"http\S+/agenda/sessions/\S+", notice.body_text) == [link]
    assert f'href="{link}"' in notice.body_html

    path = meeting.get_absolute_url()
    assert client.get(path).status_code == 404  # signed out, the session does not exist
    response = client.post(
        f"/accounts/login/?next={path}",
        {"login": member.user.email, "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    assert response["Location"] == path
    page = client.get(path)
    assert page.status_code == 200
    assert "Caucus meeting" in page.content.decode()
