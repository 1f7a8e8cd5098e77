"""Database sessions that report an outage as an outage.

Django's database session store turns any database error while saving an existing session
into "the session was deleted meanwhile", which the session middleware answers with 400 Bad
Request. When the database is unreachable that is wrong: the error is passed on as it is, so
the request gets the 503 "temporarily unavailable" page like every other request in the
outage (tests/faults/test_database_outage.py)."""

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import InterfaceError, OperationalError


class SessionStore(DatabaseSessionStore):
    def save(self, must_create=False):
        try:
            return super().save(must_create=must_create)
        except UpdateError as error:
            cause = error.__context__
            if isinstance(cause, OperationalError | InterfaceError):
                raise cause from None
            raise
