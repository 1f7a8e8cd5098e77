from django.db import models


class AuditedQuerySet(models.QuerySet):
    """Bulk updates and deletes would bypass the audit log, so audited models refuse them.
    Change rows one at a time through the services, where each change is recorded. Generic
    over models: every app's audited models use it (or a QuerySet derived from it)."""

    def update(self, **kwargs):
        raise PermissionError(
            f"{self.model.__name__} is audited: change rows through its service, not update()."
        )

    def delete(self):
        raise PermissionError(
            f"{self.model.__name__} is audited: delete rows through its service, not delete()."
        )

    def bulk_update(self, objs, fields, batch_size=None):
        raise PermissionError(f"{self.model.__name__} is audited: bulk_update() is not allowed.")
