"""Real components for the document tests: a clamd started on a signature database the test
writes itself (EICAR's MD5), an S3 API on localhost (moto's server mode, real HTTP), and an
empty document directory per test."""

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.core.files.storage import storages

CLAMD = "/usr/sbin/clamd"
# The EICAR test file (not a virus: the industry's agreed test string), and its MD5 in
# ClamAV's hash-signature format: md5:size:name.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
EICAR_HDB = "44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def clamd_url(tmp_path_factory):
    """tcp://127.0.0.1:<port> of a clamd of our own. Skipped only without clamd installed
    (CI installs clamav-daemon, scripts/system-deps.sh)."""
    if not Path(CLAMD).exists():
        pytest.skip(f"{CLAMD} is not installed (apt-get install clamav-daemon)")
    base = tmp_path_factory.mktemp("clamd")
    database = base / "db"
    database.mkdir()
    (database / "eicar.hdb").write_text(EICAR_HDB)
    port = free_port()
    config = base / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                "Foreground yes",
                f"DatabaseDirectory {database}",
                f"TCPSocket {port}",
                "TCPAddr 127.0.0.1",
                f"LogFile {base / 'clamd.log'}",
                f"PidFile {base / 'clamd.pid'}",
                f"TemporaryDirectory {base}",
                "StreamMaxLength 64M",
                "MaxThreads 2",
                "",
            ]
        )
    )
    process = subprocess.Popen(
        [CLAMD, "--config-file", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"tcp://127.0.0.1:{port}"
    from documents import scanner

    deadline = time.monotonic() + 60
    while not scanner.ping(url=url):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log = (base / "clamd.log").read_text() if (base / "clamd.log").exists() else ""
            raise RuntimeError(f"clamd did not start: {log[-2000:]}")
        time.sleep(0.2)
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def scanner_on(settings, clamd_url):
    settings.CLAMD_URL = clamd_url
    settings.CLAMD_TIMEOUT = 10
    return clamd_url


@pytest.fixture
def scanner_down(settings):
    """A CLAMD_URL where nothing listens: the scanner is unreachable."""
    settings.CLAMD_URL = f"tcp://127.0.0.1:{free_port()}"
    settings.CLAMD_TIMEOUT = 1
    return settings.CLAMD_URL


@pytest.fixture(autouse=True)
def document_dir(settings, tmp_path):
    """Every test starts with an empty private document directory."""
    root = tmp_path / "documents"
    settings.DOCUMENTS_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": "/no-public-url-for-documents/"},
        },
    }
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def moto_endpoint():
    """An S3 API on a free local port: moto's server mode, spoken to over real HTTP."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_storage(settings, moto_endpoint, document_dir):
    """The "documents" storage on a fresh bucket of the moto server."""
    import uuid

    import boto3

    bucket = f"dtv-documents-{uuid.uuid4().hex[:12]}"
    credentials = {
        "endpoint_url": moto_endpoint,
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
        "region_name": "eu-west-1",
    }
    client = boto3.client("s3", **credentials)
    client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": moto_endpoint,
                "access_key": "testing",
                "secret_key": "testing",
                "region_name": "eu-west-1",
                "default_acl": "private",
                "file_overwrite": False,
            },
        },
    }
    assert type(storages["documents"]).__name__ == "S3Storage"
    return client, bucket


def s3_keys(client, bucket) -> set[str]:
    listed = client.list_objects_v2(Bucket=bucket)
    return {item["Key"] for item in listed.get("Contents", [])}


def stored_files(root: Path) -> set[str]:
    if not root.exists():
        return set()
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


@pytest.fixture(autouse=True)
def english():
    # Messages are matched in English (the site speaks Dutch by default).
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    # Pages answer in the language of the cookie the language switch sets.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
