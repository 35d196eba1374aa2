"""Schemathesis against the API's own OpenAPI schema (the one /api/schema/ serves), as an authenticated
BP3MI officer and as the chair: whatever it sends, no answer is a server error and every answer conforms
to the schema."""

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.factories import make_case, make_returnee

# The schema is generated in-process (it reads no database) and called in-process through WSGI.
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = get_wsgi_application()

# Real transactions, as in production: a failed token request is rolled back by DRF only inside one.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
# FUZZ_EXAMPLES=500 for a longer hunt than the suite's.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 25)),
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


@pytest.fixture
def records(bp3mi_officer, police_officer):
    # Some records to find, so that not every id is a 404.
    case = make_case(bp3mi_officer, handled_by=[police_officer.agency])
    return make_returnee(bp3mi_officer, case=case)


def call(case, user):
    token = Token.objects.get_or_create(user=user)[0].key
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"}, checks=[not_a_server_error, response_schema_conformance]
    )


@schema.parametrize()
@FUZZ
def test_the_api_survives_whatever_an_officer_sends(case, records, bp3mi_officer):
    call(case, bp3mi_officer)


@schema.parametrize()
@FUZZ
def test_the_api_survives_whatever_the_chair_sends(case, records, chair):
    call(case, chair)
