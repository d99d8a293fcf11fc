"""Recording rates with confidence intervals, and the crimes a force leaves unrecorded a year.

An audit of crime data integrity reads a sample of reports and finds, for each, whether the
crime that should have been recorded was. The share recorded estimates the force's recording
rate. HMICFRS publishes it as a share plus or minus a half-width at the 95 percent level, a
symmetric (normal) interval; ``wilson`` is the better interval for the small counts an audit
also reports (cancellations, timeliness, rape). docs/explanation/audit-statistics.md gives the
formulas, the sources and which published figures these functions reproduce.

Every function checks its input and raises ``UsageError`` naming the argument at fault.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from scipy.stats import norm
from statsmodels.stats.proportion import proportion_confint

from counting_rules.errors import UsageError

__all__ = [
    "Estimate",
    "Unrecorded",
    "normal",
    "normal_fpc",
    "sample_size",
    "stratified",
    "unrecorded_per_year",
    "wilson",
]


@dataclass(frozen=True, slots=True)
class Estimate:
    """A share with its confidence interval, all as fractions in [0, 1].

    ``n`` and ``successes`` are the sample's totals (summed over strata for ``stratified``,
    whose share is weighted and so is not successes / n); both are None for a rate taken from
    a publication that does not give them (``Estimate.published``).
    """

    share: float
    lower: float
    upper: float
    n: int | None
    successes: int | None
    method: str

    def __post_init__(self) -> None:
        for name in ("share", "lower", "upper"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise UsageError(f"Estimate {name} {value!r} is not a share between 0 and 1")
        if not self.lower <= self.share <= self.upper:
            raise UsageError(
                f"Estimate interval [{self.lower!r}, {self.upper!r}] "
                f"does not contain the share {self.share!r}"
            )

    @classmethod
    def published(cls, share: float, half_width: float) -> Estimate:
        """A rate as an inspection publishes it: a share plus or minus a half-width."""
        _share("share", share)
        if not (isinstance(half_width, int | float) and 0.0 <= half_width <= 1.0):
            raise UsageError(f"half_width {half_width!r} is not a share between 0 and 1")
        return cls(
            share=float(share),
            lower=max(0.0, share - half_width),
            upper=min(1.0, share + half_width),
            n=None,
            successes=None,
            method="published",
        )


@dataclass(frozen=True, slots=True)
class Unrecorded:
    """Crimes a year that were reported but not recorded, with the range from the rate's interval.

    ``lower`` comes from the interval's upper end (a higher recording rate leaves fewer crimes
    out) and ``upper`` from its lower end; it is infinite when that end is 0.
    """

    count: float
    lower: float
    upper: float
    recorded_per_year: int
    rate: Estimate


def wilson(successes: int, n: int, confidence: float = 0.95) -> Estimate:
    """The share ``successes / n`` with its Wilson score interval (statsmodels)."""
    _sample(successes, n)
    alpha = 1.0 - _confidence(confidence)
    low, high = proportion_confint(successes, n, alpha=alpha, method="wilson")
    share = successes / n
    # The ends are computed as centre -/+ distance; at 0 or n successes rounding can put an
    # end a few ulps on the wrong side of the share or of [0, 1].
    return Estimate(
        share=share,
        lower=min(max(float(low), 0.0), share),
        upper=max(min(float(high), 1.0), share),
        n=n,
        successes=successes,
        method="wilson",
    )


def normal(successes: int, n: int, confidence: float = 0.95) -> Estimate:
    """The normal-approximation (Wald) interval, for a sample from an unbounded population."""
    _sample(successes, n)
    share = successes / n
    half = _z(confidence) * math.sqrt(share * (1.0 - share) / n)
    return _symmetric(share, half, n, successes, "normal")


def normal_fpc(successes: int, n: int, population: int, confidence: float = 0.95) -> Estimate:
    """The normal interval with the finite population correction, as inspections report it.

    Half-width ``z * sqrt(p(1-p)/n * (N-n)/(N-1))`` for a simple random sample of ``n`` of the
    ``population`` N; zero when the sample is the whole population.
    """
    _sample(successes, n)
    _population("population", population, n)
    share = successes / n
    variance = share * (1.0 - share) / n * _fpc(population, n)
    half = _z(confidence) * math.sqrt(variance)
    return _symmetric(share, half, n, successes, "normal-fpc")


def stratified(strata: Iterable[tuple[int, int, int]], confidence: float = 0.95) -> Estimate:
    """The stratum-weighted share and its normal interval, each stratum with its own FPC.

    ``strata`` are ``(population N_h, sample n_h, successes x_h)``. With ``W_h = N_h / N``,
    the share is ``sum W_h p_h`` and its variance ``sum W_h^2 p_h(1-p_h)/n_h * FPC_h``, where
    ``FPC_h = (N_h - n_h) / (N_h - 1)`` as in ``normal_fpc`` (so one stratum gives the same).
    """
    rows = list(strata)
    if not rows:
        raise UsageError("strata is empty: give at least one (population, sample, successes)")
    for i, row in enumerate(rows):
        if not (isinstance(row, tuple) and len(row) == 3):
            raise UsageError(f"strata[{i}] {row!r} is not a (population, sample, successes) triple")
        population, n, successes = row
        _sample(successes, n, where=f"strata[{i}] ")
        _population(f"strata[{i}] population", population, n)
    total = sum(population for population, _, _ in rows)
    share = 0.0
    variance = 0.0
    for population, n, successes in rows:
        weight = population / total
        p = successes / n
        share += weight * p
        variance += weight**2 * p * (1.0 - p) / n * _fpc(population, n)
    share = min(max(share, 0.0), 1.0)  # a sum of weights can overshoot 1 by an ulp
    half = _z(confidence) * math.sqrt(variance)
    return _symmetric(
        share,
        half,
        sum(n for _, n, _ in rows),
        sum(x for _, _, x in rows),
        "stratified-normal-fpc",
    )


def unrecorded_per_year(rate: Estimate, recorded_per_year: int) -> Unrecorded:
    """Crimes reported but not recorded in a year, from the force's recorded volume.

    If a share ``r`` of the crimes that should be recorded is recorded, the recorded volume is
    ``r`` of the total that should be, so the unrecorded are ``recorded * (1 - r) / r``. HMICFRS
    applies its audit rate to the Home Office recorded crime figures (excluding fraud) for the
    12 months to the end of the audit period; its published estimates fit this formula and not
    ``recorded * (1 - r)`` (docs/explanation/audit-statistics.md).
    """
    if not isinstance(rate, Estimate):
        raise UsageError(f"rate {rate!r} is not an Estimate")
    _count("recorded_per_year", recorded_per_year)
    if rate.share == 0.0:
        raise UsageError("rate share is 0: a force that records nothing gives no reported total")

    def missed(r: float) -> float:
        return math.inf if r == 0.0 else recorded_per_year * (1.0 - r) / r

    return Unrecorded(
        count=missed(rate.share),
        lower=missed(rate.upper),
        upper=missed(rate.lower),
        recorded_per_year=recorded_per_year,
        rate=rate,
    )


def sample_size(
    share: float,
    half_width: float,
    population: int | None = None,
    confidence: float = 0.95,
) -> int:
    """The smallest simple random sample whose normal interval at ``share`` is within
    ``half_width``: ``n0 = z^2 p(1-p) / e^2``, reduced by the FPC to ``n0 N / (n0 + N - 1)``
    when the population N is given. For planning an audit, or for reading the sample size a
    published interval implies under simple random sampling.
    """
    _share("share", share)
    if not (isinstance(half_width, int | float) and 0.0 < half_width <= 1.0):
        raise UsageError(f"half_width {half_width!r} is not a share above 0 and at most 1")
    n0 = _z(confidence) ** 2 * share * (1.0 - share) / half_width**2
    if population is None:
        return max(1, math.ceil(n0))
    _population("population", population, 1)
    return min(population, max(1, math.ceil(n0 * population / (n0 + population - 1))))


def _symmetric(share: float, half: float, n: int, successes: int, method: str) -> Estimate:
    # A share cannot leave [0, 1], so the interval is cut there; the half-width stays z * se.
    return Estimate(
        share=share,
        lower=max(0.0, share - half),
        upper=min(1.0, share + half),
        n=n,
        successes=successes,
        method=method,
    )


def _fpc(population: int, n: int) -> float:
    # A population of one is a sample of one: a census, nothing left to estimate.
    return 0.0 if population == 1 else (population - n) / (population - 1)


def _z(confidence: float) -> float:
    return float(norm.ppf(1.0 - (1.0 - _confidence(confidence)) / 2.0))


def _confidence(confidence: float) -> float:
    if not (isinstance(confidence, int | float) and 0.0 < confidence < 1.0):
        raise UsageError(f"confidence {confidence!r} is not a level strictly between 0 and 1")
    return float(confidence)


def _count(name: str, value: int) -> None:
    # bool is an int to Python, but True successes is a mistake, not a count.
    if isinstance(value, bool) or not isinstance(value, int):
        raise UsageError(f"{name} {value!r} is not a whole number")
    if value < 0:
        raise UsageError(f"{name} {value} is negative")


def _sample(successes: int, n: int, where: str = "") -> None:
    _count(f"{where}successes", successes)
    _count(f"{where}n", n)
    if n == 0:
        raise UsageError(f"{where}n is 0: a share of an empty sample is undefined")
    if successes > n:
        raise UsageError(f"{where}successes {successes} is more than n {n}")


def _population(name: str, population: int, n: int) -> None:
    _count(name, population)
    if population < n:
        raise UsageError(f"{name} {population} is smaller than the sample n {n}")


def _share(name: str, value: float) -> None:
    if isinstance(value, bool) or not (isinstance(value, int | float) and 0.0 <= value <= 1.0):
        raise UsageError(f"{name} {value!r} is not a share between 0 and 1")
