"""The import of cases at 10,000 rows: the check (dry run) and the import, each timed, then the
same file checked again (it must change nothing). Prints one JSON line of figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dtv_bench DEBUG=1 \\
        .venv/bin/python bench/import_cases.py [rows]

It migrates the database it is given and adds its rows there (V-numbers of a prefix of its
own), so point it at a scratch database. The target (issue 21): 10,000 rows
previewed and imported in under a minute."""

import json
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000


def build_file(rows: int, prefix: str) -> bytes:
    from cases.imports import HEADERS
    from partners.models import Municipality

    rng = random.Random(21)  # noqa: S311 - test data
    codes = list(Municipality.objects.values_list("code", flat=True)[:300])
    names = ["Benali", "Haddad", "Okafor", "Yilmaz", "Mansour", "Popescu", "Diallo", "Kovac"]
    given = ["Youssef", "Lina", "Chidi", "Emre", "Amina", "Ion", "Fatou", "Marko", "Sara"]
    countries = ["MA", "DZ", "SY", "TR", "NG", "MD", "IQ", "ER", "AF", "GE"]
    sources = ["IND"] * 7 + ["Politie"] * 2 + ["KMar", "Overig"]
    lines = [";".join(HEADERS)]
    for n in range(rows):
        born = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 45))
        decided = date(2026, 1, 1) + timedelta(days=rng.randrange(300))
        lines.append(
            ";".join(
                [
                    f"{prefix}{n:07d}",
                    rng.choice(names),
                    rng.choice(given),
                    born.strftime("%d-%m-%Y"),
                    rng.choice(countries),
                    rng.choice(sources),
                    decided.strftime("%d-%m-%Y"),
                    rng.choice(["28", "28", "28", "0"]),
                    rng.choice(codes),
                ]
            )
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def main():
    from cases import imports
    from cases.models import CaseImport
    from dtv.accounts.models import Team, User
    from dtv.accounts.roles import Role
    from dtv.accounts.services import set_role

    call_command("migrate", verbosity=0)
    team, _created = Team.objects.get_or_create(name="Bench import")
    admin, _created = User.objects.get_or_create(username="bench-import")
    # The import checks the permission, which the role's group carries.
    set_role(admin, Role.ADMIN)
    # V-numbers of this run only (the audit log is append-only, so a run removes nothing).
    prefix = f"{int(time.time()) % 900 + 100:03d}"
    content = build_file(ROWS, prefix)
    figures = {
        "rows": ROWS,
        "bytes": len(content),
        "database": connection.vendor,
        # The machine's load: on a shared machine the wall times grow with it; the process's
        # own CPU time below does not.
        "load_before": round(os.getloadavg()[0], 1),
    }
    cpu_started = time.process_time()

    def upload():
        batch = CaseImport.objects.create(
            uploaded_by=admin,
            team=team,
            category="asylum",
            file_name="bench.csv",
            file_format="csv",
            content=content,
            sha256=__import__("hashlib").sha256(content).hexdigest(),
            rows_total=ROWS,
        )
        return batch

    started = time.monotonic()
    batch = imports.check_import(upload())
    figures["check_seconds"] = round(time.monotonic() - started, 1)
    figures["checked"] = batch.summary
    started = time.monotonic()
    batch.status, batch.confirmed_by = CaseImport.Status.IMPORTING, admin
    batch.save()
    batch = imports.run_import(batch)
    figures["import_seconds"] = round(time.monotonic() - started, 1)
    figures["imported"] = batch.status
    figures["total_seconds"] = round(figures["check_seconds"] + figures["import_seconds"], 1)
    started = time.monotonic()
    again = imports.check_import(upload())
    figures["second_check_seconds"] = round(time.monotonic() - started, 1)
    figures["second_check"] = again.summary
    figures["under_a_minute"] = figures["total_seconds"] < 60
    figures["process_cpu_seconds"] = round(time.process_time() - cpu_started, 1)
    figures["load_after"] = round(os.getloadavg()[0], 1)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
