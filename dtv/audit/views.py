from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dtv.audit import access
from dtv.audit.filters import AuditEntryFilter
from dtv.audit.models import AuditEntry
from dtv.audit.services import record_list_view


@require_GET
@permission_required(access.VIEW_AUDITENTRY, raise_exception=True)
def log(request):
    entries = AuditEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
    filterset = AuditEntryFilter(request.GET or None, queryset=entries)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else entries
    if filterset.is_bound and not filterset.is_valid():
        rows = entries.none()
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    # The log shows V-numbers and names too: reading it is a processing like any other.
    page.object_list = list(page.object_list)
    record_list_view(request, AuditEntry, v_nummers=[e.v_nummer for e in page], purpose="audit:log")
    return render(request, "audit/log.html", {"filter": filterset, "page_obj": page})
