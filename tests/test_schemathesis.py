"""Schemathesis sends generated requests, those the description allows and
those it does not, to every operation of /api/v1 and of Open311, anonymously
and with a member of staff's token: whatever it sends, the answer is never a
server error. In-process (the WSGI application, no network), deterministic and
bounded (EXAMPLES per operation and caller), so the suite stays fast; `-m
schemathesis` selects it alone, and SCHEMATHESIS_EXAMPLES=500 makes a longer run."""

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from cpis.api import api as ninja_api
from cpis.open311 import spec

pytestmark = pytest.mark.schemathesis

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "20"))
BASE_URLS = {"api": "http://localhost", "open311": "http://localhost/open311/v2"}
SCHEMAS = {
    "api": schemathesis.openapi.from_dict(ninja_api.get_openapi_schema(path_prefix="/api/v1/")),
    "open311": schemathesis.openapi.from_dict(spec.document("2026-01-01T00:00:00Z")),
}
OPERATIONS = [
    (name, result.ok()) for name, schema in SCHEMAS.items() for result in schema.get_all_operations()
]


@pytest.fixture
def application():
    """The site as a WSGI application that, like Django's test client, keeps the
    test's database connection (and its transaction) open between requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def token(persona):
    from cpis.accounts.services import create_api_token

    return create_api_token(user=persona("commander_n1"), name="schemathesis")[1]


def test_every_operation_is_described():
    api_operations = sum(len(methods) for methods in ninja_api.get_openapi_schema()["paths"].values())
    assert len([name for name, _operation in OPERATIONS if name == "api"]) == api_operations
    assert len([name for name, _operation in OPERATIONS if name == "open311"]) == 7


@pytest.mark.parametrize("who", ["anonymous", "staff"])
@pytest.mark.parametrize(("name", "operation"), OPERATIONS, ids=[f"{n}:{o.label}" for n, o in OPERATIONS])
def test_no_generated_request_is_a_server_error(name, operation, who, application, token, categories):
    headers = {"Authorization": f"Bearer {token}"} if who == "staff" and name == "api" else {}
    cases = st.one_of(
        operation.as_strategy(generation_mode=schemathesis.GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE),
    )

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def run(case):
        if who == "staff" and name == "open311" and isinstance(case.body, dict):
            case.body["api_key"] = token  # Open311 clients send their key in the form
        response = case.call(base_url=BASE_URLS[name], app=application, headers=headers)
        case.validate_response(response, checks=[not_a_server_error])

    run()
