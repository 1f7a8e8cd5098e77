from django.db import migrations

# Retention pseudonymises the entries of an anonymised person (docs/privacy.md): inside its
# own transaction it sets dtv.audit_pseudonymise, and then an UPDATE may change what an entry
# recorded about the person, never who did what, when and why. Deleting stays refused.
FORWARD = """
CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('dtv.audit_pseudonymise', true) = 'on'
       AND NEW.id = OLD.id
       AND NEW.timestamp = OLD.timestamp
       AND NEW.action = OLD.action
       AND NEW.kind = OLD.kind
       AND NEW.purpose = OLD.purpose
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.content_type_id = OLD.content_type_id
       AND NEW.object_pk = OLD.object_pk
       AND NEW.remote_addr IS NOT DISTINCT FROM OLD.remote_addr
       AND NEW.cid IS NOT DISTINCT FROM OLD.cid THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql;
"""
BACKWARD = """
CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_drop_unused_auditlog_table")]

    operations = [migrations.RunPython(forward, backward)]
