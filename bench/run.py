"""The benchmark (`make bench`): BENCH_RUNS runs (default 3) back to back, each on a FRESH seed
of BENCH_CASES cases (default 100,000) in PostgreSQL, and a verdict over all of them.

Each run:
  1. a fresh database (a copy of one migrated once per invocation), `seed_demo` timed;
  2. the reminder sweep in a fresh process, on the fresh data (time, peak RSS), then again
     with nothing due;
  3. the database settled: VACUUM ANALYZE, then the warm-up of step 4;
  4. the server's cost per page in-process (bench/cost.py: warm sequential loop, floor and
     page interleaved, medians of BENCH_REQUESTS >= 200 requests after the warm-up; CPU ms,
     wall ms, queries, query ms), each page as a multiple of the floor in the same loop;
  5. gunicorn (BENCH_WORKERS, default two per core) with production settings:
     a. throughput per page under `wrk` (bench/wrk.lua carries the session cookie and the
        CSRF token; the interview form is also POSTed and every POST must be saved), the
        floor measured before and after the pages;
     b. latency at a fixed arrival rate (bench/openload.py, an open model): the benchmark's
        mix of pages at BENCH_LOAD (default 0.5) of what the two cores can serve of that mix
        (from 5a: 1 / sum(weight / req/s)), p50/p95/p99 from the time each request was due.
Then median, minimum and maximum per figure over the runs. PASS only if every run meets every
target and no page's cost (× floor, CPU and wall) varies by more than 10% between the runs.
The last line printed is PASS or FAIL with the failing figures; bench/RESULTS.md is written.

BENCH_SIZES=10000,100000,1000000 (`make bench-scale`) instead seeds each size once, measures
the page costs and queries at each, and prints every page's cost at the largest size as a
multiple of its cost at the smallest (target ≤ 1.3×, the same query count at every size);
written to bench/SCALE.md.

Other settings: BENCH_DB (database name prefix, default dtv_bench), BENCH_PG (server URL),
BENCH_REQUESTS / BENCH_WARMUP (bench/cost.py), BENCH_WRK_SECONDS (default 10),
BENCH_WRK_CONNECTIONS (default 2 per worker), BENCH_OPEN_SECONDS (default 60), BENCH_RATE
(a fixed arrival rate instead of BENCH_LOAD), BENCH_KEEP=1 (keep the databases).
BENCH_REPORT_FROM=bench/out/runs.json writes the report again from the saved figures of the
runs that finished (BENCH_RAN_AS and BENCH_RAN_AT: the command and the commit they ran as).
Needs psql and wrk (scripts/system-deps.sh installs wrk)."""

import http.cookiejar
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import openload  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = sys.executable
CASES = int(os.environ.get("BENCH_CASES", "100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "").split(",") if size.strip()]
DB_PREFIX = os.environ.get("BENCH_DB", "dtv_bench")
PG = os.environ.get("BENCH_PG", "postgres://postgres:postgres@127.0.0.1:5432")
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 2))))
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
WRK_CONNECTIONS = int(os.environ.get("BENCH_WRK_CONNECTIONS", str(2 * WORKERS)))
OPEN_SECONDS = float(os.environ.get("BENCH_OPEN_SECONDS", "60"))
LOAD = float(os.environ.get("BENCH_LOAD", "0.5"))
RATE = float(os.environ.get("BENCH_RATE", "0") or 0)

# Targets (issue 22).
LIST_PAGES = {"worklist", "case_list"}
LIST_COST, OTHER_COST = 3.0, 6.0  # × the floor's cost
P95_MS = 150
SPREAD = 0.10  # of a page's cost between runs
SCALE = 1.3  # a page's cost at the largest size over its cost at the smallest
SWEEP_S, SWEEP_MB, SWEEP_AGAIN_S = 300, 500, 60  # the targets at 1,000,000 cases
SEED_1M_S = 20 * 60

# The pages of the mix, with the weight each has in it (the scenario of bench/locustfile.py:
# officer 3 × (4, 3, 2, 3, 4, 1), team lead 1 × (3, 1), chair 1 × (2, 1)).
MIX = {
    "worklist": 12,
    "search_name": 9,
    "search_vnummer": 6,
    "case_list": 9,
    "case_detail": 12,
    "log_interview": 3,
    "caseload": 3,
    "report": 1,
    "agenda_proposals": 2,
    "agenda_pdf": 1,
}
NAMES = ["benali", "haddad", "yilmaz", "okafor", "el+idrissi", "tesfay", "ahmadi", "rusu"]
CASE_LINK = re.compile(r'href="/cases/(TK-[0-9A-Z]{8})/"')
MEETING_LINK = re.compile(r'href="/partners/overleggen/([A-Z0-9-]+)/"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def env(db: str, **extra) -> dict:
    values = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CELERY_", "REDIS_")) and key != "DATABASE_URL"
    }
    values.update(
        {
            "DATABASE_URL": f"{PG}/{db}",
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "TWO_FACTOR_ENFORCED": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    values.update(extra)
    return values


def manage(db: str, *args, **kwargs):
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env(db), check=True, text=True, **kwargs
    )


def psql(sql: str, db: str = "postgres") -> str:
    return subprocess.run(
        ["psql", f"{PG}/{db}", "-Atc", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def say(text: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {text}", flush=True)


# ---- the database -------------------------------------------------------------------------


def template() -> str:
    """A database migrated once per invocation; each run's database is a copy of it."""
    name = f"{DB_PREFIX}_template"
    psql(f"DROP DATABASE IF EXISTS {name}")
    psql(f"CREATE DATABASE {name}")
    manage(name, "migrate", "--noinput", "-v0")
    return name


SEED_PHASE = re.compile(r"^([\w. ]+): ([0-9.]+) s$", re.MULTILINE)


def fresh_seed(name: str, cases: int, source: str) -> tuple[float, dict]:
    """Seconds of `seed_demo`, and the seconds of its phases as it reports them."""
    psql(f"DROP DATABASE IF EXISTS {name}")
    psql(f"CREATE DATABASE {name} TEMPLATE {source}")
    started = time.monotonic()
    done = manage(
        name, "seed_demo", "--cases", str(cases), "--allow-production", capture_output=True
    )
    seconds = time.monotonic() - started
    phases = {phase: float(value) for phase, value in SEED_PHASE.findall(done.stdout)}
    return seconds, phases


def settle(db: str) -> None:
    psql("VACUUM ANALYZE", db)


def drop(name: str) -> None:
    if os.environ.get("BENCH_KEEP") != "1":
        psql(f"DROP DATABASE IF EXISTS {name}")


# ---- in-process cost ------------------------------------------------------------------------


def cost(db: str, label: str) -> dict:
    """bench/cost.py in its own process; the database was just settled."""
    path = OUT / f"cost_{label}.json"
    subprocess.run(
        [PY, "bench/cost.py"],
        cwd=ROOT,
        env=env(db, BENCH_JSON=str(path), BENCH_NO_VACUUM="1"),
        check=True,
        stdout=sys.stdout,
    )
    return json.loads(path.read_text())["pages"]


def sweep(db: str) -> dict:
    result = subprocess.run(
        [PY, "bench/sweep.py"], cwd=ROOT, env=env(db), check=True, capture_output=True, text=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# ---- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, db: str):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                PY,
                "-m",
                "gunicorn",
                "dtv.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(WORKERS),
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env(db, DJANGO_SETTINGS_MODULE="bench.settings"),
            start_new_session=True,
        )
        for _ in range(300):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    @property
    def host(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


class Session:
    """A logged-in user of the server: its cookies and CSRF token."""

    def __init__(self, host: str, username: str):
        self.host = host
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        page = self.get("/accounts/login/")
        data = urllib.parse.urlencode(
            {
                "username": username,
                "password": "dtv-demo-2026",
                "csrfmiddlewaretoken": CSRF.search(page).group(1),
            }
        ).encode()
        request = urllib.request.Request(
            host + "/accounts/login/", data=data, headers={"Referer": host + "/accounts/login/"}
        )
        self.opener.open(request, timeout=60).read()
        if "sessionid" not in self.cookies:
            raise RuntimeError(f"{username} could not log in")

    @property
    def cookies(self) -> dict:
        return {cookie.name: cookie.value for cookie in self.jar}

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def get(self, path: str) -> str:
        with self.opener.open(self.host + path, timeout=60) as response:
            return response.read().decode()


def targets(host: str) -> dict:
    """page -> (session, [paths]) as the load generators request them, taken from the pages."""
    officer, teamlead, chair = (Session(host, name) for name in ("officer", "teamlead", "officer2"))
    references = CASE_LINK.findall(officer.get("/cases/?status=open"))
    meetings = MEETING_LINK.findall(chair.get("/partners/overleggen/"))
    if not references or not meetings:
        raise RuntimeError("the seed has no open cases or no meetings for the benchmark users")
    return {
        "worklist": (officer, ["/cases/werklijst/"]),
        "search_name": (officer, [f"/cases/?q={name}" for name in NAMES]),
        "search_vnummer": (officer, [f"/cases/?q=21000{n:04d}" for n in range(0, 9999, 397)]),
        "case_list": (officer, ["/cases/?status=open"]),
        "case_detail": (officer, [f"/cases/{reference}/" for reference in references]),
        "log_interview": (officer, [f"/interviews/{reference}/nieuw/" for reference in references]),
        "caseload": (teamlead, ["/reports/"]),
        "report": (teamlead, ["/reports/rapportages/departures/"]),
        "agenda_proposals": (chair, [f"/partners/overleggen/{meetings[0]}/voorstellen/"]),
        "agenda_pdf": (chair, [f"/partners/overleggen/{meetings[0]}/agenda.pdf"]),
        "floor": (officer, ["/bench/floor/"]),
    }


def interview_post(session: Session, path: str) -> str:
    """The url-encoded body of a valid interview (the form's hidden fields, the CSRF token
    and the attendee formset's management form among them)."""
    hidden = dict(HIDDEN.findall(session.get(path)))
    held_at = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT10:00")
    return urllib.parse.urlencode(
        {
            **hidden,
            "stage": "progress",
            "mode": "in_person",
            "held_at": held_at,
            "attitude": "undecided",
            "report": "Voortgangsgesprek (benchmark).",
        }
    )


def wrk(host: str, session: Session, paths: list[str], **extra) -> dict:
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{WRK_CONNECTIONS}",
            f"-d{WRK_SECONDS}s",
            "--timeout",
            "30s",
            "-s",
            str(ROOT / "bench" / "wrk.lua"),
            host,
        ],
        env={
            **os.environ,
            "BENCH_PATHS": "|".join(paths),
            "BENCH_COOKIE": session.cookie_header,
            "BENCH_CSRF": session.cookies.get("csrftoken", ""),
            **extra,
        },
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / figures["seconds"] if figures["seconds"] else 0.0
    return figures


def count(db: str, table: str) -> int:
    return int(psql(f"SELECT count(*) FROM {table}", db))


def throughput(db: str, host: str, pages: dict) -> dict:
    session, paths = pages["floor"]
    rows = {"floor_before": wrk(host, session, paths)}
    for name in MIX:
        session, paths = pages[name]
        rows[name] = wrk(host, session, paths)
    # The interview form sent: every POST must be answered by the redirect to the case, and
    # make exactly one interview.
    session, paths = pages["log_interview"]
    before = count(db, "interviews_interview")
    rows["log_interview_post"] = wrk(
        host,
        session,
        paths[:1],
        BENCH_METHOD="POST",
        BENCH_BODY=interview_post(session, paths[0]),
        BENCH_EXPECT="302",
    )
    made = count(db, "interviews_interview") - before
    post = rows["log_interview_post"]
    post["saved"] = made
    # wrk counts the responses it read; up to one request per connection may still have been
    # answered after it stopped counting.
    if not post["requests"] <= made <= post["requests"] + WRK_CONNECTIONS:
        post["unexpected"] += abs(post["requests"] - made)
    session, paths = pages["floor"]
    rows["floor_after"] = wrk(host, session, paths)
    rows["floor"] = {
        "rps": (rows["floor_before"]["rps"] + rows["floor_after"]["rps"]) / 2,
        "requests": rows["floor_before"]["requests"] + rows["floor_after"]["requests"],
        "socket_errors": rows["floor_before"]["socket_errors"]
        + rows["floor_after"]["socket_errors"],
        "unexpected": rows["floor_before"]["unexpected"] + rows["floor_after"]["unexpected"],
    }
    return rows


def open_model(host: str, port: int, pages: dict, rows: dict) -> dict:
    """The mix at a fixed arrival rate: BENCH_LOAD of the mix's capacity from the measured
    throughputs (or BENCH_RATE)."""
    total = sum(MIX.values())
    # A page that answered nothing within wrk's run (a failure of the run, see failures_of)
    # counts as one answer in that time, so that the rate stays on the safe side.
    capacity = 1 / sum(
        (weight / total) / max(rows[name]["rps"], 1 / WRK_SECONDS) for name, weight in MIX.items()
    )
    rate = RATE or LOAD * capacity
    chosen = [
        openload.Target(name, pages[name][1], pages[name][0].cookie_header, weight)
        for name, weight in MIX.items()
    ]
    result = openload.run("127.0.0.1", port, chosen, rate, OPEN_SECONDS)
    values = result.all_latencies()
    figures = {
        "rate": rate,
        "mix_capacity": capacity,
        "floor_half": rows["floor"]["rps"] / 2,
        "sent": result.sent,
        "errors": sum(result.errors.values()),
        "max_lag_ms": result.max_lag_ms,
        "p50": openload.percentile(values, 0.50),
        "p95": openload.percentile(values, 0.95),
        "p99": openload.percentile(values, 0.99),
        "pages": {
            name: {
                "n": len(latencies),
                "p50": openload.percentile(latencies, 0.50),
                "p95": openload.percentile(latencies, 0.95),
                "p99": openload.percentile(latencies, 0.99),
                "errors": result.errors[name],
            }
            for name, latencies in result.latencies.items()
        },
    }
    return figures


# ---- one run, and the verdict ---------------------------------------------------------------


def one_run(number: int, source: str) -> dict:
    db = f"{DB_PREFIX}_run{number}"
    run = {"number": number, "load_start": load_average()}
    say(f"run {number}: seeding {CASES} cases (load {run['load_start']})")
    run["seed_s"], run["seed_phases"] = fresh_seed(db, CASES, source)
    say(f"run {number}: seeded in {run['seed_s']:.0f} s {run['seed_phases']}; sweeping")
    run["sweep_first"] = sweep(db)
    run["sweep_again"] = sweep(db)
    settle(db)
    manage(db, "collectstatic", "--noinput", "-v0")
    say(f"run {number}: in-process cost (load {load_average()})")
    run["cost"] = cost(db, f"run{number}")
    run["load_cost"] = load_average()
    server = Server(db)
    try:
        pages = targets(server.host)
        say(f"run {number}: throughput under wrk (load {load_average()})")
        run["throughput"] = throughput(db, server.host, pages)
        say(f"run {number}: fixed arrival rate (load {load_average()})")
        run["open"] = open_model(server.host, server.port, pages, run["throughput"])
        run["queries"] = {name: row["queries"] for name, row in run["cost"].items()}
    finally:
        server.stop()
    run["load_end"] = load_average()
    drop(db)
    run["failures"] = failures_of(run)
    say(f"run {number}: {'pass' if not run['failures'] else 'FAIL ' + ', '.join(run['failures'])}")
    return run


def target_of(page: str) -> float:
    return LIST_COST if page in LIST_PAGES else OTHER_COST


def failures_of(run: dict) -> list[str]:
    failures = []
    for page, row in run["cost"].items():
        for kind in ("cpu", "wall"):
            if row[f"{kind}_ratio"] > target_of(page):
                failures.append(f"{page} {kind} {row[f'{kind}_ratio']:.2f}× > {target_of(page):g}×")
    if run["open"]["p95"] > P95_MS:
        failures.append(f"p95 {run['open']['p95']:.0f} ms > {P95_MS}")
    if run["open"]["errors"]:
        failures.append(f"{run['open']['errors']} errors at the fixed rate")
    for page, row in run["throughput"].items():
        if not row["requests"]:
            failures.append(f"wrk {page}: no answer within {WRK_SECONDS} s")
        if row["socket_errors"] or row["unexpected"]:
            failures.append(
                f"wrk {page}: {row['socket_errors']} socket errors, "
                f"{row['unexpected']} unexpected answers"
            )
    first, again = run["sweep_first"], run["sweep_again"]
    if first["seconds"] > SWEEP_S or first["peak_mb"] > SWEEP_MB:
        failures.append(f"first sweep {first['seconds']:.0f} s / {first['peak_mb']:.0f} MB")
    if again["seconds"] > SWEEP_AGAIN_S or again["created"]:
        failures.append(f"second sweep {again['seconds']:.1f} s, {again['created']} made")
    if CASES >= 1_000_000 and run["seed_s"] > SEED_1M_S:
        failures.append(f"seed {run['seed_s']:.0f} s")
    return failures


def spread(values: list[float]) -> float:
    """(max - min) / median."""
    middle = statistics.median(values)
    return (max(values) - min(values)) / middle if middle else 0.0


def summary(values: list[float], digits: int = 2) -> str:
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return (
        f"{statistics.median(values):.{digits}f} "
        f"({min(values):.{digits}f}–{max(values):.{digits}f})"
    )


def machine() -> str:
    with open("/proc/meminfo") as handle:
        memory = int(handle.readline().split()[1]) / 1024 / 1024
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return (
        f"{os.cpu_count()} cores ({model}), {memory:.0f} GiB memory, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"PostgreSQL {psql('SHOW server_version')}, {platform.platform()}"
    )


def commit() -> str:
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return head + (" (with uncommitted changes)" if dirty else "")


def command() -> str:
    skip = {"BENCH_PG", "BENCH_REPORT_FROM", "BENCH_RAN_AS"}
    if os.environ.get("BENCH_RAN_AS"):
        # A report written again from saved figures says how they were made.
        return os.environ["BENCH_RAN_AS"]
    names = [key for key in sorted(os.environ) if key.startswith("BENCH_") and key not in skip]
    settings = " ".join(f"{key}={os.environ[key]}" for key in names)
    return f"{settings} make bench".strip()


def report(runs: list[dict]) -> int:
    failures = [f"run {run['number']}: {failure}" for run in runs for failure in run["failures"]]
    pages = list(runs[0]["cost"])
    lines = [
        "# Benchmark results",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {machine()}",
        f"- commit: {os.environ.get('BENCH_RAN_AT') or commit()}",
        f"- command: `{command()}`",
        f"- data: {CASES} cases, a fresh seed per run; {len(runs)} run(s) back to back",
        f"- gunicorn: {WORKERS} sync workers; wrk: 2 threads, {WRK_CONNECTIONS} connections, "
        f"{WRK_SECONDS} s per page; fixed arrival rate for {OPEN_SECONDS:.0f} s",
        "- load average (1, 5, 15 min) per run, at the start / during the cost loop / at the "
        "end: "
        + "; ".join(
            f"run {run['number']}: {run['load_start']} / {run['load_cost']} / {run['load_end']}"
            for run in runs
        ),
        "",
        "Figures are the median over the runs with the minimum and maximum in brackets.",
        "",
        "## Server cost per request (in-process, median of the loop, floor interleaved)",
        "",
        "| page | CPU ms | wall ms | queries | query ms | CPU × floor | wall × floor | "
        "target | spread of × floor (CPU / wall) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for page in pages:
        rows = [run["cost"][page] for run in runs]
        cpu_x = [row["cpu_ratio"] for row in rows]
        wall_x = [row["wall_ratio"] for row in rows]
        queries = sorted({int(row["queries"]) for row in rows})
        if len(runs) > 1:
            for kind, values in (("CPU", cpu_x), ("wall", wall_x)):
                if spread(values) > SPREAD:
                    failures.append(f"{page} {kind} cost varies {spread(values):.0%} between runs")
        lines.append(
            f"| {page} | {summary([r['cpu_ms'] for r in rows], 1)} | "
            f"{summary([r['wall_ms'] for r in rows], 1)} | "
            f"{'/'.join(str(q) for q in queries)} | {summary([r['query_ms'] for r in rows], 1)} | "
            f"{summary(cpu_x)} | {summary(wall_x)} | ≤ {target_of(page):g}× | "
            f"{spread(cpu_x):.0%} / {spread(wall_x):.0%} |"
        )
    floor_cpu = [statistics.median(r["floor_cpu_ms"] for r in run["cost"].values()) for run in runs]
    floor_wall = [
        statistics.median(r["floor_wall_ms"] for r in run["cost"].values()) for run in runs
    ]
    lines += [
        "",
        f"The floor (the median of its medians over the page loops): CPU "
        f"{summary(floor_cpu, 1)} ms, wall {summary(floor_wall, 1)} ms.",
        "",
        "## Throughput under wrk (gunicorn on this machine's cores, wrk beside it)",
        "",
        "| page | req/s | × floor's req/s | p50 ms | p99 ms |",
        "|---|---|---|---|---|",
    ]
    for page in [*MIX, "log_interview_post", "floor_before", "floor_after"]:
        rows = [run["throughput"][page] for run in runs]
        floors = [run["throughput"]["floor"]["rps"] for run in runs]
        ratio = [row["rps"] / floor for row, floor in zip(rows, floors, strict=True)]
        p50 = summary([r["p50_ms"] for r in rows], 0)
        p99 = summary([r["p99_ms"] for r in rows], 0)
        lines.append(
            f"| {page} | {summary([r['rps'] for r in rows], 1)} | {summary(ratio)} | "
            f"{p50} | {p99} |"
        )
    saved = [run["throughput"]["log_interview_post"]["saved"] for run in runs]
    lines += [
        "",
        f"(log_interview_post: the interview form sent and saved, {', '.join(map(str, saved))} "
        "interviews made, one per request.)",
        "",
        "## Latency at a fixed arrival rate (open model, the mix of pages)",
        "",
        f"Rate: {summary([run['open']['rate'] for run in runs], 1)} requests/s = "
        f"{LOAD if not RATE else 'a fixed'} × the mix's capacity "
        f"({summary([run['open']['mix_capacity'] for run in runs], 1)} req/s from the "
        f"throughputs above; half the floor's req/s would be "
        f"{summary([run['open']['floor_half'] for run in runs], 1)}). "
        f"Sent per run: {', '.join(str(run['open']['sent']) for run in runs)}; the generator "
        f"was at most {max(run['open']['max_lag_ms'] for run in runs):.0f} ms late.",
        "",
        "| page | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---|---|---|",
    ]
    for page in MIX:
        rows = [run["open"]["pages"][page] for run in runs]
        lines.append(
            f"| {page} | {summary([r['p50'] for r in rows], 0)} | "
            f"{summary([r['p95'] for r in rows], 0)} | {summary([r['p99'] for r in rows], 0)} | "
            f"{sum(r['errors'] for r in rows)} |"
        )
    lines.append(
        f"| **all** | {summary([run['open']['p50'] for run in runs], 0)} | "
        f"**{summary([run['open']['p95'] for run in runs], 0)}** (target ≤ {P95_MS}) | "
        f"{summary([run['open']['p99'] for run in runs], 0)} | "
        f"{sum(run['open']['errors'] for run in runs)} |"
    )
    lines += [
        "",
        "## Seed and reminder sweep",
        "",
        f"- seed_demo: {summary([run['seed_s'] for run in runs], 0)} s (phases: "
        + ", ".join(
            f"{phase} {summary([run['seed_phases'].get(phase, 0) for run in runs], 0)} s"
            for phase in runs[0]["seed_phases"]
        )
        + ")",
        f"- sweep, first run: {summary([run['sweep_first']['seconds'] for run in runs], 1)} s, "
        f"peak RSS {summary([run['sweep_first']['peak_mb'] for run in runs], 0)} MB, "
        f"{summary([run['sweep_first']['created'] for run in runs], 0)} notifications "
        f"(target at 1M cases ≤ {SWEEP_S} s, ≤ {SWEEP_MB} MB)",
        f"- sweep, nothing due: {summary([run['sweep_again']['seconds'] for run in runs], 1)} s, "
        f"{sum(run['sweep_again']['created'] for run in runs)} notifications "
        f"(target ≤ {SWEEP_AGAIN_S} s)",
        "",
    ]
    verdict = "PASS" if not failures else "FAIL: " + "; ".join(failures)
    lines += [f"Verdict: {verdict}", ""]
    notes = ROOT / "bench" / "NOTES.md"
    if notes.exists():
        lines += [notes.read_text().strip(), ""]
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines))
    (OUT / "runs.json").write_text(json.dumps(runs, indent=1))
    print("\n".join(lines[: lines.index(f"Verdict: {verdict}")]))
    print(verdict)
    return 0 if not failures else 1


# ---- sizes ----------------------------------------------------------------------------------


def scale() -> int:
    source = template()
    measured = {}
    for size in SIZES:
        db = f"{DB_PREFIX}_{size}"
        if os.environ.get("BENCH_REUSE") == "1" and psql(
            f"SELECT 1 FROM pg_database WHERE datname = '{db}'"
        ):
            seconds = None
            say(f"{size}: reusing {db}")
        else:
            say(f"{size}: seeding (load {load_average()})")
            seconds, _phases = fresh_seed(db, size, source)
        settle(db)
        manage(db, "collectstatic", "--noinput", "-v0")
        say(f"{size}: cost (load {load_average()})")
        measured[size] = {
            "seed_s": seconds,
            "cost": cost(db, f"size{size}"),
            "load": load_average(),
        }
        drop(db)
    drop(source)
    small, large = SIZES[0], SIZES[-1]
    failures = []
    lines = [
        "# Page cost by database size",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; machine: {machine()}",
        f"- commit: {commit()}; command: `{command()} (bench-scale)`",
        "- seed and load average per size: "
        + "; ".join(
            f"{size}: "
            + (f"{row['seed_s']:.0f} s" if row["seed_s"] is not None else "reused")
            + f", load {row['load']}"
            for size, row in measured.items()
        ),
        "",
        f"Cost × floor (CPU / wall) at each size, and at {large} as a multiple of {small} "
        f"(target ≤ {SCALE}×; queries the same at every size).",
        "",
        "| page | " + " | ".join(f"{size}: × floor, queries" for size in SIZES) + " | growth |",
        "|---|" + "---|" * len(SIZES) + "---|",
    ]
    for page in measured[small]["cost"]:
        cells, queries = [], set()
        for size in SIZES:
            row = measured[size]["cost"].get(page)
            if row is None:
                cells.append("—")
                continue
            queries.add(int(row["queries"]))
            cells.append(f"{row['cpu_ratio']:.2f} / {row['wall_ratio']:.2f}, {row['queries']:.0f}")
        first, last = measured[small]["cost"][page], measured[large]["cost"].get(page)
        if last is None:
            failures.append(f"{page} not measured at {large}")
            lines.append(f"| {page} | " + " | ".join(cells) + " | — |")
            continue
        cpu = last["cpu_ratio"] / first["cpu_ratio"]
        wall = last["wall_ratio"] / first["wall_ratio"]
        if cpu > SCALE or wall > SCALE:
            failures.append(f"{page} {cpu:.2f}× / {wall:.2f}× at {large}")
        if len(queries) > 1:
            failures.append(f"{page} queries {sorted(queries)}")
        lines.append(f"| {page} | " + " | ".join(cells) + f" | {cpu:.2f}× / {wall:.2f}× |")
    verdict = "PASS" if not failures else "FAIL: " + "; ".join(failures)
    lines += ["", f"Verdict: {verdict}", ""]
    (ROOT / "bench" / "SCALE.md").write_text("\n".join(lines))
    print("\n".join(lines[:-3]))
    print(verdict)
    return 0 if not failures else 1


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    subprocess.run(["bash", "scripts/services-up.sh"], cwd=ROOT, check=True)
    if SIZES:
        return scale()
    if os.environ.get("BENCH_REPORT_FROM"):
        # The report again from the figures of an earlier invocation (bench/out/runs.json).
        return report(json.loads(Path(os.environ["BENCH_REPORT_FROM"]).read_text()))
    source = template()
    runs = []
    try:
        for number in range(1, RUNS + 1):
            runs.append(one_run(number, source))
            (OUT / "runs.json").write_text(json.dumps(runs, indent=1))
    finally:
        drop(source)
    return report(runs)


if __name__ == "__main__":
    for tool in ("psql", "wrk"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed (scripts/system-deps.sh installs it)")
    sys.exit(main())
