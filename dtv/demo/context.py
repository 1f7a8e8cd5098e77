import random
from dataclasses import dataclass, field
from datetime import date


@dataclass
class DemoContext:
    """What the app seeders share: the random source (seeded, so runs are repeatable), the
    reference date, the size, and what earlier seeders created."""

    rng: random.Random
    today: date
    cases: int
    stdout: object = None
    users: dict = field(default_factory=dict)
    teams: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)
