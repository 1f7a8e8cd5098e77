from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Attendee becomes InterviewAttendee; the COA role code spells out "case manager"."""

    dependencies = [
        ("interviews", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(old_name="Attendee", new_name="InterviewAttendee"),
        migrations.AlterField(
            model_name="interviewattendee",
            name="role",
            field=models.CharField(
                choices=[
                    ("officer", "Departure officer"),
                    ("coa_case_manager", "COA case manager"),
                    ("lawyer", "Lawyer"),
                    ("guardian", "Guardian (Nidos)"),
                    ("family", "Family member"),
                    ("other", "Other"),
                ],
                max_length=20,
                verbose_name="role",
            ),
        ),
    ]
