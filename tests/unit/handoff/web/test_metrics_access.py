"""Who may read /metrics: loopback peers, or anyone with METRICS_TOKEN as a bearer token."""
import pytest

from handoff.web.metrics import may_scrape

pytestmark = pytest.mark.unit
TOKEN = "s3cr3t-metrics-token-0123"


@pytest.mark.parametrize("peer, bearer, token, allowed", [
    ("127.0.0.1", None, None, True),
    ("127.0.0.53", None, None, True),
    ("::1", None, None, True),
    ("10.0.0.7", None, None, False),
    ("192.168.1.20", TOKEN, None, False),          # no token configured: a bearer means nothing
    ("192.168.1.20", TOKEN, TOKEN, True),
    ("192.168.1.20", TOKEN + "x", TOKEN, False),
    ("192.168.1.20", "", TOKEN, False),
    ("2001:db8::1", TOKEN, TOKEN, True),
    ("", None, None, False),
    ("not-an-address", None, None, False),
    (None, None, TOKEN, False),
])
def test_may_scrape(peer, bearer, token, allowed):
    assert may_scrape(peer, bearer, token) is allowed
