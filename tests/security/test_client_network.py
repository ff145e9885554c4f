"""The per-network rate limits' key (security.client_network): a client's IPv4 /24 or IPv6
/64, so that one household or phone carrier's block counts as one, whatever its last bits."""

import ipaddress

import pytest
from flask import Flask

from forum_app.security import client_network


@pytest.mark.parametrize(("address", "network"), [
    ("203.0.113.7", "203.0.113.0/24"),
    ("203.0.113.255", "203.0.113.0/24"),
    ("10.0.0.0", "10.0.0.0/24"),
    ("2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3:8d3::/64"),
    ("2001:db8::1", "2001:db8::/64"),
    ("::ffff:203.0.113.7", "::/64"),
    ("not-an-address", "not-an-address"),
])
def test_a_client_counts_as_its_network(address, network):
    with Flask(__name__).test_request_context(environ_base={"REMOTE_ADDR": address}):
        assert client_network() == network


@pytest.mark.parametrize("address", ["198.51.100.99", "2001:db8:1:2:3:4:5:6", "fe80::1"])
def test_the_network_is_what_ipaddress_itself_names(address):
    prefix = 24 if ":" not in address else 64
    with Flask(__name__).test_request_context(environ_base={"REMOTE_ADDR": address}):
        assert client_network() == str(ipaddress.ip_network(f"{address}/{prefix}",
                                                            strict=False))
