"""A route lists the problem rules it answers in one line; the shared ones are added to every operation."""

from wijkwerk.http.documentatie import (
    ALGEMENE_REGELS,
    documenteer_algemene_regels,
    gedocumenteerde_regels,
    regels_in_code,
    weigert,
)
from wijkwerk.problems import PROBLEM_RESPONSES


def test_weigert_adds_an_example_per_rule_to_the_shared_problem_responses():
    responses = weigert((409, "periode-al-afgesloten", "2026-01 is closed already.", {"laatst_afgesloten": "2026-01"}),
                        (409, "vorige-periode-open", "Close 2026-02 first."), (422, "periode-niet-voorbij", "Not over."))
    assert set(PROBLEM_RESPONSES) <= set(responses)
    voorbeelden = responses[409]["content"]["application/json"]["examples"]
    assert set(voorbeelden) == {"periode-al-afgesloten", "vorige-periode-open"}
    assert voorbeelden["periode-al-afgesloten"]["value"]["laatst_afgesloten"] == "2026-01"
    assert "content" not in PROBLEM_RESPONSES[409]  # the shared dict is not changed


def test_every_operation_gets_the_shared_rules_it_can_answer():
    ref = {"$ref": "#/components/schemas/ProblemDocument"}
    schema = {"paths": {"/v1/dingen": {"post": {
        "security": [{"HTTPBearer": []}], "requestBody": {},
        "parameters": [{"name": "op", "in": "query", "schema": {"type": "string", "format": "date"}},
                       {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}}],
        "responses": {"409": {"content": {"application/problem+json": {"schema": ref, "examples": {
            "ding-bestaat-al": {"value": {}}}}}}}}},
        "/health": {"get": {"responses": {"200": {}}}}}}
    documenteer_algemene_regels(schema)
    op = schema["paths"]["/v1/dingen"]["post"]
    assert {"ding-bestaat-al", "scope-ontbreekt", "token-ontbreekt", "ongeldige-invoer", "datum-ongeldig",
            "idempotentie-sleutel-hergebruikt", "overbelast"} <= gedocumenteerde_regels(op)
    assert gedocumenteerde_regels(schema["paths"]["/health"]["get"]) == set()


def test_rules_are_found_in_code(tmp_path):
    (tmp_path / "fouten.py").write_text('class X(Conflict):\n    rule = "x-bestaat"\n'
                                        'raise NotFound("no", rule="y-onbekend")\nraise Problem(403, "z-verboden", "d")\n')
    assert regels_in_code(tmp_path) == {"x-bestaat", "y-onbekend", "z-verboden"}
    assert "scope-ontbreekt" in ALGEMENE_REGELS


def test_the_shared_audit_route_documents_its_own_rules():
    ref = {"$ref": "#/components/schemas/ProblemDocument"}
    schema = {"paths": {"/v1/audit": {"get": {"security": [{"HTTPBearer": []}], "responses": {
        "403": {"content": {"application/json": {"schema": ref}}}}}}}}
    documenteer_algemene_regels(schema)
    op = schema["paths"]["/v1/audit"]["get"]
    assert {"alleen-centraal", "periode-ongeldig", "scope-ontbreekt"} <= gedocumenteerde_regels(op)
    assert "application/json" not in op["responses"]["403"]["content"]


def test_every_secured_operation_of_every_service_documents_the_rate_limit_429_with_retry_after():
    import importlib

    from wijkwerk_platform.cli.services import SERVICES

    for spec in SERVICES:
        settings = importlib.import_module(f"{spec.name}.config").Settings(run_workers=False)
        app = importlib.import_module(f"{spec.name}.entrypoints.api").create_app(settings)
        for path, methods in app.openapi()["paths"].items():
            for method, op in methods.items():
                if not op.get("security"):
                    continue
                assert "te-veel-verzoeken" in gedocumenteerde_regels(op), f"{spec.name} {method} {path}"
                assert "Retry-After" in op["responses"]["429"]["headers"], f"{spec.name} {method} {path}"


def test_the_event_history_example_is_the_stream_as_served():
    """``GET /v1/gebeurtenissen`` (NDJSON): every line an envelope, closed by the count."""
    from wijkwerk.events.envelope import Envelope
    from wijkwerk.messaging import archief

    *regels, einde = archief.voorbeeld().splitlines()
    assert [Envelope.from_bytes(r.encode()).event_type for r in regels] == ["OrganisatorGeregistreerd"]
    assert einde.encode() == archief.EINDE + str(len(regels)).encode()


def test_a_csv_or_xml_answer_or_body_without_an_example_is_listed():
    from wijkwerk.http.documentatie import zonder_voorbeeld_buiten_json

    schema = {"paths": {"/v1/ding": {
        "get": {"responses": {"200": {"content": {"application/json": {}, "text/csv": {}}},
                              "404": {"content": {"application/problem+json": {}}}}},
        "post": {"requestBody": {"content": {"application/xml": {"example": "<a/>"}}},
                 "responses": {"200": {"content": {"application/xml": {}}}}}}}}
    assert zonder_voorbeeld_buiten_json(schema) == ["GET /v1/ding 200 text/csv", "POST /v1/ding 200 application/xml"]
