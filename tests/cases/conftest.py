import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings


@pytest.fixture
def dutch_catalogue(settings, tmp_path):
    """The Dutch catalogue with the translations still waiting in locale/nl/LC_MESSAGES/
    pending-*.po compiled in (before the merge folds them into django.po)."""
    pending = sorted(
        (Path(django_settings.BASE_DIR) / "locale/nl/LC_MESSAGES").glob("pending-*.po")
    )
    target = tmp_path / "nl" / "LC_MESSAGES"
    target.mkdir(parents=True)
    for index, source in enumerate(pending):
        # One catalogue per file: Django merges every LOCALE_PATHS entry's django.mo.
        folder = tmp_path / f"p{index}" / "nl" / "LC_MESSAGES"
        folder.mkdir(parents=True)
        subprocess.run(["msgfmt", "-o", str(folder / "django.mo"), str(source)], check=True)
    settings.LOCALE_PATHS = [
        *(tmp_path / f"p{index}" for index in range(len(pending))),
        *django_settings.LOCALE_PATHS,
    ]
    return settings.LOCALE_PATHS
