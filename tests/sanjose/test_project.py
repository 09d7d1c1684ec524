"""Project-wide guarantees: migrations in step, the compose file names real code."""

import importlib
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_models_and_migrations_are_in_step():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def load_compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_every_service_of_the_design():
    services = load_compose()["services"]
    assert set(services) >= {"db", "redis", "web", "worker", "beat", "mail"}
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")


def test_compose_commands_name_modules_that_exist():
    services = load_compose()["services"]
    web = " ".join(services["web"]["command"])
    assert "gunicorn" in web and "sanjose.wsgi:application" in web
    assert hasattr(importlib.import_module("sanjose.wsgi"), "application")
    assert "migrate" in " ".join(services["migrate"]["command"])
    for name, role in [("worker", "worker"), ("beat", "beat")]:
        command = services[name]["command"]
        assert command[:3] == ["celery", "-A", "sanjose"] and role in command
    assert importlib.import_module("sanjose").celery_app.main == "sanjose"


def test_compose_environment_points_at_the_settings_and_services():
    compose = load_compose()
    env = compose["x-app-environment"]
    assert env["DJANGO_SETTINGS_MODULE"] == "sanjose.settings"
    assert importlib.util.find_spec(env["DJANGO_SETTINGS_MODULE"]) is not None
    assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:6379/")
    assert env["EMAIL_HOST"] == "mail"
    for name in ["web", "worker", "beat", "migrate"]:
        assert compose["services"][name]["build"] == "."


def test_dockerfile_installs_the_pinned_requirements():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "python:3.11" in dockerfile
    assert "requirements.txt" in dockerfile
    assert "collectstatic" in dockerfile


def test_compose_scales_web_behind_the_load_balancer():
    services = load_compose()["services"]
    assert "ports" not in services["web"]  # replicas cannot share a host port
    assert services["lb"]["ports"] == ["8000:80"]
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    mounted = services["lb"]["volumes"][0].split(":")[0]
    assert (ROOT / mounted).resolve() == (ROOT / "deploy" / "nginx.conf").resolve()
    assert "server web:8000 resolve" in config
    assert "X-Forwarded-For" in config and "X-Forwarded-Proto" in config
    assert services["web"]["environment"]["TRUSTED_PROXY_COUNT"] == "1"
    assert "/healthz/ready" in " ".join(services["web"]["healthcheck"]["test"])


def test_compose_workers_split_the_queues_the_settings_route_to():
    from django.conf import settings

    services = load_compose()["services"]
    consumed = set()
    for name in ("worker", "worker-bulk"):
        command = services[name]["command"]
        consumed |= set(command[command.index("-Q") + 1].split(","))
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert consumed == {queue.name for queue in settings.CELERY_TASK_QUEUES}
    assert routed | {settings.CELERY_TASK_DEFAULT_QUEUE} == consumed
