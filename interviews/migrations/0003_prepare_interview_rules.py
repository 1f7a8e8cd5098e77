from django.db import migrations, models


def forwards(apps, schema_editor):
    InterviewAttendee = apps.get_model("interviews", "InterviewAttendee")
    Interview = apps.get_model("interviews", "Interview")
    for row in InterviewAttendee._base_manager.filter(role="coa"):
        row.role = "coa_case_manager"
        row.save(update_fields=["role"])
    # A no-show needs the time of the missed appointment (next migration's constraint); the
    # moment it was logged is the best we know.
    for interview in Interview._base_manager.filter(planned_at=None, held_at=None):
        interview.held_at = interview.created_at
        interview.save(update_fields=["held_at"])
    # An interpreter without a name cannot be reported; it is recorded as no interpreter.
    for interview in Interview._base_manager.filter(interpreter_name="").exclude(
        interpreter_presence=""
    ):
        interview.interpreter_presence = ""
        interview.save(update_fields=["interpreter_presence"])
    # An answer is not dated before the presentation.
    EmbassyPresentation = apps.get_model("interviews", "EmbassyPresentation")
    for presentation in EmbassyPresentation._base_manager.filter(
        answered_on__lt=models.F("presented_on")
    ):
        presentation.answered_on = presentation.presented_on
        presentation.save(update_fields=["answered_on"])


def backwards(apps, schema_editor):
    InterviewAttendee = apps.get_model("interviews", "InterviewAttendee")
    for row in InterviewAttendee._base_manager.filter(role="coa_case_manager"):
        row.role = "coa"
        row.save(update_fields=["role"])


class Migration(migrations.Migration):
    """Data for the next migration's rules: the renamed COA role code, a time for every
    no-show, a named interpreter, an answer dated after its presentation."""

    dependencies = [("interviews", "0002_rename_attendee")]

    operations = [migrations.RunPython(forwards, backwards)]
