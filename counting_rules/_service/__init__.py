"""The HTTP decision service: FastAPI routes over the library, one engine thread a worker."""

from __future__ import annotations

from counting_rules._service.app import create_app
from counting_rules._service.settings import Settings

__all__ = ["Settings", "create_app"]
