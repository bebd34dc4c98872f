"""Attack suite, issue 9: a forged X-Forwarded-For changes neither the limits nor the audit trail."""

import pytest
from django.test import RequestFactory

from guichet.audit.actions import register
from guichet.audit.services import record
from guichet.throttling import RateLimited, check_rate, client_ip

register("tests.client_ip")  # audit actions are a registry (guichet/audit/actions.py)

PROXY = "10.0.0.5"


def _request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "127.0.0.1/32"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # Without a proxy in front, the header is the client's own writing.
        ("198.51.100.1", "1.2.3.4", "198.51.100.1"),
        # Our proxy appended the real client; the left entry was forged by it.
        (PROXY, "1.2.3.4, 198.51.100.1", "198.51.100.1"),
        # Two trusted hops: skip both from the right.
        (PROXY, "1.2.3.4, 198.51.100.1, 10.0.0.9", "198.51.100.1"),
        (PROXY, "198.51.100.1:5555", "198.51.100.1"),
        (PROXY, "[2001:db8::1]:443", "2001:db8::1"),
        # Garbage never reaches the audit trail's address field.
        (PROXY, "not-an-ip", PROXY),
        (PROXY, "", PROXY),
    ],
)
def test_client_is_the_right_most_untrusted_address(behind_proxy, remote, forwarded, expected):
    assert client_ip(_request(remote, forwarded)) == expected


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("127.0.0.1", "1.2.3.4")) == "127.0.0.1"


def test_a_forged_header_does_not_change_the_per_ip_limit(behind_proxy):
    for index in range(3):
        check_rate("test-forged", client_ip(_request(PROXY, f"6.6.6.{index}, 198.51.100.1")), 3, 60)
    with pytest.raises(RateLimited):
        check_rate("test-forged", client_ip(_request(PROXY, "7.7.7.7, 198.51.100.1")), 3, 60)


@pytest.mark.django_db
def test_a_forged_header_does_not_reach_the_audit_trail(behind_proxy, citizen):
    request = _request(PROXY, "6.6.6.6, 198.51.100.1")
    request.user = citizen
    entry = record("tests.client_ip", request=request)
    assert entry.ip_address == "198.51.100.1"
