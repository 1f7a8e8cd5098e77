from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from django.utils import timezone

from cases.models import Case
from departure.models import (
    Advice,
    CourtReview,
    Departure,
    Measure,
    ReturnSupport,
    TravelDocumentRequest,
)
from dtv.audit.models import AuditEntry
from tests.departure.factories import (
    AdviceFactory,
    EmbassyFactory,
    MeasureFactory,
    PresentationFactory,
    ReturnSupportFactory,
    TravelDocumentRequestFactory,
    issued_travel_document,
)

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


@pytest.fixture
def world(make_case):
    case = make_case(phase=Case.Phase.DETENTION, term_lapsed_days_ago=20)
    return {
        "case": case,
        "measure": MeasureFactory(case=case, type=Measure.Type.VBL),
        "detention": MeasureFactory(
            case=case, type=Measure.Type.DETENTION_59, started_on=_today() - timedelta(days=5)
        ),
        "support": ReturnSupportFactory(case=case),
        "document": TravelDocumentRequestFactory(case=case),
        "advice": AdviceFactory(case=case),
        "presentation": PresentationFactory(case=case),
    }


# URL name -> which object of the world its pk names (None: only the case reference).
URLS = {
    "overview": None,
    "record_departure": None,
    "add_measure": None,
    "edit_measure": "measure",
    "end_measure": "measure",
    "add_court_review": "detention",
    "add_return_support": None,
    "decide_return_support": "support",
    "add_travel_document": None,
    "edit_travel_document": "document",
    "travel_document_answer": "document",
    "add_advice": None,
    "send_advice": "advice",
    "advice_outcome": "advice",
    "presentation_add": None,
    "presentation_edit": "presentation",
}
WRITES = [name for name in URLS if name != "overview"]


def url(world, name):
    args = [world["case"].reference]
    if URLS[name]:
        args.append(world[URLS[name]].pk)
    return reverse(f"departure:{name}", args=args)


def test_every_departure_url_is_covered_here():
    resolver = get_resolver().namespace_dict["departure"][1]
    names = {pattern.name for pattern in resolver.url_patterns}
    assert names == set(URLS)


@pytest.mark.parametrize("name", list(URLS))
def test_an_officer_of_another_team_gets_404_everywhere(client, outsider, world, name):
    client.force_login(outsider)
    assert client.get(url(world, name)).status_code == 404
    if name != "overview":  # a read-only page: POST is not allowed for anyone
        assert client.post(url(world, name), {}).status_code == 404
    assert not AuditEntry.objects.filter(actor=outsider).exists()


@pytest.mark.parametrize("name", list(URLS))
def test_partners_and_administrators_get_404(client, partner_user, admin_user, world, name):
    for user in (partner_user, admin_user):
        client.force_login(user)
        assert client.get(url(world, name)).status_code == 404


@pytest.mark.parametrize("name", list(URLS))
def test_anonymous_users_go_to_the_login_page(client, world, name):
    response = client.get(url(world, name))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("name", list(URLS))
def test_the_auditor_reads_but_does_not_write(client, auditor, world, name):
    client.force_login(auditor)
    expected = 200 if name == "overview" else 403
    assert client.get(url(world, name)).status_code == expected


@pytest.mark.parametrize("name", list(URLS))
def test_officer_and_team_lead_see_every_page_and_it_is_audited(
    client, officer, team_lead, world, name
):
    for user in (officer, team_lead):
        client.force_login(user)
        assert client.get(url(world, name)).status_code == 200
        entry = AuditEntry.objects.filter(actor=user, purpose=f"departure:{name}").get()
        assert entry.additional_data["v_nummer"] == world["case"].person.v_nummer


def test_the_overview_shows_everything(officer_client, world):
    CourtReview.objects.create(
        measure=world["detention"], reviewed_on=_today(), court="Rechtbank Haarlem"
    )
    page = officer_client.get(url(world, "overview")).content.decode()
    assert "Vw 2000 art. 62 lid 1" in page
    assert "Rechtbank Haarlem" in page
    assert world["document"].embassy.name in page
    assert world["advice"].motivation in page


# ---- recording a departure ---------------------------------------------------------------


def _departure_form(**extra):
    return {
        "type": "forced",
        "departed_on": _today().isoformat(),
        "destination": "MA",
        "confirmed_by": "kmar",
        "forced_from": "detention",
        "escort": "on",
        **extra,
    }


def test_recording_a_departure_asks_for_confirmation_first(officer_client, world):
    case = world["case"]
    issued_travel_document(case)
    target = url(world, "record_departure")
    response = officer_client.post(target, _departure_form())
    assert response.status_code == 200
    assert response.templates[0].name == "departure/confirm_departure.html"
    page = response.content.decode()
    assert "Morocco" in page
    assert 'name="confirmed"' in page
    assert not Departure.objects.exists()
    back = officer_client.post(target, {**_departure_form(), "back": "1"})
    assert back.templates[0].name == "departure/form.html"
    done = officer_client.post(target, {**_departure_form(), "confirmed": "1"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.is_closed
    assert case.closure_reason == Case.ClosureReason.FORCED
    departure = Departure.objects.get()
    assert (departure.forced_from, departure.escort, departure.destination) == (
        "detention",
        True,
        "MA",
    )


def test_a_refused_departure_shows_the_rule_on_the_form(officer_client, world):
    response = officer_client.post(
        url(world, "record_departure"),
        {
            **_departure_form(type="independent_proven", confirmed_by="", forced_from=""),
            "escort": "",
            "confirmed": "1",
        },
    )
    assert response.status_code == 200
    assert "KMar departure notice" in response.content.decode()
    assert not Departure.objects.exists()


def test_a_closed_case_sends_the_departure_form_back_to_the_case(officer_client, make_case):
    case = make_case(
        phase=Case.Phase.CLOSED, closed_on=_today(), closure_reason=Case.ClosureReason.OTHER
    )
    response = officer_client.get(reverse("departure:record_departure", args=[case.reference]))
    assert response.status_code == 302


@pytest.mark.parametrize(
    "bad",
    [
        {"departed_on": "1850-01-01"},
        {"departed_on": "2026-02-30"},
        {"departed_on": "not a date"},
        {"type": "teleported"},
        {"destination": "ZZ"},
        {"remarks": "nul\x00byte"},
        {"remarks": "x" * 20000},
    ],
)
def test_bad_departure_input_is_refused_without_a_500(officer_client, world, bad):
    response = officer_client.post(
        url(world, "record_departure"), {**_departure_form(), **bad, "confirmed": "1"}
    )
    assert response.status_code == 200
    assert not Departure.objects.exists()


# ---- the other forms ---------------------------------------------------------------------


def test_adding_and_ending_a_measure(officer_client, make_case):
    case = make_case(phase=Case.Phase.OBLIGED)
    response = officer_client.post(
        reverse("departure:add_measure", args=[case.reference]),
        {"type": "vbl", "started_on": _today().isoformat(), "location": "VBL Ter Apel"},
    )
    assert response.status_code == 302
    measure = Measure.objects.get(case=case)
    case.refresh_from_db()
    assert case.phase == Case.Phase.VBL
    response = officer_client.post(
        reverse("departure:end_measure", args=[case.reference, measure.pk]),
        {"ended_on": _today().isoformat(), "end_reason": "Vertrokken"},
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.ended_on == _today()


def test_the_edit_form_shows_only_the_facts_of_the_type(officer_client, world):
    vbl = officer_client.get(url(world, "edit_measure")).context["form"]
    assert "lto_decision" in vbl.fields
    assert "extended_on" not in vbl.fields
    case = world["case"]
    detention = officer_client.get(
        reverse("departure:edit_measure", args=[case.reference, world["detention"].pk])
    ).context["form"]
    assert "extended_on" in detention.fields
    assert "lto_decision" not in detention.fields


def test_an_lto_decision_without_its_date_is_refused(officer_client, world):
    response = officer_client.post(
        url(world, "edit_measure"),
        {"started_on": world["measure"].started_on.isoformat(), "lto_decision": "extend"},
    )
    assert response.status_code == 200
    world["measure"].refresh_from_db()
    assert world["measure"].lto_decision == ""


def test_a_court_review_only_for_a_detention(officer_client, world):
    case = world["case"]
    wrong = reverse("departure:add_court_review", args=[case.reference, world["measure"].pk])
    assert "belong to a detention" in officer_client.get(wrong).content.decode()
    response = officer_client.post(wrong, {"kind": "initial", "reviewed_on": _today().isoformat()})
    assert response.status_code == 200
    assert not CourtReview.objects.exists()
    response = officer_client.post(
        url(world, "add_court_review"),
        {"kind": "initial", "reviewed_on": _today().isoformat(), "court": "Rb", "lawful": "on"},
    )
    assert response.status_code == 302
    assert CourtReview.objects.filter(measure=world["detention"]).count() == 1


def test_return_support_warns_on_the_form_and_after_applying(officer_client, world, make_case):
    earlier = make_case(person=world["case"].person)
    ReturnSupportFactory(
        case=earlier,
        applied_on=_today() - timedelta(days=40),
        decision="approved",
        decided_on=_today() - timedelta(days=30),
    )
    target = url(world, "add_return_support")
    assert "5 years" in officer_client.get(target).content.decode()
    response = officer_client.post(
        target,
        {
            "programme": "rean",
            "applied_on": _today().isoformat(),
            "in_kind_eur": "0",
            "cash_eur": "200",
        },
    )
    assert response.status_code == 302
    assert any("5 years" in str(m) for m in get_messages(response.wsgi_request))


def test_return_support_amounts_are_bounded(officer_client, world):
    response = officer_client.post(
        url(world, "add_return_support"),
        {
            "programme": "rean",
            "applied_on": _today().isoformat(),
            "in_kind_eur": "-5",
            "cash_eur": "99999999999",
        },
    )
    assert response.status_code == 200
    assert ReturnSupport.objects.count() == 1


def test_deciding_return_support(officer_client, world):
    response = officer_client.post(
        url(world, "decide_return_support"),
        {
            "decision": "approved",
            "decided_on": _today().isoformat(),
            "in_kind_eur": "1800",
            "cash_eur": "300",
        },
    )
    assert response.status_code == 302
    world["support"].refresh_from_db()
    assert world["support"].decision == "approved"


def test_travel_document_request_and_answer(officer_client, make_case):
    case = make_case(phase=Case.Phase.OBLIGED)
    embassy = EmbassyFactory()
    response = officer_client.post(
        reverse("departure:add_travel_document", args=[case.reference]),
        {
            "document_type": "lp",
            "embassy": embassy.pk,
            "ordered_on": (_today() - timedelta(days=3)).isoformat(),
            "submitted_on": _today().isoformat(),
        },
    )
    assert response.status_code == 302
    request = TravelDocumentRequest.objects.get(case=case)
    response = officer_client.post(
        reverse("departure:travel_document_answer", args=[case.reference, request.pk]),
        {"answer": "non_statement", "answered_on": _today().isoformat()},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.answer == "non_statement"


def test_only_embassies_can_be_chosen(officer_client, world):
    from tests.partners.factories import OrganisationFactory

    avim = OrganisationFactory()
    response = officer_client.post(
        url(world, "add_travel_document"),
        {"document_type": "lp", "embassy": avim.pk, "ordered_on": _today().isoformat()},
    )
    assert response.status_code == 200
    assert TravelDocumentRequest.objects.count() == 1


def test_advice_through_its_forms(officer_client, make_case):
    case = make_case(phase=Case.Phase.OBLIGED)
    officer_client.post(
        reverse("departure:add_advice", args=[case.reference]),
        {
            "type": "hardship",
            "requested_on": _today().isoformat(),
            "motivation": "Schoolgaande kinderen.",
        },
    )
    advice = Advice.objects.get(case=case)
    officer_client.post(
        reverse("departure:send_advice", args=[case.reference, advice.pk]),
        {"sent_on": _today().isoformat()},
    )
    officer_client.post(
        reverse("departure:advice_outcome", args=[case.reference, advice.pk]),
        {"decided_on": _today().isoformat(), "outcome": "Geen vergunning."},
    )
    advice.refresh_from_db()
    assert advice.status == Advice.Status.DECIDED


def test_objects_of_another_case_are_not_found(officer_client, world, make_case):
    other = make_case()
    response = officer_client.get(
        reverse("departure:edit_measure", args=[other.reference, world["measure"].pk])
    )
    assert response.status_code == 404


# ---- the case page -----------------------------------------------------------------------


def test_the_case_page_shows_deadlines_outcomes_and_the_departure_button(officer_client, world):
    case = world["case"]
    page = officer_client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Vw 2000 art. 62 lid 1" in page
    assert "lapsed 20 days ago" in page
    assert reverse("departure:record_departure", args=[case.reference]) in page
    assert reverse("departure:add_measure", args=[case.reference]) in page
    assert reverse("departure:travel_document_answer", args=[case.reference, world["document"].pk])
    assert world["document"].embassy.name in page


def test_the_auditor_sees_the_section_without_buttons(client, auditor, world):
    client.force_login(auditor)
    case = world["case"]
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Vw 2000 art. 62 lid 1" in page
    assert reverse("departure:record_departure", args=[case.reference]) not in page
    assert reverse("departure:add_measure", args=[case.reference]) not in page


def test_a_closed_case_has_no_departure_button(officer_client, make_case):
    case = make_case(
        phase=Case.Phase.CLOSED, closed_on=_today(), closure_reason=Case.ClosureReason.OTHER
    )
    page = officer_client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert reverse("departure:record_departure", args=[case.reference]) not in page


def _fill(case, n):
    for i in range(n):
        MeasureFactory(
            case=case,
            type=Measure.Type.DETENTION_59,
            started_on=_today() - timedelta(days=100 + i * 3),
            ended_on=_today() - timedelta(days=99 + i * 3),
        )
        TravelDocumentRequestFactory(case=case)
        ReturnSupportFactory(case=case)
        AdviceFactory(case=case)


@pytest.mark.parametrize("page", ["cases:detail", "departure:overview"])
def test_query_count_does_not_grow_with_the_records(officer_client, make_case, page):
    case = make_case(phase=Case.Phase.OBLIGED, opened_on=_today() - timedelta(days=400))
    _fill(case, 5)
    target = reverse(page, args=[case.reference])
    officer_client.get(target)
    with CaptureQueriesContext(connection) as small:
        officer_client.get(target)
    _fill(case, 45)
    with CaptureQueriesContext(connection) as large:
        response = officer_client.get(target)
    assert response.status_code == 200
    assert len(large) == len(small)


def test_embassy_answer_answers_the_travel_document_request(officer, make_case):
    from departure.models import EmbassyPresentation, TravelDocumentRequest
    from departure.services import record_embassy_presentation

    case = make_case()
    embassy = EmbassyFactory()
    request = TravelDocumentRequest.objects.create(case=case, submitted_on=timezone.localdate())
    presentation = record_embassy_presentation(
        case,
        actor=officer,
        embassy=embassy,
        travel_document_request=request,
        presented_on=timezone.localdate(),
        answer=EmbassyPresentation.Answer.RECOGNISED,
    )
    request.refresh_from_db()
    assert presentation.answered_on == timezone.localdate()
    assert request.answer == "recognised"
