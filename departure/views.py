from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cases.views import _case
from departure import forms, services
from departure.models import Measure, TravelDocumentRequest
from dtv.accounts.decorators import require_perm

VIEW = "cases.view_case"


def _form_page(request, case, form, *, title, service, done, instance=None, confirm=""):
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items()}
        try:
            result = service(instance or case, actor=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            warning = result[1] if isinstance(result, tuple) else ""
            messages.success(request, done)
            if warning:
                messages.warning(request, warning)
            return redirect(case)
    return render(
        request,
        "departure/form.html",
        {"case": case, "form": form, "title": title, "confirm": confirm},
    )


@require_http_methods(["GET", "POST"])
@require_perm("departure.add_departure", hide_without=VIEW)
def record_departure(request, reference):
    case = _case(request, reference)
    return _form_page(
        request,
        case,
        forms.DepartureForm(request.POST or None),
        title=gettext_lazy("Record departure"),
        service=services.record_departure,
        done=_("Departure recorded; the case is closed."),
        confirm=_("Recording the departure closes the case. Check the date and type first."),
    )


@require_http_methods(["GET", "POST"])
@require_perm("departure.add_measure", hide_without=VIEW)
def add_measure(request, reference):
    case = _case(request, reference)
    return _form_page(
        request,
        case,
        forms.MeasureForm(request.POST or None),
        title=gettext_lazy("Add a measure or shelter"),
        service=services.start_measure,
        done=_("Measure recorded."),
    )


@require_http_methods(["GET", "POST"])
@require_perm("departure.change_measure", hide_without=VIEW)
def edit_measure(request, reference, pk):
    case = _case(request, reference)
    measure = get_object_or_404(Measure, case=case, pk=pk)
    return _form_page(
        request,
        case,
        forms.MeasureForm(request.POST or None, instance=Measure.objects.get(pk=measure.pk)),
        title=gettext_lazy("Edit measure"),
        service=services.update_measure,
        instance=measure,
        done=_("Measure saved."),
    )


@require_http_methods(["GET", "POST"])
@require_perm("departure.add_courtreview", hide_without=VIEW)
def add_court_review(request, reference, pk):
    case = _case(request, reference)
    measure = get_object_or_404(Measure, case=case, pk=pk)
    return _form_page(
        request,
        case,
        forms.CourtReviewForm(request.POST or None),
        title=gettext_lazy("Add a court review"),
        service=services.add_court_review,
        instance=measure,
        done=_("Court review recorded."),
    )


@require_http_methods(["GET", "POST"])
@require_perm("departure.add_returnsupport", hide_without=VIEW)
def add_return_support(request, reference):
    case = _case(request, reference)
    warning = services.assisted_return_warning(case)
    if request.method == "GET" and warning:
        messages.warning(request, warning)
    return _form_page(
        request,
        case,
        forms.ReturnSupportForm(request.POST or None),
        title=gettext_lazy("Apply for return support"),
        service=services.apply_return_support,
        done=_("Return support recorded."),
    )


@require_http_methods(["GET", "POST"])
@require_perm("departure.add_traveldocumentrequest", hide_without=VIEW)
def add_travel_document(request, reference):
    case = _case(request, reference)
    return _form_page(
        request,
        case,
        forms.TravelDocumentForm(request.POST or None),
        title=gettext_lazy("Request a travel document"),
        service=services.request_travel_document,
        done=_("Travel-document request recorded."),
    )


@require_http_methods(["GET", "POST"])
@require_perm("departure.change_traveldocumentrequest", hide_without=VIEW)
def edit_travel_document(request, reference, pk):
    case = _case(request, reference)
    document = get_object_or_404(TravelDocumentRequest, case=case, pk=pk)
    return _form_page(
        request,
        case,
        forms.TravelDocumentForm(
            request.POST or None, instance=TravelDocumentRequest.objects.get(pk=document.pk)
        ),
        title=gettext_lazy("Travel-document request"),
        service=services.update_travel_document,
        instance=document,
        done=_("Travel-document request saved."),
    )


@require_http_methods(["GET", "POST"])
@require_perm("departure.add_advice", hide_without=VIEW)
def add_advice(request, reference):
    case = _case(request, reference)
    return _form_page(
        request,
        case,
        forms.AdviceForm(request.POST or None),
        title=gettext_lazy("Advice or signal"),
        service=services.create_advice,
        done=_("Advice recorded."),
    )
