from django.db import migrations

# Misspelt-name search uses trigram similarity on PostgreSQL; SQLite (the quick-start) falls
# back to a plain contains match and needs neither the extension nor the index.
FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS person_search_name_trgm ON cases_person "
    "USING gin (search_name gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS person_search_name_trgm"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
