from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cases import access as case_access
from cases.models import Case, Obstacle
from cases.selectors import visible_case
from documents import access as document_access
from documents.models import Document
from dtv import edits
from dtv.accounts import services as account_services
from dtv.accounts.decorators import require_perm
from dtv.accounts.models import User
from dtv.audit.models import AuditEntry
from dtv.audit.services import record_access, record_list_view
from dtv.proxies import client_address
from interviews import access, calendar, services
from interviews.case_hooks import case_interviews, plan_facts
from interviews.forms import AttendeeFormSet, InterviewForm
from interviews.models import Interview
from interviews.plan import STAGE_LABELS, STAGES, next_interview

# Without this permission the officers' side does not exist for a user (404, not 403).
VIEW = case_access.VIEW_CASE
AGENDA_LIMIT = 50


def _interview(request, reference, pk, *, own=True):
    """The interview `pk` of the case. `own=False` (reading it): also a joint interview of the
    household logged on another member's case that this case took part in."""
    case = visible_case(request.user, reference)
    interviews = Interview.objects.filter(case=case)
    if not own:
        interviews = Interview.objects.filter(Q(case=case) | Q(participants__case=case))
    interview = get_object_or_404(
        interviews.distinct()
        .select_related("case__person")
        .prefetch_related("attendees", "obstacles_discussed", "participants__case__person"),
        pk=pk,
    )
    if interview.case_id == case.pk:
        interview.case = case  # the case as fetched (with its person), not a second query
    return case, interview


def _service_fields(form):
    return {name: form.cleaned_data[name] for name in InterviewForm.SERVICE_FIELDS}


# A new obstacle raised in the interview is checked by cases.services.add_obstacle: its
# errors belong at the interview form's new-obstacle fields.
NEW_OBSTACLE_FIELDS = {
    "category": "new_obstacle_category",
    "description": "new_obstacle_description",
}


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            field = NEW_OBSTACLE_FIELDS.get(field, field) if form.new_obstacle() else field
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _confirm_new_obstacle(request, form) -> None:
    new = form.new_obstacle()
    if new:
        messages.success(
            request,
            _("The new obstacle “%(category)s” was added to the case.")
            % {"category": Obstacle.Category(new["category"]).label},
        )


def _confirm_household(request, interview) -> None:
    references = [p.case.reference for p in interview.participants.select_related("case")]
    if references:
        messages.info(
            request,
            _("The interview also appears on the cases of the household: %(cases)s.")
            % {"cases": ", ".join(sorted(references))},
        )


def _render_form(request, case, context, *, purpose):
    # The form pages show the person's name and the case: an access like any other.
    record_access(request, case, purpose=purpose)
    return render(request, "interviews/interview_form.html", {"case": case, **context})


@require_http_methods(["GET", "POST"])
@require_perm(access.ADD_INTERVIEW, hide_without=VIEW)
def log_interview(request, reference):
    """One page to log an interview (held or planned). The stage comes from ?stage= or the
    plan; after saving, the case page shows the next interview the plan proposes."""
    # The form shows the person only.
    case = visible_case(request.user, reference, related=("person",))
    # The plan proposes the stage of a new form; a posted form brings its own, so the plan is
    # read there only when the form is shown again.
    interviews = None if request.method == "POST" else case_interviews(case)
    upcoming = next_interview(plan_facts(case, interviews)) if interviews is not None else None
    stage = request.GET.get("stage", "")
    if stage not in STAGES:
        stage = upcoming.stage if upcoming else "progress"
    initial = {
        "stage": stage,
        "held_at": timezone.localtime().replace(second=0, microsecond=0),
        "attitude": "unknown",
    }
    form = InterviewForm(request.POST or None, case=case, user=request.user, initial=initial)
    attendees = AttendeeFormSet(
        request.POST or None,
        prefix="attendees",
        initial=[{"role": "officer", "name": request.user.get_full_name()}],
    )
    if request.method == "POST" and form.is_valid() and attendees.is_valid():
        try:
            interview = services.log_interview(
                case,
                actor=request.user,
                attendees=attendees.attendees(actor=request.user),
                obstacles=form.cleaned_data["obstacles"],
                new_obstacle=form.new_obstacle(),
                household_cases=form.chosen_household_cases() or (),
                **_service_fields(form),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("%(stage)s saved.") % {"stage": interview.get_stage_display()}
            )
            _confirm_household(request, interview)
            _confirm_new_obstacle(request, form)
            return redirect(reverse("cases:detail", args=[case.reference]) + "#interviews")
    if interviews is None:
        interviews = case_interviews(case)
        upcoming = next_interview(plan_facts(case, interviews))
    # The case's planned interviews, from the list the plan read.
    planned = sorted(
        (i for i in interviews if i.is_planned and i.planned_at), key=lambda i: i.planned_at
    )
    form.list_obstacles_once()
    return _render_form(
        request,
        case,
        {"form": form, "attendees": attendees, "upcoming": upcoming, "planned": planned},
        purpose="interviews:log",
    )


@require_GET
@require_perm(access.ADD_INTERVIEW, hide_without=VIEW)
def attendee_row(request, reference):
    """htmx: one more attendee row; the formset's counter and the button are swapped out of
    band so that the next click asks for the row after it."""
    case = visible_case(request.user, reference)
    try:
        index = int(request.GET.get("index", "0"))
    except ValueError:
        index = 0
    index = max(0, min(index, AttendeeFormSet.max_num - 1))
    form = AttendeeFormSet(prefix="attendees").empty_form
    form.prefix = f"attendees-{index}"
    return render(
        request,
        "interviews/interview_form.html#attendee_row",
        {
            "case": case,
            "form": form,
            "next_index": index + 1,
            "full": index + 1 >= AttendeeFormSet.max_num,
        },
    )


@require_GET
@require_perm(access.VIEW_INTERVIEW, hide_without=VIEW)
def interview_detail(request, reference, pk):
    case, interview = _interview(request, reference, pk, own=False)
    record_access(request, interview, purpose="interviews:detail")
    documents = list(
        Document.objects.visible_to(request.user)
        .with_released_version()
        .filter(interviews=interview)
    )
    can_add_document = not case.is_closed and document_access.can_add_document(request.user, case)
    return render(
        request,
        "interviews/interview_detail.html",
        {
            "case": case,
            "i": interview,
            "documents": documents,
            "can_add_document": can_add_document,
        },
    )


@require_GET
@require_perm(access.VIEW_INTERVIEW, hide_without=VIEW)
def interview_print(request, reference, pk):
    """The interview report (gespreksverslag) on paper: its own page with the print stylesheet."""
    case, interview = _interview(request, reference, pk, own=False)
    record_access(request, interview, kind=AuditEntry.Kind.PRINT, purpose="interviews:print")
    return render(request, "interviews/interview_print.html", {"case": case, "i": interview})


@require_http_methods(["GET", "POST"])
@require_perm(access.CHANGE_INTERVIEW, hide_without=VIEW)
def interview_edit(request, reference, pk):
    case, interview = _interview(request, reference, pk)
    form = InterviewForm(request.POST or None, instance=interview, case=case, user=request.user)
    attendees = AttendeeFormSet(
        request.POST or None,
        prefix="attendees",
        initial=[
            {"role": a.role, "name": a.name or str(a.user)} for a in interview.attendees.all()
        ],
    )
    if request.method == "POST" and form.is_valid() and attendees.is_valid():
        try:
            # The fields changed since the form was opened are shown (dtv/edits.py); the
            # version also catches a change of the attendees.
            with edits.unchanged_since_opened(
                form,
                lambda: InterviewForm(
                    instance=Interview._base_manager.select_for_update().get(pk=interview.pk),
                    case=case,
                    user=request.user,
                ),
            ):
                services.update_interview(
                    interview,
                    actor=request.user,
                    version=form.cleaned_data.get("version") or 0,
                    attendees=attendees.attendees(actor=request.user),
                    obstacles=form.cleaned_data["obstacles"],
                    new_obstacle=form.new_obstacle(),
                    household_cases=form.chosen_household_cases(),
                    **_service_fields(form),
                )
        except ValidationError as error:
            if isinstance(error, edits.EditConflict):
                # Saving again, after reading what changed, is a deliberate overwrite.
                form.data["version"] = str(Interview.objects.get(pk=interview.pk).version)
            _add_errors(form, error)
        else:
            messages.success(request, _("Interview saved."))
            _confirm_new_obstacle(request, form)
            return redirect(reverse("cases:detail", args=[case.reference]) + "#interviews")
    return _render_form(
        request,
        case,
        {"form": form, "attendees": attendees, "interview": interview},
        purpose="interviews:edit",
    )


@require_GET
@require_perm(access.VIEW_INTERVIEW, hide_without=VIEW)
def agenda(request):
    """The officer's week: interviews planned this week, planned ones whose outcome was not
    recorded, and cases whose next interview is overdue. Three queries, whatever the rows."""
    today = timezone.localdate()
    start = today - timedelta(days=today.weekday())
    end = start + timedelta(days=7)
    mine = Interview.objects.visible_to(request.user).for_user_cases(request.user).planned()
    planned = (
        mine.filter(planned_at__date__gte=start, planned_at__date__lt=end)
        .select_related("case__person")
        .order_by("planned_at")
    )
    unrecorded = (
        mine.filter(planned_at__date__lt=start)
        .select_related("case__person")
        .order_by("planned_at")[:AGENDA_LIMIT]
    )
    overdue = list(
        Case.objects.visible_to(request.user)
        .filter(officer=request.user)
        .interview_overdue(today=today)
        .select_related("person")
        .order_by("next_interview_due_on", "reference")[:AGENDA_LIMIT]
    )
    for case in overdue:
        case.next_interview_label = STAGE_LABELS.get(case.next_interview_stage, "")
    planned = list(planned)
    unrecorded = list(unrecorded)
    for interview in planned:
        interview.is_today = timezone.localdate(interview.planned_at) == today
    record_list_view(
        request,
        Case,
        v_nummers=[i.case.person.v_nummer for i in planned + unrecorded]
        + [case.person.v_nummer for case in overdue],
        purpose="interviews:agenda",
    )
    return render(
        request,
        "interviews/agenda.html",
        {
            "planned": planned,
            "unrecorded": unrecorded,
            "overdue": overdue,
            "start": start,
            "end": end - timedelta(days=1),
            "today": today,
            "limit": AGENDA_LIMIT,
        },
    )


@require_http_methods(["GET", "POST"])
@require_perm(access.VIEW_INTERVIEW, hide_without=VIEW)
def calendar_settings(request):
    """Make, renew or revoke the personal calendar link. The page is the confirmation: the
    change happens on POST only."""
    feed_url = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            account_services.revoke_calendar_token(request.user)
            messages.success(request, _("The calendar link is revoked; it no longer works."))
            return redirect("interviews:calendar_settings")
        token = account_services.rotate_calendar_token(request.user)
        messages.success(request, _("A new calendar link was made; old links stop working."))
        # Shown on this answer only: the database keeps a hash of the secret, not the secret.
        feed_url = request.build_absolute_uri(reverse("interviews:calendar_feed", args=[token]))
    response = render(
        request,
        "interviews/calendar_settings.html",
        {"feed_url": feed_url, "has_link": bool(request.user.calendar_token)},
    )
    add_never_cache_headers(response)
    return response


@login_not_required
@never_cache
@require_GET
def calendar_feed(request, token):
    """The officer's planned interviews as iCalendar, behind a secret, revocable token: the
    calendar program cannot log in. Events carry the case reference and stage only."""
    if not 20 <= len(token) <= 64:
        raise Http404
    user = User.objects.filter(
        calendar_token=User.hash_calendar_token(token), is_active=True
    ).first()
    if user is None or not user.has_perm(access.VIEW_INTERVIEW):
        raise Http404
    interviews = list(
        Interview.objects.visible_to(user)
        .for_user_cases(user)
        .planned()
        .filter(planned_at__gte=timezone.now() - timedelta(days=30))
        .select_related("case__person")
        .order_by("planned_at")[:500]
    )
    body = calendar.feed(interviews, host=request.get_host())
    # The feed is an export of case data: one audit entry, attributed to the link's owner,
    # written once the feed is made (what was delivered), from the client's real address.
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Interview),
        object_pk="*",
        object_repr=f"{len(interviews)} × {Interview._meta.verbose_name_plural}",
        action=AuditEntry.Action.ACCESS,
        kind=AuditEntry.Kind.EXPORT,
        purpose="interviews:calendar_feed",
        actor=user,
        remote_addr=client_address(request),
        additional_data={
            "count": len(interviews),
            "v_nummers": sorted({i.case.person.v_nummer for i in interviews}),
            "delivered": {"format": "ics", "rows": len(interviews)},
        },
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="gesprekken.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
