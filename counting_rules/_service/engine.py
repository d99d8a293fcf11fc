"""One worker's engine: the compiled rulebook and the single thread that runs every decision.

The durable_rules engine is not thread-safe, so each worker process runs its decisions on
one thread of its own, in order; the event loop stays free to read bodies, answer health
checks and time out a request that waited too long. The rulebook is loaded once, when the
worker starts, never per request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from counting_rules._engine.decide import decide, default_rulebook
from counting_rules._rulebook.ir import Rulebook
from counting_rules._rulebook.loader import load_rulebook
from counting_rules._service.settings import Settings
from counting_rules.case import CaseFacts
from counting_rules.decision import Decision

__all__ = ["Busy", "Engine", "TooSlow"]

T = TypeVar("T")


class Busy(Exception):
    """More decisions are waiting than the worker's queue holds."""


class TooSlow(Exception):
    """A decision did not finish (queueing included) within the worker's limit."""


class Engine:
    """The rulebook and the engine thread of one worker process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="counting-rules-engine")
        self._slots = asyncio.Semaphore(settings.queue)
        self._book: Rulebook | None = None

    @property
    def book(self) -> Rulebook:
        if self._book is None:
            raise RuntimeError("the engine has not started")
        return self._book

    @property
    def ready(self) -> bool:
        return self._book is not None

    async def start(self, warm_up: CaseFacts | None = None) -> None:
        """Load the rulebook on the engine thread and, given a case, decide it once."""

        def load() -> Rulebook:
            path = self.settings.rulebook
            book = load_rulebook(path) if path else default_rulebook()
            if warm_up is not None:
                decide(warm_up, rulebook=book)
            return book

        loop = asyncio.get_running_loop()
        self._book = await loop.run_in_executor(self._pool, load)

    def stop(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    async def run(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on the engine thread, waiting at most the worker's decide limit."""
        if self._slots.locked():
            raise Busy
        async with self._slots:
            loop = asyncio.get_running_loop()
            future = loop.run_in_executor(self._pool, fn)
            try:
                return await asyncio.wait_for(
                    asyncio.shield(future), timeout=self.settings.decide_seconds
                )
            except TimeoutError:
                raise TooSlow from None

    async def decide(self, case: CaseFacts, edition: str | None, explain: bool = True) -> Decision:
        book = self.book
        return await self.run(lambda: decide(case, edition=edition, rulebook=book, explain=explain))
