import os
import time

import pytest
from hypothesis import settings as hypothesis_settings

from tests.accounts.factories import (
    AdminUserFactory,
    AuditorFactory,
    OfficerFactory,
    PartnerUserFactory,
    TeamFactory,
    TeamLeadFactory,
)
from tests.responses import close_unread

# Hypothesis profiles (tests/fuzz): "ci" is deterministic, so a run of `make test` tries the
# same examples as the last one and a red suite is red for everyone; "hunt" (`make fuzz`)
# tries many more at random. The example database is off in CI so that nothing a previous
# run saved changes what the next one tries.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
hypothesis_settings.register_profile("hunt", derandomize=False, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def team(db):
    return TeamFactory(name="Noord")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Zuid")


@pytest.fixture
def officer(team):
    return OfficerFactory(username="officer", team=team)


@pytest.fixture
def colleague(team):
    return OfficerFactory(username="officer2", team=team)


@pytest.fixture
def outsider(other_team):
    """An officer of another team: must see none of `team`'s cases."""
    return OfficerFactory(username="officer3", team=other_team)


@pytest.fixture
def team_lead(team):
    return TeamLeadFactory(username="teamlead", team=team)


@pytest.fixture
def partner_user(db):
    return PartnerUserFactory(username="partner")


@pytest.fixture
def admin_user(db):
    return AdminUserFactory(username="admin")


@pytest.fixture
def auditor(db):
    return AuditorFactory(username="auditor")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """pytest-django's test databases, dropped at the end only once every other session on
    them has gone. A connection opened in another thread or context (the live server's
    threads, the browser tests' fixtures) is not the one the teardown closes; those close
    their own (tests/e2e/conftest.py, CONN_MAX_AGE 0 in tests/settings.py). Whatever is
    still there after five seconds is ended rather than failing the drop of a database that
    goes anyway, and named at the end of the run (pytest_testnodedown below, for the
    workers of `-n 2`), so that a leak is seen, not hidden."""
    yield
    from django.db import connections

    left = []
    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.vendor != "postgresql":
                continue
            with connection.cursor() as cursor:
                others = _other_sessions(cursor)
                deadline = time.monotonic() + 5
                while others and time.monotonic() < deadline:
                    time.sleep(0.2)
                    others = _other_sessions(cursor)
                for pid, application, state, query in others:
                    left.append(f"{pid} {application!r} {state} {query[:80]!r}")
                    cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            connection.close()
    if hasattr(request.config, "workeroutput"):
        request.config.workeroutput["sessions_left"] = left
    else:
        _report_sessions_left(request.config, left)


def _report_sessions_left(config, left) -> None:
    if not left:
        return
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    # Past the output capture of the test whose teardown this is.
    with capture.global_and_fixture_disabled():
        for session in left:
            reporter.write_line(f"ended a session left on the test database: {session}", red=True)


def pytest_testnodedown(node, error):
    """The sessions a worker found left on its test database (django_db_setup above)."""
    _report_sessions_left(node.config, getattr(node, "workeroutput", {}).get("sessions_left", []))


def _other_sessions(cursor) -> list[tuple]:
    cursor.execute(
        "SELECT pid, application_name, state, query FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    return cursor.fetchall()


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )


@pytest.fixture(autouse=True)
def _reference_data(request):
    """The reference data the migrations load (municipalities, standing partners, the letter
    texts) for tests on a real transaction: pytest-django empties the tables after each of
    them, so a later one would otherwise start without what every installation has. The other
    tests run first, inside transactions rolled back, on the migrated data."""
    if not _transactional(request):
        return
    request.getfixturevalue("transactional_db")
    from directory.models import Municipality, Organisation
    from letters import texts
    from letters.models import LetterText
    from partners import reference_data

    reference_data.load(Municipality, Organisation)
    texts.load(LetterText)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (remembered choice lists, lockout counters) and
    no remembered field HTML (dtv/fields.py)."""
    from django.core.cache import cache

    from dtv import fields

    cache.clear()
    fields.forget()


@pytest.fixture(autouse=True)
def _close_streamed_responses(monkeypatch):
    """A server closes every response it sends; the test client closes a streamed one (a
    document's download, read from the storage as it is sent) only once its content is read.
    The ones a test did not read (it looked at the status) are closed when the test ends,
    not left to the garbage collector with their file open."""
    from django.test.client import Client

    streamed = []
    request = Client.request

    def keeping_streamed(self, **kwargs):
        response = request(self, **kwargs)
        if getattr(response, "streaming", False):
            streamed.append(response)
        return response

    monkeypatch.setattr(Client, "request", keeping_streamed)
    yield
    for response in streamed:
        if not response.closed:
            close_unread(response)
