from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dtv.accounts.roles import Role

# Main navigation: (URL name, label, roles that may use it). Shown only to those roles.
NAVIGATION = [
    ("cases:worklist", _("Worklist"), {Role.OFFICER, Role.TEAM_LEAD}),
    ("cases:list", _("Cases"), {Role.OFFICER, Role.TEAM_LEAD, Role.AUDITOR}),
    ("interviews:agenda", _("Agenda"), {Role.OFFICER, Role.TEAM_LEAD}),
    (
        "partners:meeting_list",
        _("Meetings"),
        {Role.OFFICER, Role.TEAM_LEAD, Role.PARTNER, Role.AUDITOR},
    ),
    ("reports:caseload", pgettext_lazy("workload", "Caseload"), {Role.TEAM_LEAD, Role.AUDITOR}),
    ("cases:transfers", _("Transfers"), {Role.TEAM_LEAD, Role.AUDITOR}),
    ("reports:index", _("Reports"), {Role.TEAM_LEAD, Role.AUDITOR}),
    ("partners:organisation_list", _("Partners"), {Role.OFFICER, Role.TEAM_LEAD, Role.ADMIN}),
    ("audit:log", _("Audit log"), {Role.AUDITOR}),
    ("privacy:anomalies", _("Unusual access"), {Role.AUDITOR}),
    ("privacy:subject_access", _("Subject access"), {Role.AUDITOR}),
    ("cases:import", _("Import cases"), {Role.ADMIN}),
    ("letters:text_list", _("Letter texts"), {Role.ADMIN}),
    ("admin:index", _("Administration"), {Role.ADMIN}),
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
    for name, label, roles in NAVIGATION:
        if user.role not in roles:
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
