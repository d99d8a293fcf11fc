"""Schemathesis hooks for fuzzing the service: a batch body is text, one case a line."""

from __future__ import annotations

import schemathesis

schemathesis.serializer.alias("application/x-ndjson", "text/plain")
