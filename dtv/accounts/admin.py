from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dtv.accounts import services, two_factor
from dtv.accounts.models import Team, User
from dtv.accounts.roles import Role


def may_manage(actor, user) -> bool:
    """A functional administrator manages accounts, but not the accounts that oversee or run
    the system: superusers and auditors are managed by a superuser only (issue 24.2)."""
    if actor.is_superuser:
        return True
    return not (user.is_superuser or user.role == Role.AUDITOR)


class RoleRulesMixin:
    """The rules on roles that no form of the admin may bypass: nobody changes their own
    role, and only a superuser appoints an auditor."""

    actor = None

    def clean_role(self):
        role = self.cleaned_data["role"]
        actor = self.actor
        current = self.instance.role if self.instance.pk else None
        if actor is None or role == current:
            return role
        if self.instance.pk == actor.pk:
            raise ValidationError(_("You cannot change your own role."))
        if role == Role.AUDITOR and not actor.is_superuser:
            raise ValidationError(_("Only a superuser can make someone an auditor."))
        return role


class AccountChangeForm(RoleRulesMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "team", "is_active"]


class AccountCreationForm(RoleRulesMixin, BaseUserAdmin.add_form):
    class Meta(BaseUserAdmin.add_form.Meta):
        model = User
        fields = ["username"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts for the functional administrator: names, e-mail, role, team, active. No
    superuser or staff flags, groups or single permissions (the role decides those), no
    password of another person (they reset it themselves), and no second-factor secrets."""

    form = AccountChangeForm
    add_form = AccountCreationForm
    list_display = ["username", "first_name", "last_name", "role", "team", "is_active"]
    list_filter = ["role", "team", "is_active"]
    list_select_related = ["team"]
    search_fields = ["username", "first_name", "last_name", "email"]
    filter_horizontal = []
    fieldsets = (
        (None, {"fields": ["username"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Work"), {"fields": ["role", "team", "email_frequency", "is_active"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    )
    readonly_fields = ["last_login", "date_joined"]
    add_fieldsets = (
        (None, {"classes": ["wide"], "fields": ["username", "password1", "password2"]}),
        (_("Work"), {"fields": ["first_name", "last_name", "email", "role", "team"]}),
    )

    actions = ["reset_two_factor"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form

    def has_change_permission(self, request, obj=None):
        if obj is not None and not may_manage(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        # Setting another person's password would let the administrator log in as them.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    @admin.action(description=_("Reset two-factor authentication (the user enrols again)"))
    def reset_two_factor(self, request, queryset):
        done = 0
        for user in queryset:
            if not may_manage(request.user, user):
                continue
            try:
                two_factor.reset(user, actor=request.user)
            except ValidationError as error:
                self.message_user(request, error.messages[0], level=messages.ERROR)
            else:
                done += 1
        self.message_user(
            request,
            ngettext(
                "Two-factor authentication reset for %(count)d account.",
                "Two-factor authentication reset for %(count)d accounts.",
                done,
            )
            % {"count": done},
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The role decides the permission group and the staff flag; keep them in step.
        services.set_role(obj, obj.role)


class TeamLeadFilter(admin.SimpleListFilter):
    title = _("team lead")
    parameter_name = "has_lead"

    def lookups(self, request, model_admin):
        return [("no", _("Team without a team lead")), ("yes", _("With a team lead"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(lead__isnull=True)
        if self.value() == "yes":
            return queryset.filter(lead__isnull=False)
        return queryset


LEADLESS_WARNING = _(
    "Team without a team lead: %(teams)s. Reminders for its cases without an officer, and "
    "escalations, go to the functional administrator until a team lead is appointed."
)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "lead", "lead_warning", "caseload_norm"]
    list_select_related = ["lead"]
    list_filter = [TeamLeadFilter]

    @admin.display(description=_("warning"))
    def lead_warning(self, team):
        return "" if team.lead_id else _("Team without a team lead")

    def changelist_view(self, request, extra_context=None):
        leadless = list(Team.objects.filter(lead__isnull=True).values_list("name", flat=True))
        if leadless and request.method == "GET":
            messages.warning(request, LEADLESS_WARNING % {"teams": ", ".join(leadless)})
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        team = (
            Team.objects.filter(pk=object_id).only("name", "lead").first()
            if (str(object_id).isdigit())
            else None
        )
        if team is not None and team.lead_id is None and request.method == "GET":
            messages.warning(request, LEADLESS_WARNING % {"teams": team.name})
        return super().change_view(request, object_id, form_url, extra_context)


def _hide_second_factor_secrets():
    """django-otp's device admins show TOTP keys and backup codes: to nobody (issue 24.2)."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_hide_second_factor_secrets()
