"""The suite's fuzzing is reproducible: unless a hunt is asked for, hypothesis derives its
examples from each test, not from chance, and keeps no example database between runs."""

import os

import pytest
from hypothesis import settings


@pytest.mark.skipif(os.environ.get("HYPOTHESIS_PROFILE", "ci") != "ci", reason="a hunt")
def test_default_profile_is_deterministic():
    assert settings.default.derandomize is True
    assert settings.default.database is None
