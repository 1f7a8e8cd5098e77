from django.db import migrations

from partners import reference_data


def load(apps, schema_editor):
    reference_data.load(
        apps.get_model("partners", "Municipality"), apps.get_model("partners", "Organisation")
    )


def unload(apps, schema_editor):
    organisation_model = apps.get_model("partners", "Organisation")
    for kind, name in reference_data.STANDING_PARTNERS:
        organisation_model.objects.filter(kind=kind, name=name, cases__isnull=True).delete()
    apps.get_model("partners", "Municipality").objects.filter(cases__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial"), ("cases", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
