"""The published API document: every operation summarised, every request body with an
example, every error documented as a problem document."""

from toeleiding.config import Settings
from toeleiding.entrypoints.api import create_app


def _operations():
    spec = create_app(Settings(run_workers=False)).openapi()
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            yield spec, path, method, op


def test_every_operation_has_a_summary_and_documents_problems():
    for _, path, method, op in _operations():
        assert op.get("summary"), f"{method} {path} has no summary"
        if path.startswith("/v1/"):
            assert "401" in op["responses"] and "422" in op["responses"], f"{method} {path}"


def test_every_request_body_has_an_example_that_validates_against_its_model():
    from toeleiding.entrypoints import schemas

    bodies = 0
    for spec, path, method, op in _operations():
        if "requestBody" not in op:
            continue
        ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        name = ref.rsplit("/", 1)[-1]
        examples = spec["components"]["schemas"][name].get("examples")
        assert examples, f"{method} {path}: {name} has no example"
        for example in examples:
            getattr(schemas, name).model_validate(example)
        bodies += 1
    assert bodies >= 9


def test_every_operation_documents_the_overload_503():
    """Past its limit a process answers 503 + Retry-After (wijkwerk.http.overbelasting)."""
    zonder = [(method, path) for _, path, method, op in _operations()
              if path not in ("/health", "/ready", "/metrics") and "503" not in op["responses"]]
    assert zonder == []


def test_every_rule_the_code_raises_is_documented_on_an_operation_and_no_other():
    from pathlib import Path

    import toeleiding
    from toeleiding.entrypoints.regelboek import REGELS
    from wijkwerk.http.documentatie import afwijkingen
    from wijkwerk.problems import ProblemDocument

    spec = create_app(Settings(run_workers=False)).openapi()
    assert afwijkingen(spec, Path(toeleiding.__file__).parent, REGELS) == {
        "ongedocumenteerd": set(), "niet-in-code": set(), "catalogus-niet-in-code": set()}
    for _, _, _, op in _operations():
        for response in op["responses"].values():
            for example in response.get("content", {}).get("application/problem+json", {}).get("examples", {}).values():
                ProblemDocument.model_validate(example["value"])


def test_every_answer_has_an_example_that_validates_against_its_own_model():
    from wijkwerk.http.documentatie import ongeldige_voorbeelden, zonder_voorbeeld, zonder_voorbeeld_buiten_json

    app = create_app(Settings(run_workers=False))
    assert zonder_voorbeeld(app.openapi()) == []
    assert zonder_voorbeeld_buiten_json(app.openapi()) == []  # a CSV or XML answer or body
    assert ongeldige_voorbeelden(app) == []
