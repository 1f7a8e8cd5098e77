"""Moving models between apps keeps every row. The embassy presentation (interviews to
departure) and the partner directory (partners to directory): a database migrated to before
the move, with rows written through the old models, is migrated forward and has the same rows,
links and content types (and so the same permissions and audit entries) under the new app."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cases.models import Case
from departure.models import EmbassyPresentation
from tests.departure.factories import EmbassyFactory, TravelDocumentRequestFactory

BEFORE = [
    ("departure", "0005_traveldocumentrequest_documents"),
    ("interviews", "0006_interview_documents"),
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


DIRECTORY_BEFORE = [
    ("partners", "0004_agenda_item_shared_documents"),
    ("cases", "0015_case_transfer"),
    ("departure", "0007_rename_embassypresentation_table"),
]


@pytest.mark.django_db(transaction=True)
def test_moving_the_directory_out_of_partners_keeps_every_row_and_link(make_case):
    from directory.models import Contact, Municipality, Organisation

    case = make_case()
    request = TravelDocumentRequestFactory(case=case)
    old_apps = _migrate(DIRECTORY_BEFORE)
    try:
        for model in ("municipality", "organisation", "contact"):
            ContentType.objects.filter(app_label="directory", model=model).update(
                app_label="partners"
            )
        ContentType.objects.clear_cache()
        type_ids = dict(ContentType.objects.filter(app_label="partners").values_list("model", "pk"))
        OldOrganisation = old_apps.get_model("partners", "Organisation")
        OldContact = old_apps.get_model("partners", "Contact")
        OldMunicipality = old_apps.get_model("partners", "Municipality")
        embassy = OldOrganisation.objects.create(kind="embassy", name="Ambassade Y", country="GH")
        OldContact.objects.create(organisation=embassy, name="Consul")
        # The reference data (every municipality) is there already in a migrated database.
        town, _ = OldMunicipality.objects.get_or_create(
            code="GM0363", defaults={"name": "Amsterdam", "province": "NH"}
        )
        old_apps.get_model("cases", "Case")._base_manager.filter(pk=case.pk).update(
            municipality=town
        )
        old_apps.get_model("departure", "TravelDocumentRequest").objects.filter(
            pk=request.pk
        ).update(embassy=embassy)
        counts = (
            OldMunicipality.objects.count(),
            OldOrganisation.objects.count(),
            OldContact.objects.count(),
        )
        assert all(counts)
    finally:
        _migrate(_latest())
    ContentType.objects.clear_cache()
    assert (Municipality.objects.count(), Organisation.objects.count()) == counts[:2]
    assert Contact.objects.count() == counts[2]
    request.refresh_from_db()
    assert request.embassy.name == "Ambassade Y"
    assert [c.name for c in request.embassy.contacts.all()] == ["Consul"]
    assert Case.objects.get(pk=case.pk).municipality.name == "Amsterdam"
    for model in (Municipality, Organisation, Contact):
        moved = ContentType.objects.get_for_model(model)
        assert moved.app_label == "directory"
        assert moved.pk == type_ids[model._meta.model_name]
    assert Permission.objects.filter(
        content_type__app_label="directory", codename="view_organisation"
    ).exists()
