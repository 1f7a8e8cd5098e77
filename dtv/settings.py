"""One settings module for every environment, driven by environment variables.

The defaults are the embedded quick-start (SQLite, Celery eager); production sets DATABASE_URL,
CELERY_BROKER_URL, SECRET_KEY and ALLOWED_HOSTS. See the configuration table in README.md.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from dtv.env import env_bool, env_int, env_list, env_str
from dtv.rules import parse_overrides

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production (DEBUG off) refuses to start without a secret key: "
            "set SECRET_KEY to a long random value, or set DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # Django's widget templates for the project's template engine (FORM_RENDERER below).
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "template_partials",
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    # Ours, from the bottom of the import order to the top (DESIGN.md).
    "dtv.accounts",
    "dtv.audit",
    "dtv.notifications",
    "directory",
    "cases",
    "documents",
    "interviews",
    "departure",
    "partners",
    "letters",
    "dtv.reports",
    "privacy",
    "dtv.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "dtv.middleware.NoStoreMiddleware",
    "dtv.middleware.RequestSizeLimitMiddleware",
    "dtv.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dtv.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "dtv.accounts.middleware.SessionLimitMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "dtv.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dtv.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dtv.urls"
# Forms through crispy's Bootstrap 5 templates, widgets through Django's own templates with the
# project's overrides first (templates/django/forms/widgets/; dtv/widgets.py).
FORM_RENDERER = "dtv.widgets.FormRenderer"
WSGI_APPLICATION = "dtv.wsgi.application"

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
                "dtv.context_processors.navigation",
            ],
        },
    },
    {
        # The rows of the case tables and of the case page's timeline and documents
        # (cases/jinja2/, documents/jinja2/), taken into Django templates by
        # {% jinja_include %}: Jinja2 writes them in about a third of the time (issue 22).
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "dtv.jinja_env.environment"},
    },
]

DATABASES = {
    # parse(), not config(): config() reads an empty DATABASE_URL as a URL and fails.
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# Connection settings for PostgreSQL:
# - name search finds misspellings by trigram word similarity (cases/filters.py): the `%>`
#   operator's threshold is lower than pg_trgm's default of 0.6, so that a letter too many or
#   too few still finds the person;
# - no JIT compilation: it pays off for long analytical queries, not for the pages of a case
#   system; the agenda proposals query spent 78 of its 114 ms compiling (bench/RESULTS.md).
NAME_SEARCH_THRESHOLD = 0.45
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c pg_trgm.word_similarity_threshold={NAME_SEARCH_THRESHOLD} -c jit=off"
    )
# A read replica for the reports (dtv/db.py), unset by default; tests read it as the primary.
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["dtv.db.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache for every process: Redis when CACHE_URL or REDIS_URL is set (dtv/cache.py, which
# reads an absent Redis as a miss); local memory, one per process, in the quick start.
# How long a rendered agenda PDF (personal data) may stay in that cache; 0: not cached.
AGENDA_PDF_CACHE_SECONDS = env_int("AGENDA_PDF_CACHE_SECONDS", 300)
CACHE_URL = env_str("CACHE_URL") or env_str("REDIS_URL")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if CACHE_URL:
    CACHES["default"] = {
        "BACKEND": "dtv.cache.TolerantRedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": "dtv",
        "TIMEOUT": 300,
        # A page waits at most about a second for an absent Redis.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with each user's permissions kept in the shared cache.
    "dtv.accounts.backends.CachedPermissionsBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# A password reset link works once and for an hour (ASVS 2.5.1, 2.5.6).
PASSWORD_RESET_TIMEOUT = 60 * 60
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions: 30 minutes idle, 10 hours at most. The idle clock (the session's and the cookie's
# expiry) is renewed by a request at most once a minute (SessionLimitMiddleware) rather than
# written on every request: a session ends 29 to 30 minutes after its last request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_RENEW_SECONDS = env_int("SESSION_RENEW_SECONDS", 60)
# Database sessions whose save reports an unreachable database as such (a 503, not a 400).
SESSION_ENGINE = "dtv.accounts.sessions"
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Two-factor authentication (django-otp): every role uses it (the data hold special
# categories: health, criminal); the roles listed here are excepted, and `check --deploy`
# warns about each (dtv/accounts/checks.py).
TWO_FACTOR_EXEMPT_ROLES = env_list("TWO_FACTOR_EXEMPT_ROLES")
# Off only for a local demo (make run), so that every demo role can be tried without an app.
TWO_FACTOR_ENFORCED = env_bool("TWO_FACTOR_ENFORCED", True)
OTP_TOTP_ISSUER = "Terugkeer"

# Login throttling (dtv/accounts/lockout.py): 5 failures for a username from one address, or
# 20 from one address across usernames, hold that pair or address back for 15 minutes,
# doubled by every further failure (at most a day); the client's address as the trusted
# proxies report it.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = "dtv.accounts.lockout.cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], ["ip_address"]]
AXES_CLIENT_IP_CALLABLE = "dtv.proxies.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HANDLER = "dtv.accounts.lockout.ThrottleHandler"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_VERBOSE = False

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["dtv.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Document files (documents/storage.py): a private directory by default, outside every
# served URL (no base URL: the storage cannot even name a link); an S3-compatible bucket when
# DOCUMENTS_S3_BUCKET is set. Files are only ever read through the access-checked download view.
DOCUMENTS_ROOT = Path(env_str("DOCUMENTS_ROOT", str(BASE_DIR / "var" / "documents")))
DOCUMENTS_S3_BUCKET = env_str("DOCUMENTS_S3_BUCKET")
if DOCUMENTS_S3_BUCKET:
    _DOCUMENTS_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": DOCUMENTS_S3_BUCKET,
            "endpoint_url": env_str("DOCUMENTS_S3_ENDPOINT_URL") or None,
            "access_key": env_str("DOCUMENTS_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("DOCUMENTS_S3_SECRET_ACCESS_KEY") or None,
            "region_name": env_str("DOCUMENTS_S3_REGION") or None,
            # Private objects, never overwritten (keys are random and unique), never served
            # by a signed URL of the bucket: downloads go through the application.
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "location": env_str("DOCUMENTS_S3_PREFIX"),
        },
    }
else:
    _DOCUMENTS_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(DOCUMENTS_ROOT),
            "base_url": "/no-public-url-for-documents/",
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
# Uploads larger than this are refused before their body is read (documents/uploads.py).
DOCUMENTS_MAX_UPLOAD_BYTES = env_int("DOCUMENTS_MAX_UPLOAD_BYTES", 25 * 1024 * 1024)
# The virus scanner (clamd), tcp://host:port or unix:///path/to/socket. Without it uploads are
# refused when DEBUG is off (`check --deploy` says so) and accepted unscanned in development.
CLAMD_URL = env_str("CLAMD_URL")
# Seconds the scanner may take to answer; slower means "waiting for scan" (a task rescans).
CLAMD_TIMEOUT = env_int("CLAMD_TIMEOUT_SECONDS", 30)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "documents": _DOCUMENTS_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "terugkeer@localhost")
# Where the accessibility statement sends feedback (shown when set).
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", "")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "tmp" / "mail"))
# The address of this installation, for links in e-mails.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Celery: without a broker every task runs in-process (the embedded quick-start).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or env_str("REDIS_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The beat schedule's crontab hours are Amsterdam time (the digest at 07:00 local, summer and
# winter alike); Celery still keeps its own times in UTC.
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker outage must not hang web requests: short connect timeouts, one quick retry. What
# could not be queued is caught up by the reminder sweep (pending e-mails, due reminders).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}

# Audit: our own entry model (purpose, V-number, request id) on django-auditlog's machinery.
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"
AUDITLOG_CID_GETTER = "dtv.middleware.get_request_id"
AUDITLOG_DISABLE_ON_RAW_SAVE = True

# Privacy: closed cases are anonymised this many days after closing (configurable policy).
RETENTION_DAYS_AFTER_CLOSING = env_int("RETENTION_DAYS_AFTER_CLOSING", 5 * 365)

# Overrides of the rules table (dtv/rules.py): RULE_OVERRIDES="term_warning_days=10,...";
# REMINDER_ESCALATION_WORKING_DAYS overrides the escalation grace (the integration test sets 0).
# A malformed value or an unknown rule stops the start (ImproperlyConfigured).
DTV_RULE_OVERRIDES = parse_overrides(
    env_str("RULE_OVERRIDES"),
    escalation=env_int("REMINDER_ESCALATION_WORKING_DAYS", None),
)
# Transfers between teams (cases/models.py CaseQuerySet.handed_over_by): after a case moves to
# another team, the team that handed it over keeps read access to what was recorded before the
# handover for this many days; 0 gives it none (a policy choice of the service).
CASE_TRANSFER_READ_DAYS = env_int("CASE_TRANSFER_READ_DAYS", 30)

# Reverse proxies in front of the application (dtv/proxies.py): how many append to
# X-Forwarded-For, and optionally their addresses or networks. Only then are the client's
# address and X-Request-ID read from the headers.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
TRUSTED_PROXY_ADDRESSES = env_list("TRUSTED_PROXY_ADDRESSES")
# Requests larger than this are refused with 413 before any view reads them (no view takes
# uploads); Django's own limits bound what is parsed in memory.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
# The one page that takes a file, the import of cases, takes up to this much; a larger
# upload is refused from its declared length, before the body is read.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 20 * 1024 * 1024)

# Security headers; `check --deploy` stays clean with DEBUG off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "dtv.views.csrf_failure"
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
