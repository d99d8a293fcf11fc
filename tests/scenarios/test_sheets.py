"""The two printed sheets (trainer's and trainees'), the projector, the facts in sentences and
what changed from stage to stage, on every scenario of the library."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from markupsafe import escape

from counting_rules import Rulebook, Scenario
from counting_rules._explain.dates import plain_when
from counting_rules._training.facts import PHRASES
from counting_rules._training.walkthrough import render_handout, render_projector, stage_views
from counting_rules.case import (
    Allegation,
    Evidence,
    Offender,
    OfficerProposal,
    Proposal,
    Report,
    Victim,
)
from counting_rules.cli import main
from counting_rules.scenario import ScenarioResult, check_scenario, load_scenario
from tests.scenarios.test_scenarios import LIBRARY, SCENARIOS

IDS = [str(s.id) for s in SCENARIOS]
REF = ["--evaluator", "reference"]
DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
PLAIN_DATE = re.compile(rf"\b{DAY} \d{{1,2}} {MONTH} \d{{4}}\b")
PLAIN_TIME = re.compile(rf"{PLAIN_DATE.pattern}, (?:1[0-2]|[1-9])\.[0-5]\d (?:am|pm)\b")
ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2})?|\d{2}:\d{2}:\d{2}|\bUTC\b|\+0[01]:00")


_RESULTS: dict[str, ScenarioResult] = {}


def _result(ident: str, book: Rulebook) -> ScenarioResult:
    if ident not in _RESULTS:
        scenario = next(s for s in SCENARIOS if str(s.id) == ident)
        _RESULTS[ident] = check_scenario(scenario, evaluator="reference", rulebook=book)
    return _RESULTS[ident]


def answers(result: ScenarioResult, book: Rulebook) -> set[str]:
    """What would give a model answer away: the codes of every crime and N100 of every stage
    (a code with a letter or a slash alone; any code with its title), the outcome words, the
    rule ids (the book's, and every reason's) and the source-register ids the scenario cites."""
    out = {"ALLOWED", "REFUSED", "Record crime", "not counted separately", "Model answer"}
    out |= {"Teaching points", "Transfer allegation", "Incident — allegation", "Checked against"}
    out |= set(book.rules)
    for st in result.stages:
        d = st.run.decision
        codes = [(c.code, c.title) for c in d.crimes]
        codes += [(a.code, a.title) for c in d.crimes for a in c.absorbed]
        out |= {f"{code} {title}" for code, title in codes if code}
        out |= {code for code, _ in codes if code and re.search(r"[A-Za-z/]", code)}
        out |= {n.n100_type for n in d.n100s if n.n100_type}
        out |= {r.rule_id for item in (*d.crimes, *d.n100s, *d.cancellations) for r in item.reasons}
    for stage in result.scenario.stages:
        out |= {tp.source.split()[0] for tp in stage.teaching_points if tp.source}
    return out


def given_away(page: str, forbidden: set[str]) -> list[str]:
    """The forbidden words on a page (whole words, so 9A is not found in 19A)."""
    return sorted(w for w in forbidden if re.search(rf"(?<![\w/]){re.escape(w)}(?![\w/])", page))


@pytest.mark.parametrize("ident", IDS)
def test_the_trainee_sheet_gives_no_answer_away(ident: str, book: Rulebook) -> None:
    result = _result(ident, book)
    trainer = render_handout(result, book, "trainer")
    trainee = render_handout(result, book, "trainee")
    forbidden = answers(result, book)
    # The check can fail: the trainer's sheet, which has the answers, does not pass it.
    assert given_away(trainer, forbidden)
    # Words the scenario's author wrote for trainees (its title, a narrative, a question) are
    # theirs to choose: "N100/2: a rape report contradicted ..." is a title, not a leak.
    sc = result.scenario
    authored = " ".join([sc.title, *(f"{st.narrative} {st.question}" for st in sc.stages)])
    assert given_away(trainee, forbidden - set(given_away(authored, forbidden))) == []
    assert not re.search(r"\b[SR]\d{1,3}\b", trainee)  # no source-register id at all
    assert not re.search(r"[\w.-]+/[\w.-]+\.(?:txt|md|yaml|pdf)\b", trainee)  # no file paths
    assert not re.search(r"https?://", trainee)  # nothing cited, so nothing linked
    for stage in result.scenario.stages:
        assert stage.question.strip().split()[0] in trainee
    assert trainee.count('class="line"') >= 3 * len(result.scenario.stages)


@pytest.mark.parametrize("ident", IDS)
def test_every_page_writes_dates_one_plain_way(ident: str, book: Rulebook) -> None:
    result = _result(ident, book)
    pages = {
        "trainer": render_handout(result, book, "trainer"),
        "trainee": render_handout(result, book, "trainee"),
        "projector": render_projector(result, book),
    }
    for name, page in pages.items():
        text = re.sub(r"<[^>]+>|https?://\S+", " ", page)
        assert not ISO.findall(text), name
        assert PLAIN_TIME.search(text), name  # the report's time, at least
        # A time of day is never without its day ("10.10 pm" comes after "Thursday 12 July 2018, ")
        times = re.findall(r"\b\d{1,2}\.\d{2} (?:am|pm)\b", text)
        assert len(times) == len(PLAIN_TIME.findall(text)), name
    assert "reporter: kind" not in pages["trainer"]  # sentences, not machine output
    assert "shared/domain" not in pages["trainer"]  # no internal paths on the trainer's sheet


def test_plain_when_is_london_time() -> None:
    assert plain_when(datetime(2018, 7, 12, 21, 10, tzinfo=UTC)) == (
        "Thursday 12 July 2018, 10.10 pm"
    )
    assert plain_when(datetime(2022, 3, 1, 10, 0, tzinfo=UTC)) == "Tuesday 1 March 2022, 10.00 am"
    ny = timezone(timedelta(hours=-5))
    assert plain_when(datetime(2022, 12, 31, 19, 0, tzinfo=ny)) == (
        "Sunday 1 January 2023, 12.00 am"
    )
    assert plain_when(datetime(2023, 6, 1, 11, 5, tzinfo=UTC)) == "Thursday 1 June 2023, 12.05 pm"
    assert plain_when(date(2019, 5, 20)) == "Monday 20 May 2019"


@pytest.mark.parametrize("ident", IDS)
def test_the_projector_is_self_contained_and_has_every_stage(ident: str, book: Rulebook) -> None:
    result = _result(ident, book)
    page = render_projector(result, book)
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"https?://|<link|@import|url\(|src=", page, re.I)
    assert "default-src 'none'" in page
    assert "<script>" in page
    assert "ArrowRight" in page
    assert "ArrowLeft" in page
    n = len(result.scenario.stages)
    for i, stage in enumerate(result.scenario.stages, 1):
        assert f'data-stage="{i}"' in page
        assert f"Stage {i} of {n}: {escape(stage.title)}" in page
    assert f'data-stage="{n + 1}"' not in page
    # Each stage's decision is on its slide, hidden until revealed.
    assert page.count('<div class="answer">') == n


def test_what_changed_names_the_corrected_fact_and_the_changed_outcome(book: Rulebook) -> None:
    result = _result(
        "hocr/crime_types/violence_against_the_person/kicked_on_the_ground_and_intent", book
    )
    first, second = stage_views(result, book)[:2]
    assert first["changes"] is None
    (corrected,) = [f for f in second["facts"] if f["kind"] == "corrected"]
    assert corrected["text"] == (
        "Allegation A1 was done with intent to cause really serious harm — before, it was done "
        "with no intent to cause really serious harm."
    )
    (crime,) = [c for c in second["changes"] if c["heading"] == "Crimes to record"]
    assert crime["kind"] == "changed"
    assert crime["before"].startswith("Record crime: 8N Assault with injury — allegation A1")
    assert crime["text"].startswith(
        "Record crime: 5D Assault with intent to cause serious harm — allegation A1"
    )
    # The trainer's sheet shows the change at stage 2, not the whole decision again.
    page = render_handout(result, book, "trainer")
    stage2 = page.split('id="stage-2"', 1)[1]
    assert "what changed in the decision" in stage2
    assert "Before: Record crime: 8N Assault with injury" in stage2
    assert stage2.count("Record crime:") == 2  # the new item and what it was


def test_what_changed_when_nothing_does(book: Rulebook, tmp_path: Path) -> None:
    original = load_scenario(LIBRARY / "hocr/crime_types/theft/thefts_on_a_saturday.yaml")
    same = original.model_copy(
        update={"stages": (original.stages[0], original.stages[0].model_copy(update={"facts": {}}))}
    )
    result = check_scenario(same, evaluator="reference", rulebook=book)
    second = stage_views(result, book)[1]
    assert second["facts"] == []
    assert second["changes"] == []
    assert "The decision does not change" in render_handout(result, book, "trainer")


@pytest.mark.parametrize(
    ("model", "kind"),
    [
        (Report, "report"),
        (Victim, "victim"),
        (Offender, "offender"),
        (Allegation, "allegation"),
        (Evidence, "evidence"),
        (Proposal, "proposal"),
        (OfficerProposal, "officer proposal"),
    ],
)
def test_every_fact_of_the_case_has_words(model: type, kind: str) -> None:
    fields = set(model.model_fields) - {"id"}  # type: ignore[attr-defined]
    assert fields - set(PHRASES[kind]) == set()


def test_walkthrough_writes_both_sheets_and_the_projector(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "inspection_domestic_abuse_at_the_door"
    trainee, trainer, slides = (tmp_path / f for f in ("a.html", "b.html", "c.html"))
    assert main(["walkthrough", name, "--handout", "trainee", "--html", str(trainee), *REF]) == 0
    assert (
        main(["walkthrough", name, "--html", str(trainer), "--projector", str(slides), *REF]) == 0
    )
    out = capsys.readouterr().out
    assert f"the trainee sheet for hocr/general_rules/ncrs/{name} to {trainee}" in out
    assert f"the trainer sheet for hocr/general_rules/ncrs/{name} to {trainer}" in out
    assert f"the projector file for hocr/general_rules/ncrs/{name} to {slides}" in out
    assert "Trainee sheet" in trainee.read_text(encoding="utf-8")
    assert "Trainer's sheet" in trainer.read_text(encoding="utf-8")
    assert "Thursday 12 July 2018, 10.10 pm" in trainee.read_text(encoding="utf-8")
    assert "9A Public fear, alarm or distress" in trainer.read_text(encoding="utf-8")
    assert "9A" not in trainee.read_text(encoding="utf-8")
    assert "Stage 3 of 3" in slides.read_text(encoding="utf-8")
    assert main(["walkthrough", name, "--handout", "trainee", *REF]) == 64
    assert "needs --html FILE" in capsys.readouterr().err


def test_the_text_walkthrough_says_what_changed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["walkthrough", "kicked_on_the_ground_and_intent", "--auto", *REF]) == 0
    out = capsys.readouterr().out
    stage2 = out.split("Stage 2 of 2", 1)[1]
    assert "Corrected: Allegation A1 was done with intent to cause really serious harm" in stage2
    assert "What changed in the decision since the stage before:" in stage2
    assert "~ Crimes to record: Record crime: 5D" in stage2
    assert "before: Record crime: 8N" in stage2


def test_sheets_escape_scenario_text(book: Rulebook) -> None:
    original = load_scenario(LIBRARY / "hocr/crime_types/theft/thefts_on_a_saturday.yaml")
    evil: Scenario = original.model_copy(update={"title": "<script>alert(1)</script> & co"})
    result = check_scenario(evil, evaluator="reference", rulebook=book)
    for page in (render_handout(result, book, "trainee"), render_projector(result, book)):
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
