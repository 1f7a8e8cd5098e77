"""A checked import awaiting confirmation, for the functional administrator's import page:
new rows, a possible duplicate of a registered person and a refused row. Idempotent."""

import hashlib

from cases import imports
from cases.models import Case, CaseImport, Person

FILE_NAME = "overdracht-ind-demo.csv"


def seed(ctx) -> None:
    if CaseImport.objects.filter(file_name=FILE_NAME).exists():
        ctx.say("import: the demo import is there already")
        return
    registered = Person.objects.filter(birth_date__isnull=False).order_by("pk").first()
    rows = [
        "2700000001;Benali;Youssef;14-03-1990;MA;IND;02-11-2026;28;GM0363",
        "2700000002;Haddad;Lina;01-07-1988;SY;Politie;15-10-2026;0;Utrecht",
        "2700000003;Okafor;Chidi;;NG;KMar;;28;",
        # A V-number with a letter: refused, with its reason.
        "27000000A4;Yilmaz;Emre;03-05-1995;TR;IND;01-11-2026;28;GM0599",
    ]
    if registered is not None:
        # The same name and date of birth as a registered person, another V-number.
        rows.append(
            f"2700000005;{registered.family_name};{registered.given_names};"
            f"{registered.birth_date:%d-%m-%Y};MA;IND;01-11-2026;28;GM0363"
        )
    content = (";".join(imports.HEADERS) + "\n" + "\n".join(rows) + "\n").encode()
    batch = CaseImport.objects.create(
        uploaded_by=ctx.users["admin"],
        team=ctx.teams["Noord"],
        category=Case.Category.ASYLUM,
        file_name=FILE_NAME,
        file_format="csv",
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        rows_total=len(rows),
    )
    imports.check_import(batch)
    ctx.say(f"import: {batch.reference} checked, awaiting confirmation")
