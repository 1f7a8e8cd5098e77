"""Every edit form in the URL configuration refuses a stale save: two officers open the same
record, the first saves, the second's save is refused, the first's change is kept and the
second is shown what changed. A URL that is neither listed as an edit form here nor listed as
something else fails the last test, so a new edit form cannot go without the check."""

from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone, translation

from partners.models import Meeting
from tests.accounts.factories import OfficerFactory
from tests.cases.factories import CaseFactory, ObstacleFactory, ProcedureFactory
from tests.departure.factories import (
    MeasureFactory,
    PresentationFactory,
    TravelDocumentRequestFactory,
)
from tests.interviews.factories import InterviewFactory
from tests.partners.factories import ActionItemFactory, AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


class _Forms(HTMLParser):
    """The post forms of a page: their action and the values they would submit."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.forms.append({"action": a.get("action") or a.get("hx-post") or "", "data": []})
        if not self.forms:
            return
        data = self.forms[-1]["data"]
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    data.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                data.append((a["name"], a.get("value") or ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            data.append((self._select, a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]

    def handle_data(self, text):
        if self._textarea is not None:
            self._textarea[1] += text

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.forms[-1]["data"].append(tuple(self._textarea))
            self._textarea = None


def _form_data(client, page, post_url, marker):
    response = client.get(page)
    assert response.status_code == 200, page
    parser = _Forms()
    parser.feed(response.content.decode())
    for form in parser.forms:
        names = {name for name, _value in form["data"]}
        if form["action"] in ("", post_url, page) and marker in "".join(names):
            return form["data"]
    raise AssertionError(f"no edit form on {page}")


def _errors(response):
    import re

    body = response.content.decode()
    return re.findall(r"(?:invalid-feedback|alert-danger)[^>]*>(.*?)</", body, re.S) or body[-3000:]


def _with(data, field, text):
    """The form's data with `text` in `field` (replacing what it held)."""
    out = {}
    for name, value in data:
        out.setdefault(name, []).append(value)
    out[field] = [text]
    return out


# name -> builder(officer) returning (page with the form, URL it posts to, text field to edit,
# how to read that field back from the database)
def _case(officer):
    return CaseFactory(team=officer.team, officer=officer)


def _cases_edit(officer):
    case = _case(officer)
    url = reverse("cases:edit", args=[case.reference])
    return url, url, "departure_plan", lambda: type(case).objects.get(pk=case.pk).departure_plan


def _person_edit(officer):
    case = _case(officer)
    url = reverse("cases:person_edit", args=[case.reference])
    return (
        url,
        url,
        "family_name",
        lambda: type(case.person).objects.get(pk=case.person.pk).family_name,
    )


def _procedure_edit(officer):
    procedure = ProcedureFactory(case=_case(officer))
    url = reverse("cases:procedure_edit", args=[procedure.case.reference, procedure.pk])
    return url, url, "court", lambda: type(procedure).objects.get(pk=procedure.pk).court


def _obstacle_edit(officer):
    obstacle = ObstacleFactory(case=_case(officer))
    url = reverse("cases:obstacle_edit", args=[obstacle.case.reference, obstacle.pk])
    return url, url, "description", lambda: type(obstacle).objects.get(pk=obstacle.pk).description


def _interview_edit(officer):
    interview = InterviewFactory(case=_case(officer))
    url = reverse("interviews:edit", args=[interview.case.reference, interview.pk])
    return url, url, "report", lambda: type(interview).objects.get(pk=interview.pk).report


def _presentation_edit(officer):
    presentation = PresentationFactory(case=_case(officer))
    url = reverse(
        "departure:presentation_edit", args=[presentation.case.reference, presentation.pk]
    )
    model = type(presentation)
    return url, url, "feedback", lambda: model.objects.get(pk=presentation.pk).feedback


def _edit_measure(officer):
    measure = MeasureFactory(case=_case(officer))
    url = reverse("departure:edit_measure", args=[measure.case.reference, measure.pk])
    return url, url, "location", lambda: type(measure).objects.get(pk=measure.pk).location


def _edit_travel_document(officer):
    # The dates the test writes (January 2025) must lie after the case's opening.
    case = CaseFactory(team=officer.team, officer=officer, opened_on=date(2024, 1, 1))
    document = TravelDocumentRequestFactory(case=case)
    url = reverse("departure:edit_travel_document", args=[document.case.reference, document.pk])
    model = type(document)
    return url, url, "ordered_on", lambda: str(model.objects.get(pk=document.pk).ordered_on)


def _meeting(officer, **kwargs):
    return MeetingFactory(chair=officer, team=officer.team, **kwargs)


def _meeting_edit(officer):
    meeting = _meeting(officer)
    url = reverse("partners:meeting_edit", args=[meeting.reference])
    return url, url, "place", lambda: Meeting.objects.get(pk=meeting.pk).place


def _agenda_item_edit(officer):
    item = AgendaItemFactory(meeting=_meeting(officer), case=_case(officer))
    url = reverse("partners:agenda_item_edit", args=[item.meeting.reference, item.pk])
    return url, url, "question", lambda: type(item).objects.get(pk=item.pk).question


def _minutes_decision(officer):
    meeting = _meeting(
        officer,
        status=Meeting.Status.HELD,
        starts_at=timezone.now() - timedelta(days=1),
        held_at=timezone.now() - timedelta(hours=20),
        agenda_sent_at=timezone.now() - timedelta(days=8),
    )
    item = AgendaItemFactory(meeting=meeting, case=_case(officer))
    page = reverse("partners:minutes", args=[meeting.reference])
    url = reverse("partners:minutes_decision", args=[meeting.reference, item.pk])
    return page, url, f"d{item.pk}-decision", lambda: type(item).objects.get(pk=item.pk).decision


def _action_item_update(officer):
    item = AgendaItemFactory(meeting=_meeting(officer), case=_case(officer))
    action = ActionItemFactory(agenda_item=item, owner_user=officer, owner_organisation=None)
    url = reverse("partners:action_item_update", args=[action.pk])
    model = type(action)
    return url, url, "progress_note", lambda: model.objects.get(pk=action.pk).progress_note


def _letter_text_edit(officer):
    # The functional administrator's page: two administrators edit the same text.
    from letters.services import current_text
    from tests.accounts.factories import AdminUserFactory

    url = reverse("letters:text_edit", args=["obligation", "eng"])
    users = (AdminUserFactory(), AdminUserFactory())
    return url, url, "body", lambda: current_text("obligation", "eng").body, users


EDIT_VIEWS = {
    "cases:edit": _cases_edit,
    "cases:person_edit": _person_edit,
    "cases:procedure_edit": _procedure_edit,
    "cases:obstacle_edit": _obstacle_edit,
    "interviews:edit": _interview_edit,
    "departure:presentation_edit": _presentation_edit,
    "departure:edit_measure": _edit_measure,
    "departure:edit_travel_document": _edit_travel_document,
    "partners:meeting_edit": _meeting_edit,
    "partners:agenda_item_edit": _agenda_item_edit,
    "partners:minutes_decision": _minutes_decision,
    "partners:action_item_update": _action_item_update,
    "letters:text_edit": _letter_text_edit,
}

# Every other URL, and why it is no edit of a record's fields (so it needs no stale check).
NOT_EDIT_FORMS = {
    "reads": {
        "home",
        "health",
        "accessibility",
        "cases:list",
        "cases:worklist",
        "cases:export",
        "cases:export_xlsx",
        "cases:detail",
        "documents:detail",
        "documents:download",
        "documents:preview",
        "interviews:agenda",
        "interviews:calendar_feed",
        "interviews:detail",
        "interviews:print",
        "interviews:attendee_row",
        "departure:overview",
        "partners:organisation_list",
        "partners:organisation_detail",
        "partners:meeting_list",
        "partners:meeting_detail",
        "partners:meeting_proposals",
        "partners:agenda_print",
        "partners:agenda_pdf",
        "partners:agenda_case",
        "partners:action_item_list",
        "audit:log",
        "privacy:anomalies",
        "privacy:case_access",
        "privacy:subject_access",
        "privacy:subject_access_export",
        "reports:caseload",
        "reports:report",
        "reports:index",
        "reports:publication",
        "cases:import_detail",
        "cases:import_progress",
        "cases:import_template",
        "notifications:inbox",
        "cases:transfers",
        "letters:text_list",
        "letters:text_preview",
    },
    # Adding a record: there is no earlier version to overwrite.
    "creates": {
        "cases:create",
        # An import adds cases; its changes to registered ones are checked again at confirm.
        "cases:import",
        "cases:procedure_add",
        "cases:obstacle_add",
        "cases:note_add",
        "cases:household_add",
        # A new version is added beside the earlier ones, which stay: nothing is overwritten.
        "documents:add",
        "documents:version_add",
        "interviews:log",
        "departure:presentation_add",
        "departure:record_departure",
        "departure:add_measure",
        "departure:add_court_review",
        "departure:add_return_support",
        "departure:add_travel_document",
        "departure:add_advice",
        "partners:meeting_create",
        "partners:agenda_add",
        "partners:nominate",
        "partners:nominate_case",
        "partners:action_item_add",
        "reports:cover",
        # A proposal is a new row; a second one while one awaits a decision is refused.
        "cases:transfer_propose",
        "letters:generate",
    },
    # One-way steps whose service refuses a repeat or a step from the wrong state (a case
    # closed twice, a measure ended twice, an answer recorded twice), not edits of fields.
    "state transitions": {
        "cases:phase",
        "cases:close",
        # Confirming an import: refused unless it awaits confirmation.
        "cases:import_confirm",
        "departure:end_measure",
        "departure:decide_return_support",
        "departure:travel_document_answer",
        "departure:send_advice",
        "departure:advice_outcome",
        "partners:agenda_move",
        "partners:agenda_remove",
        "partners:meeting_send",
        "partners:meeting_held",
        "partners:minutes",
        "partners:minutes_finalise",
        # Marking reminders read, acknowledged or snoozed: the last one counts.
        "notifications:open",
        "notifications:acknowledge",
        "notifications:acknowledge_selected",
        "notifications:snooze",
        # Reassignment, a bulk action on chosen cases: the last choice of officer counts, and
        # it counts each case's version up, so a case edit form opened before is refused.
        "reports:reassign",
        # Accepting or declining a transfer: once, under a row lock; a second decision (two
        # leads at once) is refused as already decided, and acceptance counts the case's
        # version up.
        "cases:transfer_decide",
        "cases:transfer_withdraw",
        # The documents shared with an agenda item: a set chosen anew, the last choice counts.
        "partners:agenda_item_documents",
    },
    "the user's own settings and session": {
        "interviews:calendar_settings",
        "set_language",
        "accounts:login",
        "accounts:logout",
        "accounts:two_factor_setup",
        "accounts:two_factor_verify",
        "accounts:two_factor_backup_codes",
        "accounts:security",
        "accounts:password_change",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
    },
}


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in ("admin", "beheer"):
                continue
            names |= _url_names(pattern, inner)
        elif pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


@pytest.mark.parametrize("name", sorted(EDIT_VIEWS))
def test_edit_form_refuses_a_stale_save_and_says_what_changed(name, officer):
    colleague = OfficerFactory(team=officer.team)
    page, post_url, field, saved, *users = EDIT_VIEWS[name](officer)
    if users:  # a page of another role than the officers'
        officer, colleague = users[0]
    if name == "partners:action_item_update":
        colleague = officer  # only the owner or the chair may update it
    first, second = Client(), Client()
    first.force_login(officer)
    second.force_login(colleague)
    marker = field.split("-")[0]
    opened_first = _form_data(first, page, post_url, marker)
    opened_second = _form_data(second, page, post_url, marker)
    value_first, value_second = (
        ("2025-01-02", "2025-01-03")
        if "date" in field or field.endswith("_on")
        else ("Eerste wijziging", "Tweede wijziging")
    )

    response = first.post(post_url, _with(opened_first, field, value_first))
    assert response.status_code in (302, 204), (
        _errors(response),
        response.context and response.context.get("form") and response.context["form"].errors,
    )
    assert saved() == value_first

    with translation.override("en"):
        response = second.post(
            post_url, _with(opened_second, field, value_second), HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code in (200, 409, 422)
    assert saved() == value_first
    body = response.content.decode()
    assert "Someone else saved" in body or "Iemand anders" in body
    # ... and is shown what the first one changed.
    assert value_first in body


def test_every_url_is_an_edit_form_with_the_check_or_listed_as_something_else():
    listed = set(EDIT_VIEWS).union(*NOT_EDIT_FORMS.values())
    names = _url_names()
    assert names - listed == set(), "classify these URLs in tests/test_stale_edits.py"
