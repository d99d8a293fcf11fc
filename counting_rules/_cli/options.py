"""The options several commands share, each written once, as argparse parent parsers."""

from __future__ import annotations

import argparse

from counting_rules._engine.pipeline import EVALUATORS


def _parent() -> argparse.ArgumentParser:
    return argparse.ArgumentParser(add_help=False)


def rulebook() -> argparse.ArgumentParser:
    """``--rulebook DIR``."""
    p = _parent()
    p.add_argument("--rulebook", help="path of a rulebook folder (default: the shipped HOCR)")
    return p


def edition() -> argparse.ArgumentParser:
    """``--edition ID``."""
    p = _parent()
    p.add_argument("--edition", help="rulebook edition id (default: in force on the report date)")
    return p


def evaluator() -> argparse.ArgumentParser:
    """``--evaluator durable|reference|batch`` and ``--rulebook``."""
    p = _parent()
    p.add_argument(
        "--evaluator",
        choices=EVALUATORS,
        default="durable",
        help="durable_rules (default), the plain-Python reference evaluator, or the batch "
        "evaluator (the rules as SQL on DuckDB, for many cases at once)",
    )
    p.add_argument("--rulebook", help="path of a rulebook folder (default: the shipped HOCR)")
    return p


def output(*formats: str) -> argparse.ArgumentParser:
    """``--format`` with the given choices, the first the default."""
    p = _parent()
    p.add_argument("--format", choices=formats, default=formats[0])
    return p


__all__ = ["edition", "evaluator", "output", "rulebook"]
