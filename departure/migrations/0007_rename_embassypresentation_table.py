"""The embassy presentations' table takes departure's name (a rename: every row stays)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("departure", "0006_move_embassypresentation"),
        ("interviews", "0007_embassypresentation_moves_to_departure"),
    ]

    operations = [
        migrations.AlterModelTable(name="embassypresentation", table=None),
    ]
