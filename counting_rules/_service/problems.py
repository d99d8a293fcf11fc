"""Errors as problem documents (RFC 9457, ``application/problem+json``).

Every problem names what went wrong and the fix; a case that fails validation lists every
problem found, each with its field path by id (``allegations[A1].injury``). Nothing from the
request body is echoed beyond the field path and the validator's own words.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from counting_rules.errors import CaseFactsError, CountingRulesError

__all__ = ["PROBLEM_JSON", "FieldProblem", "Problem", "case_problems", "problem_response"]

PROBLEM_JSON = "application/problem+json"


class FieldProblem(BaseModel):
    """One thing wrong with one field of the input."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str = Field(description="Where, by id: allegations[A1].injury; (case) for the whole.")
    problem: str
    fix: str | None = None


class Problem(BaseModel):
    """A problem document (RFC 9457)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: str = Field(description="urn:counting-rules:problem:<code>; the code is stable.")
    title: str
    status: int
    detail: str
    fix: str | None = None
    errors: tuple[FieldProblem, ...] = Field(
        (), description="Every problem with the input, not only the first."
    )
    request_id: str | None = None


def _urn(code: str) -> str:
    return f"urn:counting-rules:problem:{code}"


def case_problems(exc: CaseFactsError, prefix: str = "") -> tuple[FieldProblem, ...]:
    """Each problem of a case, its path prefixed (``case.`` inside a larger body)."""
    out = []
    for e in exc.errors:
        path = e.field or "(case)"
        message = e.message
        lead = f"{path}: "
        if message.startswith(lead):  # the message names its field; the path says it once
            message = message[len(lead) :]
        out.append(FieldProblem(path=prefix + path, problem=message, fix=e.fix))
    return tuple(out)


def problem(
    status: int,
    detail: str,
    *,
    code: str,
    fix: str | None = None,
    errors: tuple[FieldProblem, ...] = (),
    title: str | None = None,
) -> Problem:
    """A problem document; its title is the status's own (``_TITLES``) unless given."""
    return Problem(
        type=_urn(code),
        title=title or _TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        fix=fix,
        errors=errors,
    )


def from_error(exc: CountingRulesError, status: int, prefix: str = "") -> Problem:
    """The problem document of one of the package's own errors."""
    errors = case_problems(exc, prefix) if isinstance(exc, CaseFactsError) else ()
    if len(errors) == 1:
        detail = f"{errors[0].path}: {errors[0].problem}"
    elif errors:
        detail = f"{len(errors)} problem(s) with the input"
    else:
        detail = exc.message
    return problem(
        status,
        detail,
        code=exc.code,
        fix=exc.fix,
        errors=errors,
    )


def problem_response(
    p: Problem, request_id: str | None, headers: dict[str, str] | None = None
) -> JSONResponse:
    body: dict[str, Any] = p.model_copy(update={"request_id": request_id}).model_dump(
        mode="json", exclude_none=True
    )
    return JSONResponse(body, status_code=p.status, media_type=PROBLEM_JSON, headers=headers)


_TITLES = {
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    408: "Request timeout",
    413: "Content too large",
    415: "Unsupported media type",
    422: "The input is not a valid case",
    500: "Internal error",
    503: "Service busy",
}
