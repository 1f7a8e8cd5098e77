"""The embassy presentation now belongs to departure (departure 0005): the model leaves this
app's state; its table and rows stay and are departure's from now on."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("departure", "0006_move_embassypresentation"),
        ("interviews", "0006_interview_documents"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="EmbassyPresentation")],
        ),
    ]
