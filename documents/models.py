"""Documents in a case's dossier and the versions of their files.

The file itself lives in the "documents" storage (documents/storage.py) under a generated key;
the rows say what it is, who brought it in, what its bytes are (type detected from the bytes,
size, SHA-256) and whether the virus scanner released it. Apps above this one link to a
document with a foreign key or many-to-many on their own models (an interview's documents, a
travel-document request's, an agenda item's): this app names none of them."""

import secrets

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents import access


def new_document_reference() -> str:
    # Not guessable and not sequential: the reference appears in URLs.
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "DOC-" + "".join(secrets.choice(alphabet) for _ in range(10))


def new_storage_key() -> str:
    # The file's name in the storage: random, so that nothing of the uploader's file name
    # (path parts, control characters, a person's name) ever reaches the storage.
    token = secrets.token_hex(16)
    return f"documents/{token[:2]}/{token[2:4]}/{token}"


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user, *, now=None):
        """The one place that decides which documents a user may see: documents/access.py.
        Versions that the scanner has not released are filtered per version
        (DocumentVersionQuerySet.visible_to)."""
        return access.visible_documents(self, user, now=now)

    def with_released_version(self):
        """Documents with at least one version the scanner released (what others may see)."""
        released = DocumentVersion.objects.filter(
            document=OuterRef("pk"), scan_state=DocumentVersion.ScanState.CLEAN
        )
        return self.filter(Exists(released))


class Document(models.Model):
    class Type(models.TextChoices):
        DECISION = "decision", _("Decision")
        RULING = "ruling", _("Court ruling")
        IDENTITY = "identity", _("Identity document")
        TRAVEL = "travel", _("Travel document or laissez-passer")
        MEDICAL = "medical", _("Medical")
        IOM = "iom", _("IOM")
        CORRESPONDENCE = "correspondence", _("Correspondence")
        OTHER = "other", _("Other")

    reference = models.CharField(
        _("reference"), max_length=14, unique=True, default=new_document_reference, editable=False
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="documents"
    )
    doc_type = models.CharField(_("document type"), max_length=20, choices=Type.choices)
    document_date = models.DateField(_("date of the document"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    # An obstacle this document is about (the obstacle's page links here). Interviews,
    # travel-document requests and agenda items link from their own side.
    obstacle = models.ForeignKey(
        "cases.Obstacle",
        verbose_name=_("obstacle"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    # Where a generated document came from (e.g. the letter text and its version).
    source_note = models.CharField(_("source"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-document_date", "-created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        permissions = [("share_document", "Can share a document with an LTO agenda item")]
        indexes = [
            # The case page's document list: a case's documents, newest first.
            models.Index(fields=["case", "-document_date"], name="document_case_date"),
        ]

    def __str__(self):
        return f"{self.get_doc_type_display()} {self.document_date:%d-%m-%Y}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("documents:detail", args=[self.reference])

    def get_additional_data(self):
        # Audit entries carry the data subject (Logboek Dataverwerkingen).
        return {
            "v_nummer": self.case.person.v_nummer,
            "reference": self.case.reference,
            "document": self.reference,
        }

    @property
    def is_medical(self) -> bool:
        return self.doc_type == self.Type.MEDICAL


class DocumentVersionQuerySet(models.QuerySet):
    def released(self):
        return self.filter(scan_state=DocumentVersion.ScanState.CLEAN)

    def visible_to(self, user):
        """Versions of the documents the user may see: released ones, and the user's own
        uploads still waiting for a scan (so they can see that it waits). An infected file is
        never stored, so never shown."""
        return self.filter(document__in=Document.objects.visible_to(user)).shown_to(user)

    def shown_to(self, user):
        """The rule per version of visible_to(), for versions of documents already taken
        from Document.objects.visible_to(user) (a prefetch of their versions)."""
        own_pending = Q(scan_state=DocumentVersion.ScanState.PENDING, uploaded_by_id=user.pk)
        return self.filter(Q(scan_state=DocumentVersion.ScanState.CLEAN) | own_pending)


class DocumentVersion(models.Model):
    class ScanState(models.TextChoices):
        PENDING = "pending", _("Waiting for virus scan")
        CLEAN = "clean", _("Scanned, no virus found")
        INFECTED = "infected", _("Virus found, file removed")

    class Origin(models.TextChoices):
        UPLOAD = "upload", _("Uploaded")
        # Made by the application itself (a letter): released without a scan, see
        # documents.services.store_generated.
        GENERATED = "generated", _("Generated by the system")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    storage_key = models.CharField(
        max_length=100, unique=True, default=new_storage_key, editable=False
    )
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.UPLOAD
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    scan_state = models.CharField(
        _("scan"), max_length=10, choices=ScanState.choices, default=ScanState.PENDING
    )
    scanned_at = models.DateTimeField(_("scanned at"), null=True, blank=True)
    scan_attempts = models.PositiveSmallIntegerField(default=0)
    # The scanner's finding (a signature name) for an infected file.
    scan_result = models.CharField(_("scan result"), max_length=200, blank=True)
    # Set when the file was removed from the storage (infected, anonymised, retention).
    file_deleted_at = models.DateTimeField(null=True, blank=True)

    objects = DocumentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            # A document's versions are numbered 1, 2, 3 ... once each.
            models.UniqueConstraint(fields=["document", "number"], name="document_version_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="document_version_from_one"),
            # A stored file has bytes: an empty upload is refused before it is stored.
            models.CheckConstraint(condition=Q(size__gt=0), name="document_version_not_empty"),
            # Released or refused carries the moment of the scan (a generated file is released
            # by origin, at the moment it was made).
            models.CheckConstraint(
                condition=Q(scan_state="pending") | Q(scanned_at__isnull=False),
                name="document_version_scanned_has_time",
            ),
        ]
        indexes = [
            # The rescan task: versions still waiting for the scanner, oldest first.
            models.Index(
                fields=["uploaded_at"],
                condition=Q(scan_state="pending"),
                name="document_version_pending",
            ),
        ]

    def __str__(self):
        return f"{self.document} v{self.number}"

    def get_additional_data(self):
        return self.document.get_additional_data() | {"version": self.number}

    @property
    def is_released(self) -> bool:
        return self.scan_state == self.ScanState.CLEAN

    @property
    def previewable(self) -> bool:
        # What a browser shows safely inline in a sandboxed frame.
        return self.content_type in ("application/pdf", "image/jpeg", "image/png")


# Changes to these models are recorded with before and after values (django-auditlog).
auditlog.register(Document)
auditlog.register(DocumentVersion)
