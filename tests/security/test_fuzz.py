"""Schemathesis against each service's own OpenAPI document, on a real server and
database: no 5xx, every response conforms to the documented schema and content type.
Bounded: ``MAX_EXAMPLES`` generated cases per operation.

The documents are loaded in-process at collection (one test per operation); the cases
are sent over HTTP to the uvicorn servers of ``conftest.servers``. (Schemathesis's own
pytest plugin does not run under pytest 9, so hypothesis drives the strategies here.)"""

from __future__ import annotations

import importlib

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

pytestmark = pytest.mark.integration

MAX_EXAMPLES = 15
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
FUZZED = ("toeleiding", "prestaties", "cheques", "evaluatie")


def _operations():
    for service in FUZZED:
        api = importlib.import_module(f"{service}.entrypoints.api")
        config = importlib.import_module(f"{service}.config")
        spec = api.create_app(config.Settings(run_workers=False)).openapi()
        schema = schemathesis.openapi.from_dict(spec)
        for result in schema.get_all_operations():
            operation = result.ok()
            yield pytest.param(service, operation, id=f"{service} {operation.method.upper()} {operation.path}")


OPERATIONS = list(_operations())


@pytest.mark.parametrize(("service", "operation"), OPERATIONS)
def test_every_operation_answers_within_its_documented_schema(service, operation, servers, central_headers):
    base_url = servers[service].url

    @given(case=operation.as_strategy())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
              database=None)
    def fuzz(case):
        case.call_and_validate(base_url=base_url, headers=central_headers, checks=CHECKS)

    fuzz()


def test_the_fuzzing_covers_every_documented_operation():
    assert len(OPERATIONS) >= 20
