"""The published API: versioned, every operation summarised, every request with an example."""

import pytest

from prestaties.config import Settings
from prestaties.entrypoints.api import create_app

OPS = {"/health", "/ready"}


@pytest.fixture(scope="module")
def spec() -> dict:
    return create_app(Settings()).openapi()


def _operations(spec):
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            yield path, method, op


def test_every_business_path_is_versioned(spec):
    assert {p for p in spec["paths"] if not p.startswith("/v1/")} == OPS


def test_every_operation_has_a_summary(spec):
    assert [(m, p) for p, m, op in _operations(spec) if not op.get("summary")] == []


def test_every_request_body_carries_an_example(spec):
    schemas = spec["components"]["schemas"]
    zonder = []
    for path, method, op in _operations(spec):
        body = op.get("requestBody")
        if body is None:
            continue
        ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        if not schemas[ref].get("examples"):
            zonder.append((method, path))
    assert zonder == []


def test_request_examples_validate_against_their_own_models(spec):
    from pydantic import BaseModel

    from prestaties.entrypoints.schemas import gebruikers, werk

    modellen = [
        m for mod in (gebruikers, werk) for m in vars(mod).values()
        if isinstance(m, type) and issubclass(m, BaseModel) and m.model_config.get("extra") == "forbid"
    ]
    assert len(modellen) >= 15
    for model in modellen:
        for voorbeeld in model.model_config["json_schema_extra"]["examples"]:
            model.model_validate(voorbeeld)


def test_every_write_answers_problem_documents(spec):
    for path, method, op in _operations(spec):
        if method in ("post", "put"):
            assert {"401", "403", "404", "422"} <= set(op["responses"]), (method, path)


def test_every_operation_documents_the_overload_503(spec):
    """Past its limit a process answers 503 + Retry-After (wijkwerk.http.overbelasting)."""
    zonder = [(m, p) for p, ops in spec["paths"].items() if p not in ("/health", "/ready", "/metrics")
              for m, op in ops.items() if "503" not in op["responses"]]
    assert zonder == []


def test_every_rule_the_code_raises_is_documented_on_an_operation_and_no_other(spec):
    from pathlib import Path

    import prestaties
    from prestaties.entrypoints.regelboek import REGELS
    from wijkwerk.http.documentatie import afwijkingen
    from wijkwerk.problems import ProblemDocument

    gevonden = afwijkingen(spec, Path(prestaties.__file__).parent, REGELS)
    assert gevonden == {"ongedocumenteerd": set(), "niet-in-code": set(), "catalogus-niet-in-code": set()}
    for _, _, op in _operations(spec):
        for response in op["responses"].values():
            for example in response.get("content", {}).get("application/problem+json", {}).get("examples", {}).values():
                ProblemDocument.model_validate(example["value"])


def test_every_answer_has_an_example_that_validates_against_its_own_model(spec):
    from wijkwerk.http.documentatie import ongeldige_voorbeelden, zonder_voorbeeld, zonder_voorbeeld_buiten_json

    assert zonder_voorbeeld(spec) == []
    assert zonder_voorbeeld_buiten_json(spec) == []  # a CSV or XML answer or body
    assert ongeldige_voorbeelden(create_app(Settings())) == []
