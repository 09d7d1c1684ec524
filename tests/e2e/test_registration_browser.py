"""Registration in a real browser, on a phone and a desktop: account pages, profile,
registration, /me/. Screenshots land in screenshots/ for a person to look at."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from participants.models import Registration
from tests.factories import EventFactory, RegistrationTypeFactory, UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture
def open_day(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    event = EventFactory(name="San José Dialogue", is_current=True)
    RegistrationTypeFactory(
        event=event,
        slug="full-dialogue",
        name_en="Full Dialogue (5 days, by invitation)",
        description_en="All five days; ECPAT staff approve each registration.",
        position=0,
    )
    return RegistrationTypeFactory(
        event=event,
        slug="open-day",
        name_en="Open Day – Travel and Tourism, 4 June (public)",
        description_en="First come, first served; then a waiting list.",
        is_public=True,
        capacity=150,
        position=1,
    )


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def verified_user(email: str):
    user = UserFactory(username=email, email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def test_profile_register_and_me_on_a_phone(live_server, open_day, phone_page, screenshot):
    page = phone_page
    verified_user("alba@example.org")
    sign_in(page, live_server.url, "alba@example.org")

    page.goto(live_server.url + "/register/?type=open-day")
    assert "/me/profile/" in page.url
    screenshot(page, "registration-profile-phone")
    page.get_by_label("Name on badge").fill("Alba Delegate Example")
    page.get_by_label("Organisation").fill("Example Network")
    page.get_by_label("Sector").select_option("civil_society")
    page.get_by_label("Country").select_option("CR")
    page.get_by_label("I have read and accept the privacy notice.").check()
    page.get_by_label("I have read and accept the code of conduct").check()
    page.get_by_role("button", name="Save my profile").click()

    page.wait_for_url(re.compile(r"/register/\?type=open-day$"))
    assert page.get_by_label("Open Day – Travel and Tourism, 4 June (public)").is_checked()
    screenshot(page, "registration-register-phone")
    page.get_by_role("button", name="Register", exact=True).click()

    page.wait_for_url(re.compile(r"/me/$"))
    assert page.locator("[data-status]").inner_text() == "Approved"
    assert page.get_by_text("What to do next").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone
    assert page.console_errors == []
    screenshot(page, "registration-me-phone")
    assert Registration.objects.get().status == Registration.Status.APPROVED


def test_profile_errors_show_next_to_the_fields_on_a_desktop(
    live_server, open_day, desktop_page, screenshot
):
    page = desktop_page
    verified_user("bruno@example.org")
    sign_in(page, live_server.url, "bruno@example.org")
    page.goto(live_server.url + "/me/profile/")

    page.get_by_label("Name on badge").fill("Bruno Delegate Example")
    page.get_by_role("button", name="Save my profile").click()

    page.wait_for_load_state()
    assert page.locator(".invalid-feedback").count() >= 4
    assert page.get_by_label("Name on badge").input_value() == "Bruno Delegate Example"
    screenshot(page, "registration-profile-errors-desktop")


@pytest.mark.parametrize("language", ["en", "es"])
def test_account_pages_fit_a_phone(live_server, open_day, phone_page, screenshot, language):
    page = phone_page
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    verified_user("celia@example.org")
    paths = {
        "signup": "/accounts/signup/",
        "login": "/accounts/login/",
        "verification-sent": "/accounts/confirm-email/",
        "password-reset": "/accounts/password/reset/",
    }
    for name, path in paths.items():
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == language
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
        screenshot(page, f"account-{name}-phone-{language}")

    mail.outbox.clear()
    page.goto(live_server.url + "/accounts/password/reset/")
    page.locator("input[name=email]").fill("celia@example.org")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    link = re.search(r"http://[^\s]+/accounts/password/reset/key/[^\s]+", mail.outbox[0].body)[0]
    page.goto(link)
    assert page.locator("input[name=password1]").is_visible()
    screenshot(page, f"account-password-reset-from-key-phone-{language}")

    sign_in_label = "Sign In" if language == "en" else "Iniciar sesión"
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill("celia@example.org")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=sign_in_label).click()
    page.wait_for_load_state()
    page.goto(live_server.url + "/accounts/email/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, f"account-email-change-phone-{language}")
