"""The staff API keeps to its own schema: schemathesis generates requests for every operation of
`/api/schema/` (valid ones and, for the bodies, hostile ones) and sends them through the WSGI
application in the test process (no network, no server). No answer may be a server error, and
every answer must match what the schema says of it.

Bounded for `make test`: a fixed seed (hypothesis `derandomize`), a few examples per operation,
no example database; about a minute for the whole API on the test machine.
"""

from __future__ import annotations

import json

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

EXAMPLES = 8


def _schema():
    import schemathesis
    from drf_spectacular.generators import SchemaGenerator

    # The same document /api/schema/ serves, made in-process (lazy translations resolved by JSON).
    document = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))
    schema = schemathesis.openapi.from_dict(document)
    schema.app = WSGIHandler()
    return schema


@pytest.fixture
def quiet_connections():
    """The WSGI handler closes the database connection after each request, which would end the
    test's transaction; Django's test client switches that off around its requests too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


SCHEMA = _schema()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.label for op in OPERATIONS])
def test_every_answer_keeps_to_the_schema(operation, persona, quiet_connections):
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

    from jingmin.appeals import services
    from jingmin.appeals.tests.conftest import appeal_input

    # Something to read: an appeal of station A, which Chen (its chief) may see and act on.
    services.appeal_register(actor=persona.clara, data=appeal_input())
    headers = {"Authorization": f"Token {Token.objects.create(user=persona.chen).key}"}

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        case.call_and_validate(
            headers=headers,
            checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
        )

    check()
