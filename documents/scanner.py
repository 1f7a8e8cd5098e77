"""A small client for clamd's INSTREAM command (ClamAV's daemon), over TCP or a Unix socket.

Written here rather than taken from PyPI: the `clamd` package has had no release since 2014 and
`pyclamd` none since 2017; the protocol is a few lines (clamd(8), "INSTREAM"): send
`zINSTREAM\\0`, then chunks each prefixed with their length as a 4-byte big-endian integer, then
a zero-length chunk; clamd answers `stream: OK`, `stream: <signature> FOUND` or
`... ERROR`, terminated by NUL."""

import socket
import struct
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    """clamd could not be reached, was too slow, or answered something unexpected: the file's
    state is unknown (it stays in quarantine)."""


class ScannerNotConfigured(ScannerUnavailable):
    """No CLAMD_URL: there is no scanner to ask."""


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""


def is_configured() -> bool:
    return bool(settings.CLAMD_URL)


def _connect(url: str, timeout: float) -> socket.socket:
    parts = urlsplit(url)
    if parts.scheme == "tcp":
        if not parts.hostname or not parts.port:
            raise ScannerUnavailable(f"CLAMD_URL needs a host and a port: {url!r}")
        return socket.create_connection((parts.hostname, parts.port), timeout=timeout)
    if parts.scheme == "unix":
        path = parts.path or parts.netloc
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(path)
        except OSError:
            sock.close()
            raise
        return sock
    raise ScannerUnavailable(f"CLAMD_URL must start with tcp:// or unix://, not {url!r}")


def scan_chunks(chunks, *, url: str | None = None, timeout: float | None = None) -> ScanResult:
    """Stream the bytes (an iterable of bytes objects) to clamd and return its verdict.
    Raises ScannerUnavailable when clamd cannot give one."""
    url = url if url is not None else settings.CLAMD_URL
    if not url:
        raise ScannerNotConfigured("CLAMD_URL is not set")
    timeout = timeout if timeout is not None else settings.CLAMD_TIMEOUT
    try:
        with _connect(url, timeout) as sock:
            sock.sendall(b"zINSTREAM\0")
            for chunk in chunks:
                for start in range(0, len(chunk), CHUNK):
                    piece = chunk[start : start + CHUNK]
                    sock.sendall(struct.pack("!L", len(piece)) + piece)
            sock.sendall(struct.pack("!L", 0))
            answer = _read_reply(sock)
    except ScannerUnavailable:
        raise
    except OSError as error:  # refused, reset, timed out (socket.timeout is an OSError)
        raise ScannerUnavailable(f"clamd at {url} did not answer: {error}") from error
    return _verdict(answer)


def scan_bytes(content: bytes, **kwargs) -> ScanResult:
    return scan_chunks([content], **kwargs)


def _read_reply(sock) -> str:
    data = b""
    while not data.endswith(b"\0"):
        received = sock.recv(4096)
        if not received:
            break
        data += received
        if len(data) > 4096:
            break
    return data.rstrip(b"\0").decode("utf-8", "replace").strip()


def _verdict(answer: str) -> ScanResult:
    # "stream: OK" | "stream: Eicar-Test-Signature FOUND" | "INSTREAM size limit exceeded.
    # ERROR" | "... ERROR"
    if answer.endswith("OK") and "FOUND" not in answer:
        return ScanResult(clean=True)
    if answer.endswith("FOUND"):
        body = answer.split(":", 1)[-1].strip()
        return ScanResult(clean=False, signature=body[: -len("FOUND")].strip()[:200])
    raise ScannerUnavailable(f"clamd answered {answer!r}")


def ping(*, url: str | None = None, timeout: float = 2) -> bool:
    url = url if url is not None else settings.CLAMD_URL
    if not url:
        return False
    try:
        with _connect(url, timeout) as sock:
            sock.sendall(b"zPING\0")
            return _read_reply(sock) == "PONG"
    except (OSError, ScannerUnavailable):
        return False
