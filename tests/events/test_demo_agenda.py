from io import StringIO

import pytest
from django.core.management import call_command

from events.models import Session, SessionSpeaker, Speaker
from participants.models import SessionSignup


def load(*args: str) -> None:
    call_command("load_demo", "--admin-password", "demo-password-123", *args, stdout=StringIO())


@pytest.mark.django_db
def test_demo_programme_has_speakers_moderators_and_a_sign_up_session():
    load()

    panel = Session.objects.get(title_en__startswith="Panel: what the 2023 UN reports")
    roles = list(panel.sessionspeaker_set.values_list("speaker__name", "role"))
    assert roles[0] == ("Amara Demo", SessionSpeaker.Role.MODERATOR)
    assert len(roles) == 4
    signup = Session.objects.get(signup_required=True)
    assert (signup.capacity, signup.signups.count()) == (30, 12)
    assert all(
        name.endswith("@example.org")
        for name in signup.signups.values_list("participant__user__email", flat=True)
    )


@pytest.mark.django_db
def test_demo_speakers_survive_a_rerun_and_a_new_start_date_without_duplicates():
    load()
    counts = (
        Speaker.objects.count(),
        SessionSpeaker.objects.count(),
        SessionSignup.objects.count(),
    )

    load()
    load("--start", "2030-01-07")

    assert (
        Speaker.objects.count(),
        SessionSpeaker.objects.count(),
        SessionSignup.objects.count(),
    ) == counts
    opening = Session.objects.get(title_en="Opening plenary")
    assert opening.starts_at.date().isoformat() == "2030-01-07"
    assert opening.sessionspeaker_set.count() == 2
