"""Everything one audit report shows, built once for the three formats."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from counting_rules._audit.report.exceptions import Exceptions, Findings, exceptions
from counting_rules._audit.report.figures import Figures, figures, percent
from counting_rules._audit.summary import GROUPS, AuditStatistics, AuditSummary
from counting_rules._version import __version__

__all__ = ["MAX_EXCEPTIONS", "Method", "View", "view"]

MAX_EXCEPTIONS = 2000


@dataclass(frozen=True)
class Method:
    term: str
    text: str


@dataclass(frozen=True)
class View:
    title: str
    statistics: AuditStatistics
    f: Figures
    ex: Exceptions
    method: list[Method]
    confidence: float
    options: dict[str, Any]
    version: str = __version__

    @property
    def confidence_text(self) -> str:
        return f"{self.confidence * 100:g}%"

    @property
    def stratified_text(self) -> str:
        s = self.f.stratified
        if s is None:
            return "—"
        half = max(s.upper - s.share, s.share - s.lower)
        return f"{percent(s.share)} ± {half * 100:.2f} ({percent(s.lower)} to {percent(s.upper)})"

    @property
    def group_totals(self) -> dict[str, int]:
        return {g: sum(k.by_group.get(g, 0) for k in self.f.findings) for g in GROUPS}

    def context(self) -> dict[str, Any]:
        """The names the templates read."""
        return {
            "title": self.title,
            "f": self.f,
            "ex": self.ex,
            "method": self.method,
            "confidence_text": self.confidence_text,
            "stratified_text": self.stratified_text,
            "group_totals": self.group_totals,
            "version": self.version,
        }


def _method(
    confidence: float,
    population: int | None,
    stratum_sizes: Mapping[str, int] | None,
    recorded_per_year: int | None,
) -> list[Method]:
    level = f"{confidence * 100:g}%"
    out = [
        Method(
            "What is counted",
            "Each record is decided by the rules and compared with what the force recorded "
            "(its as_recorded part). The recording rate counts every crime the rules require "
            "on an allegation the decision settles; it is recorded unless there is a 'crime "
            "not recorded' finding. Allegations the decision cannot settle yet are counted "
            "as 'cannot be judged', never as recorded or not.",
        ),
        Method(
            f"Wilson score interval ({level})",
            "The share with its Wilson score interval (statsmodels proportion_confint, "
            "method 'wilson'). It stays within 0 to 100% and suits the small counts of "
            "cancellations, N100s and rape; it leans towards 50%, so it is not symmetric.",
        ),
        Method(
            f"Normal approximation ({level})",
            "The share plus or minus z·√(p(1-p)/n), in percentage points, as inspection "
            "reports print it (z from scipy.stats.norm). "
            + (
                f"The overall recording rate carries the finite population correction "
                f"√((N-n)/(N-1)) for a sample of n from a population of N = {population:,}; "
                "the groups' intervals do not."
                if population is not None
                else "No population size was given, so no finite population correction is applied."
            ),
        ),
        Method(
            "Timeliness",
            "A crime is in time when recorded by its deadline: 24 hours from the report, or "
            "from the victim's confirmation where the rules wait for it. The hours are "
            "counted from that start to the force's record, in fixed bins.",
        ),
    ]
    if stratum_sizes is not None:
        out.append(
            Method(
                "Stratified sample",
                "The stratum-weighted recording rate weights each stratum's share by its "
                "population (W_h = N_h / N), with the variance Σ W_h² p_h(1-p_h)/n_h · "
                "(N_h-n_h)/(N_h-1) and a normal interval.",
            )
        )
    if recorded_per_year is not None:
        out.append(
            Method(
                "Crimes unrecorded a year",
                f"From the {recorded_per_year:,} crimes the force records a year and the "
                "overall recording rate r: recorded · (1-r)/r, the range from the ends of "
                "the rate's normal interval.",
            )
        )
    return out


def view(
    summary: AuditSummary,
    found: Findings,
    *,
    title: str = "Crime data integrity audit",
    population: int | None = None,
    recorded_per_year: int | None = None,
    stratum_sizes: Mapping[str, int] | None = None,
    confidence: float = 0.95,
    max_exceptions: int = MAX_EXCEPTIONS,
) -> View:
    """The report of ``summary``, its exceptions the first ``max_exceptions`` of ``found``."""
    stats = summary.statistics(
        population=population,
        recorded_per_year=recorded_per_year,
        stratum_sizes=stratum_sizes,
        confidence=confidence,
    )
    options: dict[str, Any] = {
        "confidence": confidence,
        "population": population,
        "recorded_per_year": recorded_per_year,
        "stratum_sizes": dict(stratum_sizes) if stratum_sizes is not None else None,
        "max_exceptions": max_exceptions,
    }
    return View(
        title=title,
        statistics=stats,
        f=figures(summary, stats, options),
        ex=exceptions(found, max_exceptions),
        method=_method(confidence, population, stratum_sizes, recorded_per_year),
        confidence=confidence,
        options=options,
    )
