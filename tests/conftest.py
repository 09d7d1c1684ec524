"""Shared fixtures. The suite runs against real PostgreSQL and Redis (see the Makefile)."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from sanjose.celery import app as celery_app
from sanjose.pagecache import clear_local


@pytest.fixture(autouse=True)
def clean_cache():
    """Each test starts with an empty cache (allauth's rate limits live there too) and an
    empty in-process tier of the page cache."""
    cache.clear()
    clear_local()
    yield
    cache.clear()
    clear_local()


@pytest.fixture(autouse=True)
def english_between_tests():
    """Each test starts in the default language. A request leaves its language active in
    the thread (LocaleMiddleware activates it and never deactivates), so a Spanish page in
    one test would otherwise make the next test's services speak Spanish."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def tasks_inline(request):
    """Unit tests run Celery tasks inline; integration tests use a real worker."""
    if request.node.get_closest_marker("integration"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def media_outside_the_project(settings, tmp_path_factory):
    """No test writes into the project's media folder (load_demo stores files)."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def private_media(settings, tmp_path):
    """Uploads go to a temporary private root that the test can inspect."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def test_email_templates(settings):
    """Adds tests/templates (emails only tests send) to the template search path."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {**engine, "DIRS": [*engine["DIRS"], settings.BASE_DIR / "tests" / "templates"]}
    ]


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin_client, signed in as the real login leaves a staff session:
    password and a second factor (staff pages and the admin ask for both, sanjose/mfa.py)."""
    from tests.signin import sign_in_staff

    return sign_in_staff(client, admin_user)
