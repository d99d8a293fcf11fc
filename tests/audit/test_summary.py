"""The audit's tally (``AuditSummary``): what each record adds, merging in any grouping gives
the single pass's summary, the JSON round trip, and the statistics computed from it."""

from __future__ import annotations

from datetime import timedelta
from itertools import permutations
from typing import Any

import pytest

from counting_rules import decide, parse_case
from counting_rules._audit.findings import audit_record
from counting_rules._audit.statistics import normal_fpc, stratified, wilson
from counting_rules._audit.summary import HOURS_LABELS, AuditSummary
from counting_rules.errors import UsageError
from tests.audit.test_findings import C2_REFUSED, PUB, TOLD, cancelled, faithful


def late(data: dict[str, Any], hours: int) -> dict[str, Any]:
    record = faithful(data)
    at = parse_case(data).report.received_at + timedelta(hours=hours)
    record["crimes"][0]["recorded_at"] = at.isoformat()
    return record


def told(data: dict[str, Any], answer: str) -> dict[str, Any]:
    decider = decide(parse_case(data)).cancellations[0].decider
    return cancelled(data, "C2", decider=decider, victim_told=answer)


RECORDS: list[tuple[dict[str, Any], dict[str, Any]]] = [
    (PUB, faithful(PUB)),  # right
    (PUB, {}),  # not recorded
    (PUB, late(PUB, 30)),  # recorded 6 hours late
    (PUB, late(PUB, 3)),  # in time
    (C2_REFUSED, cancelled(C2_REFUSED, "C2", victim_told="yes")),  # refused cancellation
    (TOLD, told(TOLD, "no")),  # allowed, the victim not told
    (TOLD, told(TOLD, "yes")),  # allowed, told
]


def one(data: dict[str, Any], record: dict[str, Any]) -> AuditSummary:
    case = parse_case({**data, "as_recorded": record})
    decision = decide(case, evaluator="reference")
    s = AuditSummary()
    s.add(case, decision, audit_record(case, decision), stratum="a" if data is PUB else "b")
    return s


@pytest.fixture(scope="module")
def parts() -> list[AuditSummary]:
    return [one(*r) for r in RECORDS]


def single_pass() -> AuditSummary:
    s = AuditSummary()
    for data, record in RECORDS:
        case = parse_case({**data, "as_recorded": record})
        decision = decide(case, evaluator="reference")
        s.add(case, decision, audit_record(case, decision), stratum="a" if data is PUB else "b")
    return s


def test_each_record_adds_what_its_findings_say(parts: list[AuditSummary]) -> None:
    total = AuditSummary()
    for p in parts:
        total = total.merge(p)
    assert total.records.decided == 7
    assert total.records.rejected == 0
    violence = total.recording["violence"]
    # PUB four times (once unrecorded) and the assault whose cancellation was refused
    assert (violence.correct, violence.checked) == (4, 5)
    assert (total.timeliness["violence"].correct, total.timeliness["violence"].checked) == (3, 4)
    assert total.timeliness["other"].checked == 2  # the two thefts, recorded on receipt
    assert sum(total.hours_to_record.values()) == 6
    assert total.hours_to_record["0-1"] == 4
    assert total.hours_to_record["1-6"] == 1
    assert total.hours_to_record["24-48"] == 1
    assert total.findings["crime_not_recorded"] == 1
    assert total.findings["recorded_late"] == 1
    assert total.findings["cancellation_not_allowed"] == 1
    assert total.findings["victim_not_told"] == 1
    cancellations = [t for t in total.cancellations.values() if t.checked]
    assert sum(t.checked for t in cancellations) == 3
    assert sum(t.correct for t in cancellations) == 2
    notified = total.victim_notification
    assert (notified.correct, notified.checked) == (1, 2)
    assert total.strata["a"].checked == 4


def test_merging_in_any_order_and_grouping_is_the_single_pass(parts: list[AuditSummary]) -> None:
    expected = single_pass()
    for order in list(permutations(range(len(parts))))[:40]:
        left = AuditSummary()
        for i in order:
            left = left.merge(parts[i])
        assert left == expected
        assert left.to_json() == expected.to_json()
    a, b, c = parts[0].merge(parts[1]), parts[2], parts[3].merge(parts[4])
    assert a.merge(b).merge(c) == a.merge(b.merge(c))
    assert AuditSummary().merge(expected) == expected


def test_json_round_trip_and_strictness() -> None:
    s = single_pass()
    s.reject("report.received_at")
    back = AuditSummary.from_json(s.to_json())
    assert back == s
    assert back.records.total == 8
    assert back.rejected_fields == {"report.received_at": 1}
    with pytest.raises(ValueError, match="n100"):
        AuditSummary.from_json(s.to_json().replace('"n100": {', '"n100": {"extra": 1, ', 1))


def test_statistics_come_from_the_statistics_module() -> None:
    s = single_pass()
    stats = s.statistics(population=70, recorded_per_year=1000, stratum_sizes={"a": 40, "b": 30})
    rate = stats.recording_rate
    assert rate.correct == sum(t.correct for t in s.recording.values())
    assert rate.checked == sum(t.checked for t in s.recording.values())
    w = wilson(rate.correct, rate.checked)
    assert rate.wilson is not None
    assert rate.wilson.lower == pytest.approx(w.lower)
    n = normal_fpc(rate.correct, rate.checked, 70)
    assert rate.normal is not None
    assert rate.normal.upper == pytest.approx(n.upper)
    assert rate.normal.method == "normal-fpc"
    strata = [(40, s.strata["a"].checked, s.strata["a"].correct)]
    strata.append((30, s.strata["b"].checked, s.strata["b"].correct))
    assert stats.stratified_recording_rate is not None
    assert stats.stratified_recording_rate.share == pytest.approx(
        stratified([r for r in strata if r[1]]).share
    )
    assert stats.unrecorded_per_year is not None
    share = rate.normal.share
    assert stats.unrecorded_per_year.count == pytest.approx(1000 * (1 - share) / share)
    assert set(stats.hours_to_record) == set(HOURS_LABELS)
    assert stats.recording_rate_by_group["robbery"].wilson is None  # nothing checked
    with pytest.raises(UsageError, match="stratum 'b'"):
        s.statistics(stratum_sizes={"a": 40})
