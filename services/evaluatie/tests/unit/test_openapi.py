"""The published API of evaluatie: every operation summarised, every request body and
every typed report with an example that validates against its own model."""

import pytest

from evaluatie.config import Settings
from evaluatie.entrypoints.api import create_app
from evaluatie.entrypoints.routes import bemiddelaars, evaluaties, maandrapporten, nazorg, opvolging


@pytest.fixture(scope="module")
def spec() -> dict:
    return create_app(Settings(run_workers=False)).openapi()


def _operations(spec):
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            yield path, method, op


def test_every_operation_has_a_summary(spec):
    assert [(m, p) for p, m, op in _operations(spec) if not op.get("summary")] == []


def test_every_request_body_carries_an_example_that_validates():
    for model in (evaluaties.EvaluatieIn, evaluaties.UitstroomIn, bemiddelaars.BemiddelaarsinzetIn,
                  opvolging.EvaluatieCorrectieIn, opvolging.MetingCorrectieIn):
        voorbeelden = model.model_config["json_schema_extra"]["examples"]
        assert voorbeelden
        for voorbeeld in voorbeelden:
            model.model_validate(voorbeeld)


@pytest.mark.parametrize("model", [maandrapporten.WerkzaamPerJaarRapport, nazorg.UitstroomNaarWerkRapport,
                                   nazorg.DuurzaamRapport, bemiddelaars.CaseloadRapport])
def test_the_new_reports_document_their_rows_with_an_example(spec, model):
    schema = spec["components"]["schemas"][model.__name__]
    assert schema["properties"]["rijen"]["items"]["$ref"]
    for voorbeeld in model.model_config["json_schema_extra"]["examples"]:
        model.model_validate(voorbeeld)


def test_every_report_serves_json_and_csv(spec):
    for path, _method, op in _operations(spec):
        if path.startswith("/v1/rapporten/") and {p["name"] for p in op.get("parameters", [])} >= {"format"}:
            assert set(op["responses"]["200"]["content"]) == {"application/json", "text/csv"}, path


def test_every_operation_documents_the_overload_503(spec):
    """Past its limit a process answers 503 + Retry-After (wijkwerk.http.overbelasting)."""
    zonder = [(m, p) for p, ops in spec["paths"].items() if p not in ("/health", "/ready", "/metrics")
              for m, op in ops.items() if "503" not in op["responses"]]
    assert zonder == []


def test_every_rule_the_code_raises_is_documented_on_an_operation_and_no_other(spec):
    """The dashboard (HTML, outside the API document) answers its own rules; the corrections
    answer ``evaluatie-onbekend`` / ``uitstroommeting-onbekend`` (``f"{soort}-onbekend"``)."""
    from pathlib import Path

    import evaluatie
    from evaluatie.entrypoints.regelboek import REGELS
    from wijkwerk.http.documentatie import afwijkingen
    from wijkwerk.problems import ProblemDocument

    bron = Path(evaluatie.__file__).parent
    gevonden = afwijkingen(spec, bron, REGELS, uitgezonderd=("entrypoints/dashboard",),
                           dynamisch={"evaluatie-onbekend", "uitstroommeting-onbekend"})
    assert gevonden == {"ongedocumenteerd": set(), "niet-in-code": set(), "catalogus-niet-in-code": set()}
    for _, _, op in _operations(spec):
        for response in op["responses"].values():
            for example in response.get("content", {}).get("application/problem+json", {}).get("examples", {}).values():
                ProblemDocument.model_validate(example["value"])


def test_every_answer_has_an_example_that_validates_against_its_own_model(spec):
    """JSON and CSV alike; the generic table reports' examples are checked against the real
    answers in tests/integration/test_rapportvoorbeelden.py."""
    from evaluatie.entrypoints.rapportvoorbeelden import VOORBEELDEN
    from evaluatie.entrypoints.rapportvorm import TabelRapport
    from wijkwerk.http.documentatie import ongeldige_voorbeelden, zonder_voorbeeld, zonder_voorbeeld_buiten_json

    assert zonder_voorbeeld(spec) == []
    assert zonder_voorbeeld_buiten_json(spec) == []
    assert ongeldige_voorbeelden(create_app(Settings(run_workers=False))) == []
    for voorbeeld in VOORBEELDEN.values():
        TabelRapport.model_validate(voorbeeld["json"])


def test_a_published_example_keeps_its_null_values(spec):
    """FastAPI writes the document without nulls; the examples are put back as written, so
    a nullable key (organisator_id) is still in the example a partner reads."""
    gemeenten = spec["paths"]["/v1/rapporten/gemeenten"]["get"]["responses"]["200"]["content"]["application/json"]
    assert gemeenten["example"]["parameters"]["organisator_id"] is None
    assert spec["components"]["schemas"]["AdviesRapport"]["examples"][0]["organisator_id"] is None
