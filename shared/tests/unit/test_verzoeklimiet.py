"""Rate limits per client: a token bucket per verified caller, bounded in memory, a 429
with Retry-After past it (issue #22 item 6)."""

import pytest

from wijkwerk.auth import Principal
from wijkwerk.http.verzoeklimiet import RULE, TokenBuckets, Verzoeklimiet, verzoeklimiet
from wijkwerk.observability import HTTP_RATE_LIMITED
from wijkwerk.problems import Problem


class Klok:
    def __init__(self) -> None:
        self.nu = 1000.0

    def __call__(self) -> float:
        return self.nu


def test_a_client_gets_its_burst_then_its_rate():
    klok = Klok()
    buckets = TokenBuckets(2.0, 3, klok=klok)
    assert [buckets.neem("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.neem("a") == pytest.approx(0.5)  # one token back after 1 / rate
    klok.nu += 0.5
    assert buckets.neem("a") == 0.0
    assert buckets.neem("a") > 0
    klok.nu += 60  # a full bucket, never more than the burst
    assert [buckets.neem("a") for _ in range(4)][-1] > 0


def test_clients_do_not_share_a_bucket():
    buckets = TokenBuckets(1.0, 1, klok=Klok())
    assert buckets.neem("a") == 0.0
    assert buckets.neem("a") > 0
    assert buckets.neem("b") == 0.0


def test_memory_is_bounded_and_the_least_recently_seen_client_goes_first():
    buckets = TokenBuckets(1.0, 1, max_clients=3, klok=Klok())
    for key in ("a", "b", "c"):
        buckets.neem(key)
    buckets.neem("a")  # a was seen again: b is now the oldest
    for i in range(1000):
        buckets.neem(f"x{i}")
        assert len(buckets) <= 3
    buckets = TokenBuckets(1.0, 1, max_clients=3, klok=Klok())
    for key in ("a", "b", "c"):
        buckets.neem(key)
    buckets.neem("a")
    buckets.neem("d")  # evicts b, not a
    assert buckets.neem("a") > 0  # a kept its empty bucket
    assert buckets.neem("b") == 0.0  # b starts again with a full one


def _principal(sub: str, org_type: str = "vdab") -> Principal:
    return Principal(subject=sub, scopes=frozenset(), org_type=org_type, claims={"iss": "idp", "sub": sub})


def test_past_the_rate_a_429_problem_with_retry_after_and_the_metric():
    limiet = Verzoeklimiet("test-svc", TokenBuckets(0.25, 1, klok=Klok()))
    limiet.controleer(_principal("partner"))
    before = HTTP_RATE_LIMITED.labels("test-svc")._value.get()
    with pytest.raises(Problem) as refused:
        limiet.controleer(_principal("partner"))
    assert (refused.value.status, refused.value.rule, refused.value.retry_after) == (429, RULE, 4)
    assert HTTP_RATE_LIMITED.labels("test-svc")._value.get() == before + 1


def test_internal_services_are_not_limited():
    limiet = Verzoeklimiet("test-svc", TokenBuckets(1.0, 1, klok=Klok()))
    for _ in range(10):
        limiet.controleer(_principal("cheques", org_type="service"))


def test_the_limit_is_off_at_rate_zero_and_the_burst_defaults_to_two_seconds_of_rate():
    assert verzoeklimiet("s", 0, None, 10) is None
    limiet = verzoeklimiet("s", 20, None, 10)
    assert limiet is not None and limiet.buckets.burst == 40 and limiet.buckets.max_clients == 10
    with pytest.raises(ValueError):
        TokenBuckets(1.0, 0)
