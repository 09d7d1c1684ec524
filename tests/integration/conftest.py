"""A real Celery worker against the real Redis, and an SMTP server that captures mail.

The worker is a subprocess (`celery -A sanjose worker`) pointed at the test database
(rows are committed: the tests use `transactional_db`) and at a Redis database of its
own, so that flushing it never touches another test's cache or broker.
"""

import asyncio
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from email import message_from_bytes, policy
from email.message import Message
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from sanjose.celery import app as celery_app

WORKER_START_TIMEOUT = 90
ROOT = Path(settings.BASE_DIR)


def integration_broker_url() -> str:
    """Redis on the host of REDIS_URL, database INTEGRATION_REDIS_DB (10 by default)."""
    base = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    db = os.environ.get("INTEGRATION_REDIS_DB", "10")
    return f"{base.scheme}://{base.netloc}/{db}"


def wait_for(condition, *, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {what}")


class CapturingHandler:
    """Keeps every message it accepts. `hold_at(n)` makes the n-th message wait, so the
    test can kill the worker mid-conversation; released, it is refused (451) and not kept,
    as a real server does with a message whose sender vanished before the end."""

    def __init__(self):
        self.messages: list[Message] = []
        self.lock = threading.Lock()
        self.arrivals = 0
        self.hold_number: int | None = None
        self.held = threading.Event()
        self.release = threading.Event()
        self.port = 0

    def hold_at(self, number: int) -> None:
        self.hold_number = number

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.arrivals += 1
            hold = self.arrivals == self.hold_number
        if hold:
            self.held.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
            return "451 4.3.0 Sender went away, try again later"
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def received(self, subject_start: str = "") -> list[Message]:
        with self.lock:
            return [m for m in self.messages if str(m["Subject"]).startswith(subject_start)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox():
    handler = CapturingHandler()
    handler.port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    yield handler
    handler.release.set()
    controller.stop()


@pytest.fixture
def broker():
    """The test process publishes to the integration Redis database too."""
    url = integration_broker_url()
    client = redis.Redis.from_url(url)
    client.flushdb()
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield url
    celery_app.conf.broker_url = previous
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    client.flushdb()
    client.close()


class Workers:
    """Starts `celery -A sanjose worker` subprocesses; kills them all in teardown."""

    def __init__(self, *, broker_url: str, smtp_port: int, log_dir: Path):
        db = connection.settings_dict
        database_url = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "sanjose.settings",
            "DATABASE_URL": database_url,
            "REDIS_URL": broker_url,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_USE_TLS": "false",
        }
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen] = []

    def start(self, *, queues: str = "") -> subprocess.Popen:
        """A worker of `queues` (comma-separated; every queue when empty)."""
        log = self.log_dir / f"worker-{len(self.processes)}.log"
        command = [
            sys.executable, "-m", "celery", "-A", "sanjose", "worker",
            "--pool", "prefork", "--concurrency", "1", "--loglevel", "INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--hostname", f"integration-{uuid.uuid4().hex[:8]}@%h",
            *(["-Q", queues] if queues else []),
        ]  # fmt: skip
        with log.open("wb") as output:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the pool dies with it
            )
        self.processes.append(process)
        wait_for(
            lambda: process.poll() is not None or b" ready." in log.read_bytes(),
            timeout=WORKER_START_TIMEOUT,
            what="the Celery worker to be ready",
        )
        if process.poll() is not None:
            raise AssertionError(f"The worker exited:\n{log.read_text()[-3000:]}")
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the worker and its pool: no shutdown, no acknowledgement."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def succeeded(self, process: subprocess.Popen, task: str) -> int:
        """How many runs of `task` this worker finished (from its log)."""
        log = self.log_dir / f"worker-{self.processes.index(process)}.log"
        return len(re.findall(rf"Task {re.escape(task)}\[[^]]+\] succeeded", log.read_text()))

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text()[-4000:]}"
            for path in sorted(self.log_dir.glob("worker-*.log"))
        )

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                self.kill(process)


@pytest.fixture
def workers(broker, mailbox, tmp_path):
    pool = Workers(broker_url=broker, smtp_port=mailbox.port, log_dir=tmp_path)
    yield pool
    pool.stop_all()
    print(pool.logs())  # pytest shows it only when the test failed
