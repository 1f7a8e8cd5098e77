from django.db import migrations


def forward(apps, schema_editor):
    # Before the key becomes (case, rule, due_on) without the recipient: keep the first reminder
    # of each key (a case reassigned between two sweeps could have had one per officer).
    Notification = apps.get_model("notifications", "Notification")
    seen = set()
    duplicates = []
    keyed = (
        Notification.objects.exclude(rule="")
        .filter(case__isnull=False, due_on__isnull=False)
        .order_by("pk")
        .values_list("pk", "case_id", "rule", "due_on")
    )
    for pk, case_id, rule, due_on in keyed.iterator(chunk_size=2000):
        key = (case_id, rule, due_on)
        if key in seen:
            duplicates.append(pk)
        else:
            seen.add(key)
    for start in range(0, len(duplicates), 500):
        Notification.objects.filter(pk__in=duplicates[start : start + 500]).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
