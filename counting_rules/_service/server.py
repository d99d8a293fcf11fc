"""Run the service on uvicorn: worker processes, JSON logs, graceful shutdown."""

from __future__ import annotations

import os

import uvicorn

from counting_rules._service.logs import log_config
from counting_rules._service.settings import Settings

__all__ = ["serve"]

APP = "counting_rules._service.app:create_app"
GRACE_SECONDS = 30  # in-flight requests finish on SIGTERM/SIGINT, up to this long


def serve(
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    workers: int = 1,
    log_level: str = "info",
) -> None:
    """Serve until stopped. Each worker process builds its app (and loads its rulebook) from
    the settings, passed down in the environment."""
    os.environ.update(settings.to_env())
    uvicorn.run(
        APP,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=log_config(log_level),
        access_log=False,  # our own request log has no addresses or query strings
        timeout_graceful_shutdown=GRACE_SECONDS,
        proxy_headers=False,
        server_header=False,
    )
