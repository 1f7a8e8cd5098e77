from django.db import models


class Reports(models.Model):
    """The holder of the reports' permission (a permission needs a model's content type);
    its table stays empty. dtv/reports/access.py checks the permission."""

    class Meta:
        default_permissions = ()
        permissions = [("view_reports", "Can read the reports and the caseload")]

    def __str__(self):
        return "reports"
