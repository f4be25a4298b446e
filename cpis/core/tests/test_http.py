from django.test import RequestFactory, override_settings

from cpis.core.http import client_ip


def _request(remote="203.0.113.9", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@override_settings(TRUSTED_PROXY_COUNT=0, TRUSTED_PROXY_IPS=[])
def test_without_trusted_proxies_a_forwarded_header_is_ignored():
    assert client_ip(_request(forwarded="1.2.3.4")) == "203.0.113.9"


@override_settings(TRUSTED_PROXY_COUNT=1, TRUSTED_PROXY_IPS=["10.0.0.2"])
def test_behind_one_proxy_the_address_the_proxy_saw_is_used_not_the_clients_claim():
    request = _request(remote="10.0.0.2", forwarded="6.6.6.6, 198.51.100.7")
    assert client_ip(request) == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=2, TRUSTED_PROXY_IPS=[])
def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client():
    request = _request(remote="10.0.0.3", forwarded="6.6.6.6, 198.51.100.7, 10.0.0.2")
    assert client_ip(request) == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=1, TRUSTED_PROXY_IPS=["10.0.0.2"])
def test_a_request_not_from_a_trusted_proxy_is_judged_by_its_own_address():
    assert client_ip(_request(remote="203.0.113.50", forwarded="1.2.3.4")) == "203.0.113.50"


@override_settings(TRUSTED_PROXY_COUNT=1, TRUSTED_PROXY_IPS=[])
def test_garbage_in_the_forwarded_header_falls_back_to_the_peer_address():
    assert client_ip(_request(remote="10.0.0.2", forwarded="not-an-ip")) == "10.0.0.2"


def test_check_deploy_asks_how_many_proxies_sit_in_front(settings):
    from cpis.core.checks import trusted_proxies_declared

    settings.TRUSTED_PROXY_COUNT_DECLARED = False
    assert [w.id for w in trusted_proxies_declared(None)] == ["cpis.W001"]
    settings.TRUSTED_PROXY_COUNT_DECLARED = True
    assert trusted_proxies_declared(None) == []


def test_a_forwarded_header_with_no_trusted_proxy_is_ignored_and_said_once(rf, settings, caplog, monkeypatch):
    from cpis.core import http

    settings.TRUSTED_PROXY_COUNT = 0
    monkeypatch.setattr(http, "_warned_forwarded", False)
    for _ in range(3):
        request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
        assert http.client_ip(request) == "10.0.0.5"
    warnings = [r for r in caplog.records if "X-Forwarded-For" in r.getMessage()]
    assert len(warnings) == 1 and "TRUSTED_PROXY_COUNT" in warnings[0].getMessage()
