from celery import shared_task
from django.urls import reverse
from django.utils.translation import gettext as _

from dtv.accounts.access import users_with_perm
from dtv.audit import access as audit_access
from dtv.notifications.services import notify
from privacy import reports


@shared_task
def report_unusual_access() -> int:
    """Weekly: tell whoever reads the audit log (the auditors) how much unusual access the
    last week had."""
    report = reports.anomalies()
    auditors = users_with_perm(audit_access.VIEW_AUDITENTRY)
    for auditor in auditors:
        notify(
            auditor,
            title=_(
                "Weekly access report: %(outside)d views outside the own team, "
                "%(exports)d large exports"
            )
            % {"outside": len(report["outside"]), "exports": len(report["exports"])},
            link=reverse("privacy:anomalies"),
        )
    return auditors.count()
