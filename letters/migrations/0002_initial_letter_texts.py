"""Version 1 of every letter text in Dutch, English, French and Arabic (letters/texts.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from letters import texts

    texts.load(apps.get_model("letters", "LetterText"))


def unload(apps, schema_editor):
    from letters.texts import INITIAL_TEXTS

    LetterText = apps.get_model("letters", "LetterText")
    for (kind, language), (subject, body) in INITIAL_TEXTS.items():
        LetterText.objects.filter(
            kind=kind, language=language, version=1, subject=subject, body=body
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_letters_and_texts")]

    operations = [migrations.RunPython(load, unload)]
