"""The embassy presentation moves from interviews to departure (it serves a travel-document
request). State only: the table and its rows stay where they are; the content type (and with
it the permissions and the audit entries that point at it) follows the model. The table is
renamed in 0006, once interviews has let go of the model."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    _relabel(apps, "interviews", "departure")


def move_content_type_back(apps, schema_editor):
    _relabel(apps, "departure", "interviews")


def _relabel(apps, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="embassypresentation").exists():
        ContentType.objects.filter(app_label=old, model="embassypresentation").update(
            app_label=new
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_person_hardship_signal"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("departure", "0005_traveldocumentrequest_documents"),
        ("interviews", "0006_interview_documents"),
        ("partners", "0003_meetings_agendas_action_items"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="EmbassyPresentation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("presented_on", models.DateField(verbose_name="date")),
                        (
                            "mode",
                            models.CharField(
                                choices=[
                                    ("in_person", "In person"),
                                    ("phone", "By phone"),
                                    ("written", "In writing"),
                                ],
                                default="in_person",
                                max_length=10,
                                verbose_name="mode",
                            ),
                        ),
                        (
                            "accompanied_by",
                            models.CharField(
                                blank=True, max_length=300, verbose_name="accompanied by"
                            ),
                        ),
                        (
                            "answer",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("", "No reply yet"),
                                    ("recognised", "Recognised as national"),
                                    ("non_statement", "Non-statement"),
                                    ("insufficient_info", "Insufficient information"),
                                    ("border_handover", "Hand-over at the border"),
                                ],
                                max_length=20,
                                verbose_name="embassy's answer",
                            ),
                        ),
                        (
                            "answered_on",
                            models.DateField(blank=True, null=True, verbose_name="answered on"),
                        ),
                        ("feedback", models.TextField(blank=True, verbose_name="feedback")),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="presentations",
                                to="cases.case",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "embassy",
                            models.ForeignKey(
                                limit_choices_to={"kind": "embassy"},
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="partners.organisation",
                                verbose_name="embassy or consulate",
                            ),
                        ),
                        (
                            "travel_document_request",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="presentations",
                                to="departure.traveldocumentrequest",
                                verbose_name="travel-document request",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "embassy presentation",
                        "verbose_name_plural": "embassy presentations",
                        "ordering": ["-presented_on"],
                        "db_table": "interviews_embassypresentation",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("answer", ""), ("answered_on__isnull", True)),
                                    models.Q(
                                        models.Q(("answer", ""), _negated=True),
                                        ("answered_on__isnull", False),
                                    ),
                                    _connector="OR",
                                ),
                                name="presentation_answer_dated",
                                violation_error_message=(
                                    "An answer needs its date, and a date needs an answer."
                                ),
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("answered_on__isnull", True),
                                    ("answered_on__gte", models.F("presented_on")),
                                    _connector="OR",
                                ),
                                name="presentation_answered_after",
                                violation_error_message=(
                                    "The answer cannot be dated before the presentation."
                                ),
                            ),
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
