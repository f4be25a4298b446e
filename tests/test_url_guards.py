"""Every URL is either public or guarded: no view is left open by accident."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

from cpis.accounts.api_auth import public
from cpis.api import api
from cpis.core.views import ACCESS_ATTRIBUTE


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _routes():
    return [
        (route, callback)
        for route, callback in _walk(get_resolver().url_patterns)
        if not route.startswith(("admin/", "api/v1/"))
    ]


def test_every_view_is_marked_public_or_guarded():
    unmarked = [
        route
        for route, callback in _routes()
        if getattr(callback, ACCESS_ATTRIBUTE, None) not in {"public", "staff"}
    ]
    assert unmarked == []


def test_every_guarded_page_sends_an_anonymous_visitor_to_sign_in(tree, client):
    for route, callback in _routes():
        if getattr(callback, ACCESS_ATTRIBUTE) != "staff":
            continue
        url = "/" + re.sub(r"<int:\w+>", str(tree.n1.pk), route)
        url = re.sub(r"<\w+:\w+>", "x", url)
        response = client.get(url)
        assert response.status_code in {302, 405}, url
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/"), url


def test_the_admin_is_for_django_staff_only(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def _operations():
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                yield path, operation


def test_every_api_operation_declares_how_callers_authenticate():
    operations = list(_operations())
    assert operations
    for path, operation in operations:
        assert isinstance(operation.auth_callbacks, list | tuple) and operation.auth_callbacks, path


# Anonymous writes the API allows on purpose: opening a tracking code (the
# code goes in the body so that it never appears in a URL or a log).
ANONYMOUS_POSTS = {"/track"}


def test_anonymous_access_to_the_api_is_read_only_but_for_tracking():
    for path, operation in _operations():
        if public in operation.auth_callbacks and path not in ANONYMOUS_POSTS:
            assert set(operation.methods) == {"GET"}, path


def test_health_checks(client, db):
    assert client.get("/healthz/live").content == b"ok"
    assert client.get("/healthz/ready").status_code == 200
