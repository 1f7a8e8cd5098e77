"""Every URL name, GET as every kind of user: anonymous, each demo role, an officer of another
team and a partner whose organisation is not in the meeting. A second test fails when a URL is
added without an entry here.

Every URL that takes POST (read from its view's method decorator) is posted too, with a valid
CSRF token and a realistic body, as every role: a role that may not post is refused (the
answer is derived from the GET matrix, or set in POST_MATRIX) and the database is unchanged;
the first role that may post does so, to show that the body was one the view accepts."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from cases.models import Case
from departure.models import EmbassyPresentation, Measure, TravelDocumentRequest
from directory.models import Contact, Organisation
from interviews import services as interview_services
from partners.models import ActionItem, AgendaItem, Meeting
from tests.accounts.factories import PartnerUserFactory
from tests.cases.factories import CaseFactory, ObstacleFactory, ProcedureFactory
from tests.departure.factories import AdviceFactory, ReturnSupportFactory

pytestmark = pytest.mark.django_db

ROLES = ["anon", "officer", "team_lead", "partner", "admin", "auditor", "outsider", "partner_out"]

# Expected GET answers. Shorthands for the usual patterns:
LOGIN = 302  # anonymous users are sent to the login page
OPEN = dict.fromkeys(ROLES, 200)
CASE_READ = {
    "anon": LOGIN,
    "officer": 200,
    "team_lead": 200,
    "partner": 404,
    "admin": 404,
    "auditor": 200,
    "outsider": 404,
    "partner_out": 404,
}
CASE_WRITE = {**CASE_READ, "auditor": 403}
STAFF_PAGE = {
    "anon": LOGIN,
    "officer": 200,
    "team_lead": 200,
    "partner": 404,
    "admin": 404,
    "auditor": 200,
    "outsider": 200,
    "partner_out": 404,
}
STAFF_WRITE = {**STAFF_PAGE, "auditor": 403}
LEAD_ONLY = {
    "anon": LOGIN,
    "officer": 403,
    "team_lead": 200,
    "partner": 403,
    "admin": 403,
    "auditor": 403,
    "outsider": 403,
    "partner_out": 403,
}
REPORTS = {**LEAD_ONLY, "auditor": 200}
AUDITOR_ONLY = {
    "anon": LOGIN,
    "officer": 403,
    "team_lead": 403,
    "partner": 403,
    "admin": 403,
    "auditor": 200,
    "outsider": 403,
    "partner_out": 403,
}
EVERY_USER = {**dict.fromkeys(ROLES, 200), "anon": LOGIN}
ADMIN_ONLY = {**dict.fromkeys(ROLES, 403), "anon": LOGIN, "admin": 200}
MEETING_STAFF = {
    "anon": LOGIN,
    "officer": 200,
    "team_lead": 200,
    "partner": 404,
    "admin": 404,
    "auditor": 403,
    "outsider": 404,
    "partner_out": 404,
}
MEETING_READ = {**MEETING_STAFF, "partner": 200, "auditor": 200}
POST_ONLY = {**dict.fromkeys(ROLES, 405), "anon": LOGIN}


def _case_import(world, status="checking"):
    from cases.models import CaseImport

    return CaseImport.objects.create(
        uploaded_by=world["users"]["admin"],
        team=world["case"].team,
        category="asylum",
        file_name="zaken.csv",
        file_format="csv",
        content=b"",
        sha256="",
        status=status,
    )


# url name -> (args builder, expected)
MATRIX = {
    "home": (
        lambda w: [],
        {
            **EVERY_USER,
            "officer": 302,
            "team_lead": 302,
            "partner": 302,
            "admin": 302,
            "auditor": 302,
            "outsider": 302,
            "partner_out": 302,
        },
    ),
    "health": (lambda w: [], OPEN),
    "accessibility": (lambda w: [], OPEN),
    "set_language": (lambda w: [], {**dict.fromkeys(ROLES, 302)}),
    "accounts:login": (lambda w: [], {**dict.fromkeys(ROLES, 302), "anon": 200}),
    "accounts:logout": (lambda w: [], {**dict.fromkeys(ROLES, 405), "anon": LOGIN}),
    "accounts:two_factor_setup": (lambda w: [], EVERY_USER),
    "accounts:two_factor_verify": (lambda w: [], EVERY_USER),
    # Without a confirmed device there are no backup codes to renew: to enrolment first.
    "accounts:two_factor_backup_codes": (lambda w: [], dict.fromkeys(ROLES, 302)),
    "accounts:security": (lambda w: [], EVERY_USER),
    "accounts:password_change": (lambda w: [], EVERY_USER),
    "accounts:password_reset": (lambda w: [], OPEN),
    "accounts:password_reset_done": (lambda w: [], OPEN),
    # A link that does not verify shows "this link does not work" to anyone.
    "accounts:password_reset_confirm": (lambda w: ["MQ", "bad-token"], OPEN),
    "notifications:inbox": (lambda w: [], EVERY_USER),
    "notifications:open": (lambda w: [w["notification"]], {**POST_ONLY}),
    "notifications:acknowledge": (lambda w: [w["notification"]], {**POST_ONLY}),
    "notifications:acknowledge_selected": (lambda w: [], {**POST_ONLY}),
    "notifications:snooze": (
        lambda w: [w["notification"]],
        {**dict.fromkeys(ROLES, 404), "anon": LOGIN, "officer": 200},
    ),
    "audit:log": (lambda w: [], AUDITOR_ONLY),
    "privacy:anomalies": (lambda w: [], AUDITOR_ONLY),
    "privacy:case_access": (
        lambda w: [w["case"].reference],
        {**CASE_READ, "officer": 403, "outsider": 403},
    ),
    "privacy:subject_access": (lambda w: [], AUDITOR_ONLY),
    "privacy:subject_access_export": (
        lambda w: [w["case"].person.v_nummer, "json"],
        AUDITOR_ONLY,
    ),
    "cases:list": (lambda w: [], STAFF_PAGE),
    "cases:worklist": (lambda w: [], STAFF_PAGE),
    "cases:export": (lambda w: [], STAFF_PAGE),
    "cases:export_xlsx": (lambda w: [], STAFF_PAGE),
    "cases:create": (lambda w: [], STAFF_WRITE),
    "cases:import": (lambda w: [], ADMIN_ONLY),
    "cases:import_template": (lambda w: ["csv"], ADMIN_ONLY),
    "cases:import_detail": (lambda w: [_case_import(w).reference], ADMIN_ONLY),
    "cases:import_progress": (lambda w: [_case_import(w).reference], ADMIN_ONLY),
    "cases:import_confirm": (lambda w: [_case_import(w).reference], {**POST_ONLY}),
    "cases:detail": (lambda w: [w["case"].reference], CASE_READ),
    "cases:edit": (lambda w: [w["case"].reference], CASE_WRITE),
    "cases:person_edit": (lambda w: [w["case"].reference], CASE_WRITE),
    "cases:phase": (lambda w: [w["case"].reference], CASE_WRITE),
    "cases:close": (lambda w: [w["case"].reference], CASE_WRITE),
    "cases:procedure_add": (lambda w: [w["case"].reference], CASE_WRITE),
    "cases:procedure_edit": (lambda w: [w["case"].reference, w["procedure"]], CASE_WRITE),
    "cases:obstacle_add": (lambda w: [w["case"].reference], CASE_WRITE),
    "cases:obstacle_edit": (lambda w: [w["case"].reference, w["obstacle"]], CASE_WRITE),
    "cases:note_add": (lambda w: [w["case"].reference], POST_ONLY),
    "cases:household_add": (lambda w: [w["case"].reference], CASE_WRITE),
    "documents:add": (lambda w: [w["case"].reference], CASE_WRITE),
    "documents:detail": (lambda w: [w["document"].reference], CASE_READ),
    "documents:version_add": (lambda w: [w["document"].reference], CASE_WRITE),
    "documents:download": (lambda w: [w["document"].reference, 1], CASE_READ),
    "documents:preview": (lambda w: [w["document"].reference, 1], CASE_READ),
    "interviews:agenda": (lambda w: [], STAFF_PAGE),
    "interviews:calendar_settings": (lambda w: [], STAFF_PAGE),
    "interviews:calendar_feed": (lambda w: ["x" * 43], dict.fromkeys(ROLES, 404)),
    "interviews:log": (lambda w: [w["case"].reference], CASE_WRITE),
    "interviews:attendee_row": (lambda w: [w["case"].reference], CASE_WRITE),
    "departure:presentation_add": (lambda w: [w["case"].reference], CASE_WRITE),
    "departure:presentation_edit": (
        lambda w: [w["case"].reference, w["presentation"]],
        CASE_WRITE,
    ),
    "interviews:detail": (lambda w: [w["case"].reference, w["interview"]], CASE_READ),
    "interviews:edit": (lambda w: [w["case"].reference, w["interview"]], CASE_WRITE),
    "interviews:print": (lambda w: [w["case"].reference, w["interview"]], CASE_READ),
    "departure:record_departure": (lambda w: [w["case"].reference], CASE_WRITE),
    "departure:add_measure": (lambda w: [w["case"].reference], CASE_WRITE),
    "departure:edit_measure": (lambda w: [w["case"].reference, w["measure"]], CASE_WRITE),
    "departure:add_court_review": (lambda w: [w["case"].reference, w["measure"]], CASE_WRITE),
    "departure:add_return_support": (lambda w: [w["case"].reference], CASE_WRITE),
    "departure:add_travel_document": (lambda w: [w["case"].reference], CASE_WRITE),
    "departure:edit_travel_document": (
        lambda w: [w["case"].reference, w["travel_document"]],
        CASE_WRITE,
    ),
    "departure:add_advice": (lambda w: [w["case"].reference], CASE_WRITE),
    "departure:overview": (lambda w: [w["case"].reference], CASE_READ),
    "departure:end_measure": (lambda w: [w["case"].reference, w["measure"]], CASE_WRITE),
    "departure:decide_return_support": (
        lambda w: [w["case"].reference, ReturnSupportFactory(case=w["case"]).pk],
        CASE_WRITE,
    ),
    "departure:travel_document_answer": (
        lambda w: [w["case"].reference, w["travel_document"]],
        CASE_WRITE,
    ),
    "departure:send_advice": (
        lambda w: [w["case"].reference, AdviceFactory(case=w["case"]).pk],
        CASE_WRITE,
    ),
    "departure:advice_outcome": (
        lambda w: [w["case"].reference, AdviceFactory(case=w["case"]).pk],
        CASE_WRITE,
    ),
    # A team lead's (and the auditor's) list; officers see a pending transfer on the case.
    "cases:transfers": (
        lambda w: [],
        {**REPORTS, "partner": 404, "admin": 404, "partner_out": 404},
    ),
    "cases:transfer_propose": (lambda w: [w["case"].reference], CASE_WRITE),
    # The receiving lead's decision on a transfer into their team; every other team lead
    # and officer finds no such page.
    "cases:transfer_decide": (
        lambda w: [_incoming_transfer(w)],
        {**LEAD_ONLY, "partner": 404, "admin": 404, "partner_out": 404},
    ),
    "cases:transfer_withdraw": (lambda w: [_outgoing_transfer(w)], POST_ONLY),
    "reports:caseload": (lambda w: [], REPORTS),
    "reports:reassign": (lambda w: [], LEAD_ONLY),
    "reports:cover": (lambda w: [], LEAD_ONLY),
    "reports:index": (lambda w: [], REPORTS),
    "reports:report": (lambda w: ["departures"], REPORTS),
    "reports:publication": (lambda w: [], REPORTS),
}


def _incoming_transfer(w) -> str:
    """A case of the outsider's team proposed for the world's team (whose lead decides)."""
    from cases import transfers

    outsider = w["users"]["outsider"]
    case = CaseFactory(team=outsider.team, officer=outsider, phase="obliged")
    transfers.propose_transfer(
        case, actor=outsider, to_team=w["users"]["officer"].team, reason="Verhuizing"
    )
    return case.reference


def _outgoing_transfer(w) -> str:
    """The world's case proposed by its officer for the outsider's team (with a lead)."""
    from cases import transfers
    from tests.accounts.factories import TeamLeadFactory

    outsider = w["users"]["outsider"]
    case = w["case"]
    if case.transfers.pending().exists():  # built once per world (the fuzz test asks again)
        return case.reference
    if outsider.team.lead_id is None:
        TeamLeadFactory(username="lead_of_outsider", team=outsider.team)
        outsider.team.refresh_from_db()
    transfers.propose_transfer(
        case, actor=w["users"]["officer"], to_team=outsider.team, reason="Verhuizing"
    )
    return case.reference


def _partners_matrix():
    """The partners app's URLs: meetings are seen by their team and participating partners."""
    org_read = {**STAFF_PAGE, "admin": 200, "auditor": 404}
    return {
        "partners:organisation_list": (lambda w: [], org_read),
        "partners:organisation_detail": (lambda w: [w["organisation"]], org_read),
        "partners:meeting_list": (lambda w: [], {**EVERY_USER, "admin": 404}),
        "partners:meeting_create": (lambda w: [], {**STAFF_WRITE, "outsider": 200}),
        "partners:meeting_detail": (lambda w: [w["meeting"].reference], MEETING_READ),
        "partners:meeting_edit": (lambda w: [w["meeting"].reference], MEETING_STAFF),
        "partners:meeting_proposals": (lambda w: [w["meeting"].reference], MEETING_STAFF),
        "partners:agenda_add": (lambda w: [w["meeting"].reference], POST_ONLY),
        "partners:agenda_item_edit": (
            lambda w: [w["meeting"].reference, w["agenda_item"]],
            MEETING_STAFF,
        ),
        "partners:agenda_item_documents": (
            lambda w: [w["meeting"].reference, w["agenda_item"]],
            MEETING_STAFF,
        ),
        "partners:agenda_move": (
            lambda w: [w["meeting"].reference, w["agenda_item"]],
            POST_ONLY,
        ),
        "partners:agenda_remove": (
            lambda w: [w["meeting"].reference, w["agenda_item"]],
            MEETING_STAFF,
        ),
        "partners:nominate": (
            lambda w: [w["meeting"].reference],
            {**MEETING_READ, "officer": 302, "team_lead": 302, "partner": 302, "auditor": 403},
        ),
        "partners:meeting_send": (lambda w: [w["meeting"].reference], MEETING_STAFF),
        "partners:meeting_held": (lambda w: [w["meeting"].reference], MEETING_STAFF),
        # Minutes open once the meeting is held; before that the page redirects.
        "partners:minutes": (
            lambda w: [w["meeting"].reference],
            {**MEETING_STAFF, "officer": 302, "team_lead": 302},
        ),
        "partners:minutes_decision": (
            lambda w: [w["meeting"].reference, w["agenda_item"]],
            POST_ONLY,
        ),
        "partners:action_item_add": (
            lambda w: [w["meeting"].reference, w["agenda_item"]],
            POST_ONLY,
        ),
        "partners:minutes_finalise": (lambda w: [w["meeting"].reference], MEETING_STAFF),
        "partners:agenda_print": (lambda w: [w["meeting"].reference], MEETING_READ),
        "partners:agenda_pdf": (lambda w: [w["meeting"].reference], MEETING_READ),
        "partners:agenda_case": (
            lambda w: [w["meeting"].reference, w["case"].reference],
            MEETING_READ,
        ),
        "partners:action_item_list": (
            lambda w: [],
            {**EVERY_USER, "admin": 404, "auditor": 403},
        ),
        # The owning organisation's partner and the chair's team; nobody else.
        "partners:action_item_update": (
            lambda w: [w["action_item"]],
            {
                **dict.fromkeys(ROLES, 404),
                "anon": LOGIN,
                "officer": 200,
                "team_lead": 200,
                "partner": 200,
                "auditor": 403,
            },
        ),
        "partners:nominate_case": (lambda w: [w["case"].reference], CASE_WRITE),
    }


MATRIX.update(_partners_matrix())

# Letters: the texts are the functional administrator's; a letter is made by the case's team.
ADMIN_ONLY = {**LEAD_ONLY, "team_lead": 403, "admin": 200}
MATRIX.update(
    {
        "letters:text_list": (lambda w: [], ADMIN_ONLY),
        "letters:text_edit": (lambda w: ["invitation", "eng"], ADMIN_ONLY),
        "letters:text_preview": (lambda w: ["invitation", "eng"], ADMIN_ONLY),
        "letters:generate": (lambda w: [w["case"].reference], CASE_WRITE),
    }
)


def _names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_has_an_entry():
    missing = sorted(set(_names()) - set(MATRIX))
    assert missing == [], f"add these URL names to the permission matrix: {missing}"


@pytest.fixture
def world(officer, team_lead, partner_user, admin_user, auditor, outsider):
    case = CaseFactory(team=officer.team, officer=officer, phase="obliged")
    procedure = ProcedureFactory(case=case)
    obstacle = ObstacleFactory(case=case)
    interview = interview_services.log_interview(
        case,
        actor=officer,
        stage="progress",
        held_at=timezone.now() - timedelta(hours=1),
        report="Gesprek gevoerd.",
    )
    measure = Measure.objects.create(case=case, type="vbl", started_on=timezone.localdate())
    embassy = Organisation.objects.create(kind="embassy", name="Ambassade Test", country="MA")
    presentation = EmbassyPresentation.objects.create(
        case=case, embassy=embassy, presented_on=timezone.localdate()
    )
    document = TravelDocumentRequest.objects.create(case=case)
    avim = Organisation.objects.create(kind="avim", name="AVIM Test")
    other_org = Organisation.objects.create(kind="avim", name="AVIM Elders")
    Contact.objects.create(organisation=avim, name="P", user=partner_user)
    partner_out = PartnerUserFactory(username="partner_out")
    Contact.objects.create(organisation=other_org, name="Q", user=partner_out)
    meeting = Meeting.objects.create(
        region="Noord",
        starts_at=timezone.now() + timedelta(days=3),
        chair=officer,
        team=officer.team,
        created_by=officer,
        status=Meeting.Status.AGENDA_SENT,
        agenda_sent_at=timezone.now(),
    )
    meeting.participants.create(organisation=avim)
    item = AgendaItem.objects.create(meeting=meeting, case=case, position=1)
    action = ActionItem.objects.create(
        agenda_item=item,
        owner_organisation=avim,
        description="Onderzoek",
        due_on=timezone.localdate() + timedelta(days=5),
    )
    from dtv.notifications.services import notify

    notification = notify(officer, title="Test", case=case)
    from documents.demo import minimal_pdf
    from documents.services import store_generated

    stored = store_generated(
        case=case,
        user=officer,
        doc_type="decision",
        filename="beschikking.pdf",
        content=minimal_pdf(["Beschikking"]),
        description="Beschikking",
    )
    users = {
        "officer": officer,
        "team_lead": team_lead,
        "partner": partner_user,
        "admin": admin_user,
        "auditor": auditor,
        "outsider": outsider,
        "partner_out": partner_out,
    }
    return {
        "users": users,
        "case": case,
        "procedure": procedure.pk,
        "obstacle": obstacle.pk,
        "interview": interview.pk,
        "presentation": presentation.pk,
        "measure": measure.pk,
        "travel_document": document.pk,
        "meeting": meeting,
        "agenda_item": item.pk,
        "action_item": action.pk,
        "organisation": avim.pk,
        "notification": notification.pk,
        "document": stored.document,
    }


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(client, world, name):
    args_for, expected = MATRIX[name]
    url = reverse(name, args=args_for(world))
    answers = {}
    for role in ROLES:
        client.logout()
        if role != "anon":
            client.force_login(world["users"][role])
        answers[role] = client.get(url).status_code
    assert answers == expected, f"{url}: {answers}"
    assert Case.objects.filter(pk=world["case"].pk).exists()


# The account actions of /beheer/ (issue 24.2), by every role. Whatever the answer for those
# who may not use the admin at all (a redirect or 403), the data must not change; only the
# functional administrator gets the pages, and not even they get these changes through.
def _admin_account_actions(world):
    officer, auditor = world["users"]["officer"], world["users"]["auditor"]

    def own_superuser(user):
        return (
            reverse("admin:accounts_user_change", args=[user.pk]),
            {
                "username": user.username,
                "role": user.role,
                "email_frequency": user.email_frequency,
                "is_active": "on",
                "is_superuser": "on",
                "is_staff": "on",
            },
        )

    def officer_to_auditor(user):
        return (
            reverse("admin:accounts_user_change", args=[officer.pk]),
            {
                "username": officer.username,
                "role": "auditor",
                "team": officer.team_id,
                "email_frequency": officer.email_frequency,
                "is_active": "on",
            },
        )

    def reset_auditor(user):
        return (
            reverse("admin:accounts_user_changelist"),
            {"action": "reset_two_factor", "_selected_action": [auditor.pk]},
        )

    return {
        "grant_own_superuser": own_superuser,
        "make_officer_auditor": officer_to_auditor,
        "reset_auditor_two_factor": reset_auditor,
    }


@pytest.mark.parametrize(
    "action", ["grant_own_superuser", "make_officer_auditor", "reset_auditor_two_factor"]
)
def test_admin_account_actions_change_nothing_for_anyone(client, world, action):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from dtv.accounts.models import User

    auditor = world["users"]["auditor"]
    TOTPDevice.objects.create(user=auditor, name="phone", confirmed=True)
    build = _admin_account_actions(world)[action]
    for role in ROLES:
        client.logout()
        user = world["users"].get(role)
        if user is not None:
            client.force_login(user)
        url, data = build(user or world["users"]["officer"])
        client.post(url, data)
        assert not User.objects.filter(is_superuser=True).exists(), role
        assert User.objects.get(pk=world["users"]["officer"].pk).role == "officer", role
        assert TOTPDevice.objects.filter(user=auditor).exists(), role


def test_admin_account_pages_only_for_the_functional_administrator(client, world):
    urls = [
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[world["users"]["officer"].pk]),
        "/beheer/otp_totp/totpdevice/",
        "/beheer/otp_static/staticdevice/",
    ]
    for role in ROLES:
        client.logout()
        if role != "anon":
            client.force_login(world["users"][role])
        answers = [client.get(url).status_code for url in urls]
        if role == "admin":
            assert answers == [200, 200, 404, 404]
        else:
            assert 200 not in answers, (role, answers)


# ---- POST ---------------------------------------------------------------------------------

OK = "ok"  # the role may post: below 400 (a redirect, the form again) or 422 (refused input)
# The apps whose rows a refused POST must leave as they were (audit entries, sessions and
# lockout records are written by reading, too).
STATE_APPS = (
    "accounts",
    "partners",
    "cases",
    "documents",
    "interviews",
    "departure",
    "notifications",
    "letters",
)
CSRF_SECRET = "Abcdefghijklmnopqrstuvwxyz012345"  # 32 characters: a valid unmasked token


def _methods(name: str, args) -> set[str]:
    """The methods a URL's view takes, read from its require_http_methods (or GET/POST)
    decorator or its class's handlers; every method when it has neither."""
    view = resolve(reverse(name, args=args)).func
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return {m.upper() for m in view_class.http_method_names if hasattr(view_class, m)}
    func = view
    while func is not None:
        code = getattr(func, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = func.__closure__[code.co_freevars.index("request_method_list")]
            return set(cell.cell_contents)
        func = getattr(func, "__wrapped__", None)
    return {"GET", "POST"}


def _post_expected(get_expected: dict) -> dict:
    """A role that may open the page may post it; every other role gets the GET answer."""
    return {
        role: OK if code in (200, 302) and not (role == "anon" and code == LOGIN) else code
        for role, code in get_expected.items()
    }


# Where the POST answer differs from the one derived from GET, or where the URL is POST-only
# (405 on GET): url name -> the answers by role.
LOGGED_IN_OK = {**dict.fromkeys(ROLES, OK), "anon": LOGIN}
POST_MATRIX = {
    "set_language": dict.fromkeys(ROLES, OK),
    "accounts:login": dict.fromkeys(ROLES, OK),
    "accounts:logout": LOGGED_IN_OK,
    "notifications:open": {**dict.fromkeys(ROLES, 404), "anon": LOGIN, "officer": OK},
    "notifications:acknowledge": {**dict.fromkeys(ROLES, 404), "anon": LOGIN, "officer": OK},
    # Anyone's own notifications only: someone else's ids are ignored, nothing changes.
    "notifications:acknowledge_selected": LOGGED_IN_OK,
    "cases:note_add": _post_expected(CASE_WRITE),
    # The functional administrator confirms (this one is still being checked: refused with a
    # message, nothing written).
    "cases:import_confirm": {**dict.fromkeys(ROLES, 403), "anon": LOGIN, "admin": OK},
    "partners:agenda_add": _post_expected(MEETING_STAFF),
    "partners:agenda_move": _post_expected(MEETING_STAFF),
    "partners:minutes_decision": _post_expected(MEETING_STAFF),
    "partners:action_item_add": _post_expected(MEETING_STAFF),
    # The partner nominates for a meeting they take part in; the auditor never.
    "partners:nominate": {**_post_expected(MEETING_READ), "auditor": 403},
    # The proposer or the lead of the proposing team withdraws a pending transfer.
    "cases:transfer_withdraw": {
        **_post_expected(CASE_WRITE),
        "partner_out": 404,
    },
}

# Realistic bodies where the page's own form (read from its GET as the posting role) is not
# one: url name -> body builder. The form of an edit page, as the browser sends it, is.
POST_BODIES = {
    "set_language": lambda w: {"language": "en", "next": "/"},
    "accounts:login": lambda w: {"username": "nobody", "password": "wrong-password"},
    "notifications:acknowledge_selected": lambda w: {"ids": [w["notification"]]},
    "cases:note_add": lambda w: {"text": "Gesprek gevoerd met de advocaat."},
    "cases:create": lambda w: {
        "v_nummer": "4000000001",
        "family_name": "Nieuw",
        "given_names": "Persoon",
        "birth_date": "1990-01-01",
        "nationality": "MA",
        "decision_on": timezone.localdate().isoformat(),
        "departure_term_days": "28",
    },
    "partners:agenda_add": lambda w: {"case": w["case"].reference},
    "partners:agenda_move": lambda w: {"direction": "down"},
    "partners:nominate_case": lambda w: {"meeting": w["meeting"].pk, "question": "Graag"},
}

# Where the posting role's POST must change data: the proof that the body is a real one.
MUST_CHANGE = {
    "cases:note_add",
    "cases:create",
    "notifications:acknowledge",
    "notifications:acknowledge_selected",
}


class _FormReader(HTMLParser):
    """The fields of the page's first POST form, as a browser would send them untouched."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._in_form = self._done = False
        self._select = self._textarea = None
        self._first_option = None
        self._select_value = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self._done:
            return
        if tag == "form" and (a.get("method") or "").lower() == "post" and not a.get("action"):
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.setdefault(name, []).append(a.get("value") or "on")
            elif kind not in ("submit", "button", "file"):
                self.data.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select" and name:
            self._select, self._first_option, self._select_value = name, None, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None and value:
                # Filled in as a person would: the first real choice, not the blank one.
                self._first_option = value
            if "selected" in a:
                self._select_value = value
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            chosen = self._select_value if self._select_value is not None else self._first_option
            self.data.setdefault(self._select, []).append(chosen or "")
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True


def _page_form(client, url) -> dict:
    response = client.get(url)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return {}
    reader = _FormReader()
    reader.feed(response.content.decode())
    return reader.data


def _state() -> dict:
    """Every row of the apps' models, to compare before and after a refused POST."""
    state = {}
    for label in STATE_APPS:
        for model in apps.get_app_config(label).get_models():
            state[model._meta.label] = list(model._base_manager.order_by("pk").values_list())
    return state


POST_NAMES = sorted(MATRIX)


def test_every_post_url_has_its_answers():
    # A POST-only URL answers 405 to GET for everyone: its POST answers must be set here.
    post_only = [
        name
        for name, (_args, expected) in MATRIX.items()
        if 405 in expected.values() and name not in POST_MATRIX
    ]
    assert post_only == [], f"add these POST-only URL names to POST_MATRIX: {post_only}"


@pytest.mark.parametrize("name", POST_NAMES)
def test_post_permission_matrix(world, name):
    args_for, get_expected = MATRIX[name]
    args = args_for(world)
    if "POST" not in _methods(name, args):
        pytest.skip("takes no POST")
    url = reverse(name, args=args)
    expected = POST_MATRIX.get(name) or _post_expected(get_expected)
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    allowed = [role for role in ROLES if expected[role] == OK and role != "anon"]
    # One body for every role: what the first posting role's page sends, filled in where
    # POST_BODIES says. A refusal must not depend on the body being wrong.
    body = {}
    if allowed:
        client.force_login(world["users"][allowed[0]])
        body = _page_form(client, url)
    body = {**body, **POST_BODIES.get(name, lambda w: {})(world)}
    body["csrfmiddlewaretoken"] = CSRF_SECRET
    answers = {}
    for role in [r for r in ROLES if r not in allowed] + allowed[:1]:
        client.logout()
        client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
        if role != "anon":
            client.force_login(world["users"][role])
        before = _state()
        status = client.post(url, body).status_code
        answers[role] = OK if expected[role] == OK and (status < 400 or status == 422) else status
        if expected[role] != OK:
            assert _state() == before, f"{url}: refused POST as {role} ({status}) changed data"
        elif name in MUST_CHANGE:
            assert _state() != before, f"{url}: the POST as {role} ({status}) changed nothing"
    wanted = {role: expected[role] for role in answers}
    assert answers == wanted, f"POST {url}: {answers}"


def test_post_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["officer"])
    url = reverse("cases:note_add", args=[world["case"].reference])
    before = _state()
    assert client.post(url, {"text": "Zonder token"}).status_code == 403
    assert _state() == before
