"""The client's address behind trusted proxies: X-Forwarded-For is believed only as far as trusted proxies wrote it."""
import pytest

from handoff.settings import Settings, SettingsError
from handoff.web.security import UNKNOWN_ADDRESS, client_address_of, parse_trusted_proxies

pytestmark = pytest.mark.unit

PROXIES = parse_trusted_proxies(["127.0.0.1", "10.0.0.0/8", "::1"])


def test_without_trusted_proxies_the_socket_peer_is_the_client_whatever_it_forwards():
    assert client_address_of("203.0.113.7", ["198.51.100.1"], ()) == "203.0.113.7"
    assert client_address_of("127.0.0.1", ["198.51.100.1"], ()) == "127.0.0.1"


def test_a_trusted_proxy_names_the_client():
    assert client_address_of("127.0.0.1", ["198.51.100.1"], PROXIES) == "198.51.100.1"
    assert client_address_of("::1", ["2001:db8::5"], PROXIES) == "2001:db8::5"
    assert client_address_of("::ffff:127.0.0.1", ["198.51.100.1"], PROXIES) == "198.51.100.1"


def test_a_client_cannot_forge_its_address_through_the_proxy():
    # nginx appends the peer it saw; what the client sent itself stays to the left and is not believed.
    assert client_address_of("127.0.0.1", ["6.6.6.6, 198.51.100.1"], PROXIES) == "198.51.100.1"
    assert client_address_of("127.0.0.1", ["6.6.6.6", "198.51.100.1"], PROXIES) == "198.51.100.1"
    assert client_address_of("127.0.0.1", ["nonsense, 198.51.100.1"], PROXIES) == "198.51.100.1"


def test_a_chain_of_trusted_proxies_is_walked_to_the_first_untrusted_hop():
    assert client_address_of("127.0.0.1", ["198.51.100.1, 10.1.2.3"], PROXIES) == "198.51.100.1"
    assert client_address_of("127.0.0.1", ["10.1.2.3"], PROXIES) == "10.1.2.3"   # from inside
    assert client_address_of("127.0.0.1", [], PROXIES) == "127.0.0.1"
    assert client_address_of("127.0.0.1", ["10.1.2.3, garbage"], PROXIES) == "127.0.0.1"


def test_a_request_not_from_a_proxy_keeps_its_own_address():
    assert client_address_of("203.0.113.7", ["198.51.100.1"], PROXIES) == "203.0.113.7"
    assert client_address_of("", ["198.51.100.1"], PROXIES) == UNKNOWN_ADDRESS


def test_the_setting_reads_addresses_and_networks_and_names_a_bad_entry():
    assert Settings.from_env({"TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8 ,"}).trusted_proxies == ("127.0.0.1",
                                                                                                  "10.0.0.0/8")
    assert Settings.from_env({}).trusted_proxies == ()
    with pytest.raises(SettingsError, match="TRUSTED_PROXIES: 'nginx'"):
        Settings.from_env({"TRUSTED_PROXIES": "127.0.0.1,nginx"})
