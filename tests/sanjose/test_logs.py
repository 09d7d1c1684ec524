"""Structured logs: JSON lines carrying the request id, which the response also carries."""

import io
import json
import logging

import pytest

from sanjose.logs import JsonFormatter, RequestIdFilter
from tests.sanjose.test_settings import run_manage

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def test_every_response_carries_a_request_id(client):
    first, second = client.get("/healthz/live"), client.get("/healthz/live")

    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_load_balancers_id_is_kept_and_a_bad_one_replaced(client):
    kept = client.get("/healthz/live", HTTP_X_REQUEST_ID="lb-7f3a9c21e0")
    replaced = client.get("/healthz/live", HTTP_X_REQUEST_ID="<script>alert(1)</script>")

    assert kept["X-Request-ID"] == "lb-7f3a9c21e0"
    assert replaced["X-Request-ID"] != "<script>alert(1)</script>"
    assert len(replaced["X-Request-ID"]) == 32


def test_a_log_line_is_json_with_the_requests_id(client, json_lines):
    response = client.get("/agenda/sessions/999999/")

    [line] = [entry for entry in json_lines() if entry["logger"] == "django.request"]
    assert response.status_code == 404
    assert line["request_id"] == response["X-Request-ID"]
    assert line["level"] == "WARNING"
    assert set(line) == {"time", "level", "logger", "message", "request_id"}


def test_an_unknown_log_format_is_refused():
    result = run_manage("check", LOG_FORMAT="xml")

    assert result.returncode == 2
    assert "LOG_FORMAT must be plain or json, not 'xml'" in result.stderr
