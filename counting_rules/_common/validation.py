"""Pydantic's validation errors as plain problems: every one of them, in a useful order.

The one adapter from a ``ValidationError`` to what this package reports (the case parser, the
rulebook loader and the scenario loader all use it): unknown keys first, because a misspelt
key explains the "missing" one beside it; locations without pydantic's internal validator
names; messages without its "Value error, " prefix.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One validation problem: where (a path of keys and indexes), what, and its kind."""

    loc: Loc
    message: str
    kind: str

    @property
    def where(self) -> str:
        """The path as ``a.b.0.c``, or the empty string at the top level."""
        return ".".join(str(p) for p in self.loc)


def problems(exc: ValidationError) -> list[Problem]:
    """Every problem of ``exc``, unknown keys first, each once."""
    out: list[Problem] = []
    for err in exc.errors(include_url=False, include_input=False, include_context=False):
        loc = tuple(
            p
            for p in err["loc"]
            if isinstance(p, int) or (isinstance(p, str) and not p.startswith("function-"))
        )
        message = str(err["msg"]).removeprefix("Value error, ")
        problem = Problem(loc, message, str(err["type"]))
        if problem not in out:
            out.append(problem)
    return sorted(out, key=lambda p: p.kind != "extra_forbidden")


__all__ = ["Loc", "Problem", "problems"]
