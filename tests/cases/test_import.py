import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from openpyxl import Workbook

from cases import imports
from cases.models import Case, CaseImport, Nationality, Person, PhaseChange
from dtv.audit.models import AuditEntry
from tests.cases.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-12-03 10:00 +0100", tick=False):
        yield


HEADER = ";".join(imports.HEADERS)
ROWS = [
    "0100000001;Benali;Youssef;14-03-1990;MA;IND;02-11-2026;28;GM0363",
    "0100000002;Haddad;Lina;1988-07-01;SY, TR;Politie;2026-10-15;0;Utrecht",
    "0100000003;Okafor;Chidi;;NG;KMar;;28;",
]


def _csv(*rows, header=HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def _upload(client, content, name="zaken.csv", team=None, capture=None):
    upload = io.BytesIO(content)
    upload.name = name
    data = {"file": upload, "team": team.pk, "category": "asylum"}
    return client.post(reverse("cases:import"), data)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _check(admin_client, content, team, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(admin_client, content, team=team, **kwargs)
    assert response.status_code == 302, response.content.decode()[:3000]
    return CaseImport.objects.get()


def _confirm(admin_client, batch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("cases:import_confirm", args=[batch.reference]))
    assert response.status_code == 302
    batch.refresh_from_db()
    return batch


def test_preview_shows_each_row_and_writes_nothing(
    admin_client, team, django_capture_on_commit_callbacks
):
    batch = _check(admin_client, _csv(*ROWS), team, django_capture_on_commit_callbacks)
    assert batch.status == CaseImport.Status.CHECKED
    assert [r["action"] for r in batch.rows] == ["create", "create", "create"]
    assert batch.summary["create"] == 3
    assert not Person.objects.filter(v_nummer__startswith="01000").exists()
    assert not Case.objects.exists()
    page = admin_client.get(reverse("cases:import_detail", args=[batch.reference]))
    html = page.content.decode()
    assert "Benali" in html and "confirm-import" in html
    # The preview names persons: one Logboek entry with their V-numbers.
    entry = AuditEntry.objects.filter(purpose="cases:import_detail").get()
    assert entry.additional_data["v_nummers"] == ["0100000001", "0100000002", "0100000003"]


def test_confirm_imports_and_the_same_file_twice_changes_nothing(
    admin_client, team, admin_user, django_capture_on_commit_callbacks
):
    batch = _check(admin_client, _csv(*ROWS), team, django_capture_on_commit_callbacks)
    batch = _confirm(admin_client, batch, django_capture_on_commit_callbacks)
    assert batch.status == CaseImport.Status.IMPORTED, batch.error
    assert batch.content == b"" and all("name" not in r for r in batch.rows)
    benali = Case.objects.get(person__v_nummer="0100000001")
    assert benali.team == team and benali.source == "ind" and benali.category == "asylum"
    assert benali.decision_on == date(2026, 11, 2)
    assert benali.municipality.code == "GM0363"
    # The deadlines and phase follow from the facts, as for a case registered by hand.
    assert benali.term_ends_on is not None and benali.phase != "registered"
    assert PhaseChange.objects.filter(case=benali, to_phase=benali.phase).exists()
    haddad = Case.objects.get(person__v_nummer="0100000002")
    assert haddad.source == "police" and haddad.departure_term_days == 0
    assert haddad.municipality.name == "Utrecht"
    assert set(haddad.person.nationalities.values_list("country", flat=True)) == {"SY", "TR"}
    okafor = Person.objects.get(v_nummer="0100000003")
    assert okafor.birth_date is None and okafor.birth_date_precision == "unknown"
    # Audited: a create entry per record written, and one for the import.
    creates = AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, actor=admin_user)
    assert creates.filter(v_nummer="0100000001").count() == 3  # person, nationality, case
    summary = AuditEntry.objects.get(purpose="cases:import", object_pk=str(batch.pk))
    assert summary.additional_data["v_nummers"] == ["0100000001", "0100000002", "0100000003"]

    before = (Person.objects.count(), Case.objects.count(), Nationality.objects.count())
    entries = AuditEntry.objects.exclude(kind="view").count()
    CaseImport.objects.all().delete()
    again = _check(admin_client, _csv(*ROWS), team, django_capture_on_commit_callbacks)
    assert [r["action"] for r in again.rows] == ["unchanged"] * 3
    html = admin_client.get(reverse("cases:import_detail", args=[again.reference])).content
    assert b"confirm-import" not in html
    assert (Person.objects.count(), Case.objects.count(), Nationality.objects.count()) == before
    assert AuditEntry.objects.exclude(kind="view").count() == entries


def test_a_changed_row_updates_the_open_case(
    admin_client, team, django_capture_on_commit_callbacks
):
    case = CaseFactory(
        team=team,
        person=PersonFactory(
            v_nummer="0100000001",
            family_name="Benali",
            given_names="Youssef",
            birth_date=date(1990, 3, 14),
        ),
        decision_on=date(2026, 10, 1),
        source="ind",
    )
    batch = _check(admin_client, _csv(ROWS[0]), team, django_capture_on_commit_callbacks)
    row = batch.rows[0]
    assert row["action"] == "update"
    assert len(row["changes"]) == 2  # the decision date and the municipality
    assert case.reference in row["note"]
    batch = _confirm(admin_client, batch, django_capture_on_commit_callbacks)
    case.refresh_from_db()
    assert case.decision_on == date(2026, 11, 2)
    assert case.municipality.code == "GM0363"
    assert Case.objects.count() == 1
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.UPDATE, object_pk=str(case.pk)
    ).exists()


def test_possible_duplicates_are_flagged_not_merged(
    admin_client, team, django_capture_on_commit_callbacks
):
    PersonFactory(
        v_nummer="0999999999",
        family_name="Benali",
        given_names="Youssef",
        birth_date=date(1990, 3, 14),
    )
    batch = _check(admin_client, _csv(ROWS[0]), team, django_capture_on_commit_callbacks)
    assert batch.rows[0]["action"] == "create"
    assert batch.rows[0]["duplicates"] == ["0999999999"]
    assert batch.summary["duplicates"] == 1
    _confirm(admin_client, batch, django_capture_on_commit_callbacks)
    assert Person.objects.filter(family_name="Benali").count() == 2


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("01000000AB;Benali;Youssef;14-03-1990;MA;IND;02-11-2026;28;GM0363", "alleen cijfers"),
        ("0100000001;Benali;Youssef;14-03-2030;MA;IND;02-11-2026;28;GM0363", "in de toekomst"),
        (
            "0100000001;Benali;Youssef;14-03-1990;MA;IND;02-11-2026;28;Atlantis",
            "Onbekende gemeente",
        ),
        (
            "0100000001;Benali;Youssef;14-03-1990;XX;IND;02-11-2026;28;GM0363",
            "Onbekende nationaliteit",
        ),
        ("0100000001;Benali;Youssef;14-03-1990;MA;FBI;02-11-2026;28;GM0363", "Onbekende bron"),
        ("0100000001;Benali;Youssef;14-03-1990;MA;IND;02-11-2026;14;GM0363", "niet 0 of 28"),
        ("0100000001;;Youssef;14-03-1990;MA;IND;02-11-2026;28;GM0363", "ontbreekt"),
        (
            "0100000001;Benali;Youssef;14-03-1990;MA;IND;02-11-1980;28;GM0363",
            "vóór de geboortedatum",
        ),
    ],
)
def test_a_bad_row_is_refused_with_its_reason_and_nothing_is_written(
    admin_client, team, row, message, django_capture_on_commit_callbacks
):
    batch = _check(admin_client, _csv(row, ROWS[1]), team, django_capture_on_commit_callbacks)
    assert batch.rows[0]["action"] == "refused"
    assert batch.rows[1]["action"] == "create"
    assert batch.summary["refused"] == 1
    assert message in " ".join(batch.rows[0]["reasons"])
    html = admin_client.get(reverse("cases:import_detail", args=[batch.reference])).content
    assert b"confirm-import" not in html
    # Confirming anyway is refused, and nothing is written.
    _confirm(admin_client, batch, django_capture_on_commit_callbacks)
    assert CaseImport.objects.get().status == CaseImport.Status.CHECKED
    assert not Case.objects.exists() and not Person.objects.exists()


def test_a_v_number_twice_in_the_file_is_refused(
    admin_client, team, django_capture_on_commit_callbacks
):
    batch = _check(admin_client, _csv(ROWS[0], ROWS[0]), team, django_capture_on_commit_callbacks)
    assert [r["action"] for r in batch.rows] == ["create", "refused"]


def test_a_wrong_header_is_refused_at_once(admin_client, team):
    response = _upload(
        admin_client, _csv(ROWS[0], header=HEADER.replace("gemeente", "plaats")), team=team
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "gemeente" in html and "plaats" in html
    assert not CaseImport.objects.exists()


def test_a_file_too_large_is_refused_before_it_is_read(admin_client, team, settings):
    settings.IMPORT_MAX_BYTES = 1024
    body = _csv(*(ROWS * 40))
    response = _upload(admin_client, body, team=team)
    assert response.status_code == 302
    assert response["Location"].endswith("?refused=too-large")
    page = admin_client.get(response["Location"])
    assert "larger than 0 MB" in page.content.decode() or "groter dan" in page.content.decode()
    assert not CaseImport.objects.exists()


def test_a_200_mb_upload_is_answered_from_its_declared_length(admin_client):
    # The body is never read: the declared length decides.
    response = admin_client.generic(
        "POST",
        reverse("cases:import"),
        data=b"x" * 10,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 302
    assert "too-large" in response["Location"]


def test_xlsx_is_read_too(admin_client, team, django_capture_on_commit_callbacks):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    # A spreadsheet keeps dates as dates, and may have made the V-number a number.
    sheet.append(
        [
            100000001,
            "Benali",
            "Youssef",
            date(1990, 3, 14),
            "MA",
            "IND",
            date(2026, 11, 2),
            28,
            "GM0363",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(admin_client, buffer.getvalue(), name="zaken.xlsx", team=team)
    assert response.status_code == 302
    batch = CaseImport.objects.get()
    assert batch.rows[0]["action"] == "create", batch.rows
    assert batch.rows[0]["v_nummer"] == "100000001" or batch.rows[0]["v_nummer"] == "0100000001"


def test_only_the_functional_administrator_imports(client, team_lead, officer, auditor, team):
    for user in (team_lead, officer, auditor):
        client.force_login(user)
        assert client.get(reverse("cases:import")).status_code == 403
        response = _upload(client, _csv(ROWS[0]), team=team)
        assert response.status_code == 403
    assert not CaseImport.objects.exists()


def test_progress_is_polled_until_done(admin_client, team, admin_user):
    batch = CaseImport.objects.create(
        uploaded_by=admin_user,
        team=team,
        category="asylum",
        file_name="x.csv",
        file_format="csv",
        content=_csv(ROWS[0]),
        sha256="",
        rows_total=400,
        rows_done=250,
    )
    url = reverse("cases:import_progress", args=[batch.reference])
    response = admin_client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b'aria-valuenow="62"' in response.content
    imports.check_import(batch)
    done = admin_client.get(url, headers={"HX-Request": "true"})
    assert done.status_code == 204 and done["HX-Refresh"] == "true"


def test_an_unexpected_error_ends_the_import_as_failed(admin_user, team, monkeypatch):
    from cases import tasks

    batch = CaseImport.objects.create(
        uploaded_by=admin_user,
        team=team,
        category="asylum",
        file_name="x.csv",
        file_format="csv",
        content=_csv(ROWS[0]),
        sha256="",
        rows_total=1,
    )

    def broken(batch):
        raise RuntimeError("boom")

    monkeypatch.setattr(imports, "check_import", broken)
    with pytest.raises(RuntimeError):
        tasks.check_case_import(batch.pk)
    batch.refresh_from_db()
    assert batch.status == CaseImport.Status.FAILED and batch.error
