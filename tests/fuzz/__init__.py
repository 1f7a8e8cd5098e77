"""Property-based hostile input. The hypothesis profile is chosen in tests/conftest.py:
"ci" (the default: derandomized, so `make test` and CI try the same examples every run) or
"hunt" (`make fuzz`: random examples, many more of them, for people looking for bugs)."""

import os

from hypothesis import HealthCheck, settings

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
# How many times more examples a hunt tries than the deterministic run.
HUNT_FACTOR = 20


def fuzz_settings(max_examples: int) -> settings:
    """A test's settings: `max_examples` in the deterministic run, HUNT_FACTOR times that in a
    hunt; everything else comes from the loaded profile."""
    factor = HUNT_FACTOR if PROFILE == "hunt" else 1
    return settings(
        max_examples=max_examples * factor,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
