from django.contrib import admin

from dtv.audit.models import AuditEntry


class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: nobody edits or deletes the audit log, through the admin or otherwise."""

    list_display = ["timestamp", "actor", "kind", "object_repr", "v_nummer", "purpose"]
    list_filter = ["kind"]
    search_fields = ["v_nummer", "object_repr"]
    list_select_related = ["actor", "content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# django-auditlog registers its own (editable) admin for the entry model; replace it.
if admin.site.is_registered(AuditEntry):
    admin.site.unregister(AuditEntry)
admin.site.register(AuditEntry, AuditEntryAdmin)
