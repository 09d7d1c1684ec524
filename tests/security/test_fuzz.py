"""A fuzzing pass over every page, query parameter and form of the site: no server error.

Nothing here is a hand-kept list of pages. The targets are found at run time:
- every URL pattern of the site (the resolver is walked; the admin is covered through its
  registry instead), reversed with real objects of a small event, GET as each role;
- the query parameters are the fields of every GET form on those pages, the filter and
  sort links of every admin change list, and the parameters views read (`?event=`…);
- the POST forms are every <form method="post"> the pages show (a new form is fuzzed
  as soon as a page shows it).
Hypothesis then sends hostile values (Unicode digits, control characters, huge numbers,
long strings, odd dates) as an anonymous visitor, an approved participant and staff.
Run time stays bounded: a few examples per target, derandomised for a stable CI.
"""

import os
import string
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participants.models import Registration
from participants.notifications.services import unsubscribe_token
from tests.factories import (
    DocumentFactory,
    DocumentFileFactory,
    InvitationFactory,
    SessionFactory,
    UserFactory,
)
from tests.participants.staff_data import build_dialogue

pytestmark = pytest.mark.django_db

# Per target and role (about 700 requests in all); SANJOSE_FUZZ_EXAMPLES=50 digs deeper.
EXAMPLES = int(os.environ.get("SANJOSE_FUZZ_EXAMPLES", "2"))
# Before the random examples, every parameter and field of a target gets each of these at
# once: the values that broke pages before (a Unicode digit, an integer past bigint, an
# impossible date, a very long string, a formula).
SWEEP = ["²", "99999999999999999999", "-1", "2024-02-30", "x" * 3000, "=1+1"]
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
# Parameters views read without a form on the page (a query string from a link).
READ_BY_VIEWS = ["event", "type", "next", "page", "q", "day", "language", "category", "e"]
# Forms whose only job is to end the fuzzer's own session.
SKIPPED_ACTIONS = {"/accounts/logout/", "/admin/logout/"}

NASTY = st.sampled_from(
    [
        "",
        "²",
        "١٢",
        "-1",
        "0",
        "1.5",
        "1e9",
        "99999999999999999999",
        "9999-12-31",
        "0000-00-00",
        "2024-02-30",
        "\x00",
        "a\x00b",
        "\u202e",
        "\ud7ff",
        "'; DROP TABLE x; --",
        "<script>",
        "%00",
        "../../etc/passwd",
        "x" * 5000,
        "=1+1",
        " ",
    ]
)
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=40
)
VALUES = st.one_of(NASTY, TEXT, st.integers().map(str))
FILE_NAMES = st.sampled_from(
    ["photo.jpg", "report.pdf", "notes.odt", "map.png", "x.webp", "..jpg", "a\x00b.pdf", "ñ.xlsx"]
)
PATH_TEXT = st.one_of(
    NASTY.filter(lambda v: v and "/" not in v),
    st.text(alphabet=string.ascii_letters + string.digits + "-_.~²é", min_size=1, max_size=30),
)


# --- Finding the targets ---------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> offered values
    files: set[str] = field(default_factory=set)


class FormParser(HTMLParser):
    """Forms (their fields and offered values) and the query links of one page."""

    def __init__(self, page_path: str):
        super().__init__()
        self.page_path = page_path
        self.forms: list[Form] = []
        self.links: set[str] = set()
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("action") or self.page_path
            method = (attrs.get("method") or "get").lower()
            self.forms.append(Form(action=action, method=method))
        elif tag == "a" and (attrs.get("href") or "").startswith("?"):
            self.links.add(attrs["href"])
        elif self.forms and tag in {"input", "textarea", "select", "button"}:
            self._field(tag, attrs)
        elif self.forms and tag == "option" and self._select:
            self.forms[-1].fields[self._select].append(attrs.get("value", ""))

    def _field(self, tag, attrs):
        name = attrs.get("name")
        if not name:
            return
        form = self.forms[-1]
        if tag == "input" and attrs.get("type") == "file":
            form.files.add(name)
            return
        form.fields.setdefault(name, [])
        if attrs.get("value") is not None:
            form.fields[name].append(attrs["value"])
        self._select = name if tag == "select" else None

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def site_routes(resolver=None, prefix="", namespace=""):
    """(URL name, keyword names) of every named pattern outside the admin."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("admin/"):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from site_routes(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, sorted(entry.pattern.regex.groupindex)


def admin_changelists() -> list[str]:
    return sorted(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    )


@dataclass
class World:
    """A small event with one of everything a URL can point at."""

    objects: dict[str, str]
    participant_user: object
    staff_user: object

    def kwargs_for(self, route: str, names: list[str]) -> dict[str, str]:
        by_route = {
            "participants:calendar_feed": {"token": self.objects["calendar_token"]},
            "participants:accept_invitation": {"token": self.objects["invitation_token"]},
            "participants:unsubscribe": {"token": self.objects["unsubscribe_token"]},
        }
        if route in by_route:
            return by_route[route]
        return {name: self.objects.get(name, "x") for name in names}


@pytest.fixture
def world() -> World:
    dialogue = build_dialogue()
    event = dialogue.event
    session = SessionFactory(event=event, day=dialogue.days[0], audience="public")
    document = DocumentFactory(event=event, title_en="Public report")
    DocumentFileFactory(document=document, language="en")
    document.sessions.add(session)
    participant = dialogue.ana.participant
    invitation = InvitationFactory(event=event, type=dialogue.full)
    staff = UserFactory(is_staff=True, is_superuser=True)
    objects = {
        "pk": str(session.pk),
        "document_id": str(document.pk),
        "language": "en",
        "participant_id": str(participant.pk),
        "kind": "attendees",
        "fmt": "csv",
        "calendar_token": participant.calendar_token,
        "invitation_token": invitation.token,
        "unsubscribe_token": unsubscribe_token(participant_id=participant.pk, kind="digest"),
    }
    assert dialogue.ana.status == Registration.Status.APPROVED
    return World(objects=objects, participant_user=participant.user, staff_user=staff)


def client_for(role: str, world: World) -> Client:
    client = Client()
    if role == "participant":
        client.force_login(world.participant_user)
    elif role == "staff":
        client.force_login(world.staff_user)
    return client


def discover(client: Client, world: World, role: str):
    """(path, query names, path keyword names, route) for GET, and the POST forms."""
    pages, posts, seen = [], [], set()
    paths = []
    for route, names in site_routes():
        try:
            paths.append((reverse(route, kwargs=world.kwargs_for(route, names)), route, names))
        except NoReverseMatch:
            continue
    if role == "staff":
        paths += [(path, "", []) for path in admin_changelists()]
    for path, route, names in paths:
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        query = set(READ_BY_VIEWS)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            parser = FormParser(path)
            parser.feed(body.decode("utf-8", "replace"))
            for link in parser.links:
                query |= {key for key, _ in parse_qsl(link[1:], keep_blank_values=True)}
            for form in parser.forms:
                if form.method == "get":
                    query |= set(form.fields)
                elif urlsplit(form.action).path not in SKIPPED_ACTIONS:
                    # The same form on many pages (the language switch) is fuzzed once.
                    key = (form.action, frozenset(form.fields), frozenset(form.files))
                    if key not in seen:
                        seen.add(key)
                        posts.append(form)
        pages.append((path, sorted(query), names, route))
    return pages, posts


# --- Sending hostile values -----------------------------------------------------------


def assert_no_server_error(response, what: str) -> None:
    if response.streaming:  # errors in a streamed body happen while it is read
        b"".join(response.streaming_content)
    assert response.status_code < 500, f"{response.status_code} for {what}"


def fuzz_get(client: Client, world: World, path: str, query: list[str], names, route):
    for value in SWEEP:
        response = client.get(path, dict.fromkeys(query, value))
        assert_no_server_error(response, f"GET {path} with every parameter {value[:20]!r}")

    @FUZZ_SETTINGS
    @given(data=st.data())
    def run(data):
        params = {
            name: data.draw(VALUES)
            for name in data.draw(st.lists(st.sampled_from(query), max_size=4, unique=True))
        }
        target = path
        if names and data.draw(st.booleans()):  # hostile values in the path too
            kwargs = {name: data.draw(PATH_TEXT) for name in names}
            try:
                target = reverse(route, kwargs=kwargs)
            except NoReverseMatch:
                target = path
        response = client.get(target, params)
        assert_no_server_error(response, f"GET {target} {params!r}")

    run()


def fuzz_post(client: Client, form: Form):
    names = sorted(form.fields)
    token = {n: v[0] for n, v in form.fields.items() if n == "csrfmiddlewaretoken" and v}
    for value in SWEEP:
        response = client.post(form.action, {**dict.fromkeys(names, value), **token})
        assert_no_server_error(response, f"POST {form.action} with every field {value[:20]!r}")

    @FUZZ_SETTINGS
    @given(data=st.data())
    def run(data):
        payload = {}
        for name in names:
            offered = [v for v in form.fields[name] if v is not None]
            strategy = st.one_of(st.sampled_from(offered), VALUES) if offered else VALUES
            if name == "csrfmiddlewaretoken" or data.draw(st.integers(0, 3)):
                payload[name] = offered[0] if name == "csrfmiddlewaretoken" else data.draw(strategy)
        for name in form.files:
            content = data.draw(st.binary(max_size=64))
            payload[name] = SimpleUploadedFile(data.draw(FILE_NAMES), content)
        response = client.post(form.action, payload)
        assert_no_server_error(response, f"POST {form.action} {sorted(payload)!r}")

    run()


@pytest.mark.parametrize("role", ["anonymous", "participant", "staff"])
def test_no_page_query_or_form_answers_a_server_error(world, role):
    client = client_for(role, world)
    pages, posts = discover(client, world, role)

    assert len(pages) >= 20  # the walk found the site, not an empty resolver
    for path, query, names, route in pages:
        fuzz_get(client, world, path, query, names, route)
    for form in posts:
        fuzz_post(client, form)
        client = client_for(role, world)  # a form may have signed the fuzzer out
