"""Partner directory, LTO meetings, agendas, minutes and action items.

Access: meetings come through Meeting.objects.visible_to, agenda cases through
AgendaItem.objects.visible_to, action items through ActionItem.objects.visible_to; outside them
the answer is 404. The officers' pages (proposals, agenda editing, minutes) need
partners.change_meeting and do not exist (404) for users without cases.view_case — partner
participants among them. Every page that shows case data is audited.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case as SqlCase
from django.db.models import IntegerField, Prefetch, Q, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import access as case_access
from directory import access as directory_access
from directory.models import Contact, Organisation
from dtv import edits
from dtv.accounts.decorators import require_perm
from dtv.audit.models import AuditEntry
from dtv.audit.services import record_access, record_bulk_access, record_list_view
from partners import access, agenda, pdf, services
from partners.forms import (
    ActionItemForm,
    ActionItemUpdateForm,
    AgendaItemForm,
    DecisionForm,
    MeetingForm,
    NominateCaseForm,
    NominateForm,
    OrganisationFilter,
    ProposalSelectionForm,
    RemoveItemForm,
)
from partners.models import ActionItem, AgendaItem, Meeting

PAGE_SIZE = 25
# Without this permission the officers' side does not exist for a user (404, not 403).
STAFF = case_access.VIEW_CASE
VIEW_MEETING = access.VIEW_MEETING
CHANGE_MEETING = access.CHANGE_MEETING


# --- helpers -----------------------------------------------------------------------------


MEETING_RELATED = ("municipality", "chair", "secretary", "team")


def _meeting(request, reference) -> Meeting:
    queryset = Meeting.objects.visible_to(request.user).select_related(*MEETING_RELATED)
    return get_object_or_404(queryset, reference=reference[:12])


def _organised_meeting(request, reference) -> Meeting:
    """A meeting this officer prepares: 404 when they cannot see it, 403 when they see it but
    do not organise it. Who reads meetings sees those he organises, so those are read first,
    by the plain rule of organised_by (visible_to's subqueries only for the others)."""
    if access.reads_meetings(request.user):
        organised = (
            Meeting.objects.organised_by(request.user)
            .select_related(*MEETING_RELATED)
            .filter(reference=reference[:12])
            .first()
        )
        if organised is not None:
            return organised
    meeting = _meeting(request, reference)
    if not access.organises(request.user, meeting):
        raise PermissionDenied
    return meeting


def _item(meeting: Meeting, pk: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.filter(meeting=meeting)
        .exclude(status=AgendaItem.Status.REMOVED)
        .select_related("case__person"),
        pk=pk,
    )


def _audit_rows(request, rows, *, kind=AuditEntry.Kind.VIEW, purpose: str) -> None:
    """One audit entry for a page that shows several cases: which ones (by V-number)."""
    if rows:
        record_bulk_access(
            request,
            agenda.Case,
            count=len(rows),
            kind=kind,
            purpose=purpose,
            v_nummers=[row.v_nummer for row in rows],
        )


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _is_organiser(user, meeting: Meeting) -> bool:
    return Meeting.objects.organised_by(user).filter(pk=meeting.pk).exists()


def _mark_updatable(actions: list, user, *, organiser: bool) -> None:
    """Set `can_update` on each action item (its owner or an organiser may update it)."""
    owned = set()
    if actions and not organiser:
        owned = set(
            ActionItem.objects.owned_by(user)
            .filter(pk__in=[action.pk for action in actions])
            .values_list("pk", flat=True)
        )
    for action in actions:
        action.can_update = organiser or action.pk in owned


# --- partner directory -------------------------------------------------------------------


@require_GET
@require_perm(directory_access.VIEW_ORGANISATION, hide_without=directory_access.VIEW_ORGANISATION)
def organisation_list(request):
    base = Organisation.objects.select_related("municipality").prefetch_related(
        Prefetch("contacts", queryset=Contact.objects.order_by("name"))
    )
    filterset = OrganisationFilter(request.GET or None, queryset=base)
    organisations = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    if filterset.is_bound and not filterset.is_valid():
        organisations = base.none()
    # By kind in the order of Organisation.Kind (DTenV, police, municipalities, COA, ...).
    kind_order = SqlCase(
        *[When(kind=kind, then=Value(n)) for n, kind in enumerate(Organisation.Kind.values)],
        default=Value(99),
        output_field=IntegerField(),
    )
    organisations = organisations.order_by(kind_order, "name")
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "partners/organisation_list.html",
        {"filter": filterset, "page_obj": page, "kinds": dict(Organisation.Kind.choices)},
    )


@require_GET
@require_perm(directory_access.VIEW_ORGANISATION, hide_without=directory_access.VIEW_ORGANISATION)
def organisation_detail(request, pk):
    organisation = get_object_or_404(Organisation.objects.select_related("municipality"), pk=pk)
    meetings = []
    if request.user.has_perm(VIEW_MEETING):
        meetings = list(
            Meeting.objects.visible_to(request.user)
            .filter(participants__organisation=organisation)
            .upcoming()
            .select_related("municipality")[:10]
        )
    return render(
        request,
        "partners/organisation_detail.html",
        {
            "organisation": organisation,
            "contacts": list(organisation.contacts.order_by("name")),
            "meetings": meetings,
        },
    )


# --- meetings ----------------------------------------------------------------------------


@require_GET
@require_perm(VIEW_MEETING, hide_without=VIEW_MEETING)
def meeting_list(request):
    now = timezone.now()
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    meetings = Meeting.objects.visible_to(request.user).for_list()
    meetings = meetings.past(now=now) if when == "past" else meetings.upcoming(now=now)
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    action_items = []
    if access.takes_part(request.user):
        action_items = list(ActionItem.objects.open_for(request.user).for_list()[:10])
    if action_items:
        # A partner's open action items name their cases' persons.
        record_list_view(
            request,
            agenda.Case,
            v_nummers=[a.agenda_item.case.person.v_nummer for a in action_items],
            purpose="partners:meeting_list",
        )
    return render(
        request,
        "partners/meeting_list.html",
        {
            "page_obj": page,
            "when": when,
            "action_items": action_items,
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
@require_perm(access.ADD_MEETING, hide_without=STAFF)
def meeting_create(request):
    form = MeetingForm(
        request.POST or None,
        team=request.user.team,
        initial={"chair": request.user.pk, "type": Meeting.Type.LTO},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Meeting %(meeting)s created.") % {"meeting": meeting})
            return redirect("partners:meeting_proposals", meeting.reference)
    return render(request, "partners/meeting_form.html", {"form": form, "meeting": None})


def _locked(obj):
    """The record as it is now, locked until the end of the transaction (stale-edit check)."""
    return type(obj)._base_manager.select_for_update().get(pk=obj.pk)


def _item_form(item, data=None):
    return AgendaItemForm(data, initial={"question": item.question, "approach": item.approach})


def _decision_form(item, data=None):
    return DecisionForm(
        data,
        initial={"decision": item.decision, "escalate_to_rao": item.escalate_to_rao},
        prefix=f"d{item.pk}",
    )


def _action_form(action, data=None):
    return ActionItemUpdateForm(
        data, initial={"status": action.status, "progress_note": action.progress_note}
    )


@require_http_methods(["GET", "POST"])
@require_perm(CHANGE_MEETING, hide_without=STAFF)
def meeting_edit(request, reference):
    meeting = _organised_meeting(request, reference)
    form = MeetingForm(
        request.POST or None, team=meeting.team, initial=MeetingForm.initial_for(meeting)
    )
    if request.method == "POST" and form.is_valid():
        try:
            with edits.unchanged_since_opened(
                form,
                lambda: MeetingForm(
                    team=meeting.team, initial=MeetingForm.initial_for(_locked(meeting))
                ),
            ):
                services.update_meeting(meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Meeting saved."))
            return redirect(meeting)
    return render(request, "partners/meeting_form.html", {"form": form, "meeting": meeting})


def _detail_context(request, meeting: Meeting) -> dict:
    user = request.user
    visible_items = AgendaItem.objects.visible_to(user).filter(meeting=meeting).on_agenda()
    rows = agenda.agenda_rows(meeting, items=visible_items)
    actions = list(
        ActionItem.objects.visible_to(user)
        .filter(agenda_item__in=[item for item, _row in rows])
        .for_list()
    )
    organiser = _is_organiser(user, meeting)
    _mark_updatable(actions, user, organiser=organiser)
    by_item: dict[int, list] = {}
    for action in actions:
        by_item.setdefault(action.agenda_item_id, []).append(action)
    nominations = meeting.agenda_items.nominated().select_related(
        "case__person", "nominated_by", "nominated_by_organisation"
    )
    if access.prepares_meetings(user) or access.reads_every_meeting(user):
        if not (organiser or access.reads_every_meeting(user)):
            # The organisers weigh every nomination; other officers see their team's.
            nominations = nominations.filter(case__team_id=user.team_id)
        nominations = list(nominations)
    elif access.takes_part(user):
        # A participant sees the nominations of their own organisation (or their own), cases
        # they saw through a meeting already, until the chair decides on them.
        organisation = services.partner_organisation(user)
        own = Q(nominated_by=user)
        if organisation is not None:
            own |= Q(nominated_by_organisation=organisation)
        nominations = list(nominations.filter(own))
    else:
        nominations = []
    return {
        "meeting": meeting,
        "rows": [(item, row, by_item.get(item.pk, [])) for item, row in rows],
        "participants": list(meeting.participants.select_related("organisation", "contact")),
        "nominations": nominations,
        "is_organiser": organiser,
        "can_edit_agenda": organiser and meeting.agenda_is_editable,
        "can_nominate": meeting.status == Meeting.Status.AGENDA_PREPARATION
        and access.nominates(user),
        "today": timezone.localdate(),
        "now": timezone.now(),
    }


@require_GET
@require_perm(VIEW_MEETING, hide_without=VIEW_MEETING)
def meeting_detail(request, reference):
    meeting = _meeting(request, reference)
    context = _detail_context(request, meeting)
    _audit_rows(
        request,
        [row for _item, row, _actions in context["rows"]],
        purpose="partners:meeting_detail",
    )
    if context["nominations"]:
        record_bulk_access(
            request,
            agenda.Case,
            count=len(context["nominations"]),
            kind=AuditEntry.Kind.VIEW,
            purpose="partners:meeting_nominations",
            v_nummers=[item.case.person.v_nummer for item in context["nominations"]],
        )
    return render(request, "partners/meeting_detail.html", context)


# --- agenda preparation ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_perm(CHANGE_MEETING, hide_without=STAFF)
def meeting_proposals(request, reference):
    """Candidate cases with their reasons; tick and "add to agenda" (or one by one)."""
    meeting = _organised_meeting(request, reference)
    today = timezone.localdate()
    reckoned_on = agenda.reckoning_date(meeting)
    # A page of the proposals at a time, most urgent first (the form ticks that page's).
    number, notice = agenda.proposal_page_number(request.GET.get("page"))
    page = agenda.proposal_page(meeting, user=request.user, today=reckoned_on, number=number)
    if not page.proposals and number > 1:
        page = agenda.proposal_page(meeting, user=request.user, today=reckoned_on)
        notice = _("There is no page of that number; this is the first page.")
    page.notice = notice
    found = page.proposals
    form = ProposalSelectionForm(request.POST or None, references=[p.case.reference for p in found])
    if request.method == "POST" and form.is_valid():
        picked = set(form.cleaned_data["cases"])
        # A household is one proposal: ticking it puts each of its members' cases on.
        picks = [pick for p in found if p.case.reference in picked for pick in p.picks()]
        try:
            added = services.add_agenda_items(meeting, actor=request.user, picks=picks)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d case added to the agenda.",
                    "%(count)d cases added to the agenda.",
                    len(added),
                )
                % {"count": len(added)},
            )
            return redirect(reverse("partners:meeting_detail", args=[meeting.reference]))
    if found:
        record_bulk_access(
            request,
            agenda.Case,
            count=sum(len(p.cases) for p in found),
            kind=AuditEntry.Kind.VIEW,
            purpose="partners:meeting_proposals",
            v_nummers=[c.person.v_nummer for p in found for c in p.cases],
        )
    on_agenda = meeting.agenda_items.on_agenda().count()
    return render(
        request,
        "partners/proposals.html",
        {
            "meeting": meeting,
            "proposals": found,
            "page_obj": page,
            "form": form,
            # The ticked references, read once rather than once per row.
            "picked": set(form["cases"].value() or []),
            "on_agenda": on_agenda,
            "today": today,
            "reckoned_on": reckoned_on,
        },
    )


@require_POST
@require_perm(CHANGE_MEETING, hide_without=STAFF)
def agenda_add(request, reference):
    """Put one case on the agenda: a proposal's "Add" button, or a reference typed in."""
    meeting = _organised_meeting(request, reference)
    ref = (request.POST.get("case") or "").strip().upper()[:12]
    back = request.POST.get("next") == "detail"
    target = "partners:meeting_detail" if back else "partners:meeting_proposals"
    try:
        case = agenda.visible_case(request.user, ref)
    except Http404:
        messages.error(
            request,
            _("No case %(ref)s among your team's cases. Check the reference.") % {"ref": ref},
        )
        return redirect(target, meeting.reference)
    reckoned_on = agenda.reckoning_date(meeting)
    household = agenda.household_proposal(meeting, case, user=request.user, today=reckoned_on)
    if household is not None and household.members:
        # The proposal of a household: its members go on the agenda with it, as one item.
        try:
            added = services.add_agenda_items(meeting, actor=request.user, picks=household.picks())
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                _("The household (%(refs)s) added to the agenda.")
                % {"refs": ", ".join(item.case.reference for item in added)},
            )
        return redirect(target, meeting.reference)
    reasons = agenda.reasons_for(meeting, case, user=request.user, today=reckoned_on)
    try:
        item = services.add_agenda_item(meeting, actor=request.user, case=case, reasons=reasons)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("Case %(ref)s added to the agenda as item %(position)d.")
            % {"ref": case.reference, "position": item.position},
        )
    return redirect(target, meeting.reference)


def _after_agenda_change(request, meeting: Meeting, anchor: str = ""):
    # htmx gets the new agenda in place; a plain form post is redirected to the meeting.
    if request.htmx:
        context = _detail_context(request, Meeting.objects.get(pk=meeting.pk))
        return render(request, "partners/meeting_detail.html#agenda", context)
    url = reverse("partners:meeting_detail", args=[meeting.reference])
    return redirect(f"{url}#{anchor}" if anchor else url)


@require_POST
@require_perm(CHANGE_MEETING, hide_without=STAFF)
def agenda_move(request, reference, pk):
    meeting = _organised_meeting(request, reference)
    item = _item(meeting, pk)
    direction = request.POST.get("direction", "")
    try:
        services.move_agenda_item(item, actor=request.user, direction=direction)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return _after_agenda_change(request, meeting, f"item-{item.pk}")


@require_http_methods(["GET", "POST"])
@require_perm(CHANGE_MEETING, hide_without=STAFF)
def agenda_item_documents(request, reference, pk):
    """Which documents of the case the meeting's participants may see."""
    from partners.forms import ShareDocumentsForm

    meeting = _organised_meeting(request, reference)
    item = _item(meeting, pk)
    form = ShareDocumentsForm(request.POST or None, item=item, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.share_documents(
                item, actor=request.user, documents=form.cleaned_data["documents"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The shared documents are saved."))
            return redirect(
                reverse("partners:meeting_detail", args=[meeting.reference]) + f"#item-{item.pk}"
            )
    row = agenda.need_to_know(agenda.with_case_facts(AgendaItem.objects.filter(pk=item.pk))[0])
    record_access(request, item.case, purpose="partners:agenda_item_documents")
    return render(
        request,
        "partners/agenda_item_documents.html",
        {"meeting": meeting, "item": item, "row": row, "form": form},
    )


@require_http_methods(["GET", "POST"])
@require_perm(CHANGE_MEETING, hide_without=STAFF)
def agenda_item_edit(request, reference, pk):
    """The question to decide and the proposed approach of one agenda item."""
    meeting = _organised_meeting(request, reference)
    item = _item(meeting, pk)
    form = _item_form(item, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with edits.unchanged_since_opened(form, lambda: _item_form(_locked(item))):
                services.annotate_agenda_item(item, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Agenda item saved."))
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = (
                    reverse("partners:meeting_detail", args=[meeting.reference])
                    + f"#item-{item.pk}"
                )
                return response
            return redirect(
                reverse("partners:meeting_detail", args=[meeting.reference]) + f"#item-{item.pk}"
            )
    row = agenda.need_to_know(agenda.with_case_facts(AgendaItem.objects.filter(pk=item.pk))[0])
    record_access(request, item.case, purpose="partners:agenda_item_edit")
    context = {"meeting": meeting, "item": item, "row": row, "form": form}
    if request.htmx:
        return render(request, "partners/agenda_item_form.html#form", context)
    return render(request, "partners/agenda_item_form.html", context)


@require_http_methods(["GET", "POST"])
@require_perm(CHANGE_MEETING, hide_without=STAFF)
def agenda_remove(request, reference, pk):
    """Take a case off the agenda (or decline a nomination): confirm, then act."""
    meeting = _organised_meeting(request, reference)
    item = _item(meeting, pk)
    form = RemoveItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_agenda_item(item, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Case %(ref)s was taken off the agenda.") % {"ref": item.case.reference},
            )
            return redirect(meeting)
    return render(
        request,
        "partners/confirm.html",
        {
            "meeting": meeting,
            "form": form,
            "title": _("Take case %(ref)s off the agenda") % {"ref": item.case.reference},
            "explanation": _(
                "Participants lose access to this case at once. Its question and approach are "
                "kept in the history."
            ),
            "button": _("Take off the agenda"),
            "danger": True,
        },
    )


def _transition_view(request, reference, *, action, title, explanation, button, done):
    meeting = _organised_meeting(request, reference)
    error = None
    if request.method == "POST":
        try:
            action(meeting, actor=request.user)
        except ValidationError as failure:
            error = _error_text(failure)
        else:
            messages.success(request, done)
            return redirect(meeting)
    return render(
        request,
        "partners/confirm.html",
        {
            "meeting": meeting,
            "title": title,
            "explanation": explanation,
            "button": button,
            "error": error,
        },
    )


@require_http_methods(["GET", "POST"])
@require_perm(CHANGE_MEETING, hide_without=STAFF)
def meeting_send(request, reference):
    return _transition_view(
        request,
        reference,
        action=services.send_agenda,
        title=_("Send the agenda"),
        explanation=_(
            "The participating organisations can then read the agenda cases (need-to-know "
            "fields only) and download the agenda. Their contacts with a login are notified."
        ),
        button=_("Send agenda"),
        done=_("The agenda has been sent to the participants."),
    )


@require_http_methods(["GET", "POST"])
@require_perm(CHANGE_MEETING, hide_without=STAFF)
def meeting_held(request, reference):
    return _transition_view(
        request,
        reference,
        action=services.mark_held,
        title=_("Mark the meeting as held"),
        explanation=_("After this the agenda is fixed and the minutes can be recorded."),
        button=_("Meeting was held"),
        done=_("The meeting is marked as held. Record the minutes per item."),
    )


@require_http_methods(["GET", "POST"])
@require_perm(CHANGE_MEETING, hide_without=STAFF)
def minutes_finalise(request, reference):
    return _transition_view(
        request,
        reference,
        action=services.finalise_minutes,
        title=_("Make the minutes final"),
        explanation=_(
            "Final minutes can no longer be changed. Participants keep access to the agenda "
            "cases for 30 more days; action items stay open until their owners close them."
        ),
        button=_("Make final"),
        done=_("The minutes are final."),
    )


# --- minutes -----------------------------------------------------------------------------


def _minutes_page(request, meeting: Meeting, *, bound: dict | None = None, status=200):
    bound = bound or {}
    context = _detail_context(request, meeting)
    entries = []
    owner_choices = ActionItemForm(meeting=meeting).owner_choices()
    for item, row, actions in context["rows"]:
        decision_form = bound.get(("decision", item.pk)) or _decision_form(item)
        action_form = bound.get(("action", item.pk)) or ActionItemForm(
            meeting=meeting, prefix=f"a{item.pk}", owner_choices=owner_choices
        )
        entries.append((item, row, actions, decision_form, action_form))
    context["entries"] = entries
    context["can_record"] = context["is_organiser"] and meeting.status == Meeting.Status.HELD
    _audit_rows(request, [row for _i, row, _a in context["rows"]], purpose="partners:minutes")
    return render(request, "partners/minutes.html", context, status=status)


@require_GET
@require_perm(CHANGE_MEETING, hide_without=STAFF)
def minutes(request, reference):
    meeting = _organised_meeting(request, reference)
    if meeting.status not in Meeting.HELD_STATUSES:
        messages.info(request, _("Minutes can be recorded once the meeting has been held."))
        return redirect(meeting)
    return _minutes_page(request, meeting)


@require_POST
@require_perm(CHANGE_MEETING, hide_without=STAFF)
def minutes_decision(request, reference, pk):
    meeting = _organised_meeting(request, reference)
    item = _item(meeting, pk)
    form = DecisionForm(request.POST, prefix=f"d{item.pk}")
    if form.is_valid():
        try:
            with edits.unchanged_since_opened(form, lambda: _decision_form(_locked(item))):
                services.record_decision(item, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Decision on %(ref)s saved.") % {"ref": item.case.reference}
            )
            return redirect(reverse("partners:minutes", args=[meeting.reference]) + f"#item-{pk}")
    return _minutes_page(request, meeting, bound={("decision", item.pk): form}, status=422)


@require_POST
@require_perm(CHANGE_MEETING, hide_without=STAFF)
def action_item_add(request, reference, pk):
    meeting = _organised_meeting(request, reference)
    item = _item(meeting, pk)
    form = ActionItemForm(request.POST, meeting=meeting, prefix=f"a{item.pk}")
    if form.is_valid():
        try:
            services.add_action_item(item, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Action item added to %(ref)s.") % {"ref": item.case.reference}
            )
            return redirect(reverse("partners:minutes", args=[meeting.reference]) + f"#item-{pk}")
    return _minutes_page(request, meeting, bound={("action", item.pk): form}, status=422)


# --- agenda documents --------------------------------------------------------------------


def _document_context(request, meeting: Meeting) -> dict:
    items = AgendaItem.objects.visible_to(request.user).filter(meeting=meeting).on_agenda()
    rows = [row for _item, row in agenda.agenda_rows(meeting, items=items)]
    return {
        "meeting": meeting,
        "rows": rows,
        "participants": list(meeting.participants.select_related("organisation", "contact")),
        "printed_at": timezone.now(),
        "today": timezone.localdate(),
    }


@require_GET
@require_perm(VIEW_MEETING, hide_without=VIEW_MEETING)
def agenda_print(request, reference):
    """The agenda ready for paper: need-to-know fields only, a print stylesheet."""
    meeting = _meeting(request, reference)
    context = _document_context(request, meeting)
    _audit_rows(
        request, context["rows"], kind=AuditEntry.Kind.PRINT, purpose="partners:agenda_print"
    )
    return render(request, "partners/agenda_print.html", context)


@require_GET
@require_perm(VIEW_MEETING, hide_without=VIEW_MEETING)
def agenda_pdf(request, reference):
    """The agenda as a PDF (WeasyPrint), from the same need-to-know rows as the print page."""
    meeting = _meeting(request, reference)
    context = _document_context(request, meeting)
    html = render_to_string("partners/agenda_pdf.html", context, request=request)
    document = pdf.render_pdf(html, base_url=request.build_absolute_uri("/"))
    _audit_rows(
        request, context["rows"], kind=AuditEntry.Kind.EXPORT, purpose="partners:agenda_pdf"
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="agenda-{meeting.reference}.pdf"'
    return response


@require_GET
@require_perm(VIEW_MEETING, hide_without=VIEW_MEETING)
def agenda_case(request, reference, case_reference):
    """One agenda case with its need-to-know fields: the partner participant's case view."""
    meeting = _meeting(request, reference)
    item = get_object_or_404(
        AgendaItem.objects.visible_to(request.user).on_agenda().filter(meeting=meeting),
        case__reference=case_reference[:12],
    )
    item = agenda.with_case_facts(AgendaItem.objects.filter(pk=item.pk))[0]
    row = agenda.need_to_know(item)
    actions = list(ActionItem.objects.visible_to(request.user).filter(agenda_item=item).for_list())
    _mark_updatable(actions, request.user, organiser=_is_organiser(request.user, meeting))
    # What the reason "open action items from an earlier meeting" counts, as far as the user
    # may see them (the reason's own count says how many there are).
    earlier = list(
        agenda.earlier_open_action_items(meeting)
        .filter(agenda_item__case=item.case)
        .visible_to(request.user)
        .for_list()
        .order_by("due_on", "pk")
    )
    from documents.models import Document

    shared_documents = list(
        Document.objects.visible_to(request.user)
        .with_released_version()
        .filter(agenda_items=item)
        .prefetch_related("versions")
    )
    for document in shared_documents:
        document.latest = max(
            (v for v in document.versions.all() if v.is_released and not v.file_deleted_at),
            key=lambda v: v.number,
            default=None,
        )
    record_access(request, item.case, purpose="partners:agenda_case")
    return render(
        request,
        "partners/agenda_case.html",
        {
            "meeting": meeting,
            "item": item,
            "row": row,
            "actions": actions,
            "earlier_actions": earlier,
            "shared_documents": [d for d in shared_documents if d.latest],
            "can_open_case": access.opens_case_of(request.user, row.case_team_id),
            "today": timezone.localdate(),
        },
    )


# --- action items ------------------------------------------------------------------------


@require_GET
@require_perm(access.VIEW_ACTIONITEM, hide_without=VIEW_MEETING)
def action_item_list(request):
    """My action items: owned by me or (partners) by my organisation."""
    show = "all" if request.GET.get("show") == "all" else "open"
    actions = ActionItem.objects.owned_by(request.user).visible_to(request.user)
    if show == "open":
        actions = actions.open()
    actions = actions.for_list().order_by("status", "due_on", "pk")
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    if page.object_list:
        record_bulk_access(
            request,
            agenda.Case,
            count=len(page.object_list),
            kind=AuditEntry.Kind.VIEW,
            purpose="partners:action_item_list",
            v_nummers=[a.agenda_item.case.person.v_nummer for a in page.object_list],
        )
    return render(
        request,
        "partners/action_item_list.html",
        {"page_obj": page, "show": show, "today": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
@require_perm(access.CHANGE_ACTIONITEM, hide_without=VIEW_MEETING)
def action_item_update(request, pk):
    action = get_object_or_404(ActionItem.objects.visible_to(request.user).for_list(), pk=pk)
    if not services.can_update_action_item(action, request.user):
        # Only its owner or the chair may change it; for everyone else it is not there.
        raise Http404
    form = _action_form(action, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with edits.unchanged_since_opened(form, lambda: _action_form(_locked(action))):
                services.update_action_item(action, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Action item updated."))
            return redirect("partners:action_item_list")
    record_access(request, action.agenda_item.case, purpose="partners:action_item_update")
    return render(
        request,
        "partners/action_item_form.html",
        {"action": action, "form": form, "today": timezone.localdate()},
    )


# --- nominations -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_perm(access.ADD_AGENDAITEM, hide_without=VIEW_MEETING)
def nominate(request, reference):
    """Nominate a case for this meeting: a participant one they see through a meeting, an
    officer one of their team's open cases in the meeting's municipality."""
    meeting = _meeting(request, reference)
    if meeting.status != Meeting.Status.AGENDA_PREPARATION:
        messages.info(
            request, _("The agenda of this meeting has been sent; nominations are closed.")
        )
        return redirect(meeting)
    if access.takes_part(request.user):
        seen = agenda.cases_seen_by(request.user)
        cases = list(
            seen.filter(pk__in=agenda.cases_open_to(meeting).values("pk")).order_by("reference")
        )
    else:
        cases = list(agenda.nominable_cases(meeting, user=request.user))
    form = NominateForm(request.POST or None, cases=cases)
    if request.method == "POST" and form.is_valid():
        case = next(c for c in cases if c.reference == form.cleaned_data["case"])
        try:
            services.nominate_case(
                meeting, actor=request.user, case=case, question=form.cleaned_data["question"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Case %(ref)s nominated; the chair decides whether it goes on the agenda.")
                % {"ref": case.reference},
            )
            return redirect(meeting)
    return render(
        request, "partners/nominate_form.html", {"meeting": meeting, "form": form, "case": None}
    )


@require_http_methods(["GET", "POST"])
@require_perm(access.ADD_AGENDAITEM, hide_without=STAFF)
def nominate_case(request, case_reference):
    """From the case page: nominate this case for an upcoming meeting."""
    case = agenda.visible_case(request.user, case_reference)
    meetings = agenda.meetings_open_for(case, user=request.user)
    form = NominateCaseForm(request.POST or None, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        meeting = form.cleaned_data["meeting"]
        try:
            services.nominate_case(
                meeting, actor=request.user, case=case, question=form.cleaned_data["question"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Case %(ref)s nominated for %(meeting)s.")
                % {"ref": case.reference, "meeting": meeting},
            )
            return redirect(case)
    record_access(request, case, purpose="partners:nominate_case")
    return render(
        request,
        "partners/nominate_form.html",
        {"meeting": None, "form": form, "case": case, "no_meetings": not meetings.exists()},
    )
