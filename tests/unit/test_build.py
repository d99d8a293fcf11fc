"""Decision building: conflicts become referrals, unknowns become questions, nothing is lost."""

from __future__ import annotations

import shutil
from pathlib import Path

from counting_rules import decide, load_rulebook, parse_case
from counting_rules._rulebook.loader import default_root

from .test_loader import DATA_FILES

RULE = """title: Rule {n}
description: A recording rule for the referral test.
citation: {{document: Test, section: Test, url: "https://example.org/t", confidence: low}}
in_force: {{from: "2018"}}
when:
  - match: allegation
    as: a
    where:
      offence: assault
  - match: victim
    as: v
    where:
      vid: $a.vid
      {cond}
then:
  classification: {{aid: $a.aid, code: {code}}}
"""


def test_rules_that_disagree_at_run_time_refer_to_the_registrar(tmp_path: Path) -> None:
    # One code is computed by a look-up, so the load-time check cannot compare the two; when
    # both fire, the decision refers the allegation instead of picking one.
    root = tmp_path / "hocr"
    for rel in DATA_FILES:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(Path(str(default_root())) / rel, root / rel)
    rules = (
        (1, "age: {ge: 18}", '"105A"'),
        (2, "vulnerable: true", '{lookup: offence_catalogue.group, key: "8N"}'),
    )
    for n, cond, code in rules:
        (root / f"r{n}.yaml").write_text(RULE.format(n=n, cond=cond, code=code))
        (root / f"r{n}.md.j2").write_text("Allegation {{ a.aid }}.")
    book = load_rulebook(root)
    case = parse_case(
        {
            "report": {
                "id": "r1",
                "received_at": "2024-03-04T10:00:00+00:00",
                "reporter": {"kind": "victim"},
                "recording_force": "kent",
            },
            "victims": [{"id": "V1", "age": 30, "vulnerable": True}],
            "allegations": [
                {
                    "id": "A1",
                    "offence": "assault",
                    "victim": "V1",
                    "force_on_person": True,
                }
            ],
        }
    )
    d = decide(case, rulebook=book)
    assert d == decide(case, rulebook=book, evaluator="reference")
    (ref,) = d.referrals
    assert ref.subject_id == "A1"
    assert ref.conclusion == "classification"
    assert ref.refer_to == "force_crime_registrar"
    assert {v["code"] for v in ref.values} == {"105A", "violence_against_the_person"}
    assert {r.rule_id for r in ref.reasons} == {"r1", "r2"}
    assert not d.complete
