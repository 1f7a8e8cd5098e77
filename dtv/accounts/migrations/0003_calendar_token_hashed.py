import hashlib

from django.db import migrations


def hash_tokens(apps, schema_editor):
    # Feed links made before keep working: their secret is replaced by its SHA-256.
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(calendar_token="").only("pk", "calendar_token"):
        digest = hashlib.sha256(user.calendar_token.encode()).hexdigest()
        User.objects.filter(pk=user.pk).update(calendar_token=digest)


def revoke_tokens(apps, schema_editor):
    # A hash cannot be turned back into its secret: going back revokes the links.
    apps.get_model("accounts", "User").objects.exclude(calendar_token="").update(calendar_token="")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_team_caseload_norm")]

    operations = [migrations.RunPython(hash_tokens, revoke_tokens)]
