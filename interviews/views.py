from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.views import _case
from dtv.accounts import services as account_services
from dtv.accounts.decorators import require_perm
from dtv.accounts.models import User
from dtv.audit.models import AuditEntry
from dtv.audit.services import record_access
from interviews import calendar, services
from interviews.case_hooks import plan_facts
from interviews.forms import AttendeeFormSet, InterviewForm, PresentationForm
from interviews.models import Interview
from interviews.plan import STAGES, next_interview

VIEW = "cases.view_case"


def _interview(request, reference, pk):
    case = _case(request, reference)
    return case, get_object_or_404(
        Interview.objects.filter(case=case).prefetch_related("attendees", "obstacles_discussed"),
        pk=pk,
    )


def _service_fields(form):
    return {name: form.cleaned_data[name] for name in InterviewForm.SERVICE_FIELDS}


@require_http_methods(["GET", "POST"])
@require_perm("interviews.add_interview", hide_without=VIEW)
def log_interview(request, reference):
    """One page to log an interview: the stage comes from the plan (or ?stage=)."""
    case = _case(request, reference)
    upcoming = next_interview(plan_facts(case))
    stage = request.GET.get("stage", "")
    if stage not in STAGES:
        stage = upcoming.stage if upcoming else "progress"
    initial = {
        "stage": stage,
        "held_at": timezone.localtime().replace(second=0, microsecond=0),
        "attitude": "unknown",
    }
    form = InterviewForm(request.POST or None, case=case, initial=initial)
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
                attendees=attendees.attendees(),
                obstacles=form.cleaned_data["obstacles"],
                new_obstacle=form.new_obstacle(),
                **_service_fields(form),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(stage)s logged.") % {"stage": interview.get_stage_display()},
            )
            return redirect(reverse("cases:detail", args=[case.reference]) + "#interviews")
    return render(
        request,
        "interviews/interview_form.html",
        {"case": case, "form": form, "attendees": attendees, "upcoming": upcoming},
    )


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_GET
@require_perm("interviews.add_interview", hide_without=VIEW)
def attendee_row(request, reference):
    """htmx: one more attendee row, and the formset's counter swapped out of band."""
    case = _case(request, reference)
    try:
        index = max(0, min(int(request.GET.get("index", "0")), 19))
    except ValueError:
        index = 0
    formset = AttendeeFormSet(prefix="attendees")
    form = formset.empty_form
    form.prefix = f"attendees-{index}"
    return render(
        request,
        "interviews/_attendee_row.html",
        {"case": case, "form": form, "index": index, "next_index": index + 1},
    )


@require_GET
@require_perm("interviews.view_interview", hide_without=VIEW)
def interview_detail(request, reference, pk):
    case, interview = _interview(request, reference, pk)
    record_access(request, interview, purpose="interviews:detail")
    return render(request, "interviews/interview_detail.html", {"case": case, "i": interview})


@require_GET
@require_perm("interviews.view_interview", hide_without=VIEW)
def interview_print(request, reference, pk):
    case, interview = _interview(request, reference, pk)
    record_access(request, interview, kind=AuditEntry.Kind.PRINT, purpose="interviews:print")
    return render(request, "interviews/interview_print.html", {"case": case, "i": interview})


@require_http_methods(["GET", "POST"])
@require_perm("interviews.change_interview", hide_without=VIEW)
def interview_edit(request, reference, pk):
    case, interview = _interview(request, reference, pk)
    form = InterviewForm(request.POST or None, instance=interview, case=case)
    attendees = AttendeeFormSet(
        request.POST or None,
        prefix="attendees",
        initial=[
            {"role": a.role, "name": a.name or str(a.user)} for a in interview.attendees.all()
        ],
    )
    if request.method == "POST" and form.is_valid() and attendees.is_valid():
        try:
            services.update_interview(
                Interview.objects.get(pk=interview.pk),
                actor=request.user,
                version=form.cleaned_data.get("version") or 0,
                attendees=attendees.attendees(),
                obstacles=form.cleaned_data["obstacles"],
                new_obstacle=form.new_obstacle(),
                **_service_fields(form),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Interview saved."))
            return redirect(interview.get_absolute_url())
    return render(
        request,
        "interviews/interview_form.html",
        {"case": case, "form": form, "attendees": attendees, "interview": interview},
    )


@require_http_methods(["GET", "POST"])
@require_perm("interviews.add_embassypresentation", hide_without=VIEW)
def presentation_add(request, reference):
    case = _case(request, reference)
    form = PresentationForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_embassy_presentation(case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Embassy presentation recorded."))
            return redirect(case)
    return render(request, "interviews/presentation_form.html", {"case": case, "form": form})


@require_GET
@require_perm("interviews.view_interview", hide_without=VIEW)
def agenda(request):
    """This week's planned interviews and the overdue ones, for the officer's cases."""
    today = timezone.localdate()
    start = today - timedelta(days=today.weekday())
    end = start + timedelta(days=7)
    mine = Interview.objects.visible_to(request.user).filter(case__officer=request.user)
    planned = (
        mine.planned()
        .filter(planned_at__date__gte=start, planned_at__date__lt=end)
        .select_related("case__person")
        .order_by("planned_at")
    )
    from cases.models import Case

    overdue = (
        Case.objects.visible_to(request.user)
        .filter(officer=request.user)
        .interview_overdue(today=today)
        .select_related("person")
        .order_by("next_interview_due_on")[:50]
    )
    return render(
        request,
        "interviews/agenda.html",
        {
            "planned": planned,
            "overdue": overdue,
            "start": start,
            "end": end - timedelta(1),
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
@require_perm("interviews.view_interview", hide_without=VIEW)
def calendar_settings(request):
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            account_services.revoke_calendar_token(request.user)
            messages.success(request, _("The calendar link is revoked; it no longer works."))
        else:
            account_services.rotate_calendar_token(request.user)
            messages.success(request, _("A new calendar link was made; old links stop working."))
        return redirect("interviews:calendar_settings")
    feed_url = ""
    if request.user.calendar_token:
        feed_url = request.build_absolute_uri(
            reverse("interviews:calendar_feed", args=[request.user.calendar_token])
        )
    return render(request, "interviews/calendar_settings.html", {"feed_url": feed_url})


@login_not_required
@require_GET
def calendar_feed(request, token):
    """The officer's planned interviews as iCalendar, behind a secret, revocable token."""
    if len(token) < 20:
        raise Http404
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None:
        raise Http404
    interviews = (
        Interview.objects.planned()
        .filter(case__officer=user, planned_at__gte=timezone.now() - timedelta(days=30))
        .select_related("case")
        .order_by("planned_at")[:500]
    )
    AuditEntry.objects.create(
        content_type_id=_content_type_id(),
        object_pk=str(user.pk),
        object_repr=f"calendar feed of {user.username}",
        action=AuditEntry.Action.ACCESS,
        kind=AuditEntry.Kind.EXPORT,
        purpose="interviews:calendar_feed",
        actor=user,
        remote_addr=request.META.get("REMOTE_ADDR"),
    )
    body = calendar.feed(interviews, host=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="gesprekken.ics"'
    return response


def _content_type_id():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(User).pk
