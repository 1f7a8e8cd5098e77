"""An empty environment variable means unset: `NAME=` (as compose files and shells pass it)
gives the same settings as no NAME at all, for every variable the settings read. Checked by
importing the settings in a fresh interpreter, as a server would."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from dtv.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parent.parent
READS = re.compile(r"""env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)\"""")
# Every variable the settings and the Celery app read, found in their source, so that a new
# one is checked too.
VARIABLES = sorted(
    {
        name
        for source in ("dtv/settings.py", "dtv/celery.py")
        for name in READS.findall((ROOT / source).read_text())
    }
)
SECRET = "k8#Lq2!vZ9@pR4$wX7^mN1&bT6*cY3(hJ0)fG5-dS8+aE2=uI4~oP7?"

DUMP = """
import json
import re
import django
from django.conf import settings
django.setup()
from dtv.celery import app
def shown(value):
    # Lazy objects show their address, which differs from one interpreter to the next.
    return re.sub(r" at 0x[0-9a-f]+", "", repr(value))
values = {name: shown(getattr(settings, name)) for name in dir(settings) if name.isupper()}
values["beat"] = repr({k: v["schedule"] for k, v in app.conf.beat_schedule.items()})
print(json.dumps(values))
"""


def _settings(overrides: dict) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in VARIABLES
        and not key.startswith(("DJANGO_", "CELERY_", "HYPOTHESIS"))
        and key not in {"REDIS_URL", "SECRET_KEY"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": "dtv.settings", "SECRET_KEY": SECRET, **overrides})
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", DUMP],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_settings_read_the_variables_of_the_readme():
    # The regex finds the readers; if it found nothing the next test would prove nothing.
    assert {"DATABASE_URL", "DEBUG", "ALLOWED_HOSTS", "EMAIL_PORT"} <= set(VARIABLES)
    assert "REMINDER_INTERVAL_SECONDS" in VARIABLES


@pytest.mark.parametrize("debug", ["", "1"])
def test_every_empty_variable_means_its_default(debug):
    names = [name for name in VARIABLES if name not in {"SECRET_KEY", "DEBUG"}]
    unset = _settings({"DEBUG": debug} if debug else {})
    empty = _settings({"DEBUG": debug, **dict.fromkeys(names, "")})
    differing = sorted(name for name in unset if unset[name] != empty.get(name))
    assert differing == []


def test_empty_database_url_is_the_sqlite_default():
    values = _settings({"DATABASE_URL": ""})
    assert "django.db.backends.sqlite3" in values["DATABASES"]
    assert "db.sqlite3" in values["DATABASES"]


def test_empty_secret_key_is_still_refused_in_production():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update({"DJANGO_SETTINGS_MODULE": "dtv.settings", "SECRET_KEY": "", "DEBUG": ""})
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_readers_take_empty_and_blank_as_unset(monkeypatch):
    for value in ("", "  "):
        monkeypatch.setenv("DTV_TEST_VALUE", value)
        assert env_str("DTV_TEST_VALUE", "fallback") == "fallback"
        assert env_bool("DTV_TEST_VALUE", True) is True
        assert env_int("DTV_TEST_VALUE", 7) == 7
        assert env_list("DTV_TEST_VALUE", "a,b") == ["a", "b"]
    monkeypatch.setenv("DTV_TEST_VALUE", "0")
    assert env_bool("DTV_TEST_VALUE", True) is False
    monkeypatch.setenv("DTV_TEST_VALUE", "often")
    with pytest.raises(ImproperlyConfigured):
        env_int("DTV_TEST_VALUE", 7)
