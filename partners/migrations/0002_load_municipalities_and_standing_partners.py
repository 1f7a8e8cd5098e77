import csv
from datetime import date
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "gemeenten.csv"

# Organisations every installation works with, so a fresh install is usable.
STANDING_PARTNERS = [
    ("dtv", "DTenV"),
    ("ind", "Immigratie- en Naturalisatiedienst (IND)"),
    ("kmar", "Koninklijke Marechaussee"),
    ("iom", "IOM Nederland"),
    ("vwn", "VluchtelingenWerk Nederland"),
    ("guardian", "Nidos"),
    ("coa", "COA Ter Apel"),
    ("coa", "COA VBL Ter Apel"),
    ("court", "Rechtbank Den Haag"),
    ("court", "Raad van State"),
]


def load(apps, schema_editor):
    municipality_model = apps.get_model("partners", "Municipality")
    organisation_model = apps.get_model("partners", "Organisation")
    with DATA.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            municipality_model.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "province": row["province"],
                    "valid_from": date(2025, 1, 1),
                },
            )
    for kind, name in STANDING_PARTNERS:
        organisation_model.objects.get_or_create(kind=kind, name=name)


def unload(apps, schema_editor):
    organisation_model = apps.get_model("partners", "Organisation")
    for kind, name in STANDING_PARTNERS:
        organisation_model.objects.filter(kind=kind, name=name, cases__isnull=True).delete()
    apps.get_model("partners", "Municipality").objects.filter(cases__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial"), ("cases", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
