"""The case's municipality, reception location and obstacle owner point at the directory app's
models now (state only: the same tables, the same foreign keys in the database)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0015_case_transfer'),
        ('directory', '0001_directory_from_partners'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='case',
                    name='municipality',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='directory.municipality', verbose_name='municipality'),
                ),
                migrations.AlterField(
                    model_name='case',
                    name='reception_location',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='directory.organisation', verbose_name='reception location'),
                ),
                migrations.AlterField(
                    model_name='casetransfer',
                    name='to_municipality',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.municipality', verbose_name='new municipality'),
                ),
                migrations.AlterField(
                    model_name='casetransfer',
                    name='to_reception_location',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.organisation', verbose_name='new reception location'),
                ),
                migrations.AlterField(
                    model_name='obstacle',
                    name='owner_organisation',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='obstacles', to='directory.organisation', verbose_name='owner'),
                ),
            ],
        ),
    ]
