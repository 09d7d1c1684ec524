"""Two `celery beat` processes by mistake: only the lease holder sends periodic jobs, and
the other takes over when the holder dies. Real beats, real Redis (no worker needed: the
queue in Redis shows what was sent)."""

import contextlib
import os
import signal
import subprocess
import sys

import pytest
import redis

from .conftest import ROOT, integration_broker_url, wait_for

pytestmark = pytest.mark.integration
SENT = b"Sending due task beat-heartbeat"


class Beat:
    def __init__(self, name: str, tmp_path, broker_url: str):
        self.log = tmp_path / f"beat-{name}.log"
        env = {
            **os.environ,
            "REDIS_URL": broker_url,
            "BEAT_HEARTBEAT_SECONDS": "1",
            "BEAT_LEASE_SECONDS": "3",
            "PYTHONUNBUFFERED": "1",  # the test reads the log as it grows
        }
        command = [
            sys.executable, "-m", "celery", "-A", "sanjose", "beat", "--loglevel", "INFO",
            "--schedule", str(tmp_path / f"schedule-{name}"),
        ]  # fmt: skip
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def sent(self) -> int:
        return self.log.read_bytes().count(SENT)

    def text(self) -> str:
        return self.log.read_text()[-3000:]

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


@pytest.fixture
def beats(tmp_path):
    url = integration_broker_url()
    client = redis.Redis.from_url(url)
    client.flushdb()
    started: list[Beat] = []

    def start(name: str) -> Beat:
        beat = Beat(name, tmp_path, url)
        started.append(beat)
        return beat

    yield start, client
    for beat in started:
        beat.kill()
    client.flushdb()


def test_two_beats_send_each_job_once_and_the_second_takes_over(beats):
    start, broker = beats
    first = start("first")
    wait_for(lambda: first.sent() >= 1, timeout=60, what="the first beat to send")
    second = start("second")
    wait_for(lambda: b"beat: Starting" in second.log.read_bytes(), timeout=60, what="beat 2")

    since = first.sent()
    wait_for(lambda: first.sent() >= since + 4, timeout=30, what="four heartbeats more")
    first.kill()

    assert second.sent() == 0, second.text()
    assert broker.llen("default") == first.sent()  # and the queue holds only the first's

    wait_for(lambda: second.sent() >= 2, timeout=20, what="the second beat to take over")
    second.kill()
    assert broker.llen("default") == first.sent() + second.sent()
