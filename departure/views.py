"""Thin views: fetch the case through visible_to (404 outside it), bind a form, call one
service, redirect with a message or re-render. Every page that shows case data records the
access."""

from contextlib import nullcontext

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from cases import access as case_access
from cases import services as case_services
from cases.selectors import visible_case
from departure import access, case_hooks, forms, removal, services
from departure.models import (
    Advice,
    CourtReview,
    Departure,
    EmbassyPresentation,
    Measure,
    ReturnSupport,
    TravelDocumentRequest,
)
from dtv import edits
from dtv.accounts.decorators import require_perm
from dtv.audit.services import record_access

# Without this permission the officers' side does not exist for a user (404, not 403).
VIEW = case_access.VIEW_CASE


def _render(request, case, template, context, *, purpose):
    record_access(request, case, purpose=purpose)
    return render(request, template, {"case": case, **context})


def _form_page(
    request, case, form, *, title, purpose, submit=None, intro="", warning="", extra=None
):
    return _render(
        request,
        case,
        "departure/form.html",
        {
            "form": form,
            "title": title,
            "submit": submit or _("Save"),
            "intro": intro,
            "warning": warning,
            **(extra or {}),
        },
        purpose=purpose,
    )


def _apply(form, service, obj, *, actor):
    """Call the service with the form's data: (True, its result), or (False, None) with the
    rule it refused shown as a form error."""
    try:
        with _unchanged_since_opened(form, obj):
            return True, service(obj, actor=actor, **form.cleaned_data)
    except ValidationError as error:
        _add_errors(form, error)
        return False, None


def _add_errors(form, error: ValidationError) -> None:
    # The rule a service refused, at the field it concerns (or above the form).
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _unchanged_since_opened(form, obj):
    # An edit form of a record refuses a stale save (dtv/edits.py); other forms are actions.
    if not isinstance(form, edits.StaleEditMixin):
        return nullcontext()
    return edits.unchanged_since_opened(
        form,
        lambda: type(form)(instance=type(obj)._base_manager.select_for_update().get(pk=obj.pk)),
    )


def _done(request, case, message, anchor="#departure-section"):
    messages.success(request, message)
    return redirect(reverse("cases:detail", args=[case.reference]) + anchor)


@require_GET
@require_perm(VIEW, hide_without=VIEW)
def overview(request, reference):
    """Everything the departure app holds on a case, with the deadlines and their reasons."""
    case = visible_case(request.user, reference)
    today = timezone.localdate()
    section = case_hooks.section(case, user=request.user, today=today).context
    measures = (
        Measure.objects.filter(case=case).prefetch_related("court_reviews").order_by("-started_on")
    )
    return _render(
        request,
        case,
        "departure/overview.html",
        {"section": section, "measures": list(measures), "today": today},
        purpose="departure:overview",
    )


@require_http_methods(["GET", "POST"])
@require_perm(access.ADD_DEPARTURE, hide_without=VIEW)
def record_departure(request, reference):
    """Recording a departure closes the case: the form, then a confirmation page with what will
    be recorded, then the change."""
    case = visible_case(request.user, reference)
    purpose = "departure:record_departure"
    if Departure.objects.filter(case=case).exists() or case.is_closed:
        messages.info(request, _("This case is closed; a departure can no longer be recorded."))
        return redirect(case)
    household = case_services.open_household_cases(case, user=request.user)
    form = forms.DepartureForm(request.POST or None, household=household)
    # With a household, the departure can be recorded once for the members' cases too.
    service = services.record_household_departure if household else services.record_departure
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirmed") == "1":
            ok, result = _apply(form, service, case, actor=request.user)
            if ok:
                closed = [case.reference] + [
                    d.case.reference for d in (result if isinstance(result, list) else [])[1:]
                ]
                return _done(
                    request,
                    case,
                    ngettext(
                        "Departure recorded; case %(refs)s is closed.",
                        "Departure of the household recorded; cases %(refs)s are closed.",
                        len(closed),
                    )
                    % {"refs": ", ".join(closed)},
                    anchor="",
                )
        elif request.POST.get("back") != "1":
            data = form.cleaned_data
            return _render(
                request,
                case,
                "departure/confirm_departure.html",
                {
                    "form": form,
                    "data": data,
                    "type_label": Departure.Type(data["type"]).label,
                    "closure_label": Departure.CLOSURE[data["type"]].label,
                    "confirmed_by_label": Departure.ConfirmedBy(data["confirmed_by"]).label
                    if data["confirmed_by"]
                    else "",
                    "forced_from_label": Departure.ForcedFrom(data["forced_from"]).label
                    if data["forced_from"]
                    else "",
                    "destination_label": dict(form.fields["destination"].choices).get(
                        data["destination"], ""
                    ),
                    "household_cases": list(data.get("household_cases") or []),
                },
                purpose=purpose,
            )
    return _form_page(
        request,
        case,
        form,
        title=_("Record departure"),
        purpose=purpose,
        submit=_("Continue"),
        intro=_("Recording the departure closes the case. You can check it on the next page."),
        extra={"removal_conditions": removal.conditions(case, on=timezone.localdate())},
    )


@require_http_methods(["GET", "POST"])
@require_perm(access.ADD_MEASURE, hide_without=VIEW)
def add_measure(request, reference):
    case = visible_case(request.user, reference)
    form = forms.MeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _result = _apply(form, services.start_measure, case, actor=request.user)
        if ok:
            return _done(request, case, _("Measure recorded."))
    return _form_page(
        request, case, form, title=_("Add a measure or shelter"), purpose="departure:add_measure"
    )


@require_http_methods(["GET", "POST"])
@require_perm(access.CHANGE_MEASURE, hide_without=VIEW)
def edit_measure(request, reference, pk):
    case = visible_case(request.user, reference)
    measure = get_object_or_404(Measure, case=case, pk=pk)
    # The form works on its own copy: the service reads the row again under a lock.
    form = forms.MeasureEditForm(request.POST or None, instance=Measure.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        ok, _result = _apply(form, services.update_measure, measure, actor=request.user)
        if ok:
            return _done(request, case, _("Measure saved."))
    return _form_page(
        request,
        case,
        form,
        title=_("%(measure)s since %(date)s")
        % {"measure": measure.get_type_display(), "date": measure.started_on},
        purpose="departure:edit_measure",
    )


@require_http_methods(["GET", "POST"])
@require_perm(access.CHANGE_MEASURE, hide_without=VIEW)
def end_measure(request, reference, pk):
    case = visible_case(request.user, reference)
    measure = get_object_or_404(Measure, case=case, pk=pk)
    form = forms.EndMeasureForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        ok, _result = _apply(form, services.end_measure, measure, actor=request.user)
        if ok:
            return _done(request, case, _("Measure ended."))
    return _form_page(
        request,
        case,
        form,
        title=_("End: %(measure)s") % {"measure": measure.get_type_display()},
        purpose="departure:end_measure",
        submit=_("End measure"),
    )


@require_http_methods(["GET", "POST"])
@require_perm(access.ADD_COURTREVIEW, hide_without=VIEW)
def add_court_review(request, reference, pk):
    case = visible_case(request.user, reference)
    measure = get_object_or_404(Measure, case=case, pk=pk)
    form = forms.CourtReviewForm(request.POST or None, initial={"kind": CourtReview.Kind.INITIAL})
    if request.method == "POST" and form.is_valid():
        ok, _result = _apply(form, services.add_court_review, measure, actor=request.user)
        if ok:
            return _done(request, case, _("Court review recorded."))
    return _form_page(
        request,
        case,
        form,
        title=_("Court review of the detention since %(date)s") % {"date": measure.started_on},
        purpose="departure:add_court_review",
        # The service refuses a review of anything but a detention; say so before the form.
        warning="" if measure.is_detention else _("Court reviews belong to a detention."),
    )


@require_http_methods(["GET", "POST"])
@require_perm(access.ADD_RETURNSUPPORT, hide_without=VIEW)
def add_return_support(request, reference):
    case = visible_case(request.user, reference)
    form = forms.ReturnSupportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, result = _apply(form, services.apply_return_support, case, actor=request.user)
        if ok:
            _support, warning = result
            if warning:
                messages.warning(request, warning)
            return _done(request, case, _("Application for return support recorded."))
    return _form_page(
        request,
        case,
        form,
        title=_("Apply for return support"),
        purpose="departure:add_return_support",
        warning=services.assisted_return_warning(case),
    )


@require_http_methods(["GET", "POST"])
@require_perm(access.CHANGE_RETURNSUPPORT, hide_without=VIEW)
def decide_return_support(request, reference, pk):
    case = visible_case(request.user, reference)
    support = get_object_or_404(ReturnSupport, case=case, pk=pk)
    form = forms.ReturnSupportDecisionForm(
        request.POST or None,
        initial={
            "decided_on": timezone.localdate(),
            "in_kind_eur": support.in_kind_eur,
            "cash_eur": support.cash_eur,
        },
    )
    if request.method == "POST" and form.is_valid():
        ok, _result = _apply(form, services.decide_return_support, support, actor=request.user)
        if ok:
            return _done(request, case, _("Decision on return support recorded."))
    return _form_page(
        request,
        case,
        form,
        title=_("Decision on %(programme)s (applied %(date)s)")
        % {"programme": support.get_programme_display(), "date": support.applied_on},
        purpose="departure:decide_return_support",
    )


@require_http_methods(["GET", "POST"])
@require_perm(access.ADD_TRAVELDOCUMENTREQUEST, hide_without=VIEW)
def add_travel_document(request, reference):
    case = visible_case(request.user, reference)
    form = forms.TravelDocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _result = _apply(form, services.request_travel_document, case, actor=request.user)
        if ok:
            return _done(request, case, _("Travel-document request recorded."))
    return _form_page(
        request,
        case,
        form,
        title=_("Request a travel document"),
        purpose="departure:add_travel_document",
    )


@require_http_methods(["GET", "POST"])
@require_perm(access.CHANGE_TRAVELDOCUMENTREQUEST, hide_without=VIEW)
def edit_travel_document(request, reference, pk):
    case = visible_case(request.user, reference)
    document = get_object_or_404(TravelDocumentRequest, case=case, pk=pk)
    form = forms.TravelDocumentForm(
        request.POST or None, instance=TravelDocumentRequest.objects.get(pk=pk)
    )
    if request.method == "POST" and form.is_valid():
        ok, _result = _apply(form, services.update_travel_document, document, actor=request.user)
        if ok:
            return _done(request, case, _("Travel-document request saved."))
    return _form_page(
        request,
        case,
        form,
        title=_("Travel-document request"),
        purpose="departure:edit_travel_document",
    )


@require_http_methods(["GET", "POST"])
@require_perm(access.CHANGE_TRAVELDOCUMENTREQUEST, hide_without=VIEW)
def travel_document_answer(request, reference, pk):
    case = visible_case(request.user, reference)
    document = get_object_or_404(TravelDocumentRequest, case=case, pk=pk)
    form = forms.TravelDocumentAnswerForm(
        request.POST or None, initial={"answered_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        ok, _result = _apply(
            form, services.record_travel_document_answer, document, actor=request.user
        )
        if ok:
            return _done(request, case, _("The embassy's answer is recorded."))
    return _form_page(
        request,
        case,
        form,
        title=_("Answer to %(document)s") % {"document": document},
        purpose="departure:travel_document_answer",
    )


@require_http_methods(["GET", "POST"])
@require_perm(access.ADD_ADVICE, hide_without=VIEW)
def add_advice(request, reference):
    case = visible_case(request.user, reference)
    form = forms.AdviceForm(request.POST or None, initial={"requested_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        ok, _result = _apply(form, services.create_advice, case, actor=request.user)
        if ok:
            return _done(request, case, _("Advice recorded as a draft."))
    return _form_page(
        request, case, form, title=_("Advice or signal"), purpose="departure:add_advice"
    )


@require_http_methods(["GET", "POST"])
@require_perm(access.CHANGE_ADVICE, hide_without=VIEW)
def send_advice(request, reference, pk):
    case = visible_case(request.user, reference)
    advice = get_object_or_404(Advice, case=case, pk=pk)
    form = forms.AdviceSendForm(request.POST or None, initial={"sent_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        ok, _result = _apply(form, services.send_advice, advice, actor=request.user)
        if ok:
            return _done(request, case, _("Advice marked as sent to the IND."))
    return _form_page(
        request,
        case,
        form,
        title=_("Send to the IND: %(advice)s") % {"advice": advice.get_type_display()},
        purpose="departure:send_advice",
        intro=advice.motivation,
        submit=_("Mark as sent"),
    )


@require_http_methods(["GET", "POST"])
@require_perm(access.CHANGE_ADVICE, hide_without=VIEW)
def advice_outcome(request, reference, pk):
    case = visible_case(request.user, reference)
    advice = get_object_or_404(Advice, case=case, pk=pk)
    form = forms.AdviceOutcomeForm(
        request.POST or None, initial={"decided_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        ok, _result = _apply(form, services.record_advice_outcome, advice, actor=request.user)
        if ok:
            return _done(request, case, _("The IND's decision is recorded."))
    return _form_page(
        request,
        case,
        form,
        title=_("IND decision: %(advice)s") % {"advice": advice.get_type_display()},
        purpose="departure:advice_outcome",
    )


def _presentation_page(request, case, form, *, presentation=None):
    purpose = "departure:presentation_edit" if presentation else "departure:presentation_add"
    record_access(request, case, purpose=purpose)
    return render(
        request,
        "departure/presentation_form.html",
        {"case": case, "form": form, "presentation": presentation},
    )


@require_http_methods(["GET", "POST"])
@require_perm(access.ADD_EMBASSYPRESENTATION, hide_without=VIEW)
def presentation_add(request, reference):
    case = visible_case(request.user, reference)
    form = forms.PresentationForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_embassy_presentation(case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Embassy presentation saved."))
            return redirect(reverse("cases:detail", args=[case.reference]) + "#departure-section")
    return _presentation_page(request, case, form)


@require_http_methods(["GET", "POST"])
@require_perm(access.CHANGE_EMBASSYPRESENTATION, hide_without=VIEW)
def presentation_edit(request, reference, pk):
    """Correct a presentation, or record the embassy's answer when it arrives."""
    case = visible_case(request.user, reference)
    presentation = get_object_or_404(EmbassyPresentation.objects.filter(case=case), pk=pk)
    form = forms.PresentationForm(request.POST or None, instance=presentation, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            with edits.unchanged_since_opened(
                form,
                lambda: forms.PresentationForm(
                    instance=EmbassyPresentation._base_manager.select_for_update().get(
                        pk=presentation.pk
                    ),
                    case=case,
                ),
            ):
                services.update_embassy_presentation(
                    presentation, actor=request.user, **form.cleaned_data
                )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Embassy presentation saved."))
            return redirect(reverse("cases:detail", args=[case.reference]) + "#departure-section")
    return _presentation_page(request, case, form, presentation=presentation)
