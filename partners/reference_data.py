"""Reference data every installation needs: the Dutch municipalities with their CBS codes
(division of 1 January 2025, unchanged in 2026) and the standing partner organisations.

Used by the data migration (with historical models) and by seed_demo (which restores it in a
database that was emptied)."""

import csv
from datetime import date
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "gemeenten.csv"
DIVISION_VALID_FROM = date(2025, 1, 1)

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


def load(municipality_model, organisation_model) -> None:
    with DATA.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if not municipality_model.objects.exists():
        # A new (or emptied) database: the whole division in one statement.
        municipality_model.objects.bulk_create(
            municipality_model(
                code=row["code"],
                name=row["name"],
                province=row["province"],
                valid_from=DIVISION_VALID_FROM,
            )
            for row in rows
        )
    else:
        for row in rows:
            municipality_model.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "province": row["province"],
                    "valid_from": DIVISION_VALID_FROM,
                },
            )
    for kind, name in STANDING_PARTNERS:
        organisation_model.objects.get_or_create(kind=kind, name=name)
