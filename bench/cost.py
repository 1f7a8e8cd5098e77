"""Server cost per page, in-process: Django's test Client against a seeded database.

For every page of the benchmark (and the busiest form pages), after a warm-up, BENCH_REQUESTS
requests (default 200) are made interleaved with the floor view (floor, page, floor, page, ...),
so that drift of a shared machine touches both alike. Printed per page: the median CPU ms
(time.process_time of this process: Django, the template engine and the database driver, not
PostgreSQL's own work), the median wall ms, the queries per request, the median time spent in
queries (connection.execute_wrapper), and the page's CPU and wall cost as a multiple of the
floor's in the same run. The test Client's own overhead is in both the page's and the floor's
figures.

Run against a seeded database with the benchmark's settings, e.g.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dtv_bench \\
    DJANGO_SETTINGS_MODULE=bench.settings SECRET_KEY=... DEBUG=0 ALLOWED_HOSTS=testserver \\
    SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 \\
    TWO_FACTOR_ENFORCED=0 .venv/bin/python bench/cost.py [page ...]

(bench/run.py seeds such a database; `manage.py collectstatic` must have run, the production
settings read the static manifest). BENCH_JSON=path also writes the figures as JSON. The
database is settled first (VACUUM ANALYZE) unless BENCH_NO_VACUUM=1."""

import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "20"))
CASE_LINK = re.compile(r'href="/cases/(TK-[0-9A-Z]{8})/"')
MEETING_LINK = re.compile(r'href="/partners/overleggen/([A-Z0-9-]+)/"')


class Meter:
    """Queries and their time for the requests made inside `with meter:`."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def pages() -> dict:
    """name -> (client, path); the case and the meeting are taken from the pages themselves,
    as the load generator does."""
    officer, teamlead, chair = (client_for(name) for name in ("officer", "teamlead", "officer2"))
    listing = officer.get("/cases/", {"status": "open"}).content.decode()
    reference = CASE_LINK.findall(listing)[0]
    meetings = MEETING_LINK.findall(chair.get("/partners/overleggen/").content.decode())
    result = {
        "worklist": (officer, "/cases/werklijst/"),
        "case_list": (officer, "/cases/?status=open"),
        "search_name": (officer, "/cases/?q=benali"),
        "search_vnummer": (officer, "/cases/?q=2100001"),
        "case_detail": (officer, f"/cases/{reference}/"),
        "log_interview": (officer, f"/interviews/{reference}/nieuw/"),
        "case_form": (officer, "/cases/nieuw/"),
        "caseload": (teamlead, "/reports/"),
        "report": (teamlead, "/reports/rapportages/departures/"),
    }
    if meetings:
        result["agenda_proposals"] = (chair, f"/partners/overleggen/{meetings[0]}/voorstellen/")
        result["meeting_form"] = (chair, f"/partners/overleggen/{meetings[0]}/bewerken/")
    return result


def one(client: Client, path: str) -> tuple[float, float, int, float]:
    meter = Meter()
    wall, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(meter):
        response = client.get(path)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    return cpu * 1000, wall * 1000, meter.count, meter.seconds * 1000


def measure(floor: tuple, page: tuple) -> dict:
    for _ in range(WARMUP):
        one(*floor)
        one(*page)
    floor_runs, page_runs = [], []
    for _ in range(REQUESTS):
        floor_runs.append(one(*floor))
        page_runs.append(one(*page))

    def medians(runs):
        return [statistics.median(column) for column in zip(*runs, strict=True)]

    f_cpu, f_wall, _queries, _query_ms = medians(floor_runs)
    cpu, wall, queries, qms = medians(page_runs)
    return {
        "cpu_ms": cpu,
        "wall_ms": wall,
        "queries": queries,
        "query_ms": qms,
        "floor_cpu_ms": f_cpu,
        "floor_wall_ms": f_wall,
        "cpu_ratio": cpu / f_cpu,
        "wall_ratio": wall / f_wall,
        "cpu_p90_ms": statistics.quantiles([run[0] for run in page_runs], n=10)[-1],
    }


def main(names: list[str]) -> None:
    if os.environ.get("BENCH_NO_VACUUM") != "1":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        cases = cursor.fetchone()[0]
    available = pages()
    floor = (available["worklist"][0], "/bench/floor/")
    print(f"{cases} cases; {WARMUP} warm-up and {REQUESTS} measured requests per page, ")
    print("interleaved with the floor; medians (cpu p90 in brackets)")
    header = (
        f"{'page':<17}{'cpu ms':>8}{'(p90)':>8}{'wall ms':>9}{'queries':>9}{'query ms':>10}"
        f"{'floor cpu':>11}{'floor wall':>12}{'cpu x':>7}{'wall x':>8}"
    )
    print(header)
    results = {}
    for name in names or available:
        if name not in available:
            print(f"{name}: not available on this database")
            continue
        row = results[name] = measure(floor, available[name])
        print(
            f"{name:<17}{row['cpu_ms']:>8.2f}{row['cpu_p90_ms']:>8.2f}{row['wall_ms']:>9.2f}"
            f"{row['queries']:>9.0f}{row['query_ms']:>10.2f}{row['floor_cpu_ms']:>11.2f}"
            f"{row['floor_wall_ms']:>12.2f}{row['cpu_ratio']:>7.2f}{row['wall_ratio']:>8.2f}",
            flush=True,
        )
    if os.environ.get("BENCH_JSON"):
        Path(os.environ["BENCH_JSON"]).write_text(json.dumps({"cases": cases, "pages": results}))


if __name__ == "__main__":
    main(sys.argv[1:])
