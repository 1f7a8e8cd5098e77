"""Reads of the audit log: who saw a dossier, unusual access, a subject's data."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from cases import access as cases_access
from cases.models import Case
from dtv.audit.models import AuditEntry

LARGE_EXPORT_ROWS = 500


def case_access(v_nummer: str):
    return (
        AuditEntry.objects.for_person(v_nummer)
        .select_related("actor", "content_type")
        .order_by("-timestamp")
    )


def anomalies(*, since=None, until=None) -> dict:
    """Views of dossiers outside the viewer's own team's caseload, and large exports."""
    until = until or timezone.now()
    since = since or until - timedelta(days=7)
    window = AuditEntry.objects.filter(timestamp__gte=since, timestamp__lt=until)
    case_views = window.filter(kind=AuditEntry.Kind.VIEW).exclude(v_nummer="")
    # A view is outside the caseload when the person has no case in the viewer's team.
    outside = []
    readers = cases_access.team_case_readers().values("pk")
    for entry in case_views.select_related("actor").filter(actor__in=readers)[:5000]:
        own = Case.objects.filter(person__v_nummer=entry.v_nummer, team_id=entry.actor.team_id)
        if not own.exists():
            outside.append(entry)
    exports = [
        entry
        for entry in window.filter(kind=AuditEntry.Kind.EXPORT).select_related("actor")
        if isinstance(entry.additional_data, dict)
        and (entry.additional_data.get("count") or 0) >= LARGE_EXPORT_ROWS
    ]
    per_user = case_views.values("actor__username").annotate(n=Count("pk")).order_by("-n")[:10]
    return {
        "since": since,
        "until": until,
        "outside": outside,
        "exports": exports,
        "busiest": list(per_user),
        "total_views": case_views.count(),
        "refused": window.filter(~Q(kind=AuditEntry.Kind.VIEW)).count(),
    }
