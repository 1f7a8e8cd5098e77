"""Reads that may come from a replica.

With DATABASE_REPLICA_URL set, the reports (counts over every case, the heaviest reads of the
application, and none of them followed by a write that must see them) read from that database;
everything else, and every write, uses the primary. Unset, the router says nothing and Django
uses the one database. A replica lags its primary by a moment: a report may miss the last
second's changes, which no report promises."""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings

REPLICA = "replica"
_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


@contextmanager
def replica_reads():
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def reads_from_replica(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


def has_replica() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading_replica.get() and has_replica():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows: an object read there relates to one from the primary.
        return True if has_replica() else None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's schema by replication, never by migrate.
        return False if db == REPLICA else None
