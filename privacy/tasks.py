from celery import shared_task
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from dtv.accounts.roles import Role
from dtv.notifications.services import notify
from privacy import reports


@shared_task
def report_unusual_access() -> int:
    """Weekly: tell the auditors how much unusual access the last week had."""
    report = reports.anomalies()
    auditors = get_user_model().objects.filter(role=Role.AUDITOR, is_active=True)
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
