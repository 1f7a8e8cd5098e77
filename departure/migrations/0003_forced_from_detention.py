from django.db import migrations


def forward(apps, schema_editor):
    # The boolean "from detention" becomes "removed from: detention centre" on forced departures.
    Departure = apps.get_model("departure", "Departure")
    for departure in Departure._base_manager.filter(type="forced", from_detention=True):
        departure.forced_from = "detention"
        departure.save(update_fields=["forced_from"])


def backward(apps, schema_editor):
    Departure = apps.get_model("departure", "Departure")
    for departure in Departure._base_manager.filter(forced_from="detention"):
        departure.from_detention = True
        departure.save(update_fields=["from_detention"])


class Migration(migrations.Migration):
    dependencies = [("departure", "0002_measure_facts_and_constraints")]

    operations = [migrations.RunPython(forward, backward)]
