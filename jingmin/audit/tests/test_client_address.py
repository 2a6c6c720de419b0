"""The audit log records the client's address as our own proxies vouch for it, never a forged one."""

from jingmin.audit.middleware import request_ip


def test_a_direct_client_is_its_remote_address(rf):
    request = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    # No trusted proxy: the header is the client's own say-so and is ignored.
    assert request_ip(request) == "203.0.113.9"


def test_behind_our_proxy_the_forged_left_entry_is_ignored(rf, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    # The client sent "1.2.3.4" itself; our proxy appended the address it saw, 203.0.113.5.
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert request_ip(request) == "203.0.113.5"


def test_a_chain_of_our_own_proxies_is_skipped(rf, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2", "10.0.0.3"]
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5, 10.0.0.3")
    assert request_ip(request) == "203.0.113.5"
