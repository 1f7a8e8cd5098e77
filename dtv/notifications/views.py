from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dtv.audit.services import record_list_view
from dtv.notifications import services
from dtv.notifications.forms import SnoozeForm
from dtv.notifications.models import Notification
from dtv.redirects import redirect_to

SHOWS = ("open", "escalations", "all")
MAX_BULK = 100


@require_GET
def inbox(request):
    show = request.GET.get("show", "open")
    if show not in SHOWS:
        show = "open"
    notifications = Notification.objects.for_user(request.user).select_related(
        "case__person", "escalated_to"
    )
    if show == "all":
        notifications = notifications.order_by("-created_at", "-pk")
    else:
        # What needs attention, most urgent first: escalations, then the earliest deadline.
        notifications = notifications.open()
        if show == "escalations":
            notifications = notifications.filter(kind=Notification.Kind.ESCALATION)
        escalation_first = Case(
            When(kind=Notification.Kind.ESCALATION, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        notifications = notifications.order_by(
            escalation_first, F("due_on").asc(nulls_last=True), "-created_at", "-pk"
        )
    page = Paginator(notifications, 25).get_page(request.GET.get("page"))
    # The notifications name cases (their references): one Logboek entry for the page.
    page.object_list = list(page.object_list)
    record_list_view(
        request,
        Notification,
        v_nummers=[n.case.person.v_nummer for n in page if n.case_id],
        purpose="notifications:inbox",
    )
    open_count = Notification.objects.for_user(request.user).open().count()
    return render(
        request,
        "notifications/inbox.html",
        {"page_obj": page, "show": show, "open_count": open_count, "max_bulk": MAX_BULK},
    )


def _own(request, pk):
    return get_object_or_404(Notification.objects.for_user(request.user), pk=pk)


def _back(request):
    # Back to the list the user came from (its filter and page), never to another site.
    return redirect_to(request, request.POST.get("next"), "notifications:inbox")


@require_POST
def open_notification(request, pk):
    notification = _own(request, pk)
    services.mark_read(notification, actor=request.user)
    return redirect_to(request, notification.link, "notifications:inbox")


@require_POST
def acknowledge(request, pk):
    notification = _own(request, pk)
    services.acknowledge(notification, actor=request.user)
    messages.success(request, _("Notification acknowledged."))
    return _back(request)


@require_POST
def acknowledge_selected(request):
    ids = [value for value in request.POST.getlist("ids")[:MAX_BULK] if value.isdigit()]
    chosen = list(Notification.objects.for_user(request.user).filter(pk__in=ids))
    if not chosen:
        messages.error(request, _("Select the notifications to acknowledge."))
        return _back(request)
    done = services.acknowledge_many(chosen, actor=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d notification acknowledged.", "%(count)d notifications acknowledged.", done
        )
        % {"count": done},
    )
    return _back(request)


@require_http_methods(["GET", "POST"])
def snooze(request, pk):
    notification = _own(request, pk)
    form = SnoozeForm(request.POST or None)
    if form.is_valid():
        try:
            services.snooze(notification, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Notification snoozed."))
            return redirect("notifications:inbox")
    return render(
        request, "notifications/snooze.html", {"notification": notification, "form": form}
    )
