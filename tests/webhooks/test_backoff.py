"""Retry schedule, jitter bounds, determinism, and what an attempt's answer means."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from parcelgraph.webhooks.backoff import (
    BackoffPolicy,
    Jitter,
    Outcome,
    ScheduledRetry,
    classify,
    format_duration,
    next_attempt_delay,
    nominal_delay,
    schedule,
    schedule_markdown,
)

NOMINAL_DEFAULT_WAITS = [
    30,
    60,
    120,
    240,
    480,
    960,
    1920,
    3840,
    7680,
    15360,
    30720,
    43200,
    43200,
    43200,
    43200,
]


def test_the_default_schedule_has_15_retries_spanning_about_two_point_seven_days():
    entries = schedule()

    assert [e.delay_seconds for e in entries] == NOMINAL_DEFAULT_WAITS
    assert [e.retry for e in entries] == list(range(1, 16))
    assert entries[-1].after_first_attempt_seconds == 234_210  # 2 d 17 h 3 min 30 s
    assert entries[2] == ScheduledRetry(3, 120, 210)


def test_the_schedule_is_configurable_and_shrinks_for_tests():
    entries = schedule(base=0.01, factor=3, cap=0.5, max_retries=4)

    assert [round(e.delay_seconds, 6) for e in entries] == [0.01, 0.03, 0.09, 0.27]
    assert schedule(base=1, cap=3, max_retries=3)[-1].delay_seconds == 3


def test_a_huge_attempt_number_stays_at_the_cap():
    assert nominal_delay(10_000) == 43200


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"attempt_number": 0}, "attempt numbers start at 1"),
        ({"attempt_number": 1, "base": 0}, "backoff needs base > 0, factor >= 1 and cap >= base"),
        (
            {"attempt_number": 1, "factor": 0.5},
            "backoff needs base > 0, factor >= 1 and cap >= base",
        ),
        (
            {"attempt_number": 1, "base": 10, "cap": 5},
            "backoff needs base > 0, factor >= 1 and cap >= base",
        ),
    ],
)
def test_nonsense_parameters_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        nominal_delay(**kwargs)


@pytest.mark.parametrize(
    ("jitter", "low_share", "high_share"),
    [(Jitter.FULL, 0.0, 1.0), (Jitter.EQUAL, 0.5, 1.0), (Jitter.NONE, 1.0, 1.0)],
)
def test_jittered_waits_stay_within_their_bounds(jitter, low_share, high_share):
    rng = random.Random(7)
    for attempt in range(1, 17):
        nominal = nominal_delay(attempt)
        for _ in range(50):
            delay = next_attempt_delay(attempt, jitter=jitter, rng=rng)
            assert nominal * low_share <= delay <= nominal * high_share


def test_full_jitter_actually_spreads_the_waits():
    rng = random.Random(1)

    delays = {round(next_attempt_delay(5, jitter=Jitter.FULL, rng=rng), 3) for _ in range(20)}

    assert len(delays) == 20


def test_decorrelated_jitter_grows_from_the_previous_wait_and_respects_the_cap():
    rng = random.Random(3)
    previous = None
    for attempt in range(1, 17):
        delay = next_attempt_delay(attempt, jitter="decorrelated", rng=rng, previous_delay=previous)
        upper = 3 * (previous if previous is not None else 30)
        assert 30 <= delay <= min(43200, upper)
        previous = delay


def test_the_same_seed_gives_the_same_waits():
    def run(seed: int) -> list[float]:
        rng = random.Random(seed)
        return [next_attempt_delay(n, jitter=Jitter.FULL, rng=rng) for n in range(1, 16)]

    assert run(42) == run(42)
    assert run(42) != run(43)


def test_policy_counts_the_first_attempt_plus_max_retries():
    policy = BackoffPolicy(max_retries=15)

    assert policy.is_exhausted(15) is False
    assert policy.is_exhausted(16) is True
    assert BackoffPolicy(max_retries=0).is_exhausted(1) is True


def test_policy_next_attempt_at_is_aware_and_none_after_the_last_retry():
    policy = BackoffPolicy(base_seconds=10, cap_seconds=100, max_retries=2, jitter=Jitter.NONE)
    failed_at = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

    assert policy.next_attempt_at(failed_at, 1) == failed_at + timedelta(seconds=10)
    assert policy.next_attempt_at(failed_at, 2) == failed_at + timedelta(seconds=20)
    assert policy.next_attempt_at(failed_at, 3) is None
    with pytest.raises(ValueError):
        policy.next_attempt_at(failed_at.replace(tzinfo=None), 1)


def test_policy_refuses_nonsense_and_lists_its_schedule():
    with pytest.raises(ValueError):
        BackoffPolicy(max_retries=-1)
    with pytest.raises(ValueError):
        BackoffPolicy(base_seconds=0)
    assert [e.delay_seconds for e in BackoffPolicy(max_retries=3).schedule()] == [30, 60, 120]


def test_policy_delay_is_deterministic_with_a_seeded_rng():
    policy = BackoffPolicy()

    assert policy.delay(4, random.Random(9)) == policy.delay(4, random.Random(9))
    assert 120 <= policy.delay(4, random.Random(9)) <= 240


def test_the_readme_table_is_readable():
    table = schedule_markdown(schedule(max_retries=3))

    assert table == (
        "| retry | wait | after first attempt |\n"
        "|---|---|---|\n"
        "| 1 | 30 s | 30 s |\n"
        "| 2 | 1 min | 1 min 30 s |\n"
        "| 3 | 2 min | 3 min 30 s |"
    )
    assert format_duration(234_210) == "2 d 17 h 3 min"
    assert format_duration(0) == "0 s"


@pytest.mark.parametrize(
    ("status", "error", "outcome"),
    [
        (200, None, Outcome.DELIVERED),
        (201, None, Outcome.DELIVERED),
        (204, None, Outcome.DELIVERED),
        (299, None, Outcome.DELIVERED),
        (200, "timeout: the body did not arrive in time", Outcome.DELIVERED),
        (410, None, Outcome.GONE),
        (301, None, Outcome.RETRY),
        (302, None, Outcome.RETRY),
        (400, None, Outcome.RETRY),
        (401, None, Outcome.RETRY),
        (404, None, Outcome.RETRY),
        (429, None, Outcome.RETRY),
        (500, None, Outcome.RETRY),
        (503, None, Outcome.RETRY),
        (None, "timeout: no answer within 10.0 s", Outcome.RETRY),
        (None, "connect_error: connection refused", Outcome.RETRY),
        (None, None, Outcome.RETRY),
    ],
)
def test_classify(status, error, outcome):
    assert classify(status, error) is outcome
