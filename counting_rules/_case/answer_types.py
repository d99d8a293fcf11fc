"""The answer a still-needed question expects, read from the case model's own field types,
so an interview screen can be built from the question alone."""

from __future__ import annotations

import types
from datetime import date, datetime
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from counting_rules import case as c

AnswerType = Literal[
    "yes_no", "number", "text", "choice", "choices", "date", "date_time", "id", "ids", "items"
]

_MODELS: dict[str, type[BaseModel]] = {
    "report": c.Report,
    "report.reporter": c.Reporter,
    "victims": c.Victim,
    "offenders": c.Offender,
    "allegations": c.Allegation,
    "evidence": c.Evidence,
    "proposals": c.Proposal,
}


def _strip_optional(tp: Any) -> Any:
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else tp
    return tp


def _of(tp: Any) -> tuple[AnswerType, tuple[str, ...]]:
    tp = _strip_optional(tp)
    while get_origin(tp) is not None and hasattr(tp, "__metadata__"):  # Annotated[...]
        tp = get_args(tp)[0]
    if get_origin(tp) is Literal:
        return "choice", tuple(str(v) for v in get_args(tp))
    if get_origin(tp) is tuple:
        item = get_args(tp)[0]
        if isinstance(item, type) and issubclass(item, BaseModel):
            return "items", ()
        inner, choices = _of(item)
        if inner == "choice":
            return "choices", choices
        return ("ids" if inner in ("text", "id") else "items"), ()
    if tp is bool:
        return "yes_no", ()
    if tp is int:
        return "number", ()
    if tp is datetime or getattr(tp, "__name__", "") == "AwareDatetime":
        return "date_time", ()
    if tp is date:
        return "date", ()
    return "text", ()


@cache
def answer_for(section: str, field: str) -> tuple[AnswerType, tuple[str, ...]]:
    """The answer type and choices of ``field`` in a part of the case (``allegations``,
    ``report.reporter``; see ``_facts.case_field``)."""
    info = _MODELS[section].model_fields.get(field) if section in _MODELS else None
    if info is None:
        return "text", ()
    if field in ("victim", "duplicate_of", "allegation"):
        return "id", ()
    if field == "relationships":  # asked of one victim: which kind of relationship
        return "choice", tuple(get_args(c.RelationshipKind))
    return _of(info.annotation)
