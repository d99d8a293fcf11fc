"""The smallest valid cases these tests build on."""

from __future__ import annotations

from typing import Any


def report() -> dict[str, Any]:
    """A report received from the victim by Kent Police (a fresh copy each call)."""
    return {
        "id": "R1",
        "received_at": "2024-03-04T10:00:00+00:00",
        "reporter": {"kind": "victim"},
        "recording_force": "kent",
    }


def assaults(*aids: str, **extra: Any) -> dict[str, Any]:
    """A case with one plain assault (no injury) per id in ``aids``, plus ``extra`` sections."""
    return {
        "report": report(),
        "victims": [{"id": "V1", "age": 30, "confirmed": True}],
        "allegations": [
            {
                "id": a,
                "offence": "assault",
                "victim": "V1",
                "force_on_person": True,
                "injury": "none",
            }
            for a in aids
        ],
        **extra,
    }
