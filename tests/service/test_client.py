"""counting_rules.client against a real server."""

from __future__ import annotations

import pytest

from counting_rules import CaseFactsError, decide, parse_case
from counting_rules.client import Client, ServiceError

from .conftest import Server
from .test_problems import case


def test_decide_gives_the_in_process_decision(server: Server) -> None:
    with Client(server.url) as api:
        assert api.ready()
        assert api.decide(case()) == decide(case())
        assert api.decide(parse_case(case())) == decide(case())
        assert "Decision for case" in api.decide_text(case())


def test_a_refused_case_is_the_libraries_error_with_every_problem(server: Server) -> None:
    bad = case()
    bad["allegations"][0]["injury"] = "bruised"
    bad["victims"][0]["age"] = "thirty"
    with Client(server.url) as api, pytest.raises(CaseFactsError) as caught:
        api.decide(bad)
    with pytest.raises(CaseFactsError) as local:
        parse_case(bad)
    assert [e.field for e in caught.value.errors] == [e.field for e in local.value.errors]
    assert {"allegations[A1].injury", "victims[V1].age"} <= {e.field for e in local.value.errors}


def test_other_problems_are_service_errors(server: Server) -> None:
    with Client(server.url) as api:
        with pytest.raises(ServiceError) as caught:
            api.decide(case(), edition="1999")
        assert caught.value.status == 400
        with pytest.raises(ServiceError):
            api.rule("general_rules/nope")
    with Client("http://127.0.0.1:9", timeout=2) as dead:
        assert not dead.ready()
        with pytest.raises(ServiceError) as caught:
            dead.decide(case())
        assert caught.value.status == 0


def test_batch_why_not_still_needed_rules(server: Server) -> None:
    bad = case()
    bad["allegations"][0]["injury"] = "bruised"
    with Client(server.url) as api:
        results = list(api.decide_batch([case(), bad]))
        assert [r.line for r in results] == [1, 2]
        assert results[0].decision == decide(case())
        assert results[1].decision is None
        assert results[1].problem
        rid = "general_rules/ncrs/record_when_test_met"
        assert api.why_not(case(), [rid]).answers[0].status == "fired"
        assert api.still_needed(case()).complete
        assert api.rule(rid).id == rid
        assert rid in {r.id for r in api.rulebooks().rules}
