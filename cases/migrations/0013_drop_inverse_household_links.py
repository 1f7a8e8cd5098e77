from django.db import migrations


def drop_inverse_links(apps, schema_editor):
    # A pair linked both ways (A partner of B and B partner of A) keeps its first link: the
    # inverse is derived from now on, and the next migration allows one link per pair.
    HouseholdLink = apps.get_model("cases", "HouseholdLink")
    seen = set()
    for link in HouseholdLink.objects.order_by("pk"):
        pair = frozenset((link.person_id, link.relative_id))
        if pair in seen:
            # One row at a time through the model: the historical manager is not audited.
            link.delete()
        else:
            seen.add(pair)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_border_and_transfer_facts"),
    ]

    operations = [
        migrations.RunPython(drop_inverse_links, migrations.RunPython.noop),
    ]
