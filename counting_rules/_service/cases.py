"""Case bodies to validated cases: JSON (the library's strict decoder) or YAML 1.2 (as the
CLI reads a case file). A body that is not JSON or YAML at all is a 400; a case that does
not validate, a 422 listing every problem."""

from __future__ import annotations

from typing import Any

from counting_rules._case.files import case_from_text
from counting_rules._case.parse import parse_case
from counting_rules._case.raw_data import load_json
from counting_rules._common.limits import Limits
from counting_rules._service.body import HTTPProblem
from counting_rules._service.problems import from_error, problem
from counting_rules.case import CaseFacts
from counting_rules.errors import CaseFactsError, CaseFileError

__all__ = ["parse_body", "parse_json_document", "parse_mapping"]

JSON_TYPES = frozenset({"", "application/json"})
YAML_TYPES = frozenset({"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"})


def _media(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _unsupported(media: str, what: str) -> HTTPProblem:
    return HTTPProblem(
        problem(
            415,
            f"Content-Type {media!r} is not {what}",
            code="media-type",
            fix="send the case as application/json or application/yaml",
        )
    )


def _json_of(body: bytes, limits: Limits) -> Any:
    try:
        return load_json(body, limits)
    except CaseFactsError as exc:  # not JSON (or too deep to read): the syntax, a 400
        raise HTTPProblem(from_error(CaseFileError(exc.message, fix=exc.fix), 400)) from None


def parse_body(body: bytes, content_type: str, limits: Limits) -> CaseFacts:
    """The case in a request body, within ``limits`` (the worker's, from its settings).
    Raises HTTPProblem, CaseFileError or CaseFactsError."""
    media = _media(content_type)
    if media in JSON_TYPES or media.endswith("+json"):
        return parse_case(_json_of(body, limits), limits=limits)
    if media in YAML_TYPES:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CaseFileError(f"(case): not UTF-8 text (byte {exc.start})") from None
        return case_from_text(text, None, limits=limits)
    raise _unsupported(media, "JSON or YAML")


def parse_json_document(body: bytes, content_type: str, limits: Limits) -> Any:
    """A JSON request document (why-not): decoded, not yet validated."""
    media = _media(content_type)
    if not (media in JSON_TYPES or media.endswith("+json")):
        raise _unsupported(media, "JSON")
    return _json_of(body, limits)


def parse_mapping(data: Any, prefix: str, limits: Limits) -> CaseFacts:
    """A case inside a larger document; each problem's path gets ``prefix``."""
    try:
        return parse_case(data, limits=limits)
    except CaseFactsError as exc:
        raise HTTPProblem(from_error(exc, 422, prefix)) from None
