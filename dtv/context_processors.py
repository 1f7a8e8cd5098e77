from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases import access as cases
from directory import access as directory
from dtv.accounts import access as accounts
from dtv.audit import access as audit
from dtv.reports import access as reports
from interviews import access as interviews
from letters import access as letters
from partners import access as partners

# Main navigation: (URL name, label, who sees it: a predicate of an app's access module).
# The link is shown to whoever the predicate admits; the page itself checks the same rule.
NAVIGATION = [
    ("cases:worklist", _("Worklist"), cases.works_cases),
    ("cases:list", _("Cases"), cases.reads_cases),
    ("interviews:agenda", _("Agenda"), interviews.plans_interviews),
    ("partners:meeting_list", _("Meetings"), partners.reads_meetings),
    ("reports:caseload", pgettext_lazy("workload", "Caseload"), reports.reads_reports),
    ("cases:transfers", _("Transfers"), cases.reads_transfers),
    ("reports:index", _("Reports"), reports.reads_reports),
    ("partners:organisation_list", _("Partners"), directory.reads_directory),
    ("audit:log", _("Audit log"), audit.reads_audit_log),
    ("privacy:anomalies", _("Unusual access"), audit.reads_audit_log),
    ("privacy:subject_access", _("Subject access"), audit.exports_subject_data),
    ("cases:import", _("Import cases"), cases.imports_cases),
    ("letters:text_list", _("Letter texts"), letters.reads_texts),
    ("admin:index", _("Administration"), accounts.administers_site),
]


def _resolvable(name: str) -> str | None:
    from django.urls import NoReverseMatch

    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    current = request.resolver_match.view_name if request.resolver_match else ""
    for name, label, admits in NAVIGATION:
        if not admits(user):
            continue
        url = _resolvable(name)
        if url is None:
            continue
        items.append(
            {
                "url": url,
                "label": label,
                "active": current == name,
            }
        )
    from dtv.notifications.models import Notification

    unread = Notification.objects.for_user(user).unread().count()
    return {"nav_items": items, "unread_notifications": unread}
