"""The audit reports (issue 13, item 5): the figures they show are the summary's, computed
here again from its counts with the statistics functions; the HTML page is whole, has every
section and asks for nothing outside itself; Markdown and JSON say the same."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from benchmarks.synthetic_force import generate
from counting_rules import decide, parse_case
from counting_rules._audit import AuditFinding, AuditSummary, audit_record, normal, wilson
from counting_rules._audit.report import (
    render_html,
    render_json,
    render_markdown,
    view,
    write_reports,
)
from counting_rules._audit.report.figures import GROUP_LABELS, KIND_LABELS, percent
from counting_rules._audit.statistics import normal_fpc
from counting_rules._audit.summary import GROUPS, HOURS_LABELS
from counting_rules._explain.render import environment
from counting_rules.errors import UsageError, WriteError

SECTIONS = ("summary", "recording", "timeliness", "accuracy", "findings", "exceptions", "records")
VOID = {"meta", "br", "col", "link", "img", "input", "hr", "source", "wbr"}
POPULATION = 40_000
RATIONALE = "Words of advice given; no offences disclosed."  # the synthetic closing rationale


@pytest.fixture(scope="module")
def audited() -> tuple[AuditSummary, list[tuple[str, AuditFinding]], list[str]]:
    """A summary of 500 synthetic records, their findings, and every reason's explanation."""
    summary, found, explanations = AuditSummary(), [], []
    for r in generate(500, 21, share=0.5):
        case = parse_case(r.case)
        decision = decide(case, evaluator="reference")
        findings = audit_record(case, decision)
        summary.add(case, decision, findings)
        found += [(case.report.id, f) for f in findings]
        explanations += [x.explanation for f in findings for x in f.reasons]
    summary.reject("report.received_at")
    return summary, found, explanations


class Page(HTMLParser):
    """The tags, ids, links and table rows (by section) of an HTML page, checking that every
    element is closed in order."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: list[str] = []
        self.section: str | None = None
        self.rows: dict[str, dict[str, list[str]]] = {}
        self.tbody: str | None = None
        self.exception_rows: list[tuple[str | None, str]] = []  # (tbody id, first link)
        self._row: list[str] | None = None
        self._key: str | None = None
        self._cell: list[str] | None = None
        self._link: str | None = None
        self.feed(text)
        self.close()
        assert self.stack == [], f"unclosed elements: {self.stack}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "section":
            self.section = a.get("id")
        if tag == "tbody":
            self.tbody = a.get("id")
        if tag == "tr":
            self._row, self._key, self._link = [], a.get("data-key"), None
        if tag in ("td", "th"):
            self._cell = []
        if tag == "a" and self._row is not None and self._link is None:
            self._link = a.get("href")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack[-1:] == [tag], f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()
        if tag == "tbody":
            self.tbody = None
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag == "tr" and self._row is not None:
            if self._key is not None and self.section is not None:
                self.rows.setdefault(self.section, {}).setdefault(self._key, self._row)
            if self.section == "exceptions" and self.tbody is not None:
                self.exception_rows.append((self.tbody, str(self._link)))
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def findings_file(path: Path, found: list[tuple[str, AuditFinding]]) -> Path:
    """A findings.jsonl as the audit writes it: one line a record, reasons without facts."""
    by_record: dict[str, list[dict[str, Any]]] = {}
    for record_id, f in found:
        doc = f.model_dump(mode="json")
        for reason in doc["reasons"]:
            del reason["facts"]
        by_record.setdefault(record_id, []).append(doc)
    lines = [
        json.dumps({"line": n, "id": rid, "complete": True, "findings": docs})
        for n, (rid, docs) in enumerate(by_record.items(), 1)
    ]
    lines.insert(1, json.dumps({"line": 0, "id": "CLEAN-1", "complete": True, "findings": []}))
    path.write_text("\n".join(lines) + "\n")
    return path


def rate_cells(label: str, correct: int, checked: int, population: int | None = None) -> list[str]:
    """A rate row as the report must show it, from the counts alone."""
    w = wilson(correct, checked)
    n = normal_fpc(correct, checked, population) if population else normal(correct, checked)
    half = max(n.upper - n.share, n.share - n.lower) * 100
    return [
        label,
        f"{correct:,} of {checked:,}",
        percent(correct / checked),
        f"{percent(w.lower)} to {percent(w.upper)}",
        f"{percent(n.share)} ± {half:.2f}",
    ]


def report(audited: Any, **options: Any) -> tuple[Page, str, str, dict[str, Any]]:
    summary, found, _ = audited
    v = view(summary, found, population=POPULATION, recorded_per_year=120_000, **options)
    html, md = render_html(v), render_markdown(v)
    return Page(html), html, md, json.loads(render_json(v))


def test_the_figures_are_the_summary_s(audited: Any) -> None:
    summary: AuditSummary = audited[0]
    page, _, _, _ = report(audited)
    rec = page.rows["recording"]
    for g in GROUPS:
        t = summary.recording[g]
        if t.checked:
            assert rec[g] == rate_cells(GROUP_LABELS[g], t.correct, t.checked), g
    both = summary.recording["sexual_offences"].plus(summary.recording["rape"])
    combined = rec["sexual_offences_including_rape"]
    assert combined == rate_cells(
        GROUP_LABELS["sexual_offences_including_rape"], both.correct, both.checked
    )
    right = sum(t.correct for t in summary.recording.values())
    checked = sum(t.checked for t in summary.recording.values())
    assert rec["all"] == rate_cells("All crime", right, checked, POPULATION)  # with the FPC

    timely = page.rows["timeliness"]
    for g in GROUPS:
        t = summary.timeliness[g]
        if t.checked:
            assert timely[g] == rate_cells(GROUP_LABELS[g], t.correct, t.checked), g
    total = sum(summary.hours_to_record.values())
    assert total
    for label in HOURS_LABELS:
        count = summary.hours_to_record[label]
        assert timely[label][1:] == [f"{count:,}", percent(count / total)], label

    acc = page.rows["accuracy"]
    for key, t in (("n100", summary.n100), ("victim_notification", summary.victim_notification)):
        assert acc[key][1:] == rate_cells("", t.correct, t.checked)[1:], key

    kinds = page.rows["findings"]
    for kind, label in KIND_LABELS.items():
        assert kinds[kind][0] == label
        assert kinds[kind][-1] == f"{summary.findings.get(kind, 0):,}", kind
    assert kinds["total"][-1] == f"{sum(summary.findings.values()):,}"

    read = page.rows["records"]
    assert read["decided"][1] == f"{summary.records.decided:,}" == "500"
    assert read["rejected"][1] == "1"
    assert read["with_findings"][1] == f"{summary.records.with_findings:,}"


def test_markdown_and_json_give_the_same_figures(audited: Any) -> None:
    page, _, md, doc = report(audited)
    md_rows = {
        tuple(c.strip().strip("*") for c in line.strip("|").split("|"))
        for line in md.splitlines()
        if line.startswith("| ")
    }
    for section in ("recording", "timeliness", "accuracy", "findings", "records"):
        for key, cells in page.rows[section].items():
            assert tuple(cells) in md_rows, (section, key, cells)
    by_key = {r["key"]: r for r in doc["recording"]["by_group"]}
    for key, cells in page.rows["recording"].items():
        row = doc["recording"]["all"] if key == "all" else by_key[key]
        text = row["text"]
        assert [row["label"], *(text[k] for k in ("count", "share", "wilson", "normal"))] == cells
        assert row["text"]["count"] == f"{row['correct']:,} of {row['checked']:,}"
    assert doc["statistics"]["recording_rate"]["checked"] == doc["recording"]["all"]["checked"]
    hours = {h["bin"]: h["count"] for h in doc["timeliness"]["hours_to_record"]}
    assert hours == dict(audited[0].hours_to_record)
    found = {k["kind"]: k["count"] for k in doc["findings"]["by_kind"]}
    assert {k: v for k, v in found.items() if v} == audited[0].findings
    assert doc["exceptions"]["total"] == len(audited[1]) == doc["findings"]["total"]
    unrecorded = doc["recording"]["unrecorded_per_year"]
    assert unrecorded["recorded_per_year"] == 120_000
    assert f"{round(unrecorded['count']):,}" in md


def test_the_html_asks_for_nothing_outside_itself(audited: Any) -> None:
    page, html, _, _ = report(audited)
    citations = {x.citation.url for _, f in audited[1] for x in f.reasons}
    names = {tag for tag, _ in page.tags}
    assert not names & {"script", "link", "img", "iframe", "object", "embed", "base", "form"}
    external = 0
    for tag, attrs in page.tags:
        assert not {"src", "srcset", "style"} & set(attrs), tag
        href = attrs.get("href")
        if href is None:
            continue
        if href.startswith("#"):
            assert href[1:] in page.ids, f"a link to a missing anchor: {href}"
            continue
        assert tag == "a", f"an external address outside a link: {href}"
        assert href in citations, f"an external address that is no citation: {href}"
        assert re.match(r"https?://", href)
        external += 1
    assert external  # the citations are there, as plain links
    assert "url(" not in html
    assert "@import" not in html
    csp = [
        a for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp
    assert "default-src 'none'" in str(csp[0]["content"])


def test_the_html_has_every_section_chart_and_the_method(audited: Any) -> None:
    page, html, _, _ = report(audited)
    assert len(page.ids) == len(set(page.ids)), "an id is used twice"
    for section in (*SECTIONS, "method"):
        assert section in page.ids
    svgs = [a for t, a in page.tags if t == "svg"]
    assert len(svgs) == 3
    for title in (
        "Recording rate by crime group, with 95% intervals",
        "Hours from the start of the clock to the crime record",
        "Findings by type",
    ):
        assert f"<title>{title}</title>" in html
    method = html[html.index('id="method"') :]
    assert "Wilson score interval (95%)" in method
    assert "statsmodels" in method
    assert "finite population correction" in method
    assert f"{POPULATION:,}" in method
    assert "recorded · (1-r)/r" in method


def test_each_exception_links_to_its_record(audited: Any) -> None:
    found = audited[1]
    page, html, md, doc = report(audited)
    rows = page.exception_rows
    assert len(rows) == len(found) == doc["exceptions"]["shown"]
    for (tbody, link), (record_id, _) in zip(rows, found, strict=True):
        assert tbody == f"record-{record_id}"
        assert link == f"#record-{record_id}"
    assert f"All {len(found):,} findings are shown." in html
    page, html, md, doc = report(audited, max_exceptions=7)
    assert len(page.exception_rows) == 7 == len(doc["exceptions"]["rows"])
    assert f"The first 7 of {len(found):,} findings are shown" in html
    assert f"The first 7 of {len(found):,} findings are shown" in md
    assert doc["exceptions"]["by_kind"] == audited[0].findings


def test_no_personal_details_reach_a_report(audited: Any) -> None:
    _, html, md, doc = report(audited)
    text = json.dumps(doc)
    explanations = {e for e in audited[2] if len(e) > 30}
    assert explanations
    for out in (html, md, text):
        assert RATIONALE not in out
        assert not [e for e in explanations if e in out]  # explanations carry matched facts


def test_write_reports_writes_each_format_from_a_file_or_the_pairs(
    audited: Any, tmp_path: Path
) -> None:
    summary, found, _ = audited
    lines = findings_file(tmp_path / "findings.jsonl", found)
    a = write_reports(summary, lines, tmp_path / "a", population=POPULATION)
    b = write_reports(summary, iter(found), tmp_path / "b", population=POPULATION)
    assert sorted(a) == ["html", "json", "md"]
    for fmt in a:
        assert a[fmt].read_bytes() == b[fmt].read_bytes(), fmt
        assert a[fmt].name == {"html": "report.html", "md": "report.md", "json": "report.json"}[fmt]
    only = write_reports(summary, [], tmp_path / "c", formats=("md",))
    assert list(only) == ["md"]
    assert not (tmp_path / "c" / "report.html").exists()
    with pytest.raises(UsageError, match="'pdf' is not one of html, md, json"):
        write_reports(summary, [], tmp_path, formats=("pdf",))
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(WriteError, match="cannot create the report folder"):
        write_reports(summary, [], blocker / "reports")


def test_a_bad_findings_file_names_its_line_and_field(audited: Any, tmp_path: Path) -> None:
    summary, found, _ = audited
    bad = findings_file(tmp_path / "findings.jsonl", found[:1])
    good = bad.read_text().splitlines()[0]
    wrong = json.loads(good)
    wrong["findings"][0]["kind"] = "lost"
    bad.write_text(good + "\n" + json.dumps(wrong) + "\n")
    with pytest.raises(UsageError, match=r"line 2: findings\[0\]\.kind: "):
        write_reports(summary, bad, tmp_path / "out")
    bad.write_text(json.dumps({"line": 1, "findings": []}) + "\n")
    with pytest.raises(UsageError, match="line 1: id: the record's id"):
        write_reports(summary, bad, tmp_path / "out")
    bad.write_text("{not json\n")
    with pytest.raises(UsageError, match="line 1: not JSON"):
        write_reports(summary, bad, tmp_path / "out")
    with pytest.raises(UsageError, match="cannot read the findings file"):
        write_reports(summary, tmp_path / "missing.jsonl", tmp_path / "out")


def test_the_templates_render_in_the_sandbox_with_strict_undefined() -> None:
    env = environment(True)
    assert isinstance(env, SandboxedEnvironment)
    assert env.undefined is StrictUndefined
    assert env.get_template("audit/report.html.j2").filename
    assert env.get_template("audit/report.md.j2").filename


def test_an_audit_of_nothing_still_reports_every_section(tmp_path: Path) -> None:
    written = write_reports(AuditSummary(), [], tmp_path, recorded_per_year=1000)
    page = Page(written["html"].read_text())
    for section in (*SECTIONS, "method"):
        assert section in page.ids
    assert page.rows["recording"]["all"][1:] == ["none checked", "—", "—", "—"]
    md = written["md"].read_text()
    assert "no crimes checked" in md
    assert "All 0 findings are shown." in md
    doc = json.loads(written["json"].read_text())
    assert doc["recording"]["unrecorded_per_year"] is None  # no rate, no estimate
    assert doc["exceptions"] == {"shown": 0, "total": 0, "by_kind": {}, "rows": []}
