"""Test-only overrides on top of the one settings module."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-that-is-long-enough-0123456789abcdef")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.pop("CELERY_BROKER_URL", None)
os.environ.pop("REDIS_URL", None)

from dtv.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
# client.login() passes no request, which axes needs; the lockout tests switch it on.
AXES_ENABLED = False
# Document files of a test run go to a directory of their own (tests/documents/conftest.py
# gives each test an empty one, or the S3 API of a moto server).
DOCUMENTS_ROOT = Path(tempfile.mkdtemp(prefix="dtv-test-documents-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DOCUMENTS_ROOT), "base_url": "/no-public-url-for-documents/"},
    },
}
# No virus scanner unless a test starts one (tests/documents/clamd.py).
CLAMD_URL = ""
# The live server's threads (browser tests) close their database connection after each
# request. A persistent one would stay open in a thread still waiting on the browser's
# keep-alive socket after the live server stopped, and keep the test database from being
# dropped at the end of the session.
for _database in DATABASES.values():  # noqa: F405
    _database["CONN_MAX_AGE"] = 0
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Two-factor is enforced in its own tests (tests/accounts/test_two_factor.py).
TWO_FACTOR_ENFORCED = False
