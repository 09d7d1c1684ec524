"""The Celery application: Redis broker when REDIS_URL is set, tasks inline otherwise.

Worker:  celery -A sanjose worker --loglevel INFO --concurrency 2
Beat:    celery -A sanjose beat --loglevel INFO   (exactly one, never scaled)
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanjose.settings")

app = Celery("sanjose")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
