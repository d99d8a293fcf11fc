"""The stored witnesses are fresh: every rule of every edition has one that still fires it.

A stale store is never wrong (a search takes over) but makes check and the differential
tests search again, which is what makes the suite slow; this says what to run instead."""

from __future__ import annotations

from counting_rules import default_rulebook
from counting_rules._maintain.witness_store import Witnesses

from .witnesses import RECORD, STORE


def test_every_rule_of_every_edition_has_a_stored_witness_that_fires_it() -> None:
    missing = Witnesses(STORE).unconfirmed(default_rulebook())
    shown = ", ".join(f"{e} {r}" for e, r in missing[:10])
    assert not missing, f"{len(missing)} without a witness ({shown} ...): run {RECORD}"
