"""Settings for the San José Dialogue platform: one file, driven by the environment.

Every variable is documented in `.env.example`. With nothing set, the site runs on
SQLite, Celery tasks run inline and email goes to the console (the embedded default).
A bad value stops start-up with a message naming the variable (see `manage.py`).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from botocore.config import Config as BotoConfig
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
DEVELOPMENT_SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"


class ConfigurationError(ImproperlyConfigured):
    """A bad environment value: `manage.py` prints it without a traceback."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, not {raw!r}.") from None


def s3_storage_options(
    *,
    bucket: str,
    endpoint_url: str,
    access_key: str,
    secret_key: str,
    region: str,
    signed_url_seconds: int,
) -> dict:
    """django-storages' S3 options: private objects, signed URLs, never an overwrite."""
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "region_name": region or None,
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": signed_url_seconds,
        "file_overwrite": False,
        # A store that does not answer fails a request (and the readiness check) in
        # seconds, not after botocore's minute of retries.
        "client_config": BotoConfig(
            signature_version="s3v4",
            s3={"addressing_style": "path"},
            connect_timeout=3,
            read_timeout=30,
            retries={"max_attempts": 2, "mode": "standard"},
        ),
    }  # fmt: skip


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as error:  # the library raises several types for one mistake
        raise ConfigurationError(f"DATABASE_URL could not be parsed ({error}).") from None
    if not config.get("ENGINE") or not config.get("NAME"):
        raise ConfigurationError(
            "DATABASE_URL must look like postgres://USER@HOST:PORT/NAME or sqlite:///PATH."
        )
    return config


def redis_url_checked(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss"} or not parts.hostname:
        raise ConfigurationError(f"REDIS_URL must look like redis://HOST:PORT/DB, not {url!r}.")
    return url


# --- Core -----------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ConfigurationError(
        "SECRET_KEY must be set to a long random value (50+ characters) when DEBUG is "
        "false; the development key is refused."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])
TESTING = env_bool("SANJOSE_TESTING", False)
# benchmarks/load.py only: mounts the trivial view and honours `X-Bench-Cache: off`.
BENCHMARK = env_bool("SANJOSE_BENCHMARK", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # allauth.usersessions' templates
    "django.contrib.sites",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.usersessions",
    "allauth.mfa",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "sanjose",
    "sanjose.outbox",
    "sanjose.pages",
    "events",
    "participants",
    "documents",
]

MIDDLEWARE = [
    "sanjose.logs.RequestIdMiddleware",
    "sanjose.pagecache.RequestScopeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # gzip against BREACH: Django masks the CSRF token anew in every response and pads
    # every compressed body with random bytes ("Heal the BREACH"), which blinds the
    # length oracle for the other secrets (README, "Load benchmark").
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sanjose.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "sanjose.middleware.RefuseControlCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sanjose.middleware.ViewerMarkMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sanjose.middleware.OfflineCopyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "sanjose.middleware.StaffIdleTimeoutMiddleware",
    "sanjose.mfa.StaffTwoFactorMiddleware",
    "sanjose.middleware.PrivateCacheMiddleware",
]
if BENCHMARK:
    MIDDLEWARE.append("sanjose.benchmark.CacheBypassMiddleware")

ROOT_URLCONF = "sanjose.urls"
WSGI_APPLICATION = "sanjose.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sanjose.context_processors.site",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = redis_url_checked(env_str("REDIS_URL")) if env_str("REDIS_URL") else ""
if REDIS_URL:
    CACHES = {
        "default": {
            # Degrades to a local cache while Redis is away (sanjose/cache.py).
            "BACKEND": "sanjose.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sanjose",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery (broker: Redis; without it tasks run inline) ------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
# Publishing happens in web requests (after commit): with the broker away, give up within
# about a second and leave the work to the outbox sweep (sanjose/queueing.py).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Reliability (README, "Email and the outbox"): a task is acknowledged only when it has
# run, and a task whose worker died goes back to the queue; the outbox row's claim and
# attempt counter make a re-delivered task harmless and stop a poison message looping.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
# Above the longest task's time limit and the longest retry countdown (300 s), so Redis
# does not hand a running or waiting task to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 900}
CELERY_TIMEZONE = "UTC"
# Two queues, so that a slow preview or a digest run never delays a confirmation email:
# `default` (the outbox: one message per task) and `bulk` (previews, scans, digests). A
# worker started without -Q consumes both; in production each queue gets its own workers.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = [Queue("default"), Queue("bulk")]
CELERY_TASK_ROUTES = {
    "documents.tasks.*": {"queue": "bulk"},
    "participants.tasks.*": {"queue": "bulk"},
}
# Exactly one scheduler however many beats run (sanjose/beat.py): a lease in Redis.
BEAT_LEASE_SECONDS = env_int("BEAT_LEASE_SECONDS", 30)
BEAT_HEARTBEAT_SECONDS = env_int("BEAT_HEARTBEAT_SECONDS", 60)
if REDIS_URL:
    CELERY_BEAT_SCHEDULER = "sanjose.beat:SingleBeatScheduler"
# Periodic scans find what is due and not yet sent; the outbox key makes them idempotent,
# so a late or repeated run sends nothing twice. Exactly one beat process runs them.
CELERY_BEAT_SCHEDULE: dict = {
    "beat-heartbeat": {
        "task": "sanjose.tasks.task_beat_heartbeat",
        "schedule": float(BEAT_HEARTBEAT_SECONDS),
    },
    "sweep-outbox": {"task": "sanjose.outbox.tasks.task_sweep_outbox", "schedule": 60.0},
    "sweep-bulk-jobs": {"task": "participants.tasks.task_sweep_bulk_jobs", "schedule": 300.0},
    "queue-daily-digests": {
        "task": "participants.tasks.task_queue_daily_digests",
        "schedule": 300.0,
    },
    "queue-session-reminders": {
        "task": "participants.tasks.task_queue_session_reminders",
        "schedule": 60.0,
    },
    "notify-schedule-changes": {
        "task": "participants.tasks.task_notify_schedule_changes",
        "schedule": 60.0,
    },
    "notify-new-material": {
        "task": "participants.tasks.task_notify_new_material",
        "schedule": 300.0,
    },
    "queue-feedback-reminders": {
        "task": "participants.tasks.task_queue_feedback_reminders",
        "schedule": 300.0,
    },
    "anonymise-past-events": {
        "task": "participants.tasks.task_anonymise_past_events",
        "schedule": 6 * 3600.0,
    },
    "purge-outbox-bodies": {
        "task": "sanjose.outbox.tasks.task_purge_outbox_bodies",
        "schedule": 3600.0,
    },
}
# Personal data of an event is anonymised this many months after its last day.
# Feedback (session and event evaluations) stays open this many days after the last day.
FEEDBACK_OPEN_DAYS = env_int("FEEDBACK_OPEN_DAYS", 14)
if FEEDBACK_OPEN_DAYS < 0:
    raise ConfigurationError("FEEDBACK_OPEN_DAYS must be 0 or more.")
PERSONAL_DATA_RETENTION_MONTHS = env_int("PERSONAL_DATA_RETENTION_MONTHS", 6)
if PERSONAL_DATA_RETENTION_MONTHS < 0:
    raise ConfigurationError("PERSONAL_DATA_RETENTION_MONTHS must be 0 or more.")
# Days the body of a sent email is kept (to answer "what did we send?"); then only the
# row stays (who, what kind, when, its key). Secret messages keep theirs not at all.
OUTBOX_BODY_RETENTION_DAYS = env_int("OUTBOX_BODY_RETENTION_DAYS", 30)

# --- Authentication (django-allauth) ----------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/me/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CHANGE_EMAIL = True
# Security notices to the account's address: the old address is told of an email change
# (someone who took over the account cannot silently move it), and of password changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# A password change keeps the current session (re-keyed) and ends every other one
# (participants.accounts.adapter; Django's session hash alone would only refuse them later).
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Failed logins are limited per client address (generously: the venue is one address),
# and per address *and* account (the adapter keys them so): five wrong passwords from
# elsewhere cannot lock the owner out.
ACCOUNT_RATE_LIMITS = {"login_failed": "60/m/ip,5/5m/key"}
# allauth.usersessions knows each user's sessions, so that logout, a password change,
# deactivation and erasure can end them all.
USERSESSIONS_TRACK_ACTIVITY = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[San José Dialogue] "
ACCOUNT_ADAPTER = "participants.accounts.adapter.AccountAdapter"
# The email is the login: allauth's generated username is never shown to anyone.
ACCOUNT_USER_DISPLAY = "participants.accounts.adapter.user_display"
ACCOUNT_FORMS = {"signup": "participants.accounts.forms.SignupForm"}
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Two-factor authentication (allauth.mfa): required of staff before the admin and the
# staff pages (sanjose/mfa.py). QR codes with segno; secrets sealed in the database.
MFA_ADAPTER = "sanjose.mfa.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "San José Dialogue"
# Behind the venue's reverse proxy, the client address is the one the proxy saw.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Tests create many accounts: a fast hasher there, the strong default everywhere else.
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages and time ------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "America/Costa_Rica"
# Only the default of a new event's time zone and the fallback while there is no current
# event: what the site shows follows `Event.time_zone` (sanjose/eventzone.py).
EVENT_TIME_ZONE = "America/Costa_Rica"

# --- Static and private files ------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploads are private: no MEDIA_URL is routed; files leave only through views that
# check the access rule (FileResponse, or X-Accel-Redirect behind nginx).
MEDIA_URL = "/private-media-is-not-served/"
PRIVATE_MEDIA_ACCEL_PREFIX = env_str("PRIVATE_MEDIA_ACCEL_PREFIX")
# S3-compatible object storage for uploads when S3_BUCKET is set (django-storages); the
# private local folder otherwise. Objects stay private: a download passes the permission
# check, then the store sends the file through a URL signed for a short while.
S3_BUCKET = env_str("S3_BUCKET")
PRIVATE_MEDIA_SIGNED_URLS = bool(S3_BUCKET)
PRIVATE_MEDIA_SIGNED_URL_SECONDS = env_int("S3_SIGNED_URL_SECONDS", 60)
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3_storage_options(
                bucket=S3_BUCKET,
                endpoint_url=env_str("S3_ENDPOINT_URL"),
                access_key=env_str("S3_ACCESS_KEY_ID"),
                secret_key=env_str("S3_SECRET_ACCESS_KEY"),
                region=env_str("S3_REGION"),
                signed_url_seconds=PRIVATE_MEDIA_SIGNED_URL_SECONDS,
            ),
        }
        if S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Development and tests serve static files straight from the finders; production from
# the collected, compressed and hashed copy.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
FILE_UPLOAD_PERMISSIONS = 0o640
DOCUMENT_MAX_UPLOAD_MB = env_int("DOCUMENT_MAX_UPLOAD_MB", 50)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Email ---------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "San José Dialogue <dialogue@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Forms ---------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security ------------------------------------------------------------------------------
# Content-Security-Policy (django-csp, sanjose/middleware.py): our own files only, no inline
# script or style (the admin alone may use inline styles), no framing, no plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "media-src": [SELF, "blob:"],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SESSION_COOKIE_HTTPONLY = True
# Messages can name the person (allauth: "signed in as …"): kept in the session, never in
# a cookie of their own.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Staff sessions end after this many idle minutes (sanjose.middleware); 0 turns it off.
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 30)
if STAFF_SESSION_IDLE_MINUTES < 0:
    raise ConfigurationError("STAFF_SESSION_IDLE_MINUTES must be 0 (off) or more.")
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Rate limits ----------------------------------------------------------------------
# Our own endpoints (sanjose/ratelimit.py: N per s/m/h/d, per user, client address or URL
# token); allauth limits login, signup and password reset itself. Per-address limits are
# generous: the whole venue reaches the site from one address. RATE_LIMITS=false turns
# every limit off, allauth's included (load benchmarks only).
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS", True)
SANJOSE_RATE_LIMITS = (
    {
        "register": "10/m/user,300/m/ip",  # /register/, the open-day form included
        "invitation": "30/m/ip",
        "unsubscribe": "30/m/ip",
        "checkin": "120/m/user",  # the desk: scans, typed codes and name searches
        "calendar_feed": "60/m/token,600/m/ip",
        "agenda_feed": "600/m/ip",
        "calendar_reset": "10/h/user",
        "verify": "30/m/ip,300/d/ip",  # the public check of certificate and letter codes
    }
    if RATE_LIMITS_ENABLED
    else {}
)
if not RATE_LIMITS_ENABLED:
    ACCOUNT_RATE_LIMITS = False

# --- Logging: no personal data, no secrets -------------------------------------------
# LOG_FORMAT=json: one JSON object a line with the request id (sanjose/logs.py), for a log
# collector gathering the lines of every web and worker process; plain text otherwise.
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ConfigurationError(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Tokens and keys in URLs ("Not Found: /calendar/<token>.ics") are redacted.
    "filters": {
        "request_id": {"()": "sanjose.logs.RequestIdFilter"},
        "redact_secrets": {"()": "sanjose.log_filters.RedactSecretsFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "sanjose.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own lines (404s with their path, runserver's requests) go through the
        # same filter, not through Django's default handlers (an unfiltered console while
        # DEBUG, and mail to ADMINS carrying the whole request).
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        # Inline tasks (no broker) would log every run into management commands' output.
        "celery.app.trace": {"level": "INFO" if REDIS_URL else "WARNING"},
        # fpdf2 subsets fonts through fontTools, which narrates every glyph table at INFO.
        "fontTools": {"level": "WARNING"},
    },
}
