"""Speaker pages: name, organisation, bio, photo only with consent, the sessions the
viewer may see; linked from session pages and the agenda; query counts at two sizes."""

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.samples import png_image
from events.models import Event, Session, SessionSpeaker, Speaker
from participants.models import Registration
from sanjose.pagecache import clear_local
from tests.factories import (
    EventDayFactory,
    EventFactory,
    ParticipantFactory,
    RegistrationFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory(is_current=True)


@pytest.fixture
def approved(event):
    person = ParticipantFactory()
    RegistrationFactory(participant=person, event=event, status=Registration.Status.APPROVED)
    return person


def session(event, title, audience=Session.Audience.PUBLIC, **fields):
    return SessionFactory(
        event=event, title_en=title, title_es=f"ES {title}", audience=audience, **fields
    )


def speaker_with_photo(event, *, consent: bool, **fields) -> Speaker:
    speaker = SpeakerFactory(event=event, photo_consent=consent, **fields)
    speaker.photo.save("portrait.png", ContentFile(png_image("Portrait", size=(60, 60))))
    return speaker


def test_the_speaker_page_shows_name_organisation_bio_and_the_sessions_with_role(client, event):
    speaker = SpeakerFactory(
        event=event, name="Ana Ejemplo", organisation="Red Example", bio_en="Works on data."
    )
    panel = session(event, "Open panel on tourism")
    SessionSpeakerFactory(session=panel, speaker=speaker, role=SessionSpeaker.Role.MODERATOR)

    page = client.get(speaker.get_absolute_url()).content.decode()

    assert "Ana Ejemplo" in page and "Red Example" in page and "Works on data." in page
    assert f'href="{panel.get_absolute_url()}"' in page
    assert "Open panel on tourism" in page and "Moderator" in page


def test_the_speaker_page_speaks_spanish(client, event):
    speaker = SpeakerFactory(event=event, bio_en="Works on data.", bio_es="Trabaja con datos.")
    SessionSpeakerFactory(session=session(event, "Panel"), speaker=speaker)

    page = client.get(speaker.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert "Trabaja con datos." in page and "Works on data." not in page
    assert "ES Panel" in page and "Sesiones" in page and "Ponente" in page


def test_a_speaker_of_hidden_sessions_only_does_not_exist_for_the_viewer(client, event, approved):
    hidden = SpeakerFactory(event=event, name="Hidden Example")
    SessionSpeakerFactory(
        session=session(event, "Plenary", Session.Audience.PARTICIPANTS), speaker=hidden
    )

    anonymous_page = client.get(hidden.get_absolute_url())
    anonymous_list = client.get("/agenda/speakers/").content.decode()
    client.force_login(approved.user)
    approved_page = client.get(hidden.get_absolute_url())

    assert anonymous_page.status_code == 404
    assert "Hidden Example" not in anonymous_page.content.decode() + anonymous_list
    assert approved_page.status_code == 200


def test_the_page_lists_only_the_sessions_the_viewer_may_see(client, event, approved):
    speaker = SpeakerFactory(event=event)
    SessionSpeakerFactory(session=session(event, "Open panel"), speaker=speaker)
    SessionSpeakerFactory(
        session=session(event, "Plenary on consultations", Session.Audience.PARTICIPANTS),
        speaker=speaker,
    )

    anonymous = client.get(speaker.get_absolute_url())
    client.force_login(approved.user)
    signed_in = client.get(speaker.get_absolute_url())

    assert [p.session.title_en for p in anonymous.context["parts"]] == ["Open panel"]
    assert "Plenary on consultations" not in anonymous.content.decode()
    assert [p.session.title_en for p in signed_in.context["parts"]] == [
        "Open panel",
        "Plenary on consultations",
    ]


def test_a_speaker_without_any_session_exists_for_staff_only(client, event, django_user_model):
    speaker = SpeakerFactory(event=event, name="Unscheduled Example")

    assert client.get(speaker.get_absolute_url()).status_code == 404
    client.force_login(django_user_model.objects.create(username="desk", is_staff=True))
    assert client.get(speaker.get_absolute_url()).status_code == 200


def test_the_photo_is_shown_and_served_only_with_consent(client, event, private_media):
    agreed = speaker_with_photo(event, consent=True, name="Agreed Example")
    refused = speaker_with_photo(event, consent=False, name="Refused Example")
    panel = session(event, "Panel")
    for speaker in (agreed, refused):
        SessionSpeakerFactory(session=panel, speaker=speaker)

    agreed_page = client.get(agreed.get_absolute_url()).content.decode()
    refused_page = client.get(refused.get_absolute_url()).content.decode()
    served = client.get(f"{agreed.get_absolute_url()}photo/")
    withheld = client.get(f"{refused.get_absolute_url()}photo/")

    assert f'src="/agenda/speakers/{agreed.pk}/photo/"' in agreed_page
    assert "/photo/" not in refused_page
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    assert withheld.status_code == 404


def test_the_photo_of_a_speaker_of_hidden_sessions_is_not_served(client, event, private_media):
    speaker = speaker_with_photo(event, consent=True)
    SessionSpeakerFactory(
        session=session(event, "Caucus", Session.Audience.GROUPS), speaker=speaker
    )

    assert client.get(f"{speaker.get_absolute_url()}photo/").status_code == 404


def test_session_pages_link_their_speakers_and_the_agenda_links_the_list(client, event):
    day = EventDayFactory(event=event, date=event.start_date)
    panel = session(event, "Panel", day=day)
    speaker = SpeakerFactory(event=event, name="Linked Example")
    SessionSpeakerFactory(session=panel, speaker=speaker)

    session_page = client.get(panel.get_absolute_url()).content.decode()
    agenda = client.get("/agenda/").content.decode()
    listing = client.get("/agenda/speakers/").content.decode()

    assert f'href="{speaker.get_absolute_url()}">Linked Example</a>' in session_page
    assert 'href="/agenda/speakers/"' in agenda and "Linked Example" in agenda
    assert f'href="{speaker.get_absolute_url()}"' in listing


def programme(event, size: int) -> Speaker:
    """`size` speakers, each in two sessions (one public, one for participants); the
    first speaker in every session. Returns the first speaker."""
    day = EventDayFactory(event=event, date=event.start_date)
    first = SpeakerFactory(event=event, name="Aaa First")
    for n in range(size):
        speaker = speaker_with_photo(event, consent=n % 2 == 0)
        for audience in (Session.Audience.PUBLIC, Session.Audience.PARTICIPANTS):
            item = session(event, f"Session {n} {audience}", audience, day=day)
            SessionSpeakerFactory(session=item, speaker=speaker)
            SessionSpeakerFactory(session=item, speaker=first)
    return first


def queries(client, url: str) -> tuple[int, int]:
    cache.clear()
    clear_local()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode().count("list-group-item")


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_speaker_pages_queries_do_not_grow(client, private_media, signed_in):
    counts = {}
    for size in (3, 30):
        Event.objects.update(is_current=False)
        event = EventFactory(is_current=True)
        first = programme(event, size)
        if signed_in:
            person = ParticipantFactory()
            RegistrationFactory(
                participant=person, event=event, status=Registration.Status.APPROVED
            )
            client.force_login(person.user)
        listing, listed = queries(client, "/agenda/speakers/")
        page, parts = queries(client, first.get_absolute_url())
        assert listed == size + 1
        assert parts == size * (2 if signed_in else 1)
        counts[size] = (listing, page)

    assert counts[3] == counts[30]
