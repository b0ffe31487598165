"""Schemathesis against each service's own OpenAPI document, on a real server and
database: no 5xx, every response conforms to the documented schema and content type, and
every problem's rule is one its operation documents (issue #21 item 14).
Bounded: at least ``CASES_PER_SERVICE`` generated cases per service (issue #21, item 15),
spread over its operations that take input (an operation without parameters or body has
one case to send); ``WIJKWERK_FUZZ_CASES`` raises it for a deeper run. About 15 ms a case.

The documents are loaded in-process at collection (one test per operation); the cases
are sent over HTTP to the uvicorn servers of ``conftest.servers``. (Schemathesis's own
pytest plugin does not run under pytest 9, so hypothesis drives the strategies here.)"""

from __future__ import annotations

import importlib
import math
import os
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from wijkwerk.http.documentatie import gedocumenteerde_regels

pytestmark = pytest.mark.integration

CASES_PER_SERVICE = int(os.environ.get("WIJKWERK_FUZZ_CASES", "1000"))


def rule_documented_on_its_operation(ctx, response, case) -> None:
    """A problem document's ``rule`` is among the rules its operation lists in the OpenAPI
    document, so a partner can rely on that list per operation."""
    if response.status_code < 400 or "problem+json" not in str(response.headers.get("content-type", "")):
        return None
    rule = response.json().get("rule")
    gedocumenteerd = gedocumenteerde_regels(case.operation.definition.raw)
    if rule not in gedocumenteerd:
        raise AssertionError(f"{case.operation.label} answered {response.status_code} {rule!r}, which it does not "
                             f"document (it documents {sorted(gedocumenteerd)})")
    return None


CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, rule_documented_on_its_operation]
FUZZED = ("toeleiding", "prestaties", "cheques", "evaluatie")


def _takes_input(operation) -> bool:
    return bool(operation.definition.raw.get("parameters") or operation.definition.raw.get("requestBody"))


def _operations():
    for service in FUZZED:
        api = importlib.import_module(f"{service}.entrypoints.api")
        config = importlib.import_module(f"{service}.config")
        spec = api.create_app(config.Settings(run_workers=False)).openapi()
        schema = schemathesis.openapi.from_dict(spec)
        operations = [result.ok() for result in schema.get_all_operations()]
        per_operation = math.ceil(CASES_PER_SERVICE / sum(map(_takes_input, operations)))
        for operation in operations:
            cases = per_operation if _takes_input(operation) else 1
            yield pytest.param(service, operation, cases, id=f"{service} {operation.method.upper()} {operation.path}")


OPERATIONS = list(_operations())
SENT: Counter[str] = Counter()  # cases sent per service in this session
RAN: set[str] = set()


@pytest.mark.parametrize(("service", "operation", "cases"), OPERATIONS)
def test_every_operation_answers_within_its_documented_schema(service, operation, cases, servers, central_headers):
    base_url = servers[service].url

    @given(case=operation.as_strategy())
    @settings(max_examples=cases, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
              database=None)
    def fuzz(case):
        SENT[service] += 1
        case.call_and_validate(base_url=base_url, headers=central_headers, checks=CHECKS)

    fuzz()
    RAN.add(f"{service} {operation.method.upper()} {operation.path}")


def test_the_fuzzing_covers_every_documented_operation():
    assert len(OPERATIONS) >= 20


def test_every_service_got_its_budget_of_cases():
    """Runs after the operations above (module order); counts what hypothesis really sent."""
    if len(RAN) < len(OPERATIONS):
        pytest.skip("not every fuzzed operation ran in this session (a selection)")
    assert {s: n for s, n in SENT.items() if n < CASES_PER_SERVICE} == {}, SENT
