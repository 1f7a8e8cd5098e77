from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dtv.notifications import services
from dtv.notifications.forms import SnoozeForm
from dtv.notifications.models import Notification


@require_GET
def inbox(request):
    show = request.GET.get("show", "open")
    notifications = Notification.objects.for_user(request.user).select_related("case")
    if show != "all":
        show = "open"
        notifications = notifications.open()
    page = Paginator(notifications, 25).get_page(request.GET.get("page"))
    return render(
        request, "notifications/inbox.html", {"page_obj": page, "show": show, "today": None}
    )


def _own(request, pk):
    return get_object_or_404(Notification.objects.for_user(request.user), pk=pk)


@require_POST
def open_notification(request, pk):
    notification = _own(request, pk)
    services.mark_read(notification, actor=request.user)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications:inbox")


@require_POST
def acknowledge(request, pk):
    notification = _own(request, pk)
    services.acknowledge(notification, actor=request.user)
    messages.success(request, _("Notification acknowledged."))
    return redirect("notifications:inbox")


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
