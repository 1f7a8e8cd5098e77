"""The partner directory now belongs to the directory app (directory 0001): the meetings' foreign
keys point there and the three models leave this app's state; their tables and rows stay.
The content types follow the models, and with them the permissions and the audit entries."""

import django.db.models.deletion
from django.db import migrations, models


MODELS = ("municipality", "organisation", "contact")


def move_content_types(apps, schema_editor):
    _relabel(apps, "partners", "directory")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, "directory", "partners")


def _relabel(apps, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('cases', '0016_directory_foreign_keys'),
        ('departure', '0008_directory_foreign_keys'),
        ('directory', '0001_directory_from_partners'),
        ('partners', '0004_agenda_item_shared_documents'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='meetingparticipant',
                    name='contact',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='directory.contact', verbose_name='contact'),
                ),
                migrations.AlterField(
                    model_name='meeting',
                    name='municipality',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='directory.municipality', verbose_name='municipality'),
                ),
                migrations.RemoveField(
                    model_name='organisation',
                    name='municipality',
                ),
                migrations.AlterField(
                    model_name='agendaitem',
                    name='nominated_by_organisation',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='directory.organisation', verbose_name='nominated by organisation'),
                ),
                migrations.AlterField(
                    model_name='actionitem',
                    name='owner_organisation',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='action_items', to='directory.organisation', verbose_name='owning organisation'),
                ),
                migrations.AlterField(
                    model_name='meetingparticipant',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='meeting_participations', to='directory.organisation', verbose_name='organisation'),
                ),
                migrations.DeleteModel(
                    name='Contact',
                ),
                migrations.DeleteModel(
                    name='Municipality',
                ),
                migrations.DeleteModel(
                    name='Organisation',
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
