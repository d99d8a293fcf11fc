"""What one service worker is configured with: the rulebook and the request limits.

``counting-rules serve`` starts worker processes that build their app from the environment,
so every setting has an environment variable (``COUNTING_RULES_SERVE_*``), written once here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

from counting_rules._common.limits import MAX_FILE_BYTES, Limits
from counting_rules.errors import UsageError

__all__ = ["ENV_PREFIX", "Settings"]

ENV_PREFIX = "COUNTING_RULES_SERVE_"


@dataclass(frozen=True, slots=True)
class Settings:
    """Limits of one worker. A request past a limit gets a problem document, never a hang."""

    rulebook: str | None = None  # a rulebook folder; None: the shipped HOCR
    scenarios: str | None = None  # the scenario library listed by /v1/scenarios
    max_body_bytes: int = MAX_FILE_BYTES  # one case (413 past it)
    max_batch_bytes: int = 64 * MAX_FILE_BYTES  # one /decide/batch body
    max_batch_lines: int = 100_000
    body_seconds: float = 30.0  # to receive the body (408 past it)
    decide_seconds: float = 20.0  # to decide one case, queueing included (503 past it)
    queue: int = 64  # decisions waiting for this worker's engine (503 past it)

    @classmethod
    def from_env(cls) -> Settings:
        """Settings from ``COUNTING_RULES_SERVE_<FIELD>``, defaults for the rest."""
        given: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(ENV_PREFIX + f.name.upper())
            if raw is None:
                continue
            kind = type(getattr(cls(), f.name))
            try:
                given[f.name] = float(raw) if kind is float else int(raw) if kind is int else raw
            except ValueError:
                raise UsageError(f"{ENV_PREFIX}{f.name.upper()}={raw!r} is not a number") from None
        return cls(**given)  # type: ignore[arg-type]

    def to_env(self) -> dict[str, str]:
        """The environment that gives a worker these settings."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                out[ENV_PREFIX + f.name.upper()] = str(value)
        return out

    @property
    def limits(self) -> Limits:
        """The case limits of every request: one case may be as large as the body allows."""
        return Limits(file_bytes=self.max_body_bytes)

    def scenario_folder(self) -> Path | None:
        if self.scenarios:
            return Path(self.scenarios)
        from counting_rules.scenario import default_scenarios  # only when listing

        found = default_scenarios()
        return found if found.is_dir() else None
