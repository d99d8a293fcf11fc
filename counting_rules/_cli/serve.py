"""``counting-rules serve``: the HTTP decision service."""

from __future__ import annotations

import argparse
from dataclasses import replace

from counting_rules._cli import options
from counting_rules._cli.epilog import epilog

__all__ = ["register"]

EXAMPLES = [
    "counting-rules serve --port 8080 --workers 2",
    "curl -s -H 'Content-Type: application/yaml' \\\n"
    "       --data-binary @examples/cases/punched_outside_pub.yaml "
    "http://127.0.0.1:8080/v1/decide",
]
NOTE = """The API is described at /v1/openapi.json (docs/how-to/http-service.md walks through it).
Stop it with Ctrl-C or SIGTERM: requests in flight finish first."""


def _cmd_serve(args: argparse.Namespace) -> int:
    from counting_rules._rulebook.loader import load_rulebook
    from counting_rules._service.server import serve
    from counting_rules._service.settings import Settings

    if args.rulebook:
        load_rulebook(args.rulebook)  # a broken rulebook fails here, once, not in every worker
    # The limits come from COUNTING_RULES_SERVE_* (see Settings); the options name the data.
    settings = replace(
        Settings.from_env(),
        **{k: v for k, v in (("rulebook", args.rulebook), ("scenarios", args.scenarios)) if v},
    )
    serve(settings, host=args.host, port=args.port, workers=args.workers, log_level=args.log_level)
    return 0


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return n


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    s = sub.add_parser(
        "serve",
        help="serve decisions over HTTP (FastAPI on uvicorn)",
        parents=[options.rulebook()],
        **epilog(EXAMPLES, [78], meaning={0: "stopped"}, note=NOTE),
    )
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback)")
    s.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    s.add_argument(
        "--workers",
        type=_positive,
        default=1,
        help="worker processes, each with its own engine (default 1; one per core is best)",
    )
    s.add_argument("--scenarios", help="the scenario folder /v1/scenarios lists")
    s.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"))
    s.set_defaults(func=_cmd_serve)
