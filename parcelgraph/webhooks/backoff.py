"""When to try a webhook delivery again, and what one attempt's answer means.

A delivery gets a first attempt plus up to 15 retries. The wait before
retry `n` is nominally `base * factor ** (n - 1)`, capped; with the defaults (30 s, factor 2,
12 h cap) the nominal waits are 30 s, 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, 1 h 4 min,
2 h 8 min, 4 h 16 min, 8 h 32 min, then 12 h four times: the last retry comes about
2.7 days after the first attempt, in the range Stripe (3 days) and Shopify use.

Jitter spreads the retries of many deliveries that failed together (a receiver outage), so
they do not all hit the receiver the moment it comes back:

- `EQUAL` (default): a uniform wait in [nominal/2, nominal]. Every retry still waits at
  least half its nominal time, so the schedule keeps covering long outages (1.35 to 2.7
  days in total, 2 on average).
- `FULL`: uniform in [0, nominal], the widest spread, but the total shrinks to about half.
- `DECORRELATED`: uniform in [base, previous * (factor + 1)], capped (AWS's variant); it
  needs the previous actual wait.
- `NONE`: exactly the nominal schedule (what the README lists).

Everything is deterministic when given a seeded `random.Random`.
"""

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

DEFAULT_BASE_SECONDS = 30.0
DEFAULT_FACTOR = 2.0
DEFAULT_CAP_SECONDS = 12 * 3600.0
DEFAULT_MAX_RETRIES = 15


class Jitter(StrEnum):
    """How a nominal wait is randomised (see the module docstring)."""

    NONE = "none"
    FULL = "full"
    EQUAL = "equal"
    DECORRELATED = "decorrelated"


DEFAULT_JITTER = Jitter.EQUAL

# Jitter needs no cryptographic strength; this instance only serves callers without an rng.
_SHARED_RNG = random.Random()  # noqa: S311


def _check_parameters(base: float, factor: float, cap: float) -> None:
    if base <= 0 or factor < 1 or cap < base:
        raise ValueError("backoff needs base > 0, factor >= 1 and cap >= base")


def nominal_delay(
    attempt_number: int,
    *,
    base: float = DEFAULT_BASE_SECONDS,
    factor: float = DEFAULT_FACTOR,
    cap: float = DEFAULT_CAP_SECONDS,
) -> float:
    """The un-jittered wait, in seconds, after failed attempt `attempt_number` (1-based)."""
    if attempt_number < 1:
        raise ValueError("attempt numbers start at 1")
    _check_parameters(base, factor, cap)
    exponent = attempt_number - 1
    # Compare in log space: factor ** exponent overflows a float long before the cap matters.
    if factor > 1 and exponent * math.log(factor) >= math.log(cap / base):
        return cap
    return min(cap, base * factor**exponent)


def next_attempt_delay(
    attempt_number: int,
    *,
    base: float = DEFAULT_BASE_SECONDS,
    factor: float = DEFAULT_FACTOR,
    cap: float = DEFAULT_CAP_SECONDS,
    jitter: Jitter = DEFAULT_JITTER,
    rng: random.Random | None = None,
    previous_delay: float | None = None,
) -> float:
    """Seconds to wait after failed attempt `attempt_number` (1 = the first attempt).

    Whether another attempt is allowed at all is `BackoffPolicy.is_exhausted`'s business.
    `previous_delay` (the wait actually used before this attempt) feeds DECORRELATED; when
    it is missing, the nominal wait of the attempt before stands in for it.
    """
    nominal = nominal_delay(attempt_number, base=base, factor=factor, cap=cap)
    jitter = Jitter(jitter)  # settings may hand over the plain string
    rng = rng or _SHARED_RNG
    if jitter is Jitter.NONE:
        return nominal
    if jitter is Jitter.FULL:
        return rng.uniform(0.0, nominal)
    if jitter is Jitter.EQUAL:
        return nominal / 2 + rng.uniform(0.0, nominal / 2)
    if previous_delay is None:
        previous_delay = (
            base
            if attempt_number == 1
            else nominal_delay(attempt_number - 1, base=base, factor=factor, cap=cap)
        )
    upper = max(base, previous_delay * (factor + 1))
    return min(cap, rng.uniform(base, upper))


@dataclass(frozen=True, slots=True)
class ScheduledRetry:
    """One line of the nominal schedule: retry number, its wait, and time since attempt 1."""

    retry: int
    delay_seconds: float
    after_first_attempt_seconds: float


def schedule(
    *,
    base: float = DEFAULT_BASE_SECONDS,
    factor: float = DEFAULT_FACTOR,
    cap: float = DEFAULT_CAP_SECONDS,
    max_retries: int = DEFAULT_MAX_RETRIES,
) -> list[ScheduledRetry]:
    """The nominal (un-jittered) retry schedule, one entry per retry, for docs and tests."""
    entries: list[ScheduledRetry] = []
    elapsed = 0.0
    for retry in range(1, max_retries + 1):
        delay = nominal_delay(retry, base=base, factor=factor, cap=cap)
        elapsed += delay
        entries.append(ScheduledRetry(retry, delay, elapsed))
    return entries


def format_duration(seconds: float) -> str:
    """A short human duration for the README: `30 s`, `1 min 30 s`, `2 d 17 h 3 min`.

    Seconds are shown only below an hour, where they are not noise.
    """
    total = round(seconds)
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    secs = secs if total < 3_600 else 0
    parts = [(days, "d"), (hours, "h"), (minutes, "min"), (secs, "s")]
    return " ".join(f"{value} {unit}" for value, unit in parts if value) or "0 s"


def schedule_markdown(entries: list[ScheduledRetry]) -> str:
    """The schedule as a Markdown table (retry, wait, time since the first attempt)."""
    lines = ["| retry | wait | after first attempt |", "|---|---|---|"]
    for entry in entries:
        wait = format_duration(entry.delay_seconds)
        after = format_duration(entry.after_first_attempt_seconds)
        lines.append(f"| {entry.retry} | {wait} | {after} |")
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class BackoffPolicy:
    """A retry policy as configured (settings build it; tests shrink it)."""

    base_seconds: float = DEFAULT_BASE_SECONDS
    factor: float = DEFAULT_FACTOR
    cap_seconds: float = DEFAULT_CAP_SECONDS
    max_retries: int = DEFAULT_MAX_RETRIES
    jitter: Jitter = DEFAULT_JITTER

    def __post_init__(self) -> None:
        _check_parameters(self.base_seconds, self.factor, self.cap_seconds)
        if self.max_retries < 0:
            raise ValueError("max_retries must not be negative")

    def is_exhausted(self, attempts_made: int) -> bool:
        """True when `attempts_made` (first attempt included) leaves no retry."""
        return attempts_made >= 1 + self.max_retries

    def delay(
        self,
        attempt_number: int,
        rng: random.Random | None = None,
        previous_delay: float | None = None,
    ) -> float:
        """Seconds to wait after failed attempt `attempt_number` under this policy."""
        return next_attempt_delay(
            attempt_number,
            base=self.base_seconds,
            factor=self.factor,
            cap=self.cap_seconds,
            jitter=self.jitter,
            rng=rng,
            previous_delay=previous_delay,
        )

    def next_attempt_at(
        self, failed_at: datetime, attempt_number: int, rng: random.Random | None = None
    ) -> datetime | None:
        """When to try again after attempt `attempt_number` failed at `failed_at` (aware),
        or None when that was the last allowed attempt.
        """
        if failed_at.tzinfo is None:
            raise ValueError("failed_at must be timezone-aware")
        if self.is_exhausted(attempt_number):
            return None
        return failed_at + timedelta(seconds=self.delay(attempt_number, rng))

    def schedule(self) -> list[ScheduledRetry]:
        """This policy's nominal schedule."""
        return schedule(
            base=self.base_seconds,
            factor=self.factor,
            cap=self.cap_seconds,
            max_retries=self.max_retries,
        )


class Outcome(StrEnum):
    """What one delivery attempt's answer means for the delivery."""

    DELIVERED = "DELIVERED"  # 2xx: acknowledged
    GONE = "GONE"  # 410: the receiver asks us to stop; the webhook gets disabled
    RETRY = "RETRY"  # anything else: other status codes, timeouts, connection errors


def classify(status_code: int | None, error: str | None) -> Outcome:
    """Map an attempt to an Outcome. The status code decides when there is one: a 2xx whose
    body then failed to arrive in time was still acknowledged, and redelivering it would
    only create a duplicate. Without a status code (network failure) it is always RETRY.
    """
    if status_code is None:
        return Outcome.RETRY
    if 200 <= status_code < 300:
        return Outcome.DELIVERED
    if status_code == 410:
        return Outcome.GONE
    return Outcome.RETRY
