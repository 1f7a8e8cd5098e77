from django.db import migrations

# django-auditlog's own LogEntry is swapped for audit.AuditEntry (AUDITLOG_LOGENTRY_MODEL), but
# its older migrations still create the table. Nothing writes to it, and as a swapped model
# Django's flush does not know it, so its foreign key to the user table would block truncation.


def forward(apps, schema_editor):
    tables = schema_editor.connection.introspection.table_names()
    if "auditlog_logentry" in tables:
        schema_editor.execute("DROP TABLE auditlog_logentry")


def backward(apps, schema_editor):
    # The table held nothing; it is not recreated.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_audit_entries_append_only"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(forward, backward)]
