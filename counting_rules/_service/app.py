"""The FastAPI application: versioned routes over decide(), why_not() and the rulebook.

Case bodies are parsed by the library's own parser (every problem at once, paths by id,
the size limits of ``Limits``), not by FastAPI, so the service refuses exactly what
``decide()`` refuses, with the same words. The OpenAPI document is generated from the same
pydantic models (``_service.openapi``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import Annotated, Any, Literal, TypeVar

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from counting_rules._common.schemas import schemas
from counting_rules._common.validation import problems
from counting_rules._explain.render import render_decision
from counting_rules._explain.rule_reference import edition_rows, editions_of
from counting_rules._explain.why_not import why_not
from counting_rules._rulebook.ir import Rulebook
from counting_rules._rulebook.resolve import did_you_mean
from counting_rules._service import openapi
from counting_rules._service.body import HTTPProblem, lines, read_body
from counting_rules._service.cases import parse_body, parse_json_document, parse_mapping
from counting_rules._service.engine import Busy, Engine, TooSlow
from counting_rules._service.logs import RequestIds, event
from counting_rules._service.models import (
    Edition,
    Health,
    RulebooksDoc,
    RuleDoc,
    RuleSummary,
    ScenarioSummary,
    StillNeededAnswer,
    WhyNotAnswer,
    WhyNotRequest,
)
from counting_rules._service.problems import (
    FieldProblem,
    Problem,
    from_error,
    problem,
    problem_response,
)
from counting_rules._service.settings import Settings
from counting_rules._version import __version__
from counting_rules.decision import Citation
from counting_rules.errors import (
    CaseFactsError,
    CaseFileError,
    CountingRulesError,
    EditionNotFoundError,
    EngineError,
)

__all__ = ["create_app"]

T = TypeVar("T")
Format = Literal["json", "text", "markdown"]
_MEDIA = {"json": "application/json", "text": "text/plain", "markdown": "text/markdown"}


EditionQuery = Annotated[
    str | None,
    Query(description="An edition id; default: the edition in force on the report date."),
]
FormatQuery = Annotated[Format, Query(alias="format")]
ExplainQuery = Annotated[bool, Query(description="false: skip rendering explanations (JSON only).")]


def _status(exc: CountingRulesError) -> int:
    if isinstance(exc, CaseFileError):
        return 400  # not YAML/JSON at all
    if isinstance(exc, CaseFactsError | EditionNotFoundError):
        return 422
    if isinstance(exc, EngineError):
        return 500
    return 422  # UsageError and the rest: something in the body the rules cannot use


def _request_id(request: Request) -> str | None:
    rid = request.scope.get("state", {}).get("request_id")
    return rid if isinstance(rid, str) else None


def create_app(settings: Settings | None = None) -> FastAPI:
    """The service of one worker process (its rulebook loaded at start-up)."""
    settings = settings or Settings.from_env()
    engine = Engine(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await engine.start(warm_up=openapi.example_case())
        event("ready", None, rulebook=engine.book.name, digest=engine.book.digest)
        yield
        engine.stop()

    app = FastAPI(
        title="counting-rules",
        version=__version__,
        summary="Crime recording decisions under the Home Office Counting Rules, explained.",
        openapi_url="/v1/openapi.json",
        docs_url=None,  # the interactive pages load scripts from a CDN
        redoc_url=None,
        lifespan=lifespan,
        separate_input_output_schemas=False,
    )
    app.add_middleware(RequestIds)
    _handlers(app)

    async def on_engine(work: Awaitable[T]) -> T:
        try:
            return await work
        except (Busy, TooSlow) as exc:
            if isinstance(exc, Busy):
                detail = f"more than {settings.queue} decisions are waiting for this worker"
                code, fix = "busy", "retry after a second, or start more workers"
            else:
                detail = f"the decision did not finish within {settings.decide_seconds:g} seconds"
                code = "decide-timeout"
                fix = "retry; a case within the default Limits decides in well under that"
            raise HTTPProblem(
                problem(503, detail, code=code, fix=fix), headers={"Retry-After": "1"}
            ) from None

    def known_edition(book: Rulebook, edition: str | None) -> None:
        if edition is None:
            return
        ids = [e.id for e in book.editions]
        if edition not in ids:
            raise HTTPProblem(
                problem(
                    400,
                    f"query.edition: unknown edition {edition!r}",
                    code="edition",
                    fix=f"use one of: {', '.join(ids)}, or leave it out for the edition in "
                    "force on the report date",
                    errors=(
                        FieldProblem(path="query.edition", problem=f"unknown edition {edition!r}"),
                    ),
                )
            )

    @app.post("/v1/decide", **openapi.decide_doc())
    async def decide_case(
        request: Request,
        edition: EditionQuery = None,
        fmt: FormatQuery = "json",
        explain: ExplainQuery = True,
    ) -> Response:
        known_edition(engine.book, edition)
        if not explain and fmt != "json":
            raise HTTPProblem(
                problem(
                    400,
                    "query.explain: explain=false is for format=json only",
                    code="explain",
                    fix="leave explain out, or ask for format=json",
                )
            )
        body = await read_body(request, settings.max_body_bytes, settings.body_seconds)
        case = parse_body(body, request.headers.get("content-type", ""), settings.limits)
        decision = await on_engine(engine.decide(case, edition, explain))
        if fmt == "json":
            return Response(decision.model_dump_json(indent=2) + "\n", media_type=_MEDIA[fmt])
        text = render_decision(decision, markdown=fmt == "markdown")
        return Response(text, media_type=_MEDIA[fmt] + "; charset=utf-8")

    @app.post("/v1/still-needed", **openapi.still_needed_doc())
    async def still_needed(request: Request, edition: EditionQuery = None) -> StillNeededAnswer:
        known_edition(engine.book, edition)
        body = await read_body(request, settings.max_body_bytes, settings.body_seconds)
        case = parse_body(body, request.headers.get("content-type", ""), settings.limits)
        d = await on_engine(engine.decide(case, edition, explain=False))
        return StillNeededAnswer(
            case_id=d.case_id,
            edition=d.edition,
            rulebook_digest=d.rulebook_digest,
            engine_version=d.engine_version,
            complete=d.complete,
            questions=d.still_needed,
        )

    @app.post("/v1/why-not", **openapi.why_not_doc())
    async def why_not_route(request: Request, edition: EditionQuery = None) -> WhyNotAnswer:
        book = engine.book
        known_edition(book, edition)
        body = await read_body(request, settings.max_body_bytes, settings.body_seconds)
        raw = parse_json_document(body, request.headers.get("content-type", ""), settings.limits)
        try:
            asked = WhyNotRequest.model_validate(raw)
        except ValidationError as exc:
            raise HTTPProblem(_invalid(exc)) from None
        case = parse_mapping(asked.case, prefix="case.", limits=settings.limits)
        unknown = [
            FieldProblem(
                path=f"rule_ids[{i}]",
                problem=f"no rule {rid!r} in rulebook {book.name}",
                fix=did_you_mean(rid, book.rules) or "see GET /v1/rulebooks",
            )
            for i, rid in enumerate(asked.rule_ids)
            if rid not in book.rules
        ]
        if unknown:
            raise HTTPProblem(
                problem(
                    422,
                    f"{len(unknown)} unknown rule id(s)",
                    title="The input is not a valid request",
                    code="usage",
                    errors=tuple(unknown),
                )
            )

        def answer() -> WhyNotAnswer:
            return WhyNotAnswer(
                answers=tuple(
                    why_not(case, rid, edition=edition, subject=asked.subject, rulebook=book)
                    for rid in asked.rule_ids
                )
            )

        return await on_engine(engine.run(answer))

    @app.post("/v1/decide/batch", **openapi.batch_doc())
    async def decide_batch(request: Request, edition: EditionQuery = None) -> StreamingResponse:
        known_edition(engine.book, edition)
        body = await read_body(
            request,
            settings.max_batch_bytes,
            settings.body_seconds,
            "max_batch_bytes",
            between_chunks=True,
        )
        rid = _request_id(request)
        # Read whole (bounded), then answered line by line as each is decided: reading the
        # body while the answer streams would race the server's disconnect listener.
        batch = list(lines(body, settings.max_body_bytes))
        del body
        if len(batch) > settings.max_batch_lines:
            raise HTTPProblem(_too_many(settings.max_batch_lines))

        async def results() -> AsyncIterator[bytes]:
            counts = {"lines": len(batch), "decided": 0, "rejected": 0}
            for n, raw in enumerate(batch, start=1):
                out, decided = await _one_line(raw, n)
                counts["decided" if decided else "rejected"] += 1
                yield out
            event("batch", rid, **counts)
            yield _json({"summary": counts}) + b"\n"

        async def _one_line(raw: bytes | None, n: int) -> tuple[bytes, bool]:
            try:
                if raw is None:
                    raise HTTPProblem(
                        problem(
                            413,
                            f"line {n} is longer than {settings.max_body_bytes} bytes",
                            code="too-large",
                            fix="one case a line, each within Limits.file_bytes",
                        )
                    )
                if not raw.strip():
                    raise HTTPProblem(
                        problem(
                            422,
                            f"line {n} is empty",
                            code="case-facts",
                            fix="one JSON case on every line",
                        )
                    )
                case = parse_body(raw, "application/json", settings.limits)
                d = await on_engine(engine.decide(case, edition))
            except HTTPProblem as exc:
                return _json({"line": n, "problem": _dump(exc.problem)}) + b"\n", False
            except CountingRulesError as exc:
                found = _dump(from_error(exc, _status(exc)))
                return _json({"line": n, "problem": found}) + b"\n", False
            line = b'{"line":%d,"decision":%s}\n' % (n, d.model_dump_json().encode())
            return line, True

        return StreamingResponse(results(), media_type="application/x-ndjson")

    @app.get("/v1/schema/case", **openapi.schema_doc("case"))
    async def schema_case() -> JSONResponse:
        return JSONResponse(schemas()["case"])

    @app.get("/v1/schema/decision", **openapi.schema_doc("decision"))
    async def schema_decision() -> JSONResponse:
        return JSONResponse(schemas()["decision"])

    @app.get("/v1/rulebooks", **openapi.simple_doc("The editions and every rule."))
    async def rulebooks() -> RulebooksDoc:
        book = engine.book
        return RulebooksDoc(
            rulebook=book.name,
            title=book.title,
            digest=book.digest,
            engine_version=__version__,
            editions=tuple(Edition(**row) for row in edition_rows(book)),
            rules=tuple(
                RuleSummary(
                    id=r.id,
                    title=r.title,
                    editions=tuple(editions_of(book, r)),
                    citation=_citation(r.citation),
                )
                for _, r in sorted(book.rules.items())
            ),
        )

    @app.get("/v1/rules/{rule_id:path}", **openapi.rule_doc())
    async def rule(rule_id: str) -> RuleDoc:
        book = engine.book
        r = book.rules.get(rule_id)
        if r is None:
            raise HTTPProblem(
                problem(
                    404,
                    f"no rule {rule_id!r} in rulebook {book.name}",
                    code="no-rule",
                    fix=did_you_mean(rule_id, book.rules) or "see GET /v1/rulebooks",
                )
            )
        return RuleDoc(
            id=r.id,
            title=r.title,
            description=r.description,
            citation=_citation(r.citation),
            precedence=r.precedence,
            overrides=r.overrides,
            in_force_from=r.in_force_from,
            in_force_until=r.in_force_until,
            editions=tuple(editions_of(book, r)),
            file=r.file,
            template=book.templates[r.id],
        )

    @app.get("/v1/scenarios", **openapi.simple_doc("The training scenarios this worker has."))
    async def scenarios() -> list[ScenarioSummary]:
        from counting_rules.scenario import load_scenarios  # only when asked

        folder = settings.scenario_folder()
        if folder is None:
            return []
        return [
            ScenarioSummary(
                id=s.id or "",
                title=s.title,
                audience=s.audience,
                edition=s.edition,
                stages=len(s.stages),
                teaches=s.teaches,
            )
            for s in load_scenarios(folder)
        ]

    @app.get("/v1/healthz", **openapi.simple_doc("The worker is alive."))
    async def healthz() -> Health:
        return Health(status="ok", engine_version=__version__)

    @app.get("/v1/readyz", **openapi.ready_doc())
    async def readyz() -> Response:
        if not engine.ready:
            raise HTTPProblem(
                problem(503, "the rulebook is still loading", code="not-ready"),
                headers={"Retry-After": "1"},
            )
        book = engine.book
        doc = Health(
            status="ready", rulebook=book.name, digest=book.digest, engine_version=__version__
        )
        return JSONResponse(doc.model_dump(mode="json"))

    openapi.install(app)
    return app


def _citation(spec: Any) -> Citation:
    return Citation(**spec.model_dump(exclude={"note"}))


def _json(doc: Any) -> bytes:
    return bytes(JSONResponse(doc).body)


def _dump(p: Problem) -> dict[str, Any]:
    return p.model_dump(mode="json", exclude_none=True)


def _too_many(limit: int) -> Problem:
    return problem(
        413,
        f"more than {limit} lines",
        code="too-large",
        fix="split the batch (COUNTING_RULES_SERVE_MAX_BATCH_LINES)",
    )


def _invalid(exc: ValidationError) -> Problem:
    found = tuple(
        FieldProblem(path=p.where or "(body)", problem=p.message, fix=None) for p in problems(exc)
    )
    return problem(
        422,
        f"{len(found)} problem(s) with the request",
        title="The input is not a valid request",
        code="request",
        errors=found,
    )


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPProblem)
    async def on_problem(request: Request, exc: HTTPProblem) -> Response:
        p = exc.problem
        event(
            "problem",
            _request_id(request),
            status=p.status,
            code=p.type.rsplit(":", 1)[-1],
            problems=len(p.errors),
        )
        return problem_response(p, _request_id(request), exc.headers)

    @app.exception_handler(CountingRulesError)
    async def on_error(request: Request, exc: CountingRulesError) -> Response:
        status = _status(exc)
        p = from_error(exc, status)
        event("problem", _request_id(request), status=status, code=exc.code, problems=len(p.errors))
        return problem_response(p, _request_id(request))

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = tuple(
            FieldProblem(
                path=".".join(str(x) for x in e.get("loc", ())),
                problem=str(e.get("msg", "invalid")),
                fix=None,
            )
            for e in exc.errors()
        )
        p = problem(
            400,
            "; ".join(f"{e.path}: {e.problem}" for e in errors) or "bad request",
            code="request",
            errors=errors,
        )
        event("problem", _request_id(request), status=400, code="request", problems=len(errors))
        return problem_response(p, _request_id(request))

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code
        p = problem(status, str(exc.detail), code=f"http-{status}")
        return problem_response(p, _request_id(request), dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def on_crash(request: Request, exc: Exception) -> Response:
        # The type only: a message could quote the case.
        event("crash", _request_id(request), level=40, type=type(exc).__name__)
        p = problem(
            500,
            "the service failed on this request; the request id finds it in the log",
            code="internal",
        )
        return problem_response(p, _request_id(request))
