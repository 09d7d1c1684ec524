"""The two-tier page cache: rendered pages and fragments, shared by every worker.

Tier 1 is a small dictionary in each process; tier 2 is Redis (Django's cache). Every key
carries the *content version*, one value in Redis that any committed write to a table of
events, participants, documents or the policy pages replaces (the SQL is watched:
`connect_invalidation`). Each request reads
the version once per lookup, so a change anywhere makes every worker's entries unreachable at
once: the next request renders afresh. Old entries are never served; they age out.

What is shared between people is keyed by `Viewer.audience_key()` (or is for anonymous
visitors only): two viewers share an entry only when the access rule gives them the same
content. Redis unreachable means a miss, never an error: the page is rendered as if
nothing were cached (and nothing is stored), and one warning is logged.
"""

import hashlib
import logging
import re
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps
from threading import Lock
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string
from django.utils.translation import get_language

from sanjose.benchmark import caches_off

log = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
REDIS_SECONDS = 60 * 60
# Tier 1 bounds: entries per process, and how long one may outlive a version change that
# could not reach Redis (while Redis was down).
LOCAL_ENTRIES = 400
LOCAL_SECONDS = 300
# Django's GZipMiddleware pads with up to 100 random bytes ("Heal the BREACH"); the cached
# gzip bodies are of anonymous pages that hold no secret, so the padding is drawn once.
GZIP_RANDOM_BYTES = 100
GZIP_MIN_LENGTH = 200

_local: "OrderedDict[str, tuple[float, Any]]" = OrderedDict()
_lock = Lock()
_MISSING = object()
# What a request reads once and keeps to its end (RequestScopeMiddleware): the content
# version, and values built from it (`scoped`). None outside a request: tasks and
# commands read each time.
_scope: ContextVar[dict | None] = ContextVar("pagecache_request_scope", default=None)
_VERSION = object()  # the version's place in the scope


# --- The version ------------------------------------------------------------------------
def _new_version() -> str:
    # The time first: the personal feeds send it as Last-Modified.
    return f"{int(time.time())}.{uuid.uuid4().hex[:12]}"


def content_version() -> str | None:
    """The current content version, or None when Redis cannot be reached (or a benchmark
    asked for every cache to miss): then nothing is read from or written to the cache."""
    if caches_off():
        return None
    memo = _scope.get()
    if memo is not None and _VERSION in memo:
        return memo[_VERSION]
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, _new_version(), timeout=None)
            version = cache.get(VERSION_KEY)
    except Exception:  # any Redis failure (connection, timeout, protocol) is a miss
        log.warning("Page cache unavailable (Redis): rendering without it")
        version = None
    if memo is not None:
        memo[_VERSION] = version
    return version


def version_time(version: str) -> int:
    """The Unix time a version was made (for Last-Modified)."""
    return int(version.split(".", 1)[0])


def _set_new_version() -> None:
    version = _new_version()
    memo = _scope.get()
    if memo is not None:  # this request's own write: what it reads next is of the new one
        memo.clear()
        memo[_VERSION] = version
    try:
        cache.set(VERSION_KEY, version, timeout=None)
    except Exception:
        log.warning("Page cache version not bumped (Redis unavailable)")


@contextmanager
def request_scope() -> Iterator[None]:
    """Within this block (a request: RequestScopeMiddleware) the version is read from
    Redis once and `scoped` values are built once."""
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


def scoped(name: str, build: Callable[[], Any]) -> Any:
    """`build()` once per request, kept to the request's end (or to its own next write,
    which moves the version on); built at each call outside a request. For what a page
    asks for many times, such as the current event whose zone every time shown needs."""
    memo = _scope.get()
    if memo is None:
        return build()
    if name not in memo:
        memo[name] = build()
    return memo[name]


class RequestScopeMiddleware:
    """The content version read at most once per request (each cached part of a page
    used to ask Redis again), and `scoped` values with it. A write by the request itself
    moves it on at once; a write elsewhere during the request shows from the next
    request, as if the whole request had run at the moment it first read the version."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_scope():
            return self.get_response(request)


# --- Lookups -------------------------------------------------------------------------------
def _local_get(key: str) -> Any:
    with _lock:
        hit = _local.get(key)
        if hit is None:
            return _MISSING
        if hit[0] < time.monotonic():
            del _local[key]
            return _MISSING
        _local.move_to_end(key)
        return hit[1]


def _local_set(key: str, value: Any) -> None:
    with _lock:
        _local[key] = (time.monotonic() + LOCAL_SECONDS, value)
        _local.move_to_end(key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)


def clear_local() -> None:
    """Empty this process's tier (tests)."""
    with _lock:
        _local.clear()


def digest(*parts: object) -> str:
    """A short stable key part for values that are long or secret (tokens, audiences)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def versioned_key(version: str, key: str) -> str:
    return f"page:{version}:{key}"


def get_or_build(key: str, build: Callable[[], Any], *, version: str | None = _MISSING) -> Any:
    """The value cached under `key` for the current content version, built (and stored
    in both tiers) on a miss. `build` returning None is not stored."""
    if version is _MISSING:
        version = content_version()
    if version is None:
        return build()
    full = versioned_key(version, key)
    value = _local_get(full)
    if value is not _MISSING:
        return value
    try:
        value = cache.get(full, _MISSING)
    except Exception:
        log.warning("Page cache read failed (Redis): rendering without it")
        value = _MISSING
    if value is _MISSING:
        value = build()
        if value is None:
            return None
        try:
            cache.set(full, value, REDIS_SECONDS)
        except Exception:
            log.warning("Page cache write failed (Redis)")
    _local_set(full, value)
    return value


# --- Personal parts with forms -------------------------------------------------------------
# A cached part with forms holds this in place of the CSRF token; each request puts its
# own (masked anew, as Django does for every response) in its place.
CSRF_PLACEHOLDER = "pagecache-csrf-placeholder"


def render_with_csrf_placeholder(template: str, context: dict) -> str:
    """A template's HTML with its `{% csrf_token %}` fields left to `fill_csrf`."""
    return render_to_string(template, {**context, "csrf_token": CSRF_PLACEHOLDER})


def fill_csrf(request: HttpRequest, html: str) -> str:
    """The cached HTML with this request's CSRF token in its forms."""
    if CSRF_PLACEHOLDER not in html:
        return html
    return html.replace(CSRF_PLACEHOLDER, get_token(request))


# --- Whole public pages ----------------------------------------------------------------------
@dataclass(frozen=True)
class CachedPage:
    content: bytes
    gzipped: bytes | None
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, response: HttpResponse) -> "CachedPage":
        content = response.content
        gzipped = None
        if len(content) >= GZIP_MIN_LENGTH:
            gzipped = compress_string(content, max_random_bytes=GZIP_RANDOM_BYTES)
        kept = ("Content-Type", "Content-Language", "Content-Disposition")
        return cls(content, gzipped, {k: response[k] for k in kept if response.has_header(k)})

    def response(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse()
        for name, value in self.headers.items():
            response[name] = value
        if self.gzipped is not None and "gzip" in request.headers.get("Accept-Encoding", ""):
            response.content = self.gzipped
            response["Content-Encoding"] = "gzip"
        else:
            response.content = self.content
        if self.gzipped is not None:
            patch_vary_headers(response, ("Accept-Encoding",))
        return response


def _shareable_request(request: HttpRequest) -> bool:
    """An anonymous GET with nothing personal pending: no flash message to show."""
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return False
    return CookieStorage.cookie_name not in request.COOKIES and not (
        settings.SESSION_COOKIE_NAME in request.COOKIES and "_messages" in request.session
    )


def _shareable_response(request: HttpRequest, response: HttpResponse) -> bool:
    """Only a plain 200 page is shared: not one that asked for a CSRF token (it would
    hold one person's token), wrote the session or set a cookie."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
    )


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the view's page to anonymous visitors from the two-tier cache, per path
    (with its query), language and audience; with its gzip copy made once. Signed-in
    viewers, flash messages and pages that need a CSRF token go straight to the view."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _shareable_request(request):
            return view(request, *args, **kwargs)
        version = content_version()
        if version is None:
            return view(request, *args, **kwargs)
        key = "view:" + digest(request.get_full_path(), get_language(), ("anonymous",))
        served: list[HttpResponse] = []

        def build() -> CachedPage | None:
            response = view(request, *args, **kwargs)
            served.append(response)
            return CachedPage.of(response) if _shareable_response(request, response) else None

        page = get_or_build(key, build, version=version)
        if page is None:
            return served[0]
        return page.response(request)

    return wrapper


# --- What makes the cache stale ------------------------------------------------------------
# Every app whose rows a page shows. The policy texts ("pages") are read by /me/.
CONTENT_APPS = ("events", "participants", "documents", "pages")
# Their tables that no page shows: the audit log of exports is read in the admin only
# (never cached), and an export must not make every cached page stale.
NOT_CONTENT = ("participants.ExportLog",)
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)', re.IGNORECASE)
_content_tables: frozenset[str] = frozenset()


def _watch_writes(execute, sql, params, many, context):
    """After any INSERT, UPDATE or DELETE of a content table, a new version (now and at
    the commit). Watching the SQL rather than model signals catches what signals
    miss: `QuerySet.update()` (publishing documents, conditional counters, moving a
    waiting list), `bulk_create` (group assignment, World Café seats) and raw SQL, from
    requests, tasks and commands alike."""
    result = execute(sql, params, many, context)
    match = _WRITE.match(sql) if isinstance(sql, str) else None
    if match and match.group(1) in _content_tables:
        _bump_for_write(context["connection"])
    return result


def _bump_for_write(connection) -> None:
    """A new version now, and again when the transaction commits (once per transaction):
    a request that read the version after the first bump but the rows before the commit
    stored what it read under a version the commit makes unreachable."""
    _set_new_version()
    if connection.in_atomic_block and not any(
        func is _set_new_version for _ids, func, _robust in connection.run_on_commit
    ):
        transaction.on_commit(_set_new_version, using=connection.alias)


def _install_watcher(sender, connection, **kwargs) -> None:
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def connect_invalidation() -> None:
    """Watch every database connection's writes to the content apps' tables (their models
    and many-to-many tables). This is cache bookkeeping, not a business rule: one place
    that no new write path can forget."""
    global _content_tables
    from django.apps import apps
    from django.db import connections
    from django.db.backends.signals import connection_created

    _content_tables = frozenset(
        model._meta.db_table
        for label in CONTENT_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if model._meta.label not in NOT_CONTENT
    )
    connection_created.connect(_install_watcher, dispatch_uid="pagecache-watch-writes")
    for connection in connections.all(initialized_only=True):
        _install_watcher(None, connection)
