"""Typed readers of environment variables, for the settings and for dtv/celery.py (which is
imported before the settings exist). Each fails loudly on a malformed value, and an empty
value means unset: compose files and shells often pass `NAME=` for "not set", and that must
give the default, never an empty setting (an empty DATABASE_URL once crashed start-up)."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _env_raw(name: str) -> str | None:
    """The variable's value, or None when it is unset or empty: compose files and shells often
    pass `NAME=` for "not set", and that must mean the default, never an empty setting."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return None
    return raw


def env_str(name: str, default: str = "") -> str:
    raw = _env_raw(name)
    return default if raw is None else raw


def env_bool(name: str, default: bool = False) -> bool:
    raw = _env_raw(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = _env_raw(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]
