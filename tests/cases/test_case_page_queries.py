"""The case page's queries: as many for a dossier of one of everything as for one of many,
and for a small database as for a large one; a relation without rows costs no query.

The page asks in its one query of the case whether each relation it shows has rows
(cases.registry.presence_annotations): an empty relation is then not read at all."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Alias, Case, HouseholdLink, Note, PhaseChange
from documents import services as document_services
from documents.models import Document
from interviews.models import InterviewParticipant
from tests.cases.factories import (
    CaseFactory,
    CaseTransferFactory,
    ObstacleFactory,
    PersonFactory,
    ProcedureFactory,
)
from tests.departure.factories import (
    AdviceFactory,
    MeasureFactory,
    PresentationFactory,
    ReturnSupportFactory,
    TravelDocumentRequestFactory,
)
from tests.documents.test_uploads import PDF
from tests.interviews.factories import InterviewFactory, PlannedInterviewFactory
from tests.partners.factories import ActionItemFactory, AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def document_dir(settings, tmp_path):
    # The generated documents go to a directory of this test only.
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "documents"), "base_url": "/none/"},
        },
    }


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    # Read now: the next request empties the connection's query log.
    return [query["sql"] for query in queries.captured_queries]


def _document(case, officer, number: int, *, versions: int = 1):
    types = list(Document.Type.values)
    version = None
    for _ in range(versions):
        version = document_services.store_generated(
            case=case,
            user=officer,
            doc_type=types[number % len(types)],
            filename=f"stuk-{number}.pdf",
            content=PDF,
            description=f"Stuk {number}",
            document=version.document if version else None,
        )


def _fill(case, officer, count: int, *, start: int = 0):
    """`count` more of everything the case page shows."""
    today = timezone.localdate()
    relative = CaseFactory(team=case.team, officer=officer)
    for number in range(start, start + count):
        _document(case, officer, number, versions=1 + number % 2)
        InterviewFactory(case=case)
        PlannedInterviewFactory(case=case)
        # One open obstacle per category: the others resolved.
        ObstacleFactory(
            case=case,
            status="open" if number == 0 else "resolved",
            resolved_on=None if number == 0 else today,
            identified_on=today - timedelta(days=number),
        )
        ProcedureFactory(case=case, filed_on=today - timedelta(days=number))
        Note.objects.create(case=case, author=officer, text=f"Testnotitie-{number}")
        PhaseChange.objects.create(
            case=case, from_phase="registered", to_phase="obliged", reason="", actor=officer
        )
        item = AgendaItemFactory(
            meeting=MeetingFactory(starts_at=timezone.now() - timedelta(days=number)), case=case
        )
        ActionItemFactory(agenda_item=item, owner_organisation=None, owner_user=officer)
        MeasureFactory(
            case=case,
            type="detention_59",
            started_on=today - timedelta(days=100 + number * 3),
            ended_on=today - timedelta(days=99 + number * 3),
        )
        request = TravelDocumentRequestFactory(case=case)
        PresentationFactory(case=case, travel_document_request=request)
        ReturnSupportFactory(case=case)
        AdviceFactory(case=case)
        Alias.objects.create(person=case.person, name=f"Alias {number}")
        # Household: a child with a case of its own, which took part in this case's interview.
        child = CaseFactory(team=case.team, officer=officer, person=PersonFactory())
        HouseholdLink.objects.create(
            person=case.person, relative=child.person, relation=HouseholdLink.Relation.PARENT
        )
        InterviewParticipant.objects.create(interview=InterviewFactory(case=relative), case=case)
        CaseTransferFactory(case=case, status="withdrawn", decided_at=timezone.now())
        # Another case of the same person, closed.
        CaseFactory(
            person=case.person,
            team=case.team,
            officer=officer,
            phase=Case.Phase.CLOSED,
            closed_on=today,
            closure_reason=Case.ClosureReason.OTHER,
        )


@pytest.fixture
def case(officer):
    return CaseFactory(team=officer.team, officer=officer, phase=Case.Phase.OBLIGED)


def test_the_case_page_queries_do_not_grow_with_the_dossier(officer_client, officer, case):
    _fill(case, officer, 1)
    url = reverse("cases:detail", args=[case.reference])
    officer_client.get(url)  # the per-process caches (content types, permissions)
    small = _queries(officer_client, url)
    _fill(case, officer, 19, start=1)
    officer_client.get(url)  # the permissions, read again after the factories' new users
    large = _queries(officer_client, url)
    assert len(large) == len(small), "\n".join(large)
    page = officer_client.get(url).content.decode()
    # Everything is on the page: the 20 documents, 20 obstacles, the meetings...
    assert page.count("/documenten/DOC-") == 20
    assert page.count(f"/cases/{case.reference}/belemmeringen/") >= 20
    assert page.count("Testnotitie-") == 20


def test_the_case_page_queries_do_not_grow_with_the_database(officer_client, officer, case):
    _fill(case, officer, 2)
    url = reverse("cases:detail", args=[case.reference])
    officer_client.get(url)
    small = _queries(officer_client, url)
    # Other cases with full dossiers, of this team and of another.
    for _ in range(3):
        _fill(CaseFactory(team=officer.team, officer=officer), officer, 2)
        _fill(CaseFactory(), officer, 1)
    officer_client.get(url)
    assert len(_queries(officer_client, url)) == len(small)


def test_a_relation_without_rows_costs_no_query(officer_client, officer, case):
    url = reverse("cases:detail", args=[case.reference])
    officer_client.get(url)
    tables = (
        "departure_measure",
        "cases_note",
        "cases_casetransfer",
        "documents_documentversion",
        "partners_agendaitem",
    )
    empty = _queries(officer_client, url)

    def reads(queries, table):
        # A query of its own (the query of the case names each table in a subquery).
        return [sql for sql in queries if sql.startswith(f'SELECT "{table}".')]

    for table in tables:
        assert not reads(empty, table), table
    # With rows, each is read (and shown).
    _fill(case, officer, 1)
    officer_client.get(url)
    full = _queries(officer_client, url)
    for table in tables:
        assert reads(full, table), table
    assert len(full) > len(empty)
