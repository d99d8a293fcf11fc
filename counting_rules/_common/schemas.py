"""The JSON Schemas of the case input and the decision output, written once for the CLI and
the HTTP service."""

from __future__ import annotations

from typing import Any

from counting_rules.case import CaseFacts
from counting_rules.decision import Decision

__all__ = ["schemas"]


def schemas() -> dict[str, Any]:
    """JSON Schemas of the case input and the decision output."""
    return {
        "case": CaseFacts.model_json_schema(mode="validation"),
        "decision": Decision.model_json_schema(mode="serialization"),
    }
