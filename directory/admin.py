"""The partner directory is kept by functional administrators in the admin (/beheer/);
officers read it on the partners pages. Meetings are not edited in the admin: their changes go
through partners/services.py."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from directory.models import Contact, Municipality, Organisation


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 1
    fields = ["name", "role", "phone", "email", "user"]
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "country", "phone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "municipality__name", "municipality__code"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
    inlines = [ContactInline]
    fieldsets = [
        (None, {"fields": ["kind", "name", "is_active"]}),
        (_("Where"), {"fields": ["municipality", "country", "address"]}),
        (_("Reach"), {"fields": ["phone", "email"]}),
    ]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "role", "phone", "email", "user"]
    list_filter = ["organisation__kind"]
    search_fields = ["name", "email", "organisation__name"]
    list_select_related = ["organisation", "user"]
    autocomplete_fields = ["organisation", "user"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    """The CBS list is loaded by a migration; the admin shows it and records mergers."""

    list_display = ["code", "name", "province", "valid_from", "valid_to"]
    list_filter = ["province"]
    search_fields = ["code", "name"]
