from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import reference
from cases.models import Case


class Kind(models.TextChoices):
    INVITATION = "invitation", _("Invitation to a departure interview")
    AGREEMENTS = "agreements", _("Confirmation of the agreements made in an interview")
    OBLIGATION = "obligation", _("The departure obligation and its term")


# The letter languages by ISO 639-3 code (the code persons' languages are recorded in), with
# the Django language that writes their dates and the direction of their script.
DUTCH, ENGLISH = "nld", "eng"
DJANGO_LANGUAGE = {"nld": "nl", "eng": "en", "fra": "fr", "ara": "ar", "deu": "de", "spa": "es"}
# Spoken varieties whose written language is another: a person who speaks Moroccan or
# Levantine Arabic reads a letter in (Modern Standard) Arabic.
ARABIC_VARIETIES = (
    "arb",
    "ary",
    "apc",
    "arz",
    "acm",
    "afb",
    "ajp",
    "aeb",
    "arq",
    "apd",
    "acw",
    "ayl",
    "ayp",
    "shu",
    "acx",
    "ayn",
    "aao",
    "abv",
    "avl",
    "ssh",
    "pga",
    "ars",
    "adf",
    "ayh",
    "acq",
    "auz",
)
WRITTEN_AS = dict.fromkeys(ARABIC_VARIETIES, "ara")


def written_language(code: str) -> str:
    """The language a letter for a speaker of `code` is written in."""
    return WRITTEN_AS.get(code, code)


RIGHT_TO_LEFT = frozenset({"ara", "fas", "prs", "pbu", "pus", "urd", "ckb", "heb", "uig", "apc"})


class LetterTextQuerySet(models.QuerySet):
    def current(self):
        """The newest version of each (kind, language): the text letters are made from."""
        newer = LetterText.objects.filter(
            kind=models.OuterRef("kind"),
            language=models.OuterRef("language"),
            version__gt=models.OuterRef("version"),
        )
        return self.filter(~models.Exists(newer))


class LetterText(models.Model):
    """One version of the text of a kind of letter in one language. Versions are never
    changed: editing a text adds the next version, and a generated letter names the version
    it was made from."""

    kind = models.CharField(_("kind of letter"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language (ISO 639-3)"), max_length=3)
    version = models.PositiveIntegerField(_("version"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = LetterTextQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "language", "-version"]
        verbose_name = _("letter text")
        verbose_name_plural = _("letter texts")
        constraints = [
            # One row per version of a kind's text in a language; versions count from 1.
            models.UniqueConstraint(
                fields=["kind", "language", "version"], name="lettertext_one_per_version"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="lettertext_version_from_1"),
            # A letter has a subject and a text.
            models.CheckConstraint(
                condition=~Q(subject="") & ~Q(body=""), name="lettertext_not_empty"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.language} · v{self.version}"

    @property
    def is_right_to_left(self) -> bool:
        return self.language in RIGHT_TO_LEFT

    @property
    def language_name(self) -> str:
        return reference.language_name(self.language)


class GeneratedLetter(models.Model):
    """A letter made for a case: which texts (versions) it was made from, for which interview,
    by whom and when. The PDF itself is a document of the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("kind of letter"), max_length=20, choices=Kind.choices)
    # The language asked for; the texts say what the letter was written in (a language
    # without a text gives a Dutch letter with the English translation).
    language = models.CharField(_("language (ISO 639-3)"), max_length=3)
    text = models.ForeignKey(LetterText, on_delete=models.PROTECT, related_name="+")
    translation = models.ForeignKey(
        LetterText, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    interview = models.ForeignKey(
        "interviews.Interview", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    # The PDF, kept as a document of the case (type correspondence).
    document_version = models.ForeignKey(
        "documents.DocumentVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("generated letter")
        verbose_name_plural = _("generated letters")
        indexes = [
            # The letters block on the case page: a case's letters, newest first.
            models.Index(fields=["case", "-created_at"], name="letter_case_created"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.case.reference}"

    def get_additional_data(self):
        return {"v_nummer": self.case.person.v_nummer, "reference": self.case.reference}

    @property
    def is_bilingual(self) -> bool:
        return self.translation_id is not None


auditlog.register(LetterText)
auditlog.register(GeneratedLetter)
