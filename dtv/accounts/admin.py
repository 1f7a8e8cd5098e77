from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from dtv.accounts import services
from dtv.accounts.models import Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "team", "is_active"]
    list_filter = ["role", "team", "is_active"]
    list_select_related = ["team"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Work"), {"fields": ["role", "team", "email_frequency"]}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Work"), {"fields": ["role", "team"]}),)

    actions = ["reset_two_factor"]

    @admin.action(description=_("Reset two-factor authentication (the user enrols again)"))
    def reset_two_factor(self, request, queryset):
        from dtv.accounts import two_factor

        for user in queryset:
            two_factor.reset(user)
        self.message_user(request, _("Two-factor authentication reset."))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The role decides the permission group; keep them in step.
        services.set_role(obj, obj.role)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "lead", "caseload_norm"]
    list_select_related = ["lead"]
