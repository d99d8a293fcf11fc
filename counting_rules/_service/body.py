"""Reading a request body within the worker's size and time limits."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

from starlette.requests import Request

from counting_rules._service.problems import Problem, problem

__all__ = ["HTTPProblem", "check_declared", "lines", "read_body"]


class HTTPProblem(Exception):
    """Answer the request with this problem document."""

    def __init__(self, p: Problem, headers: dict[str, str] | None = None) -> None:
        self.problem = p
        self.headers = headers
        super().__init__(p.detail)


def too_large(limit: int, setting: str) -> HTTPProblem:
    return HTTPProblem(
        problem(
            413,
            f"the body is larger than the limit of {limit} bytes",
            code="too-large",
            fix=f"split it (the limit is set by COUNTING_RULES_SERVE_{setting.upper()})",
        )
    )


def too_slow(seconds: float) -> HTTPProblem:
    return HTTPProblem(
        problem(
            408,
            f"the body did not arrive within {seconds:g} seconds",
            code="body-timeout",
            fix="send the whole body at once",
        ),
        headers={"Connection": "close"},
    )


def check_declared(request: Request, limit: int, setting: str) -> None:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large(limit, setting)


async def _chunks(request: Request, seconds: float) -> AsyncIterator[bytes]:
    """The body's chunks; no more than ``seconds`` between two of them."""
    stream = request.stream().__aiter__()
    while True:
        try:
            chunk = await asyncio.wait_for(stream.__anext__(), timeout=seconds)
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise too_slow(seconds) from None
        if chunk:
            yield chunk


async def read_body(
    request: Request,
    limit: int,
    seconds: float,
    setting: str = "max_body_bytes",
    *,
    between_chunks: bool = False,
) -> bytes:
    """The whole body: 413 past ``limit`` bytes (``setting`` names the limit to raise), 408
    if it takes longer than ``seconds`` — with ``between_chunks``, longer than ``seconds``
    between two chunks (a large batch may take longer in all)."""
    check_declared(request, limit, setting)

    async def collect() -> bytes:
        parts: list[bytes] = []
        size = 0
        async for chunk in _chunks(request, seconds):
            size += len(chunk)
            if size > limit:
                raise too_large(limit, setting)
            parts.append(chunk)
        return b"".join(parts)

    if between_chunks:
        return await collect()
    try:
        return await asyncio.wait_for(collect(), timeout=seconds)
    except TimeoutError:
        raise too_slow(seconds) from None


def lines(body: bytes, line_limit: int) -> Iterator[bytes | None]:
    """The body's lines (a final newline ends the last, it does not start another); a line
    longer than ``line_limit`` bytes is None."""
    parts = body.split(b"\n")
    if parts and parts[-1] == b"":
        parts.pop()
    for part in parts:
        yield None if len(part) > line_limit else part.removesuffix(b"\r")
