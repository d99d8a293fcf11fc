"""Structured JSON logs, one object a line, each request's with its request id.

What is logged is chosen field by field: the method, the route, the status, the time taken,
the error code and how many problems a case had. Never a body, a query value, a header other
than the request id, or an error's message (a message can quote a field of the case), so no
victim's details reach a log.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["LOGGER", "RequestIds", "log_config", "new_request_id"]

LOGGER = logging.getLogger("counting_rules.service")
_GOOD_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class JsonFormatter(logging.Formatter):
    """A record as one JSON object: the message is the event; ``extra`` fields follow."""

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "event": record.getMessage() if record.name == LOGGER.name else _server(record),
            "logger": record.name,
        }
        doc.update(getattr(record, "fields", {}))
        return json.dumps(doc, separators=(",", ":"), default=str)


def _server(record: logging.LogRecord) -> str:
    # uvicorn's own records (start-up, shutdown): its format string with the arguments,
    # which are addresses, ports and process ids, never request data (its access log is off).
    return record.getMessage()


def log_config(level: str = "info") -> dict[str, Any]:
    """A logging config for uvicorn and the service: JSON to stderr."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"stderr": handler},
        "loggers": {
            name: {"handlers": ["stderr"], "level": level.upper(), "propagate": False}
            for name in ("uvicorn", "uvicorn.error", LOGGER.name)
        },
    }


def new_request_id(given: str | None) -> str:
    """The caller's X-Request-ID if it is a plain token, else a new one."""
    if given and _GOOD_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex


def event(name: str, request_id: str | None, level: int = logging.INFO, **fields: Any) -> None:
    LOGGER.log(level, name, extra={"fields": {"request_id": request_id, **fields}})


class RequestIds:
    """ASGI middleware: a request id for every request (echoed as X-Request-ID) and one
    access line when the response ends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or ())
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        rid = new_request_id(given)
        scope.setdefault("state", {})["request_id"] = rid
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = scope.get("route")
            event(
                "request",
                rid,
                method=scope.get("method"),
                route=getattr(route, "path", None) or "(no route)",
                status=status,
                ms=round((time.perf_counter() - started) * 1000, 2),
            )
