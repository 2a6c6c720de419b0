"""Jingmin's one settings module, driven by the environment.

Every value a deployment may change is read from an environment variable here; nothing else in the
code reads the environment. `docs/operations.md` lists the variables. SQLite is the embedded
default so that a fresh clone runs at once; production sets DATABASE_URL to PostgreSQL.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("JINGMIN_DEBUG", False)

# A development key is only acceptable when DEBUG is on; production must bring its own.
_DEV_SECRET = "dev-only-insecure-key-jingmin-never-use-in-production-0123456789abcdef"  # noqa: S105 (development only, refused without DEBUG)
SECRET_KEY = env_str("SECRET_KEY") or (_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when JINGMIN_DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Keys for field encryption (Fernet, newest first so that old values stay readable after a
# rotation) and for the keyed hashes that make encrypted identifiers findable.
FIELD_ENCRYPTION_KEYS = env_list("JINGMIN_FIELD_KEYS")
LOOKUP_HASH_KEY = env_str("JINGMIN_LOOKUP_KEY")
if not FIELD_ENCRYPTION_KEYS or not LOOKUP_HASH_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "JINGMIN_FIELD_KEYS and JINGMIN_LOOKUP_KEY must be set when JINGMIN_DEBUG is off."
        )
    # Development only: fixed keys so that a demo database stays readable between runs.
    FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or ["ZGV2LW9ubHktZmllbGQta2V5LWpsbmdtaW4tMDAwMDA="]
    LOOKUP_HASH_KEY = LOOKUP_HASH_KEY or "dev-only-lookup-key"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "jingmin.core",
    "jingmin.org",
    "jingmin.audit",
    "jingmin.auditor",
    "jingmin.worktime",
    "jingmin.notify",
    "jingmin.appeals",
    "jingmin.api",
    "jingmin.open311",
    "jingmin.portal",
    "jingmin.routing",
    "jingmin.ledger",
    "jingmin.visits",
    "jingmin.field",
    "jingmin.evaluation",
    "jingmin.metrics",
    "jingmin.disputes",
    "jingmin.cases",
    "jingmin.warnings",
    "captcha",
]

MIDDLEWARE = [
    # Health probes are answered before host checks, redirects and sessions: a load balancer asks
    # a node by its address over plain HTTP, and a probe must not cost a session read.
    "jingmin.core.health.HealthMiddleware",
    "jingmin.core.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy and Permissions-Policy of every answer (jingmin/core/headers.py).
    "jingmin.core.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jingmin.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "jingmin.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jingmin.org.middleware.SessionPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that the session and the signed-in person are read from the primary first.
    "jingmin.core.routers.ReplicaReadsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jingmin.shell.context_processors.navigation",
                "jingmin.notify.context_processors.unread",
            ],
        },
    },
]

(BASE_DIR / "var" / "static").mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'jingmin.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work beside the writer; IMMEDIATE transactions take the write lock at
    # BEGIN, so two writers queue instead of failing with "database is locked" mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
else:
    DATABASES["default"]["TEST"] = {"NAME": env_str("DATABASE_TEST_NAME", "test_jingmin")}
# PostgreSQL's JIT compiles every large query anew, 0.4-0.7 s each on the indicators' scans, more
# than it saves on queries that are answered from indexes (docs/benchmarks.md): off for our sessions.
PG_SESSION_OPTIONS = {"options": "-c jit=off"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(PG_SESSION_OPTIONS)
# A PostgreSQL streaming replica (hot standby) for heavy reads: the exports, the public statistics
# and the coverage pages (`jingmin.core.routers` names them). Writes never go there; without it
# every read goes to the primary.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0)
    )
    # In tests the replica serves the test database of the primary that it copies.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"].setdefault("OPTIONS", {}).update(PG_SESSION_OPTIONS)
DATABASE_ROUTERS = ["jingmin.core.routers.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "org:signin"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "org:signin"

# Argon2id first; PBKDF2 stays so that a password hashed before still verifies, and Django rehashes
# it with Argon2id at that sign-in.
PASSWORD_HASHERS = [
    "jingmin.org.passwords.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "jingmin.org.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jingmin.org.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]

# Sign-in policy (MLPS level 3 practice: limit failed sign-ins, time out idle sessions), in
# jingmin/org/signin.py and docs/operations.md, "Sign-in policy". No failure locks an account for
# everyone. Failures for one name from one address before that name is refused from there, and
# how long (also the window of the count for one name from anywhere):
SIGNIN_MAX_FAILURES = env_int("JINGMIN_SIGNIN_MAX_FAILURES", 5)
SIGNIN_LOCKOUT_MINUTES = env_int("JINGMIN_SIGNIN_LOCKOUT_MINUTES", 30)
# Failures from one address (any names) before the page asks for the image sum.
SIGNIN_CAPTCHA_AFTER = env_int("JINGMIN_SIGNIN_CAPTCHA_AFTER", 3)
# Failures for one name from anywhere before every sign-in to it needs the image sum.
SIGNIN_ACCOUNT_CAPTCHA_AFTER = env_int("JINGMIN_SIGNIN_ACCOUNT_CAPTCHA_AFTER", 10)
# Failed sign-ins from one client address (any names) before that address is refused for the rest
# of the window that began with its first failure (docs/operations.md, "Sign-in").
SIGNIN_ADDRESS_MAX_FAILURES = env_int("JINGMIN_SIGNIN_ADDRESS_MAX_FAILURES", 20)
SIGNIN_ADDRESS_WINDOW_MINUTES = env_int("JINGMIN_SIGNIN_ADDRESS_WINDOW_MINUTES", 15)
SESSION_IDLE_TIMEOUT_MINUTES = env_int("JINGMIN_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = env_int("JINGMIN_SESSION_MAX_HOURS", 12) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
OTP_TOTP_ISSUER = env_str("JINGMIN_OTP_ISSUER", "Jingmin")

# Audit rows younger than this can never be purged (the GUIDE's minimum is 180 days).
AUDIT_RETENTION_DAYS = max(180, env_int("JINGMIN_AUDIT_RETENTION_DAYS", 180))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# Front-end packages come from the npm registry (package-lock.json) and are served from here.
STATICFILES_DIRS = [
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/swagger-ui", BASE_DIR / "node_modules" / "swagger-ui-dist"),
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
    ("vendor/idb", BASE_DIR / "node_modules" / "idb" / "build"),
]
# Hashed, compressed file names in production; plain names where assets are found on the fly
# (development, tests), so that no collectstatic is needed there.
STATIC_MANIFEST = env_bool("JINGMIN_STATIC_MANIFEST", not DEBUG)
# Uploaded files (attachments, visit photos, ledger workbooks and their reports) go through Django's
# storage API only: a directory (local, or an NFS mount shared by every web node and worker), or an
# S3-compatible object store through django-storages.
MEDIA_ROOT = Path(env_str("JINGMIN_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_STORAGE = env_str("JINGMIN_MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "filesystem":
    _MEDIA_BACKEND: dict[str, Any] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    _MEDIA_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("JINGMIN_S3_BUCKET"),
            "endpoint_url": env_str("JINGMIN_S3_ENDPOINT_URL") or None,
            "region_name": env_str("JINGMIN_S3_REGION") or None,
            "access_key": env_str("JINGMIN_S3_ACCESS_KEY") or None,
            "secret_key": env_str("JINGMIN_S3_SECRET_KEY") or None,
            "location": env_str("JINGMIN_S3_PREFIX"),
            # Files are served only through views that check scope, never by a public link.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if not _MEDIA_BACKEND["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("JINGMIN_S3_BUCKET must be set when JINGMIN_MEDIA_STORAGE is s3.")
else:
    raise ImproperlyConfigured("JINGMIN_MEDIA_STORAGE must be 'filesystem' or 's3'.")
STORAGES = {
    "default": _MEDIA_BACKEND,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

# Transport security: on unless the deployment says it terminates without TLS (tests, demo).
HTTPS = env_bool("JINGMIN_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("JINGMIN_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("JINGMIN_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Addresses of our own reverse proxies. Only a request arriving from one of them has its
# X-Forwarded-For read (right to left, skipping these): the audit log and the portal's rate
# limits then see the client. Empty means REMOTE_ADDR is the client.
TRUSTED_PROXIES = env_list("JINGMIN_TRUSTED_PROXIES")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Said outright, though they are Django's defaults: the checks in test_security_headers read them.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# Logs go to standard error (the journal, under systemd): one line per request with its request id,
# and the same id on every line written while serving it. `json` for a log collector, `text` to read.
LOG_FORMAT = env_str("JINGMIN_LOG_FORMAT", "text")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("JINGMIN_LOG_FORMAT must be 'json' or 'text'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "jingmin.core.logging.ContextFilter"}},
    "formatters": {
        "json": {"()": "jingmin.core.logging.JsonFormatter"},
        "text": {"()": "jingmin.core.logging.TextFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["context"]}
    },
    "root": {"handlers": ["console"], "level": env_str("JINGMIN_LOG_LEVEL", "INFO")},
    "loggers": {
        # Our request line replaces the development server's access line and Django's warning
        # for each 4xx; server errors are still logged by Django, with their traceback.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}
# A request id sent by one of TRUSTED_PROXIES (e.g. nginx's $request_id) is kept; otherwise one is
# made. Either way it is returned in this response header.
REQUEST_ID_HEADER = "X-Request-ID"

# Demo data: one documented password for every demo account.
DEMO_PASSWORD = env_str("JINGMIN_DEMO_PASSWORD", "Jingmin@2026")

# Past one machine: the cache (public statistics, anything rate-limited in the cache) and, if chosen,
# the sessions live in Redis, shared by every web node, through Django's own Redis back-end.
# Without Redis each process keeps its own cache, which is right for one process only.
REDIS_URL = env_str("JINGMIN_REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("JINGMIN_CACHE_PREFIX", "jingmin"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions in the database are shared by every node already; `cached_db` reads them from the cache
# first (Redis) and still writes them to the database; `cache` keeps them in Redis alone.
_SESSION_ENGINES = {
    "db": "django.contrib.sessions.backends.db",
    "cached_db": "django.contrib.sessions.backends.cached_db",
    "cache": "django.contrib.sessions.backends.cache",
}
SESSION_STORE = env_str("JINGMIN_SESSION_STORE", "db")
if SESSION_STORE not in _SESSION_ENGINES:
    raise ImproperlyConfigured("JINGMIN_SESSION_STORE must be 'db', 'cached_db' or 'cache'.")
if SESSION_STORE != "db" and not REDIS_URL:
    raise ImproperlyConfigured("JINGMIN_SESSION_STORE other than 'db' needs JINGMIN_REDIS_URL.")
SESSION_ENGINE = _SESSION_ENGINES[SESSION_STORE]

# Side effects (notifications, reminders, escalations) run as tasks. The database backend needs
# nothing beyond the database; `manage.py db_worker` runs them. Past one machine, RQ on Redis
# (`django_tasks_rq.RQBackend`, worker `manage.py rqworker --job-class django_tasks_rq.Job
# --with-scheduler default`).
TASKS_BACKEND = env_str("JINGMIN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
TASKS: dict[str, dict[str, Any]] = {"default": {"BACKEND": TASKS_BACKEND}}
# RQ keeps its queue in Redis; a Redis whose memory policy may evict keys (a cache) would lose tasks,
# so the queue may have a Redis of its own.
RQ_REDIS_URL = env_str("JINGMIN_RQ_REDIS_URL", REDIS_URL)
if TASKS_BACKEND == "django_tasks_rq.RQBackend":
    if not RQ_REDIS_URL:
        raise ImproperlyConfigured("The RQ tasks back-end needs JINGMIN_RQ_REDIS_URL or JINGMIN_REDIS_URL.")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS["default"]["QUEUES"] = ["default"]
RQ_QUEUES = {"default": {"URL": RQ_REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 600}}
# The worker proves it runs by writing a heartbeat from a task queued every minute
# (`manage.py tasks_heartbeat`); /readyz fails once the newest is older than this.
WORKER_HEARTBEAT_STALE_SECONDS = env_int("JINGMIN_WORKER_STALE_SECONDS", 180)
# Finished task rows keep their arguments (a phone number for an SMS): the heartbeat, run every
# minute, deletes those finished longer ago than this.
TASK_RESULTS_KEEP_DAYS = env_int("JINGMIN_TASK_RESULTS_KEEP_DAYS", 7)

# Notifications to citizens by SMS go through a gateway; the default writes each message to a file
# (and the log) so that nothing is ever sent by accident. A real gateway is a class path here.
SMS_BACKEND = env_str("JINGMIN_SMS_BACKEND", "jingmin.notify.sms.FileSmsBackend")
SMS_FILE_DIR = Path(env_str("JINGMIN_SMS_DIR", str(BASE_DIR / "var" / "sms")))
DEFAULT_FROM_EMAIL = env_str("JINGMIN_FROM_EMAIL", "jingmin@localhost")

# Attachments of appeals: kept in the media storage (above), never in the database.
APPEAL_ATTACHMENT_MAX_BYTES = env_int("JINGMIN_ATTACHMENT_MAX_MB", 10) * 1024 * 1024
APPEAL_ATTACHMENT_MAX_FILES = env_int("JINGMIN_ATTACHMENT_MAX_FILES", 6)
# A reminder goes out when this share of a clock is left (and at least this many minutes before).
APPEAL_REMIND_SHARE = 0.25
# A reopened appeal must be reported on within this many working days (the GUIDE's practice).
APPEAL_REOPEN_WORKING_DAYS = env_int("JINGMIN_REOPEN_WORKING_DAYS", 5)
# The citizen's follow-up link stays valid this many days after conclusion.
APPEAL_FOLLOWUP_LINK_DAYS = env_int("JINGMIN_FOLLOWUP_LINK_DAYS", 30)
# Categories and deadline policies are kept per process; without a shared cache (Redis) another
# process sees a change on the settings page within this many seconds (appeals/reference.py).
APPEAL_REFERENCE_CACHE_SECONDS = env_int("JINGMIN_REFERENCE_CACHE_SECONDS", 60)
# At most this many appeals in one request of the batch intake (POST /api/v1/appeals/batch/).
APPEAL_BATCH_MAX = env_int("JINGMIN_APPEAL_BATCH_MAX", 100)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "jingmin.api.authentication.TokenWithUnitAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "jingmin.api.errors.exception_handler",
    "DEFAULT_METADATA_CLASS": "jingmin.api.metadata.Metadata",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Jingmin staff API",
    "DESCRIPTION": "Appeals, categories and units for the staff of a public security bureau.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page loads Swagger UI from our own static files (npm package), never a CDN.
    "SWAGGER_UI_DIST": STATIC_URL + "vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": STATIC_URL + "vendor/swagger-ui/favicon-32x32.png",
    # One name per choice set, however many fields use it (state, from_state, to_state ...).
    "ENUM_NAME_OVERRIDES": {
        "AppealStateEnum": "jingmin.appeals.models.State",
        "AppealTypeEnum": "jingmin.appeals.models.AppealType",
        "UrgencyEnum": "jingmin.appeals.models.Urgency",
        "ChannelEnum": "jingmin.appeals.models.Channel",
        "ResultEnum": "jingmin.appeals.models.Result",
        "UnitKindEnum": "jingmin.org.models.UnitKind",
        "DisputeStateEnum": "jingmin.disputes.models.State",
        "DisputeTypeEnum": "jingmin.disputes.models.DisputeType",
        "GradeEnum": "jingmin.disputes.models.Grade",
        "SignalStateEnum": "jingmin.warnings.models.State",
        "SignalKindEnum": "jingmin.warnings.models.Kind",
    },
}

# Where citizens reach the public pages: links sent by SMS are built on it.
PUBLIC_BASE_URL = env_str("JINGMIN_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

# Maps (Leaflet). No tile server by default: outlines and points are drawn on a blank background,
# so nothing is fetched from the internet. Set a tile URL template of a server you may use.
MAP_TILE_URL = env_str("JINGMIN_MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("JINGMIN_MAP_TILE_ATTRIBUTION", "")

# --- Public portal (jingmin.portal) ---
# The unit that receives portal appeals when the citizen names no station (a unit code); empty
# means the intake desk (the bureau's command centre).
PORTAL_INTAKE_UNIT = env_str("JINGMIN_PORTAL_UNIT", "")
# Photos a citizen may attach to one appeal, and the size of each (a slow mobile connection
# carries a few megabytes; the attachment limits above apply as well).
PORTAL_MAX_PHOTOS = env_int("JINGMIN_PORTAL_MAX_PHOTOS", 3)
PORTAL_PHOTO_MAX_BYTES = env_int("JINGMIN_PORTAL_PHOTO_MAX_MB", 5) * 1024 * 1024
# The SMS verification code: valid this many minutes, this many wrong tries, a new one at most
# this often.
PORTAL_CODE_MINUTES = env_int("JINGMIN_PORTAL_CODE_MINUTES", 10)
PORTAL_CODE_MAX_ATTEMPTS = env_int("JINGMIN_PORTAL_CODE_ATTEMPTS", 5)
PORTAL_CODE_RESEND_SECONDS = env_int("JINGMIN_PORTAL_CODE_RESEND_SECONDS", 60)
# Rate limits, counted in the database: (window in seconds, captcha once this many acts were
# counted, refused once this many were). Many phones share one carrier address (NAT), hence the
# generous limits per address and the tighter ones per phone number.
PORTAL_LIMITS = {
    "submit-ip": (
        3600,
        env_int("JINGMIN_PORTAL_SUBMIT_IP_CAPTCHA", 3),
        env_int("JINGMIN_PORTAL_SUBMIT_IP_MAX", 30),
    ),
    "submit-phone": (
        86400,
        env_int("JINGMIN_PORTAL_SUBMIT_PHONE_CAPTCHA", 2),
        env_int("JINGMIN_PORTAL_SUBMIT_PHONE_MAX", 5),
    ),
    "code-ip": (
        3600,
        env_int("JINGMIN_PORTAL_CODE_IP_CAPTCHA", 5),
        env_int("JINGMIN_PORTAL_CODE_IP_MAX", 30),
    ),
    "code-phone": (
        86400,
        env_int("JINGMIN_PORTAL_CODE_PHONE_CAPTCHA", 3),
        env_int("JINGMIN_PORTAL_CODE_PHONE_MAX", 8),
    ),
    # Lookups of a code that does not exist: guessing codes is the attack.
    "track-miss-ip": (
        3600,
        env_int("JINGMIN_PORTAL_TRACK_MISS_CAPTCHA", 5),
        env_int("JINGMIN_PORTAL_TRACK_MISS_MAX", 30),
    ),
    # Survey answers: a village board's QR code brings many people through one network, so the
    # address limit is generous; one phone answering many times is what skews a survey.
    "survey-ip": (
        3600,
        env_int("JINGMIN_PORTAL_SURVEY_IP_CAPTCHA", 10),
        env_int("JINGMIN_PORTAL_SURVEY_IP_MAX", 60),
    ),
    "survey-device": (
        86400,
        env_int("JINGMIN_PORTAL_SURVEY_DEVICE_CAPTCHA", 2),
        env_int("JINGMIN_PORTAL_SURVEY_DEVICE_MAX", 5),
    ),
}
# A captcha answered right spares the same browser further captchas for this long (the hard
# limits still hold).
PORTAL_CAPTCHA_PASS_MINUTES = env_int("JINGMIN_PORTAL_CAPTCHA_PASS_MINUTES", 10)
# Public statistics: cached this long; rates standing on fewer cases are flagged. The rates and
# their k are the indicators' (jingmin.metrics, its settings kept with their history).
PORTAL_STATS_CACHE_SECONDS = env_int("JINGMIN_PORTAL_STATS_CACHE_SECONDS", 600)
# The month's indicators on the home page of those who lead: cached this long (a month's rates
# barely move in minutes; the dashboard computes them live).
METRICS_HOME_CACHE_SECONDS = env_int("JINGMIN_METRICS_HOME_CACHE_SECONDS", 120)
PORTAL_STATS_MIN_CASES = env_int("JINGMIN_PORTAL_STATS_MIN_CASES", 20)
# The portal's captcha (django-simple-captcha, drawn offline by Pillow): a small sum in digits,
# which anyone can read, rather than Latin letters; large characters for older eyes.
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.math_challenge"
CAPTCHA_MATH_CHALLENGE_OPERATOR = "×"
CAPTCHA_FONT_SIZE = 34
CAPTCHA_LETTER_ROTATION = (-12, 12)
CAPTCHA_TIMEOUT = 10
# --- end of public portal ---

# --- Routing (jingmin.routing) ---
# Suggestions of category and unit at intake: none is shown below this calibrated probability.
ROUTING_MIN_CONFIDENCE = float(env_str("JINGMIN_ROUTING_MIN_CONFIDENCE", "0.5"))
# Models are stored in the database (table routing_routingmodel, see jingmin/routing/models.py),
# not in files: every worker reads the same active version. Training reads at most this many of
# the newest concluded appeals, and cross-validates each new version in this many folds.
ROUTING_TRAIN_MAX_APPEALS = env_int("JINGMIN_ROUTING_TRAIN_MAX_APPEALS", 20_000)
ROUTING_EVALUATION_FOLDS = env_int("JINGMIN_ROUTING_EVALUATION_FOLDS", 5)
# Likely duplicates at intake: open appeals of the same police district (or the clerk's unit)
# received within this many weeks, at least this similar (0–1), at most this many shown.
ROUTING_DUPLICATE_WEEKS = env_int("JINGMIN_ROUTING_DUPLICATE_WEEKS", 4)
ROUTING_DUPLICATE_MIN_SIMILARITY = float(env_str("JINGMIN_ROUTING_DUPLICATE_MIN_SIMILARITY", "0.35"))
ROUTING_DUPLICATE_LIMIT = 5
# --- end of routing ---

# --- Ledger (jingmin.ledger) ---
# Excel import of legacy ledgers: a file past these limits is refused whole, before any row is read.
# The unpacked limit guards against a small file that unpacks to gigabytes (an .xlsx is a zip).
LEDGER_IMPORT_MAX_BYTES = env_int("JINGMIN_LEDGER_IMPORT_MAX_MB", 40) * 1024 * 1024
LEDGER_IMPORT_MAX_UNPACKED_BYTES = env_int("JINGMIN_LEDGER_IMPORT_MAX_UNPACKED_MB", 600) * 1024 * 1024
LEDGER_IMPORT_MAX_ROWS = env_int("JINGMIN_LEDGER_IMPORT_MAX_ROWS", 200_000)
# Rows written per statement: large enough to amortise the round trip, small enough for SQLite.
LEDGER_IMPORT_BATCH = env_int("JINGMIN_LEDGER_IMPORT_BATCH", 2000)
# A sheet is read in pieces of about this many bytes of its XML; on PostgreSQL a sheet past the
# second figure is checked (and its identifiers encrypted) in that many forked processes.
LEDGER_IMPORT_PIECE_BYTES = 1024 * 1024
LEDGER_IMPORT_PARALLEL_BYTES = env_int("JINGMIN_LEDGER_IMPORT_PARALLEL_KB", 2048) * 1024
LEDGER_IMPORT_WORKERS = env_int("JINGMIN_LEDGER_IMPORT_WORKERS", 4)
# New rows by COPY on PostgreSQL (off: the same rows through bulk_create, as on SQLite).
LEDGER_IMPORT_COPY = env_bool("JINGMIN_LEDGER_IMPORT_COPY", True)
# Rejected rows kept on the import's page (all of them are in the report workbook).
LEDGER_IMPORT_REJECTED_SHOWN = 500
# The most rows one Excel export holds; past it, narrow the search.
LEDGER_EXPORT_LIMIT = env_int("JINGMIN_LEDGER_EXPORT_LIMIT", 100_000)
# --- end of ledger ---

# --- Visits (jingmin.visits) ---
# Every household of a police district is to be visited at least once in this many months, unless
# the district's own plan (set by its chief on the plans page) says otherwise.
VISIT_PLAN_DEFAULT_MONTHS = env_int("JINGMIN_VISIT_PLAN_MONTHS", 6)
# How far back a visit may still be entered: later than this it is a memory, not a record.
VISIT_MAX_AGE_DAYS = env_int("JINGMIN_VISIT_MAX_AGE_DAYS", 30)
# Photos of one visit (each checked like an appeal's attachment, images only).
VISIT_PHOTO_MAX_FILES = env_int("JINGMIN_VISIT_PHOTO_MAX_FILES", 6)
# --- end of visits ---

# --- Field app (jingmin.field) ---
# The copy of a police district kept on an officer's phone for working offline is deleted after
# this many days (and at sign-out and the idle time-out, whichever comes first).
FIELD_CACHE_DAYS = env_int("JINGMIN_FIELD_CACHE_DAYS", 7)
# --- end of field app ---

# --- Disputes, help and persuasion cases, early warning (jingmin.disputes, cases, warnings) ---
# Per risk grade: the deadline to settle a dispute, in working days from when it was found (or
# re-graded), and the interval of follow-up visits while it is open, in days.
DISPUTE_GRADES: dict[str, dict[str, int]] = {
    "red": {"deadline_days": env_int("JINGMIN_DISPUTE_RED_DAYS", 3), "visit_days": 1},
    "orange": {"deadline_days": env_int("JINGMIN_DISPUTE_ORANGE_DAYS", 7), "visit_days": 3},
    "yellow": {"deadline_days": env_int("JINGMIN_DISPUTE_YELLOW_DAYS", 15), "visit_days": 7},
    "blue": {"deadline_days": env_int("JINGMIN_DISPUTE_BLUE_DAYS", 30), "visit_days": 15},
}
DISPUTE_ATTACHMENT_MAX_FILES = env_int("JINGMIN_DISPUTE_ATTACHMENT_MAX_FILES", 6)
# Repeats: this many appeals from one caller (keyed phone hash) or one address within the window.
WARNING_REPEAT_MIN = env_int("JINGMIN_WARNING_REPEAT_MIN", 3)
WARNING_REPEAT_DAYS = env_int("JINGMIN_WARNING_REPEAT_DAYS", 30)
# Spikes: one category's appeals of one police district in the last WINDOW days against the same
# district and category in the BASELINE windows before it (docs/disputes.md gives the statistic).
WARNING_SPIKE_WINDOW_DAYS = env_int("JINGMIN_WARNING_SPIKE_WINDOW_DAYS", 7)
WARNING_SPIKE_BASELINE_WINDOWS = env_int("JINGMIN_WARNING_SPIKE_BASELINE_WINDOWS", 8)
WARNING_SPIKE_Z = env_int("JINGMIN_WARNING_SPIKE_Z", 3)
WARNING_SPIKE_MIN = env_int("JINGMIN_WARNING_SPIKE_MIN", 5)
# Family news of hardship, illness or a death this recent, with no help case for the household.
WARNING_HARDSHIP_DAYS = env_int("JINGMIN_WARNING_HARDSHIP_DAYS", 60)
# --- end of disputes ---
