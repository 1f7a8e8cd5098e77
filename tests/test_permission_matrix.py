"""Every URL name, GET as every kind of user: anonymous, each demo role, an officer of another
team and a partner whose organisation is not in the meeting. A second test fails when a URL is
added without an entry here."""

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cases.models import Case
from departure.models import Measure, TravelDocumentRequest
from interviews import services as interview_services
from interviews.models import EmbassyPresentation
from partners.models import ActionItem, AgendaItem, Contact, Meeting, Organisation
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
    "audit:anomalies": (lambda w: [], AUDITOR_ONLY),
    "audit:case_access": (
        lambda w: [w["case"].reference],
        {**CASE_READ, "officer": 403, "outsider": 403},
    ),
    "audit:subject_access": (lambda w: [], AUDITOR_ONLY),
    "audit:subject_access_export": (
        lambda w: [w["case"].person.v_nummer, "json"],
        AUDITOR_ONLY,
    ),
    "cases:list": (lambda w: [], STAFF_PAGE),
    "cases:worklist": (lambda w: [], STAFF_PAGE),
    "cases:export": (lambda w: [], STAFF_PAGE),
    "cases:export_xlsx": (lambda w: [], STAFF_PAGE),
    "cases:create": (lambda w: [], STAFF_WRITE),
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
    "interviews:agenda": (lambda w: [], STAFF_PAGE),
    "interviews:calendar_settings": (lambda w: [], STAFF_PAGE),
    "interviews:calendar_feed": (lambda w: ["x" * 43], dict.fromkeys(ROLES, 404)),
    "interviews:log": (lambda w: [w["case"].reference], CASE_WRITE),
    "interviews:attendee_row": (lambda w: [w["case"].reference], CASE_WRITE),
    "interviews:presentation_add": (lambda w: [w["case"].reference], CASE_WRITE),
    "interviews:presentation_edit": (
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
    "reports:caseload": (lambda w: [], LEAD_ONLY),
    "reports:reassign": (lambda w: [], LEAD_ONLY),
    "reports:cover": (lambda w: [], LEAD_ONLY),
    "reports:index": (lambda w: [], REPORTS),
    "reports:report": (lambda w: ["departures"], REPORTS),
}


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
