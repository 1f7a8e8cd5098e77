"""The partner directory: municipalities (CBS codes with validity dates), the partner
organisations and their contacts. A low floor: cases, departure and the LTO meetings refer to
it; it refers to none of them. The tables keep their first names (partners_*): the models moved
here from partners without moving a row."""

from auditlog.registry import auditlog
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

gemeente_code_validator = RegexValidator(
    r"^GM[0-9]{4}$", _("A municipality code is GM followed by four digits, e.g. GM0363.")
)


class Municipality(models.Model):
    """A Dutch municipality in the CBS division of a given year (codes change with mergers)."""

    code = models.CharField(
        _("CBS code"), max_length=6, unique=True, validators=[gemeente_code_validator]
    )
    name = models.CharField(_("name"), max_length=100)
    province = models.CharField(_("province"), max_length=50)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        db_table = "partners_municipality"
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            # The CBS code format: GM + four digits.
            models.CheckConstraint(
                condition=Q(code__regex=r"^GM[0-9]{4}$"), name="municipality_code_format"
            ),
        ]

    def __str__(self):
        return self.name


class OrganisationQuerySet(models.QuerySet):
    def embassies(self):
        return self.filter(kind=Organisation.Kind.EMBASSY)

    def reception_locations(self):
        return self.filter(kind=Organisation.Kind.COA)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        DTV = "dtv", _("DTenV")
        AVIM = "avim", _("Aliens police (AVIM)")
        MUNICIPALITY = "municipality", _("Municipality")
        COA = "coa", _("COA location")
        IOM = "iom", _("IOM")
        VWN = "vwn", _("VluchtelingenWerk")
        EMBASSY = "embassy", _("Embassy or consulate")
        COURT = "court", _("Court")
        KMAR = "kmar", _("Royal Marechaussee (KMar)")
        IND = "ind", _("IND")
        GUARDIAN = "guardian", _("Guardian (Nidos)")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    country = models.CharField(_("country (ISO 3166-1)"), max_length=2, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        db_table = "partners_organisation"
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            # An embassy or consulate always names the country it represents.
            models.CheckConstraint(
                condition=~Q(kind="embassy") | ~Q(country=""), name="embassy_has_country"
            ),
            models.UniqueConstraint(fields=["kind", "name"], name="organisation_unique_name"),
        ]

    def __str__(self):
        return self.name


class Contact(models.Model):
    """A person at a partner organisation; a partner participant's login is linked here."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partner_contact",
    )

    class Meta:
        db_table = "partners_contact"
        ordering = ["name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return f"{self.name} ({self.organisation})"


auditlog.register(Organisation)
auditlog.register(Contact)
