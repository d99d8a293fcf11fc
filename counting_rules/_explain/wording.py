"""Why-not in words: facts, conditions, patterns and citations as a trainee reads them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from counting_rules._engine.facts import Fact
from counting_rules._rulebook.ir import APPLIES, Cond, Pattern, Ref

__all__ = [
    "NAMES",
    "NEEDED",
    "ask",
    "expect",
    "fact_name",
    "is_join",
    "pattern_words",
    "words",
]

# fmt: off
NAMES = {"case": "the report", "recording": "the recording decision",
         "classification": "the classification", "candidate": "the candidate crime",
         "ranked": "the ranked crime", "cancellation": "the cancellation ruling",
         "deadline": "the deadline", APPLIES: "an exception"}
NEEDED = {"involvement": "an offender named on the allegation", "hostility": "a hostility strand",
          "relationship": "a relationship between offender and victim", "evidence": "evidence",
          "proposal": "a proposal", "victim": "a victim", "offender": "an offender",
          "allegation": "an allegation"}
OPS = {"ne": "anything but {}", "lt": "less than {}", "le": "at most {}",
        "gt": "more than {}", "ge": "at least {}"}
# fmt: on


def words(value: Any, field: str = "") -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) and field.endswith("_at"):
        return datetime.fromtimestamp(value, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, tuple | list):
        return ", ".join(words(v, field) for v in value)
    return str(value).replace("_", " ")


def fact_name(f: Fact) -> str:
    t = f["t"]
    if t == "allegation":
        return f"allegation {f['aid']} ({words(f['offence'])})"
    if t == "victim":
        return f"victim {f['vid']}"
    if t == "offender":
        return f"offender {f['oid']}"
    if t == "relationship":
        return f"the relationship of offender {f['oid']} to victim {f['vid']}"
    if t == "involvement":
        return f"offender {f['oid']} on allegation {f['aid']}"
    if t == "evidence":
        return f"evidence {f['eid']}"
    if t == "proposal":
        return f"proposal {f['pid']} ({f['category']})"
    if t == "hostility":
        return f"the hostility perceived on allegation {f['aid']}"
    about = next((f[k] for k in ("aid", "pid", "vid", "subject") if k in f), None)
    base = NAMES.get(t, "the " + words(t))
    return f"{base} for {about}" if about else base


def expect(c: Cond, bound: Mapping[str, Fact]) -> str:
    if c.op == "known":
        return "it to be known" if c.value else "it to be unknown"
    v: Any = c.value
    if isinstance(v, Ref):
        other = bound[v.alias].get(v.field)
        shown = f"{fact_name(bound[v.alias])}'s {words(v.field)} ({words(other, v.field)})"
        return shown if c.op == "eq" else OPS[c.op].format(shown)
    if c.op == "eq":
        return words(v, c.field)
    if c.op in ("in", "not_in"):
        names = [words(x, c.field) for x in v]
        listed = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else "".join(names)
        return ("one of " if c.op == "in" else "none of ") + listed
    return OPS[c.op].format(words(v, c.field))


def pattern_words(p: Pattern, bound: Mapping[str, Fact]) -> str:
    joins = [c for c in p.conds if is_join(c) and isinstance(c.value, Ref)]
    keys = [str(bound[c.value.alias].get(c.value.field)) for c in joins if isinstance(c.value, Ref)]
    conds = "; ".join(f"{words(c.field)}: {expect(c, bound)}" for c in p.conds if c not in joins)
    what = NEEDED.get(p.type, NAMES.get(p.type, "a " + words(p.type)).replace("the ", "a ", 1))
    what += f" for {', '.join(keys)}" if keys else ""
    return f"{what} ({conds})" if conds else what


def is_join(c: Cond) -> bool:
    return c.op == "eq" and isinstance(c.value, Ref)


def ask(why: str, questions: Sequence[str]) -> str:
    return why + (" Ask: " + " ".join(questions) if questions else "")
