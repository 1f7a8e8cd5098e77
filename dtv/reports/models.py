from django.db import models


class Reports(models.Model):
    """No table: the holder of the reports' permission (a permission needs a content type).
    dtv/reports/access.py checks it."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_reports", "Can read the reports and the caseload")]

    def __str__(self):
        return "reports"
