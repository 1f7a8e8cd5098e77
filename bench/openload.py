"""An open-model load generator: requests at a fixed arrival rate, whatever the responses.

wrk (and locust) are closed loops: a slow response holds back the next request, so a queue in
the server lowers the offered load and hides itself (coordinated omission). Here request i is
due at start + i / rate on a fixed clock; it is sent at that moment on its own connection,
however many are still outstanding, and its latency is taken from the moment it was DUE to the
end of its response, so a late send (the generator falling behind) counts against the server's
figure rather than being left out. `lag` reports how late the sends were.

Plain asyncio streams, HTTP/1.1 with `Connection: close` (gunicorn's sync workers close every
connection anyway): a few hundred microseconds of this process per request."""

import asyncio
import random
import time
from dataclasses import dataclass, field


@dataclass
class Target:
    name: str
    paths: list[str]
    cookie: str
    weight: float


@dataclass
class Result:
    rate: float
    seconds: float
    sent: int = 0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    max_lag_ms: float = 0.0

    def all_latencies(self) -> list[float]:
        return [value for values in self.latencies.values() for value in values]


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


async def _get(host: str, port: int, path: str, cookie: str, timeout: float) -> int:
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        writer.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\n"
                "Accept: text/html\r\nConnection: close\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    if not data.startswith(b"HTTP/1."):
        return 0
    return int(data[9:12])


async def _run(host, port, targets, rate, seconds, timeout, seed) -> Result:
    rng = random.Random(seed)  # noqa: S311 - a load mix, not security
    weights = [target.weight for target in targets]
    result = Result(rate=rate, seconds=seconds)
    for target in targets:
        result.latencies[target.name] = []
        result.errors[target.name] = 0
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.5
    total = int(rate * seconds)
    tasks = []

    async def one(target: Target, path: str, due: float):
        try:
            status = await _get(host, port, path, target.cookie, timeout)
        except (OSError, TimeoutError):
            status = 0
        if status == 200:
            result.latencies[target.name].append((loop.time() - due) * 1000)
        else:
            result.errors[target.name] += 1

    for number in range(total):
        due = start + number / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            result.max_lag_ms = max(result.max_lag_ms, -delay * 1000)
        target = rng.choices(targets, weights=weights, k=1)[0]
        tasks.append(asyncio.create_task(one(target, rng.choice(target.paths), due)))
        result.sent += 1
    await asyncio.gather(*tasks)
    return result


def run(
    host: str,
    port: int,
    targets: list[Target],
    rate: float,
    seconds: float,
    timeout: float = 30.0,
    seed: int = 2026,
) -> Result:
    return asyncio.run(_run(host, port, targets, rate, seconds, timeout, seed))


if __name__ == "__main__":  # a self-check against any server: python bench/openload.py PORT PATH
    import sys

    started = time.monotonic()
    outcome = run("127.0.0.1", int(sys.argv[1]), [Target("page", [sys.argv[2]], "", 1.0)], 20, 5)
    values = outcome.all_latencies()
    print(
        f"{outcome.sent} sent, {sum(outcome.errors.values())} errors, "
        f"p50 {percentile(values, 0.5):.1f} ms, p95 {percentile(values, 0.95):.1f} ms, "
        f"max lag {outcome.max_lag_ms:.1f} ms, {time.monotonic() - started:.1f} s"
    )
