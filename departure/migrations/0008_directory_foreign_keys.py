"""The embassies of travel-document requests and presentations are the directory app's
organisations now (state only: the same table, the same foreign keys)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('departure', '0007_rename_embassypresentation_table'),
        ('directory', '0001_directory_from_partners'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='embassypresentation',
                    name='embassy',
                    field=models.ForeignKey(limit_choices_to={'kind': 'embassy'}, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.organisation', verbose_name='embassy or consulate'),
                ),
                migrations.AlterField(
                    model_name='traveldocumentrequest',
                    name='embassy',
                    field=models.ForeignKey(blank=True, limit_choices_to={'kind': 'embassy'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.organisation', verbose_name='embassy or consulate'),
                ),
            ],
        ),
    ]
