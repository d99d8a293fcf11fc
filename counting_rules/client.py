"""A small typed client of the HTTP decision service (``counting-rules serve``), on httpx.

    from counting_rules.client import Client

    with Client("http://127.0.0.1:8080") as api:
        decision = api.decide(case)           # a Decision, as decide() returns it
        questions = api.still_needed(case)    # what to ask next
        for result in api.decide_batch(cases):
            ...

A case the service refuses raises CaseFactsError with every problem (``errors``), each
naming its field path; any other problem document raises ServiceError.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal

import httpx
import orjson
from pydantic_core import to_json

from counting_rules._service.models import (
    RulebooksDoc,
    RuleDoc,
    StillNeededAnswer,
    WhyNotAnswer,
)
from counting_rules.case import CaseFacts
from counting_rules.decision import Decision
from counting_rules.errors import CaseFactsError, CountingRulesError

__all__ = ["BatchResult", "Client", "ServiceError"]

Case = CaseFacts | Mapping[str, Any]


class ServiceError(CountingRulesError):
    """The service answered with a problem document (or not at all)."""

    code = "service"

    def __init__(self, message: str, *, status: int, problem: Mapping[str, Any] | None = None):
        self.status = status
        self.problem = dict(problem or {})
        super().__init__(message, fix=self.problem.get("fix"))


@dataclass(frozen=True)
class BatchResult:
    """One line of a batch: its decision, or the problem that stopped it."""

    line: int
    decision: Decision | None
    problem: Mapping[str, Any] | None


def _body(case: Case) -> bytes:
    if isinstance(case, CaseFacts):
        return case.model_dump_json().encode()
    return to_json(case)  # datetimes as ISO text, as parse_case takes them


class Client:
    """The service at ``base_url``; use it as a context manager, or call ``close()``."""

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8080",
        *,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._http = httpx.Client(base_url=base_url, timeout=timeout, transport=transport)

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _send(
        self, method: str, path: str, *, content: bytes | None = None, **params: Any
    ) -> httpx.Response:
        query = {k: v for k, v in params.items() if v is not None}
        headers = {"content-type": "application/json"} if content is not None else {}
        try:
            r = self._http.request(method, path, content=content, params=query, headers=headers)
        except httpx.HTTPError as exc:
            raise ServiceError(
                f"no answer from the service: {type(exc).__name__}", status=0
            ) from None
        if r.status_code >= 400:
            raise _error(r)
        return r

    def decide(self, case: Case, *, edition: str | None = None, explain: bool = True) -> Decision:
        """The decision, as ``counting_rules.decide`` returns it."""
        r = self._send(
            "POST",
            "/v1/decide",
            content=_body(case),
            edition=edition,
            explain=None if explain else "false",
        )
        return Decision.model_validate_json(r.content)

    def decide_text(
        self,
        case: Case,
        *,
        edition: str | None = None,
        format: Literal["text", "markdown"] = "text",
    ) -> str:
        """The decision rendered for a person (text or Markdown)."""
        r = self._send("POST", "/v1/decide", content=_body(case), edition=edition, format=format)
        return r.text

    def still_needed(self, case: Case, *, edition: str | None = None) -> StillNeededAnswer:
        r = self._send("POST", "/v1/still-needed", content=_body(case), edition=edition)
        return StillNeededAnswer.model_validate_json(r.content)

    def why_not(
        self,
        case: Case,
        rule_ids: Iterable[str],
        *,
        subject: str | None = None,
        edition: str | None = None,
    ) -> WhyNotAnswer:
        doc = orjson.loads(_body(case))
        body = orjson.dumps({"case": doc, "rule_ids": list(rule_ids), "subject": subject})
        r = self._send("POST", "/v1/why-not", content=body, edition=edition)
        return WhyNotAnswer.model_validate_json(r.content)

    def decide_batch(
        self, cases: Iterable[Case], *, edition: str | None = None
    ) -> Iterator[BatchResult]:
        """Every case's result, in order, as the service streams them back."""
        body = b"".join(_body(c) + b"\n" for c in cases)
        query = {"edition": edition} if edition else {}
        headers = {"content-type": "application/x-ndjson"}
        with self._http.stream(
            "POST", "/v1/decide/batch", content=body, params=query, headers=headers
        ) as r:
            if r.status_code >= 400:
                r.read()
                raise _error(r)
            for line in r.iter_lines():
                doc = orjson.loads(line)
                if "summary" in doc:
                    return
                decision = doc.get("decision")
                yield BatchResult(
                    line=doc["line"],
                    decision=Decision.model_validate(decision) if decision else None,
                    problem=doc.get("problem"),
                )

    def rulebooks(self) -> RulebooksDoc:
        return RulebooksDoc.model_validate_json(self._send("GET", "/v1/rulebooks").content)

    def rule(self, rule_id: str) -> RuleDoc:
        return RuleDoc.model_validate_json(self._send("GET", f"/v1/rules/{rule_id}").content)

    def ready(self) -> bool:
        """True when the service has its rulebook loaded."""
        try:
            return self._http.get("/v1/readyz").status_code == 200
        except httpx.HTTPError:
            return False


def _error(r: httpx.Response) -> CountingRulesError:
    try:
        doc = r.json()
    except ValueError:
        doc = {}
    if not isinstance(doc, dict):
        doc = {}
    detail = str(doc.get("detail") or r.reason_phrase)
    if r.status_code == 422 and doc.get("errors"):
        found = [
            CaseFactsError(f"{e['path']}: {e['problem']}", field=e["path"], fix=e.get("fix"))
            for e in doc["errors"]
        ]
        return CaseFactsError.collect(found)
    return ServiceError(f"{r.status_code}: {detail}", status=r.status_code, problem=doc)
