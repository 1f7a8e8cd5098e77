"""Fault tests: the app under gunicorn against a PostgreSQL and a Redis of their own (initdb in a
temporary folder, spare ports), which the tests stop and start. The machine's shared services,
which the rest of the suite uses, are never touched.

One PostgreSQL cluster serves the whole session; each test gets a database of its own, copied
(CREATE DATABASE ... TEMPLATE) from a template that `migrate` from zero, and where the test asks
for it `seed_demo`, made once per session. `collectstatic` runs once per session too. Each test
still starts from the same fresh state, whatever ran before it; a Redis is started per test.

Marked `faults`; they run in `make test` (CI runs them) and need PostgreSQL's server binaries
and redis-server, which scripts/services-up.sh installs."""

import glob
import http.cookiejar
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.faults)
            item.add_marker(pytest.mark.xdist_group("faults"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port}")


def _pg_bin(name: str) -> str:
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not candidates:
        pytest.skip(f"PostgreSQL server binary {name} not found")
    return candidates[-1]


class PrivatePostgres:
    """A throwaway cluster owned by the `postgres` system user (initdb refuses root).

    Durability is switched off (fsync, full-page writes): nothing in it outlives the session,
    and a clean stop (`pg_ctl stop -m fast`, as the outage test does) still writes everything."""

    database = "dtv_faults"

    def __init__(self):
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="dtv-faults-pg-"))
        self.data = self.root / "data"
        self.user = "postgres"
        self.templates: set[str] = set()
        uid = pwd.getpwnam(self.user).pw_uid
        os.chown(self.root, uid, -1)
        self._as_postgres(
            [_pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8"]
        )

    def _as_postgres(self, command):
        if os.geteuid() == 0:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)  # noqa: S603

    def url_of(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    @property
    def url(self) -> str:
        return self.url_of(self.database)

    def start(self):
        self._as_postgres(
            [
                _pg_bin("pg_ctl"),
                "-D",
                str(self.data),
                "-o",
                f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
                " -c fsync=off -c full_page_writes=off",
                "-l",
                str(self.root / "log"),
                "-w",
                "start",
            ]
        )

    def stop(self):
        self._as_postgres([_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def running(self) -> bool:
        try:
            self._as_postgres([_pg_bin("pg_ctl"), "-D", str(self.data), "status"])
        except subprocess.CalledProcessError:
            return False  # exit status 3: no server runs on this data directory
        return True

    def ensure_running(self):
        if not self.running():
            self.start()

    def execute(self, sql: str, *params):
        """One statement on the maintenance database `postgres` (CREATE/DROP DATABASE)."""
        import psycopg

        with psycopg.connect(self.url_of("postgres"), autocommit=True) as conn:
            conn.execute(sql, params or None)

    def query(self, sql: str, *params) -> list[tuple]:
        """The rows of one query on the test's database, from this process (no Django)."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            return conn.execute(sql, params or None).fetchall()

    def create_database(self, template: str | None = None, name: str | None = None):
        """A new, empty database (the test's own unless `name` is given), or a copy of
        `template`; a database of that name left by an earlier test is dropped first."""
        name = name or self.database
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if template:
            self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        else:
            self.execute(f'CREATE DATABASE "{name}"')

    def template(self, cases: int | None = None) -> str:
        """The name of a template database: migrated from zero, and with `cases` given,
        seeded with `seed_demo --cases N --allow-production` on top. Each is made once, the
        first time a test asks for it; a test copies it, so nothing it does reaches the next."""
        migrated = "dtv_template_migrated"
        if migrated not in self.templates:
            self.create_database(name=migrated)
            manage(app_env(self.url_of(migrated)), "migrate", "--noinput")
            self.templates.add(migrated)
        if cases is None:
            return migrated
        seeded = f"dtv_template_demo_{cases}"
        if seeded not in self.templates:
            self.create_database(template=migrated, name=seeded)
            manage(
                app_env(self.url_of(seeded)),
                "seed_demo",
                "--cases",
                str(cases),
                "--allow-production",
                timeout=600,
            )
            self.templates.add(seeded)
        return seeded

    def migrated(self):
        """The test's database as `migrate --noinput` from zero leaves it."""
        self.create_database(template=self.template())

    def demo(self, cases: int):
        """The test's database as `migrate` and then `seed_demo --cases N` leave it (the seed is
        deterministic: its fixed random seed and today's date)."""
        self.create_database(template=self.template(cases))

    def destroy(self):
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)


class PrivateRedis:
    def __init__(self):
        if not shutil.which("redis-server"):
            pytest.skip("redis-server is not installed")
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="dtv-faults-redis-"))
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def destroy(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def app_env(database_url: str, broker_url: str = "") -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_", "CELERY_", "REDIS_"))
        and key not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}
    }
    env.update(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "fault-tests-secret-key-that-is-long-enough-0123456789",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "AXES_ENABLED": "0",
            # The fault tests log in as a team lead without an authenticator app.
            "TWO_FACTOR_ENFORCED": "0",
            "DATABASE_CONN_MAX_AGE": "60",
            "DJANGO_SETTINGS_MODULE": "dtv.settings",
        }
    )
    if broker_url:
        env["CELERY_BROKER_URL"] = broker_url
    return env


def manage(env: dict, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class Gunicorn:
    def __init__(self, env: dict, workers: int = 2):
        self.workers = workers
        self.port = free_port()
        self.env = env
        self.process = None
        self.log = Path(tempfile.mkstemp(prefix="dtv-faults-gunicorn-", suffix=".log")[1])

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def start(self):
        self._log_handle = self.log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "dtv.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log_handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for_port(self.port)

    def stop(self):
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
            self.process = None
        if getattr(self, "_log_handle", None) is not None:
            self._log_handle.close()
            self._log_handle = None


class Browser:
    """A tiny cookie-keeping HTTP client (stdlib only) that logs in like a person."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path: str, data: dict | None = None, timeout: float = 10):
        body = None
        headers = {}
        if data is not None:
            token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
            data = {"csrfmiddlewaretoken": token, **data}
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers["Referer"] = self.base + path
        req = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        try:
            with self.opener.open(req, timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except (urllib.error.URLError, OSError) as error:
            # No HTTP answer at all (a timeout on an overloaded machine): status 0.
            return 0, str(error)

    def login(self, username: str, password: str = "dtv-demo-2026"):
        # On a loaded machine the first GET can time out (status 0) and leave no CSRF cookie;
        # a person would reload the page, so try a few times before posting.
        for _ in range(5):
            status, _ = self.request("/accounts/login/", timeout=30)
            if any(c.name == "csrftoken" for c in self.jar):
                break
        status, body = self.request(
            "/accounts/login/", {"username": username, "password": password}, timeout=30
        )
        assert status == 200 and ("Log out" in body or "Uitloggen" in body), body[:500]

    def csrf_from(self, body: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        return match.group(1) if match else ""


@pytest.fixture(scope="session")
def _postgres_cluster():
    server = PrivatePostgres()
    server.start()
    yield server
    server.destroy()


@pytest.fixture
def private_postgres(_postgres_cluster):
    """The session's cluster, running, with an empty database of this test's own (the test
    fills it: `migrated()`, `demo(cases)` or its own commands). A test that stops the cluster
    starts it again; if it fails before that, this starts it for the next test."""
    _postgres_cluster.ensure_running()
    _postgres_cluster.create_database()
    yield _postgres_cluster
    _postgres_cluster.ensure_running()


@pytest.fixture(scope="session")
def collected_static():
    """`collectstatic` once for the session: gunicorn runs with the production settings, which
    read the static files' manifest. The files depend on the checkout, not on a test."""
    manage(app_env("postgres://unused@127.0.0.1:1/unused"), "collectstatic", "--noinput")


@pytest.fixture
def private_redis():
    server = PrivateRedis()
    server.start()
    yield server
    server.destroy()
