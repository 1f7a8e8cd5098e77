"""Reports may read from a replica (DATABASE_REPLICA_URL); everything else uses the primary."""

from django.test import RequestFactory
from django.urls import resolve, reverse

from dtv import db


def test_reads_go_to_the_replica_only_inside_a_report_and_only_when_one_is_configured(monkeypatch):
    router = db.ReplicaRouter()
    assert not db.has_replica()  # unset by default
    monkeypatch.setattr(db, "has_replica", lambda: True)
    assert router.db_for_read(None) is None
    with db.replica_reads():
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) is None
    assert router.db_for_read(None) is None
    monkeypatch.setattr(db, "has_replica", lambda: False)
    with db.replica_reads():
        assert router.db_for_read(None) is None


def test_the_replica_is_never_migrated():
    router = db.ReplicaRouter()
    assert router.allow_migrate("replica", "cases") is False
    assert router.allow_migrate("default", "cases") is None


def test_the_report_views_run_with_replica_reads():
    seen = []

    def view(request):
        seen.append(db._reading_replica.get())
        return "answer"

    wrapped = db.reads_from_replica(view)
    assert wrapped(RequestFactory().get("/")) == "answer"
    assert seen == [True] and db._reading_replica.get() is False
    for name, kwargs in [("reports:index", {}), ("reports:report", {"name": "intake"})]:
        func = resolve(reverse(name, kwargs=kwargs)).func
        assert getattr(func, "__wrapped__", None) is not None, name
