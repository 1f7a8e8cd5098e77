"""The embassy presentation's move from interviews to departure keeps every row: a database
migrated to before the move, with presentations in the interviews table, is migrated forward
and has the same rows in departure's table, with the content type (and so the permissions and
the audit entries pointing at it) now departure's."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from departure.models import EmbassyPresentation
from tests.departure.factories import EmbassyFactory, TravelDocumentRequestFactory

BEFORE = [
    ("departure", "0004_remove_departure_from_detention"),
    ("interviews", "0004_interview_rules"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_moving_the_embassy_presentation_keeps_every_row(make_case):
    case = make_case()
    embassy = EmbassyFactory()
    request = TravelDocumentRequestFactory(case=case)
    old_apps = _migrate(BEFORE)
    try:
        # The database as it was before the move: the model in interviews, and its content
        # type too (the current one is relabelled back, as it was then).
        ContentType.objects.filter(app_label="departure", model="embassypresentation").update(
            app_label="interviews"
        )
        ContentType.objects.clear_cache()
        content_type_id = ContentType.objects.get(
            app_label="interviews", model="embassypresentation"
        ).pk
        Old = old_apps.get_model("interviews", "EmbassyPresentation")
        assert Old._meta.db_table == "interviews_embassypresentation"
        rows = [
            Old.objects.create(
                case_id=case.pk,
                embassy_id=embassy.pk,
                travel_document_request_id=request.pk if n == 0 else None,
                presented_on=date(2026, 9, 1 + n),
                mode="in_person",
                answer="recognised" if n == 0 else "",
                answered_on=date(2026, 9, 20) if n == 0 else None,
                feedback=f"Gesprek {n}",
            )
            for n in range(3)
        ]
        before = sorted(
            Old.objects.values_list(
                "pk", "case_id", "embassy_id", "travel_document_request_id", "presented_on",
                "answer", "answered_on", "feedback",
            )
        )  # fmt: skip
    finally:
        _migrate(_latest())
    ContentType.objects.clear_cache()
    assert EmbassyPresentation._meta.db_table == "departure_embassypresentation"
    after = sorted(
        EmbassyPresentation.objects.values_list(
            "pk", "case_id", "embassy_id", "travel_document_request_id", "presented_on",
            "answer", "answered_on", "feedback",
        )
    )  # fmt: skip
    assert len(rows) == 3
    assert after == before
    moved = ContentType.objects.get_for_model(EmbassyPresentation)
    assert moved.pk == content_type_id
    assert not ContentType.objects.filter(app_label="interviews", model="embassypresentation")
    assert Permission.objects.filter(
        content_type=moved, codename="add_embassypresentation"
    ).exists()
    assert request.presentations.count() == 1
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert "interviews_embassypresentation" not in tables
