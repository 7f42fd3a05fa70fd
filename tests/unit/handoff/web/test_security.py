import pytest

from handoff.web.errors import ApiError
from handoff.web.security import IP_LIMIT_FACTOR, MessageLimits, RateLimiter

pytestmark = pytest.mark.unit


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_sliding_window_allows_the_limit_then_tells_how_long_to_wait():
    clock = FakeClock()
    limiter = RateLimiter(2, window_seconds=60, clock=clock)
    assert limiter.hit("k") == 0 and limiter.hit("k") == 0
    clock.now += 10
    assert limiter.hit("k") == pytest.approx(50)
    assert limiter.hit("other") == 0, "keys are independent"
    clock.now += 50
    assert limiter.hit("k") == 0, "the oldest hit left the window"


def test_message_limits_per_conversation_and_per_address():
    clock = FakeClock()
    limits = MessageLimits(2, clock=clock)
    limits.check_message("c1", "1.2.3.4")
    limits.check_message("c1", "1.2.3.4")
    with pytest.raises(ApiError) as refused:
        limits.check_message("c1", "1.2.3.4")
    assert refused.value.status == 429 and int(refused.value.headers["Retry-After"]) >= 1
    for number in range(2 * IP_LIMIT_FACTOR - 2):  # the refused third message did not count for the address
        limits.check_message(f"other-{number}", "1.2.3.4")
    with pytest.raises(ApiError):
        limits.check_message("fresh", "1.2.3.4")
