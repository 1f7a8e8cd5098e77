from django.db import migrations

# pg_trgm declares its word-similarity operator as cheap as an equality (cost 1), so for a
# common name the planner prefers computing it for every person over the trigram index
# (measured at 100,000 cases: 155 ms by sequential scan, 15 ms by the index). A cost that
# reflects the work makes it choose the index. Altering an extension's function needs its
# owner; a database user without that right keeps the default and gets a notice.
FORWARD = """
DO $$
BEGIN
    ALTER FUNCTION word_similarity_commutator_op(text, text) COST 100;
    ALTER FUNCTION word_similarity_op(text, text) COST 100;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'pg_trgm operator cost left at its default (not the owner)';
END $$;
"""
BACKWARD = """
DO $$
BEGIN
    ALTER FUNCTION word_similarity_commutator_op(text, text) COST 1;
    ALTER FUNCTION word_similarity_op(text, text) COST 1;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'pg_trgm operator cost left as it is (not the owner)';
END $$;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_absence_cover")]

    operations = [migrations.RunPython(forward, backward)]
