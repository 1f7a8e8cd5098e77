from auditlog.models import AbstractLogEntry, LogEntryManager
from django.db import connections, models
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from dtv.middleware import get_purpose


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit entries are append-only.")

    def delete(self):
        raise PermissionError("Audit entries are append-only.")

    def for_person(self, v_nummer: str):
        """Entries about the person, and the list pages and exports that showed them: those
        are one entry per page (object_pk "*") naming the page's V-numbers."""
        if not v_nummer:
            return self.none()
        if connections[self.db].vendor == "postgresql":
            listed = Q(additional_data__v_nummers__contains=[v_nummer])
            return self.filter(Q(v_nummer=v_nummer) | Q(object_pk="*") & listed)
        # SQLite has no JSON containment: the quoted V-number in the entry's JSON text (a
        # V-number is ten digits, so it cannot match inside another value's quotes).
        return self.annotate(_data_text=Cast("additional_data", models.TextField())).filter(
            Q(v_nummer=v_nummer) | Q(object_pk="*", _data_text__contains=f'"{v_nummer}"')
        )

    def views(self):
        return self.filter(action=AuditEntry.Action.ACCESS)


class AuditEntryManager(LogEntryManager.from_queryset(AuditEntryQuerySet)):
    pass


class AuditEntry(AbstractLogEntry):
    """One line of the access and change log (Logboek Dataverwerkingen): who, when, what, why.

    django-auditlog writes the change entries (with before and after values) through its model
    registry; `dtv.audit.services.record_access` writes the view, export and print entries.
    """

    class Kind(models.TextChoices):
        VIEW = "view", _("view")
        CREATE = "create", _("create")
        CHANGE = "change", _("change")
        DELETE = "delete", _("delete")
        EXPORT = "export", _("export")
        PRINT = "print", _("print")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, blank=True)
    purpose = models.CharField(_("purpose"), max_length=100, blank=True)
    v_nummer = models.CharField(_("V-number"), max_length=10, blank=True)

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        permissions = [("export_subject_data", "Can export a subject access report")]
        indexes = [
            # "Who has seen this person": the dossier access page and subject-access export.
            models.Index(fields=["v_nummer", "-timestamp"], name="audit_vnummer_time"),
            # The auditor's log filtered by user and period.
            models.Index(fields=["actor", "-timestamp"], name="audit_actor_time"),
        ]

    _ACTION_KINDS = {
        AbstractLogEntry.Action.CREATE: Kind.CREATE,
        AbstractLogEntry.Action.UPDATE: Kind.CHANGE,
        AbstractLogEntry.Action.DELETE: Kind.DELETE,
        AbstractLogEntry.Action.ACCESS: Kind.VIEW,
    }

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit entries are append-only.")
        # Fill the columns the library does not know from the request context and the
        # object's own additional data (its V-number).
        if not self.kind:
            self.kind = self._ACTION_KINDS.get(self.action, self.Kind.VIEW)
        if not self.purpose:
            self.purpose = get_purpose()[:100]
        if not self.v_nummer and isinstance(self.additional_data, dict):
            self.v_nummer = str(self.additional_data.get("v_nummer") or "")[:10]
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries are append-only.")
