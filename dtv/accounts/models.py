import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dtv.accounts.roles import Role


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    lead = models.ForeignKey(
        "accounts.User",
        verbose_name=_("team lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_teams",
    )
    # The weighted caseload (dtv/reports/figures.py LOAD_WEIGHTS) an officer of this team is
    # expected to carry; the caseload page marks officers above it. Set per team by the
    # functional administrator; 40 is this application's starting value (a policy choice of
    # the service, not a published DT&V figure).
    caseload_norm = models.PositiveSmallIntegerField(
        _("caseload norm (weighted load per officer)"),
        default=40,
        validators=[MinValueValidator(1)],
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self):
        return self.name


class UserQuerySet(models.QuerySet):
    def officers(self):
        return self.filter(is_active=True, role__in=[Role.OFFICER, Role.TEAM_LEAD])


class AccountManager(UserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True


class User(AbstractUser):
    class EmailFrequency(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediately")
        DAILY = "daily", _("One daily digest")
        NEVER = "never", _("No e-mail, inbox only")

    Role = Role

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    email_frequency = models.CharField(
        _("e-mail notifications"),
        max_length=10,
        choices=EmailFrequency.choices,
        default=EmailFrequency.IMMEDIATE,
    )
    # The SHA-256 of the secret in the personal iCalendar feed's URL (never the secret itself:
    # a copy of the database must not open anyone's feed); rotating it revokes every old URL.
    calendar_token = models.CharField(max_length=64, blank=True, default="", db_index=True)

    objects = AccountManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def needs_two_factor(self) -> bool:
        from django.conf import settings

        # Every role, save the exceptions a deployment lists (check --deploy warns of each).
        return self.role not in settings.TWO_FACTOR_EXEMPT_ROLES

    @staticmethod
    def new_calendar_token() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def hash_calendar_token(token: str) -> str:
        # 256 random bits need no slow hash or salt: nobody can guess their way back.
        return hashlib.sha256(token.encode()).hexdigest()


def _register_audit():
    from auditlog.registry import auditlog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # Changes to accounts, teams and second factors are recorded; secrets never are.
    auditlog.register(User, exclude_fields=["password", "last_login", "calendar_token"])
    auditlog.register(Team)
    auditlog.register(
        TOTPDevice,
        exclude_fields=[
            "key",
            "last_t",
            "drift",
            "throttling_failure_timestamp",
            "throttling_failure_count",
            "last_used_at",
        ],
    )
    auditlog.register(
        StaticDevice,
        exclude_fields=["throttling_failure_timestamp", "throttling_failure_count", "last_used_at"],
    )


_register_audit()
