"""Lighthouse (npm, mobile preset) on the public pages and, signed in, /me/schedule/.

Run with `make lighthouse` (or DATABASE_URL=... python benchmarks/lighthouse.py). It lays
the demo in a throwaway PostgreSQL database, collects the static files, starts gunicorn
as in production (DEBUG=false, WhiteNoise's compressed and hashed files) on a free port,
runs Lighthouse against Debian's chromium (CHROME_PATH, default /usr/bin/chromium) and
prints the four scores per page. Signed-in pages get the session cookie as a header.
With --check, exit status 1 if a score is under the goal (100 for accessibility, best
practices and SEO; 95 for performance); performance depends on the machine's load.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# The server and this script sign sessions with the same key: one made for this run.
os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
# The demo's files, for this script and the server alike; never the project's media/.
MEDIA = tempfile.TemporaryDirectory(prefix="sanjose-lighthouse-media-")
os.environ["MEDIA_ROOT"] = MEDIA.name
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanjose.settings")
os.environ.setdefault("SANJOSE_TESTING", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pages() -> list[tuple[str, str, bool]]:
    """(label, path, signed in)."""
    from events.models import Session
    from sanjose.access import ANONYMOUS

    session = Session.objects.visible_to(ANONYMOUS).filter(audience="public").first()
    return [
        ("home", "/", False),
        ("agenda", "/agenda/", False),
        ("session", session.get_absolute_url(), False),
        ("open day", "/open-day/", False),
        ("documents", "/documents/", False),
        ("my schedule", "/me/schedule/", True),
    ]


def session_cookie() -> str:
    from participants.models import Participant

    user = Participant.objects.get(badge_name="Bruno Delegate Example 001").user
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return f"{cookie.key}={cookie.value}"


def production_env(port: int, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "false",
        "SANJOSE_TESTING": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": "",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SITE_URL": f"http://localhost:{port}",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "sanjose.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def lighthouse(url: str, cookie: str | None, out: Path) -> dict[str, int]:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless --no-sandbox --disable-gpu",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROME})  # noqa: S603
    report = json.loads(out.read_text())
    failing = [
        f"{audit['id']} ({audit['score']})"
        for audit in report["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in {"binary", "numeric", "metricSavings"}
    ]
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    scores["failing"] = failing
    return scores


def main() -> int:
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run `make dev-setup` (npm install).")
    setup_test_environment()
    database = settings.DATABASES["default"]
    database["TEST"]["NAME"] = f"{database['NAME']}_lighthouse"
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    code = 0
    try:
        call_command("load_demo", "--admin-password", secrets.token_urlsafe(12), stdout=None)
        cookie = session_cookie()
        credentials = database["USER"] + (
            f":{database['PASSWORD']}" if database["PASSWORD"] else ""
        )
        database_url = f"postgres://{credentials}@{database['HOST']}:{database['PORT']}/{name}"
        port = free_port()
        env = production_env(port, database_url)
        manage = [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"]
        subprocess.run(manage, check=True, cwd=ROOT, env=env)  # noqa: S603
        server = start_server(env, port)
        try:
            print(f"{'page':14} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5}")
            with tempfile.TemporaryDirectory() as folder:
                for label, path, signed_in in pages():
                    out = Path(folder) / "report.json"
                    url = f"http://localhost:{port}{path}"
                    scores = lighthouse(url, cookie if signed_in else None, out)
                    below = [c for c in CATEGORIES if scores[c] < GOALS[c]]
                    code = code or (1 if below else 0)
                    print(
                        f"{label:14} "
                        + " ".join(f"{scores[c]:>5}" for c in CATEGORIES)
                        + (f"   below goal: {', '.join(below)}" if below else ""),
                        flush=True,
                    )
                    if scores["failing"]:
                        print(f"{'':14} audits under 1: {', '.join(scores['failing'])}")
        finally:
            server.terminate()
            server.wait(timeout=20)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)
    return code if "--check" in sys.argv else 0


if __name__ == "__main__":
    sys.exit(main())
