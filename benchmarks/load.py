"""Load benchmark: the site under gunicorn as production runs it, measured with wrk.

    make bench-load        # or: .venv/bin/python benchmarks/load.py [--seconds 4 --rounds 3]

It makes its own database (BENCH_DATABASE_URL, default sanjose_bench on local PostgreSQL;
dropped and created again on each run) and flushes its own Redis database (BENCH_REDIS_URL,
default db 14), seeds a large event — 300 sessions over 5 days in 12 rooms, 5,000
participants, 60 groups, 2,000 documents — then starts gunicorn with the web command of
docker-compose.yml (DEBUG=false, PostgreSQL, Redis; only the bind address is a free
loopback port) and measures every page with wrk, interleaved with a trivial view
(`HttpResponse("ok")` behind the same middleware, mounted only with SANJOSE_BENCHMARK=true).
Requests carry `X-Forwarded-Proto: https` as the TLS proxy in front of production does.
Then the registration rush: 1,000 signed-in accounts post the real open-day form (with its
CSRF token) at once for 300 places. The table is printed and written as JSON to
benchmarks/results/load-<UTC time>.json (and latest.json). Nothing leaves the machine.
"""

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
SESSIONS, ROOMS, PARTICIPANTS, GROUPS, DOCUMENTS = 300, 12, 5_000, 60, 2_000
RUSH_ACCOUNTS, RUSH_PLACES = 1_000, 300
BENCH_PASSWORD = "benchmark-password-not-secret"
WRK_SCRIPT = """
local hosts, thread_count = {%s}, 0
setup = function(thread)
  if #hosts > 1 then
    thread_count = thread_count + 1
    local host = hosts[(thread_count - 1) %% #hosts + 1]
    thread.addr = wrk.lookup(host[1], host[2])[1]
  end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests":%d,"duration_us":%d,"socket_errors":%d,"http_errors":%d,'
    .. '"p50_us":%d,"p95_us":%d,"p99_us":%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def bench_environment(media_root: str) -> dict[str, str]:
    """The production environment of docker-compose.yml, pointed at the benchmark's own
    database and Redis; SANJOSE_BENCHMARK mounts the trivial view."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SANJOSE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="sanjose.settings",
        DEBUG="false",
        # Sessions the benchmark writes are checked with it: a site started elsewhere
        # (--base-url) needs the same one, so it may be given.
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL="https://127.0.0.1",
        DATABASE_URL=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sanjose_bench"
        ),
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
        MEDIA_ROOT=media_root,
        SANJOSE_BENCHMARK="true",
        # One address and one calendar token stand for the whole venue here: the site's
        # per-address and per-token limits would answer most requests 429.
        RATE_LIMITS="false",
        LOG_LEVEL="WARNING",
    )
    for name in ("EMAIL_HOST", "SANJOSE_TESTING"):
        env.pop(name, None)
    return env


def recreate_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name) or "bench" not in name:
        sys.exit(f"BENCH_DATABASE_URL must name a database with 'bench' in it, not {name!r}.")
    admin = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


# --- Seeding -----------------------------------------------------------------------------
def seed() -> dict:
    """The demo event grown to the issue's size, with bulk inserts; sessions go through
    `validate_session` (no room booked twice), registration counters stay consistent."""
    from events.models import Event

    event = Event.objects.current()
    rooms = seed_rooms(event)
    seed_sessions(event, rooms)
    groups = seed_groups(event)
    people = seed_people(event, groups)
    seed_documents(event)
    rush = seed_rush_accounts(event)
    return {"event": event, "member": people, "rush": rush}


def reseeded() -> dict:
    """What `seed` returned, found again in a database a --keep run left; the open day
    made ready for a new rush (that run's rush registrations removed)."""
    from django.db.models import Count

    from events.models import Event
    from participants.models import Participant, Registration, RegistrationType

    event = Event.objects.current()
    rush = list(Participant.objects.filter(user__username__startswith="rush").order_by("pk"))
    if len(rush) != RUSH_ACCOUNTS:
        sys.exit("--reuse needs a database seeded by an earlier run with --keep.")
    open_day = RegistrationType.objects.get(event=event, slug="open-day")
    Registration.objects.filter(participant__in=rush, type=open_day).delete()
    approved = Registration.objects.filter(type=open_day, status="approved").count()
    RegistrationType.objects.filter(pk=open_day.pk).update(
        approved_count=approved, capacity=approved + RUSH_PLACES
    )
    member = (
        Participant.objects.filter(registrations__status="approved", registrations__event=event)
        .exclude(user__username__startswith="rush")
        .annotate(groups_count=Count("memberships"))
        .order_by("-groups_count", "pk")
        .select_related("user")
        .first()
    )
    return {"event": event, "member": member, "rush": rush}


def seed_rooms(event):
    from events.models import Room

    existing = list(Room.objects.filter(event=event))
    Room.objects.bulk_create(
        Room(event=event, name=f"Breakout room {n}", capacity=40, position=50 + n)
        for n in range(ROOMS - len(existing))
    )
    return list(Room.objects.filter(event=event).order_by("position", "pk"))


def seed_sessions(event, rooms) -> None:
    import random

    from django.core.exceptions import ValidationError

    from events.models import Session, SessionSpeaker, Speaker
    from events.services import validate_session
    from participants.models import Group

    rng = random.Random(16)
    days = list(event.days.order_by("date"))
    speakers = Speaker.objects.bulk_create(
        Speaker(event=event, name=f"Speaker {n:03d}", organisation="Example organisation")
        for n in range(60)
    )
    kinds = [Session.Kind.PANEL, Session.Kind.OPEN_SESSION, Session.Kind.PLENARY]
    audiences = ["participants"] * 6 + ["public"] * 3 + ["groups"]
    new, n = [], 0
    missing = SESSIONS - Session.objects.filter(event=event).count()
    for hour in range(8, 18):
        for day in days:
            for room in rooms:
                if len(new) >= missing:
                    break
                starts = datetime.combine(day.date, datetime.min.time(), event.zone)
                starts += timedelta(hours=hour, minutes=10)
                ends = starts + timedelta(minutes=45)
                try:
                    validate_session(starts_at=starts, ends_at=ends, room=room)
                except ValidationError:
                    continue  # the room is taken then: the booking rule holds
                n += 1
                new.append(
                    Session(
                        event=event,
                        day=day,
                        room=room,
                        starts_at=starts,
                        ends_at=ends,
                        title_en=f"Parallel session {n}: protecting children online and offline",
                        title_es=f"Sesión paralela {n}: proteger a la niñez en línea y fuera",
                        description_en="What works, what does not, and what to do next. " * 4,
                        kind=rng.choice(kinds),
                        audience=rng.choice(audiences),
                    )
                )
    Session.objects.bulk_create(new)
    SessionSpeaker.objects.bulk_create(
        SessionSpeaker(session=s, speaker=sp, position=i)
        for s in new
        for i, sp in enumerate(rng.sample(speakers, 2))
    )
    closed = list(Group.objects.filter(event=event, kind="closed")) or list(
        Group.objects.filter(event=event)
    )
    through = Session.groups.through
    through.objects.bulk_create(
        through(session_id=s.pk, group_id=rng.choice(closed).pk)
        for s in new
        if s.audience == "groups" and closed
    )


def seed_groups(event):
    from participants.models import Group

    have = Group.objects.filter(event=event).count()
    Group.objects.bulk_create(
        Group(
            event=event,
            name=f"Working group {n}",
            kind="working",
            is_published=True,
            capacity=120,
            topic_en="Regional cooperation",
        )
        for n in range(have + 1, GROUPS + 1)
    )
    return list(Group.objects.filter(event=event, kind="working", is_published=True))


def make_accounts(prefix: str, count: int):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from participants.models import Participant
    from sanjose.pages.consent import current_versions

    User = get_user_model()
    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(
            username=f"{prefix}{n:05d}@example.org",
            email=f"{prefix}{n:05d}@example.org",
            password=unusable,
        )
        for n in range(count)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
    )
    stamp, versions = timezone.now(), current_versions()
    return Participant.objects.bulk_create(
        Participant(
            user=u,
            badge_name=f"Example Person {prefix}{n:05d}",
            organisation="Example",
            sector="civil_society",
            country="CR",
            subregion="central_america_mexico",
            preferred_language="es" if n % 3 == 0 else "en",
            privacy_consent_at=stamp,
            privacy_version=versions.privacy,
            conduct_consent_at=stamp,
            conduct_version=versions.conduct,
        )
        for n, u in enumerate(users)
    )


def seed_people(event, groups):
    """Participants up to 5,000, approved for the full dialogue, one working group each.
    Returns the demo's best-connected approved participant (the signed-in viewer)."""
    from django.db.models import Count, F

    from participants.models import Membership, Participant, Registration, RegistrationType

    full = RegistrationType.objects.get(event=event, slug="full-dialogue")
    added = make_accounts("bench", PARTICIPANTS - Participant.objects.count())
    Registration.objects.bulk_create(
        Registration(participant=p, event=event, type=full, status="approved") for p in added
    )
    RegistrationType.objects.filter(pk=full.pk).update(
        capacity=None, approved_count=F("approved_count") + len(added)
    )
    Membership.objects.bulk_create(
        Membership(participant=p, group=groups[n % len(groups)]) for n, p in enumerate(added)
    )
    return (
        Participant.objects.filter(registrations__status="approved", registrations__event=event)
        .annotate(groups_count=Count("memberships"))
        .order_by("-groups_count", "pk")
        .select_related("user")
        .first()
    )


def seed_documents(event) -> None:
    import random

    from django.db import connection

    from documents.models import Category, Document
    from events.models import Session

    rng = random.Random(2000)
    categories = list(Category.objects.all())
    sessions = list(Session.objects.filter(event=event).values_list("pk", flat=True))
    words = [
        *("children", "protection", "travel", "tourism", "online", "platforms", "justice"),
        *("niñez", "protección", "turismo", "viajes", "justicia", "víctimas", "prevención"),
    ]
    missing = DOCUMENTS - Document.objects.filter(event=event).count()
    documents = Document.objects.bulk_create(
        Document(
            event=event,
            category=rng.choice(categories),
            title_en=f"Briefing note {n}",
            title_es=f"Nota informativa {n}",
            access=rng.choice(["public", "participants"]),
            is_published=True,
            published_at=datetime(2024, 5, 1 + n % 28, 12, tzinfo=UTC),
            search_text=" ".join(rng.choices(words, k=200))
            + (" trabajadoras" if n % 50 == 0 else ""),
        )
        for n in range(missing)
    )
    through = Document.sessions.through
    through.objects.bulk_create(
        through(document_id=d.pk, session_id=rng.choice(sessions)) for d in documents
    )
    with connection.cursor() as cursor:  # what documents.services.refresh_search_text writes
        cursor.execute(
            "UPDATE documents_document SET search_vector = "
            "to_tsvector('english'::regconfig, search_text) || "
            "to_tsvector('spanish'::regconfig, search_text) WHERE search_vector IS NULL"
        )
        cursor.execute("ANALYZE")


def seed_rush_accounts(event):
    """1,000 accounts with a profile and consent, not registered; the open day gets exactly
    300 places more than it has confirmed now."""
    from django.db.models import F

    from participants.models import RegistrationType

    RegistrationType.objects.filter(event=event, slug="open-day").update(
        capacity=F("approved_count") + RUSH_PLACES, opens_at=None, closes_at=None
    )
    return make_accounts("rush", RUSH_ACCOUNTS)


def signed_in_cookie(user) -> str:
    """A session for `user`, as django.contrib.auth.login writes it (no password hashing:
    the benchmark measures pages, not PBKDF2)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


# --- The server ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Site:
    """Where the pages are measured: one or more web instances (host, port). wrk's threads
    are spread over them, one instance per thread in turn; single requests go to the
    first."""

    hosts: tuple[tuple[str, int], ...]

    @property
    def host(self) -> str:
        host, port = self.hosts[0]
        return f"{host}:{port}"

    def url(self, path: str) -> str:
        return f"http://{self.host}{path}"


def site_from_urls(urls: list[str]) -> Site:
    hosts = []
    for url in urls:
        parts = urlsplit(url if "://" in url else f"http://{url}")
        if parts.scheme != "http" or not parts.hostname:
            sys.exit(f"--base-url takes http://host:port (the TLS proxy is simulated), not {url!r}")
        hosts.append((parts.hostname, parts.port or 80))
    return Site(tuple(hosts))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_command(port: int) -> list[str]:
    """The web command of docker-compose.yml with the bind address made a loopback port."""
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = list(compose["services"]["web"]["command"])
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    return [str(Path(sys.executable).with_name("gunicorn")), *command[1:]]


def start_server(env: dict, log: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        gunicorn_command(port), cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    wait_for(Site((("127.0.0.1", port),)), server, log)
    return server, port


def balancer_config(ports: list[int], listen: int, directory: Path) -> str:
    """deploy/nginx.conf (the compose file's `lb`) for the instances started here: its
    `server` block as it is, listening on a loopback port, with an upstream of the given
    ports instead of Docker's DNS. The benchmark plays the TLS proxy in front of the
    balancer, so the X-Forwarded-Proto it sends is passed on rather than nginx's $scheme."""
    deployed = (ROOT / "deploy" / "nginx.conf").read_text()
    server = deployed[deployed.index("server {") :]
    server = server.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    server = server.replace(
        "X-Forwarded-Proto $scheme", "X-Forwarded-Proto $http_x_forwarded_proto"
    )
    # The port too: the benchmark's forms post an Origin with it, and CSRF compares the two
    # (behind TLS on 443 in production there is no port to lose).
    server = server.replace("Host $host;", "Host $http_host;")
    upstream = "\n".join(f"    server 127.0.0.1:{port};" for port in ports)
    temp = "\n".join(
        f"    {name}_temp_path {directory / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"worker_processes auto;\npid {directory / 'nginx.pid'};\n"
        f"error_log {directory / 'error.log'} warn;\n"
        "events { worker_connections 4096; }\n"
        "http {\n    access_log off;\n" + temp + "\n"
        "upstream web {\n" + upstream + "\n}\n" + server + "}\n"
    )


def start_balancer(ports: list[int]) -> tuple[subprocess.Popen, int]:
    """nginx in front of the instances, round robin (needs Debian's nginx-light or nginx)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        sys.exit("nginx is missing: apt-get install -y nginx-light")
    directory = Path(tempfile.mkdtemp(prefix="sanjose-bench-nginx-"))
    directory.chmod(0o755)
    listen = free_port()
    (directory / "nginx.conf").write_text(balancer_config(ports, listen, directory))
    balancer = subprocess.Popen(
        [nginx, "-p", str(directory), "-c", str(directory / "nginx.conf"), "-e",
         str(directory / "error.log"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL, stderr=(directory / "stderr.log").open("w"),
    )  # fmt: skip
    wait_for(Site((("127.0.0.1", listen),)), balancer, directory / "error.log")
    return balancer, listen


def wait_for(site: Site, server: subprocess.Popen | None = None, log: Path | None = None) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(site, "/healthz")[0] == 200:
                return
        except OSError:
            pass
        if server is not None and server.poll() is not None:
            sys.exit(f"gunicorn stopped; see {log}")
        time.sleep(0.3)
    if server is not None:
        server.terminate()
    sys.exit(f"{site.host} did not answer within 60 s" + (f"; see {log}" if log else ""))


def get(site: Site, path: str, headers: dict | None = None, method="GET", body=None):
    host, port = site.hosts[0]
    connection = http.client.HTTPConnection(host, port, timeout=900)
    try:
        connection.request(
            method, path, body=body, headers={"X-Forwarded-Proto": "https", **(headers or {})}
        )
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def worker_peak_rss(servers: list[subprocess.Popen]) -> list[int]:
    """VmHWM (peak resident set, KiB) of each gunicorn worker of the servers we started."""
    children = [
        pid
        for server in servers
        for pid in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    ]
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+)", status).group(1)))
    return peaks


# --- Measuring -------------------------------------------------------------------------------
def wrk(site: Site, path: str, headers: dict, *, seconds: int, connections: int) -> dict:
    script = Path(tempfile.gettempdir()) / f"sanjose-wrk-{os.getpid()}.lua"
    hosts = ", ".join(f'{{"{host}", "{port}"}}' for host, port in site.hosts)
    script.write_text(WRK_SCRIPT.replace("{%s}", "{" + hosts + "}").replace("%%", "%"))
    threads = max(2, len(site.hosts))
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "-s",
        str(script),
        "-H",
        "X-Forwarded-Proto: https",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    for attempt in range(3):  # a page slower than the run completes nothing: run longer
        settle(site)
        output = subprocess.run(
            [
                *command[:3],
                f"-d{seconds * 3**attempt}s",
                *command[4:],
                site.url(path),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        result = json.loads(output.split("WRK ", 1)[1])
        if result["requests"]:
            result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
            return result
    # Nothing completed in 13 runs' time: record it as such rather than stop.
    duration = result["duration_us"]
    result.update(rps=0.0, p50_us=duration, p95_us=duration, p99_us=duration)
    return result


def settle(site: Site) -> None:
    """Let the previous run drain. Gunicorn's sync workers linger up to 2 s on each
    connection a finished wrk left half-closed; a run started at once would measure
    that backlog, not the page."""
    time.sleep(2.5)
    for host in site.hosts:
        get(Site((host,)), "/_bench/ok")


def pages(site: Site, seeded: dict) -> list[tuple[str, str, dict, int]]:
    """(label, path, headers, expected status) of every page measured."""
    member = seeded["member"]
    cookie = {"Cookie": signed_in_cookie(member.user)}
    gzip = {"Accept-Encoding": "gzip"}
    from events.models import Session

    session = Session.objects.filter(event=seeded["event"], audience="public").order_by("pk")[0]
    feed = f"/calendar/{member.calendar_token}.ics"
    status, headers, _ = get(site, feed)
    conditional = {}
    if headers.get("ETag"):
        conditional["If-None-Match"] = headers["ETag"]
    if headers.get("Last-Modified"):
        conditional["If-Modified-Since"] = headers["Last-Modified"]
    return [
        ("/", "/", gzip, 200),
        ("/agenda/ anonymous", "/agenda/", gzip, 200),
        ("/agenda/ after a change (caches off)", "/agenda/", {**gzip, "X-Bench-Cache": "off"}, 200),
        ("/agenda/ signed in", "/agenda/", {**gzip, **cookie}, 200),
        ("/agenda/sessions/<id>/", session.get_absolute_url(), gzip, 200),
        ("/documents/", "/documents/", gzip, 200),
        ("/documents/?q=trabajadoras", "/documents/?q=trabajadoras", gzip, 200),
        ("/me/", "/me/", {**gzip, **cookie}, 200),
        ("/me/schedule/", "/me/schedule/", {**gzip, **cookie}, 200),
        ("/calendar/<token>.ics", feed, {}, 200),
        ("/calendar/<token>.ics 304", feed, conditional, 304 if conditional else 200),
        ("/agenda.ics", "/agenda.ics", {}, 200),
    ]


def measure(site: Site, measured: list, *, seconds: int, rounds: int, connections: int) -> dict:
    for label, path, headers, expected in measured:
        status = get(site, path, headers)[0]
        if status != expected:
            sys.exit(f"{label}: {path} answered {status}, not {expected}")
    wrk(site, "/_bench/ok", {}, seconds=2, connections=connections)  # warm the workers up
    table = {label: [] for label, *_ in measured}
    trivial = []
    for number in range(rounds):
        print(f"  round {number + 1} of {rounds}", flush=True)
        for label, path, headers, _ in measured:
            ok = wrk(site, "/_bench/ok", {}, seconds=seconds, connections=connections)
            page = wrk(site, path, headers, seconds=seconds, connections=connections)
            page["ratio"] = page["rps"] / ok["rps"]
            page["trivial_p95_us"] = ok["p95_us"]
            trivial.append(ok)
            table[label].append(page)
    return {"trivial": trivial, "pages": table}


def summarise(runs: list[dict]) -> dict:
    pick = lambda key: statistics.median(run[key] for run in runs)  # noqa: E731
    summary = {key: pick(key) for key in ("rps", "p50_us", "p95_us", "p99_us")}
    summary["errors"] = sum(run["socket_errors"] + run["http_errors"] for run in runs)
    if "ratio" in runs[0]:
        summary["ratio"] = pick("ratio")
        summary["p95_vs_trivial"] = statistics.median(
            run["p95_us"] / max(run["trivial_p95_us"], 1) for run in runs
        )
    return summary


# --- The registration rush --------------------------------------------------------------------
def rush(site: Site, accounts, event) -> dict:
    """Every account opens the open-day form (CSRF cookie and token), then all post it at
    once; the time is from the first post to the last answer."""
    from concurrent.futures import ThreadPoolExecutor

    from participants.models import Registration, RegistrationType

    open_day = RegistrationType.objects.get(event=event, slug="open-day")
    origin = f"https://{site.host}"

    def prepare(participant):
        cookie = signed_in_cookie(participant.user)
        status, headers, body = get(site, "/register/?type=open-day", {"Cookie": cookie})
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        cookies = "; ".join(headers.get_all("Set-Cookie") or [])
        csrf = re.search(r"csrftoken=([^;]+)", cookies).group(1)
        return f"{cookie}; csrftoken={csrf}", token

    with ThreadPoolExecutor(8) as pool:
        prepared = list(pool.map(prepare, accounts))
    barrier = threading.Barrier(len(prepared) + 1)
    answers: list = [None] * len(prepared)

    def post(index: int) -> None:
        cookie, token = prepared[index]
        body = urlencode({"csrfmiddlewaretoken": token, "type": open_day.pk, "motivation": ""})
        barrier.wait()
        try:
            status, headers, _ = get(
                site,
                "/register/",
                {
                    "Cookie": cookie,
                    "Origin": origin,
                    "Referer": f"{origin}/register/",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
                method="POST",
                body=body,
            )
            answers[index] = (status, headers.get("Location", ""))
        except OSError as error:
            answers[index] = (0, type(error).__name__)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(prepared))]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    mine = Registration.objects.filter(participant__in=accounts, type=open_day)
    return {
        "attempts": len(prepared),
        "places": RUSH_PLACES,
        "confirmed": mine.filter(status="approved").count(),
        "waitlisted": mine.filter(status="waitlisted").count(),
        "errors": sum(1 for status, where in answers if status != 302 or where != "/me/"),
        "error_kinds": sorted(
            {f"{status} {where}" for status, where in answers if status != 302 or where != "/me/"}
        )[:5],
        "seconds": round(elapsed, 2),
    }


# --- Main -------------------------------------------------------------------------------------
def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=4, help="each wrk run (default 4)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--connections", type=int, default=50, help="wrk connections")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database a --keep run left (no new seeding; the rush's registrations "
        "of that run are removed first)",
    )
    parser.add_argument(
        "--instances",
        type=int,
        default=1,
        help="start this many gunicorn instances (each as compose runs it) on one database "
        "and Redis; wrk's threads are spread over them (default 1)",
    )
    parser.add_argument(
        "--balancer",
        choices=["nginx"],
        help="measure through a load balancer in front of the --instances (nginx with "
        "deploy/nginx.conf's server block, round robin) instead of spreading wrk's threads",
    )
    parser.add_argument(
        "--base-url",
        action="append",
        metavar="URL",
        help="measure a site already running at http://host:port (repeatable: one per "
        "instance) instead of starting gunicorn; it must run with the environment "
        "--print-env prints (the benchmark's database, Redis, secret key)",
    )
    parser.add_argument(
        "--print-env", action="store_true", help="print the server environment and stop"
    )
    parser.add_argument(
        "--only", action="append", metavar="LABEL", help="measure only pages whose label starts so"
    )
    parser.add_argument("--no-rush", action="store_true", help="skip the registration rush")
    parser.add_argument(
        "--profile",
        action="append",
        metavar="PATH",
        help="instead of measuring: profile PATH (signed in as the member; repeatable; "
        "<token> stands for the member's calendar token) with pyinstrument, in process, "
        "and write benchmarks/results/profile-*.txt",
    )
    parser.add_argument(
        "--profile-anonymous", action="store_true", help="profile as an anonymous visitor"
    )
    parser.add_argument(
        "--profile-caches-off", action="store_true", help="profile with every page cache missing"
    )
    return parser.parse_args()


def main() -> None:
    args = parse_arguments()
    if not shutil.which("wrk") and not (args.profile or args.print_env):
        sys.exit("wrk is missing: apt-get install -y wrk")
    started = time.monotonic()
    media = tempfile.mkdtemp(prefix="sanjose-bench-media-")
    env = bench_environment(media)
    if args.print_env:
        shown = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL")
        print("\n".join(f"{k}={env[k]}" for k in ("DEBUG", "SANJOSE_BENCHMARK", *shown)))
        return
    if args.base_url and not os.environ.get("BENCH_SECRET_KEY"):
        sys.exit("--base-url needs BENCH_SECRET_KEY, the SECRET_KEY the site there runs with.")
    if args.profile:
        env["ALLOWED_HOSTS"] += ",testserver"
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    seeded, counts, seed_seconds = prepare(env, reuse=args.reuse)

    from django.db import connections

    if args.profile:
        try:
            profile(
                args.profile,
                seeded,
                anonymous=args.profile_anonymous,
                caches_off=args.profile_caches_off,
            )
        finally:
            connections.close_all()
            if not args.keep:
                recreate_database(env["DATABASE_URL"])
        return
    servers: list[subprocess.Popen] = []
    balancer = None
    if args.balancer:
        env["TRUSTED_PROXY_COUNT"] = "1"  # as the compose file's web behind its lb
    try:
        if args.base_url:
            site = site_from_urls(args.base_url)
            for host in site.hosts:
                wait_for(Site((host,)))
        else:
            hosts = []
            for number in range(args.instances):
                log = (
                    Path(tempfile.gettempdir())
                    / f"sanjose-bench-gunicorn-{os.getpid()}-{number}.log"
                )
                server, port = start_server(env, log)
                servers.append(server)
                hosts.append(("127.0.0.1", port))
            site = Site(tuple(hosts))
            if args.balancer:
                balancer, listen = start_balancer([port for _host, port in hosts])
                site = Site((("127.0.0.1", listen),))
        measured = pages(site, seeded)
        if args.only:
            measured = [m for m in measured if m[0].startswith(tuple(args.only))]
        print(f"Measuring {len(measured)} pages against the trivial view", flush=True)
        table = measure(
            site, measured, seconds=args.seconds, rounds=args.rounds, connections=args.connections
        )
        peaks = worker_peak_rss(servers)
        rushed = None
        if not args.no_rush:
            print("Registration rush", flush=True)
            rushed = rush(site, seeded["rush"], seeded["event"])
            peaks = [max(a, b) for a, b in zip(peaks, worker_peak_rss(servers), strict=False)]
    finally:
        if balancer is not None:
            balancer.terminate()
            balancer.wait(30)
        for server in servers:
            server.terminate()
            server.wait(30)
        connections.close_all()
        shutil.rmtree(media, ignore_errors=True)
        if not (args.keep or args.base_url):
            recreate_database(env["DATABASE_URL"])
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "server": server_description(args),
        "wrk": f"-t{max(2, len(site.hosts))} -c{args.connections} -d{args.seconds}s, "
        f"{args.rounds} interleaved rounds",
        "data": counts,
        "seed_seconds": round(seed_seconds, 1),
        "trivial": summarise(table["trivial"]),
        "pages": {label: summarise(runs) for label, runs in table["pages"].items()},
        "worker_peak_rss_mib": [round(kib / 1024, 1) for kib in peaks],
        "registration_rush": rushed,
        "total_seconds": round(time.monotonic() - started),
    }
    print_report(report)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    names = [f"load-{stamp}.json"]
    if not (args.only or args.no_rush):  # latest.json is always a whole run
        names.append("latest.json")
    for name in names:
        (RESULTS / name).write_text(json.dumps(report, indent=2) + "\n")
    if rushed is None:
        return
    ok = rushed["confirmed"] == RUSH_PLACES and rushed["waitlisted"] == RUSH_ACCOUNTS - RUSH_PLACES
    sys.exit(0 if ok and rushed["errors"] == 0 else 1)


def server_description(args: argparse.Namespace) -> str:
    if args.base_url:
        return "given: " + ", ".join(args.base_url)
    command = " ".join(gunicorn_command(0)[1:]).replace("127.0.0.1:0", "127.0.0.1:<port>")
    described = command if args.instances == 1 else f"{args.instances} × {command}"
    if args.balancer:
        described = f"{args.balancer} (deploy/nginx.conf, round robin) → {described}"
    return described


def prepare(env: dict, *, reuse: bool) -> tuple[dict, dict, float]:
    """The seeded event: made afresh (migrate, demo, then the large event), or found as a
    --keep run left it."""
    import redis

    if not reuse:
        print("Preparing the database and static files", flush=True)
        recreate_database(env["DATABASE_URL"])
        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
        manage(env, "migrate", "--no-input")
        manage(env, "collectstatic", "--no-input")
        manage(env, "load_demo", "--admin-password", BENCH_PASSWORD)

    import django

    django.setup()
    from django.db import transaction

    t = time.monotonic()
    if reuse:
        print("Reusing the seeded event", flush=True)
        manage(env, "collectstatic", "--no-input")
        seeded = reseeded()
    else:
        print("Seeding the large event", flush=True)
        with transaction.atomic():
            seeded = seed()
    seed_seconds = time.monotonic() - t
    redis.Redis.from_url(env["REDIS_URL"]).flushdb()  # bulk inserts bypass the cache versions
    counts = event_counts(seeded["event"])
    print(f"  {counts} in {seed_seconds:.0f} s", flush=True)
    return seeded, counts, seed_seconds


def profile(
    paths: list[str], seeded: dict, *, anonymous: bool, caches_off: bool, runs: int = 20
) -> None:
    """Where the time of a page goes: `runs` warm requests (the first one fills the
    caches) through the whole middleware stack, signed in as the member (or not)."""
    from django.test import Client
    from pyinstrument import Profiler

    headers = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_ACCEPT_ENCODING": "gzip"}
    if caches_off:
        headers["HTTP_X_BENCH_CACHE"] = "off"
    client = Client(**headers)
    if not anonymous:
        client.force_login(seeded["member"].user)
    RESULTS.mkdir(exist_ok=True)
    for shown in paths:
        path = shown.replace("<token>", seeded["member"].calendar_token)
        assert client.get(path).status_code == 200, shown
        profiler = Profiler(interval=0.0005)
        started = time.perf_counter()
        with profiler:
            for _ in range(runs):
                client.get(path)
        per_request = (time.perf_counter() - started) / runs * 1000
        text = profiler.output_text(unicode=False, color=False, show_all=False)
        name = re.sub(r"[^a-z0-9]+", "-", shown.lower()).strip("-") or "home"  # no token
        name += "-anonymous" if anonymous else ""
        name += "-caches-off" if caches_off else ""
        (RESULTS / f"profile-{name}.txt").write_text(text)
        print(f"== {shown}: {per_request:.1f} ms a request (profiled)\n{text}")


def event_counts(event) -> dict:
    from documents.models import Document
    from events.models import Room, Session
    from participants.models import Group, Participant

    return {
        "sessions": Session.objects.filter(event=event).count(),
        "days": event.days.count(),
        "rooms": Room.objects.filter(event=event).count(),
        "participants": Participant.objects.count() - RUSH_ACCOUNTS,
        "groups": Group.objects.filter(event=event).count(),
        "documents": Document.objects.filter(event=event).count(),
    }


def machine() -> dict:
    load = os.getloadavg()
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_average_at_end": [round(x, 1) for x in load],
        "note": "2 cores shared with other agents' test runs: noisy",
    }


def print_report(report: dict) -> None:
    trivial = report["trivial"]
    print(f"\n{report['data']}  (seeded in {report['seed_seconds']} s)")
    print(f"server: {report['server']}\nwrk: {report['wrk']}")
    print(
        f"{'page':<40}{'req/s':>8}{'ratio':>7}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
        f"{'p95/triv':>9}{'errors':>7}"
    )
    rows = [("trivial view (HttpResponse('ok'))", trivial)] + list(report["pages"].items())
    for label, row in rows:
        ratio = f"{row['ratio']:.3f}" if "ratio" in row else "1"
        p95x = f"{row['p95_vs_trivial']:.1f}" if "p95_vs_trivial" in row else "1"
        print(
            f"{label:<40}{row['rps']:>8.0f}{ratio:>7}{row['p50_us'] / 1000:>8.1f}"
            f"{row['p95_us'] / 1000:>8.1f}{row['p99_us'] / 1000:>8.1f}{p95x:>9}"
            f"{row['errors']:>7}"
        )
    print(f"worker peak RSS (MiB): {report['worker_peak_rss_mib']}")
    r = report["registration_rush"]
    print(
        f"registration rush: {r['attempts']} for {r['places']} places: {r['confirmed']} "
        f"confirmed, {r['waitlisted']} waitlisted, {r['errors']} errors, {r['seconds']} s"
    )
    print(f"machine: {report['machine']}; whole run {report['total_seconds']} s")


if __name__ == "__main__":
    main()
