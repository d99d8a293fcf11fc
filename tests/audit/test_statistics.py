"""The audit statistics against the figures of an HMICFRS inspection, their properties, and
the errors they raise.

The report is "West Midlands Police: Crime Data Integrity re-inspection 2018" (HMICFRS,
published 15 January 2019), shared/domain/inspection-report-2018.txt. That text has no page
numbers, so each figure is cited by its section and the line of that file.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy.stats import norm

from counting_rules._audit import (
    Estimate,
    normal,
    normal_fpc,
    sample_size,
    stratified,
    unrecorded_per_year,
    wilson,
)
from counting_rules.errors import UsageError


def pct(share: float) -> str:
    """A share as the report prints a percentage: one decimal, halves rounded up."""
    return str(Decimal(repr(share * 100)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


# --- The report's counts: each share to 0.1 percentage point, each Wilson interval sound ---

COUNTS = [
    # (successes, n, percent, where in the report)
    (144, 161, "89.4", "Rape, l.151 and l.157: 144 of 161 rape reports correctly recorded"),
    (445, 594, "74.9", "Timeliness, l.230: 445 of 594 violence offences within 24 hours"),
    (15, 19, "78.9", "Cancelled crimes, l.246: 15 of 19 violence cancellations correct"),
    (17, 20, "85.0", "Cancelled crimes, l.247: 17 of 20 sexual offence cancellations"),
    (13, 16, "81.3", "Cancelled crimes, l.248: 13 of 16 robbery cancellations"),
    (49, 50, "98.0", "Cancelled crimes, l.254: 49 of 50 victims told of the cancellation"),
    (354, 470, "75.3", "Violent crimes, l.116: 354 of 470 domestic abuse reports recorded"),
    (4, 15, "26.7", "Crime reports held on other systems, l.198: 4 of 15 recorded"),
    (18, 20, "90.0", "Modern slavery, l.220: 18 of 20 crimes correctly recorded"),
    (11, 19, "57.9", "Rape (N100), l.173-178: 11 of 19 N100 records kept rightly as N100s"),
    (12, 19, "63.2", "Rape (N100), l.180: an N100 made in 12 of the 19 that needed one"),
]


@pytest.mark.parametrize(("successes", "n", "percent", "where"), COUNTS)
def test_each_count_of_the_report_gives_its_share_and_a_wilson_interval(
    successes: int, n: int, percent: str, where: str
) -> None:
    estimate = wilson(successes, n)
    assert pct(estimate.share) == percent, where
    assert (estimate.n, estimate.successes, estimate.method) == (n, successes, "wilson")
    assert 0.0 <= estimate.lower < estimate.share < estimate.upper <= 1.0, where
    # The report prints no interval for these counts. The Wilson one leans towards 1/2, which
    # is why it suits small counts near 0% or 100% (a normal interval would cross the end).
    above, below = estimate.upper - estimate.share, estimate.share - estimate.lower
    assert (above < below) if estimate.share > 0.5 else (above > below), where


def test_the_report_s_breakdowns_add_up_to_its_totals() -> None:
    # Rape, l.157-161: of 161 examined, 144 recorded; the 17 others are 8 + 1 + 8.
    assert 161 - 144 == 8 + 1 + 8
    # Rape, l.173-178: the 19 N100 records checked are 5 + 2 + 1 + 11.
    assert 19 == 5 + 2 + 1 + 11
    # Violent crimes, l.116: 470 domestic abuse reports, 354 recorded, 116 not.
    assert 470 - 354 == 116
    assert wilson(470 - 116, 470).share == wilson(354, 470).share


# --- The published rates: normal intervals, and what they imply ---


def test_a_published_rate_is_a_symmetric_interval_as_the_glossary_reads_it() -> None:
    # HMICFRS glossary, "Confidence level and confidence intervals": 85% +/- 3% means
    # between 82% and 88% were correctly recorded.
    example = Estimate.published(0.85, 0.03)
    assert (pct(example.lower), pct(example.upper)) == ("82.0", "88.0")
    # Overall judgment, l.51-52: violence 78.2% +/- 2.87, sexual offences 89.2% +/- 2.70.
    violence = Estimate.published(0.782, 0.0287)
    sexual = Estimate.published(0.892, 0.0270)
    assert (round(violence.lower * 100, 2), round(violence.upper * 100, 2)) == (75.33, 81.07)
    assert (round(sexual.lower * 100, 2), round(sexual.upper * 100, 2)) == (86.5, 91.9)
    # A Wilson interval is never symmetric at such shares, so it is not what was published.
    w = wilson(622, 795)
    assert not math.isclose(w.upper - w.share, w.share - w.lower, rel_tol=1e-3)
    n = normal(622, 795)
    assert math.isclose(n.upper - n.share, n.share - n.lower, rel_tol=1e-9)


def test_the_published_intervals_fit_within_the_audit_under_simple_random_sampling() -> None:
    # The report gives no sample size for either rate (only 2,176 reports in all, l.116),
    # so this checks consistency, not a reproduction: the simple-random-sample size each
    # half-width implies fits within the audit, and the 161 rapes (l.157) within the
    # sexual offences sample.
    violence = sample_size(0.782, 0.0287)
    sexual = sample_size(0.892, 0.0270)
    assert (violence, sexual) == (796, 508)
    assert violence + sexual <= 2176
    assert sexual >= 161
    # With that sample the normal interval is the published one to its 0.01 point.
    successes = round(0.782 * violence)
    assert round((normal(successes, violence).upper - successes / violence) * 100, 2) == 2.87


# --- The unrecorded estimate ---

# The report does not give the recorded volume it used: the Home Office figures for the 12
# months to the end of the audit period (31 May 2018, l.49; HMICFRS explanatory notes).
# Two published year-ends bracket it, both the ONS force-area count of violence against the
# person, as reported in the press: 57,712 in the year to March 2018 (Express & Star, 19 July
# 2018) and 61,124 in the year to June 2018 (West Midlands Police Federation, 14 November
# 2018). Violence rose through 2018, so the year to May lies between them.
VIOLENCE_YEAR_TO_MARCH_2018 = 57_712
VIOLENCE_YEAR_TO_JUNE_2018 = 61_124


def test_the_unrecorded_violence_estimate_fits_recorded_over_the_rate() -> None:
    # Violent crimes, l.102: 78.2% recorded, "failing to record over 16,600 violent crimes
    # ... each year": 16,600 or more, and under 16,700 or it would say so.
    rate = Estimate.published(0.782, 0.0287)
    low = unrecorded_per_year(rate, VIOLENCE_YEAR_TO_MARCH_2018).count
    high = unrecorded_per_year(rate, VIOLENCE_YEAR_TO_JUNE_2018).count
    assert low < 16_600
    assert high >= 16_700
    # The other reading, unrecorded = recorded * (1 - r), cannot reach 16,600 from either.
    assert VIOLENCE_YEAR_TO_JUNE_2018 * (1 - 0.782) < 16_600


def test_the_unrecorded_range_comes_from_the_interval_ends() -> None:
    rate = Estimate.published(0.782, 0.0287)
    missed = unrecorded_per_year(rate, 59_600)
    assert missed.lower == pytest.approx(59_600 * (1 - 0.8107) / 0.8107)
    assert missed.upper == pytest.approx(59_600 * (1 - 0.7533) / 0.7533)
    assert missed.lower < missed.count < missed.upper


# --- Properties ---

confidences = st.floats(min_value=0.5, max_value=0.999)


@st.composite
def samples(draw: st.DrawFn, max_n: int = 5_000) -> tuple[int, int]:
    n = draw(st.integers(min_value=1, max_value=max_n))
    return draw(st.integers(min_value=0, max_value=n)), n


@st.composite
def finite_samples(draw: st.DrawFn) -> tuple[int, int, int]:
    successes, n = draw(samples(max_n=2_000))
    population = draw(st.integers(min_value=n, max_value=200_000))
    return successes, n, population


def sound(estimate: Estimate) -> bool:
    return 0.0 <= estimate.lower <= estimate.share <= estimate.upper <= 1.0


@given(samples(), confidences)
def test_wilson_contains_the_share_within_zero_and_one(
    sample: tuple[int, int], confidence: float
) -> None:
    successes, n = sample
    estimate = wilson(successes, n, confidence)
    assert sound(estimate)
    assert estimate.share == successes / n


@given(samples(), confidences)
def test_wilson_agrees_with_the_score_formula(sample: tuple[int, int], confidence: float) -> None:
    successes, n = sample
    # Oracle: Wilson (1927), centre (p + z^2/2n) / (1 + z^2/n), half-width
    # z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/4n^2).
    z = norm.ppf(1 - (1 - confidence) / 2)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    estimate = wilson(successes, n, confidence)
    assert estimate.lower == pytest.approx(max(0.0, centre - half), abs=1e-12)
    assert estimate.upper == pytest.approx(min(1.0, centre + half), abs=1e-12)


@given(finite_samples(), confidences)
def test_the_fpc_interval_is_sound_and_no_wider_than_without(
    sample: tuple[int, int, int], confidence: float
) -> None:
    successes, n, population = sample
    with_fpc = normal_fpc(successes, n, population, confidence)
    without = normal(successes, n, confidence)
    assert sound(with_fpc)
    assert sound(without)
    assert with_fpc.upper - with_fpc.lower <= without.upper - without.lower
    if 4 <= n < population and 0 < successes < n:
        # The correction (N-n)/(N-1) is below 1 once n > 1; from n = 4 at least one end of
        # the uncorrected interval is inside [0, 1], so the narrowing shows.
        assert with_fpc.upper - with_fpc.lower < without.upper - without.lower


@given(samples(max_n=2_000), confidences)
def test_a_census_has_no_sampling_error(sample: tuple[int, int], confidence: float) -> None:
    successes, n = sample
    census = normal_fpc(successes, n, n, confidence)
    assert census.lower == census.share == census.upper == successes / n


@given(finite_samples(), confidences)
def test_the_fpc_half_width_is_the_inspection_formula(
    sample: tuple[int, int, int], confidence: float
) -> None:
    successes, n, population = sample
    assume(population > 1)
    p = successes / n
    half = norm.ppf(1 - (1 - confidence) / 2) * math.sqrt(
        p * (1 - p) / n * (population - n) / (population - 1)
    )
    estimate = normal_fpc(successes, n, population, confidence)
    assert estimate.lower == pytest.approx(max(0.0, p - half), abs=1e-12)
    assert estimate.upper == pytest.approx(min(1.0, p + half), abs=1e-12)


@given(finite_samples(), confidences)
def test_one_stratum_is_the_fpc_interval(sample: tuple[int, int, int], confidence: float) -> None:
    successes, n, population = sample
    one = stratified([(population, n, successes)], confidence)
    plain = normal_fpc(successes, n, population, confidence)
    assert one.share == pytest.approx(plain.share, abs=1e-15)
    assert one.lower == pytest.approx(plain.lower, abs=1e-12)
    assert one.upper == pytest.approx(plain.upper, abs=1e-12)


@given(st.lists(finite_samples(), min_size=1, max_size=6), confidences)
def test_the_stratified_share_is_the_weighted_mean_of_the_strata(
    rows: list[tuple[int, int, int]], confidence: float
) -> None:
    strata = [(population, n, successes) for successes, n, population in rows]
    estimate = stratified(strata, confidence)
    assert sound(estimate)
    total = sum(population for population, _, _ in strata)
    weighted = sum(population / total * x / n for population, n, x in strata)
    assert estimate.share == pytest.approx(weighted, abs=1e-12)
    # Oracle: the stratified variance, sum W_h^2 p_h(1-p_h)/n_h * (N_h-n_h)/(N_h-1).
    variance = sum(
        (population / total) ** 2
        * (x / n)
        * (1 - x / n)
        / n
        * ((population - n) / (population - 1) if population > 1 else 0.0)
        for population, n, x in strata
    )
    half = norm.ppf(1 - (1 - confidence) / 2) * math.sqrt(variance)
    assert estimate.lower == pytest.approx(max(0.0, weighted - half), abs=1e-12)
    assert estimate.upper == pytest.approx(min(1.0, weighted + half), abs=1e-12)
    shares = [x / n for _, n, x in strata]
    assert min(shares) - 1e-12 <= estimate.share <= max(shares) + 1e-12
    assert (estimate.n, estimate.successes) == (
        sum(n for _, n, _ in strata),
        sum(x for _, _, x in strata),
    )
    census = stratified([(n, n, x) for _, n, x in strata], confidence)
    assert census.lower == census.share == census.upper


@given(samples(), st.integers(min_value=0, max_value=10_000_000))
def test_recorded_plus_unrecorded_is_recorded_over_the_rate(
    sample: tuple[int, int], recorded: int
) -> None:
    successes, n = sample
    assume(successes > 0)
    rate = wilson(successes, n)
    missed = unrecorded_per_year(rate, recorded)
    if recorded:
        # The unrecorded are the share 1 - r of the crimes that should have been recorded.
        reported = recorded + missed.count
        assert missed.count / reported == pytest.approx(1 - rate.share, abs=1e-9)
    assert missed.lower <= missed.count <= missed.upper


@given(
    st.floats(min_value=0.01, max_value=0.99),
    st.floats(min_value=0.005, max_value=0.2),
    st.one_of(st.none(), st.integers(min_value=1, max_value=500_000)),
)
def test_sample_size_is_the_smallest_that_reaches_the_half_width(
    share: float, half_width: float, population: int | None
) -> None:
    z = norm.ppf(0.975)

    def half(n: int) -> float:
        fpc = 1.0 if population is None else (population - n) / max(population - 1, 1)
        return z * math.sqrt(share * (1 - share) / n * fpc)

    n = sample_size(share, half_width, population)
    assert half(n) <= half_width * (1 + 1e-9)
    if n > 1:
        assert half(n - 1) > half_width * (1 - 1e-9)


# --- Errors ---

BAD: list[tuple[Any, str]] = [
    (lambda: wilson(1, 0), "n is 0"),
    (lambda: wilson(6, 5), "successes 6 is more than n 5"),
    (lambda: wilson(-1, 5), "successes -1 is negative"),
    (lambda: normal(1, -5), "n -5 is negative"),
    (lambda: wilson(2.5, 5), "successes 2.5 is not a whole number"),
    (lambda: wilson(True, 5), "successes True is not a whole number"),
    (lambda: wilson(1, 5, confidence=1.0), "confidence 1.0 is not a level"),
    (lambda: normal(1, 5, confidence=0), "confidence 0 is not a level"),
    (lambda: normal_fpc(1, 5, 4), "population 4 is smaller than the sample n 5"),
    (lambda: normal_fpc(1, 5, -4), "population -4 is negative"),
    (lambda: stratified([]), "strata is empty"),
    (lambda: stratified([(100, 10)]), "strata[0] (100, 10) is not a"),
    (lambda: stratified([(100, 10, 3), (5, 10, 3)]), "strata[1] population 5 is smaller"),
    (lambda: stratified([(100, 10, 11)]), "strata[0] successes 11 is more than n 10"),
    (lambda: stratified([(100, 0, 0)]), "strata[0] n is 0"),
    (lambda: unrecorded_per_year(wilson(0, 5), 1000), "rate share is 0"),
    (lambda: unrecorded_per_year(wilson(3, 5), -1), "recorded_per_year -1 is negative"),
    (lambda: unrecorded_per_year(0.78, 1000), "rate 0.78 is not an Estimate"),
    (lambda: sample_size(1.5, 0.03), "share 1.5 is not a share"),
    (lambda: sample_size(0.5, 0.0), "half_width 0.0 is not a share above 0"),
    (lambda: sample_size(0.5, 0.03, population=0), "population 0 is smaller"),
    (lambda: Estimate.published(0.5, -0.1), "half_width -0.1 is not a share"),
    (lambda: Estimate(0.5, 0.6, 0.7, 10, 5, "x"), "does not contain the share 0.5"),
    (lambda: Estimate(1.2, 0.6, 0.7, 10, 5, "x"), "Estimate share 1.2 is not a share"),
]


@pytest.mark.parametrize(("call", "message"), BAD)
def test_bad_input_names_the_argument_and_the_problem(call: Any, message: str) -> None:
    with pytest.raises(UsageError) as raised:
        call()
    assert message in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_an_unbounded_end_is_infinite_not_an_error() -> None:
    # A rate whose interval reaches 0 leaves the upper count unbounded, and says so.
    missed = unrecorded_per_year(normal(1, 2), 100)
    assert missed.count == 100
    assert math.isinf(missed.upper)
